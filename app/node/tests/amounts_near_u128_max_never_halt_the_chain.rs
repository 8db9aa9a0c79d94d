//! No amount a user can choose stops the chain. A fee of `u128::MAX / 2` base units of an
//! 18-decimal denom is shared out by the next block's rewards, a community-pool deposit of as
//! much is accepted, rewards and commission of that size are paid, and every block after
//! finalizes and commits with the supply and distribution invariants holding (checked by the
//! driver after every block). Inflation of a bond denom whose supply is near `u128::MAX` mints only
//! what still fits.

mod support;

use salus_node::keyring::Key;
use salus_staking::state::distribution_account;
use salus_staking::{StakingMsg, StakingRead};
use salus_token::TokenRead;
use serde_json::json;
use support::*;

const MILLION: u128 = 1_000_000;
const HALF: u128 = u128::MAX / 2;

/// A genesis where `whale` also holds `extra` (coins JSON) and `aeth` is described as 18 decimals.
fn genesis_with(
    whale: &Key,
    usalus: u128,
    extra: serde_json::Value,
    vals: &[GenesisValidator],
    params: serde_json::Value,
) -> String {
    let mut genesis: serde_json::Value =
        serde_json::from_str(&staking_genesis(&[(whale, usalus)], vals, params)).unwrap();
    let balances = genesis["token"]["balances"].as_array_mut().unwrap();
    let entry = balances.iter_mut().find(|b| b["address"] == whale.address.to_string()).unwrap();
    let coins = entry["coins"].as_array_mut().unwrap();
    for c in extra.as_array().unwrap() {
        coins.insert(0, c.clone());
    }
    genesis["token"]["denom_metadata"] = json!([{
        "base": "aeth", "display": "eth",
        "denom_units": [{ "denom": "aeth", "exponent": 0 }, { "denom": "eth", "exponent": 18 }]
    }]);
    genesis.to_string()
}

fn aeth(chain: &TestChain, who: &salus_sdk::Address) -> u128 {
    chain.snapshot().balance(who, "aeth").unwrap()
}

#[test]
fn a_fee_and_a_deposit_of_half_of_u128_are_distributed_and_the_chain_goes_on() {
    let vals: Vec<_> = (11..13).map(|n| GenesisValidator::new(n, 100 * MILLION)).collect();
    let whale = key(1);
    let extra = json!([{ "denom": "aeth", "amount": u128::MAX.to_string() }]);
    let mut chain = TestChain::with_genesis(&genesis_with(&whale, 1_000 * MILLION, extra, &vals, json!({})));
    let (v1, v2) = (vals[0].operator.address, vals[1].operator.address);

    // A transfer whose fee carries half of u128 in aeth.
    let mut spec = chain.spec(&whale);
    spec.fee = format!("{HALF}aeth,200usalus").parse().unwrap();
    let tx = sign(&whale, vec![send_msg(&whale.address, &key(2).address, "1")], &spec);
    assert_code(&chain.block(vec![tx]).remove(0), "", 0);

    // The next block's begin-block shares it out (this used to overflow and halt every node).
    chain.block(Vec::new());
    assert_eq!(aeth(&chain, &distribution_account()), HALF, "the whole fee reached the distribution account");
    let pool = chain.snapshot().community_pool().unwrap().amount_of("aeth");
    assert!(pool.truncate() >= HALF / 50, "the community tax (2%) went to the pool: {pool}");
    for v in [v1, v2] {
        let r = chain.snapshot().validator_rewards(&v).unwrap();
        assert!(r.outstanding.amount_of("aeth").truncate() > HALF / 3, "{v} got its share: {:?}", r.outstanding);
        assert!(!r.reward_per_share.amount_of("aeth").is_zero());
    }

    // A deposit of as much again into the community pool.
    let fund =
        StakingMsg::FundCommunityPool { depositor: whale.address, amount: format!("{HALF}aeth").parse().unwrap() };
    assert_code(&chain.exec(&whale, fund.to_any()), "", 0);
    let pool_after = chain.snapshot().community_pool().unwrap().amount_of("aeth");
    assert!(pool_after.truncate() >= pool.truncate() + HALF, "{pool_after} holds the deposit");
    assert_eq!(aeth(&chain, &distribution_account()), 2 * HALF);

    // Rewards and commission of that size are paid in whole units.
    let withdraw = StakingMsg::WithdrawReward { delegator: v1, validator: v1 };
    assert_code(&chain.exec(&vals[0].operator, withdraw.to_any()), "", 0);
    let commission = StakingMsg::WithdrawCommission { operator: v1 };
    assert_code(&chain.exec(&vals[0].operator, commission.to_any()), "", 0);
    let paid = aeth(&chain, &v1);
    assert!(paid > HALF / 3, "v1's operator was paid its rewards and commission: {paid}");

    // More blocks: rewards keep flowing, every invariant holds, and no aeth was made or lost.
    chain.blocks(3);
    let snap = chain.snapshot();
    assert_eq!(snap.supply("aeth").unwrap(), u128::MAX);
    let held = [whale.address, distribution_account(), v1, v2].iter().map(|a| aeth(&chain, a)).sum::<u128>();
    assert_eq!(held, u128::MAX, "every aeth is with the whale, the distribution account or an operator");
}

#[test]
fn inflation_on_a_bond_denom_supply_near_u128_max_mints_only_what_fits() {
    let vals: Vec<_> = (11..13).map(|n| GenesisValidator::new(n, 100 * MILLION)).collect();
    let whale = key(1);
    let staked = 2 * (100 * MILLION + OPERATOR_SPARE);
    // 10% a year in one block per year: each block would mint a tenth of the supply.
    let params = json!({ "distribution": { "params": { "community_tax": "0.02", "inflation_rate": "0.10",
        "blocks_per_year": 1, "withdraw_addr_enabled": true } } });
    let genesis = genesis_with(&whale, u128::MAX - staked - 1_000, json!([]), &vals, params);
    let mut chain = TestChain::with_genesis(&genesis);
    chain.blocks(3);
    assert_eq!(chain.snapshot().supply("usalus").unwrap(), u128::MAX, "minted up to the limit, no further");
    let pool = chain.snapshot().community_pool().unwrap().amount_of("usalus");
    assert!(!pool.is_zero());
}
