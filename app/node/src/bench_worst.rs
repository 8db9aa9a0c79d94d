//! Worst cases, measured rather than asserted: what the most expensive input of the largest size
//! costs to refuse, and what choosing the validator set costs as validators pile up.

use std::time::{Duration, Instant};

use anyhow::{anyhow, Result};
use prost::Message;
use salus_proto::cosmos::bank::v1beta1::{Input, MsgMultiSend, Output};
use salus_proto::cosmos::base::v1beta1::Coin as ProtoCoin;
use salus_proto::cosmos::tx::v1beta1 as txpb;
use salus_sdk::{Address, BlockCtx, Overlay};
use salus_staking::dec::Dec;
use salus_staking::state::{StakingRead, StakingWrite};
use salus_staking::types::{BondStatus, CommissionRates, Description, Time, Validator};
use salus_store::Storage;

use crate::app::params::TxLimits;
use crate::app::App;

/// One measured case: how long one run takes, on average.
pub struct Case {
    pub what: String,
    pub runs: u32,
    pub elapsed: Duration,
}

impl Case {
    pub fn millis_each(&self) -> f64 {
        self.elapsed.as_secs_f64() * 1000.0 / f64::from(self.runs.max(1))
    }
}

/// The two shapes of hostile MultiSend.
#[derive(Clone, Copy, Debug)]
pub enum Shape {
    /// Unsigned, one output after another, each paying a denom of its own: the shape that made
    /// validation quadratic (refused now at the output cap, while decoding).
    OneDenomPerOutput,
    /// Within the output and denom caps (1000 outputs of as many of the same 64 denoms as fit), with a
    /// signature slot and an input one unit short: it passes every count and cap and is refused
    /// at the end of message validation.
    WithinCaps,
}

fn multi_send_tx(outputs: Vec<Output>, signed: bool) -> Vec<u8> {
    let addr = Address([7; 20]).to_string();
    let mut sums = std::collections::BTreeMap::<&str, u128>::new();
    for c in outputs.iter().flat_map(|o| &o.coins) {
        *sums.entry(c.denom.as_str()).or_default() += 1;
    }
    let mut total: Vec<ProtoCoin> =
        sums.into_iter().map(|(denom, n)| ProtoCoin { denom: denom.into(), amount: n.to_string() }).collect();
    if let (true, Some(last)) = (signed, total.last_mut()) {
        last.amount = (last.amount.parse::<u128>().unwrap_or(0) + 1).to_string();
    }
    let msg = MsgMultiSend { inputs: vec![Input { address: addr, coins: total }], outputs };
    let body = txpb::TxBody { messages: vec![salus_proto::to_any(&msg)], ..Default::default() };
    let direct = txpb::ModeInfo {
        sum: Some(txpb::mode_info::Sum::Single(txpb::mode_info::Single {
            mode: salus_proto::cosmos::tx::signing::v1beta1::SignMode::Direct as i32,
        })),
    };
    let signer_infos =
        if signed { vec![txpb::SignerInfo { public_key: None, mode_info: Some(direct), sequence: 0 }] } else { vec![] };
    let auth = txpb::AuthInfo {
        signer_infos,
        fee: Some(txpb::Fee { gas_limit: 100_000_000, ..Default::default() }),
        ..Default::default()
    };
    let signatures = if signed { vec![vec![1u8; 64]] } else { Vec::new() };
    txpb::TxRaw { body_bytes: body.encode_to_vec(), auth_info_bytes: auth.encode_to_vec(), signatures }.encode_to_vec()
}

/// A hostile MultiSend of just under `max_bytes`.
pub fn hostile_multi_send(max_bytes: usize, shape: Shape) -> Vec<u8> {
    let addr = Address([7; 20]).to_string();
    let coin = |i: usize| ProtoCoin { denom: format!("d{i:09}"), amount: "1".into() };
    match shape {
        Shape::OneDenomPerOutput => {
            let output = |i: usize| Output { address: addr.clone(), coins: vec![coin(i)] };
            // Each output adds about 60 bytes (its own entry and its share of the input).
            let n = max_bytes / 60;
            let mut outputs: Vec<Output> = (0..n).map(output).collect();
            let mut tx = multi_send_tx(outputs.clone(), false);
            while tx.len() > max_bytes {
                outputs.truncate(outputs.len() * 99 / 100);
                tx = multi_send_tx(outputs.clone(), false);
            }
            tx
        }
        Shape::WithinCaps => {
            let with = |per: usize| -> Vec<Output> {
                (0..1000).map(|_| Output { address: addr.clone(), coins: (0..per).map(coin).collect() }).collect()
            };
            let per = (1..=64).rev().find(|&per| multi_send_tx(with(per), true).len() <= max_bytes).unwrap_or(1);
            multi_send_tx(with(per), true)
        }
    }
}

fn time_check_tx(app: &mut App, tx: &[u8], runs: u32) -> Duration {
    let t = Instant::now();
    for _ in 0..runs {
        let outcome = app.check_tx(tx, false);
        assert!(!outcome.is_ok(), "a hostile tx was accepted");
    }
    t.elapsed()
}

