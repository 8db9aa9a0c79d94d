//! The in-process benchmark: pre-signed MsgSend txs executed block by block through the App
//! (FinalizeBlock + Commit) on a temporary real store. Numbers are compared within one run.

use std::time::{Duration, Instant};

use anyhow::{anyhow, Result};
use bytes::Bytes;
use salus_proto::cosmos::bank::v1beta1::MsgSend;
use salus_proto::cosmos::base::v1beta1::Coin as ProtoCoin;
use salus_sdk::Coins;
use salus_store::Storage;

use crate::app::params::TxLimits;
use crate::app::App;
use crate::client::{sign_tx, GasSetting, TxParams};
use crate::keyring::Key;

const CHAIN_ID: &str = "salus-bench-1";

pub struct BenchConfig {
    pub txs: usize,
    pub block_size: usize,
    pub accounts: usize,
}

/// One line of the result table.
pub struct Row {
    pub what: &'static str,
    pub txs: usize,
    pub elapsed: Duration,
}

impl Row {
    pub fn per_second(&self) -> f64 {
        self.txs as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }
}

pub struct Report {
    pub rows: Vec<Row>,
    /// Share of the cold run's time: (signature checks, execution, commit), in percent.
    pub split: (f64, f64, f64),
}

fn keys(n: usize) -> Vec<Key> {
    (0..n)
        .map(|i| {
            let mut secret = [0u8; 32];
            secret[..8].copy_from_slice(&(i as u64 + 1).to_be_bytes());
            secret[31] = 1;
            Key::from_secret(&format!("bench{i}"), secp256k1::SecretKey::from_slice(&secret).expect("valid secret"))
        })
        .collect()
}

fn genesis(keys: &[Key]) -> String {
    let balances: Vec<_> = keys
        .iter()
        .map(|k| serde_json::json!({"address": k.address.to_string(), "coins": [{"denom": "usalus", "amount": "1000000000000"}]}))
        .collect();
    serde_json::json!({ "token": { "balances": balances } }).to_string()
}

fn fresh_app(dir: &std::path::Path, keys: &[Key]) -> Result<App> {
    let mut app = App::new(Storage::open(dir)?, TxLimits::default())?;
    app.init_chain(CHAIN_ID, 1, block_time(0), genesis(keys).as_bytes(), crate::app::params::BlockLimits::default())?;
    Ok(app)
}

fn block_time(h: u64) -> tendermint::Time {
    tendermint::Time::from_unix_timestamp(1_800_000_000 + h as i64, 0).expect("valid time")
}

/// Runs all blocks; returns (finalize time, commit time). With `check_first`, every tx goes
/// through CheckTx before its block, as on a validator whose mempool saw it.
fn run_blocks(app: &mut App, txs: &[Bytes], block_size: usize, check_first: bool) -> Result<(Duration, Duration)> {
    let (mut finalize, mut commit) = (Duration::ZERO, Duration::ZERO);
    for (i, block) in txs.chunks(block_size).enumerate() {
        if check_first {
            for tx in block {
                let o = app.check_tx(tx, false);
                if !o.is_ok() {
                    return Err(anyhow!("CheckTx rejected a bench tx: {}", o.log));
                }
            }
        }
        let h = i as u64 + 1;
        let t = Instant::now();
        let outcomes = app.finalize_block(h, block_time(h), block, &Default::default())?.outcomes;
        finalize += t.elapsed();
        if let Some(bad) = outcomes.iter().find(|o| !o.is_ok()) {
            return Err(anyhow!("a bench tx failed in block {h}: {}", bad.log));
        }
        let t = Instant::now();
        app.commit()?;
        commit += t.elapsed();
    }
    Ok((finalize, commit))
}

