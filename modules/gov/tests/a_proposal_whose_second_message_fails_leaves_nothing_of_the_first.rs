//! A passed proposal runs its messages all or nothing: when the second fails, the first's change
//! is undone, the proposal is Failed with the failing message and its error as the reason, and
//! the deposit is still refunded (the vote passed).

mod support;

use salus_gov::{ProposalStatus, VoteOption};
use support::*;

#[test]
fn the_second_message_fails_and_the_first_is_undone() {
    let mut gov = gov_chain(&[100 * MILLION; 3], |_| {});
    let before = gov.params();
    let mut first = before.clone();
    first.quorum = salus_sdk::Dec::percent(40);
    // Valid without state, refused by the handler: cancellation fees may not go to a module account.
    let mut second = before.clone();
    second.proposal_cancel_dest = Some(salus_token::fee_collector());
    let proposer = key(1);
    let id = gov.submit(&proposer, vec![update_params_msg(&first), update_params_msg(&second)], 10 * MILLION, false);
    let after_submit = gov.chain.balance(&proposer.address);
    gov.validators_vote(id, &[Some(VoteOption::Yes); 3]);
    assert_eq!(gov.until_decided(id), "proposal_failed");
    let p = gov.proposal(id).unwrap();
    assert_eq!(p.status, ProposalStatus::Failed);
    assert!(p.failed_reason.starts_with("message 1 (/cosmos.gov.v1.MsgUpdateParams) failed"), "{}", p.failed_reason);
    assert!(p.failed_reason.contains("module account"), "{}", p.failed_reason);
    assert_eq!(gov.params(), before, "nothing of the first message is left");
    let event = gov.chain.block_events.iter().find(|e| e.get("proposal_result") == Some("proposal_failed")).unwrap();
    assert_eq!(event.get("proposal_log"), Some(p.failed_reason.as_str()));
    assert!(!gov.chain.block_events.iter().any(|e| e.kind == "update_params"), "no event of the undone message");
    assert_eq!(gov.chain.balance(&proposer.address), after_submit + 10 * MILLION, "refunded: the vote passed");
}