/// The cost of refusing the worst unsigned tx of the largest size, beside a tx of the same size
/// refused as soon as it is decoded.
pub fn refusals(app: &mut App, runs: u32) -> Result<Vec<Case>> {
    let max = app.limits().auth.max_tx_bytes as usize;
    let hostile = hostile_multi_send(max, Shape::OneDenomPerOutput);
    let validated = hostile_multi_send(max, Shape::WithinCaps);
    let mut junk = hostile.clone();
    // The same bytes with the message's type URL spoilt: refused right after decoding.
    let url = b"/cosmos.bank.v1beta1.MsgMultiSend";
    let at = junk.windows(url.len()).position(|w| w == url).ok_or_else(|| anyhow!("no type URL in the tx"))?;
    junk[at + 1] = b'X';
    let plain = time_check_tx(app, &junk, runs);
    let worst = time_check_tx(app, &hostile, runs);
    let full = time_check_tx(app, &validated, runs);
    let log = app.check_tx(&validated, false).log;
    Ok(vec![
        Case {
            what: format!("CheckTx refuses a {} KiB tx with an unroutable message", junk.len() / 1024),
            runs,
            elapsed: plain,
        },
        Case {
            what: format!(
                "CheckTx refuses a {} KiB unsigned MultiSend, one denom per output (at the output cap)",
                hostile.len() / 1024
            ),
            runs,
            elapsed: worst,
        },
        Case {
            what: format!(
                "CheckTx refuses a {} KiB MultiSend within the caps, after validating every output (log: {} bytes)",
                validated.len() / 1024,
                log.len()
            ),
            runs,
            elapsed: full,
        },
    ])
}

fn validator(i: u32, power: u64, bonded: bool) -> Validator {
    let mut op = [0u8; 20];
    op[..4].copy_from_slice(&i.to_be_bytes());
    let mut key = [0u8; 32];
    key[..4].copy_from_slice(&i.to_be_bytes());
    let tokens = u128::from(power) * 1_000_000;
    Validator {
        operator: Address(op),
        consensus_pubkey: key,
        jailed: false,
        status: if bonded { BondStatus::Bonded } else { BondStatus::Unbonded },
        tokens,
        delegator_shares: Dec::from_int(tokens),
        description: Description { moniker: format!("v{i}"), ..Default::default() },
        unbonding_height: 0,
        unbonding_time: Time::default(),
        commission: CommissionRates { rate: Dec::ZERO, max_rate: Dec::ONE, max_change_rate: Dec::ONE },
        commission_update_time: Time::default(),
        min_self_delegation: 1,
    }
}

/// Choosing the set (EndBlock's validator-set step) in the steady state, with `count` validators
/// of whom the top `max_validators` are bonded.
pub fn validator_set(count: u32, runs: u32) -> Result<Case> {
    let dir = tempfile::tempdir()?;
    let storage = Storage::open(dir.path())?;
    let empty = storage.snapshot(0);
    let mut state = Overlay::new(&empty);
    let max = state.staking_params().map_err(|e| anyhow!(e.message))?.max_validators;
    for i in 0..count {
        let power = 1_000_000 - u64::from(i);
        let v = validator(i, power, i < max);
        state.set_validator(&v).map_err(|e| anyhow!(e.message))?;
        if i < max {
            state.set_last_power(&v.operator, power).map_err(|e| anyhow!(e.message))?;
        }
    }
    let (writes, _) = state.into_parts();
    storage.commit(storage.prepare(0, &writes)?)?;
    let snap = storage.snapshot(0);
    let ctx = BlockCtx { chain_id: "salus-bench-1".into(), height: 1, time_secs: 1_800_000_000, time_nanos: 0 };
    let t = Instant::now();
    for _ in 0..runs {
        let mut block = Overlay::new(&snap);
        let updates = salus_staking::bonding::apply_validator_set(&mut block, &ctx).map_err(|e| anyhow!(e.message))?;
        assert!(updates.is_empty(), "the steady state changes nothing");
    }
    Ok(Case {
        what: format!("EndBlock's validator-set step, {count} validators ({max} bonded)"),
        runs,
        elapsed: t.elapsed(),
    })
}

/// Every worst case, for the bench table.
pub fn run(progress: impl Fn(&str)) -> Result<Vec<Case>> {
    progress("worst cases: refusing the largest hostile tx");
    let dir = tempfile::tempdir()?;
    let mut app = App::new(Storage::open(dir.path())?, TxLimits::default())?;
    app.init_chain(
        "salus-bench-1",
        1,
        tendermint::Time::from_unix_timestamp(1_800_000_000, 0)?,
        b"{}",
        crate::app::params::BlockLimits::default(),
    )?;
    let mut cases = refusals(&mut app, 20)?;
    progress("worst cases: choosing the validator set among 100, 1,000 and 10,000 validators");
    for count in [100, 1_000, 10_000] {
        cases.push(validator_set(count, 50)?);
    }
    Ok(cases)
}

/// The cases as a Markdown table.
pub fn markdown(cases: &[Case]) -> String {
    let mut s = "| worst case | runs | ms each |\n| --- | ---: | ---: |\n".to_string();
    for c in cases {
        s += &format!("| {} | {} | {:.3} |\n", c.what, c.runs, c.millis_each());
    }
    s
}
