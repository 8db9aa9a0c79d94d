//! Staking on the 4-validator localnet, through the CLI and CometBFT's own RPC: a fifth node joins
//! as a validator; a stopped validator is jailed after the signed-blocks window and leaves the
//! set, then unjails and returns; undelegated funds arrive after the (short) unbonding period; a
//! consensus key run twice is caught by CometBFT's evidence and tombstoned.

use std::time::Duration;

use salus_e2e::localnet::Localnet;

fn tx_ok(net: &Localnet, via: usize, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["tx"];
    all.extend_from_slice(args);
    all.extend(["--gas", "auto", "--yes", "--output", "json"]);
    let r = net.cli(via, &all).unwrap();
    assert!(r.ok, "salusd {} failed:\n{}\n{}", all.join(" "), r.stdout, r.stderr);
    let v = r.json();
    assert_eq!(v["code"], 0, "{v}");
    v
}

fn validator(net: &Localnet, valoper: &str) -> serde_json::Value {
    net.cli(0, &["query", "staking", "validator", valoper, "--output", "json"]).unwrap().json()["validator"].clone()
}

fn power_of(net: &Localnet, key: &str) -> Option<u64> {
    net.comet_validators(0).ok()?.into_iter().find(|(k, _)| k == key).map(|(_, p)| p)
}

#[test]
fn validators_join_get_jailed_for_downtime_return_and_unbonded_funds_arrive() {
    let net = Localnet::new(4, 5000).unwrap();
    net.up(None).unwrap();
    net.wait_for(&[0, 1, 2, 3], 2, Duration::from_secs(60)).unwrap();
    let genesis_power = 100_000; // each gentx bonds 100000000000usalus
    for i in 0..4 {
        assert_eq!(power_of(&net, &net.consensus_key(i).unwrap()), Some(genesis_power), "node{i} from its gentx");
    }

    // Unbond first: the 30s unbonding period runs while the rest of the test does.
    let demo1 = net.address("demo1").unwrap();
    let val1 = net.valoper("demo1").unwrap();
    let unbond = tx_ok(&net, 1, &["staking", "unbond", "demo1", &val1, "1000000000usalus"]);
    let unbond_event = unbond["events"].as_array().unwrap().iter().find(|e| e["type"] == "unbond").cloned();
    assert!(unbond_event.is_some(), "an unbond event: {unbond}");
    // Read from node 1, which committed the tx: node 0 may be a block behind.
    let after_unbond = net.balance(1, &demo1).unwrap();
    let entries =
        net.cli(1, &["query", "staking", "unbonding-delegation", &demo1, &val1, "-o", "json"]).unwrap().json();
    assert_eq!(entries["unbond"]["entries"][0]["balance"], "1000000000");

    // A fifth node joins: a full node first, then a validator by CLI with the stake it bonds.
    let out = net.run(&["add-node"]).unwrap();
    assert!(out.contains("node4"), "{out}");
    net.up(Some(4)).unwrap();
    let h = net.height(0).unwrap();
    net.wait_for(&[4], h, Duration::from_secs(90)).unwrap();
    let joiner = net.cli(4, &["keys", "add", "joiner", "--output", "json"]).unwrap().json()["address"]
        .as_str()
        .unwrap()
        .to_string();
    let funded = tx_ok(&net, 0, &["token", "send", "demo0", &joiner, "300000000000usalus"]);
    let funded_at: u64 = funded["height"].as_str().unwrap().parse().unwrap();
    net.wait_for(&[4], funded_at, Duration::from_secs(30)).unwrap();
    tx_ok(
        &net,
        4,
        &[
            "staking",
            "create-validator",
            "joiner",
            "--amount",
            "200000000000usalus",
            "--moniker",
            "node4",
            "--commission-rate",
            "0.05",
        ],
    );
    let key4 = net.consensus_key(4).unwrap();
    let power = net.wait_until("node4 in CometBFT's set", Duration::from_secs(30), || power_of(&net, &key4)).unwrap();
    assert_eq!(power, 200_000, "CometBFT follows the stake the joiner bonded");
    let joined = net.cli(0, &["query", "staking", "validators", "--status", "bonded", "-o", "json"]).unwrap().json();
    assert_eq!(joined["validators"].as_array().unwrap().len(), 5);

    // A validator that stops is jailed after the window, slashed, and leaves the set.
    let val3 = net.valoper("demo3").unwrap();
    let key3 = net.consensus_key(3).unwrap();
    net.down(3, None, false).unwrap();
    net.wait_until("node3 jailed", Duration::from_secs(90), || {
        (validator(&net, &val3)["jailed"] == true).then_some(())
    })
    .unwrap();
    net.wait_until("node3 out of CometBFT's set", Duration::from_secs(30), || {
        power_of(&net, &key3).is_none().then_some(())
    })
    .unwrap();
    let v = validator(&net, &val3);
    assert_eq!(v["tokens"], "99000000000", "1% slashed for downtime: {v}");
    let info = net.cli(0, &["query", "slashing", "signing-info", &val3, "-o", "json"]).unwrap().json();
    let info = &info["val_signing_info"];
    assert!(info["address"].as_str().unwrap().starts_with("salusvalcons1"), "{info}");
    assert_ne!(info["jailed_until"], "1970-01-01T00:00:00Z", "{info}");
    let all = net.cli(0, &["query", "slashing", "signing-infos", "-o", "json"]).unwrap().json();
    assert_eq!(all["info"].as_array().unwrap().len(), 5);

    // Unjailing too early is refused with the time to wait for; the node restarts, unjails after
    // the jail time and returns with its remaining stake.
    let early =
        net.cli(0, &["tx", "slashing", "unjail", "demo3", "--gas", "300000", "--yes", "--output", "json"]).unwrap();
    let early_code = early.json()["code"].as_u64().unwrap();
    net.up(Some(3)).unwrap();
    let h = net.height(0).unwrap();
    net.wait_for(&[3], h, Duration::from_secs(90)).unwrap();
    if early_code != 0 {
        assert_eq!(early.json()["codespace"], "slashing", "{}", early.stdout);
        assert!(early.json()["raw_log"].as_str().unwrap().contains("cannot be unjailed before"));
        let mut last = String::new();
        let unjailed = net.wait_until("unjail accepted", Duration::from_secs(60), || {
            let r = net
                .cli(0, &["tx", "slashing", "unjail", "demo3", "--gas", "300000", "--yes", "--output", "json"])
                .ok()?;
            last = format!("{}{}", r.stdout, r.stderr);
            (r.ok && r.json()["code"] == 0).then_some(())
        });
        assert!(unjailed.is_ok(), "the last unjail answered: {last}");
    }
    let back =
        net.wait_until("node3 back in CometBFT's set", Duration::from_secs(30), || power_of(&net, &key3)).unwrap();
    assert_eq!(back, 99_000);

    // The unbonding period (30s in the localnet genesis) has passed: the funds arrived, exactly.
    net.wait_until("the unbonding to complete", Duration::from_secs(60), || {
        let r = net.cli(0, &["query", "staking", "unbonding-delegations", &demo1, "-o", "json"]).ok()?;
        r.json()["unbonding_responses"].as_array().is_none_or(|a| a.is_empty()).then_some(())
    })
    .unwrap();
    assert_eq!(net.balance(0, &demo1).unwrap(), after_unbond + 1_000_000_000);
}

