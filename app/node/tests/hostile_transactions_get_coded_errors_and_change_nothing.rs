//! Every malformed or hostile tx gets a coded error and changes nothing.

mod support;

use prost::Message;
use salus_proto::cosmos::bank::v1beta1::MsgSend;
use salus_proto::cosmos::base::v1beta1::Coin as ProtoCoin;
use support::*;

fn send_with(from: &str, to: &str, denom: &str, amount: &str) -> salus_proto::Any {
    salus_proto::to_any(&MsgSend {
        from_address: from.into(),
        to_address: to.into(),
        amount: vec![ProtoCoin { denom: denom.into(), amount: amount.into() }],
    })
}

#[test]
fn undecodable_bytes_are_a_decode_error() {
    let mut chain = TestChain::new();
    rejected(&mut chain, vec![0xde, 0xad, 0xbe, 0xef], "sdk", 2);
    rejected(&mut chain, Vec::new(), "sdk", 2);
}

#[test]
fn an_unknown_message_type_is_rejected() {
    let mut chain = TestChain::new();
    let alice = key(1);
    let any = salus_proto::Any { type_url: "/cosmos.feegrant.v1beta1.MsgGrantAllowance".into(), value: vec![] };
    let tx = sign(&alice, vec![any], &chain.spec(&alice));
    let log = rejected(&mut chain, tx, "sdk", 2);
    assert!(log.contains("/cosmos.feegrant.v1beta1.MsgGrantAllowance"), "{log}");
}

#[test]
fn a_bad_signature_is_unauthorized() {
    let mut chain = TestChain::new();
    let (alice, bob) = (key(1), key(3));
    let tx = sign(&alice, vec![send_msg(&alice.address, &bob.address, "1")], &chain.spec(&alice));
    let mut raw = salus_proto::cosmos::tx::v1beta1::TxRaw::decode(tx.as_slice()).unwrap();
    raw.signatures[0][10] ^= 0x01;
    rejected(&mut chain, raw.encode_to_vec(), "sdk", 4);
}

#[test]
fn someone_elses_key_cannot_sign_for_an_account() {
    let mut chain = TestChain::new();
    let (alice, mallory, bob) = (key(1), key(2), key(3));
    // Mallory signs a transfer out of alice's account with her own key.
    let mut spec = chain.spec(&alice);
    spec.sequence = 0;
    let tx = sign(&mallory, vec![send_msg(&alice.address, &bob.address, "1")], &spec);
    rejected(&mut chain, tx, "sdk", 8);
}

#[test]
fn a_signature_for_another_chain_or_account_number_fails() {
    let mut chain = TestChain::new();
    let (alice, bob) = (key(1), key(3));
    let mut spec = chain.spec(&alice);
    spec.chain_id = "salus-other-1".into();
    let log = rejected(&mut chain, sign(&alice, vec![send_msg(&alice.address, &bob.address, "1")], &spec), "sdk", 4);
    assert!(log.contains("chain-id salus-test-1"), "{log}");
    let mut spec = chain.spec(&alice);
    spec.account_number += 7;
    rejected(&mut chain, sign(&alice, vec![send_msg(&alice.address, &bob.address, "1")], &spec), "sdk", 4);
}

#[test]
fn a_replayed_sequence_is_code_32_with_the_log_hermes_parses() {
    let mut chain = TestChain::new();
    let (alice, bob) = (key(1), key(3));
    let tx = sign(&alice, vec![send_msg(&alice.address, &bob.address, "1")], &chain.spec(&alice));
    assert!(chain.block(vec![tx.clone()])[0].is_ok());
    let log = rejected(&mut chain, tx, "sdk", 32);
    assert!(log.starts_with("account sequence mismatch, expected 1, got 0"), "{log}");
    assert_eq!(chain.balance(&bob.address), 1);
}

