//! `salusd genesis export` in process: a chain with transfers, delegations, an unbonding, a
//! redelegation, a withdraw address, rewards, missed blocks and a DID with two versions is
//! exported; a second chain started from the export holds the same balances, accounts,
//! validators, delegations, unbondings, redelegations, rewards and DIDs, answers queries alike,
//! exports to the same genesis again, and goes on: the same transfer applies on both, and the
//! exported unbonding matures on the new chain. Genesis files whose sections disagree are refused
//! with an error that names what is wrong, and no odd value in any one field makes init panic.

mod support;

use prost::Message;
use salus_did::proof::{sign_bytes, Proof};
use salus_did::state::Operation;
use salus_did::{cli, Did, DidMsg, DidRead, PublicKey};
use salus_node::app::genesis::AppGenesis;
use salus_node::app::params::BlockLimits;
use salus_proto::salus::did::v1 as pb;
use salus_sdk::auth::AuthRead;
use salus_sdk::Address;
use salus_staking::types::{UnbondingDelegation, Validator};
use salus_staking::{StakingMsg, StakingRead};
use support::*;

const MILLION: u128 = 1_000_000;

struct Built {
    chain: TestChain,
    vals: Vec<GenesisValidator>,
    did: Did,
}

fn build() -> Built {
    let vals: Vec<_> = (11..14).map(|n| GenesisValidator::new(n, 100 * MILLION)).collect();
    let params = serde_json::json!({
        "staking": { "params": { "unbonding_time_secs": 60 } },
        "slashing": { "params": { "signed_blocks_window": 10, "min_signed_per_window": "0.5" } }
    });
    let (alice, bob, carol) = (key(1), key(2), key(3));
    let genesis = staking_genesis(&[(&alice, 1_000 * MILLION), (&bob, 1_000 * MILLION)], &vals, params);
    let mut chain = TestChain::with_genesis(&genesis);
    chain.blocks(2);

    let send = sign(&alice, vec![send_msg(&alice.address, &carol.address, "5000000")], &chain.spec(&alice));
    assert!(chain.block(vec![send])[0].is_ok());
    let (v0, v1, v2) = (vals[0].operator.address, vals[1].operator.address, vals[2].operator.address);
    let ok = |o: salus_node::app::pipeline::TxOutcome| assert_code(&o, "", 0);
    ok(chain.exec(
        &alice,
        StakingMsg::Delegate { delegator: alice.address, validator: v0, amount: usalus(40 * MILLION) }.to_any(),
    ));
    ok(chain.exec(
        &bob,
        StakingMsg::Delegate { delegator: bob.address, validator: v1, amount: usalus(30 * MILLION) }.to_any(),
    ));
    ok(chain.exec(
        &alice,
        StakingMsg::Undelegate { delegator: alice.address, validator: v0, amount: usalus(10 * MILLION) }.to_any(),
    ));
    ok(chain.exec(
        &bob,
        StakingMsg::Redelegate { delegator: bob.address, src: v1, dst: v2, amount: usalus(10 * MILLION) }.to_any(),
    ));
    ok(chain.exec(
        &bob,
        StakingMsg::SetWithdrawAddress { delegator: bob.address, withdraw_address: carol.address }.to_any(),
    ));

    // A DID, created and then updated: two versions.
    let sk = ed25519_consensus::SigningKey::from([42; 32]);
    let pk = PublicKey::Ed25519(sk.verification_key().to_bytes());
    let did = Did::from_key(&pk);
    let doc = cli::new_document(&pk, false, &[], &[]).unwrap();
    let vm = did.url("key-1");
    let proof = |op, version, hash| Proof {
        verification_method: vm.clone(),
        signature: sk.sign(&sign_bytes(op, CHAIN_ID, &did, version, hash, &vm)).to_bytes().to_vec(),
    };
    let hash = |d: &pb::DidDocument| Some(salus_did::document::hash_proto(d));
    let create =
        DidMsg::Create { signer: alice.address, document: doc.clone(), proof: proof(Operation::Create, 0, hash(&doc)) };
    assert!(chain.block(vec![sign(&alice, vec![create.to_any()], &chain.spec(&alice))])[0].is_ok());
    let mut changed = doc.clone();
    changed.also_known_as.push("https://patient.example".into());
    let update = DidMsg::Update {
        signer: alice.address,
        document: changed.clone(),
        version: 1,
        proof: proof(Operation::Update, 1, hash(&changed)),
    };
    assert!(chain.block(vec![sign(&alice, vec![update.to_any()], &chain.spec(&alice))])[0].is_ok());

    // A validator misses a few blocks (not enough to be jailed): a missed-block bitmap.
    chain.absent.insert(vals[2].cons_address());
    chain.blocks(3);
    chain.absent.clear();
    chain.blocks(3);
    Built { chain, vals, did }
}

