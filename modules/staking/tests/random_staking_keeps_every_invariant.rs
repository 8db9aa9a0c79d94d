//! Hundreds of blocks of random staking: delegations, unbondings, redelegations, cancellations,
//! withdrawals, validators going silent, double signs and unjails, with a set smaller than the
//! candidates. Supply and every staking invariant are checked after each block (TestChain::block),
//! and a second node fed the same blocks agrees at the end.

use salus_staking::{Misbehavior, StakingMsg};
use salus_testkit::*;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const MILLION: u128 = 1_000_000;

#[test]
fn random_staking_keeps_every_invariant() {
    let vals: Vec<_> = (11..15).map(|n| GenesisValidator::new(n, (20 + n as u128) * MILLION)).collect();
    let delegators: Vec<_> = (1..5).map(key).collect();
    let funded: Vec<_> = delegators.iter().map(|k| (k, 500 * MILLION)).collect();
    let params = serde_json::json!({
        "staking": { "params": { "unbonding_time_secs": 20, "max_validators": 3 } },
        "slashing": { "params": { "signed_blocks_window": 10, "downtime_jail_duration_secs": 5 } },
        "distribution": { "params": { "inflation_rate": "0.30", "blocks_per_year": 10000 } }
    });
    let genesis = staking_genesis(&funded, &vals, params);
    let mut chain = TestChain::with_genesis(&genesis);
    let mut twin = TestChain::with_genesis(&genesis);
    let mut rng = Rng(0x5eed_1234_abcd);
    let mut ok = std::collections::BTreeMap::<&str, u32>::new();

    for round in 0..300u64 {
        // Now and then a validator goes silent for a while, or double-signs.
        if round % 40 == 5 {
            let silent = vals[rng.below(4) as usize].cons_address();
            chain.absent.insert(silent);
            twin.absent.insert(silent);
        }
        if round % 40 == 30 {
            chain.absent.clear();
            twin.absent.clear();
        }
        if round == 150 {
            let v = &vals[0];
            let power = chain.comet_power(&v.cons_address());
            if power > 0 {
                let ev = Misbehavior {
                    cons_address: v.cons_address(),
                    height: chain.height - 3,
                    time: Default::default(),
                    power,
                };
                chain.evidence.push(ev.clone());
                twin.evidence.push(ev);
            }
        }

        let mut txs = Vec::new();
        let who = &delegators[rng.below(4) as usize];
        let val = vals[rng.below(4) as usize].operator.address;
        let other = vals[rng.below(4) as usize].operator.address;
        let amount = usalus((1 + rng.below(30)) as u128 * MILLION / 2);
        let (name, msg) = match rng.below(7) {
            0 | 1 => ("delegate", StakingMsg::Delegate { delegator: who.address, validator: val, amount }),
            2 => ("undelegate", StakingMsg::Undelegate { delegator: who.address, validator: val, amount }),
            3 => ("redelegate", StakingMsg::Redelegate { delegator: who.address, src: val, dst: other, amount }),
            4 => ("withdraw", StakingMsg::WithdrawReward { delegator: who.address, validator: val }),
            5 => {
                let entry = chain.unbonding(&who.address, &val).and_then(|u| u.entries.first().cloned());
                let creation_height = entry.map_or(1, |e| e.creation_height);
                (
                    "cancel",
                    StakingMsg::CancelUnbonding { delegator: who.address, validator: val, amount, creation_height },
                )
            }
            _ => {
                let v = &vals[rng.below(4) as usize];
                let spec = chain.staking_spec(&v.operator);
                txs.push(sign(&v.operator, vec![StakingMsg::Unjail { operator: v.operator.address }.to_any()], &spec));
                ("unjail", StakingMsg::WithdrawCommission { operator: v.operator.address })
            }
        };
        if txs.is_empty() {
            let spec = chain.staking_spec(who);
            txs.push(sign(who, vec![msg.to_any()], &spec));
        }
        let out_a = chain.block(txs.clone());
        let out_b = twin.block(txs);
        assert_eq!(chain.app_hash(), twin.app_hash(), "round {round}");
        assert_eq!(out_a.iter().map(|o| o.code).collect::<Vec<_>>(), out_b.iter().map(|o| o.code).collect::<Vec<_>>());
        if out_a.iter().all(|o| o.code == 0) {
            *ok.entry(name).or_default() += 1;
        }
    }
    for op in ["delegate", "undelegate", "redelegate", "withdraw", "cancel", "unjail"] {
        assert!(ok.get(op).copied().unwrap_or(0) > 0, "no {op} ever succeeded: {ok:?}");
    }
    let jailed_at_some_point = vals.iter().any(|v| chain.signing_info(&v.cons_address()).jailed_until.secs > 0);
    assert!(jailed_at_some_point, "downtime jailed someone");
}
