//! `salusd genesis export`: the whole app state at the latest committed height as a genesis.json
//! a new chain starts from, as Cosmos SDK's `<appd> export` writes it.
//!
//! The node's store is read directly, so the node must be stopped (RocksDB lets one process open
//! it). The new chain starts at height 1 (the only initial height the app supports), so heights
//! of the old chain in state are set to 0 (Cosmos' `--for-zero-height`); its genesis time is the
//! exported block's time, so block times go on from where the old chain stopped. The chain id is
//! kept: edit it in the file to start a different chain.

use std::path::PathBuf;

use anyhow::{bail, Result};
use base64::Engine;
use clap::Args;

use crate::app::params::TxLimits;
use crate::app::{App, Exported};
use crate::home::{self, Home};

#[derive(Args)]
pub struct ExportArgs {
    /// The height to export; only the latest committed height can be (the default).
    #[arg(long)]
    pub height: Option<u64>,
    /// Write the genesis to this file instead of stdout.
    #[arg(long)]
    pub output_document: Option<PathBuf>,
}

pub fn export(home: &Home, a: ExportArgs) -> Result<()> {
    let db = home.db();
    if !db.join("CURRENT").exists() {
        bail!("no state database at {}: this home's node has never run, so there is nothing to export", db.display());
    }
    let storage = match salus_store::Storage::open(&db) {
        Ok(s) => s,
        Err(e) if format!("{e:#}").to_lowercase().contains("lock") => bail!(
            "the state database at {} is in use (its LOCK is held, most likely by a running `salusd start`): \
             stop the node first, then export",
            db.display()
        ),
        Err(e) => return Err(e),
    };
    let app = App::new(storage, TxLimits::default())?;
    let exported = app.export(a.height)?;
    let doc = genesis_doc(home, &exported)?;
    let text = serde_json::to_string_pretty(&doc)? + "\n";
    match a.output_document {
        Some(path) => {
            std::fs::write(&path, text).map_err(|e| anyhow::anyhow!("writing {}: {e}", path.display()))?;
            eprintln!(
                "exported {} at height {} (app hash {}) to {}; the new chain starts at height 1",
                exported.chain_id,
                exported.height,
                hex::encode_upper(exported.app_hash),
                path.display()
            );
        }
        None => print!("{text}"),
    }
    Ok(())
}

/// CometBFT's genesis.json around the exported app state: the home's consensus params (with the
/// block limits the chain runs with) and the validator set.
pub fn genesis_doc(home: &Home, e: &Exported) -> Result<serde_json::Value> {
    let original = home::read_json(&home.genesis()).ok();
    let mut consensus_params = original
        .as_ref()
        .and_then(|g| g.get("consensus_params"))
        .filter(|c| c.is_object())
        .cloned()
        .unwrap_or_else(home::default_consensus_params);
    if !consensus_params["block"].is_object() {
        consensus_params["block"] = serde_json::json!({});
    }
    consensus_params["block"]["max_bytes"] = e.block_limits.max_bytes.to_string().into();
    consensus_params["block"]["max_gas"] = e.block_limits.max_gas.to_string().into();
    // Evidence age as governance may have changed it.
    let p = &e.comet_params;
    consensus_params["evidence"] = serde_json::json!({
        "max_age_num_blocks": p.evidence_max_age_num_blocks.to_string(),
        "max_age_duration": (i128::from(p.evidence_max_age_secs) * 1_000_000_000 + i128::from(p.evidence_max_age_nanos)).to_string(),
        "max_bytes": p.evidence_max_bytes.to_string(),
    });
    let genesis_time = if e.block_time != (0, 0) {
        salus_sdk::time::Time { secs: e.block_time.0, nanos: e.block_time.1 }.rfc3339()
    } else {
        original
            .as_ref()
            .and_then(|g| g.get("genesis_time"))
            .and_then(|t| t.as_str())
            .map(String::from)
            .unwrap_or_else(home::now_rfc3339)
    };
    let validators: Vec<serde_json::Value> = e
        .validators
        .iter()
        .map(|v| {
            serde_json::json!({
                "address": salus_staking::genesis::comet_address(&v.pubkey),
                "pub_key": {
                    "type": "tendermint/PubKeyEd25519",
                    "value": base64::engine::general_purpose::STANDARD.encode(v.pubkey),
                },
                "power": v.power.to_string(),
                "name": "",
            })
        })
        .collect();
    Ok(serde_json::json!({
        "genesis_time": genesis_time,
        "chain_id": e.chain_id,
        "initial_height": "1",
        "consensus_params": consensus_params,
        "validators": validators,
        "app_hash": "",
        "app_state": serde_json::to_value(&e.app_state)?,
    }))
}
