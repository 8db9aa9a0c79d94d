//! `salusd init` and `salusd genesis ...`.

use anyhow::{anyhow, bail, Result};
use clap::{Args, Subcommand};
use salus_sdk::{Address, Coins};

use crate::home::{self, Home, InitOptions, Ports};

use crate::keyring::Keyring;

#[derive(Args)]
pub struct InitArgs {
    /// A name for this node, shown to peers.
    moniker: String,
    /// The chain id, e.g. salus-local-1.
    #[arg(long)]
    chain_id: String,
    /// Replace an existing genesis and config in --home.
    #[arg(long)]
    overwrite: bool,
    /// CometBFT timeout_commit: how long a proposer waits after a commit.
    #[arg(long, default_value = "1s")]
    timeout_commit: String,
    /// CometBFT P2P port.
    #[arg(long, default_value_t = 26656)]
    p2p_port: u16,
    /// CometBFT RPC port.
    #[arg(long, default_value_t = 26657)]
    rpc_port: u16,
    /// ABCI port salusd listens on for CometBFT.
    #[arg(long, default_value_t = 26658)]
    abci_port: u16,
    /// gRPC port.
    #[arg(long, default_value_t = 9090)]
    grpc_port: u16,
}

pub fn init(home: &Home, a: InitArgs) -> Result<()> {
    let id = home::init(
        home,
        &InitOptions {
            moniker: &a.moniker,
            chain_id: &a.chain_id,
            ports: Ports { p2p: a.p2p_port, rpc: a.rpc_port, abci: a.abci_port, grpc: a.grpc_port },
            overwrite: a.overwrite,
            timeout_commit: &a.timeout_commit,
        },
    )?;
    println!(
        "initialized node home {} for chain {} (validator {}, node id {})",
        home.0.display(),
        a.chain_id,
        id.validator_address,
        id.node_id
    );
    println!(
        "next: `salusd genesis add-account <key> <coins>`, `salusd genesis gentx <key> <amount> --moniker <name>`, \
         `salusd genesis collect-gentxs`, then `salusd start` and `cometbft start --home {}`",
        home.0.display()
    );
    Ok(())
}

#[derive(Subcommand)]
pub enum GenesisCmd {
    /// Give an account a balance in genesis.json.
    AddAccount {
        /// A bech32 address, or the name of a key in the keyring.
        address_or_key: String,
        /// Coins, e.g. 1000000000usalus.
        coins: String,
        /// Add to an existing balance instead of failing.
        #[arg(long)]
        append: bool,
    },
    /// Sign a genesis transaction that makes this node a validator, bonding a key's genesis balance.
    Gentx {
        /// The operator key (name or address in the keyring); it needs a genesis balance.
        key: String,
        /// Self-delegation, e.g. 100000000usalus.
        amount: String,
        #[command(flatten)]
        validator: Box<salus_staking::cli::ValidatorArgs>,
    },
    /// Put every gentx in config/gentx (or --gentx-dir) into genesis.json.
    #[command(name = "collect-gentxs")]
    CollectGentxs {
        /// Where the gentx files are (default: <home>/config/gentx).
        #[arg(long)]
        gentx_dir: Option<std::path::PathBuf>,
    },
    /// Check genesis.json: app_state parses, every module's genesis is valid, and InitChain on a
    /// scratch store succeeds (gentxs run, every module's invariants hold).
    Validate,
    /// Write the app state at the latest committed height as a genesis.json that a new chain
    /// starts from (at height 1), reading the node's store: stop the node first.
    Export(super::export::ExportArgs),
}

pub fn genesis(home: &Home, cmd: GenesisCmd) -> Result<()> {
    match cmd {
        GenesisCmd::AddAccount { address_or_key, coins, append } => {
            let address: Address = if crate::keyring::looks_like_address(&address_or_key) {
                Address::parse("address", &address_or_key).map_err(|e| anyhow!(e.message))?
            } else {
                Keyring::open(home.keyring()).get(&address_or_key)?.address
            };
            let coins: Coins = coins.parse().map_err(|e: salus_sdk::Error| anyhow!(e.message))?;
            if coins.is_empty() {
                bail!("give at least one coin, e.g. 1000000usalus");
            }
            add_account(home, &address, &coins, append)?;
            println!("added {coins} for {address} to {}", home.genesis().display());
            Ok(())
        }
        GenesisCmd::Gentx { key, amount, mut validator } => {
            let key = Keyring::open(home.keyring()).resolve(&key)?;
            if validator.description.moniker.is_none() {
                validator.description.moniker = Some(config_moniker(home)?);
            }
            let path = crate::genutil::gentx(home, &key, &amount, &validator)?;
            println!("wrote {} ({} bonds {amount})", path.display(), key.address.to_valoper());
            println!("next: `salusd genesis collect-gentxs --home {}`", home.0.display());
            Ok(())
        }
        GenesisCmd::CollectGentxs { gentx_dir } => {
            let dir = gentx_dir.unwrap_or_else(|| home.config("gentx"));
            let n = crate::genutil::collect_gentxs(home, &dir)?;
            println!("collected {n} gentx(s) from {} into {}", dir.display(), home.genesis().display());
            Ok(())
        }
        GenesisCmd::Validate => {
            let genesis = home::read_json(&home.genesis())?;
            let app_state = genesis.get("app_state").cloned().unwrap_or_default();
            let parsed = crate::app::genesis::AppGenesis::from_json(app_state.to_string().as_bytes())
                .map_err(|e| anyhow!(e.message))?;
            parsed.validate().map_err(|e| anyhow!(e.message))?;
            parsed.auth.validate().map_err(|e| anyhow!(e.message))?;
            dry_run(&genesis, &app_state)?;
            println!("{} is valid", home.genesis().display());
            Ok(())
        }
        GenesisCmd::Export(a) => super::export::export(home, a),
    }
}

