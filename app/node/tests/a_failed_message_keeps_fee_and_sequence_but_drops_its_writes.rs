mod support;

use support::*;

#[test]
fn a_failed_message_keeps_fee_and_sequence_but_drops_its_writes() {
    let mut chain = TestChain::new();
    let (alice, bob, carol) = (key(1), key(3), key(4));
    // The first message would succeed on its own; the second cannot be paid. Both must roll back.
    let msgs =
        vec![send_msg(&alice.address, &bob.address, "100"), send_msg(&alice.address, &carol.address, "999999999999")];
    let tx = sign(&alice, msgs, &chain.spec(&alice));
    let out = chain.block(vec![tx]);
    assert_code(&out[0], "sdk", 5);
    assert!(out[0].log.contains("message index: 1"), "{}", out[0].log);
    assert!(out[0].events.iter().all(|e| e.kind != "message"), "message events are dropped with the message");

    assert_eq!(chain.balance(&bob.address), 0, "the first message's transfer rolled back");
    assert!(chain.account(&bob.address).is_none(), "no account was created for bob");
    assert_eq!(chain.balance(&alice.address), 1_000_000_000 - 200, "the fee sticks");
    assert_eq!(chain.account(&alice.address).unwrap().1, 1, "the sequence sticks");
}

#[test]
fn running_out_of_gas_is_code_11_and_keeps_the_fee() {
    let mut chain = TestChain::new();
    let (alice, bob) = (key(1), key(3));
    // Learn what a transfer to an existing account costs, then offer a little less: enough for
    // the ante steps, not for the message.
    // (The first transfer also creates bob's account, so measure the second.)
    let create = sign(&alice, vec![send_msg(&alice.address, &bob.address, "1")], &chain.spec(&alice));
    assert!(chain.block(vec![create])[0].is_ok());
    let measure = sign(&alice, vec![send_msg(&alice.address, &bob.address, "1")], &chain.spec(&alice));
    let full_cost = chain.block(vec![measure])[0].gas_used;
    let mut spec = chain.spec(&alice);
    spec.gas = full_cost - 3_000;
    let tx = sign(&alice, vec![send_msg(&alice.address, &bob.address, "1")], &spec);
    let out = chain.block(vec![tx]);
    assert_code(&out[0], "sdk", 11);
    assert!(out[0].log.contains("out of gas"), "{}", out[0].log);
    assert_eq!(chain.balance(&bob.address), 2, "the third transfer did not happen");
    assert_eq!(chain.balance(&alice.address), 1_000_000_000 - 2 - 3 * 200, "all three fees were paid");
    assert_eq!(chain.account(&alice.address).unwrap().1, 3);
}

#[test]
fn a_tx_refused_by_check_tx_leaves_the_mempool_state_as_it_was() {
    let mut chain = TestChain::new();
    let (alice, bob) = (key(1), key(3));
    // The message fails (more than alice has); CheckTx refuses the tx, so it never enters the
    // mempool and its fee and sequence bump must not count for the next tx.
    let refused = sign(&alice, vec![send_msg(&alice.address, &bob.address, "999999999999")], &chain.spec(&alice));
    assert_code(&chain.app.check_tx(&refused, false), "sdk", 5);
    let next = sign(&alice, vec![send_msg(&alice.address, &bob.address, "5")], &chain.spec(&alice));
    let checked = chain.app.check_tx(&next, false);
    assert!(checked.is_ok(), "the same sequence is still free: {checked:?}");
    // And an accepted tx does advance the mempool's sequence.
    let again = sign(&alice, vec![send_msg(&alice.address, &bob.address, "5")], &chain.spec(&alice));
    assert_code(&chain.app.check_tx(&again, false), "sdk", 32);
}
