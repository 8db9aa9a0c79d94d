//! `salusd tx <module> ...`: the module builds the messages ([`salus_sdk::cli::ModuleCli::tx`]);
//! the node signs, broadcasts, and by default waits for the block.

use std::io::{BufRead, IsTerminal};
use std::time::Duration;

use anyhow::{anyhow, bail, Result};
use clap::{ArgMatches, Args};
use salus_sdk::cli::GasPolicy;
use salus_sdk::Coins;

use super::ctx::{self, NodeCtx};
use super::output::print;
use super::OutputFormat;
use crate::app::modules;
use crate::app::params::parse_gas_prices;
use crate::client::{build_tx, GasSetting, TxParams};
use crate::home::Home;

/// The flags of every `tx` command; the commands themselves are the modules'
/// ([`crate::app::modules::cli_tx_commands`]).
#[derive(Args, Clone)]
pub struct TxArgs {
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
    /// distribution, slashing, gov, upgrade and consent, whose messages write or read more state).
    #[arg(long, global = true)]
    gas: Option<String>,
    /// Multiplier on the simulated gas with --gas auto (default 1.3; 1.5 for the modules whose gas
    /// is `auto`: rewards accrue, and consents change, between simulation and block).
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

/// `--gas-adjustment`'s default, in percent, for a module whose gas policy is a fixed limit.
const GAS_ADJUSTMENT_PERCENT: u64 = 130;

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

/// `salusd tx <module> ...`: `matches` are those of `tx`.
pub fn run(home: &Home, f: TxArgs, matches: &ArgMatches) -> Result<()> {
    let (module, module_matches) = matches.subcommand().ok_or_else(|| anyhow!("name a module: salusd tx --help"))?;
    run_with(home, f, |ctx| {
        modules::cli_tx(module, module_matches, ctx)
            .ok_or_else(|| anyhow!("no module `{module}`: salusd tx --help lists them"))?
    })
}

/// Signs and broadcasts what `build` makes with the context of these flags (the node's other
/// commands that send a tx, such as `salusd fhir import`, use it as `tx` does).
pub fn run_with(
    home: &Home,
    f: TxArgs,
    build: impl FnOnce(&NodeCtx) -> Result<(salus_sdk::cli::TxRequest, GasPolicy)>,
) -> Result<()> {
    let chain_id = ctx::chain_id(home, f.chain_id.clone())?;
    let ctx = NodeCtx::new(home, &f.node, Some(chain_id.clone()), 0)?;
    let (request, policy) = build(&ctx)?;
    let from = ctx.ring.resolve(&request.signer)?;
    // `--gas` and `--gas-adjustment`, else the module's policy.
    let (default_gas, default_adjustment) = match policy {
        GasPolicy::Fixed(g) => (g.to_string(), GAS_ADJUSTMENT_PERCENT),
        GasPolicy::Auto { adjustment_percent } => ("auto".to_string(), adjustment_percent),
    };
    let gas_flag = f.gas.clone().unwrap_or(default_gas);
    let gas = if gas_flag == "auto" {
        let adjustment_percent = f.gas_adjustment.as_deref().map(percent).transpose()?.unwrap_or(default_adjustment);
        GasSetting::Auto { adjustment_percent }
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
    let rpc = &ctx.rpc;
    let tx = ctx.block_on(build_tx(rpc, &from, request.msgs, &params))?;

    if !f.yes && std::io::stdin().is_terminal() {
        eprint!("confirm transaction before signing and broadcasting [y/N]: ");
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line)?;
        if !line.trim().eq_ignore_ascii_case("y") {
            bail!("cancelled");
        }
    }

    let hash = salus_sdk::tx::tx_hash(&tx);
    let checked = ctx.block_on(rpc.broadcast_sync(tx))?;
    let mut result = serde_json::json!({
        "txhash": hex::encode_upper(hash),
        "code": checked.code.value(),
        "codespace": checked.codespace,
        "raw_log": checked.log,
        "height": "0",
    });
    if checked.code.is_ok() && f.broadcast_mode == "block" {
        let committed = ctx.block_on(rpc.wait_for_tx(hash, Duration::from_secs(60)))?;
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
