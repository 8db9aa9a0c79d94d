//! The proposer may cancel its proposal while it is live: every depositor gets back its deposit
//! less the cancel ratio, which is burned (or paid to `proposal_cancel_dest`), and the proposal,
//! its votes and its queue entry are gone.

mod support;

use salus_gov::{GovRead, VoteOption};
use support::*;

#[test]
fn cancelling_burns_half_of_every_deposit_and_deletes_the_proposal() {
    let mut gov = gov_chain(&[100 * MILLION; 3], |_| {});
    let (proposer, backer) = (key(1), key(2));
    let id = gov.submit(&proposer, vec![], 4 * MILLION, false);
    assert_code(&gov.chain.exec(&backer, deposit_msg(&backer, id, 6 * MILLION)), "", 0);
    gov.validators_vote(id, &[Some(VoteOption::Yes), None, None]);
    let (a, b) = (gov.chain.balance(&proposer.address), gov.chain.balance(&backer.address));
    let cancel = salus_gov::GovMsg::CancelProposal { proposal_id: id, proposer: proposer.address }.to_any();
    let out = gov.chain.exec(&proposer, cancel);
    assert_code(&out, "", 0);
    let burned = out.events.iter().find(|e| e.kind == "burn").expect("the fees are burned");
    assert_eq!(burned.get("amount"), Some("5000000usalus"));
    assert_eq!(gov.chain.balance(&proposer.address), a - 600 + 2 * MILLION);
    assert_eq!(gov.chain.balance(&backer.address), b + 3 * MILLION);
    assert!(gov.proposal(id).is_none());
    assert!(gov.chain.snapshot().votes_of(id).unwrap().is_empty());
    assert_eq!(gov.chain.balance(&salus_gov::GOV_ACCOUNT.address()), 0);
    gov.chain.blocks(VOTING as usize + 2);
    assert!(!gov.results().iter().any(|r| r == "proposal_passed"), "nothing is left to decide");
}

#[test]
fn cancellation_fees_go_to_the_destination_the_params_name() {
    let dest = key(3).address;
    let mut gov = gov_chain(&[100 * MILLION; 3], |p| p.proposal_cancel_dest = Some(dest));
    let proposer = key(1);
    let id = gov.submit(&proposer, vec![], 10 * MILLION, false);
    let cancel = salus_gov::GovMsg::CancelProposal { proposal_id: id, proposer: proposer.address }.to_any();
    assert_code(&gov.chain.exec(&proposer, cancel), "", 0);
    assert_eq!(gov.chain.balance(&dest), 5 * MILLION);
}
