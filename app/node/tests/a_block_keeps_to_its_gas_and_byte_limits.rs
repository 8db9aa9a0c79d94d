//! Block limits from the consensus params: FinalizeBlock meters block gas as Cosmos does,
//! PrepareProposal fills a block up to both limits, and ProcessProposal rejects a block that an
//! honest proposer could not have built.

mod support;

use bytes::Bytes;
use salus_node::app::params::BlockLimits;
use salus_node::app::proposal::{prepare, process, proto_size};
use support::*;

fn transfers(chain: &TestChain, n: u64, gas: u64) -> Vec<Vec<u8>> {
    let (alice, bob) = (key(1), key(2));
    let base = chain.spec(&alice);
    (0..n)
        .map(|i| {
            let spec =
                TxSpec { gas, fee: "1000usalus".parse().unwrap(), sequence: base.sequence + i, ..chain.spec(&alice) };
            sign(&alice, vec![send_msg(&alice.address, &bob.address, "1")], &spec)
        })
        .collect()
}

#[test]
fn a_tx_that_would_pass_the_block_gas_limit_is_refused_and_changes_nothing() {
    // Each transfer wants 200,000 and uses 50,000 to 65,000: the block counts what is used, and a tx
    // runs only if what it wants fits in what is left.
    let limits = BlockLimits { max_bytes: 1 << 22, max_gas: 300_000 };
    let mut chain = TestChain::with_block_limits(&genesis_json(&[(&key(1), 1_000_000_000)]), limits);
    let txs = transfers(&chain, 3, 200_000);
    let before = chain.balance(&key(1).address);
    let out = chain.block(txs);
    assert!(out[0].is_ok() && out[1].is_ok(), "{out:?}");
    assert_code(&out[2], "sdk", 11);
    assert!(out[2].log.starts_with("no block gas left to run tx"), "{}", out[2].log);
    assert_eq!(out[2].gas_used, 0);
    assert_eq!(chain.account(&key(1).address).unwrap().1, 2, "the third tx did not run: its sequence is unused");
    assert_eq!(chain.balance(&key(1).address), before - 2 * 1001);
}

#[test]
fn without_a_gas_limit_the_block_takes_every_tx() {
    let limits = BlockLimits { max_bytes: 1 << 22, max_gas: -1 };
    let mut chain = TestChain::with_block_limits(&genesis_json(&[(&key(1), 1_000_000_000)]), limits);
    let txs = transfers(&chain, 3, 60_000_000);
    assert!(chain.block(txs).iter().all(|o| o.is_ok()));
}

#[test]
fn proposals_are_filled_up_to_both_limits_and_an_honest_block_is_never_rejected() {
    let chain = TestChain::new();
    let limits = chain.app.limits().clone();
    let txs: Vec<Bytes> = transfers(&chain, 4, 200_000).into_iter().map(Bytes::from).collect();
    let two_bytes = proto_size(&txs[0]) + proto_size(&txs[1]);

    let by_gas = BlockLimits { max_bytes: 1 << 22, max_gas: 500_000 };
    let taken = prepare(txs.clone(), 1 << 22, &limits, by_gas);
    assert_eq!(taken, txs[..2].to_vec(), "two txs of 200,000 gas fit in 500,000");
    assert_eq!(process(&taken, &limits, by_gas), Ok(()));
    assert!(process(&txs, &limits, by_gas).unwrap_err().contains("the block limit is 500000"));

    let unlimited = BlockLimits { max_bytes: 1 << 22, max_gas: -1 };
    assert_eq!(prepare(txs.clone(), two_bytes, &limits, unlimited), txs[..2].to_vec(), "protobuf framing counts");
    assert_eq!(prepare(txs.clone(), two_bytes - 1, &limits, unlimited).len(), 1);

    let with_junk = vec![txs[0].clone(), Bytes::from_static(b"junk"), txs[1].clone()];
    assert_eq!(prepare(with_junk.clone(), 1 << 22, &limits, unlimited), txs[..2].to_vec(), "junk is left out");
    assert!(process(&with_junk, &limits, unlimited).unwrap_err().starts_with("tx 1:"));

    let small = BlockLimits { max_bytes: two_bytes, max_gas: -1 };
    assert!(process(&txs[..3], &limits, small).is_err(), "over the block's bytes");
}

#[test]
fn a_tx_that_runs_out_of_gas_counts_its_limit_not_the_charge_that_broke_it() {
    let (alice, bob) = (key(1), key(2));
    let limits = BlockLimits { max_bytes: 1 << 22, max_gas: 220_000 };
    let mut chain =
        TestChain::with_block_limits(&genesis_json(&[(&alice, 1_000_000_000), (&bob, 1_000_000_000)]), limits);
    let short = TxSpec { gas: 20_000, fee: "1000usalus".parse().unwrap(), ..chain.spec(&alice) };
    let full = TxSpec { gas: 200_000, fee: "1000usalus".parse().unwrap(), ..chain.spec(&bob) };
    let out = chain.block(vec![
        sign(&alice, vec![send_msg(&alice.address, &bob.address, "1")], &short),
        sign(&bob, vec![send_msg(&bob.address, &alice.address, "1")], &full),
    ]);
    assert_code(&out[0], "sdk", 11);
    assert!(out[0].gas_used > 20_000, "the charge that ran out went past the limit: {}", out[0].gas_used);
    assert!(out[1].is_ok(), "20,000 + 200,000 fit in 220,000: {:?}", out[1]);
}

#[test]
fn checktx_refuses_a_tx_that_wants_more_gas_than_a_block_holds() {
    // CometBFT would never include it; refused before its sequence bump reaches the mempool.
    let limits = BlockLimits { max_bytes: 1 << 22, max_gas: 300_000 };
    let mut chain = TestChain::with_block_limits(&genesis_json(&[(&key(1), 1_000_000_000)]), limits);
    let too_big = transfers(&chain, 1, 300_001).remove(0);
    let out = chain.app.check_tx(&too_big, false);
    assert_code(&out, "sdk", 11);
    let fits = transfers(&chain, 1, 300_000).remove(0);
    assert_code(&chain.app.check_tx(&fits, false), "", 0);
}
