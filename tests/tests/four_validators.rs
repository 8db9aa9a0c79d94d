//! A 4-validator localnet: all nodes agree at every height under load, and the network survives
//! the faults an operator meets without losing or forking state.

use std::time::Duration;

use salus_e2e::localnet::Localnet;

/// What each demo key holds at genesis besides the stake its gentx bonds.
const LIQUID: u128 = 900_000_000_000;

/// Sends `amount` from node `from`'s demo key through node `via`, returning whether CheckTx took it.
fn send(net: &Localnet, via: usize, from: usize, to: &str, amount: &str, extra: &[&str]) -> bool {
    let key = net.demo(from);
    let mut args =
        vec!["tx", "token", "send", &key, to, amount, "--yes", "--broadcast-mode", "sync", "--output", "json"];
    args.extend_from_slice(extra);
    net.cli(via, &args).map(|r| r.ok).unwrap_or(false)
}

fn assert_same_history(net: &Localnet, nodes: &[usize], to: u64) {
    let reference = net.header_app_hashes(nodes[0], 1, to).unwrap();
    for &i in &nodes[1..] {
        let other = net.header_app_hashes(i, 1, to).unwrap();
        for (h, (a, b)) in reference.iter().zip(&other).enumerate() {
            assert_eq!(
                a,
                b,
                "node {} and node {i} disagree on the app hash in the header of block {}",
                nodes[0],
                h + 1
            );
        }
    }
}

#[test]
fn four_validators_agree_on_the_app_hash_at_every_height_under_load() {
    let net = Localnet::new(4, 5000).unwrap();
    net.up(None).unwrap();
    net.wait_for(&[0, 1, 2, 3], 2, Duration::from_secs(60)).unwrap();
    let sink = net.address("demo3").unwrap();
    let target = 200;
    let mut sent = 0;
    let mut round = 0usize;
    while net.height(0).unwrap_or(0) < target {
        // Each demo key sends through a different node each round, in mempool mode.
        for from in 0..3 {
            if send(&net, (from + round) % 4, from, &sink, "3usalus", &[]) {
                sent += 1;
            }
        }
        round += 1;
        std::thread::sleep(Duration::from_millis(100));
    }
    net.wait_for(&[0, 1, 2, 3], target + 1, Duration::from_secs(60)).unwrap();
    assert_same_history(&net, &[0, 1, 2, 3], target + 1);
    assert!(sent > 50, "only {sent} txs were accepted");
    let received = net.balance(2, &sink).unwrap() - LIQUID;
    assert!(received >= 3 * 50, "only {received}usalus arrived");
    assert_eq!(received % 3, 0);
}

#[test]
fn one_validator_down_the_chain_goes_on_and_it_catches_up_when_back() {
    let net = Localnet::new(4, 5000).unwrap();
    net.up(None).unwrap();
    net.wait_for(&[0, 1, 2, 3], 3, Duration::from_secs(60)).unwrap();
    net.down(3, None, false).unwrap();
    let h = net.height(0).unwrap();
    let sink = net.address("demo3").unwrap();
    assert!(send(&net, 1, 0, &sink, "11usalus", &[]));
    net.wait_for(&[0, 1, 2], h + 5, Duration::from_secs(30)).unwrap();

    net.up(Some(3)).unwrap();
    let now = net.height(0).unwrap();
    net.wait_for(&[3], now + 2, Duration::from_secs(60)).unwrap();
    assert_same_history(&net, &[0, 3], now + 1);
    assert_eq!(net.balance(3, &sink).unwrap(), LIQUID + 11);
}

#[test]
fn two_validators_down_the_chain_halts_without_forking_and_resumes_with_nothing_lost() {
    // A small mempool, so that it fills while the chain is halted.
    let net = Localnet::new(4, 20).unwrap();
    net.up(None).unwrap();
    net.wait_for(&[0, 1, 2, 3], 3, Duration::from_secs(60)).unwrap();
    let sink = net.address("demo3").unwrap();
    assert!(send(&net, 0, 0, &sink, "5usalus", &[]));
    let h = net.height(0).unwrap();
    net.wait_for(&[0, 1], h + 2, Duration::from_secs(30)).unwrap();
    assert_eq!(net.balance(1, &sink).unwrap(), LIQUID + 5, "committed before the fault");

    net.down(2, None, false).unwrap();
    net.down(3, None, false).unwrap();
    std::thread::sleep(Duration::from_secs(2));
    let halted = net.height(0).unwrap();
    std::thread::sleep(Duration::from_secs(3));
    assert!(net.height(0).unwrap() <= halted + 1, "two of four validators cannot make blocks");
    assert_same_history(&net, &[0, 1], net.height(0).unwrap().min(net.height(1).unwrap()));

    // While halted, txs wait in the mempool until it is full; then a clear error, no crash.
    let mut refused = None;
    // demo1's gentx used sequence 0 at genesis.
    for seq in 1..41u64 {
        let s = seq.to_string();
        let key = net.demo(1);
        let r = net
            .cli(
                0,
                &[
                    "tx",
                    "token",
                    "send",
                    &key,
                    &sink,
                    "1usalus",
                    "--yes",
                    "--broadcast-mode",
                    "sync",
                    "--sequence",
                    &s,
                    "--output",
                    "json",
                ],
            )
            .unwrap();
        if !r.ok {
            refused = Some(format!("{}{}", r.stdout, r.stderr));
            break;
        }
    }
    let refused = refused.expect("the mempool of 20 never filled");
    assert!(refused.contains("mempool is full"), "{refused}");
    assert!(net.status().unwrap()[0].is_some(), "node 0 still answers");

    net.up(Some(2)).unwrap();
    net.wait_for(&[0, 1, 2], halted + 3, Duration::from_secs(60)).unwrap();
    // Nothing lost: the transfer committed before the halt, and the 20 that waited in the mempool.
    let start = std::time::Instant::now();
    while net.balance(2, &sink).unwrap() < LIQUID + 5 + 20 && start.elapsed() < Duration::from_secs(30) {
        std::thread::sleep(Duration::from_millis(300));
    }
    assert_eq!(net.balance(2, &sink).unwrap() - LIQUID, 5 + 20);
}

#[test]
fn salusd_killed_under_load_restarts_and_matches_the_others() {
    let net = Localnet::new(4, 5000).unwrap();
    net.up(None).unwrap();
    net.wait_for(&[0, 1, 2, 3], 3, Duration::from_secs(60)).unwrap();
    let sink = net.address("demo3").unwrap();
    for round in 0..12usize {
        send(&net, round % 4, round % 3, &sink, "2usalus", &[]);
        if round == 6 {
            net.down(1, Some("salusd"), true).unwrap();
        }
    }
    // CometBFT of node 1 lost its app; restart the pair. CometBFT replays what the app lacks.
    net.down(1, None, false).unwrap();
    net.up(Some(1)).unwrap();
    let now = net.height(0).unwrap();
    net.wait_for(&[1], now + 3, Duration::from_secs(60)).unwrap();
    assert_same_history(&net, &[0, 1, 2, 3], now + 2);
}
