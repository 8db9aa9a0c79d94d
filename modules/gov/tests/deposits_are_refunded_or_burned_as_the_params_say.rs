//! What happens to deposits when a proposal ends: a vetoed one burns them, one that misses
//! quorum burns them only if `burn_vote_quorum`, a rejected one refunds them, and one whose
//! deposit period runs out is deleted with its deposits refunded (or burned with
//! `burn_proposal_deposit_prevote`). The test kit checks after every block that the supply moved
//! only by the burns and that the governance account holds exactly the live deposits.

mod support;

use salus_gov::{GovRead, ProposalStatus, VoteOption};
use support::*;

fn gov_balance(gov: &Gov) -> u128 {
    gov.chain.balance(&salus_gov::GOV_ACCOUNT.address())
}

#[test]
fn a_vetoed_proposal_burns_its_deposit() {
    let mut gov = gov_chain(&[100 * MILLION; 3], |_| {});
    let id = gov.submit(&key(1), vec![], 10 * MILLION, false);
    assert_eq!(gov_balance(&gov), 10 * MILLION);
    gov.validators_vote(id, &[Some(VoteOption::NoWithVeto), Some(VoteOption::NoWithVeto), Some(VoteOption::Yes)]);
    assert_eq!(gov.until_decided(id), "proposal_rejected");
    assert_eq!(gov.proposal(id).unwrap().status, ProposalStatus::Rejected);
    assert_eq!(gov_balance(&gov), 0);
    let burned = gov.chain.block_events.iter().find(|e| e.kind == "burn").expect("a burn");
    assert_eq!(burned.get("amount"), Some("10000000usalus"), "the whole deposit was burned");
}

#[test]
fn a_rejected_proposal_refunds_its_deposit() {
    let mut gov = gov_chain(&[100 * MILLION; 3], |_| {});
    let proposer = key(1);
    let id = gov.submit(&proposer, vec![], 10 * MILLION, false);
    let after_submit = gov.chain.balance(&proposer.address);
    gov.validators_vote(id, &[Some(VoteOption::No), Some(VoteOption::No), Some(VoteOption::Yes)]);
    assert_eq!(gov.until_decided(id), "proposal_rejected");
    assert_eq!(gov.chain.balance(&proposer.address), after_submit + 10 * MILLION);
    assert_eq!(gov_balance(&gov), 0);
    assert!(!gov.chain.block_events.iter().any(|e| e.kind == "burn"));
}

#[test]
fn a_missed_quorum_burns_only_if_the_params_say_so() {
    for burn in [false, true] {
        let mut gov = gov_chain(&[100 * MILLION; 3], |p| p.burn_vote_quorum = burn);
        let proposer = key(1);
        let id = gov.submit(&proposer, vec![], 10 * MILLION, false);
        let after_submit = gov.chain.balance(&proposer.address);
        // One validator of three is 33.3% of the stake: below the 33.4% quorum.
        gov.validators_vote(id, &[Some(VoteOption::Yes), None, None]);
        assert_eq!(gov.until_decided(id), "proposal_rejected");
        let refunded = gov.chain.balance(&proposer.address) - after_submit;
        assert_eq!(refunded, if burn { 0 } else { 10 * MILLION }, "burn_vote_quorum = {burn}");
        assert_eq!(gov.chain.block_events.iter().any(|e| e.kind == "burn"), burn);
        assert_eq!(gov_balance(&gov), 0);
    }
}

#[test]
fn an_underfunded_proposal_is_deleted_when_its_deposit_period_ends() {
    for burn in [false, true] {
        let mut gov = gov_chain(&[100 * MILLION; 3], |p| p.burn_proposal_deposit_prevote = burn);
        let (proposer, helper) = (key(1), key(2));
        let id = gov.submit(&proposer, vec![], 2_500_000, false);
        assert_code(&gov.chain.exec(&helper, deposit_msg(&helper, id, 1_000_000)), "", 0);
        let p = gov.proposal(id).unwrap();
        assert_eq!(p.status, ProposalStatus::DepositPeriod);
        assert_eq!(p.total_deposit, coins(3_500_000));
        let (a, b) = (gov.chain.balance(&proposer.address), gov.chain.balance(&helper.address));
        // A deposit below 1% of the min deposit is refused.
        assert_code(&gov.chain.exec(&helper, deposit_msg(&helper, id, 99_999)), "gov", 16);
        let b = b - 600;
        assert_eq!(gov.until_decided(id), "proposal_dropped");
        assert!(gov.proposal(id).is_none(), "the proposal is deleted");
        assert!(gov.chain.snapshot().deposits_of(id).unwrap().is_empty());
        let back = |n: u128| if burn { 0 } else { n };
        assert_eq!(gov.chain.balance(&proposer.address), a + back(2_500_000));
        assert_eq!(gov.chain.balance(&helper.address), b + back(1_000_000));
        assert_eq!(gov_balance(&gov), 0);
        // It takes no more deposits or votes.
        assert_code(&gov.chain.exec(&helper, deposit_msg(&helper, id, 1_000_000)), "gov", 2);
    }
}