fn export_json(chain: &TestChain) -> String {
    let exported = chain.app.export(None).unwrap();
    serde_json::to_string(&exported.app_state).unwrap()
}

/// A validator record with the heights an export sets to 0.
fn zero_height(mut v: Validator) -> Validator {
    v.unbonding_height = 0;
    v
}

fn unbondings(chain: &TestChain) -> Vec<UnbondingDelegation> {
    let mut all = chain.snapshot().all_unbondings().unwrap();
    for u in &mut all {
        for e in &mut u.entries {
            e.creation_height = 0;
        }
    }
    all
}

fn resolve(chain: &TestChain, did: &Did, version: u64) -> pb::QueryResolveResponse {
    let req = pb::QueryResolveRequest { did: did.to_string(), version_id: version };
    pb::QueryResolveResponse::decode(
        chain.query(salus_did::query::RESOLVE_PATH, req.encode_to_vec()).unwrap().as_slice(),
    )
    .unwrap()
}

#[test]
fn an_exported_chain_starts_again_with_the_same_state() {
    let Built { mut chain, vals, did } = build();
    let old = chain.snapshot();
    let json = export_json(&chain);
    let exported: AppGenesis = AppGenesis::from_json(json.as_bytes()).unwrap();
    assert!(exported.staking.exported);
    assert_eq!(exported.staking.validators.len(), 3);
    assert_eq!(exported.staking.unbonding_delegations.len(), 1);
    assert_eq!(exported.staking.redelegations.len(), 1);
    assert!(!exported.slashing.missed_blocks.is_empty(), "the absent validator's missed blocks are exported");
    assert_eq!(exported.distribution.delegator_withdraw_infos.len(), 1);
    assert!(!exported.distribution.validator_rewards.is_empty());
    assert_eq!(exported.did.dids[0].versions.len(), 2);

    let mut new = TestChain::with_genesis(&json);
    let fresh = new.snapshot();
    // The validator set CometBFT is told at InitChain is the exported one.
    let mut set_old = chain.set_at(chain.height + 1);
    let mut set_new = new.set_at(1);
    set_old.sort();
    set_new.sort();
    assert_eq!(set_new, set_old);

    // Every record the export carries, read back from the new chain's state.
    let everyone: Vec<Address> = old.accounts().unwrap().iter().map(|a| a.address).collect();
    assert!(everyone.len() >= 6, "users, operators and module accounts");
    for addr in &everyone {
        assert_eq!(new.balance(addr), chain.balance(addr), "balance of {addr}");
        assert_eq!(new.account(addr), chain.account(addr), "account number and sequence of {addr}");
        assert_eq!(fresh.account(addr).unwrap(), old.account(addr).unwrap(), "pubkey of {addr}");
    }
    assert_eq!(fresh.next_account_number().unwrap(), old.next_account_number().unwrap());
    let validators_old: Vec<_> = old.validators().unwrap().into_iter().map(zero_height).collect();
    assert_eq!(fresh.validators().unwrap(), validators_old);
    assert_eq!(fresh.last_powers().unwrap(), old.last_powers().unwrap());
    assert_eq!(fresh.all_delegations().unwrap(), old.all_delegations().unwrap());
    assert_eq!(unbondings(&new), unbondings(&chain));
    let redelegations = |s: &salus_store::Snapshot| {
        let mut all = s.all_redelegations().unwrap();
        all.iter_mut().flat_map(|r| r.entries.iter_mut()).for_each(|e| e.creation_height = 0);
        all
    };
    assert_eq!(redelegations(&fresh), redelegations(&old));
    assert_eq!(fresh.all_validator_rewards().unwrap(), old.all_validator_rewards().unwrap());
    assert_eq!(fresh.all_reward_starts().unwrap(), old.all_reward_starts().unwrap());
    assert_eq!(fresh.community_pool().unwrap(), old.community_pool().unwrap());
    assert_eq!(fresh.all_withdraw_addresses().unwrap(), old.all_withdraw_addresses().unwrap());
    assert_eq!(fresh.all_missed().unwrap(), old.all_missed().unwrap());
    let (alice, bob) = (key(1), key(2));
    for v in &vals {
        for d in [&alice, &bob] {
            assert_eq!(
                new.pending_rewards(&d.address, &v.operator.address),
                chain.pending_rewards(&d.address, &v.operator.address)
            );
        }
        let cons = v.cons_address();
        let (mut a, b) = (new.signing_info(&cons), chain.signing_info(&cons));
        assert_eq!(a.start_height, 0);
        a.start_height = b.start_height;
        assert_eq!(a, b);
    }
    // The DID resolves to the same current document and history.
    assert_eq!(fresh.did_history(&did).unwrap(), old.did_history(&did).unwrap());
    for version in [0, 1, 2] {
        assert_eq!(resolve(&new, &did, version), resolve(&chain, &did, version), "version {version}");
    }
    // Query answers agree (the staking ones carry no heights here but for unbonding entries).
    let req = salus_proto::cosmos::staking::v1beta1::QueryValidatorsRequest::default().encode_to_vec();
    let validators_path = "/cosmos.staking.v1beta1.Query/Validators";
    assert_eq!(new.query(validators_path, req.clone()).unwrap(), chain.query(validators_path, req).unwrap());
    let supply_path = "/cosmos.bank.v1beta1.Query/TotalSupply";
    let req = salus_proto::cosmos::bank::v1beta1::QueryTotalSupplyRequest::default().encode_to_vec();
    assert_eq!(new.query(supply_path, req.clone()).unwrap(), chain.query(supply_path, req).unwrap());

    // The new chain exports the same genesis, and a second one started from it agrees on every byte.
    assert_eq!(AppGenesis::from_json(export_json(&new).as_bytes()).unwrap(), exported);
    let twin = TestChain::with_genesis(&json);
    assert_eq!(twin.app_hash(), new.app_hash());

    // Both chains go on: the same transfer, signed once, applies on both.
    let carol = key(3);
    let tx = sign(&bob, vec![send_msg(&bob.address, &carol.address, "777")], &chain.spec(&bob));
    assert!(chain.block(vec![tx.clone()])[0].is_ok());
    assert!(new.block(vec![tx])[0].is_ok());
    for addr in [&alice.address, &bob.address] {
        assert_eq!(new.balance(addr), chain.balance(addr));
        assert_eq!(new.account(addr), chain.account(addr));
    }
    // A new account gets a number no exported account has.
    let dave = key(4);
    let tx = sign(&bob, vec![send_msg(&bob.address, &dave.address, "1")], &new.spec(&bob));
    assert!(new.block(vec![tx])[0].is_ok());
    assert_eq!(new.account(&dave.address).unwrap().0, old.next_account_number().unwrap());

    // The exported unbonding matures on the new chain at its completion time.
    let entry = unbondings(&new)[0].entries[0].clone();
    let before = new.balance(&alice.address);
    while TestChain::time(new.height + 1).unix_timestamp() <= entry.completion_time.secs {
        new.blocks(1);
    }
    new.blocks(1);
    assert!(new.unbonding(&alice.address, &vals[0].operator.address).is_none());
    assert_eq!(new.balance(&alice.address), before + entry.balance);
}

