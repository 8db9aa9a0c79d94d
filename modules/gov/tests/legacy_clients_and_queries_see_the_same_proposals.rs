//! cosmjs's default registry sends v1beta1 messages: a text proposal, votes and weighted votes
//! (LegacyDec weights) and deposits work, and both query services show the same proposals,
//! votes, deposits and tallies. Lists are paginated and filter by status, voter and depositor.

mod support;

use prost::Message;
use salus_proto::cosmos::base::query::v1beta1::PageRequest;
use salus_proto::cosmos::gov::{v1, v1beta1};
use salus_proto::to_any;
use support::*;

fn query<R: Message + Default>(gov: &Gov, path: &str, req: impl Message) -> R {
    R::decode(gov.chain.query(path, req.encode_to_vec()).unwrap().as_slice()).unwrap()
}

#[test]
fn v1beta1_messages_and_both_query_services() {
    let mut gov = gov_chain(&[100 * MILLION; 3], |_| {});
    let (alice, bob) = (key(1), key(2));
    let text = v1beta1::MsgSubmitProposal {
        content: Some(to_any(&v1beta1::TextProposal {
            title: "Adopt FHIR R5".into(),
            description: "Records move to R5.".into(),
        })),
        initial_deposit: coins(3 * MILLION).to_proto(),
        proposer: alice.address.to_string(),
    };
    let first = proposal_id(&gov.chain.exec(&alice, to_any(&text)));
    let second = gov.submit(&bob, vec![], 10 * MILLION, false);
    let deposit = v1beta1::MsgDeposit {
        proposal_id: first,
        depositor: bob.address.to_string(),
        amount: coins(7 * MILLION).to_proto(),
    };
    assert_code(&gov.chain.exec(&bob, to_any(&deposit)), "", 0);
    let vote = v1beta1::MsgVote { proposal_id: first, voter: alice.address.to_string(), option: 1 };
    assert_code(&gov.chain.exec(&alice, to_any(&vote)), "", 0);
    #[allow(deprecated)]
    let weighted = v1beta1::MsgVoteWeighted {
        proposal_id: first,
        voter: bob.address.to_string(),
        options: vec![
            v1beta1::WeightedVoteOption { option: 1, weight: "600000000000000000".into() },
            v1beta1::WeightedVoteOption { option: 3, weight: "400000000000000000".into() },
        ],
    };
    assert_code(&gov.chain.exec(&bob, to_any(&weighted)), "", 0);

    let p: v1beta1::QueryProposalResponse =
        query(&gov, "/cosmos.gov.v1beta1.Query/Proposal", v1beta1::QueryProposalRequest { proposal_id: first });
    let p = p.proposal.unwrap();
    assert_eq!(p.status, v1beta1::ProposalStatus::VotingPeriod as i32);
    let content = v1beta1::TextProposal::decode(p.content.unwrap().value.as_slice()).unwrap();
    assert_eq!(content.title, "Adopt FHIR R5");
    let p1: v1::QueryProposalResponse =
        query(&gov, "/cosmos.gov.v1.Query/Proposal", v1::QueryProposalRequest { proposal_id: first });
    let p1 = p1.proposal.unwrap();
    assert_eq!((p1.title.as_str(), p1.summary.as_str()), ("Adopt FHIR R5", "Records move to R5."));
    assert!(p1.messages.is_empty());

    let v: v1::QueryVoteResponse = query(
        &gov,
        "/cosmos.gov.v1.Query/Vote",
        v1::QueryVoteRequest { proposal_id: first, voter: bob.address.to_string() },
    );
    let weights: Vec<String> = v.vote.unwrap().options.iter().map(|o| o.weight.clone()).collect();
    assert_eq!(weights, vec!["0.600000000000000000", "0.400000000000000000"]);
    let v: v1beta1::QueryVoteResponse = query(
        &gov,
        "/cosmos.gov.v1beta1.Query/Vote",
        v1beta1::QueryVoteRequest { proposal_id: first, voter: bob.address.to_string() },
    );
    assert_eq!(v.vote.unwrap().options[0].weight, "600000000000000000", "LegacyDec on the wire");

    let deposits: v1::QueryDepositsResponse =
        query(&gov, "/cosmos.gov.v1.Query/Deposits", v1::QueryDepositsRequest { proposal_id: first, pagination: None });
    assert_eq!(deposits.deposits.len(), 2);
    let t: v1beta1::QueryTallyResultResponse =
        query(&gov, "/cosmos.gov.v1beta1.Query/TallyResult", v1beta1::QueryTallyResultRequest { proposal_id: first });
    assert_eq!(t.tally.unwrap().yes, "0", "alice and bob have no stake");

    // Lists: one per page, filtered.
    let page = |key: Vec<u8>| Some(PageRequest { key, limit: 1, ..Default::default() });
    let r: v1::QueryProposalsResponse = query(
        &gov,
        "/cosmos.gov.v1.Query/Proposals",
        v1::QueryProposalsRequest { pagination: page(vec![]), ..Default::default() },
    );
    assert_eq!(r.proposals.iter().map(|p| p.id).collect::<Vec<_>>(), vec![first]);
    let next = r.pagination.unwrap().next_key;
    let r: v1::QueryProposalsResponse = query(
        &gov,
        "/cosmos.gov.v1.Query/Proposals",
        v1::QueryProposalsRequest { pagination: page(next), ..Default::default() },
    );
    assert_eq!(r.proposals.iter().map(|p| p.id).collect::<Vec<_>>(), vec![second]);
    let by_voter: v1::QueryProposalsResponse = query(
        &gov,
        "/cosmos.gov.v1.Query/Proposals",
        v1::QueryProposalsRequest { voter: alice.address.to_string(), ..Default::default() },
    );
    assert_eq!(by_voter.proposals.iter().map(|p| p.id).collect::<Vec<_>>(), vec![first]);
    let by_depositor: v1beta1::QueryProposalsResponse = query(
        &gov,
        "/cosmos.gov.v1beta1.Query/Proposals",
        v1beta1::QueryProposalsRequest { depositor: bob.address.to_string(), ..Default::default() },
    );
    assert_eq!(by_depositor.proposals.iter().map(|p| p.proposal_id).collect::<Vec<_>>(), vec![first, second]);
    let voting: v1::QueryProposalsResponse = query(
        &gov,
        "/cosmos.gov.v1.Query/Proposals",
        v1::QueryProposalsRequest { proposal_status: v1::ProposalStatus::DepositPeriod as i32, ..Default::default() },
    );
    assert!(voting.proposals.is_empty(), "both are voting");

    let params: v1beta1::QueryParamsResponse =
        query(&gov, "/cosmos.gov.v1beta1.Query/Params", v1beta1::QueryParamsRequest { params_type: "tallying".into() });
    assert_eq!(params.tally_params.unwrap().threshold, b"500000000000000000".to_vec());
    let e = gov
        .chain
        .query("/cosmos.gov.v1.Query/Proposal", v1::QueryProposalRequest { proposal_id: 42 }.encode_to_vec())
        .unwrap_err();
    assert_eq!((e.codespace, e.code), ("gov", 2));
}

#[test]
fn a_non_text_v1beta1_proposal_is_refused_with_the_fix() {
    let mut gov = gov_chain(&[100 * MILLION; 3], |_| {});
    let alice = key(1);
    let legacy = v1beta1::MsgSubmitProposal {
        content: Some(salus_proto::Any {
            type_url: "/cosmos.params.v1beta1.ParameterChangeProposal".into(),
            value: vec![],
        }),
        initial_deposit: coins(10 * MILLION).to_proto(),
        proposer: alice.address.to_string(),
    };
    let tx = sign(&alice, vec![to_any(&legacy)], &gov.chain.staking_spec(&alice));
    let log = rejected(&mut gov.chain, tx, "gov", 5);
    assert!(log.contains("cosmos.gov.v1.MsgSubmitProposal"), "{log}");
}
