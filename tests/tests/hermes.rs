//! The Hermes relayer, as installed by scripts/install.sh, takes the config `salusd hermes-config`
//! writes: it validates it, derives the same account from a mnemonic as `salusd keys`, and reads
//! the proof specs Salus proves with.

use std::process::Command;

use salus_e2e::{hermes_bin, Node};

/// Runs Hermes with its home (`$HOME/.hermes`, where it keeps its keys) beside `config`, not the
/// user's.
fn hermes(config: &std::path::Path, args: &[&str]) -> (bool, String) {
    let home = config.parent().unwrap();
    let out = Command::new(hermes_bin()).env("HOME", home).arg("--config").arg(config).args(args).output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

#[test]
fn hermes_validates_the_config_salusd_writes_and_derives_the_same_relayer_account() {
    let a = Node::init("salus-hermes-a").unwrap();
    let b = Node::init("salus-hermes-b").unwrap();
    let config = a.dir.path().join("hermes.toml");
    let path = config.to_str().unwrap();
    a.ok(&["hermes-config", "--with-global", "--key-name", "relayer-a", "-o", path]).unwrap();
    let refused = b.cli(&["hermes-config", "-o", path]).unwrap();
    assert!(
        !refused.ok && refused.stderr.contains("--append"),
        "an existing file is not overwritten: {}",
        refused.stderr
    );
    b.ok(&["hermes-config", "--key-name", "relayer-b", "-o", path, "--append"]).unwrap();

    let (ok, text) = hermes(&config, &["config", "validate"]);
    assert!(ok, "hermes config validate:\n{text}");

    // What Hermes read back: both chains, with Salus' proof specs, store prefix and compat mode.
    let parsed: toml::Value = toml::from_str(&std::fs::read_to_string(&config).unwrap()).unwrap();
    let chains = parsed["chains"].as_array().unwrap();
    let ids: Vec<&str> = chains.iter().map(|c| c["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["salus-hermes-a", "salus-hermes-b"]);
    for chain in chains {
        assert_eq!(chain["store_prefix"].as_str(), Some("ibc"));
        assert_eq!(chain["compat_mode"].as_str(), Some("0.38"));
        assert_eq!(chain["account_prefix"].as_str(), Some("salus"));
        let specs: serde_json::Value = serde_json::from_str(chain["proof_specs"].as_str().unwrap()).unwrap();
        assert_eq!(specs, salus_node::cli::hermes_proof_specs_json());
        assert_eq!(specs.as_array().unwrap().len(), 2, "the ibc substore, then the main tree");
    }
    // Two thirds of genesis' 21-day unbonding period.
    assert_eq!(chains[0]["trusting_period"].as_str(), Some("1197504s"));

    // The relayer key: the account Hermes derives from a mnemonic is the one salusd derives.
    let added = a.ok(&["keys", "add", "relayer", "--output", "json"]).unwrap().json();
    let mnemonic = a.dir.path().join("relayer.mnemonic");
    std::fs::write(&mnemonic, added["mnemonic"].as_str().unwrap()).unwrap();
    let (ok, text) = hermes(
        &config,
        &[
            "keys",
            "add",
            "--chain",
            "salus-hermes-a",
            "--key-name",
            "relayer-a",
            "--mnemonic-file",
            mnemonic.to_str().unwrap(),
        ],
    );
    assert!(ok, "hermes keys add:\n{text}");
    let address = added["address"].as_str().unwrap();
    assert!(address.starts_with("salus1"));
    assert!(text.contains(address), "Hermes derived another account than {address}:\n{text}");
    assert!(a.dir.path().join(".hermes/keys/salus-hermes-a").exists(), "the key is kept in the test's Hermes home");
}

#[test]
fn hermes_config_refuses_a_home_without_grpc_and_names_the_fix() {
    let a = Node::init("salus-hermes-nogrpc").unwrap();
    let app_toml = a.home.join("config/app.toml");
    let text = std::fs::read_to_string(&app_toml).unwrap();
    let grpc_section = text.find("[grpc]").expect("app.toml has a [grpc] section");
    let (head, tail) = text.split_at(grpc_section);
    std::fs::write(&app_toml, format!("{head}{}", tail.replacen("enable = true", "enable = false", 1))).unwrap();
    let refused = a.cli(&["hermes-config"]).unwrap();
    assert!(!refused.ok && refused.stderr.contains("grpc.enable = true"), "{}", refused.stderr);
    let bad_key = Node::init("salus-hermes-badkey").unwrap().cli(&["hermes-config", "--key-name", "a'b"]).unwrap();
    assert!(!bad_key.ok && bad_key.stderr.contains("--key-name"), "{}", bad_key.stderr);
}
