//! An expedited proposal needs a larger deposit and two thirds of the vote within a shorter
//! period. Below that it becomes a regular proposal: its deposit and votes stay, its voting
//! period runs to the regular length, and at the regular threshold it passes.

mod support;

use salus_gov::{GovRead, ProposalStatus, VoteOption};
use support::*;

#[test]
fn a_failed_expedited_vote_goes_on_as_a_regular_one_and_passes() {
    let mut gov = gov_chain(&[100 * MILLION; 3], |_| {});
    let proposer = key(1);
    // The regular min deposit does not start an expedited vote.
    let id = gov.submit(&proposer, vec![], 20 * MILLION, true);
    assert_eq!(gov.proposal(id).unwrap().status, ProposalStatus::DepositPeriod);
    assert_code(&gov.chain.exec(&proposer, deposit_msg(&proposer, id, 30 * MILLION)), "", 0);
    let p = gov.proposal(id).unwrap();
    assert_eq!(p.status, ProposalStatus::VotingPeriod);
    assert!(p.expedited);
    let start = p.voting_start_time.unwrap();
    assert_eq!(p.voting_end_time, Some(start.plus_secs(EXPEDITED_VOTING)));

    // Two of three is 66.6%: below the expedited 66.7%, above the regular 50%.
    gov.validators_vote(id, &[Some(VoteOption::Yes), Some(VoteOption::Yes), Some(VoteOption::No)]);
    assert_eq!(gov.until_decided(id), "expedited_proposal_rejected");
    let p = gov.proposal(id).unwrap();
    assert_eq!(p.status, ProposalStatus::VotingPeriod);
    assert!(!p.expedited);
    assert_eq!(p.voting_end_time, Some(start.plus_secs(VOTING)));
    assert_eq!(p.total_deposit, coins(50 * MILLION), "the deposit stays");
    assert_eq!(gov.chain.snapshot().votes_of(id).unwrap().len(), 3, "the votes stay");

    let before = gov.chain.balance(&proposer.address);
    assert_eq!(gov.until_decided(id), "proposal_passed");
    assert_eq!(gov.proposal(id).unwrap().status, ProposalStatus::Passed);
    assert_eq!(gov.chain.balance(&proposer.address), before + 50 * MILLION);
}
