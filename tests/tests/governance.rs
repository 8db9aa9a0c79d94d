//! Governance on a 4-validator localnet, driven by the CLI: a parameter change passes with three
//! of four validators voting Yes and the chain enforces it; a proposal voted NoWithVeto burns its
//! deposit; a change of CometBFT's params reaches every node's CometBFT; a software upgrade is voted, every node stops at the plan height with the same app
//! hash, and the nodes restarted with a binary that has the plan's handler go on with nothing
//! lost. The localnet's voting period is 10 seconds.

use std::time::Duration;

use salus_e2e::localnet::Localnet;
use salus_e2e::salusd_upgraded_bin;
use serde_json::Value;

const DEPOSIT: &str = "10000000usalus";

fn gov_address(net: &Localnet) -> String {
    net.cli(0, &["query", "upgrade", "authority", "--output", "json"]).unwrap().json()["address"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Submits `messages` as a proposal from node 0's demo key by `tx gov submit-proposal`; returns
/// its id.
fn submit(net: &Localnet, messages: Value, title: &str) -> u64 {
    let file = net.dir.path().join(format!("{}.json", title.replace(' ', "_")));
    let proposal = serde_json::json!({
        "messages": messages, "metadata": "", "deposit": DEPOSIT, "title": title, "summary": "An end-to-end test.",
        "expedited": false,
    });
    std::fs::write(&file, proposal.to_string()).unwrap();
    let r = net
        .cli(0, &["tx", "gov", "submit-proposal", &net.demo(0), file.to_str().unwrap(), "--yes", "--output", "json"])
        .unwrap();
    assert!(r.ok, "submit-proposal: {}{}", r.stdout, r.stderr);
    proposal_id(&r.json())
}

/// Node `i`'s last committed height and app hash, read from its stopped store by
/// `salusd genesis export` ("... at height H (app hash X) ...").
fn last_committed(net: &Localnet, i: usize) -> String {
    let out = net.dir.path().join(format!("export{i}.json"));
    let r = net.cli(i, &["genesis", "export", "--output-document", out.to_str().unwrap()]).unwrap();
    assert!(r.ok, "export of node {i}: {}", r.stderr);
    let line = r.stderr.lines().find(|l| l.contains("app hash")).unwrap_or_default();
    line[line.find("at height").unwrap_or(0)..line.find(" to ").unwrap_or(line.len())].to_string()
}

fn proposal_id(tx: &Value) -> u64 {
    let events = tx["events"].as_array().expect("a committed tx has events");
    events
        .iter()
        .filter(|e| e["type"] == "submit_proposal")
        .flat_map(|e| e["attributes"].as_array().cloned().unwrap_or_default())
        .find(|a| a["key"] == "proposal_id")
        .and_then(|a| a["value"].as_str().map(str::to_string))
        .expect("a submit_proposal event names the proposal id")
        .parse()
        .unwrap()
}

fn vote(net: &Localnet, node: usize, id: u64, option: &str) {
    let id = id.to_string();
    let r = net.cli(node, &["tx", "gov", "vote", &net.demo(node), &id, option, "--yes", "--output", "json"]).unwrap();
    assert!(r.ok, "vote: {}{}", r.stdout, r.stderr);
}

fn proposal(net: &Localnet, id: u64) -> Value {
    let r = net.cli(0, &["query", "gov", "proposal", &id.to_string(), "--output", "json"]).unwrap();
    assert!(r.ok, "query gov proposal: {}{}", r.stdout, r.stderr);
    r.json()["proposal"].clone()
}

/// Waits until the proposal's voting period has ended; returns its status.
fn decided(net: &Localnet, id: u64) -> String {
    net.wait_until("the proposal to be decided", Duration::from_secs(60), || {
        let status = proposal(net, id)["status"].as_str().unwrap_or_default().to_string();
        (status != "PROPOSAL_STATUS_VOTING_PERIOD").then_some(status)
    })
    .unwrap()
}

#[test]
fn a_param_change_passes_with_three_of_four_and_a_vetoed_proposal_burns_its_deposit() {
    let net = Localnet::new(4, 5000).unwrap();
    net.up(None).unwrap();
    net.wait_for(&[0, 1, 2, 3], 3, Duration::from_secs(60)).unwrap();
    let gov = gov_address(&net);
    let proposer = net.address(&net.demo(0)).unwrap();

    // Vetoed: three of four vote NoWithVeto; the deposit is burned, not refunded.
    let id = submit(&net, serde_json::json!([]), "Signal something");
    let after_submit = net.balance(0, &proposer).unwrap();
    assert_eq!(proposal(&net, id)["status"], "PROPOSAL_STATUS_VOTING_PERIOD");
    for node in 1..4 {
        vote(&net, node, id, "no_with_veto");
    }
    assert_eq!(decided(&net, id), "PROPOSAL_STATUS_REJECTED");
    let final_tally = &proposal(&net, id)["final_tally_result"];
    assert_ne!(final_tally["no_with_veto_count"], "0", "{final_tally}");
    assert_eq!(net.balance(0, &proposer).unwrap(), after_submit, "the deposit was not refunded");
    assert_eq!(net.balance(0, &gov).unwrap(), 0, "it was burned: the governance account holds nothing");

    // A token params change, three of four voting Yes: transfers are switched off.
    let update = serde_json::json!([{
        "@type": "/salus.token.v1.MsgUpdateParams",
        "authority": gov,
        "params": { "send_enabled": false, "max_multi_send_outputs": 1000, "max_denoms_per_transfer": 64 },
    }]);
    let id = submit(&net, update, "Pause transfers");
    for node in 0..3 {
        vote(&net, node, id, "yes");
    }
    assert_eq!(decided(&net, id), "PROPOSAL_STATUS_PASSED", "{}", proposal(&net, id));
    let sink = net.address(&net.demo(3)).unwrap();
    let r = net.cli(1, &["tx", "token", "send", &net.demo(1), &sink, "5usalus", "--yes", "--output", "json"]).unwrap();
    assert!(!r.ok, "the chain enforces the new params");
    let out = r.json();
    assert_eq!((out["codespace"].as_str(), out["code"].as_u64()), (Some("token"), Some(5)), "{out}");

    // CometBFT's own params, by the same road: the real CometBFT of every node applies the new
    // block gas limit from the block after the one that ran the proposal.
    let consensus = serde_json::json!([{
        "@type": "/cosmos.consensus.v1.MsgUpdateParams",
        "authority": gov,
        "block": { "max_bytes": "4194304", "max_gas": "400000000" },
        "evidence": { "max_age_num_blocks": "100000", "max_age_duration": "172800s", "max_bytes": "1048576" },
        "validator": { "pub_key_types": ["ed25519"] },
    }]);
    let id = submit(&net, consensus, "Less block gas");
    for node in 0..3 {
        vote(&net, node, id, "yes");
    }
    assert_eq!(decided(&net, id), "PROPOSAL_STATUS_PASSED", "{}", proposal(&net, id));
    for i in 0..4 {
        let max_gas = net
            .wait_until("CometBFT to apply the new params", Duration::from_secs(30), || {
                let url = format!("{}/consensus_params", net.rpc_url(i));
                let body = std::process::Command::new("curl").args(["-fsS", "--max-time", "5", &url]).output().ok()?;
                let v: Value = serde_json::from_slice(&body.stdout).ok()?;
                let gas = v["result"]["consensus_params"]["block"]["max_gas"].as_str()?.to_string();
                (gas == "400000000").then_some(gas)
            })
            .unwrap();
        assert_eq!(max_gas, "400000000", "node {i}");
    }
    let queried = net.cli(2, &["query", "consensus", "params", "--output", "json"]).unwrap().json();
    assert_eq!(queried["block"]["max_gas"], "400000000", "{queried}");

    let h = net.height(0).unwrap();
    net.wait_for(&[0, 1, 2, 3], h + 2, Duration::from_secs(30)).unwrap();
    let hashes: Vec<String> = (0..4).map(|i| net.header_app_hashes(i, h, h).unwrap()[0].clone()).collect();
    assert!(hashes.iter().all(|x| *x == hashes[0]), "the four agree: {hashes:?}");
}

#[test]
fn a_software_upgrade_stops_every_node_at_its_height_and_the_new_binary_goes_on() {
    let upgraded = salusd_upgraded_bin();
    let net = Localnet::new(4, 5000).unwrap();
    net.up(None).unwrap();
    net.wait_for(&[0, 1, 2, 3], 3, Duration::from_secs(60)).unwrap();
    // An account that neither votes nor pays fees: its balance moves only by the transfers.
    assert!(net.cli(0, &["keys", "add", "sink", "--output", "json"]).unwrap().ok);
    let sink = net.address("sink").unwrap();
    let before = 0;
    let r = net.cli(0, &["tx", "token", "send", &net.demo(0), &sink, "7usalus", "--yes", "--output", "json"]).unwrap();
    assert!(r.ok, "{}{}", r.stdout, r.stderr);

    // Far enough past the 10-second vote (blocks come every few hundred milliseconds).
    let plan_height = net.height(0).unwrap() + 80;
    let plan = plan_height.to_string();
    let r = net
        .cli(
            0,
            &[
                "tx",
                "upgrade",
                "software-upgrade",
                &net.demo(0),
                "salus-test-upgrade",
                "--upgrade-height",
                &plan,
                "--upgrade-info",
                "the test-upgrade build",
                "--title",
                "Upgrade",
                "--summary",
                "Switch binaries.",
                "--deposit",
                DEPOSIT,
                "--yes",
                "--output",
                "json",
            ],
        )
        .unwrap();
    assert!(r.ok, "software-upgrade: {}{}", r.stdout, r.stderr);
    let id = proposal_id(&r.json());
    for node in 0..4 {
        vote(&net, node, id, "yes");
    }
    assert_eq!(decided(&net, id), "PROPOSAL_STATUS_PASSED", "{}", proposal(&net, id));
    let scheduled = net.cli(0, &["query", "upgrade", "plan", "--output", "json"]).unwrap().json();
    assert_eq!(scheduled["plan"]["height"], plan.as_str(), "{scheduled}");

    // The nodes stop before executing the plan's block. The first to refuse it stops its
    // CometBFT too, so a validator that has not yet seen the block's commit waits below the height
    // until its peers are back (as a Cosmos node would): under load only some nodes get to log it.
    let needed = format!("UPGRADE \"salus-test-upgrade\" NEEDED at height: {plan_height}");
    net.wait_until("a node to refuse the plan's block", Duration::from_secs(120), || {
        (0..4).any(|i| net.salusd_log(i).contains(&needed)).then_some(())
    })
    .unwrap();
    std::thread::sleep(Duration::from_secs(2));
    // CometBFT stops with its app; each node's store is read offline, as an operator would.
    for i in 0..4 {
        net.down(i, None, false).unwrap();
    }
    let stopped: Vec<String> = (0..4).map(|i| last_committed(&net, i)).collect();
    let at = format!("at height {} (app hash", plan_height - 1);
    let there: Vec<&String> = stopped.iter().filter(|s| s.contains(&at)).collect();
    assert!(!there.is_empty(), "the nodes that refused the block stopped right before {plan_height}: {stopped:?}");
    assert!(there.iter().all(|s| *s == there[0]), "with the same app hash: {stopped:?}");
    for s in &stopped {
        let h: u64 = s.split_whitespace().nth(2).and_then(|h| h.parse().ok()).unwrap_or(u64::MAX);
        assert!(h < plan_height, "no node executed the plan's block with the old binary: {stopped:?}");
    }

    // The new binary: every node restarted with it goes on, with nothing lost.
    net.up_with(&upgraded).unwrap();
    net.wait_for(&[0, 1, 2, 3], plan_height + 3, Duration::from_secs(120)).unwrap();
    let reference = net.header_app_hashes(0, plan_height - 2, plan_height + 3).unwrap();
    for i in 1..4 {
        assert_eq!(net.header_app_hashes(i, plan_height - 2, plan_height + 3).unwrap(), reference, "node {i}");
    }
    let applied =
        net.cli(0, &["query", "upgrade", "applied", "salus-test-upgrade", "--output", "json"]).unwrap().json();
    assert_eq!(applied["height"], plan.as_str(), "{applied}");
    assert_eq!(net.cli(0, &["query", "upgrade", "plan", "--output", "json"]).unwrap().json()["plan"], Value::Null);
    assert_eq!(net.balance(2, &sink).unwrap(), before + 7, "the transfer before the upgrade is kept");
    let r = net.cli(1, &["tx", "token", "send", &net.demo(1), &sink, "3usalus", "--yes", "--output", "json"]).unwrap();
    assert!(r.ok, "txs go on after the upgrade: {}{}", r.stdout, r.stderr);
    assert_eq!(net.balance(0, &sink).unwrap(), before + 10);
}
