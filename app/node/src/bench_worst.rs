//! Worst cases, measured rather than asserted: what the most expensive input of the largest size
//! costs to refuse, and what choosing the validator set costs as validators pile up.

use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Result};
use prost::Message;
use salus_consent::evaluate::{decide, Asked, HeldRoles, Request, Verdict};
use salus_consent::{
    Action, Actor, Coding, Consent, Decision, Params as ConsentParams, Period, Provision, Purpose, RoleGrant, Scope,
    Status, Terms, HL7_PURPOSES, SALUS_PURPOSES,
};
use salus_did::{Did, PublicKey};
use salus_proto::cosmos::bank::v1beta1::{Input, MsgMultiSend, Output};
use salus_proto::cosmos::base::v1beta1::Coin as ProtoCoin;
use salus_proto::cosmos::tx::v1beta1 as txpb;
use salus_proto::salus::consent::v1 as cpb;
use salus_proto::salus::did::v1::ActorProof;
use salus_proto::Any;
use salus_records::{Commitment, Confidentiality};
use salus_sdk::time::Time;
use salus_sdk::{Address, BlockCtx, Msg, Overlay};
use salus_staking::dec::Dec;
use salus_staking::state::{StakingRead, StakingWrite};
use salus_staking::types::{BondStatus, CommissionRates, Description, Validator};
use salus_store::Storage;

use crate::app::modules::{AppMsg, DecodeLimits};
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
    tx_of(salus_proto::to_any(&msg), signed)
}

/// A tx carrying one message, with (`signed`) or without a signer slot and a 64-byte signature.
fn tx_of(msg: Any, signed: bool) -> Vec<u8> {
    let body = txpb::TxBody { messages: vec![msg], ..Default::default() };
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
    let ctx = BlockCtx {
        chain_id: "salus-bench-1".into(),
        height: 1,
        time_secs: 1_800_000_000,
        time_nanos: 0,
        header: Default::default(),
    };
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

// The consent module: the largest consent a message may carry, and the costliest access decision.

/// Times in the consent cases: every period runs from `T0` to `T1`; decisions are taken at `AT`.
const T0: i64 = 1_700_000_000;
const T1: i64 = 1_900_000_000;
const AT: i64 = 1_800_000_000;

fn at(secs: i64) -> Time {
    Time { secs, nanos: 0 }
}

fn open_until_t1() -> Period {
    Period { start: Some(at(T0)), end: Some(at(T1)) }
}

fn proto_period() -> cpb::Period {
    cpb::Period {
        start: Some(salus_consent::proto::timestamp(at(T0))),
        end: Some(salus_consent::proto::timestamp(at(T1))),
    }
}

/// The `n`th of a list of distinct commitments that share their first 28 bytes (so every
/// comparison while checking for duplicates reads almost the whole commitment).
fn commitment(n: u32) -> Commitment {
    let mut c = [0xC0; 32];
    c[28..].copy_from_slice(&n.to_be_bytes());
    Commitment(c)
}

/// A DID of a dummy key, distinct for each `seed`.
fn dummy_did(seed: u32) -> Did {
    let mut key = [1u8; 32];
    key[..4].copy_from_slice(&seed.to_be_bytes());
    Did::from_key(&PublicKey::Ed25519(key))
}

/// Every purpose code, HL7's then Salus'.
fn purpose_codes() -> Vec<&'static str> {
    HL7_PURPOSES.iter().chain(SALUS_PURPOSES).copied().collect()
}

/// How the largest MsgCreateConsent ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ending {
    /// Every rule holds: validate_basic accepts it.
    Valid,
    /// The last provision checked lists one commitment max_list_len times: refused by the last
    /// duplicate checks, after everything else was parsed and checked.
    Duplicates,
}

/// What fills the provisions of the largest consent: each kind up to its cap (`max_list_len`,
/// or the size of its closed list) in every provision, deepest provisions first, before the next
/// kind, until the tx is full.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Item {
    Codes,
    Classes,
    Sensitivity,
    Purposes,
    Actions,
    Confidentiality,
    Actors,
    RoleActors,
    Records,
}

