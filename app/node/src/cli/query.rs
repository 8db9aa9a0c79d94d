//! `salusd query ...` and `salusd status`.

use anyhow::{anyhow, bail, Result};
use clap::{Args, Subcommand};
use prost::Message;
use salus_proto::cosmos::auth::v1beta1 as auth;
use salus_sdk::Address;

use super::output::{print, print_as_is};
use super::OutputFormat;
use crate::client::Rpc;
use crate::home::Home;

#[derive(Args)]
pub struct QueryArgs {
    #[command(subcommand)]
    what: QueryCmd,
    /// CometBFT RPC of a node.
    #[arg(long, global = true, default_value = "http://127.0.0.1:26657", env = "SALUS_NODE")]
    node: String,
    /// Read state as of this block height (0: latest).
    #[arg(long, global = true, default_value_t = 0)]
    height: u64,
    #[arg(long, short, global = true, value_enum, default_value_t)]
    output: OutputFormat,
}

#[derive(Subcommand)]
enum QueryCmd {
    /// Balances, supply and denom metadata.
    #[command(subcommand)]
    Token(salus_token::cli::QueryCmd),
    /// DIDs: resolve (DID Resolution result), history, params.
    #[command(subcommand)]
    Did(salus_did::cli::QueryCmd),
    /// Validators, delegations, unbondings, the pool and staking parameters.
    #[command(subcommand)]
    Staking(salus_staking::cli::StakingQueryCmd),
    /// Rewards, commission, the community pool and distribution parameters.
    #[command(subcommand)]
    Distribution(salus_staking::cli::DistributionQueryCmd),
    /// Validators' liveness (signing info) and slashing parameters.
    #[command(subcommand)]
    Slashing(salus_staking::cli::SlashingQueryCmd),
    /// An account's number, sequence and public key.
    Account { address: String },
    /// A committed transaction by hash: height, result code, log, gas and events.
    Tx { hash: String },
}

pub async fn run(_home: &Home, a: QueryArgs) -> Result<()> {
    let rpc = Rpc::new(&a.node)?;
    let value = match &a.what {
        QueryCmd::Token(cmd) => {
            let req = cmd.request().map_err(|e| anyhow!(e.message))?;
            let bytes = rpc.query_value(req.path, req.data, a.height).await?;
            cmd.response_json(&bytes)?
        }
        QueryCmd::Did(cmd) => {
            // A DID that cannot be resolved, refused here or by the node, is a DID Resolution
            // error result (invalidDid, notFound), printed like any result, with exit code 1.
            let value = match cmd.request() {
                Err(e) => cmd.resolution_error(e.codespace, e.code, &e.message).ok_or_else(|| anyhow!(e.message))?,
                Ok(req) => match rpc.query_value(req.path, req.data, a.height).await {
                    Ok(bytes) => cmd.response_json(&bytes)?,
                    Err(e) => match e.downcast_ref::<crate::client::QueryError>() {
                        Some(q) => match cmd.resolution_error(&q.codespace, q.code, &q.log) {
                            Some(result) => result,
                            None => return Err(e),
                        },
                        None => return Err(e),
                    },
                },
            };
            // DID Core and DID Resolution name their properties; print them unchanged.
            print_as_is(a.output, &value);
            if salus_did::json::error_of(&value).is_some() {
                std::process::exit(1);
            }
            return Ok(());
        }
        QueryCmd::Staking(cmd) => staking_query(&rpc, salus_staking::cli::QueryCmd::Staking(cmd), a.height).await?,
        QueryCmd::Distribution(cmd) => {
            staking_query(&rpc, salus_staking::cli::QueryCmd::Distribution(cmd), a.height).await?
        }
        QueryCmd::Slashing(cmd) => staking_query(&rpc, salus_staking::cli::QueryCmd::Slashing(cmd), a.height).await?,
        QueryCmd::Account { address } => {
            let addr = Address::parse("address", address).map_err(|e| anyhow!(e.message))?;
            let req = auth::QueryAccountRequest { address: addr.to_string() };
            let bytes = rpc.query_value("/cosmos.auth.v1beta1.Query/Account", req.encode_to_vec(), a.height).await?;
            let resp = auth::QueryAccountResponse::decode(bytes.as_slice())?;
            let any = resp.account.ok_or_else(|| anyhow!("empty account response"))?;
            let base = auth::BaseAccount::decode(any.value.as_slice())?;
            serde_json::json!({
                "@type": any.type_url,
                "address": base.address,
                "account_number": base.account_number.to_string(),
                "sequence": base.sequence.to_string(),
                "pub_key": base.pub_key.map(|pk| {
                    let key = salus_proto::cosmos::crypto::secp256k1::PubKey::decode(pk.value.as_slice()).map(|k| k.key).unwrap_or_default();
                    serde_json::json!({ "@type": pk.type_url, "key": base64_encode(&key) })
                }),
            })
        }
        QueryCmd::Tx { hash } => {
            let bytes =
                hex::decode(hash.trim_start_matches("0x")).map_err(|_| anyhow!("`{hash}` is not a hex tx hash"))?;
            let hash: [u8; 32] = bytes.try_into().map_err(|_| anyhow!("a tx hash is 32 bytes (64 hex characters)"))?;
            let Some(t) = rpc.tx(hash).await? else {
                bail!(
                    "tx {} not found: it is not committed (yet), or the node does not index txs",
                    hex::encode_upper(hash)
                );
            };
            let r = &t.tx_result;
            serde_json::json!({
                "txhash": hex::encode_upper(hash),
                "height": t.height.value().to_string(),
                "index": t.index,
                "code": r.code.value(),
                "codespace": r.codespace,
                "raw_log": r.log,
                "gas_wanted": r.gas_wanted.to_string(),
                "gas_used": r.gas_used.to_string(),
                "events": events_json(&r.events),
            })
        }
    };
    print(a.output, &value);
    Ok(())
}

