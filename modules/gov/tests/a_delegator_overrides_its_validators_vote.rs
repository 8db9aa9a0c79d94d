//! A delegator who votes carries its own delegation; its validator's vote carries only the
//! shares of the delegators who did not vote. Here the override turns a pass into a rejection,
//! and the tally counts each side exactly.

mod support;

use salus_gov::{ProposalStatus, VoteOption};
use salus_staking::StakingMsg;
use support::*;

#[test]
fn the_delegators_vote_replaces_its_share_of_the_validators() {
    let mut gov = gov_chain(&[100 * MILLION; 3], |_| {});
    let (delegator, other) = (key(1), key(2));
    let val0 = gov.validators[0].operator.address;
    let delegate =
        StakingMsg::Delegate { delegator: delegator.address, validator: val0, amount: usalus(250 * MILLION) };
    assert_code(&gov.chain.exec(&delegator, delegate.to_any()), "", 0);
    let undelegated = StakingMsg::Delegate { delegator: other.address, validator: val0, amount: usalus(50 * MILLION) };
    assert_code(&gov.chain.exec(&other, undelegated.to_any()), "", 0);
    gov.chain.blocks(2);

    let id = gov.submit(&key(2), vec![], 10 * MILLION, false);
    // Validator 0 (100 own + 250 + 50 delegated) and validator 1 vote Yes; the delegator of 250
    // votes No; key 2's 50 follows validator 0.
    gov.validators_vote(id, &[Some(VoteOption::Yes), Some(VoteOption::Yes), None]);
    let live = salus_gov::query::tally_of(&gov.chain.snapshot(), id).unwrap();
    assert_eq!(live.yes, 500 * MILLION, "before the override both validators carry all their stake");
    gov.vote(&delegator, id, VoteOption::No);
    let live = salus_gov::query::tally_of(&gov.chain.snapshot(), id).unwrap();
    assert_eq!((live.yes, live.no), (250 * MILLION, 250 * MILLION), "half is not more than half");

    assert_eq!(gov.until_decided(id), "proposal_rejected");
    let p = gov.proposal(id).unwrap();
    assert_eq!(p.status, ProposalStatus::Rejected);
    assert_eq!((p.final_tally.yes, p.final_tally.no, p.final_tally.abstain), (250 * MILLION, 250 * MILLION, 0));
}