impl Item {
    const COUNT: usize = 9;

    fn cap(self, list: usize) -> usize {
        match self {
            Item::Purposes => list.min(HL7_PURPOSES.len() + SALUS_PURPOSES.len()),
            Item::Actions => list.min(Action::ALL.len()),
            Item::Confidentiality => list.min(Confidentiality::ALL.len()),
            _ => list,
        }
    }
}

/// The largest MsgCreateConsent that `params` allow: `max_provisions` provisions as
/// `max_provisions / max_depth` chains `max_depth` deep, decisions alternating down each chain.
struct LargestConsent {
    chains: usize,
    depth: usize,
    list: usize,
    items: Vec<Item>,
    actors: Vec<String>,
    purposes: Vec<&'static str>,
}

impl LargestConsent {
    fn new(params: &ConsentParams, items: &[Item]) -> Self {
        let depth = params.max_depth as usize;
        let list = params.max_list_len as usize;
        LargestConsent {
            chains: (params.max_provisions as usize / depth.max(1)).min(list),
            depth,
            list,
            items: items.to_vec(),
            actors: (0..list as u32).map(|i| dummy_did(1000 + i).to_string()).collect(),
            purposes: purpose_codes(),
        }
    }

    fn provisions(&self) -> usize {
        self.chains * self.depth
    }

    /// List entries the provisions can hold in all.
    fn slots(&self) -> usize {
        self.items.iter().map(|i| i.cap(self.list)).sum::<usize>() * self.provisions()
    }

    fn provision(&self, decision: &str, counts: &[usize; Item::COUNT]) -> cpb::Provision {
        let n = |item: Item| counts[item as usize];
        let commitments = |k: usize| (0..k as u32).map(|i| commitment(i).0.to_vec()).collect::<Vec<_>>();
        let mut p = cpb::Provision {
            decision: decision.into(),
            code_commitments: commitments(n(Item::Codes)),
            class_commitments: commitments(n(Item::Classes)),
            sensitivity_commitments: commitments(n(Item::Sensitivity)),
            // From the end of the closed list: the longest search to parse each.
            purposes: self.purposes.iter().rev().take(n(Item::Purposes)).map(|p| p.to_string()).collect(),
            actions: Action::ALL.iter().rev().take(n(Item::Actions)).map(|a| a.name().to_string()).collect(),
            confidentiality: Confidentiality::ALL
                .iter()
                .rev()
                .take(n(Item::Confidentiality))
                .map(|c| c.name().to_string())
                .collect(),
            actors: self.actors[..n(Item::Actors)]
                .iter()
                .map(|d| cpb::Actor { role: None, reference: d.clone() })
                .collect(),
            records: (1..=n(Item::Records) as u64).collect(),
            ..Default::default()
        };
        p.actors.extend(self.actors[..n(Item::RoleActors)].iter().map(|d| cpb::Actor {
            role: Some(cpb::Coding { system: "s".into(), code: "c".into() }),
            reference: d.clone(),
        }));
        p
    }

    /// The message with the first `filled` list entries placed.
    fn build(&self, filled: usize, ending: Ending) -> cpb::MsgCreateConsent {
        let mut counts = vec![vec![[0usize; Item::COUNT]; self.depth]; self.chains];
        let mut left = filled;
        'fill: for item in &self.items {
            for level in (0..self.depth).rev() {
                for chain in counts.iter_mut() {
                    if left == 0 {
                        break 'fill;
                    }
                    let take = item.cap(self.list).min(left);
                    chain[level][*item as usize] = take;
                    left -= take;
                }
            }
        }
        let mut top = Vec::with_capacity(self.chains);
        for chain in &counts {
            let mut below = Vec::new();
            for level in (0..self.depth).rev() {
                // Under a permit base: deny at the top, then alternating.
                let mut p = self.provision(if level % 2 == 0 { "deny" } else { "permit" }, &chain[level]);
                p.provisions = below;
                below = vec![p];
            }
            top.extend(below);
        }
        if ending == Ending::Duplicates {
            let mut last = top.last_mut();
            while let Some(p) = last {
                if p.provisions.is_empty() {
                    p.code_commitments = vec![commitment(0).0.to_vec(); self.list];
                    break;
                }
                last = p.provisions.last_mut();
            }
        }
        create_consent(top)
    }

    /// The most entries whose message fits a tx of `max_bytes`, and that message.
    fn largest(&self, max_bytes: usize, ending: Ending) -> (usize, cpb::MsgCreateConsent) {
        let n = most_that_fit(self.slots(), |n| {
            tx_of(salus_proto::to_any(&self.build(n, ending)), true).len() <= max_bytes
        });
        (n, self.build(n, ending))
    }
}

