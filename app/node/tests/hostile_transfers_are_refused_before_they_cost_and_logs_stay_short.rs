//! The largest, most expensive transfers are refused by checks linear in their size, in the
//! cheapest order, with short logs; the caps on a transfer's size are params.

mod support;

use prost::Message;
use salus_node::bench_worst::{hostile_multi_send, Shape};
use salus_proto::cosmos::bank::v1beta1::{Input, MsgMultiSend, Output};
use salus_proto::cosmos::base::v1beta1::Coin as ProtoCoin;
use support::*;

#[test]
fn an_unsigned_multi_send_of_the_largest_size_is_refused_at_the_output_cap() {
    let mut chain = TestChain::new();
    let tx = hostile_multi_send(1024 * 1024, Shape::OneDenomPerOutput);
    assert!(tx.len() > 1000 * 1024, "the hostile tx is near the size limit: {} bytes", tx.len());
    let log = rejected(&mut chain, tx, "token", 11);
    assert!(log.contains("outputs; the limit is 1000"), "{log}");
}

#[test]
fn a_multi_send_that_does_not_add_up_names_the_first_difference_and_the_totals_only() {
    let mut chain = TestChain::new();
    let tx = hostile_multi_send(1024 * 1024, Shape::WithinCaps);
    assert!(tx.len() > 1000 * 1024, "the hostile tx is near the size limit: {} bytes", tx.len());
    let log = rejected(&mut chain, tx, "token", 4);
    assert!(log.contains(" is 1001 in and 1000 out"), "{log}");
    assert!(log.contains("input denoms"), "{log}");
}

fn multi_send(from: &salus_node::keyring::Key, outputs: usize, denoms_per_output: usize) -> salus_proto::Any {
    let to = key(2).address.to_string();
    let coins = |n: usize| -> Vec<ProtoCoin> {
        (0..denoms_per_output).map(|d| ProtoCoin { denom: format!("usalus{d:03}"), amount: n.to_string() }).collect()
    };
    let outputs: Vec<Output> = (0..outputs).map(|_| Output { address: to.clone(), coins: coins(1) }).collect();
    let n = outputs.len();
    salus_proto::to_any(&MsgMultiSend {
        inputs: vec![Input { address: from.address.to_string(), coins: coins(n) }],
        outputs,
    })
}

#[test]
fn a_multi_send_over_the_output_or_denom_caps_is_refused_before_its_addresses_are_parsed() {
    let mut chain = TestChain::new();
    let alice = key(1);
    let big = TxSpec { gas: 50_000_000, fee: "50000usalus".parse().unwrap(), ..chain.spec(&alice) };
    let log = rejected(&mut chain, sign(&alice, vec![multi_send(&alice, 1001, 1)], &big), "token", 11);
    assert!(log.contains("1001 outputs; the limit is 1000"), "{log}");
    let log = rejected(&mut chain, sign(&alice, vec![multi_send(&alice, 1, 65)], &big), "token", 12);
    assert!(log.contains("65 denoms; the limit is 64"), "{log}");
    // Within the caps it is decoded and run: alice holds none of these denoms.
    let out = chain.block(vec![sign(&alice, vec![multi_send(&alice, 1000, 40)], &big)]).remove(0);
    assert_code(&out, "sdk", 5);
}

#[test]
fn more_messages_than_the_limit_are_refused_before_any_is_decoded() {
    let mut chain = TestChain::new();
    let (alice, bob) = (key(1), key(2));
    let msgs = (0..101).map(|_| send_msg(&alice.address, &bob.address, "1")).collect();
    let tx = sign(&alice, msgs, &chain.spec(&alice));
    let log = rejected(&mut chain, tx, "sdk", 18);
    assert!(log.contains("101 messages; the limit is 100"), "{log}");
    let msgs: Vec<_> = (0..100).map(|_| send_msg(&alice.address, &bob.address, "1")).collect();
    let spec = TxSpec { gas: 20_000_000, fee: "20000usalus".parse().unwrap(), ..chain.spec(&alice) };
    assert!(chain.block(vec![sign(&alice, msgs, &spec)])[0].is_ok(), "100 messages are within the limit");
}

#[test]
fn a_gas_limit_below_what_the_bytes_cost_is_out_of_gas_before_anything_runs() {
    let mut chain = TestChain::new();
    let (alice, bob) = (key(1), key(2));
    let spec = TxSpec { gas: 1_000, fee: "1usalus".parse().unwrap(), ..chain.spec(&alice) };
    let tx = sign(&alice, vec![send_msg(&alice.address, &bob.address, "1")], &spec);
    let log = rejected(&mut chain, tx, "sdk", 11);
    assert!(log.starts_with("out of gas in location: txSize; gasWanted: 1000"), "{log}");
}

#[test]
fn a_log_that_would_echo_a_huge_input_is_cut() {
    let mut chain = TestChain::new();
    let alice = key(1);
    let spec = TxSpec { gas: 1_000_000, fee: "1000usalus".parse().unwrap(), ..chain.spec(&alice) };
    let mut raw = salus_proto::cosmos::tx::v1beta1::TxRaw::decode(
        sign(&alice, vec![send_msg(&alice.address, &key(2).address, "1")], &spec).as_slice(),
    )
    .unwrap();
    let mut body = salus_proto::cosmos::tx::v1beta1::TxBody::decode(raw.body_bytes.as_slice()).unwrap();
    body.messages[0].type_url = format!("/{}", "x".repeat(20_000));
    raw.body_bytes = body.encode_to_vec();
    let log = rejected(&mut chain, raw.encode_to_vec(), "sdk", 2);
    assert!(log.ends_with("bytes cut)"), "{log}");
}
