//! A consensus key that double-signed stays tombstoned for good: once its validator has unbonded
//! and been removed, a new `MsgCreateValidator` with the same key (from its old operator or anyone
//! else) is refused, and nothing changes but the fee and the sequence. A key another validator
//! uses is refused too.

use salus_staking::types::{consensus_address, Time};
use salus_staking::{Misbehavior, StakingMsg, StakingRead};
use salus_testkit::*;

const MILLION: u128 = 1_000_000;

#[test]
fn a_tombstoned_key_is_refused_after_its_validator_is_removed() {
    let vals: Vec<_> = (11..14).map(|n| GenesisValidator::new(n, 100 * MILLION)).collect();
    let params = serde_json::json!({ "staking": { "params": { "unbonding_time_secs": 10 } } });
    let newcomer = key(1);
    let mut chain = TestChain::with_genesis(&staking_genesis(&[(&newcomer, 1_000 * MILLION)], &vals, params));
    let bad = &vals[0];
    let (op, cons) = (bad.operator.address, bad.cons_address());

    chain.blocks(2);
    let infraction = chain.height;
    let power = chain.comet_power(&cons);
    chain.evidence.push(Misbehavior {
        cons_address: cons,
        height: infraction,
        time: Time { secs: TestChain::time(infraction).unix_timestamp(), nanos: 0 },
        power,
    });
    chain.block(Vec::new());
    assert!(chain.signing_info(&cons).tombstoned);

    // The operator takes its whole stake out; once the validator has unbonded it is removed.
    let all = chain.delegated(&op, &op);
    let undelegate = StakingMsg::Undelegate { delegator: op, validator: op, amount: usalus(all) };
    assert_code(&chain.exec(&bad.operator, undelegate.to_any()), "", 0);
    chain.blocks(12);
    assert!(chain.snapshot().validator(&op).unwrap().is_none(), "the validator was removed");
    assert!(chain.snapshot().validator_by_cons(&cons).unwrap().is_none());
    let info_before = chain.signing_info(&cons);
    assert!(info_before.tombstoned, "the signing info outlives the validator");

    // The same key again, from its old operator and from someone else: refused, nothing changes.
    for who in [&bad.operator, &newcomer] {
        let (balance, (_, sequence)) = (chain.balance(&who.address), chain.account(&who.address).unwrap());
        let out = chain.exec(who, create_validator_msg(who, &bad.consensus, 10 * MILLION));
        assert_code(&out, "slashing", 9);
        assert!(out.log.contains("tombstoned"), "{}", out.log);
        assert!(chain.snapshot().validator(&who.address).unwrap().is_none());
        assert!(chain.snapshot().validator_by_cons(&cons).unwrap().is_none());
        assert_eq!(chain.signing_info(&cons), info_before, "the tombstone is kept");
        assert_eq!(chain.balance(&who.address), balance - 600, "only the fee was paid");
        assert_eq!(chain.account(&who.address).unwrap().1, sequence + 1, "the sequence moved on");
    }

    // A key in use by another validator is refused too; a fresh key is welcome.
    let taken = create_validator_msg(&newcomer, &vals[1].consensus, 10 * MILLION);
    assert_code(&chain.exec(&newcomer, taken), "staking", 5);
    let fresh = consensus_key(50);
    assert_code(&chain.exec(&newcomer, create_validator_msg(&newcomer, &fresh, 10 * MILLION)), "", 0);
    let created = chain.validator(&newcomer.address);
    assert_eq!(consensus_address(&created.consensus_pubkey), consensus_address(&fresh.verification_key().to_bytes()));
}