/// The largest `n` up to `max` for which `fits(n)` holds (`fits` holds for 0 and never again once
/// it fails).
fn most_that_fit(max: usize, fits: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, max);
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if fits(mid) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    lo
}

/// A MsgCreateConsent by a dummy DID (its proof is never checked here) with `provisions` under a
/// permit base.
fn create_consent(provisions: Vec<cpb::Provision>) -> cpb::MsgCreateConsent {
    let did = Did::from_key(&PublicKey::Ed25519([1; 32]));
    cpb::MsgCreateConsent {
        signer: Address([7; 20]).to_string(),
        actor: Some(ActorProof {
            did: did.to_string(),
            verification_method: did.url("key-1"),
            nonce: 0,
            signature: vec![1; 64],
        }),
        terms: Some(cpb::ConsentTerms {
            subject: did.to_string(),
            status: "active".into(),
            scope: "treatment".into(),
            decision: "permit".into(),
            period: Some(proto_period()),
            provisions,
        }),
    }
}

/// A chain of `depth` provisions, each the only one nested in the one above.
fn nested_consent(depth: usize) -> cpb::MsgCreateConsent {
    let mut below = Vec::new();
    for level in (0..depth).rev() {
        let decision = if level % 2 == 0 { "deny" } else { "permit" };
        below = vec![cpb::Provision { decision: decision.into(), provisions: below, ..Default::default() }];
    }
    create_consent(below)
}

/// `runs` times what a node does with the message before any gas: decode (which copies and
/// re-encodes it for the actor's proof) and validate_basic (every consent rule, against the
/// ceiling params).
fn time_stateless(any: &Any, runs: u32) -> (Duration, Result<(), salus_sdk::Error>) {
    let limits = DecodeLimits::default();
    let mut outcome = Ok(());
    let t = Instant::now();
    for _ in 0..runs {
        outcome = AppMsg::decode(std::hint::black_box(any), &limits).and_then(|m| m.validate_basic());
    }
    (t.elapsed(), outcome)
}

/// An outcome for a row: accepted, or the error, cut short.
fn outcome_text(outcome: &Result<(), salus_sdk::Error>) -> String {
    match outcome {
        Ok(()) => "accepted".into(),
        Err(e) => {
            // The field path can be long: its start, and the reason at the end.
            let chars: Vec<char> = e.message.chars().collect();
            let m: String = if chars.len() <= 120 {
                e.message.clone()
            } else {
                let head: String = chars[..40].iter().collect();
                let tail: String = chars[chars.len() - 70..].iter().collect();
                format!("{head}...{tail}")
            };
            format!("refused, {} {}: {}", e.codespace, e.code, m.replace('|', "\\|"))
        }
    }
}

fn kib(bytes: usize) -> String {
    format!("{:.1} KiB", bytes as f64 / 1024.0)
}