#[test]
fn insufficient_funds_is_code_5() {
    let mut chain = TestChain::new();
    let (bob, alice) = (key(3), key(1));
    let mut c = chain.spec(&alice);
    // Fund bob with a little, then let him try to send more than he has.
    let fund = sign(&alice, vec![send_msg(&alice.address, &bob.address, "1000")], &c);
    assert!(chain.block(vec![fund])[0].is_ok());
    c = chain.spec(&bob);
    c.fee = "200usalus".parse().unwrap();
    let tx = sign(&bob, vec![send_msg(&bob.address, &alice.address, "900")], &c);
    // The fee is paid, then the message fails: the fee and sequence stick.
    let out = chain.block(vec![tx]);
    assert_code(&out[0], "sdk", 5);
    assert_eq!(chain.balance(&bob.address), 800);
    // A fee larger than the balance fails in the ante handler: nothing changes.
    let mut c = chain.spec(&bob);
    c.fee = "5000usalus".parse().unwrap();
    rejected(&mut chain, sign(&bob, vec![send_msg(&bob.address, &alice.address, "1")], &c), "sdk", 5);
}

#[test]
fn a_fee_below_the_minimum_gas_price_is_refused_by_check_tx() {
    let mut chain = TestChain::new();
    let (alice, bob) = (key(1), key(3));
    let mut spec = chain.spec(&alice);
    spec.fee = "199usalus".parse().unwrap(); // 200_000 gas at 0.001usalus needs 200
    let tx = sign(&alice, vec![send_msg(&alice.address, &bob.address, "1")], &spec);
    let checked = chain.app.check_tx(&tx, false);
    assert_code(&checked, "sdk", 13);
    assert!(checked.log.contains("required: 200usalus"), "{}", checked.log);
}

#[test]
fn zero_negative_and_overflowing_amounts_are_invalid_coins() {
    let mut chain = TestChain::new();
    let (alice, bob) = (key(1), key(3));
    for amount in ["0", "-5", "340282366920938463463374607431768211456", "1.5", ""] {
        let msg = send_with(&alice.address.to_string(), &bob.address.to_string(), "usalus", amount);
        let tx = sign(&alice, vec![msg], &chain.spec(&alice));
        rejected(&mut chain, tx, "sdk", 10);
    }
    let msg = send_with(&alice.address.to_string(), &bob.address.to_string(), "u", "5");
    let tx = sign(&alice, vec![msg], &chain.spec(&alice));
    rejected(&mut chain, tx, "sdk", 10);
}

#[test]
fn a_bad_address_is_code_7() {
    let mut chain = TestChain::new();
    let alice = key(1);
    let msg = send_with(&alice.address.to_string(), "cosmos1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu", "usalus", "5");
    let tx = sign(&alice, vec![msg], &chain.spec(&alice));
    let log = rejected(&mut chain, tx, "sdk", 7);
    assert!(log.contains("to_address"), "{log}");
}

#[test]
fn an_oversized_memo_and_an_expired_timeout_height_are_rejected() {
    let mut chain = TestChain::new();
    let (alice, bob) = (key(1), key(3));
    let mut spec = chain.spec(&alice);
    spec.memo = "x".repeat(257);
    rejected(&mut chain, sign(&alice, vec![send_msg(&alice.address, &bob.address, "1")], &spec), "sdk", 12);
    chain.block(vec![]);
    let mut spec = chain.spec(&alice);
    spec.timeout_height = 1;
    rejected(&mut chain, sign(&alice, vec![send_msg(&alice.address, &bob.address, "1")], &spec), "sdk", 30);
}

#[test]
fn module_accounts_cannot_receive_transfers() {
    let mut chain = TestChain::new();
    let alice = key(1);
    let fee_collector = salus_sdk::Address::module("fee_collector");
    let out = chain.block(vec![sign(&alice, vec![send_msg(&alice.address, &fee_collector, "1")], &chain.spec(&alice))]);
    assert_code(&out[0], "token", 6);
}

#[test]
fn a_tx_signed_by_nobody_or_by_the_wrong_number_of_signers_fails() {
    let mut chain = TestChain::new();
    let (alice, bob) = (key(1), key(3));
    let tx = sign(&alice, vec![send_msg(&alice.address, &bob.address, "1")], &chain.spec(&alice));
    let mut raw = salus_proto::cosmos::tx::v1beta1::TxRaw::decode(tx.as_slice()).unwrap();
    raw.signatures.clear();
    rejected(&mut chain, raw.encode_to_vec(), "sdk", 15);
}
