//! `salusd keys ...`.

use std::io::{BufRead, IsTerminal};

use anyhow::{bail, Context, Result};
use clap::Subcommand;

use super::output::print;
use super::OutputFormat;
use crate::home::Home;
use crate::keyring::{new_mnemonic, Algo, AnyKey, Key, Keyring, StoredKey};

#[derive(Subcommand)]
pub enum KeysCmd {
    /// Create a key from a new mnemonic (printed once), or recover one with --recover.
    Add {
        name: String,
        /// Read a BIP39 mnemonic from standard input instead of generating one.
        #[arg(long)]
        recover: bool,
        /// Key algorithm: secp256k1 (accounts, DID keys) or ed25519 (DID keys only).
        #[arg(long, default_value = "secp256k1", value_parser = ["secp256k1", "ed25519"])]
        algo: String,
        /// Replace a key of the same name.
        #[arg(long)]
        overwrite: bool,
        #[arg(long, short, value_enum, default_value_t)]
        output: OutputFormat,
    },
    /// List all keys.
    List {
        #[arg(long, short, value_enum, default_value_t)]
        output: OutputFormat,
    },
    /// Show one key.
    Show {
        name: String,
        /// Print only the address.
        #[arg(long, short)]
        address: bool,
        /// With --address: `acc` for the account address, `val` for the validator operator
        /// address (salusvaloper1...) of the same key.
        #[arg(long, default_value = "acc", value_parser = ["acc", "val"])]
        bech: String,
        /// Print only the did:salus DID the key creates.
        #[arg(long, conflicts_with = "address")]
        did: bool,
        #[arg(long, short, value_enum, default_value_t)]
        output: OutputFormat,
    },
    /// Delete a key.
    Delete {
        name: String,
        /// Do not ask for confirmation.
        #[arg(long, short)]
        yes: bool,
    },
    /// Print a key's private key as JSON, for `keys import`. Anyone with it controls the account.
    Export {
        name: String,
        /// Acknowledge that the private key is printed unencrypted.
        #[arg(long)]
        unsafe_export: bool,
    },
    /// Import a key from a file written by `keys export`.
    Import { name: String, file: std::path::PathBuf },
}

fn key_json(k: &StoredKey) -> serde_json::Value {
    serde_json::json!({ "name": k.name, "type": "local", "algo": k.algo, "address": k.address, "pubkey": k.pubkey, "did": stored_did(k) })
}

/// The did:salus DID a key creates.
fn stored_did(k: &StoredKey) -> String {
    let bytes = hex::decode(&k.pubkey).unwrap_or_default();
    let public = match k.algo.as_str() {
        "ed25519" => bytes.try_into().ok().map(salus_did::PublicKey::Ed25519),
        _ => bytes.try_into().ok().map(salus_did::PublicKey::Secp256k1),
    };
    public.map(|p| salus_did::Did::from_key(&p).to_string()).unwrap_or_default()
}

fn any_key_json(k: &AnyKey) -> serde_json::Value {
    serde_json::json!({
        "name": k.name(),
        "type": "local",
        "algo": k.algo().name(),
        "address": k.address().map(|a| a.to_string()).unwrap_or_default(),
        "pubkey": hex::encode(k.public_key().bytes()),
        "did": salus_did::Did::from_key(&k.public_key()).to_string(),
    })
}