/// MsgCreateConsent at its worst, before gas: the largest terms the ceiling params allow in a tx
/// of `max_tx_bytes` (accepted, and refused at the very end by a list of duplicates); terms nested
/// deeper than any params allow; and a tx full of empty provisions.
pub fn consent_messages(max_tx_bytes: usize, runs: u32) -> Result<Vec<Case>> {
    let ceiling = ConsentParams::CEILING;
    let mut cases = Vec::new();
    // Commitments are the bulk of a real consent; actors that name a role in an organization (a
    // DID) cost the most per byte to check, of every kind of list entry (measured with each).
    let commitments: &[Item] = &[Item::Codes, Item::Classes, Item::Sensitivity];
    let fillers: [(&str, &[Item], &[Ending]); 2] = [
        ("32-byte commitments", commitments, &[Ending::Valid, Ending::Duplicates]),
        (
            "actors, each a role in an organization (a DID), then commitments",
            &[Item::RoleActors, Item::Codes],
            &[Ending::Valid],
        ),
    ];
    for (what, items, endings) in fillers {
        let shape = LargestConsent::new(&ceiling, items);
        for &ending in endings {
            let (entries, msg) = shape.largest(max_tx_bytes, ending);
            let any = salus_proto::to_any(&msg);
            let tx = tx_of(any.clone(), true).len();
            let (elapsed, outcome) = time_stateless(&any, runs);
            match (ending, &outcome) {
                (Ending::Valid, Err(e)) => bail!("the largest valid consent was refused: {}", e.message),
                (Ending::Duplicates, Ok(())) => bail!("a consent listing duplicates was accepted"),
                _ => {}
            }
            let ends = match ending {
                Ending::Valid => "",
                Ending::Duplicates => {
                    ", the last provision's code_commitments one commitment repeated max_list_len times"
                }
            };
            cases.push(Case {
                what: format!(
                    "MsgCreateConsent of the largest terms (CEILING: {} provisions as {} chains {} deep, decisions alternating; {} list entries of {}{}): {} message in a {} tx, decode + validate_basic (before gas): {}",
                    shape.provisions(),
                    shape.chains,
                    shape.depth,
                    entries,
                    what,
                    ends,
                    kib(any.value.len()),
                    kib(tx),
                    outcome_text(&outcome)
                ),
                runs,
                elapsed,
            });
        }
    }
    // One level deeper than the ceiling allows, then 10,000 deep; then a flat list of as many
    // provisions as fit the tx (each a few bytes on the wire).
    let deeper = ceiling.max_depth as usize + 1;
    let empty = cpb::Provision { decision: "deny".into(), ..Default::default() };
    let n = most_that_fit(max_tx_bytes, |n| {
        tx_of(salus_proto::to_any(&create_consent(vec![empty.clone(); n])), true).len() <= max_tx_bytes
    });
    let flat = create_consent(vec![empty; n]);
    let shapes = [
        (format!("{deeper} nested provisions"), nested_consent(deeper)),
        ("10000 nested provisions".to_string(), nested_consent(10_000)),
        (format!("{n} top-level provisions, as many as fit the tx"), flat),
    ];
    for (what, msg) in shapes {
        let any = salus_proto::to_any(&msg);
        let (elapsed, outcome) = time_stateless(&any, runs * 10);
        if outcome.is_ok() {
            bail!("a MsgCreateConsent with {what} was accepted");
        }
        cases.push(Case {
            what: format!(
                "MsgCreateConsent with {what} ({} message), decode + validate_basic: {}",
                kib(any.value.len()),
                outcome_text(&outcome)
            ),
            runs: runs * 10,
            elapsed,
        });
    }
    Ok(cases)
}

/// What a decision is asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ask {
    /// A data class, labels unknown, any timeframe (Query/Decide, which charges nothing).
    DataClass,
    /// A record, as MsgAccessRecord asks it (charged per provision): its class and labels, and no
    /// data time (records declare none).
    Record,
}

/// What hangs from the spine of fully matching provisions (see [`DecisionCase::new`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Leaves {
    /// Denies that cover the asked data partly (by their data period, and for a data class by
    /// labels too), under the spine's permits: each one an obligation, all alike but for their
    /// path, so removing duplicates compares them whole.
    PartialDenies,
    /// Permits that cover it fully, under the spine's denies: no obligations.
    FullPermits,
}

/// The requester's role grants, as the handler reads them (one point read per role and
/// organization the consents name, so only grants the consents name reach the decision).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Roles {
    /// This many grants, every one named by every provision's actors; all but the last expired.
    Few(usize),
    /// A grant of every role and organization any provision names (each provision names its own),
    /// live only for the last actor of each provision: every other actor reads every grant.
    EveryNamed,
}