/// A second node signing with a validator's consensus key makes CometBFT report a duplicate vote;
/// FinalizeBlock's misbehavior slashes 5%, jails and tombstones that validator for good.
#[test]
fn a_validator_whose_key_signs_twice_is_slashed_and_tombstoned_from_cometbft_evidence() {
    let net = Localnet::new(4, 5000).unwrap();
    net.up(None).unwrap();
    net.wait_for(&[0, 1, 2, 3], 2, Duration::from_secs(60)).unwrap();
    // node4 runs node3's consensus key next to node3 (a misconfigured failover).
    net.run(&["add-node"]).unwrap();
    let key = "config/priv_validator_key.json";
    std::fs::copy(net.node_home(3).join(key), net.node_home(4).join(key)).unwrap();
    net.up(Some(4)).unwrap();

    let val3 = net.valoper("demo3").unwrap();
    let info = net
        .wait_until("node3 tombstoned by evidence", Duration::from_secs(120), || {
            let r = net.cli(0, &["query", "slashing", "signing-info", &val3, "-o", "json"]).ok()?;
            let info = r.json()["val_signing_info"].clone();
            (info["tombstoned"] == true).then_some(info)
        })
        .unwrap();
    assert_eq!(info["jailed_until"], "9999-12-31T23:59:59Z", "jailed for good: {info}");
    let v = validator(&net, &val3);
    assert_eq!(v["jailed"], true);
    assert_eq!(v["tokens"], "95000000000", "5% of its 100000 power burned: {v}");
    let key3 = net.consensus_key(3).unwrap();
    net.wait_until("node3 out of CometBFT's set", Duration::from_secs(30), || {
        power_of(&net, &key3).is_none().then_some(())
    })
    .unwrap();
    let unjail =
        net.cli(0, &["tx", "slashing", "unjail", "demo3", "--gas", "300000", "--yes", "--output", "json"]).unwrap();
    assert_eq!(unjail.json()["codespace"], "slashing", "{}", unjail.stdout);
    assert!(unjail.json()["raw_log"].as_str().unwrap().contains("tombstoned"), "{}", unjail.stdout);
}
