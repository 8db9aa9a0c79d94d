//! Governance's invariant: its account holds exactly the deposits of live proposals, and every
//! live proposal's total is the sum of its deposits and waits in its queue. The test kit checks
//! it after every block of every scenario; here it catches coins that appear in the account
//! from elsewhere and a deposit record that its proposal does not count.

mod support;

use salus_gov::GovModule;
use salus_sdk::{Module, Overlay, StateWriteExt};
use salus_token::TestFunds;
use support::*;

#[test]
fn the_invariant_holds_through_a_lifecycle_and_catches_what_breaks_it() {
    let mut gov = gov_chain(&[100 * MILLION; 3], |_| {});
    let id = gov.submit(&key(1), vec![], 3 * MILLION, false);
    let snap = gov.chain.snapshot();
    GovModule::invariants(&snap).unwrap();

    let mut extra = Overlay::new(&snap);
    extra.fund(&salus_gov::GOV_ACCOUNT.address(), &coins(1)).unwrap();
    let e = GovModule::invariants(&extra).unwrap_err();
    assert!(e.message.contains("holds"), "{e}");

    let mut skewed = Overlay::new(&snap);
    let mut p = salus_gov::GovRead::proposal(&snap, id).unwrap().unwrap();
    p.total_deposit = coins(4 * MILLION);
    skewed.put(salus_gov::keys::proposal(id), &p).unwrap();
    let e = GovModule::invariants(&skewed).unwrap_err();
    assert!(e.message.contains("total deposit"), "{e}");
}
