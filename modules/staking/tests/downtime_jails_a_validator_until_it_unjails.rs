//! A validator that misses too many of the signed-blocks window is slashed, jailed and leaves the
//! set; it cannot unjail before the jail time, and returns to the set when it does.

use salus_sdk::Msg;
use salus_staking::StakingMsg;
use salus_testkit::*;

const MILLION: u128 = 1_000_000;

#[test]
fn a_silent_validator_is_jailed_slashed_and_returns_after_unjail() {
    let vals: Vec<_> = (11..14).map(|n| GenesisValidator::new(n, 100 * MILLION)).collect();
    let params = serde_json::json!({
        "slashing": { "params": { "signed_blocks_window": 10, "min_signed_per_window": "0.5",
            "downtime_jail_duration_secs": 5, "slash_fraction_double_sign": "0.05", "slash_fraction_downtime": "0.01" } }
    });
    let mut chain = TestChain::with_genesis(&staking_genesis(&[(&key(1), 1_000 * MILLION)], &vals, params));
    let silent = &vals[2];
    let cons = silent.cons_address();
    let op = silent.operator.address;
    chain.absent.insert(cons);

    // Missing is counted but tolerated until more than half the window is missed past the window.
    let mut jailed_at = None;
    for _ in 0..20 {
        chain.block(Vec::new());
        if chain.validator(&op).jailed {
            jailed_at = Some(chain.height);
            break;
        }
        assert!(chain.block_events.iter().any(|e| e.kind == "liveness") || chain.height < 2);
    }
    let jailed_at = jailed_at.expect("jailed within 20 blocks");
    assert!(jailed_at > 10, "not before the window has passed (jailed at {jailed_at})");
    let v = chain.validator(&op);
    assert_eq!(v.tokens, 99 * MILLION, "1% of its 100 power was burned");
    let slash = chain.block_events.iter().find(|e| e.kind == "slash" && e.get("reason").is_some()).unwrap();
    assert_eq!(slash.get("reason"), Some("missing_signature"));
    assert_eq!(slash.get("burned_coins"), Some("1000000"));
    let leave = chain.updates.iter().find(|u| u.pubkey == silent.consensus.verification_key().to_bytes());
    assert_eq!(leave.map(|u| u.power), Some(0), "the jailed validator leaves the set in the same block");
    let info = chain.signing_info(&cons);
    assert_eq!(info.missed_blocks_counter, 0, "the counter restarts after jailing");
    assert!(!info.tombstoned);

    // Too early to unjail, then it may; it signs again and comes back with its remaining power.
    let unjail = StakingMsg::Unjail { operator: op };
    assert_code(&chain.exec(&silent.operator, unjail.to_any()), "slashing", 10);
    chain.absent.clear();
    chain.blocks(5);
    // The mempool judges the jail time by the last block's time, as the block will.
    let spec = chain.staking_spec(&silent.operator);
    let tx = sign(&silent.operator, vec![unjail.to_any()], &spec);
    assert_code(&chain.app.check_tx(&tx, false), "", 0);
    assert_code(&chain.block(vec![tx]).remove(0), "", 0);
    assert!(!chain.validator(&op).jailed);
    let back = chain.updates.iter().find(|u| u.pubkey == silent.consensus.verification_key().to_bytes());
    assert_eq!(back.map(|u| u.power), Some(99));
    assert_code(&chain.exec(&silent.operator, unjail.to_any()), "slashing", 5);
    // Someone else cannot unjail it: the message is signed by the operator or refused.
    assert_eq!(unjail.signers(), vec![op]);
}
