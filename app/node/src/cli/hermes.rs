//! `salusd hermes-config`: the `[[chains]]` section the Hermes relayer needs for this node's chain,
//! so an operator does not hand-write proof specs, the store prefix or the compat mode.

use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::Args;

use crate::app::params::{parse_gas_prices, AuthParams};
use crate::home::{read_json, AppConfig, Home};

#[derive(Args)]
pub struct HermesConfigArgs {
    /// The Hermes key (`hermes keys add --key-name <name> --chain <chain-id> ...`) that signs and
    /// pays for this chain's relayer transactions.
    #[arg(long, default_value = "relayer")]
    pub key_name: String,
    /// Write a whole Hermes config (a `[global]` section and this chain) instead of the section
    /// alone. Append `salusd hermes-config` of the other chain's home to it.
    #[arg(long)]
    pub with_global: bool,
    /// Write to this file (created, or appended to with --append) instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Append to --output instead of refusing a file that exists.
    #[arg(long, requires = "output")]
    pub append: bool,
    /// How much of the unbonding period the client of this chain trusts a header for, in percent
    /// (Hermes and ibc-go use two thirds).
    #[arg(long, default_value_t = 66, value_parser = clap::value_parser!(u64).range(1..100))]
    pub trusting_percent: u64,
}

pub fn run(home: &Home, a: HermesConfigArgs) -> Result<()> {
    let section = chain_section(home, &a.key_name, a.trusting_percent)?;
    let text = if a.with_global { format!("{GLOBAL}\n{section}") } else { section };
    match &a.output {
        None => print!("{text}"),
        Some(path) => {
            use std::io::Write;
            let mut file = std::fs::OpenOptions::new()
                .append(a.append)
                .write(true)
                .create(a.append)
                .create_new(!a.append)
                .open(path)
                .with_context(|| format!("writing {} (add --append to add to a file that exists)", path.display()))?;
            file.write_all(if a.append { format!("\n{text}") } else { text }.as_bytes())?;
            eprintln!("wrote the Hermes config of this chain to {}", path.display());
        }
    }
    Ok(())
}

/// What Hermes needs before any `[[chains]]`: the relayer's modes, with packet clearing on start,
/// so `hermes start` delivers what was left pending while it was down.
const GLOBAL: &str = r#"# Hermes relayer config, written by `salusd hermes-config --with-global`.
[global]
log_level = 'info'

[mode.clients]
enabled = true
refresh = true
misbehaviour = true

[mode.connections]
enabled = false

[mode.channels]
enabled = false

[mode.packets]
enabled = true
clear_interval = 100
clear_on_start = true
tx_confirmation = true
"#;

