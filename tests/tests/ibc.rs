//! IBC between two Salus chains through the unmodified Hermes relayer that scripts/install.sh
//! installs: Hermes creates a light client of each chain on the other, updates one, opens a
//! connection (ICS-03's four steps, each proven against the other chain's app hash) and on it an
//! ICS-20 transfer channel (ICS-04's four steps).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use salus_e2e::{hermes_bin, Node};

/// A single-validator chain whose genesis funds a `relayer` key; returns it with the key's
/// mnemonic in a file Hermes reads.
fn chain(chain_id: &str) -> (Node, PathBuf) {
    let mut node = Node::init(chain_id).unwrap();
    let added = node.ok(&["keys", "add", "relayer", "--output", "json"]).unwrap().json();
    let address = added["address"].as_str().unwrap().to_string();
    node.ok(&["genesis", "add-account", &address, "1000000000000usalus"]).unwrap();
    node.make_validator("validator", "100000000000usalus").unwrap();
    node.start().unwrap();
    node.wait_for_height(2, Duration::from_secs(60)).unwrap();
    let mnemonic = node.dir.path().join("relayer.mnemonic");
    std::fs::write(&mnemonic, added["mnemonic"].as_str().unwrap()).unwrap();
    (node, mnemonic)
}

struct Hermes {
    config: PathBuf,
}

impl Hermes {
    fn new(dir: &Path, chains: &[(&Node, &Path)]) -> Self {
        let config = dir.join("hermes.toml");
        for (i, (node, mnemonic)) in chains.iter().enumerate() {
            let path = config.to_str().unwrap();
            let args: Vec<&str> = if i == 0 {
                vec!["hermes-config", "--with-global", "-o", path]
            } else {
                vec!["hermes-config", "-o", path, "--append"]
            };
            node.ok(&args).unwrap();
            let hermes = Hermes { config: config.clone() };
            hermes.ok(&[
                "keys",
                "add",
                "--chain",
                &node.chain_id,
                "--key-name",
                "relayer",
                "--mnemonic-file",
                mnemonic.to_str().unwrap(),
            ]);
        }
        Hermes { config }
    }

    fn run(&self, args: &[&str]) -> (bool, String) {
        let out = Command::new(hermes_bin())
            .env("HOME", self.config.parent().unwrap())
            .arg("--config")
            .arg(&self.config)
            .args(args)
            .output()
            .unwrap();
        (
            out.status.success(),
            format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)),
        )
    }

    fn ok(&self, args: &[&str]) -> String {
        let (ok, text) = self.run(args);
        assert!(ok, "hermes {}:\n{text}", args.join(" "));
        text
    }
}

#[test]
fn hermes_creates_and_updates_clients_and_opens_a_connection_and_a_transfer_channel_between_two_salus_chains() {
    let (a, a_mnemonic) = chain("salus-a-1");
    let (b, b_mnemonic) = chain("salus-b-1");
    let hermes = Hermes::new(a.dir.path(), &[(&a, &a_mnemonic), (&b, &b_mnemonic)]);

    let created = hermes.ok(&["create", "client", "--host-chain", "salus-a-1", "--reference-chain", "salus-b-1"]);
    assert!(created.contains("07-tendermint-0"), "{created}");
    let state = a.ok(&["query", "ibc", "client", "state", "07-tendermint-0", "--output", "json"]).unwrap().json();
    assert_eq!(state["chain_id"], "salus-b-1", "{state}");
    let first: u64 = state["latest_height"].as_str().unwrap().split('-').nth(1).unwrap().parse().unwrap();

    b.wait_for_height(first + 3, Duration::from_secs(60)).unwrap();
    let updated = hermes.ok(&["update", "client", "--host-chain", "salus-a-1", "--client", "07-tendermint-0"]);
    assert!(updated.contains("UpdateClient"), "{updated}");
    let state = a.ok(&["query", "ibc", "client", "state", "07-tendermint-0", "--output", "json"]).unwrap().json();
    let now: u64 = state["latest_height"].as_str().unwrap().split('-').nth(1).unwrap().parse().unwrap();
    assert!(now > first, "the update moved the client from {first} to {now}");
    let heights = a
        .ok(&["query", "ibc", "client", "consensus-state-heights", "07-tendermint-0", "--output", "json"])
        .unwrap()
        .json();
    assert_eq!(heights["consensus_state_heights"].as_array().unwrap().len(), 2, "{heights}");

    let opened = hermes.ok(&["create", "connection", "--a-chain", "salus-a-1", "--b-chain", "salus-b-1"]);
    assert!(opened.contains("connection-0"), "{opened}");
    for node in [&a, &b] {
        let end = node.ok(&["query", "ibc", "connection", "end", "connection-0", "--output", "json"]).unwrap().json();
        assert_eq!(end["state"], "STATE_OPEN", "{}: {end}", node.chain_id);
    }

    let channel = hermes.ok(&[
        "create",
        "channel",
        "--a-chain",
        "salus-a-1",
        "--a-connection",
        "connection-0",
        "--a-port",
        "transfer",
        "--b-port",
        "transfer",
    ]);
    assert!(channel.contains("channel-0"), "{channel}");
    for node in [&a, &b] {
        let end =
            node.ok(&["query", "ibc", "channel", "end", "transfer", "channel-0", "--output", "json"]).unwrap().json();
        assert_eq!(end["state"], "STATE_OPEN", "{}: {end}", node.chain_id);
        assert_eq!(end["ordering"], "ORDER_UNORDERED", "{end}");
        assert_eq!(end["version"], "ics20-1", "{end}");
        assert_eq!(end["counterparty"]["channel_id"], "channel-0", "{end}");
        let listed =
            node.ok(&["query", "ibc", "channel", "connection", "connection-0", "--output", "json"]).unwrap().json();
        assert_eq!(listed["channels"].as_array().unwrap().len(), 1, "{listed}");
    }
}
