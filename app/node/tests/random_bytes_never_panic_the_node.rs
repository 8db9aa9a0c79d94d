//! The node never panics on input: random bytes as txs (CheckTx and FinalizeBlock) and as
//! queries get coded errors, and the chain goes on.

mod support;

use salus_node::app::query::NodeInfoCache;
use support::*;

/// xorshift: deterministic, so a failure reproduces.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn bytes(&mut self, max: usize) -> Vec<u8> {
        let n = (self.next() as usize) % max;
        (0..n).map(|_| self.next() as u8).collect()
    }
}

#[test]
fn random_bytes_as_transactions_are_decode_errors() {
    let mut chain = TestChain::new();
    // Fed the same number of empty blocks: blocks change state (inflation, history) by themselves.
    let mut twin = TestChain::new();
    let mut rng = Rng(0x5a15_u64.wrapping_mul(0x9E3779B97F4A7C15));
    for round in 0..20 {
        let txs: Vec<Vec<u8>> = (0..25).map(|_| rng.bytes(400)).collect();
        for tx in &txs {
            let o = chain.app.check_tx(tx, false);
            assert_ne!(o.code, 0, "random bytes accepted in round {round}: {tx:?}");
        }
        for o in chain.block(txs) {
            assert_ne!(o.code, 0);
            assert!(!o.codespace.is_empty());
        }
        twin.block(Vec::new());
    }
    assert_eq!(chain.app_hash(), twin.app_hash());
}

#[test]
fn mutated_valid_transactions_never_panic() {
    let mut chain = TestChain::new();
    let (alice, bob) = (key(1), key(3));
    let tx = sign(&alice, vec![send_msg(&alice.address, &bob.address, "5")], &chain.spec(&alice));
    let mut rng = Rng(42);
    let mut mutated = Vec::new();
    for _ in 0..500 {
        let mut t = tx.clone();
        for _ in 0..(1 + rng.next() % 4) {
            let i = (rng.next() as usize) % t.len();
            t[i] ^= 1 << (rng.next() % 8);
        }
        mutated.push(t);
    }
    for t in &mutated {
        chain.app.check_tx(t, false);
    }
    chain.block(mutated);
    // No flipped-bit variant may move funds without a valid signature over exactly those bytes;
    // at most the original intent (5usalus) can have happened, once.
    assert!(chain.balance(&bob.address) <= 5);
}

#[test]
fn random_query_paths_and_bodies_are_errors_not_crashes() {
    let chain = TestChain::new();
    let handle = chain.app.query_handle();
    let cache: NodeInfoCache = Default::default();
    let mut rng = Rng(7);
    let paths = [
        "/cosmos.bank.v1beta1.Query/Balance",
        "/cosmos.bank.v1beta1.Query/AllBalances",
        "/cosmos.bank.v1beta1.Query/SupplyOf",
        "/cosmos.bank.v1beta1.Query/DenomMetadata",
        "/cosmos.auth.v1beta1.Query/Account",
        "/cosmos.tx.v1beta1.Service/Simulate",
        "/store/main/key",
        "/store/ibc/key",
        "/store/nothing/key",
        "",
        "/",
    ];
    for _ in 0..2000 {
        let body = rng.bytes(200);
        let path = if rng.next().is_multiple_of(5) {
            String::from_utf8_lossy(&rng.bytes(30)).into_owned()
        } else {
            paths[(rng.next() as usize) % paths.len()].to_string()
        };
        let height = rng.next() % 4;
        let _ = handle.query(&path, &body, height, rng.next().is_multiple_of(2), &cache);
    }
}
