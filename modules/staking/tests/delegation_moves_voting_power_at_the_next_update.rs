//! Delegation moves voting power at the end of the block, and CometBFT uses it two heights later;
//! the top `max_validators` by power make the set; undelegated funds arrive after the unbonding
//! period; unbonding can be cancelled; redelegation moves stake at once but not transitively.

use salus_sdk::{Address, Msg};
use salus_staking::types::BondStatus;
use salus_staking::StakingMsg;
use salus_testkit::*;

const MILLION: u128 = 1_000_000;

fn chain() -> (TestChain, Vec<GenesisValidator>) {
    let vals = vec![GenesisValidator::new(11, 100 * MILLION), GenesisValidator::new(12, 50 * MILLION)];
    let params = serde_json::json!({
        "staking": { "params": { "unbonding_time_secs": 10, "max_validators": 2, "max_entries": 7,
            "historical_entries": 100, "bond_denom": "usalus", "min_commission_rate": "0" } }
    });
    let genesis = staking_genesis(&[(&key(1), 1_000 * MILLION), (&key(5), 1_000 * MILLION)], &vals, params);
    (TestChain::with_genesis(&genesis), vals)
}

fn delegate(del: &Address, val: &Address, amount: u128) -> salus_proto::Any {
    StakingMsg::Delegate { delegator: *del, validator: *val, amount: usalus(amount) }.to_any()
}

#[test]
fn delegation_changes_power_two_heights_later_and_the_weakest_leaves_a_full_set() {
    let (mut chain, vals) = chain();
    let (v1, v2) = (&vals[0], &vals[1]);
    assert_eq!(chain.set_at(1).len(), 2);
    chain.blocks(2);

    let out = chain.exec(&key(1), delegate(&key(1).address, &v2.operator.address, 60 * MILLION));
    assert_code(&out, "", 0);
    let h = chain.height;
    let update = chain.updates.iter().find(|u| u.pubkey == v2.consensus.verification_key().to_bytes());
    assert_eq!(update.map(|u| u.power), Some(110), "the delegation is in this block's validator updates");
    assert_eq!(chain.set_at(h + 1).iter().find(|(c, _)| *c == v2.cons_address()).unwrap().1, 50);
    assert_eq!(chain.set_at(h + 2).iter().find(|(c, _)| *c == v2.cons_address()).unwrap().1, 110);

    // A third, stronger validator joins by tx; with max_validators = 2 the weakest (v1) leaves.
    let joiner = key(5);
    let out = chain.exec(&joiner, create_validator_msg(&joiner, &consensus_key(5), 200 * MILLION));
    assert_code(&out, "", 0);
    let set = chain.set_at(chain.height + 2);
    assert_eq!(set.len(), 2);
    assert!(set.iter().all(|(c, _)| *c != v1.cons_address()), "v1 left the set: {set:?}");
    assert_eq!(chain.validator(&v1.operator.address).status, BondStatus::Unbonding);
    assert_eq!(chain.validator(&joiner.address).status, BondStatus::Bonded);

    // A validator that joins with too little stake for consensus power stays out, unbonded.
    let small = key(1);
    let out = chain.exec(&small, create_validator_msg(&small, &consensus_key(1), MILLION / 2));
    assert_code(&out, "", 0);
    assert_eq!(chain.validator(&small.address).status, BondStatus::Unbonded);

    // After the unbonding period the left validator is unbonded (its stake stays delegated).
    chain.blocks(11);
    assert_eq!(chain.validator(&v1.operator.address).status, BondStatus::Unbonded);
}

#[test]
fn undelegated_funds_arrive_after_the_unbonding_period_and_cancelling_returns_them_to_stake() {
    let (mut chain, vals) = chain();
    let v2 = vals[1].operator.address;
    let me = key(1);
    assert_code(&chain.exec(&me, delegate(&me.address, &v2, 60 * MILLION)), "", 0);

    let out = chain.exec(
        &me,
        StakingMsg::Undelegate { delegator: me.address, validator: v2, amount: usalus(30 * MILLION) }.to_any(),
    );
    assert_code(&out, "", 0);
    let unbond = out.events.iter().find(|e| e.kind == "unbond").expect("an unbond event");
    assert_eq!(unbond.get("amount"), Some("30000000usalus"));
    let started = chain.height;
    assert_eq!(chain.delegated(&me.address, &v2), 30 * MILLION);

    // Another unbonding, partly cancelled.
    let out = chain.exec(
        &me,
        StakingMsg::Undelegate { delegator: me.address, validator: v2, amount: usalus(10 * MILLION) }.to_any(),
    );
    assert_code(&out, "", 0);
    let second = chain.height;
    let cancel = StakingMsg::CancelUnbonding {
        delegator: me.address,
        validator: v2,
        amount: usalus(4 * MILLION),
        creation_height: second,
    };
    assert_code(&chain.exec(&me, cancel.to_any()), "", 0);
    assert_eq!(chain.delegated(&me.address, &v2), 24 * MILLION);
    let entries = chain.unbonding(&me.address, &v2).unwrap().entries;
    assert_eq!(entries.iter().map(|e| e.balance).collect::<Vec<_>>(), vec![30 * MILLION, 6 * MILLION]);
    let too_much = StakingMsg::CancelUnbonding {
        delegator: me.address,
        validator: v2,
        amount: usalus(7 * MILLION),
        creation_height: second,
    };
    assert_code(&chain.exec(&me, too_much.to_any()), "staking", 35);
    let balance = chain.balance(&me.address);

    // Nothing arrives early; everything arrives once the period has passed.
    while chain.height < started + 9 {
        chain.block(Vec::new());
    }
    assert_eq!(chain.balance(&me.address), balance);
    chain.blocks(5);
    assert_eq!(chain.balance(&me.address), balance + 36 * MILLION);
    assert!(chain.unbonding(&me.address, &v2).is_none());
}