/// The most a subject may hold under `params` (lists `list` long), each consent built so that
/// every provision is evaluated.
struct DecisionCase {
    consents: Vec<Consent>,
    roles: Vec<RoleGrant>,
    held: HeldRoles,
    requester: Did,
    custodian: Option<Did>,
    asked: Asked,
    purpose: Purpose,
}

const ROLE_SYSTEM: &str = "https://salus.health/fhir/CodeSystem/bench-role";

impl DecisionCase {
    /// Each consent: a deny base, a spine of fully matching provisions alternating down to the
    /// deepest odd depth (a permit, which decides, so every consent is evaluated), and the other
    /// provisions hung from the spine ([`Leaves`]). Every condition matches, found last in its list.
    fn new(params: &ConsentParams, list: usize, ask: Ask, leaves: Leaves, roles: Roles) -> Result<Self> {
        let max_depth = params.max_depth as usize;
        if max_depth < 2 || list < 2 {
            bail!("the decision case needs max_depth and lists of at least 2");
        }
        let requester = dummy_did(2);
        let organization = dummy_did(3);
        let subject = dummy_did(4);
        let coding = |code: String| Coding { system: ROLE_SYSTEM.into(), code };
        let grant = |code: String, live: bool| RoleGrant {
            organization: organization.clone(),
            member: requester.clone(),
            role: coding(code),
            period: if live { open_until_t1() } else { Period { start: Some(at(T0)), end: Some(at(AT)) } },
        };
        // The codes an actor list names: `list - 1` whose grant (if any) is not live, then one live.
        let names = |consent: usize, provision: usize| -> Vec<String> {
            let mut v: Vec<String> = match roles {
                Roles::Few(_) => (0..list - 1).map(|i| format!("x{i:04}")).collect(),
                Roles::EveryNamed => (0..list - 1).map(|i| format!("c{consent}.p{provision}.x{i}")).collect(),
            };
            v.push(match roles {
                Roles::Few(_) => "live".into(),
                Roles::EveryNamed => format!("c{consent}.p{provision}.live"),
            });
            v
        };
        let actors_of = |names: &[String]| -> Vec<Actor> {
            names
                .iter()
                .map(|n| Actor { role: Some(coding(n.clone())), reference: Some(organization.clone()) })
                .collect()
        };
        let purposes_n = list.min(purpose_codes().len());
        let purpose = Purpose(u8::try_from(purposes_n - 1)?);
        let purposes: Vec<Purpose> = (0..purposes_n).map(|i| Purpose(i as u8)).collect();
        let fillers = |n: usize| (1..=n as u32).map(commitment).collect::<Vec<_>>();
        let class = commitment(0);
        let with_class = {
            let mut v = fillers(list - 1);
            v.push(class);
            v
        };
        let record = list as u64;
        let last_label = Confidentiality::ALL[Confidentiality::ALL.len() - 1];
        let asked = match ask {
            Ask::DataClass => Asked { classes: vec![class], ..Default::default() },
            Ask::Record => Asked {
                record: Some(record),
                classes: vec![class],
                confidentiality: vec![last_label],
                sensitivity: vec![class],
                data_time: None,
                data_period: Period::default(),
            },
        };
        // Fully covers the asked data.
        let full = |decision: Decision, actors: Vec<Actor>| {
            let mut p = Provision {
                period: open_until_t1(),
                actors,
                actions: Action::ALL.to_vec(),
                purposes: purposes.clone(),
                classes: with_class.clone(),
                codes: with_class.clone(),
                ..Provision::any(decision)
            };
            if ask == Ask::Record {
                p.confidentiality = Confidentiality::ALL.to_vec();
                p.sensitivity = with_class.clone();
                p.records = (1..=record).collect();
            }
            p
        };
        // Covers it partly: by its data period (a record's data time is unknown, a data class is
        // asked for any time) and, for a data class, by labels (unknown in the question).
        let partial = |decision: Decision, actors: Vec<Actor>| {
            let mut p = full(decision, actors);
            p.data_period = open_until_t1();
            p.confidentiality = Confidentiality::ALL.to_vec();
            p.sensitivity = with_class.clone();
            p
        };
        let spine = if max_depth.is_multiple_of(2) { max_depth - 1 } else { max_depth - 2 };
        let total = params.max_provisions as usize;
        let mut extra = total.checked_sub(spine).ok_or_else(|| anyhow!("max_provisions below the spine"))?;
        // What hangs from each spine node (0: the base): leaves of their own, under the spine's
        // permits for partly covering denies (under its denies for fully covering permits); then
        // fans, each a fully covering head of the other decision with leaves under it.
        let room = |d: usize| if d == spine { list } else { list - 1 };
        let single_at = |d: usize| (d % 2 == 1) == (leaves == Leaves::PartialDenies);
        let mut singles = vec![0usize; spine + 1];
        let mut fans = vec![Vec::<usize>::new(); spine + 1];
        for d in (0..=spine).rev().filter(|&d| single_at(d)) {
            singles[d] = room(d).min(extra);
            extra -= singles[d];
        }
        for d in (0..=spine).rev().filter(|&d| !single_at(d) && d + 2 <= max_depth) {
            while extra >= 2 && fans[d].len() < room(d) {
                let mut k = list.min(extra - 1);
                if extra - (k + 1) == 1 {
                    // Leave two: a fan is a head and at least one leaf.
                    k -= 1;
                }
                fans[d].push(k);
                extra -= k + 1;
            }
        }
        if extra > 0 {
            bail!("{total} provisions do not fit the decision case's shape");
        }
        let leaf = |actors: Vec<Actor>| match leaves {
            Leaves::PartialDenies => partial(Decision::Deny, actors),
            Leaves::FullPermits => full(Decision::Permit, actors),
        };
        let head = match leaves {
            Leaves::PartialDenies => Decision::Permit,
            Leaves::FullPermits => Decision::Deny,
        };
        let attach = |to: &mut Vec<Provision>, d: usize, next: &mut dyn FnMut() -> Vec<Actor>| {
            for _ in 0..singles[d] {
                to.push(leaf(next()));
            }
            for &k in &fans[d] {
                let mut fan = full(head, next());
                fan.provisions = (0..k).map(|_| leaf(next())).collect();
                to.push(fan);
            }
        };
        let mut consents = Vec::new();
        let mut held: Vec<RoleGrant> = Vec::new();
        for c in 0..params.max_consents_per_subject as usize {
            let mut n = 0usize;
            let mut next_actors = || {
                n += 1;
                let names = names(c, n);
                if roles == Roles::EveryNamed || (c == 0 && n == 1) {
                    let count = match roles {
                        Roles::Few(k) => k.min(names.len()),
                        Roles::EveryNamed => names.len(),
                    };
                    // The live one and, before it, as many expired as there is room for.
                    let live = names.len() - 1;
                    held.push(grant(names[live].clone(), true));
                    held.extend(names[..count.saturating_sub(1)].iter().map(|n| grant(n.clone(), false)));
                }
                actors_of(&names)
            };
            let mut below: Vec<Provision> = Vec::new();
            for d in (1..=spine).rev() {
                let mut node = full(if d % 2 == 1 { Decision::Permit } else { Decision::Deny }, next_actors());
                node.provisions = below;
                attach(&mut node.provisions, d, &mut next_actors);
                below = vec![node];
            }
            attach(&mut below, 0, &mut next_actors);
            let terms = Terms {
                subject: subject.clone(),
                status: Status::Active,
                scope: Scope::Treatment,
                decision: Decision::Deny,
                period: open_until_t1(),
                provisions: below,
            };
            let mut checked = params.clone();
            checked.max_list_len = checked.max_list_len.max(list as u32);
            salus_consent::validate::validate_terms(&terms, &checked)
                .map_err(|e| anyhow!("the decision case's consent is invalid: {}", e.message))?;
            consents.push(Consent {
                id: c as u64 + 1,
                version: 1,
                grantor: subject.clone(),
                terms,
                time: at(T0),
                height: 1,
            });
        }
        let index = HeldRoles::of(&requester, &held, at(AT));
        Ok(DecisionCase {
            consents,
            roles: held,
            held: index,
            requester,
            custodian: (ask == Ask::Record).then_some(organization),
            asked,
            purpose,
        })
    }