/// The `[[chains]]` section of the chain of `home`: its chain id, endpoints and gas price from the
/// home's genesis and app.toml, Salus' proof specs and store prefix.
pub fn chain_section(home: &Home, key_name: &str, trusting_percent: u64) -> Result<String> {
    if key_name.is_empty() || !key_name.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)) {
        bail!("--key-name {key_name:?}: use letters, digits, '-', '_' or '.'");
    }
    let genesis = read_json(&home.genesis())?;
    let chain_id = genesis["chain_id"].as_str().context("genesis.json has no chain_id")?;
    crate::home::validate_chain_id(chain_id)?;
    let app = &genesis["app_state"];
    let unbonding_secs = app["staking"]["params"]["unbonding_time_secs"]
        .as_u64()
        .context("genesis.json has no app_state.staking.params.unbonding_time_secs")?;
    let auth: AuthParams = serde_json::from_value(app["auth"]["params"].clone()).unwrap_or_default();
    let config = AppConfig::load(home)?;
    if !config.grpc.enable {
        bail!("Hermes reads the chain over gRPC: set grpc.enable = true in {}", home.app_toml().display());
    }
    let price = parse_gas_prices(&config.minimum_gas_prices)
        .map_err(|e| anyhow::anyhow!("minimum-gas-prices in {}: {e}", home.app_toml().display()))?
        .into_iter()
        .find(|p| p.denom == salus_sdk::BASE_DENOM)
        .map(|p| {
            let decimal = p.to_string();
            let number = decimal.trim_end_matches(salus_sdk::BASE_DENOM).trim_end_matches('0');
            number.trim_end_matches('.').to_string()
        })
        .unwrap_or_else(|| "0.001".into());
    let rpc = config.cometbft.rpc.trim_end_matches('/');
    let websocket = format!("{}/websocket", rpc.replacen("http://", "ws://", 1).replacen("https://", "wss://", 1));
    // Values from the home's files go in as TOML strings, escaped: a stray quote or newline in
    // them cannot add settings.
    let quoted = |s: &str| toml::Value::String(s.to_string()).to_string();
    let (chain_id, rpc, websocket) = (quoted(chain_id), quoted(rpc), quoted(&websocket));
    let grpc = quoted(&format!("http://{}", config.grpc.address));
    // Leave room for the tx envelope: Hermes batches messages up to this size.
    let max_tx_size = auth.max_tx_bytes.saturating_mul(3) / 4;
    Ok(format!(
        r#"# The Salus chain {chain_id}, written by `salusd hermes-config`.
[[chains]]
id = {chain_id}
type = 'CosmosSdk'
rpc_addr = {rpc}
grpc_addr = {grpc}
event_source = {{ mode = 'push', url = {websocket}, batch_delay = '500ms' }}
rpc_timeout = '10s'
trusted_node = false
account_prefix = '{prefix}'
key_name = '{key_name}'
key_store_type = 'Test'
store_prefix = 'ibc'
default_gas = 400000
max_gas = {max_gas}
gas_price = {{ price = {price}, denom = '{denom}' }}
gas_multiplier = 1.3
max_msg_num = {max_msgs}
max_tx_size = {max_tx_size}
clock_drift = '5s'
max_block_time = '30s'
trusting_period = '{trusting}s'
trust_threshold = {{ numerator = '2', denominator = '3' }}
address_type = {{ derivation = 'cosmos' }}
compat_mode = '0.38'
proof_specs = '''
{proof_specs}
'''
"#,
        prefix = salus_sdk::BECH32_PREFIX,
        max_gas = auth.max_gas_per_tx.min(50_000_000),
        denom = salus_sdk::BASE_DENOM,
        max_msgs = auth.max_msgs_per_tx.min(30),
        trusting = unbonding_secs.saturating_mul(trusting_percent) / 100,
        proof_specs = serde_json::to_string_pretty(&proof_specs_json())?,
    ))
}

/// Salus' ICS-23 proof specs as Hermes reads them: ibc-proto's JSON (enums as numbers, bytes in
/// base64), innermost (the ibc substore) first.
pub fn proof_specs_json() -> serde_json::Value {
    use base64::Engine;
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let specs = salus_store::proof_specs().into_iter().map(|s| {
        let leaf = s.leaf_spec.unwrap_or_default();
        let inner = s.inner_spec.unwrap_or_default();
        serde_json::json!({
            "leaf_spec": {
                "hash": leaf.hash,
                "prehash_key": leaf.prehash_key,
                "prehash_value": leaf.prehash_value,
                "length": leaf.length,
                "prefix": b64(&leaf.prefix),
            },
            "inner_spec": {
                "child_order": inner.child_order,
                "child_size": inner.child_size,
                "min_prefix_length": inner.min_prefix_length,
                "max_prefix_length": inner.max_prefix_length,
                "empty_child": b64(&inner.empty_child),
                "hash": inner.hash,
            },
            "max_depth": s.max_depth,
            "min_depth": s.min_depth,
            "prehash_key_before_comparison": s.prehash_key_before_comparison,
        })
    });
    serde_json::Value::Array(specs.collect())
}
