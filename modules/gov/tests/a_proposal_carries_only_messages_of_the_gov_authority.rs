//! What a submission, a deposit, a vote or a cancellation is refused for, with a stable code
//! and nothing changed but the fee: a message that names no authority (a transfer out of the
//! governance account), one whose authority is not governance, one the chain does not route, a
//! deposit below the initial ratio or in another denom; votes outside the voting period; a
//! cancellation by anyone but the proposer. A user cannot send a governance-only message itself.

mod support;

use salus_gov::{GovRead, VoteOption};
use salus_proto::Any;
use salus_sdk::module::governance_authority;
use support::*;

/// Runs `msg` in a block: refused with this code, and nothing but the fee paid (no proposal, no deposit, no vote).
fn refused(gov: &mut Gov, from: &Key, msg: Any, codespace: &str, code: u32) -> String {
    let snap = gov.chain.snapshot();
    let (next_id, held) = (snap.next_proposal_id().unwrap(), gov.chain.balance(&salus_gov::GOV_ACCOUNT.address()));
    let balance = gov.chain.balance(&from.address);
    let out = gov.chain.exec(from, msg);
    assert_code(&out, codespace, code);
    let snap = gov.chain.snapshot();
    assert_eq!(snap.next_proposal_id().unwrap(), next_id, "no proposal was made");
    assert_eq!(gov.chain.balance(&salus_gov::GOV_ACCOUNT.address()), held, "no deposit was taken");
    // Refused by the stateless checks, no fee is taken; by a handler, the fee is.
    let paid = balance - gov.chain.balance(&from.address);
    assert!(paid == 0 || paid == 600, "only the fee was paid, not {paid}");
    out.log
}

#[test]
fn submissions_that_governance_refuses() {
    let mut gov = gov_chain(&[100 * MILLION; 3], |_| {});
    let user = key(1);
    let params = gov.params();

    let steal = send_msg(&governance_authority(), &user.address, "1000");
    let log = refused(&mut gov, &user, submit_msg(&user, vec![steal], 10 * MILLION, false), "gov", 100);
    assert!(log.contains("names no authority"), "{log}");

    let mut own = salus_gov::GovMsg::UpdateParams { authority: user.address, params: params.clone() }.to_any();
    let log = refused(&mut gov, &user, submit_msg(&user, vec![own.clone()], 10 * MILLION, false), "gov", 13);
    assert!(log.contains("must be the governance account"), "{log}");

    let unrouted = Any { type_url: "/cosmos.feegrant.v1beta1.MsgGrantAllowance".into(), value: vec![] };
    refused(&mut gov, &user, submit_msg(&user, vec![unrouted], 10 * MILLION, false), "gov", 10);

    let mut bad_params = params.clone();
    bad_params.threshold = salus_sdk::Dec::ZERO;
    let log = refused(
        &mut gov,
        &user,
        submit_msg(&user, vec![update_params_msg(&bad_params)], 10 * MILLION, false),
        "sdk",
        18,
    );
    assert!(log.contains("message 0") && log.contains("threshold"), "{log}");

    let log = refused(&mut gov, &user, submit_msg(&user, vec![], 2_499_999, false), "gov", 16);
    assert!(log.contains("2500000usalus"), "{log}");
    // An expedited proposal's initial deposit is a share of the expedited min deposit.
    refused(&mut gov, &user, submit_msg(&user, vec![], 10 * MILLION, true), "gov", 16);

    let foreign = salus_gov::GovMsg::SubmitProposal {
        proposer: user.address,
        messages: vec![],
        initial_deposit: "10000000uatom".parse().unwrap(),
        metadata: String::new(),
        title: "t".into(),
        summary: "s".into(),
        expedited: false,
        wire: salus_gov::msgs::Wire::V1,
    };
    refused(&mut gov, &user, foreign.to_any(), "gov", 23);

    let untitled = salus_gov::GovMsg::SubmitProposal {
        proposer: user.address,
        messages: vec![],
        initial_deposit: coins(10 * MILLION),
        metadata: String::new(),
        title: " ".into(),
        summary: "s".into(),
        expedited: false,
        wire: salus_gov::msgs::Wire::V1,
    };
    refused(&mut gov, &user, untitled.to_any(), "gov", 5);

    // The user sends a governance-only message itself: not its authority.
    refused(&mut gov, &user, own.clone(), "sdk", 4);
    own = update_params_msg(&params);
    // Signed by the user but naming the governance account: the signer check refuses it.
    let tx = sign(&user, vec![own], &gov.chain.staking_spec(&user));
    let out = gov.chain.block(vec![tx]).remove(0);
    assert_ne!(out.code, 0, "only a passed proposal signs as governance");
    assert_eq!(gov.params(), params);
}

#[test]
fn votes_deposits_and_cancellations_that_governance_refuses() {
    let mut gov = gov_chain(&[100 * MILLION; 3], |_| {});
    let (user, other) = (key(1), key(2));
    let id = gov.submit(&user, vec![], 2_500_000, false);
    refused(&mut gov, &other, vote_msg(&other, id, VoteOption::Yes), "gov", 3);
    refused(&mut gov, &other, vote_msg(&other, 99, VoteOption::Yes), "gov", 2);
    refused(&mut gov, &other, deposit_msg(&other, 99, MILLION), "gov", 2);
    let log = refused(
        &mut gov,
        &other,
        salus_gov::GovMsg::CancelProposal { proposal_id: id, proposer: other.address }.to_any(),
        "gov",
        18,
    );
    assert!(log.contains("only"), "{log}");
    let weighted = salus_gov::GovMsg::Vote {
        proposal_id: id,
        voter: other.address,
        options: vec![
            salus_gov::WeightedOption { option: VoteOption::Yes, weight: salus_sdk::Dec::percent(60) },
            salus_gov::WeightedOption { option: VoteOption::No, weight: salus_sdk::Dec::percent(60) },
        ],
        metadata: String::new(),
        wire: salus_gov::msgs::Wire::V1Weighted,
    };
    refused(&mut gov, &other, weighted.to_any(), "gov", 7);
}
