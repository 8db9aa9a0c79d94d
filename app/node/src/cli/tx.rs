//! `salusd tx <module> ...`: build, sign, broadcast, and by default wait for the block.

use std::io::{BufRead, IsTerminal};
use std::time::Duration;

use anyhow::{anyhow, bail, Result};
use clap::{Args, Subcommand};
use salus_sdk::Coins;

use super::output::print;
use super::OutputFormat;
use crate::app::params::parse_gas_prices;
use crate::client::{build_tx, GasSetting, Rpc, TxParams};
use crate::home::{genesis_chain_id, Home};
use crate::keyring::Keyring;

#[derive(Args)]
pub struct TxArgs {
    #[command(subcommand)]
    module: TxModule,
    #[command(flatten)]
    flags: TxFlags,
}

#[derive(Subcommand)]
enum TxModule {
    /// Token transfers (cosmos.bank.v1beta1 messages).
    #[command(subcommand)]
    Token(salus_token::cli::TxCmd),
    /// DIDs (salus.did.v1): create, add-key, remove-key, set-controller, add-service, deactivate.
    #[command(subcommand)]
    Did(salus_did::cli::TxCmd),
    /// Validators and delegations (cosmos.staking.v1beta1 messages).
    #[command(subcommand)]
    Staking(salus_staking::cli::StakingTxCmd),
    /// Rewards and commission (cosmos.distribution.v1beta1 messages).
    #[command(subcommand)]
    Distribution(salus_staking::cli::DistributionTxCmd),
    /// Unjailing (cosmos.slashing.v1beta1 messages).
    #[command(subcommand)]
    Slashing(salus_staking::cli::SlashingTxCmd),
}

#[derive(Args, Clone)]
pub struct TxFlags {
    /// The chain id the signature binds to (default: the one in --home's genesis).
    #[arg(long, global = true)]
    chain_id: Option<String>,
    /// CometBFT RPC of a node.
    #[arg(long, global = true, default_value = "http://127.0.0.1:26657", env = "SALUS_NODE")]
    node: String,
    /// Fees to pay, e.g. 2000usalus (default: gas x the node's minimum gas price).
    #[arg(long, global = true)]
    fees: Option<String>,
    /// Gas limit, or `auto` to simulate first (default: 200000; `auto` for staking,
    /// distribution and slashing, whose messages write more state).
    #[arg(long, global = true)]
    gas: Option<String>,
    /// Multiplier on the simulated gas with --gas auto (default 1.3; 1.5 for staking, distribution
    /// and slashing, whose messages also pay out rewards that accrue between simulation and block).
    #[arg(long, global = true)]
    gas_adjustment: Option<String>,
    /// Gas prices to compute the fee from, e.g. 0.025usalus.
    #[arg(long, global = true)]
    gas_prices: Option<String>,
    /// A note stored with the tx (at most 256 characters).
    #[arg(long, global = true, default_value = "")]
    memo: String,
    /// The last height at which the tx may be included (0: none).
    #[arg(long, global = true, default_value_t = 0)]
    timeout_height: u64,
    /// Sign offline with this account number instead of asking the node.
    #[arg(long, global = true)]
    account_number: Option<u64>,
    /// Sign with this sequence instead of asking the node.
    #[arg(long, global = true)]
    sequence: Option<u64>,
    /// `sync`: return after the mempool check; `block`: wait until the tx is committed.
    #[arg(long, global = true, default_value = "block", value_parser = ["sync", "block"])]
    broadcast_mode: String,
    /// Skip the confirmation prompt.
    #[arg(long, short, global = true)]
    yes: bool,
    /// Keyring backend (only `test`: unencrypted keys under <home>/keyring-test).
    #[arg(long, global = true, default_value = "test", value_parser = ["test"])]
    keyring_backend: String,
    #[arg(long, short, global = true, value_enum, default_value_t)]
    output: OutputFormat,
}

fn staking_msgs(
    home: &Home,
    ring: &Keyring,
    cmd: salus_staking::cli::TxCmd<'_>,
) -> Result<(crate::keyring::Key, Vec<salus_proto::Any>)> {
    let key = ring.resolve(cmd.from_key())?;
    let msgs = cmd.to_msgs(key.address, || crate::home::consensus_pubkey(home))?;
    Ok((key, msgs))
}