    /// One decision; the provisions it charged for.
    fn decide(&self) -> Result<(Verdict, u64)> {
        let req = Request {
            requester: &self.requester,
            roles: &self.held,
            action: Action::Compute,
            purpose: self.purpose,
            time: at(AT),
            asked: &self.asked,
            custodian: self.custodian.as_ref(),
        };
        let mut charged = 0u64;
        let verdict = decide(&self.consents, &req, &mut |n| {
            charged += n;
            Ok(())
        })
        .map_err(|e| anyhow!(e.message))?;
        Ok((verdict, charged))
    }
}

/// An access decision over the most a subject may hold under `params`, with lists `list` long.
pub fn access_decision(
    params: &ConsentParams,
    label: &str,
    list: usize,
    ask: Ask,
    leaves: Leaves,
    roles: Roles,
    runs: u32,
) -> Result<Case> {
    let case = DecisionCase::new(params, list, ask, leaves, roles)?;
    let t = Instant::now();
    let mut last = None;
    for _ in 0..runs {
        last = Some(std::hint::black_box(case.decide()?));
    }
    let elapsed = t.elapsed();
    let (verdict, charged) = match last {
        Some(v) => v,
        None => case.decide()?,
    };
    let gas = charged * ConsentParams::default().provision_gas;
    let asked = match ask {
        Ask::DataClass => "a data class (Query/Decide)",
        Ask::Record => "a record (MsgAccessRecord)",
    };
    let leaves = match leaves {
        Leaves::PartialDenies => "partly covering denies",
        Leaves::FullPermits => "fully covering permits",
    };
    let roles = match roles {
        Roles::Few(k) => format!("{k} role grants"),
        Roles::EveryNamed => format!("a grant of every role the consents name ({})", case.roles.len()),
    };
    Ok(Case {
        what: format!(
            "An access decision over the most a subject may hold ({label}: {} consents x {} provisions, {} deep, lists of {list}, {leaves} hung from a spine), asking {asked}, requester with {roles}, every provision's conditions matching: {}, {} obligations; {charged} provisions charged = {gas} gas at provision_gas {}",
            params.max_consents_per_subject,
            params.max_provisions,
            params.max_depth,
            verdict.outcome.name(),
            verdict.obligations.len(),
            ConsentParams::default().provision_gas
        ),
        runs,
        elapsed,
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
    progress("worst cases: the largest MsgCreateConsent, decoded and checked");
    cases.extend(consent_messages(app.limits().auth.max_tx_bytes as usize, 10)?);
    progress("worst cases: an access decision over the most a subject may hold");
    let default = ConsentParams::default();
    let list = default.max_list_len as usize;
    let (partial, full) = (Leaves::PartialDenies, Leaves::FullPermits);
    let few = Roles::Few(16);
    let label = "default params";
    cases.push(access_decision(&default, label, list, Ask::DataClass, partial, few, 10)?);
    cases.push(access_decision(&default, label, list, Ask::Record, partial, few, 10)?);
    cases.push(access_decision(&default, label, list, Ask::Record, full, few, 10)?);
    // A grant of every role the consents name: each actor looks its role up by organization, so
    // the time grows with the grants only as a tree lookup does (the 4-consent row is the ratio).
    let four = ConsentParams { max_consents_per_subject: 4, ..default.clone() };
    cases.push(access_decision(
        &four,
        "default params but 4 consents",
        list,
        Ask::Record,
        partial,
        Roles::EveryNamed,
        1,
    )?);
    cases.push(access_decision(&default, label, list, Ask::Record, partial, Roles::EveryNamed, 1)?);
    // The ceiling's 256 consents, each with as many provisions of lists of 32 (about 200 entries
    // each) as MAX_ENTRIES lets a consent hold, without and with an obligation from every one.
    let ceiling = ConsentParams { max_provisions: 128, ..ConsentParams::CEILING };
    let label = "CEILING params but 128 provisions (MAX_ENTRIES)";
    cases.push(access_decision(&ceiling, label, list, Ask::Record, full, few, 1)?);
    cases.push(access_decision(&ceiling, label, list, Ask::Record, partial, few, 1)?);
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