pub fn run(cfg: &BenchConfig, progress: impl Fn(&str)) -> Result<Report> {
    progress(&format!("signing {} MsgSend txs from {} accounts", cfg.txs, cfg.accounts));
    let (sorted, txs) = signed_transfers(cfg.accounts, cfg.txs, CHAIN_ID, &[]);

    progress("signature verification alone");
    // Each signer's account number, looked up before the clock starts.
    let numbers: std::collections::BTreeMap<[u8; 33], u64> =
        sorted.iter().enumerate().map(|(n, k)| (k.pubkey, n as u64)).collect();
    let t = Instant::now();
    for tx in &txs {
        let d = salus_sdk::tx::decode(tx).map_err(|e| anyhow!(e.message))?;
        let pk = salus_sdk::tx::secp256k1_pubkey(
            d.auth_info.signer_infos[0].public_key.as_ref().expect("bench txs carry keys"),
        )
        .map_err(|e| anyhow!(e.message))?;
        let number = pk.as_slice().try_into().ok().and_then(|pk: [u8; 33]| numbers.get(&pk).copied()).unwrap_or(0);
        let doc = salus_sdk::tx::sign_doc_bytes(&d.body_bytes, &d.auth_info_bytes, CHAIN_ID, number);
        salus_sdk::tx::verify_secp256k1(&pk, &doc, &d.signatures[0]).map_err(|e| anyhow!(e.message))?;
    }
    let verify = t.elapsed();

    progress("blocks, signatures verified in FinalizeBlock (a node that never saw the txs)");
    let dir = tempfile::tempdir()?;
    let mut app = fresh_app(dir.path(), &sorted)?;
    let (cold_finalize, cold_commit) = run_blocks(&mut app, &txs, cfg.block_size, false)?;
    drop(app);

    progress("blocks, signatures verified once in CheckTx (a node whose mempool saw the txs)");
    let dir = tempfile::tempdir()?;
    let mut app = fresh_app(dir.path(), &sorted)?;
    let t = Instant::now();
    let (warm_finalize, warm_commit) = run_blocks(&mut app, &txs, cfg.block_size, true)?;
    let warm_total = t.elapsed();
    drop(app);

    progress("CheckTx of new txs, then recheck after a block");
    let dir = tempfile::tempdir()?;
    let mut app = fresh_app(dir.path(), &sorted)?;
    let sample = &txs[..cfg.block_size.min(txs.len())];
    let t = Instant::now();
    for tx in sample {
        app.check_tx(tx, false);
    }
    let check_new = t.elapsed();
    app.finalize_block(1, block_time(1), &[], &Default::default())?;
    app.commit()?;
    let t = Instant::now();
    for tx in sample {
        app.check_tx(tx, true);
    }
    let recheck = t.elapsed();

    let cold_total = cold_finalize + cold_commit;
    let sig_share = verify.as_secs_f64() / cold_total.as_secs_f64() * 100.0;
    let commit_share = cold_commit.as_secs_f64() / cold_total.as_secs_f64() * 100.0;
    let n = txs.len();
    Ok(Report {
        rows: vec![
            Row {
                what: "blocks (FinalizeBlock + Commit), signatures verified in the block",
                txs: n,
                elapsed: cold_total,
            },
            Row {
                what: "blocks (FinalizeBlock + Commit), signatures cached from CheckTx",
                txs: n,
                elapsed: warm_finalize + warm_commit,
            },
            Row { what: "CheckTx then blocks, signatures verified once", txs: n, elapsed: warm_total },
            Row { what: "secp256k1 verification alone (decode, sign doc, verify)", txs: n, elapsed: verify },
            Row { what: "CheckTx of new txs (verifies signatures)", txs: sample.len(), elapsed: check_new },
            Row { what: "CheckTx recheck after a block (skips signatures)", txs: sample.len(), elapsed: recheck },
        ],
        split: (sig_share, (100.0 - sig_share - commit_share).max(0.0), commit_share),
    })
}

/// `accounts` keys in address order and `txs` transfers among them: every account sends 1usalus to
/// the next, round after round, each at its next sequence, signed for `chain_id`. Genesis numbers
/// accounts in address order, so the signatures bind each key's rank among its fellows and
/// `also_in_genesis` (other funded addresses).
pub fn signed_transfers(
    accounts: usize,
    txs: usize,
    chain_id: &str,
    also_in_genesis: &[salus_sdk::Address],
) -> (Vec<Key>, Vec<Bytes>) {
    let mut sorted = keys(accounts);
    sorted.sort_by_key(|k| k.address);
    let numbers: Vec<u64> = sorted
        .iter()
        .enumerate()
        .map(|(i, k)| (i + also_in_genesis.iter().filter(|a| **a < k.address).count()) as u64)
        .collect();
    let signed = presign(&sorted, &numbers, txs, chain_id);
    (sorted, signed)
}

fn presign(sorted: &[Key], numbers: &[u64], txs: usize, chain_id: &str) -> Vec<Bytes> {
    let fee: Coins = "200usalus".parse().expect("valid coins");
    let mut out = Vec::with_capacity(txs);
    let mut round = 0u64;
    while out.len() < txs {
        for (i, k) in sorted.iter().enumerate() {
            if out.len() == txs {
                break;
            }
            let number = numbers[i];
            let to = &sorted[(i + 1) % sorted.len()];
            let msg = salus_proto::to_any(&MsgSend {
                from_address: k.address.to_string(),
                to_address: to.address.to_string(),
                amount: vec![ProtoCoin { denom: "usalus".into(), amount: "1".into() }],
            });
            let p = TxParams {
                chain_id: chain_id.into(),
                gas: GasSetting::Fixed(200_000),
                fees: Some(fee.clone()),
                gas_prices: None,
                memo: String::new(),
                timeout_height: 0,
                account_number: Some(number),
                sequence: Some(round),
            };
            out.push(Bytes::from(sign_tx(k, vec![msg], &p, 200_000, &fee, number, round)));
        }
        round += 1;
    }
    out
}

/// The report as a Markdown table.
pub fn markdown(cfg: &BenchConfig, r: &Report) -> String {
    let mut s = format!(
        "| measure ({} txs, blocks of {}, {} accounts) | txs | seconds | tx/s |\n| --- | ---: | ---: | ---: |\n",
        cfg.txs, cfg.block_size, cfg.accounts
    );
    for row in &r.rows {
        s += &format!("| {} | {} | {:.3} | {:.0} |\n", row.what, row.txs, row.elapsed.as_secs_f64(), row.per_second());
    }
    let (sig, exec, commit) = r.split;
    s += &format!(
        "\nTime of a block whose signatures are verified in it: signatures {sig:.0}%, execution {exec:.0}%, commit {commit:.0}%.\n"
    );
    s
}
