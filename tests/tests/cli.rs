//! The CLI as a user meets it: every command answers --help, keys move between keyrings, and
//! multi-send works end to end.

use salus_e2e::{salusd_bin, Node};

/// Every command and subcommand of the tree (walked from `salus_node::cli::command()`, so a new
/// module's commands are in it) prints help and exits 0, and its help lists the same subcommands.
#[test]
fn every_command_has_help() {
    let root = salus_node::cli::command();
    let mut stack = vec![(Vec::<String>::new(), &root)];
    let mut walked = Vec::new();
    while let Some((path, cmd)) = stack.pop() {
        let out = std::process::Command::new(salusd_bin()).args(&path).arg("--help").output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        let shown = format!("salusd {} --help:\n{text}", path.join(" "));
        assert!(out.status.success() && text.contains("Usage:"), "{shown}");
        let listed: Vec<&str> = text
            .lines()
            .skip_while(|l| *l != "Commands:")
            .skip(1)
            .take_while(|l| !l.is_empty())
            .filter_map(|l| l.split_whitespace().next())
            .filter(|name| *name != "help")
            .collect();
        let mut expected: Vec<&str> = cmd.get_subcommands().map(|c| c.get_name()).collect();
        let mut sorted = listed.clone();
        sorted.sort();
        expected.sort();
        assert_eq!(sorted, expected, "{shown}");
        for sub in cmd.get_subcommands() {
            let mut p = path.clone();
            p.push(sub.get_name().to_string());
            stack.push((p, sub));
        }
        walked.push(path.join(" "));
    }
    // The modules' words, and some commands deep in the tree, are where users find them.
    for module in ["token", "did", "staking", "distribution", "slashing"] {
        for group in ["tx", "query"] {
            let path = format!("{group} {module}");
            assert!(walked.contains(&path), "no `salusd {path}`");
        }
    }
    for path in ["query account", "query tx", "did sign", "tx staking create-validator", "query did resolve"] {
        assert!(walked.iter().any(|w| w == path), "no `salusd {path}`");
    }
    assert_eq!(root.find_subcommand("q").map(|c| c.get_name()), Some("query"), "`salusd q` is `salusd query`");
}

#[test]
fn keys_export_import_and_delete_round_trip() {
    let node = Node::init("salus-e2e-keys").unwrap();
    let added = node.ok(&["keys", "add", "alice", "--output", "json"]).unwrap().json();
    let mnemonic = added["mnemonic"].as_str().unwrap().to_string();
    assert_eq!(mnemonic.split_whitespace().count(), 24);
    assert!(!node.cli(&["keys", "add", "alice"]).unwrap().ok, "a name is taken once");

    let refused = node.cli(&["keys", "export", "alice"]).unwrap();
    assert!(!refused.ok && refused.stderr.contains("--unsafe-export"), "{}", refused.stderr);
    let exported = node.ok(&["keys", "export", "alice", "--unsafe-export"]).unwrap().stdout;
    let file = node.dir.path().join("alice.json");
    std::fs::write(&file, exported).unwrap();
    node.ok(&["keys", "delete", "alice", "--yes"]).unwrap();
    assert!(!node.cli(&["keys", "show", "alice"]).unwrap().ok);
    node.ok(&["keys", "import", "alice2", file.to_str().unwrap()]).unwrap();
    assert_eq!(node.address("alice2").unwrap(), added["address"].as_str().unwrap());

    // The mnemonic recovers the same address under another name (after the copy is removed).
    node.ok(&["keys", "delete", "alice2", "--yes"]).unwrap();
    let out = std::process::Command::new(salusd_bin())
        .args(["keys", "add", "again", "--recover", "--output", "json", "--home"])
        .arg(&node.home)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(format!("{mnemonic}\n").as_bytes())?;
            child.wait_with_output()
        })
        .unwrap();
    let recovered: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(recovered["address"], added["address"]);
    let list = node.ok(&["keys", "list", "--output", "json"]).unwrap().json();
    assert_eq!(list.as_array().unwrap().len(), 1);
}

