//! Stake that leaves a validator while it is unbonding (jailed for downtime, say) is still
//! reachable by a slash for what the validator did before: a redelegation from an unbonding
//! validator is recorded until the validator's own unbonding completes (Cosmos' `getBeginInfo`),
//! so double-sign evidence that arrives later slashes the moved stake, and the moved stake cannot
//! hop on at once (transitive redelegation). An undelegation from it follows the same rule.

use salus_staking::types::{BondStatus, Time};
use salus_staking::{Misbehavior, StakingMsg, StakingRead};
use salus_testkit::*;

const MILLION: u128 = 1_000_000;

/// Three genesis validators of 100 power; key 1 delegates 40 to the first (`bad`), whose
/// consensus address is `cons`.
struct Setup {
    chain: TestChain,
    me: Key,
    bad: salus_sdk::Address,
    other: salus_sdk::Address,
    third: salus_sdk::Address,
    cons: [u8; 20],
}

fn setup(unbonding_secs: Option<u64>) -> Setup {
    let vals: Vec<_> = (11..14).map(|n| GenesisValidator::new(n, 100 * MILLION)).collect();
    let mut params = serde_json::json!({
        "slashing": { "params": { "signed_blocks_window": 10, "min_signed_per_window": "0.5",
            "downtime_jail_duration_secs": 5, "slash_fraction_double_sign": "0.05", "slash_fraction_downtime": "0.01" } }
    });
    if let Some(secs) = unbonding_secs {
        params["staking"] = serde_json::json!({ "params": { "unbonding_time_secs": secs } });
    }
    let me = key(1);
    let mut chain = TestChain::with_genesis(&staking_genesis(&[(&me, 1_000 * MILLION)], &vals, params));
    let (bad, other, third) = (vals[0].operator.address, vals[1].operator.address, vals[2].operator.address);
    let delegate = StakingMsg::Delegate { delegator: me.address, validator: bad, amount: usalus(40 * MILLION) };
    assert_code(&chain.exec(&me, delegate.to_any()), "", 0);
    Setup { chain, me, bad, other, third, cons: vals[0].cons_address() }
}

#[test]
fn a_redelegation_from_a_jailed_unbonding_validator_is_slashed_for_its_earlier_double_sign() {
    let Setup { mut chain, me, bad, other, third, cons } = setup(None);

    // The validator goes silent until it is jailed for downtime; it leaves the set and unbonds.
    chain.blocks(2);
    chain.absent.insert(cons);
    let mut jailed_at = None;
    for _ in 0..30 {
        chain.block(Vec::new());
        if chain.validator(&bad).jailed {
            jailed_at = Some(chain.height);
            break;
        }
    }
    let jailed_at = jailed_at.expect("jailed for downtime within 30 blocks");
    chain.absent.clear();
    let v = chain.validator(&bad);
    assert_eq!(v.status, BondStatus::Unbonding);
    // CometBFT still has it in the set for the next block: it double-signs there.
    let infraction = jailed_at + 1;
    let power = chain.set_at(infraction).iter().find(|(c, _)| *c == cons).map(|(_, p)| *p).expect("still in the set");
    chain.blocks(3);
    assert!(chain.set_at(chain.height + 1).iter().all(|(c, _)| *c != cons), "it has left CometBFT's set");

    // Its delegator moves stake away while it is unbonding, and starts to undelegate some.
    let redelegate =
        StakingMsg::Redelegate { delegator: me.address, src: bad, dst: other, amount: usalus(20 * MILLION) };
    assert_code(&chain.exec(&me, redelegate.to_any()), "", 0);
    let moved_at = chain.height;
    let red = chain.snapshot().redelegation(&me.address, &bad, &other).unwrap().expect("the move is recorded");
    assert_eq!(red.entries.len(), 1);
    let entry = &red.entries[0];
    assert_eq!(entry.creation_height, moved_at);
    assert_eq!(entry.completion_time, v.unbonding_time, "it completes when the validator's unbonding does");
    let moved = entry.initial_balance;
    assert!(moved >= 20 * MILLION);
    assert_eq!(chain.delegated(&me.address, &other), moved);

    // The moved stake cannot hop on at once.
    let hop = StakingMsg::Redelegate { delegator: me.address, src: other, dst: third, amount: usalus(5 * MILLION) };
    assert_code(&chain.exec(&me, hop.to_any()), "staking", 30);

    let undelegate = StakingMsg::Undelegate { delegator: me.address, validator: bad, amount: usalus(5 * MILLION) };
    assert_code(&chain.exec(&me, undelegate.to_any()), "", 0);
    let unbonding = chain.unbonding(&me.address, &bad).expect("an unbonding entry").entries;
    assert_eq!(unbonding.len(), 1);
    assert_eq!(unbonding[0].completion_time, v.unbonding_time, "same rule as a redelegation");
    let unbonding_balance = unbonding[0].balance;

    // The evidence arrives: the moved stake and the unbonding entry pay 5% of what they carried.
    chain.evidence.push(Misbehavior {
        cons_address: cons,
        height: infraction,
        time: Time { secs: TestChain::time(infraction).unix_timestamp(), nanos: 0 },
        power,
    });
    chain.block(Vec::new());
    assert!(chain.signing_info(&cons).tombstoned);
    let left = chain.delegated(&me.address, &other);
    let expected = moved - moved * 5 / 100;
    assert!(left.abs_diff(expected) <= 1, "the moved stake was slashed 5%: {left}, expected {expected}");
    let unbonding = chain.unbonding(&me.address, &bad).unwrap().entries;
    assert_eq!(unbonding[0].balance, unbonding_balance - unbonding_balance * 5 / 100);

    // Until the validator's unbonding completes the stake stays put; then it may move again.
    assert_code(&chain.exec(&me, hop.to_any()), "staking", 30);
}

#[test]
fn a_redelegation_from_an_unbonded_validator_completes_at_once() {
    let Setup { mut chain, me, bad, other, third, cons } = setup(Some(5));
    chain.absent.insert(cons);
    for _ in 0..30 {
        chain.block(Vec::new());
        if chain.validator(&bad).jailed {
            break;
        }
    }
    chain.absent.clear();
    chain.blocks(8);
    assert_eq!(chain.validator(&bad).status, BondStatus::Unbonded);

    let redelegate =
        StakingMsg::Redelegate { delegator: me.address, src: bad, dst: other, amount: usalus(10 * MILLION) };
    assert_code(&chain.exec(&me, redelegate.to_any()), "", 0);
    assert!(chain.snapshot().redelegation(&me.address, &bad, &other).unwrap().is_none(), "nothing to record");
    let hop = StakingMsg::Redelegate { delegator: me.address, src: other, dst: third, amount: usalus(5 * MILLION) };
    assert_code(&chain.exec(&me, hop.to_any()), "", 0);
    // From a bonded source the hop is recorded for the whole unbonding time.
    let red = chain.snapshot().redelegation(&me.address, &other, &third).unwrap().expect("recorded");
    assert_eq!(
        red.entries[0].completion_time,
        Time { secs: TestChain::time(chain.height).unix_timestamp() + 5, nanos: 0 }
    );
}