/// Runs InitChain on a scratch store, as the node would at its first start.
fn dry_run(genesis: &serde_json::Value, app_state: &serde_json::Value) -> Result<()> {
    let chain_id = genesis.get("chain_id").and_then(|c| c.as_str()).unwrap_or_default();
    let number = |v: Option<&serde_json::Value>, default: i64| -> i64 {
        match v {
            Some(serde_json::Value::String(s)) => s.parse().unwrap_or(default),
            Some(serde_json::Value::Number(n)) => n.as_i64().unwrap_or(default),
            _ => default,
        }
    };
    let defaults = crate::app::params::BlockLimits::default();
    let block = genesis.pointer("/consensus_params/block");
    let limits = crate::app::params::BlockLimits {
        max_bytes: number(block.and_then(|b| b.get("max_bytes")), defaults.max_bytes),
        max_gas: number(block.and_then(|b| b.get("max_gas")), defaults.max_gas),
    };
    let initial_height = number(genesis.get("initial_height"), 1).max(0) as u64;
    let time = genesis
        .get("genesis_time")
        .and_then(|t| t.as_str())
        .and_then(|t| t.parse::<tendermint::Time>().ok())
        .unwrap_or_else(tendermint::Time::unix_epoch);
    let dir = tempfile::tempdir()?;
    let mut app = crate::app::App::new(salus_store::Storage::open(dir.path())?, Default::default())?;
    let g = app.init_chain(chain_id, initial_height, time, app_state.to_string().as_bytes(), limits)?;
    if g.validator_updates.is_empty() {
        eprintln!("note: genesis has no validators yet: add gentxs (`salusd genesis collect-gentxs`) before starting");
    }
    Ok(())
}

/// The moniker in the node's CometBFT config.toml.
fn config_moniker(home: &Home) -> Result<String> {
    let text = std::fs::read_to_string(home.config("config.toml"))?;
    text.lines()
        .find_map(|l| l.trim().strip_prefix("moniker = ").map(|m| m.trim_matches('"').to_string()))
        .ok_or_else(|| anyhow!("no moniker in config.toml: pass --moniker"))
}

pub fn add_account(home: &Home, address: &Address, coins: &Coins, append: bool) -> Result<()> {
    let path = home.genesis();
    let mut genesis = home::read_json(&path)?;
    let balances = genesis
        .pointer_mut("/app_state/token/balances")
        .and_then(|v| v.as_array_mut())
        .ok_or_else(|| anyhow!("{} has no app_state.token.balances: re-run init", path.display()))?;
    let addr = address.to_string();
    let existing = balances.iter().position(|b| b.get("address").and_then(|a| a.as_str()) == Some(&addr));
    let mut total = coins.clone();
    if let Some(i) = existing {
        if !append {
            bail!("{addr} already has a genesis balance: pass --append to add to it");
        }
        let old: Vec<salus_token::genesis::JsonCoin> = serde_json::from_value(balances[i]["coins"].clone())?;
        let old: Coins = old
            .iter()
            .map(|c| format!("{}{}", c.amount, c.denom))
            .collect::<Vec<_>>()
            .join(",")
            .parse()
            .map_err(|e: salus_sdk::Error| anyhow!(e.message))?;
        total = total.checked_add(&old).map_err(|e| anyhow!(e.message))?;
        balances.remove(i);
    }
    let coins_json: Vec<_> =
        total.iter().map(|c| serde_json::json!({"denom": c.denom, "amount": c.amount.to_string()})).collect();
    balances.push(serde_json::json!({ "address": addr, "coins": coins_json }));
    home::write_json(&path, &genesis)
}