pub fn run(home: &Home, cmd: KeysCmd) -> Result<()> {
    let ring = Keyring::open(home.keyring());
    match cmd {
        KeysCmd::Add { name, recover, algo, overwrite, output } => {
            let algo = Algo::parse(&algo)?;
            let (mnemonic, shown) = if recover {
                if std::io::stdin().is_terminal() {
                    eprintln!("> Enter your bip39 mnemonic");
                }
                let mut line = String::new();
                std::io::stdin().lock().read_line(&mut line)?;
                (line.trim().to_string(), false)
            } else {
                (new_mnemonic(), true)
            };
            let key = AnyKey::from_mnemonic(&name, &mnemonic, algo)?;
            ring.add_any(&key, overwrite)?;
            let mut v = any_key_json(&key);
            v["hd_path"] = algo.hd_path().into();
            if shown {
                v["mnemonic"] = mnemonic.clone().into();
            }
            print(output, &v);
            if shown && output == OutputFormat::Text {
                println!("\n**Important** write this mnemonic phrase in a safe place.\nIt is the only way to recover your account if you ever forget your password.\n\n{mnemonic}");
            }
            Ok(())
        }
        KeysCmd::List { output } => {
            let keys: Vec<_> = ring.list()?.iter().map(key_json).collect();
            print(output, &serde_json::Value::Array(keys));
            Ok(())
        }
        KeysCmd::Show { name, address, bech, did, output } => {
            let key = if crate::keyring::looks_like_address(&name) {
                AnyKey::Secp256k1(ring.resolve(&name)?)
            } else {
                ring.get_any(&name)?
            };
            if address {
                let addr = key.address().ok_or_else(|| {
                    anyhow::anyhow!("`{name}` is an ed25519 key: it has a DID but no account address")
                })?;
                if bech == "val" {
                    println!("{}", addr.to_valoper());
                } else {
                    println!("{addr}");
                }
                return Ok(());
            }
            if did {
                println!("{}", salus_did::Did::from_key(&key.public_key()));
                return Ok(());
            }
            print(output, &any_key_json(&key));
            Ok(())
        }
        KeysCmd::Delete { name, yes } => {
            ring.get(&name)?;
            if !yes {
                if !std::io::stdin().is_terminal() {
                    bail!("refusing to delete `{name}` without confirmation: pass --yes");
                }
                eprint!("Key reference will be deleted. Continue? [y/N]: ");
                let mut line = String::new();
                std::io::stdin().lock().read_line(&mut line)?;
                if !line.trim().eq_ignore_ascii_case("y") {
                    bail!("aborted");
                }
            }
            ring.delete(&name)?;
            println!("Key deleted forever (uh oh!)");
            Ok(())
        }
        KeysCmd::Export { name, unsafe_export } => {
            if !unsafe_export {
                bail!("exporting prints the unencrypted private key: pass --unsafe-export to confirm");
            }
            let key = ring.get_any(&name)?;
            let privkey = match &key {
                AnyKey::Secp256k1(k) => hex::encode(k.secret.secret_bytes()),
                AnyKey::Ed25519(k) => hex::encode(k.secret.to_bytes()),
            };
            let v = serde_json::json!({ "name": key.name(), "algo": key.algo().name(), "address": key.address().map(|a| a.to_string()).unwrap_or_default(), "privkey": privkey });
            println!("{}", serde_json::to_string_pretty(&v)?);
            Ok(())
        }
        KeysCmd::Import { name, file } => {
            let text = std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
            let v: serde_json::Value =
                serde_json::from_str(&text).context("the file is not a `salusd keys export` JSON")?;
            let hex_key = v.get("privkey").and_then(|p| p.as_str()).context("the file has no privkey field")?;
            let bytes = hex::decode(hex_key).context("privkey is not hex")?;
            let key = match v.get("algo").and_then(|a| a.as_str()).unwrap_or("secp256k1") {
                "ed25519" => {
                    let secret: [u8; 32] =
                        bytes.try_into().map_err(|_| anyhow::anyhow!("an ed25519 privkey is 32 bytes"))?;
                    AnyKey::Ed25519(crate::keyring::Ed25519Key {
                        name: name.clone(),
                        secret: ed25519_consensus::SigningKey::from(secret),
                    })
                }
                _ => AnyKey::Secp256k1(Key::from_secret(
                    &name,
                    secp256k1::SecretKey::from_slice(&bytes).context("privkey is not a valid secp256k1 key")?,
                )),
            };
            ring.add_any(&key, false)?;
            let shown = key.address().map(|a| a.to_string());
            println!(
                "imported {} as `{name}`",
                shown.unwrap_or_else(|| salus_did::Did::from_key(&key.public_key()).to_string())
            );
            Ok(())
        }
    }
}
