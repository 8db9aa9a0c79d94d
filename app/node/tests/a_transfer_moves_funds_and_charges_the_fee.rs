mod support;

use support::*;

#[test]
fn a_transfer_moves_funds_and_charges_the_fee() {
    let mut chain = TestChain::new();
    let (alice, bob) = (key(1), key(3));
    let spec = chain.spec(&alice);
    let tx = sign(&alice, vec![send_msg(&alice.address, &bob.address, "12345")], &spec);

    let checked = chain.app.check_tx(&tx, false);
    assert!(checked.is_ok(), "{checked:?}");
    let outcomes = chain.block(vec![tx]);
    assert!(outcomes[0].is_ok(), "{:?}", outcomes[0]);
    assert!(outcomes[0].gas_used > 0 && outcomes[0].gas_used <= outcomes[0].gas_wanted);

    assert_eq!(chain.balance(&bob.address), 12345);
    assert_eq!(chain.balance(&alice.address), 1_000_000_000 - 12345 - 200);
    // Bob's account was created on receipt; alice's sequence moved.
    assert!(chain.account(&bob.address).is_some());
    assert_eq!(chain.account(&alice.address).unwrap().1, 1);

    // The events wallets and indexers look for, in order.
    let kinds: Vec<&str> = outcomes[0].events.iter().map(|e| e.kind.as_str()).collect();
    let first_message = kinds.iter().position(|k| *k == "message").expect("a message event");
    assert_eq!(&kinds[first_message..], &["message", "coin_spent", "coin_received", "transfer"]);
    let transfer = outcomes[0].events.iter().rev().find(|e| e.kind == "transfer").unwrap();
    assert_eq!(transfer.get("recipient"), Some(bob.address.to_string().as_str()));
    assert_eq!(transfer.get("sender"), Some(alice.address.to_string().as_str()));
    assert_eq!(transfer.get("amount"), Some("12345usalus"));
    let message = &outcomes[0].events[first_message];
    assert_eq!(message.get("action"), Some("/cosmos.bank.v1beta1.MsgSend"));
    assert_eq!(message.get("sender"), Some(alice.address.to_string().as_str()));
    assert_eq!(message.get("module"), Some("token"));
}

#[test]
fn multi_send_pays_every_output_from_one_input() {
    let mut chain = TestChain::new();
    let (alice, bob, carol) = (key(1), key(3), key(4));
    let msg = salus_proto::to_any(&salus_proto::cosmos::bank::v1beta1::MsgMultiSend {
        inputs: vec![salus_proto::cosmos::bank::v1beta1::Input {
            address: alice.address.to_string(),
            coins: vec![salus_proto::cosmos::base::v1beta1::Coin { denom: "usalus".into(), amount: "30".into() }],
        }],
        outputs: [(&bob, "10"), (&carol, "20")]
            .iter()
            .map(|(k, a)| salus_proto::cosmos::bank::v1beta1::Output {
                address: k.address.to_string(),
                coins: vec![salus_proto::cosmos::base::v1beta1::Coin { denom: "usalus".into(), amount: a.to_string() }],
            })
            .collect(),
    });
    let tx = sign(&alice, vec![msg], &chain.spec(&alice));
    let out = chain.block(vec![tx]);
    assert!(out[0].is_ok(), "{:?}", out[0]);
    assert_eq!(chain.balance(&bob.address), 10);
    assert_eq!(chain.balance(&carol.address), 20);
    assert_eq!(chain.balance(&alice.address), 1_000_000_000 - 30 - 200);
}
