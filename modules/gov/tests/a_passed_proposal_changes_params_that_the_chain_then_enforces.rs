//! A proposal to change governance's own params passes with two of three validators voting Yes;
//! its message runs as the governance account, and from the next tx on the chain enforces the
//! new value: a submission with the old minimum initial deposit is refused.

mod support;

use salus_gov::{ProposalStatus, VoteOption};
use support::*;

#[test]
fn a_param_change_passes_runs_and_is_enforced() {
    let mut gov = gov_chain(&[100 * MILLION; 3], |_| {});
    let proposer = key(1);
    let before = gov.chain.balance(&proposer.address);
    let mut new = gov.params();
    new.min_initial_deposit_ratio = salus_sdk::Dec::percent(50);
    let id = gov.submit(&proposer, vec![update_params_msg(&new)], 10 * MILLION, false);
    let p = gov.proposal(id).unwrap();
    assert_eq!(p.status, ProposalStatus::VotingPeriod, "the full min deposit starts the vote at once");
    assert_eq!(gov.chain.balance(&proposer.address), before - 10 * MILLION - 600);

    gov.validators_vote(id, &[Some(VoteOption::Yes), Some(VoteOption::Yes), None]);
    assert_eq!(gov.until_decided(id), "proposal_passed");
    let p = gov.proposal(id).unwrap();
    assert_eq!(p.status, ProposalStatus::Passed);
    assert_eq!(p.failed_reason, "");
    assert_eq!(p.final_tally.yes, 2 * (100 * MILLION), "two validators' stake");
    assert_eq!(gov.params(), new, "the message ran");
    assert_eq!(gov.chain.balance(&proposer.address), before - 600, "the deposit was refunded");
    assert!(gov.chain.snapshot().votes_of(id).unwrap().is_empty(), "votes are deleted once counted");

    // The chain now wants half of the min deposit up front.
    let old_ratio = submit_msg(&proposer, vec![], 2_500_000, false);
    let out = gov.chain.exec(&proposer, old_ratio);
    assert_code(&out, "gov", 16);
    assert!(out.log.contains("5000000usalus"), "{}", out.log);
    let id2 = gov.submit(&proposer, vec![], 5 * MILLION, false);
    assert_eq!(gov.proposal(id2).unwrap().status, ProposalStatus::DepositPeriod);
}

use salus_gov::GovRead;