#[test]
fn redelegation_moves_stake_at_once_but_not_onward_while_in_flight() {
    let (mut chain, vals) = chain();
    let (v1, v2) = (vals[0].operator.address, vals[1].operator.address);
    let me = key(1);
    assert_code(&chain.exec(&me, delegate(&me.address, &v1, 40 * MILLION)), "", 0);
    let out = chain.exec(
        &me,
        StakingMsg::Redelegate { delegator: me.address, src: v1, dst: v2, amount: usalus(15 * MILLION) }.to_any(),
    );
    assert_code(&out, "", 0);
    assert_eq!(chain.delegated(&me.address, &v1), 25 * MILLION);
    assert_eq!(chain.delegated(&me.address, &v2), 15 * MILLION);
    assert_eq!(chain.validator(&v2).tokens, 65 * MILLION);

    let onward = StakingMsg::Redelegate { delegator: me.address, src: v2, dst: v1, amount: usalus(MILLION) };
    assert_code(&chain.exec(&me, onward.to_any()), "staking", 30);
    let to_self = StakingMsg::Redelegate { delegator: me.address, src: v1, dst: v1, amount: usalus(MILLION) };
    assert_eq!(to_self.validate_basic().unwrap_err().code, 33);
    let too_much = StakingMsg::Undelegate { delegator: me.address, validator: v1, amount: usalus(26 * MILLION) };
    assert_code(&chain.exec(&me, too_much.to_any()), "staking", 22);

    // Once the redelegation completes, the stake may move on.
    chain.blocks(11);
    assert_code(&chain.exec(&me, onward.to_any()), "", 0);
}

#[test]
fn an_operator_below_its_minimum_self_delegation_is_jailed_until_it_tops_up() {
    let (mut chain, vals) = chain();
    let v1 = &vals[0];
    let op = v1.operator.address;
    let raise = StakingMsg::EditValidator {
        operator: op,
        description: salus_staking::types::Description {
            moniker: salus_staking::msgs::DO_NOT_MODIFY.into(),
            identity: salus_staking::msgs::DO_NOT_MODIFY.into(),
            website: salus_staking::msgs::DO_NOT_MODIFY.into(),
            security_contact: salus_staking::msgs::DO_NOT_MODIFY.into(),
            details: salus_staking::msgs::DO_NOT_MODIFY.into(),
        },
        commission_rate: None,
        min_self_delegation: Some(85 * MILLION),
    };
    assert_code(&chain.exec(&v1.operator, raise.to_any()), "", 0);
    let v = chain.validator(&op);
    assert_eq!((v.min_self_delegation, v.description.moniker.as_str()), (85 * MILLION, "v-k11"));

    let out = chain.exec(
        &v1.operator,
        StakingMsg::Undelegate { delegator: op, validator: op, amount: usalus(20 * MILLION) }.to_any(),
    );
    assert_code(&out, "", 0);
    assert!(chain.validator(&op).jailed, "80M self-delegation is below the 85M minimum");
    let gone = chain.updates.iter().find(|u| u.pubkey == v1.consensus.verification_key().to_bytes());
    assert_eq!(gone.map(|u| u.power), Some(0));

    let unjail = StakingMsg::Unjail { operator: op };
    assert_code(&chain.exec(&v1.operator, unjail.to_any()), "slashing", 7);
    let top_up = StakingMsg::Delegate { delegator: op, validator: op, amount: usalus(5 * MILLION) };
    assert_code(&chain.exec(&v1.operator, top_up.to_any()), "", 0);
    let cancel = StakingMsg::CancelUnbonding {
        delegator: op,
        validator: op,
        amount: usalus(MILLION),
        creation_height: chain.height - 1,
    };
    assert_code(&chain.exec(&v1.operator, cancel.to_any()), "staking", 7); // not while jailed
    assert_code(&chain.exec(&v1.operator, unjail.to_any()), "", 0);
    assert!(!chain.validator(&op).jailed);
}
