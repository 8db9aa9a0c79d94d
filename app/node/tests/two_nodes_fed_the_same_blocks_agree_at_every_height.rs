//! Determinism: two nodes on separate stores, fed the same blocks, compute the same app hash at
//! every height, including blocks with failing and hostile txs, staking, rewards and a validator
//! that misses blocks until it is jailed.

mod support;

use support::*;

#[test]
fn two_nodes_fed_the_same_blocks_agree_at_every_height() {
    let vals: Vec<_> = (11..14).map(|n| GenesisValidator::new(n, 100_000_000)).collect();
    let params = serde_json::json!({ "slashing": { "params": { "signed_blocks_window": 10,
        "min_signed_per_window": "0.5", "downtime_jail_duration_secs": 5,
        "slash_fraction_double_sign": "0.05", "slash_fraction_downtime": "0.01" } } });
    let funded = [(&key(1), 1_000_000_000), (&key(2), 1_000_000_000), (&key(3), 1_000_000_000)];
    let genesis = staking_genesis(&funded, &vals, params);
    let mut a = TestChain::with_genesis(&genesis);
    let mut b = TestChain::with_genesis(&genesis);
    a.absent.insert(vals[2].cons_address());
    b.absent.insert(vals[2].cons_address());
    assert_eq!(a.app_hash(), b.app_hash(), "genesis");

    let keys: Vec<_> = (1..=6).map(key).collect();
    let mut distinct = std::collections::BTreeSet::new();
    for height in 1..=40u64 {
        // A deterministic mix: transfers among six accounts, some failing, some garbage.
        let mut txs = Vec::new();
        for i in 0..(height % 4) {
            let from = &keys[((height + i) % 2) as usize];
            let to = &keys[((height * 7 + i) % 6) as usize];
            let amount =
                if (height + i) % 5 == 0 { "99999999999999".to_string() } else { (height * 10 + i).to_string() };
            let mut spec = a.spec(from);
            spec.sequence += txs.iter().filter(|(f, _)| *f == from.address).count() as u64;
            let tx = sign(from, vec![send_msg(&from.address, &to.address, &amount)], &spec);
            txs.push((from.address, tx));
        }
        let mut raw: Vec<Vec<u8>> = txs.into_iter().map(|(_, t)| t).collect();
        if height % 9 == 0 {
            raw.push(vec![0x0a, 0x02, 0xff]);
        }
        if height % 7 == 0 {
            let from = &keys[2];
            let msg = salus_staking::StakingMsg::Delegate {
                delegator: from.address,
                validator: vals[(height % 2) as usize].operator.address,
                amount: usalus(1_000_000 + height as u128),
            };
            let spec = a.staking_spec(from);
            raw.push(sign(from, vec![msg.to_any()], &spec));
        }
        let staking = height % 7 == 0;
        let out_a = a.block(raw.clone());
        if staking {
            assert_code(out_a.last().unwrap(), "", 0);
        }
        let out_b = b.block(raw);
        let codes_a: Vec<_> = out_a.iter().map(|o| (o.codespace, o.code, o.gas_used)).collect();
        let codes_b: Vec<_> = out_b.iter().map(|o| (o.codespace, o.code, o.gas_used)).collect();
        assert_eq!(codes_a, codes_b, "results at height {height}");
        assert_eq!(a.app_hash(), b.app_hash(), "app hash at height {height}");
        distinct.insert(a.app_hash());
    }
    assert!(distinct.len() > 20, "the state actually changed along the way");
    assert!(a.validator(&vals[2].operator.address).jailed, "the silent validator was jailed on both");
}
