//! CheckTx caches verified signatures, but a block can give a new account another number than
//! the mempool did. The node that cached the signature must reach the same verdict and app hash
//! as a node that never saw the tx before the block.

mod support;

use support::*;

#[test]
fn a_cached_signature_is_checked_again_when_the_block_changes_the_account_number() {
    let genesis = genesis_json(&[(&key(1), 1_000_000_000), (&key(2), 1_000_000_000)]);
    let mut seen = TestChain::with_genesis(&genesis);
    let mut unseen = TestChain::with_genesis(&genesis);
    let (alice, xavier, yvonne) = (key(1), key(5), key(6));

    // In the mempool, alice funds xavier first: after the genesis accounts (0, 1) and the fee
    // collector (2, created by the first fee), he becomes number 3 and signs with it.
    let fund_x_first = sign(&alice, vec![send_msg(&alice.address, &xavier.address, "100000")], &seen.spec(&alice));
    assert!(seen.app.check_tx(&fund_x_first, false).is_ok());
    let mut x_spec = seen.spec(&alice);
    x_spec.account_number = 3;
    x_spec.sequence = 0;
    let x_tx = sign(&xavier, vec![send_msg(&xavier.address, &alice.address, "1")], &x_spec);
    let checked = seen.app.check_tx(&x_tx, false);
    assert!(checked.is_ok(), "{checked:?}");

    // The block funds yvonne first, so xavier becomes number 4 and his signature (over 3) is bad.
    let mut a = seen.spec(&alice);
    let fund_y = sign(&alice, vec![send_msg(&alice.address, &yvonne.address, "5")], &a);
    a.sequence += 1;
    let fund_x = sign(&alice, vec![send_msg(&alice.address, &xavier.address, "100000")], &a);
    let block = vec![fund_y, fund_x, x_tx];

    let with_cache = seen.block(block.clone());
    let without_cache = unseen.block(block);
    assert_code(&without_cache[2], "sdk", 4);
    assert_code(&with_cache[2], "sdk", 4);
    assert_eq!(seen.app_hash(), unseen.app_hash());
}