/// "1.3" -> 130, without floats.
fn percent(s: &str) -> Result<u64> {
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let frac = format!("{frac:0<2}");
    if frac.len() > 2 {
        bail!("--gas-adjustment takes at most two decimals, e.g. 1.3");
    }
    let v = int.parse::<u64>().ok().zip(frac.parse::<u64>().ok()).map(|(i, f)| i * 100 + f);
    v.ok_or_else(|| anyhow!("--gas-adjustment `{s}` is not a number like 1.3"))
}

pub async fn run(home: &Home, a: TxArgs) -> Result<()> {
    let f = a.flags;
    let ring = Keyring::open(home.keyring());
    let chain_id = match f.chain_id.clone().or_else(|| genesis_chain_id(home)) {
        Some(c) => c,
        None => bail!("no --chain-id given and no genesis in {} to read it from", home.0.display()),
    };
    let rpc = Rpc::new(&f.node)?;
    let (from, msgs) = match &a.module {
        TxModule::Token(cmd) => {
            let key = ring.resolve(cmd.from_key())?;
            let msg = cmd.to_msg(key.address).map_err(|e| anyhow!(e.message))?;
            (key, vec![msg.to_any()])
        }
        TxModule::Did(cmd) => {
            let (key, msg) = super::did::build_msg(&ring, &rpc, &chain_id, cmd).await?;
            (key, vec![msg])
        }
        TxModule::Staking(cmd) => staking_msgs(home, &ring, salus_staking::cli::TxCmd::Staking(cmd))?,
        TxModule::Distribution(cmd) => staking_msgs(home, &ring, salus_staking::cli::TxCmd::Distribution(cmd))?,
        TxModule::Slashing(cmd) => staking_msgs(home, &ring, salus_staking::cli::TxCmd::Slashing(cmd))?,
    };
    let staking = matches!(a.module, TxModule::Staking(_) | TxModule::Distribution(_) | TxModule::Slashing(_));
    let gas_flag = f.gas.clone().unwrap_or_else(|| if staking { "auto" } else { "200000" }.to_string());
    let gas = if gas_flag == "auto" {
        let adjustment = f.gas_adjustment.clone().unwrap_or_else(|| if staking { "1.5" } else { "1.3" }.to_string());
        GasSetting::Auto { adjustment_percent: percent(&adjustment)? }
    } else {
        GasSetting::Fixed(gas_flag.parse().map_err(|_| anyhow!("--gas must be a number or `auto`, got `{gas_flag}`"))?)
    };
    let fees: Option<Coins> = f
        .fees
        .as_deref()
        .map(str::parse)
        .transpose()
        .map_err(|e: salus_sdk::Error| anyhow!("--fees: {}", e.message))?;
    let gas_prices =
        f.gas_prices.as_deref().map(parse_gas_prices).transpose().map_err(|e| anyhow!("--gas-prices: {e}"))?;
    let params = TxParams {
        chain_id,
        gas,
        fees,
        gas_prices,
        memo: f.memo.clone(),
        timeout_height: f.timeout_height,
        account_number: f.account_number,
        sequence: f.sequence,
    };
    let tx = build_tx(&rpc, &from, msgs, &params).await?;

    if !f.yes && std::io::stdin().is_terminal() {
        eprint!("confirm transaction before signing and broadcasting [y/N]: ");
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        if !line.trim().eq_ignore_ascii_case("y") {
            bail!("cancelled");
        }
    }

    let hash = salus_sdk::tx::tx_hash(&tx);
    let checked = rpc.broadcast_sync(tx).await?;
    let mut result = serde_json::json!({
        "txhash": hex::encode_upper(hash),
        "code": checked.code.value(),
        "codespace": checked.codespace,
        "raw_log": checked.log,
        "height": "0",
    });
    if checked.code.is_ok() && f.broadcast_mode == "block" {
        let committed = rpc.wait_for_tx(hash, Duration::from_secs(60)).await?;
        let r = &committed.tx_result;
        result = serde_json::json!({
            "txhash": hex::encode_upper(hash),
            "height": committed.height.value().to_string(),
            "code": r.code.value(),
            "codespace": r.codespace,
            "raw_log": r.log,
            "gas_wanted": r.gas_wanted.to_string(),
            "gas_used": r.gas_used.to_string(),
            "events": super::query::events_json(&r.events),
        });
    }
    print(f.output, &result);
    let code = result["code"].as_u64().unwrap_or(1);
    if code != 0 {
        std::process::exit(1);
    }
    Ok(())
}