async fn staking_query(rpc: &Rpc, cmd: salus_staking::cli::QueryCmd<'_>, height: u64) -> Result<serde_json::Value> {
    use salus_staking::cli::{QueryCmd, SlashingQueryCmd, StakingQueryCmd};
    // An operator address where a consensus address is asked for: look the validator up first.
    let by_cons;
    let cmd = match cmd.operator_for_cons_address() {
        Some(operator) => {
            let validator = StakingQueryCmd::Validator { validator: operator.to_string() };
            let req = QueryCmd::Staking(&validator).request().map_err(|e| anyhow!(e.message))?;
            let bytes = rpc.query_value(req.path, req.data, height).await?;
            let v = salus_proto::cosmos::staking::v1beta1::QueryValidatorResponse::decode(bytes.as_slice())?;
            let pubkey = salus_staking::msgs::ed25519_pubkey(v.validator.and_then(|v| v.consensus_pubkey).as_ref())
                .map_err(|e| anyhow!(e.message))?;
            by_cons = SlashingQueryCmd::SigningInfo { address: salus_staking::cli::cons_address_of(&pubkey) };
            QueryCmd::Slashing(&by_cons)
        }
        None => cmd,
    };
    let req = cmd.request().map_err(|e| anyhow!(e.message))?;
    let bytes = rpc.query_value(req.path, req.data, height).await?;
    cmd.response_json(&bytes)
}

fn base64_encode(b: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(b)
}

pub fn events_json(events: &[tendermint::abci::Event]) -> serde_json::Value {
    serde_json::Value::Array(
        events
            .iter()
            .map(|e| {
                let attrs: Vec<_> = e
                    .attributes
                    .iter()
                    .map(|a| {
                        serde_json::json!({
                            "key": a.key_str().unwrap_or_default(),
                            "value": a.value_str().unwrap_or_default(),
                        })
                    })
                    .collect();
                serde_json::json!({ "type": e.kind, "attributes": attrs })
            })
            .collect(),
    )
}

#[derive(Args)]
pub struct StatusArgs {
    /// CometBFT RPC of a node.
    #[arg(long, default_value = "http://127.0.0.1:26657", env = "SALUS_NODE")]
    node: String,
    #[arg(long, short, value_enum, default_value_t)]
    output: OutputFormat,
}

pub async fn status(a: StatusArgs) -> Result<()> {
    let rpc = Rpc::new(&a.node)?;
    let s = rpc.status().await?;
    let v = serde_json::json!({
        "node_info": {
            "id": s.node_info.id.to_string(),
            "network": s.node_info.network.to_string(),
            "moniker": s.node_info.moniker.to_string(),
            "version": s.node_info.version.to_string(),
            "listen_addr": s.node_info.listen_addr.to_string(),
        },
        "sync_info": {
            "latest_block_height": s.sync_info.latest_block_height.value().to_string(),
            "latest_block_hash": s.sync_info.latest_block_hash.to_string(),
            "latest_app_hash": s.sync_info.latest_app_hash.to_string(),
            "latest_block_time": s.sync_info.latest_block_time.to_rfc3339(),
            "catching_up": s.sync_info.catching_up,
        },
        "validator_info": {
            "address": s.validator_info.address.to_string(),
            "voting_power": s.validator_info.power.value().to_string(),
        }
    });
    print(a.output, &v);
    Ok(())
}
