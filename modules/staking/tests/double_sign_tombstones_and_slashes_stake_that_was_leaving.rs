//! Double-sign evidence slashes the validator at the infraction height, jails it for good and
//! tombstones it; unbonding delegations and redelegations that began after the infraction are
//! slashed too, those that began before are not.

use salus_sdk::Msg;
use salus_staking::{Misbehavior, StakingMsg};
use salus_testkit::*;

const MILLION: u128 = 1_000_000;

#[test]
fn evidence_slashes_the_validator_and_the_stake_that_left_after_the_infraction() {
    let vals: Vec<_> = (11..14).map(|n| GenesisValidator::new(n, 100 * MILLION)).collect();
    let mut chain =
        TestChain::with_genesis(&staking_genesis(&[(&key(1), 1_000 * MILLION)], &vals, serde_json::json!({})));
    let (bad, other) = (vals[0].operator.address, vals[1].operator.address);
    let me = key(1);
    let undelegate = StakingMsg::Undelegate { delegator: me.address, validator: bad, amount: usalus(10 * MILLION) };
    assert_code(
        &chain.exec(
            &me,
            StakingMsg::Delegate { delegator: me.address, validator: bad, amount: usalus(40 * MILLION) }.to_any(),
        ),
        "",
        0,
    );
    assert_code(&chain.exec(&me, undelegate.to_any()), "", 0); // before the infraction: safe

    chain.blocks(2);
    let infraction = chain.height + 1;
    let power = chain.comet_power(&vals[0].cons_address());
    assert_eq!(power, 130);
    chain.blocks(2);
    assert_code(&chain.exec(&me, undelegate.to_any()), "", 0); // after: slashable
    let redelegate =
        StakingMsg::Redelegate { delegator: me.address, src: bad, dst: other, amount: usalus(10 * MILLION) };
    assert_code(&chain.exec(&me, redelegate.to_any()), "", 0);
    let tokens_before = chain.validator(&bad).tokens;

    chain.evidence.push(Misbehavior {
        cons_address: vals[0].cons_address(),
        height: infraction,
        time: salus_staking::types::Time { secs: TestChain::time(infraction).unix_timestamp(), nanos: 0 },
        power,
    });
    chain.block(Vec::new());

    // 5% of the 130 power at the infraction: 6.5M, of which 0.5M from the unbonding that began
    // after it and 0.5M from the redelegation; the validator pays the rest.
    let entries = chain.unbonding(&me.address, &bad).unwrap().entries;
    assert_eq!(entries.iter().map(|e| e.balance).collect::<Vec<_>>(), vec![10 * MILLION, 9_500_000]);
    assert_eq!(chain.delegated(&me.address, &other), 9_500_000);
    assert_eq!(chain.validator(&bad).tokens, tokens_before - 5_500_000);
    let v = chain.validator(&bad);
    assert!(v.jailed);
    let info = chain.signing_info(&vals[0].cons_address());
    assert!(info.tombstoned);
    let slash = chain.block_events.iter().find(|e| e.get("reason") == Some("double_sign")).expect("a slash event");
    assert_eq!(slash.get("burned_coins"), Some("6500000"));

    // Tombstoned: never unjailed, and the same evidence again changes nothing.
    chain.blocks(3);
    let unjail = StakingMsg::Unjail { operator: bad };
    assert_code(&chain.exec(&vals[0].operator, unjail.to_any()), "slashing", 9);
    let tokens = chain.validator(&bad).tokens;
    chain.evidence.push(Misbehavior {
        cons_address: vals[0].cons_address(),
        height: infraction,
        time: salus_staking::types::Time::default(),
        power,
    });
    chain.block(Vec::new());
    assert_eq!(chain.validator(&bad).tokens, tokens);
    assert!(unjail.validate_basic().is_ok());
}
