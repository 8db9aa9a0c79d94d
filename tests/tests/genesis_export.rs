//! `salusd genesis export` on a real chain: a single-validator chain with a transfer, a
//! delegation, an unbonding and a DID is stopped, exported through the CLI (which refuses while
//! the node runs), and a new chain started from the export (same validator key, fresh home)
//! answers the same balances, validator, delegation, unbonding and DID, and goes on with
//! transactions from the same accounts.

use std::time::Duration;

use salus_e2e::Node;
use serde_json::Value;

const CHAIN: &str = "salus-e2e-export";

fn json(node: &Node, args: &[&str]) -> Value {
    let mut full = args.to_vec();
    full.extend(["--output", "json"]);
    node.ok(&full).unwrap().json()
}

fn tx_ok(node: &Node, args: &[&str]) -> Value {
    let mut full = vec!["tx"];
    full.extend(args);
    full.extend(["--yes", "--output", "json"]);
    let v = node.ok(&full).unwrap().json();
    assert_eq!(v["code"], 0, "{v:#}");
    v
}

fn balance(node: &Node, addr: &str) -> String {
    json(node, &["query", "token", "balance", addr, "usalus"])["balance"]["amount"].as_str().unwrap().to_string()
}

/// What the test compares between the two chains.
#[derive(Debug, PartialEq)]
struct Seen {
    balances: Vec<String>,
    account: (Value, Value),
    validator: Value,
    delegation: Value,
    unbonding: Vec<(Value, Value, Value)>,
    did_document: Value,
    did_metadata: Value,
}

fn seen(node: &Node, addrs: &[&str], valoper: &str, did: &str) -> Seen {
    let demo = node.address("demo").unwrap();
    let account = json(node, &["query", "account", &demo]);
    let mut validator = json(node, &["query", "staking", "validator", valoper])["validator"].clone();
    // The new chain counts heights from 1 again (the validator never unbonded: 0 on both).
    let height = &validator["unbonding_height"];
    assert!(height == "0" || height == 0 || height.is_null(), "{validator:#}");
    validator.as_object_mut().unwrap().remove("unbonding_height");
    let delegation = json(node, &["query", "staking", "delegation", &demo, valoper]);
    let unbonding = json(node, &["query", "staking", "unbonding-delegation", &demo, valoper]);
    let resolved = json(node, &["query", "did", "resolve", did]);
    Seen {
        balances: addrs.iter().map(|a| balance(node, a)).collect(),
        account: (account["account_number"].clone(), account["sequence"].clone()),
        validator,
        delegation,
        unbonding: unbonding["unbond"]["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| (e["balance"].clone(), e["initial_balance"].clone(), e["completion_time"].clone()))
            .collect(),
        did_document: resolved["didDocument"].clone(),
        did_metadata: resolved["didDocumentMetadata"].clone(),
    }
}

#[test]
fn a_stopped_chain_exports_a_genesis_that_a_new_chain_starts_from_with_the_same_state() {
    let mut old = Node::start_single(CHAIN).unwrap();
    let demo = old.address("demo").unwrap();
    let bob =
        old.ok(&["keys", "add", "bob", "--output", "json"]).unwrap().json()["address"].as_str().unwrap().to_string();
    let valoper = json(&old, &["query", "staking", "validators"])["validators"][0]["operator_address"]
        .as_str()
        .unwrap()
        .to_string();
    tx_ok(&old, &["token", "send", "demo", &bob, "12345usalus"]);
    tx_ok(&old, &["staking", "delegate", "demo", &valoper, "5000000usalus"]);
    tx_ok(&old, &["staking", "unbond", "demo", &valoper, "1000000usalus"]);
    old.ok(&["keys", "add", "patient", "--algo", "ed25519"]).unwrap();
    tx_ok(&old, &["did", "create", "--key", "patient", "--from", "demo"]);
    let did = json(&old, &["keys", "show", "patient"])["did"].as_str().unwrap().to_string();
    let before = seen(&old, &[&demo, &bob], &valoper, &did);
    assert_eq!(before.unbonding.len(), 1);

    // The running node holds the store: the export says so.
    let busy = old.cli(&["genesis", "export"]).unwrap();
    assert!(!busy.ok && busy.stderr.contains("stop the node"), "{}", busy.stderr);
    // Only the latest height can be exported.
    old.kill_comet();
    old.kill_app();
    let past = old.cli(&["genesis", "export", "--height", "1"]).unwrap();
    assert!(!past.ok && past.stderr.contains("only the latest committed height"), "{}", past.stderr);

    let file = old.dir.path().join("exported.json");
    old.ok(&["genesis", "export", "--output-document", file.to_str().unwrap()]).unwrap();
    let to_stdout = old.ok(&["genesis", "export"]).unwrap();
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(to_stdout.json(), doc, "stdout and --output-document write the same genesis");
    assert_eq!(doc["chain_id"], CHAIN);
    assert_eq!(doc["initial_height"], "1");
    assert_eq!(doc["validators"].as_array().unwrap().len(), 1);
    assert_eq!(doc["app_state"]["staking"]["exported"], true);
    assert_eq!(doc["app_state"]["did"]["dids"][0]["id"], did.as_str());

    // A new home for the same validator: its consensus key, its keyring, the exported genesis.
    let mut new = Node::init(CHAIN).unwrap();
    let key = "config/priv_validator_key.json";
    std::fs::copy(old.home.join(key), new.home.join(key)).unwrap();
    std::fs::copy(&file, new.home.join("config/genesis.json")).unwrap();
    copy_dir(&old.home.join("keyring-test"), &new.home.join("keyring-test"));
    new.ok(&["genesis", "validate"]).unwrap();
    new.start().unwrap();
    new.wait_for_height(2, Duration::from_secs(60)).unwrap();

    let after = seen(&new, &[&demo, &bob], &valoper, &did);
    assert_eq!(after, before);
    let status = new.ok(&["status", "--output", "json"]).unwrap().json();
    assert_eq!(status["node_info"]["network"], CHAIN, "{status:#}");
    let set = new.rpc("validators").unwrap();
    assert_eq!(set["validators"][0]["pub_key"]["value"], doc["validators"][0]["pub_key"]["value"]);

    // The same accounts go on transacting on the new chain.
    tx_ok(&new, &["token", "send", "demo", &bob, "1usalus"]);
    assert_eq!(balance(&new, &bob), "12346");
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
