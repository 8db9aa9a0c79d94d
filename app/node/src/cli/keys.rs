//! `salusd keys ...`.

use std::io::{BufRead, IsTerminal};

use anyhow::{bail, Context, Result};
use clap::Subcommand;

use super::output::print;
use super::OutputFormat;
use crate::home::Home;
use crate::keyring::{new_mnemonic, Key, Keyring, StoredKey, HD_PATH};

#[derive(Subcommand)]
pub enum KeysCmd {
    /// Create a key from a new mnemonic (printed once), or recover one with --recover.
    Add {
        name: String,
        /// Read a BIP39 mnemonic from standard input instead of generating one.
        #[arg(long)]
        recover: bool,
        /// Key algorithm; Salus accounts use secp256k1.
        #[arg(long, default_value = "secp256k1", value_parser = ["secp256k1"])]
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
    serde_json::json!({ "name": k.name, "type": "local", "algo": k.algo, "address": k.address, "pubkey": k.pubkey })
}

pub fn run(home: &Home, cmd: KeysCmd) -> Result<()> {
    let ring = Keyring::open(home.keyring());
    match cmd {
        KeysCmd::Add { name, recover, algo: _, overwrite, output } => {
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
            let key = Key::from_mnemonic(&name, &mnemonic)?;
            ring.add(&key, overwrite)?;
            let mut v = serde_json::json!({ "name": name, "type": "local", "algo": "secp256k1", "address": key.address.to_string(), "pubkey": hex::encode(key.pubkey), "hd_path": HD_PATH });
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
        KeysCmd::Show { name, address, output } => {
            let key = ring.resolve(&name)?;
            if address {
                println!("{}", key.address);
                return Ok(());
            }
            let v = serde_json::json!({ "name": key.name, "type": "local", "algo": "secp256k1", "address": key.address.to_string(), "pubkey": hex::encode(key.pubkey) });
            print(output, &v);
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
            let key = ring.get(&name)?;
            let v = serde_json::json!({ "name": key.name, "algo": "secp256k1", "address": key.address.to_string(), "privkey": hex::encode(key.secret.secret_bytes()) });
            println!("{}", serde_json::to_string_pretty(&v)?);
            Ok(())
        }
        KeysCmd::Import { name, file } => {
            let text = std::fs::read_to_string(&file).with_context(|| format!("reading {}", file.display()))?;
            let v: serde_json::Value =
                serde_json::from_str(&text).context("the file is not a `salusd keys export` JSON")?;
            let hex_key = v.get("privkey").and_then(|p| p.as_str()).context("the file has no privkey field")?;
            let secret = secp256k1::SecretKey::from_slice(&hex::decode(hex_key).context("privkey is not hex")?)
                .context("privkey is not a valid secp256k1 key")?;
            let key = Key::from_secret(&name, secret);
            ring.add(&key, false)?;
            println!("imported {} as `{name}`", key.address);
            Ok(())
        }
    }
}