#[test]
fn genesis_add_account_refuses_bad_input_with_the_fix() {
    let node = Node::init("salus-e2e-genesis").unwrap();
    let bad =
        node.cli(&["genesis", "add-account", "cosmos1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu", "5usalus"]).unwrap();
    assert!(!bad.ok && bad.stderr.contains("salus1"), "{}", bad.stderr);
    node.ok(&["keys", "add", "a"]).unwrap();
    let zero = node.cli(&["genesis", "add-account", "a", "0usalus"]).unwrap();
    assert!(!zero.ok && zero.stderr.contains("positive"), "{}", zero.stderr);
    node.ok(&["genesis", "add-account", "a", "5usalus"]).unwrap();
    let twice = node.cli(&["genesis", "add-account", "a", "5usalus"]).unwrap();
    assert!(!twice.ok && twice.stderr.contains("--append"), "{}", twice.stderr);
    node.ok(&["genesis", "add-account", "a", "7usalus,1uatom", "--append"]).unwrap();
    node.ok(&["genesis", "validate"]).unwrap();
    let g: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(node.home.join("config/genesis.json")).unwrap()).unwrap();
    let coins = &g["app_state"]["token"]["balances"][0]["coins"];
    assert_eq!(coins, &serde_json::json!([{"denom": "uatom", "amount": "1"}, {"denom": "usalus", "amount": "12"}]));
}

#[test]
fn gentx_and_collect_gentxs_refuse_what_would_not_start() {
    let node = Node::init("salus-e2e-gentx").unwrap();
    let none = node.cli(&["genesis", "collect-gentxs"]).unwrap();
    assert!(!none.ok && none.stderr.contains("salusd genesis gentx"), "{}", none.stderr);
    node.ok(&["keys", "add", "op"]).unwrap();
    let poor = node.cli(&["genesis", "gentx", "op", "5000000usalus"]).unwrap();
    assert!(!poor.ok && poor.stderr.contains("genesis add-account"), "{}", poor.stderr);
    node.ok(&["genesis", "add-account", "op", "5000000usalus"]).unwrap();
    let bad_rate = node.cli(&["genesis", "gentx", "op", "5000000usalus", "--commission-rate", "0.5"]).unwrap();
    assert!(!bad_rate.ok && bad_rate.stderr.contains("max rate"), "{}", bad_rate.stderr);
    let made = node.ok(&["genesis", "gentx", "op", "5000000usalus"]).unwrap();
    assert!(made.stdout.contains("salusvaloper1"), "{}", made.stdout);
    node.ok(&["genesis", "collect-gentxs"]).unwrap();
    node.ok(&["genesis", "validate"]).unwrap();
    let g: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(node.home.join("config/genesis.json")).unwrap()).unwrap();
    assert_eq!(g["app_state"]["genutil"]["gen_txs"].as_array().unwrap().len(), 1);
    assert_eq!(g["validators"], serde_json::json!([]), "CometBFT takes the set from the app");
}

#[test]
fn multi_send_pays_every_recipient() {
    let node = Node::start_single("salus-e2e-multi").unwrap();
    let a = node.ok(&["keys", "add", "a", "--output", "json"]).unwrap().json()["address"].as_str().unwrap().to_string();
    let b = node.ok(&["keys", "add", "b", "--output", "json"]).unwrap().json()["address"].as_str().unwrap().to_string();
    let r = node
        .ok(&["tx", "token", "multi-send", "demo", &a, &b, "50usalus", "--yes", "--output", "json"])
        .unwrap()
        .json();
    assert_eq!(r["code"], 0, "{r}");
    let split = node
        .ok(&["tx", "token", "multi-send", "demo", &a, &b, "50usalus", "--split", "--yes", "--output", "json"])
        .unwrap()
        .json();
    assert_eq!(split["code"], 0, "{split}");
    for addr in [&a, &b] {
        let v = node.ok(&["query", "token", "balances", addr, "--output", "json"]).unwrap().json();
        assert_eq!(v["balances"][0]["amount"], "75", "{v}");
    }
}

/// The bench runs end to end and prints its table (numbers are not asserted: see docs/BENCHMARKS.md).
#[test]
fn bench_prints_a_table_and_records_it() {
    let dir = tempfile::tempdir().unwrap();
    let record = dir.path().join("BENCH.md");
    let out = std::process::Command::new(salusd_bin())
        .args(["bench", "--txs", "300", "--block-size", "100", "--accounts", "20", "--record"])
        .arg(&record)
        .output()
        .unwrap();
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(table.contains("signatures cached from CheckTx") && table.contains("| 300 |"), "{table}");
    let recorded = std::fs::read_to_string(&record).unwrap();
    assert!(
        recorded.contains("## 20") && recorded.contains("cores") && recorded.contains("signatures cached"),
        "{recorded}"
    );
}
