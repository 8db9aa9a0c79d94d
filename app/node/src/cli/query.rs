//! `salusd query ...` and `salusd status`.

use anyhow::{anyhow, bail, Result};
use clap::{ArgMatches, Args, FromArgMatches, Subcommand};
use prost::Message;
use salus_proto::cosmos::auth::v1beta1 as auth;
use salus_sdk::Address;

use super::ctx::NodeCtx;
use super::output::{print, print_as_is};
use super::OutputFormat;
use crate::app::modules;
use crate::client::Rpc;
use crate::home::Home;

/// The flags of every `query` command. The commands are the modules'
/// ([`crate::app::modules::cli_query_commands`]), then the node's own ([`NodeQuery`]).
#[derive(Args)]
pub struct QueryArgs {
    /// CometBFT RPC of a node.
    #[arg(long, global = true, default_value = "http://127.0.0.1:26657", env = "SALUS_NODE")]
    node: String,
    /// Read state as of this block height (0: latest).
    #[arg(long, global = true, default_value_t = 0)]
    height: u64,
    #[arg(long, short, global = true, value_enum, default_value_t)]
    output: OutputFormat,
}

/// The queries that are the node's, not a module's.
#[derive(Subcommand)]
pub enum NodeQuery {
    /// An account's number, sequence and public key.
    Account { address: String },
    /// A committed transaction by hash: height, result code, log, gas and events.
    Tx { hash: String },
}

/// `salusd query ...`: `matches` are those of `query`.
pub fn run(home: &Home, a: QueryArgs, matches: &ArgMatches) -> Result<()> {
    let ctx = NodeCtx::new(home, &a.node, None, a.height)?;
    let (name, sub) = matches.subcommand().ok_or_else(|| anyhow!("name a query: salusd query --help"))?;
    if let Some(answer) = modules::cli_query(name, sub, &ctx) {
        let answer = answer?;
        if answer.keys_as_is {
            print_as_is(a.output, &answer.value);
        } else {
            print(a.output, &answer.value);
        }
        if answer.failed {
            std::process::exit(1);
        }
        return Ok(());
    }
    let rpc = &ctx.rpc;
    let value = match NodeQuery::from_arg_matches(matches)? {
        NodeQuery::Account { address } => {
            let addr = Address::parse("address", &address).map_err(|e| anyhow!(e.message))?;
            let req = auth::QueryAccountRequest { address: addr.to_string() };
            let bytes =
                ctx.block_on(rpc.query_value("/cosmos.auth.v1beta1.Query/Account", req.encode_to_vec(), a.height))?;
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
        NodeQuery::Tx { hash } => {
            let bytes =
                hex::decode(hash.trim_start_matches("0x")).map_err(|_| anyhow!("`{hash}` is not a hex tx hash"))?;
            let hash: [u8; 32] = bytes.try_into().map_err(|_| anyhow!("a tx hash is 32 bytes (64 hex characters)"))?;
            let Some(t) = ctx.block_on(rpc.tx(hash))? else {
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