/// `init_chain` of `app_state` on a fresh store: its error, which must say `why`.
fn refused(app_state: &serde_json::Value, why: &str) {
    let dir = tempfile::tempdir().unwrap();
    let mut app = open_app(dir.path());
    let result =
        app.init_chain(CHAIN_ID, 1, TestChain::time(0), app_state.to_string().as_bytes(), BlockLimits::default());
    let err = match result {
        Ok(_) => panic!("a genesis that should fail ({why}) was accepted"),
        Err(e) => format!("{e:#}"),
    };
    assert!(err.contains(why), "expected `{why}` in: {err}");
}

#[test]
fn an_export_whose_sections_disagree_is_refused_with_the_reason() {
    let Built { chain, .. } = build();
    let good: serde_json::Value = serde_json::from_str(&export_json(&chain)).unwrap();
    let unknown_validator = Address([9; 20]).to_valoper();

    let mut g = good.clone();
    g["staking"]["delegations"][0]["validator_address"] = unknown_validator.clone().into();
    refused(&g, "which is not in staking.validators");

    // The bonded pool's balance no longer matches the bonded validators' tokens.
    let mut g = good.clone();
    let pool = salus_staking::state::bonded_pool().to_string();
    let balances = g["token"]["balances"].as_array_mut().unwrap();
    let entry = balances.iter_mut().find(|b| b["address"] == pool.as_str()).unwrap();
    let amount: u128 = entry["coins"][0]["amount"].as_str().unwrap().parse().unwrap();
    entry["coins"][0]["amount"] = (amount + 1).to_string().into();
    g["token"]["supply"] = serde_json::json!([]);
    refused(&g, "bonded pool holds");

    let mut g = good.clone();
    g["staking"]["last_total_power"] = "1".into();
    refused(&g, "last_total_power");

    let mut g = good.clone();
    let shares = &mut g["staking"]["validators"][0]["delegator_shares"];
    *shares = "1.000000000000000000".into();
    refused(&g, "shares but the validator issued");

    let mut g = good.clone();
    let n = g["auth"]["accounts"][1]["account_number"].clone();
    g["auth"]["accounts"][0]["account_number"] = n;
    refused(&g, "is another account's too");

    let mut g = good.clone();
    g["did"]["dids"][0]["versions"][1]["version_id"] = "3".into();
    refused(&g, "versions count from 1");

    let mut g = good.clone();
    g["did"]["dids"][0]["versions"][0]["operation"] = "update".into();
    refused(&g, "version 1 must be a create");

    let mut g = good.clone();
    g["distribution"]["validator_rewards"][0]["validator_address"] = unknown_validator.into();
    refused(&g, "is not in staking.validators");

    let mut g = good.clone();
    g["slashing"]["missed_blocks"][0]["missed_blocks"][0]["index"] = "1000".into();
    refused(&g, "outside the signed blocks window");

    // Amounts that would overflow the pools' sums, counters at the end of u64, liveness records
    // that would spare a validator its slashing: refused, never a panic or a later halt.
    let mut g = good.clone();
    g["staking"]["validators"][0]["tokens"] = u128::MAX.to_string().into();
    refused(&g, "overflow");

    let mut g = good.clone();
    g["slashing"]["signing_infos"][0]["validator_signing_info"]["index_offset"] = u64::MAX.to_string().into();
    refused(&g, "index_offset");

    let mut g = good.clone();
    g["auth"]["accounts"][0]["sequence"] = u64::MAX.to_string().into();
    refused(&g, "sequence");

    let mut g = good.clone();
    let first = g["slashing"]["signing_infos"][0]["address"].clone();
    let marked = g["slashing"]["missed_blocks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["address"] == first)
        .flat_map(|m| m["missed_blocks"].as_array().unwrap().iter())
        .filter(|b| b["missed"] == true)
        .count();
    let wrong = if marked == 0 { "1" } else { "0" };
    g["slashing"]["signing_infos"][0]["validator_signing_info"]["missed_blocks_counter"] = wrong.into();
    refused(&g, "missed blocks but missed_blocks marks");

    let mut g = good.clone();
    g["slashing"]["signing_infos"][0]["validator_signing_info"]["tombstoned"] = true.into();
    refused(&g, "tombstoned but not jailed");

    let mut g = good.clone();
    g["slashing"]["signing_infos"] = serde_json::json!([]);
    g["slashing"]["missed_blocks"] = serde_json::json!([]);
    refused(&g, "has no signing info");

    let mut g = good.clone();
    g["distribution"]["delegator_withdraw_infos"] = serde_json::json!([{
        "delegator_address": g["auth"]["accounts"][0]["address"].clone(),
        "withdraw_address": salus_staking::state::bonded_pool().to_string(),
    }]);
    refused(&g, "is a module account");

    // Without its distribution records the distribution account holds coins nobody is owed.
    let mut g = good;
    g["distribution"]["validator_rewards"] = serde_json::json!([]);
    g["distribution"]["delegator_starting_infos"] = serde_json::json!([]);
    refused(&g, "invariant broken");
}

/// Every leaf of `v` with its JSON pointer.
fn leaves(v: &serde_json::Value, path: String, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(m) => m.iter().for_each(|(k, x)| leaves(x, format!("{path}/{k}"), out)),
        serde_json::Value::Array(a) => a.iter().enumerate().for_each(|(i, x)| leaves(x, format!("{path}/{i}"), out)),
        _ => out.push(path),
    }
}

