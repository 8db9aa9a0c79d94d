//! The host history IBC proves from: each block's header time, app hash (the state after the
//! previous block) and next validators hash, kept `historical_entries` deep in the store (so a
//! restarted node still has them), and served by Query/HistoricalInfo as Cosmos serves it.

use prost::Message;
use salus_staking::HostHistory;
use salus_testkit::*;

const MILLION: u128 = 1_000_000;

#[test]
fn each_block_records_its_headers_hashes_and_history_past_historical_entries_is_pruned() {
    let vals = vec![GenesisValidator::new(11, 100 * MILLION)];
    let params = serde_json::json!({
        "staking": { "params": { "unbonding_time_secs": 10, "max_validators": 2, "max_entries": 7,
            "historical_entries": 3, "bond_denom": "usalus", "min_commission_rate": "0" } }
    });
    let mut chain = TestChain::with_genesis(&staking_genesis(&[(&key(1), 1_000 * MILLION)], &vals, params));
    let mut committed = vec![chain.app_hash()];
    for _ in 0..5 {
        chain.blocks(1);
        committed.push(chain.app_hash());
    }
    let snap = chain.snapshot();
    for height in 3..=5u64 {
        let h = snap.host_header(height).unwrap().unwrap_or_else(|| panic!("no header at {height}"));
        assert_eq!(h.height, height);
        assert_eq!(h.app_hash, committed[height as usize - 1].to_vec(), "the state after block {}", height - 1);
        assert_eq!(h.time.secs, TestChain::time(height).unix_timestamp());
        assert_eq!(h.next_validators_hash.len(), 32);
    }
    for height in [1, 2, 6] {
        assert_eq!(snap.host_header(height).unwrap(), None, "height {height} is pruned or not reached");
    }

    // As Cosmos answers it: the header with its hashes, and the set.
    use salus_proto::cosmos::staking::v1beta1 as staking;
    let bytes = chain
        .query(
            "/cosmos.staking.v1beta1.Query/HistoricalInfo",
            staking::QueryHistoricalInfoRequest { height: 4 }.encode_to_vec(),
        )
        .unwrap();
    let hist = staking::QueryHistoricalInfoResponse::decode(bytes.as_slice()).unwrap().hist.unwrap();
    let header = hist.header.unwrap();
    assert_eq!((header.height, header.app_hash), (4, committed[3].to_vec()));
    assert_eq!(header.next_validators_hash, snap.host_header(4).unwrap().unwrap().next_validators_hash);
    assert_eq!(hist.valset.len(), 1);
}
