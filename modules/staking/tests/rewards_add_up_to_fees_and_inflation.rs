//! Fees and inflation are shared by voting power, commission first; equal shares earn equal
//! rewards; withdrawals pay whole units exactly and every unit is accounted for: paid, owed, or in
//! the community pool.

use salus_staking::StakingMsg;
use salus_testkit::*;
use salus_token::TokenRead;

const MILLION: u128 = 1_000_000;

#[test]
fn rewards_are_shared_by_power_and_stake_and_add_up_to_what_was_collected() {
    // Two validators of equal stake, each charging 10% commission.
    let vals: Vec<_> = (11..13).map(|n| GenesisValidator::new(n, 100 * MILLION)).collect();
    let params = serde_json::json!({
        "distribution": { "params": { "community_tax": "0.02", "inflation_rate": "0.10",
            "blocks_per_year": 1000, "withdraw_addr_enabled": true } }
    });
    let (alice, bob) = (key(1), key(2));
    let genesis = staking_genesis(&[(&alice, 1_000 * MILLION), (&bob, 1_000 * MILLION)], &vals, params);
    let mut chain = TestChain::with_genesis(&genesis);
    let (v1, v2) = (vals[0].operator.address, vals[1].operator.address);
    let supply_at_genesis = chain.snapshot().supply("usalus").unwrap();

    // Alice delegates as much as v1's operator, so both hold the same shares of v1.
    let out = chain.exec(
        &alice,
        StakingMsg::Delegate { delegator: alice.address, validator: v1, amount: usalus(100 * MILLION) }.to_any(),
    );
    assert_code(&out, "", 0);
    // Settle v1's operator now too, so both accumulate from the same block on.
    let settle = StakingMsg::WithdrawReward { delegator: v1, validator: v1 };
    assert_code(&chain.exec(&vals[0].operator, settle.to_any()), "", 0);
    let start = chain.height;

    // Blocks with fees from bob's transfers.
    for _ in 0..10 {
        let spec = chain.spec(&bob);
        let tx = sign(&bob, vec![send_msg(&bob.address, &alice.address, "1")], &spec);
        chain.block(vec![tx]);
    }
    assert!(chain.height > start);
    let alice_owed = chain.pending_rewards(&alice.address, &v1);
    let operator_owed = chain.pending_rewards(&v1, &v1);
    // Equal shares earn equally; alice started one block earlier (she settled when she delegated,
    // the operator a block later), so she is ahead by exactly that block's share.
    assert!(!operator_owed.is_zero());
    assert!(
        alice_owed > operator_owed
            && alice_owed.checked_sub(operator_owed).unwrap() < alice_owed.mul_ratio(1, 10).unwrap(),
        "{alice_owed} vs {operator_owed}"
    );
    assert!(!chain.pending_rewards(&v2, &v2).is_zero(), "v2's operator earns too");

    // A withdrawal pays exactly the whole part of what is owed.
    let before = chain.balance(&alice.address);
    let owed_now = chain.pending_rewards(&alice.address, &v1);
    let out = chain.exec(&alice, StakingMsg::WithdrawReward { delegator: alice.address, validator: v1 }.to_any());
    assert_code(&out, "", 0);
    let paid: u128 = out
        .events
        .iter()
        .find(|e| e.kind == "withdraw_rewards")
        .and_then(|e| e.get("amount"))
        .map(|a| a.trim_end_matches("usalus").parse().unwrap())
        .unwrap();
    assert!(paid >= owed_now.truncate(), "paid {paid}, owed {owed_now} before the block's own rewards");
    assert_eq!(chain.balance(&alice.address), before - 600 + paid);
    assert!(chain.pending_rewards(&alice.address, &v1).is_zero());

    // Commission: the operator withdraws whole units; the fraction stays for later.
    let out = chain.exec(&vals[0].operator, StakingMsg::WithdrawCommission { operator: v1 }.to_any());
    assert_code(&out, "", 0);
    let again = chain.exec(&vals[1].operator, StakingMsg::WithdrawCommission { operator: v1 }.to_any());
    assert_code(&again, "sdk", 8); // only the operator's key signs for its commission

    // Everything minted is accounted for: supply grew by exactly the minted amounts (checked each
    // block), and the distribution account holds exactly what is owed plus the community pool
    // (an invariant checked each block). The community pool got at least its tax.
    let supply = chain.snapshot().supply("usalus").unwrap();
    let minted = supply - supply_at_genesis;
    assert!(minted > 0);
    let pool = salus_staking::StakingRead::community_pool(&chain.snapshot()).unwrap().amount_of("usalus");
    assert!(pool.truncate() >= minted * 2 / 100, "community pool {pool} < 2% of {minted}");
}

#[test]
fn a_withdraw_address_receives_the_rewards_and_anyone_can_fund_the_community_pool() {
    let vals = vec![GenesisValidator::new(11, 100 * MILLION)];
    let alice = key(1);
    let mut chain =
        TestChain::with_genesis(&staking_genesis(&[(&alice, 1_000 * MILLION)], &vals, serde_json::json!({})));
    let v1 = vals[0].operator.address;
    let savings = key(9).address;
    assert_code(
        &chain.exec(
            &alice,
            StakingMsg::Delegate { delegator: alice.address, validator: v1, amount: usalus(50 * MILLION) }.to_any(),
        ),
        "",
        0,
    );
    let set = StakingMsg::SetWithdrawAddress { delegator: alice.address, withdraw_address: savings };
    let out = chain.exec(&alice, set.to_any());
    assert_code(&out, "", 0);
    assert!(out.events.iter().any(|e| e.kind == "set_withdraw_address"));
    let module = salus_staking::state::bonded_pool();
    let refused = StakingMsg::SetWithdrawAddress { delegator: alice.address, withdraw_address: module };
    assert_code(&chain.exec(&alice, refused.to_any()), "sdk", 4);

    chain.blocks(3);
    let before = chain.balance(&alice.address);
    let out = chain.exec(&alice, StakingMsg::WithdrawReward { delegator: alice.address, validator: v1 }.to_any());
    assert_code(&out, "", 0);
    assert!(chain.balance(&savings) > 0, "rewards went to the withdraw address");
    assert_eq!(chain.balance(&alice.address), before - 600, "alice paid only the fee");

    let pool = |c: &TestChain| salus_staking::StakingRead::community_pool(&c.snapshot()).unwrap().amount_of("usalus");
    let before = pool(&chain);
    let fund = StakingMsg::FundCommunityPool { depositor: alice.address, amount: "7000000usalus".parse().unwrap() };
    assert_code(&chain.exec(&alice, fund.to_any()), "", 0);
    assert!(pool(&chain).truncate() >= before.truncate() + 7 * MILLION);
}