#[test]
fn no_change_to_one_field_of_an_export_makes_init_panic_or_a_later_block_halt() {
    let Built { chain, .. } = build();
    let good: serde_json::Value = serde_json::from_str(&export_json(&chain)).unwrap();
    let mut paths = Vec::new();
    leaves(&good, String::new(), &mut paths);
    assert!(paths.len() > 100);
    let odd = [
        serde_json::json!(""),
        serde_json::json!("0"),
        serde_json::json!("340282366920938463463374607431768211456"),
        serde_json::json!("340282366920938463463374607431768211455"),
        serde_json::json!("9223372036854775808"),
        serde_json::json!("-1"),
        serde_json::json!(null),
        serde_json::json!(u64::MAX),
    ];
    let mut dirs = vec![tempfile::tempdir().unwrap()];
    let mut app = open_app(dirs[0].path());
    let mut accepted = 0;
    for path in &paths {
        for value in &odd {
            let mut g = good.clone();
            *g.pointer_mut(path).unwrap() = value.clone();
            let bytes = g.to_string();
            let run = std::panic::AssertUnwindSafe(|| {
                app.init_chain(CHAIN_ID, 1, TestChain::time(0), bytes.as_bytes(), BlockLimits::default())
            });
            match std::panic::catch_unwind(run) {
                Err(_) => panic!("init panicked with {path} = {value}"),
                Ok(Ok(genesis)) => {
                    // Accepted (a field whose value does not matter to consistency): the chain
                    // must then run, its validators missing and signing blocks, without a halt.
                    let votes = |signed: bool| salus_sdk::BlockInfo {
                        votes: genesis
                            .validator_updates
                            .iter()
                            .map(|u| salus_sdk::module::VoteInfo {
                                cons_address: salus_staking::types::consensus_address(&u.pubkey),
                                power: u.power,
                                signed,
                            })
                            .collect(),
                        misbehavior: Vec::new(),
                        next_validators_hash: Vec::new(),
                    };
                    for height in 1..=3u64 {
                        let info = votes(height % 2 == 0);
                        let run = std::panic::AssertUnwindSafe(|| {
                            app.finalize_block(height, TestChain::time(height), &[], &info)?;
                            app.commit()
                        });
                        match std::panic::catch_unwind(run) {
                            Err(_) => panic!("block {height} panicked after init with {path} = {value}"),
                            Ok(Err(e)) => panic!("block {height} halted after init with {path} = {value}: {e:#}"),
                            Ok(Ok(_)) => {}
                        }
                    }
                    accepted += 1;
                    dirs.push(tempfile::tempdir().unwrap());
                    app = open_app(dirs.last().unwrap().path());
                }
                Ok(Err(_)) => {}
            }
        }
    }
    assert!(accepted < paths.len() * odd.len() / 2, "most odd values are refused");
}
