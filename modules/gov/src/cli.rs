//! `salusd tx gov ...` and `salusd query gov ...`: the module's [`ModuleCli`], in the shapes of
//! Cosmos SDK v0.50's gov CLI. The node supplies keys, signing and transport; this file says what
//! each command means.
//!
//! A proposal is a JSON file in Cosmos' shape (`submit-proposal`; `draft-proposal` writes one):
//! each message is its proto3 JSON with an `@type`, turned into an `Any` through
//! [`proposal_msg_types`], a table of the messages a proposal may carry. Messages of modules this
//! crate depends on are decoded and checked by that module's own decoder before they are sent, so
//! a proposal that could only fail when it passes is refused at once.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{anyhow, bail, Context};
use base64::Engine;
use clap::{Args, Subcommand, ValueEnum};
use prost::Message;
use salus_proto::consensus::v1 as consensus_pb;
use salus_proto::cosmos::distribution::v1beta1 as distr;
use salus_proto::cosmos::gov::v1;
use salus_proto::cosmos::slashing::v1beta1 as slashing;
use salus_proto::cosmos::staking::v1beta1 as staking;
use salus_proto::cosmos::upgrade::v1beta1 as upgrade;
use salus_proto::salus::auth::v1 as auth_pb;
use salus_proto::salus::did::v1 as did_pb;
use salus_proto::salus::token::v1 as token_pb;
use salus_proto::{to_any, type_url, Any, Name};
use salus_sdk::cli::{self, CliCtx, GasPolicy, ModuleCli, QueryAnswer, TxRequest};
use salus_sdk::module::governance_authority;
use salus_sdk::pagination::PageArgs;
use salus_sdk::{Address, Coins, Dec, Error, Module, Msg};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::msgs::{Wire, MAX_PROPOSAL_MESSAGES};
use crate::types::{check_options, VoteOption, WeightedOption};
use crate::{GovModule, GovMsg, ProposalStatus};

fn err(e: Error) -> anyhow::Error {
    anyhow!(e.message)
}

// ---------------------------------------------------------------------------------------------
// tx

#[derive(Debug, Subcommand)]
pub enum TxCmd {
    /// Submit a proposal from a JSON file: the messages it runs if it passes, its title, summary,
    /// metadata and initial deposit (`salusd tx gov draft-proposal` writes one to start from).
    #[command(name = "submit-proposal")]
    SubmitProposal {
        /// Key name or address of the proposer (signs, pays and deposits).
        from: String,
        /// The proposal file: {"messages": [{"@type": "/cosmos.gov.v1.MsgUpdateParams", ...}],
        /// "metadata": "", "deposit": "10000000usalus", "title": "...", "summary": "...",
        /// "expedited": false}.
        proposal: PathBuf,
    },
    /// Write a draft proposal file to edit and submit (no tx is sent).
    #[command(name = "draft-proposal")]
    DraftProposal(DraftArgs),
    /// Add to a proposal's deposit (during its deposit period, or voting period).
    Deposit {
        /// Key name or address of the depositor.
        from: String,
        proposal_id: u64,
        /// e.g. 10000000usalus.
        amount: String,
    },
    /// Vote on a proposal in its voting period (a later vote replaces an earlier one).
    Vote {
        /// Key name or address of the voter.
        from: String,
        proposal_id: u64,
        /// yes, no, abstain or no_with_veto.
        option: String,
        /// A note stored with the vote.
        #[arg(long, default_value = "")]
        metadata: String,
    },
    /// Split a vote between options, e.g. yes=0.6,no=0.4 (the weights add up to 1).
    #[command(name = "weighted-vote")]
    WeightedVote {
        /// Key name or address of the voter.
        from: String,
        proposal_id: u64,
        /// option=weight pairs separated by commas, e.g. yes=0.6,no=0.3,abstain=0.1.
        options: String,
        /// A note stored with the vote.
        #[arg(long, default_value = "")]
        metadata: String,
    },
    /// Withdraw your own proposal before its voting period ends (a share of the deposits is lost,
    /// as the proposal_cancel_ratio param says).
    #[command(name = "cancel-proposal")]
    CancelProposal {
        /// Key name or address of the proposer.
        from: String,
        proposal_id: u64,
    },
}

/// What a draft proposal does.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum DraftKind {
    /// No messages: a signalling proposal.
    #[default]
    Text,
    /// cosmos.gov.v1.MsgUpdateParams, with the node's current governance params.
    GovParams,
    /// cosmos.distribution.v1beta1.MsgCommunityPoolSpend (fill in recipient and amount).
    CommunityPoolSpend,
    /// cosmos.upgrade.v1beta1.MsgSoftwareUpgrade (fill in the plan's name and height).
    SoftwareUpgrade,
}

#[derive(Debug, Clone, Args)]
pub struct DraftArgs {
    /// What the proposal does.
    #[arg(long = "type", value_name = "TYPE", value_enum, default_value_t)]
    pub kind: DraftKind,
    /// The proposal's title.
    #[arg(long, default_value = "")]
    pub title: String,
    /// The proposal's summary.
    #[arg(long, default_value = "")]
    pub summary: String,
    /// Where to write the draft (`--output` is every tx command's text|json flag).
    #[arg(long, value_name = "FILE", default_value = "draft_proposal.json")]
    pub output_file: PathBuf,
}

impl TxCmd {
    /// The key that signs, or `None` for draft-proposal, which sends nothing.
    pub fn from_key(&self) -> Option<&str> {
        match self {
            TxCmd::SubmitProposal { from, .. }
            | TxCmd::Deposit { from, .. }
            | TxCmd::Vote { from, .. }
            | TxCmd::WeightedVote { from, .. }
            | TxCmd::CancelProposal { from, .. } => Some(from),
            TxCmd::DraftProposal(_) => None,
        }
    }

    /// The message this command sends, signed by `from`; each is checked as the chain checks it.
    pub fn to_msg(&self, from: Address) -> anyhow::Result<GovMsg> {
        let msg = match self {
            TxCmd::SubmitProposal { proposal, .. } => {
                let text = std::fs::read_to_string(proposal)
                    .with_context(|| format!("reading the proposal file {}", proposal.display()))?;
                return parse_proposal(&text, from).with_context(|| format!("{}", proposal.display()));
            }
            TxCmd::DraftProposal(_) => bail!("draft-proposal sends no tx"),
            TxCmd::Deposit { proposal_id, amount, .. } => GovMsg::Deposit {
                proposal_id: *proposal_id,
                depositor: from,
                amount: amount.parse().map_err(|e: Error| anyhow!("amount `{amount}`: {}", e.message))?,
                wire: Wire::V1,
            },
            TxCmd::Vote { proposal_id, option, metadata, .. } => GovMsg::Vote {
                proposal_id: *proposal_id,
                voter: from,
                options: vec![WeightedOption { option: VoteOption::parse(option).map_err(err)?, weight: Dec::ONE }],
                metadata: metadata.clone(),
                wire: Wire::V1,
            },
            TxCmd::WeightedVote { proposal_id, options, metadata, .. } => GovMsg::Vote {
                proposal_id: *proposal_id,
                voter: from,
                options: parse_weighted_options(options)?,
                metadata: metadata.clone(),
                wire: Wire::V1Weighted,
            },
            TxCmd::CancelProposal { proposal_id, .. } => {
                GovMsg::CancelProposal { proposal_id: *proposal_id, proposer: from }
            }
        };
        msg.validate_basic().map_err(err)?;
        Ok(msg)
    }
}

/// Reads `yes=0.6,no=0.4`: each option once, weights above 0 that add up to exactly 1.
pub fn parse_weighted_options(s: &str) -> anyhow::Result<Vec<WeightedOption>> {
    let options = s
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (option, weight) = pair
                .split_once('=')
                .ok_or_else(|| anyhow!("`{pair}` is not option=weight: write e.g. yes=0.6,no=0.4"))?;
            Ok(WeightedOption {
                option: VoteOption::parse(option).map_err(err)?,
                weight: Dec::parse(&format!("the weight of {}", option.trim()), weight).map_err(err)?,
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    check_options(&options).map_err(err)?;
    Ok(options)
}

// ---------------------------------------------------------------------------------------------
// proposal files

/// A proposal file, as Cosmos SDK v0.50's `tx gov submit-proposal` reads it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProposalFile {
    #[serde(default)]
    messages: Vec<Value>,
    #[serde(default)]
    metadata: String,
    deposit: Option<String>,
    title: Option<String>,
    summary: Option<String>,
    #[serde(default)]
    expedited: bool,
}

/// The fields of a proposal file, for errors.
const PROPOSAL_FIELDS: &str = "messages, metadata, deposit, title, summary and expedited";

/// A proposal file's `MsgSubmitProposal` (v1), proposed by `proposer`, checked as the chain
/// checks it; each message goes through [`message_from_json`].
pub fn parse_proposal(text: &str, proposer: Address) -> anyhow::Result<GovMsg> {
    let file: ProposalFile = serde_json::from_str(text).map_err(|e| {
        anyhow!(
            "not a proposal file: {e}. A proposal file is a JSON object with {PROPOSAL_FIELDS} \
             (salusd tx gov draft-proposal writes one)"
        )
    })?;
    let required = |name: &str, v: Option<String>, example: &str| -> anyhow::Result<String> {
        match v {
            None => bail!("the proposal has no {name}: add \"{name}\": \"{example}\""),
            Some(s) if s.trim().is_empty() => bail!("the proposal's {name} is empty: write one, e.g. \"{example}\""),
            Some(s) => Ok(s),
        }
    };
    let title = required("title", file.title, "Raise the quorum")?;
    let summary = required("summary", file.summary, "What the proposal does and why")?;
    let min_deposit = crate::Params::default().min_deposit;
    let deposit = file.deposit.ok_or_else(|| {
        anyhow!(
            "the proposal has no deposit: add e.g. \"deposit\": \"{min_deposit}\" (salusd query gov params shows \
             min_deposit and min_initial_deposit_ratio)"
        )
    })?;
    let initial_deposit: Coins = deposit
        .parse()
        .map_err(|e: Error| anyhow!("deposit `{deposit}`: {}: write coins like {min_deposit}", e.message))?;
    if file.messages.len() > MAX_PROPOSAL_MESSAGES {
        bail!("the proposal carries {} messages; the limit is {MAX_PROPOSAL_MESSAGES}: split it", file.messages.len());
    }
    let table = proposal_msg_types();
    let messages = file
        .messages
        .into_iter()
        .enumerate()
        .map(|(i, m)| message_from_json(i, m, &table))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let msg = GovMsg::SubmitProposal {
        proposer,
        messages,
        initial_deposit,
        metadata: file.metadata,
        title,
        summary,
        expedited: file.expedited,
        wire: Wire::V1,
    };
    msg.validate_basic().map_err(err)?;
    Ok(msg)
}

/// How one kind of message is read from its Cosmos JSON (`@type` removed) and written again
/// (without `@type`).
pub struct ProposalMsgType {
    pub type_url: String,
    pub from_json: fn(Value) -> anyhow::Result<Any>,
    pub to_json: fn(&Any) -> anyhow::Result<Value>,
}

fn entry<M: Name>(
    from_json: fn(Value) -> anyhow::Result<Any>,
    to_json: fn(&Any) -> anyhow::Result<Value>,
) -> ProposalMsgType {
    ProposalMsgType { type_url: type_url::<M>(), from_json, to_json }
}

const STAKING_DECS: &[&[&str]] = &[&["params", "min_commission_rate"]];
const SLASHING_DECS: &[&[&str]] = &[
    &["params", "min_signed_per_window"],
    &["params", "slash_fraction_double_sign"],
    &["params", "slash_fraction_downtime"],
];
const DISTRIBUTION_DECS: &[&[&str]] =
    &[&["params", "community_tax"], &["params", "base_proposer_reward"], &["params", "bonus_proposer_reward"]];

/// Every message a proposal may carry: each governance-only message of the chain's modules, and
/// Cosmos' upgrade messages.
pub fn proposal_msg_types() -> Vec<ProposalMsgType> {
    vec![
        entry::<v1::MsgUpdateParams>(
            |v| gov_checked(pbjson_any::<v1::MsgUpdateParams>(v)?),
            |a| {
                let m = decode::<v1::MsgUpdateParams>(a)?;
                Ok(json!({ "authority": m.authority, "params": m.params.as_ref().map(gov_params_json) }))
            },
        ),
        entry::<staking::MsgUpdateParams>(
            |mut v| {
                decs_from_cosmos(&mut v, STAKING_DECS, DecWire::Atomics)?;
                staking_checked(pbjson_any::<staking::MsgUpdateParams>(v)?)
            },
            |a| pbjson_json::<staking::MsgUpdateParams>(a, STAKING_DECS, DecWire::Atomics),
        ),
        entry::<slashing::MsgUpdateParams>(
            |mut v| {
                decs_from_cosmos(&mut v, SLASHING_DECS, DecWire::AtomicsBytes)?;
                staking_checked(pbjson_any::<slashing::MsgUpdateParams>(v)?)
            },
            |a| pbjson_json::<slashing::MsgUpdateParams>(a, SLASHING_DECS, DecWire::AtomicsBytes),
        ),
        entry::<distr::MsgUpdateParams>(
            |mut v| {
                decs_from_cosmos(&mut v, DISTRIBUTION_DECS, DecWire::Atomics)?;
                staking_checked(pbjson_any::<distr::MsgUpdateParams>(v)?)
            },
            |a| pbjson_json::<distr::MsgUpdateParams>(a, DISTRIBUTION_DECS, DecWire::Atomics),
        ),
        entry::<distr::MsgCommunityPoolSpend>(
            |v| staking_checked(pbjson_any::<distr::MsgCommunityPoolSpend>(v)?),
            |a| pbjson_json::<distr::MsgCommunityPoolSpend>(a, &[], DecWire::Atomics),
        ),
        entry::<token_pb::MsgUpdateParams>(token_from_json, token_to_json),
        entry::<did_pb::MsgUpdateParams>(did_from_json, did_to_json),
        entry::<consensus_pb::MsgUpdateParams>(consensus_from_json, consensus_to_json),
        entry::<auth_pb::MsgUpdateParams>(auth_from_json, auth_to_json),
        entry::<upgrade::MsgSoftwareUpgrade>(software_upgrade_from_json, |a| {
            pbjson_json::<upgrade::MsgSoftwareUpgrade>(a, &[], DecWire::Atomics)
        }),
        entry::<upgrade::MsgCancelUpgrade>(pbjson_any::<upgrade::MsgCancelUpgrade>, |a| {
            pbjson_json::<upgrade::MsgCancelUpgrade>(a, &[], DecWire::Atomics)
        }),
    ]
}

/// Message `i` of a proposal file: its `@type` picks the entry of `table`; its `authority` must
/// be the governance account.
pub fn message_from_json(i: usize, mut v: Value, table: &[ProposalMsgType]) -> anyhow::Result<Any> {
    let example = "\"@type\": \"/cosmos.gov.v1.MsgUpdateParams\"";
    let obj =
        v.as_object_mut().ok_or_else(|| anyhow!("messages[{i}] is not a JSON object: write {{{example}, ...}}"))?;
    let url = match obj.remove("@type") {
        Some(Value::String(s)) => s,
        Some(_) => bail!("messages[{i}]: @type must be a string: write {example}"),
        None => bail!("messages[{i}] has no @type: name the message's type, e.g. {example}"),
    };
    let supported = || table.iter().map(|t| t.type_url.as_str()).collect::<Vec<_>>().join(", ");
    let Some(t) = table.iter().find(|t| t.type_url == url) else {
        bail!("messages[{i}]: {url} is not a message a proposal may carry; the supported ones are {}", supported());
    };
    let gov = governance_authority().to_string();
    match obj.get("authority") {
        Some(Value::String(a)) if *a == gov => {}
        Some(Value::String(a)) => bail!(
            "messages[{i}] ({url}): the authority is {a}; it must be the governance account {gov}, which only a \
             passed proposal signs as"
        ),
        _ => bail!("messages[{i}] ({url}) names no authority: add \"authority\": \"{gov}\""),
    }
    (t.from_json)(v).map_err(|e| anyhow!("messages[{i}] ({url}): {e}"))
}

/// A proposal's message as Cosmos JSON (`@type` first); one this CLI does not know as its type
/// URL and base64 value.
pub fn message_json(any: &Any, table: &[ProposalMsgType]) -> Value {
    if let Some(Ok(Value::Object(mut m))) = table.iter().find(|t| t.type_url == any.type_url).map(|t| (t.to_json)(any))
    {
        m.insert("@type".into(), any.type_url.clone().into());
        return Value::Object(m);
    }
    json!({ "type_url": any.type_url, "value": base64::engine::general_purpose::STANDARD.encode(&any.value) })
}

fn decode<M: Message + Default>(any: &Any) -> anyhow::Result<M> {
    M::decode(any.value.as_slice()).map_err(|e| anyhow!("{} does not decode: {e}", any.type_url))
}

/// proto3 JSON (snake_case or lowerCamelCase names, unknown fields refused) into an `Any`.
fn pbjson_any<M: Message + Name + serde::de::DeserializeOwned>(v: Value) -> anyhow::Result<Any> {
    let m: M = serde_json::from_value(v).map_err(|e| anyhow!("{e}"))?;
    Ok(to_any(&m))
}

/// An `Any` as proto3 JSON, its `LegacyDec` fields (`decs`) as decimals.
fn pbjson_json<M: Message + Default + Serialize>(any: &Any, decs: &[&[&str]], wire: DecWire) -> anyhow::Result<Value> {
    let mut v = serde_json::to_value(decode::<M>(any)?)?;
    decs_to_cosmos(&mut v, decs, wire);
    Ok(v)
}

/// How a Cosmos `LegacyDec` travels in protobuf: its 18-place atomics as a string, or as that
/// string's bytes (slashing's params). Cosmos JSON writes it as a decimal, `0.050000000000000000`.
#[derive(Clone, Copy, Debug)]
enum DecWire {
    Atomics,
    AtomicsBytes,
}

fn camel(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The value at `path` (snake_case names; the lowerCamelCase spelling is found too).
fn lookup<'a>(v: &'a mut Value, path: &[&str]) -> Option<&'a mut Value> {
    let mut cur = v;
    for key in path {
        let obj = cur.as_object_mut()?;
        let name = if obj.contains_key(*key) { key.to_string() } else { camel(key) };
        cur = obj.get_mut(&name)?;
    }
    Some(cur)
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Cosmos JSON decimals at `paths` into their protobuf form, before proto3 JSON is read.
fn decs_from_cosmos(v: &mut Value, paths: &[&[&str]], wire: DecWire) -> anyhow::Result<()> {
    for path in paths {
        let field = path.join(".");
        let Some(Value::String(s)) = lookup(v, path) else { continue };
        if s.trim().is_empty() {
            continue;
        }
        let d = match Dec::parse(&field, s) {
            Ok(d) => d,
            // proto3 JSON writes bytes as base64: the decoder reads those.
            Err(_)
                if matches!(wire, DecWire::AtomicsBytes)
                    && base64::engine::general_purpose::STANDARD.decode(s.as_bytes()).is_ok() =>
            {
                continue
            }
            Err(e) => bail!("{}: write it as a decimal, e.g. 0.050000000000000000", e.message),
        };
        *s = match wire {
            DecWire::Atomics => d.to_proto(),
            DecWire::AtomicsBytes => b64(d.to_proto().as_bytes()),
        };
    }
    Ok(())
}

/// The protobuf decimals at `paths` of proto3 JSON written as Cosmos JSON decimals.
fn decs_to_cosmos(v: &mut Value, paths: &[&[&str]], wire: DecWire) {
    for path in paths {
        let Some(Value::String(s)) = lookup(v, path) else { continue };
        let atomics = match wire {
            DecWire::Atomics => Some(s.clone()),
            DecWire::AtomicsBytes => base64::engine::general_purpose::STANDARD
                .decode(s.as_bytes())
                .ok()
                .and_then(|b| String::from_utf8(b).ok()),
        };
        if let Some(d) = atomics.and_then(|a| Dec::from_proto("", &a).ok()) {
            *s = d.to_string();
        }
    }
}

/// Through the module's own decoder and checks, and back: the `Any` the chain will read.
fn gov_checked(any: Any) -> anyhow::Result<Any> {
    let m = GovMsg::decode(&any).map_err(err)?;
    m.validate_basic().map_err(err)?;
    Ok(m.to_any())
}

fn staking_checked(any: Any) -> anyhow::Result<Any> {
    let m = salus_staking::StakingMsg::decode(&any).map_err(err)?;
    m.validate_basic().map_err(err)?;
    Ok(m.to_any())
}

fn token_checked(any: Any) -> anyhow::Result<Any> {
    let m = salus_token::TokenMsg::decode(&any, &salus_token::Params::default()).map_err(err)?;
    m.validate_basic().map_err(err)?;
    Ok(m.to_any())
}

fn did_checked(any: Any) -> anyhow::Result<Any> {
    let m = salus_did::DidMsg::decode(&any).map_err(err)?;
    m.validate_basic().map_err(err)?;
    Ok(m.to_any())
}

/// A proto3 integer: a JSON number or a decimal string (Cosmos writes 64-bit ones as strings).
fn number<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de> + std::str::FromStr,
{
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum N<T> {
        Number(T),
        Text(String),
    }
    match N::<T>::deserialize(d).map_err(|_| serde::de::Error::custom("expected a whole number"))? {
        N::Number(n) => Ok(n),
        N::Text(s) => s.trim().parse().map_err(|_| serde::de::Error::custom(format!("`{s}` is not a whole number"))),
    }
}

/// `salus.token.v1.MsgUpdateParams` (Salus' own message: no generated proto3 JSON).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TokenUpdateJson {
    authority: String,
    params: TokenParamsJson,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TokenParamsJson {
    #[serde(alias = "sendEnabled")]
    send_enabled: bool,
    #[serde(alias = "maxMultiSendOutputs", deserialize_with = "number")]
    max_multi_send_outputs: u32,
    #[serde(alias = "maxDenomsPerTransfer", deserialize_with = "number")]
    max_denoms_per_transfer: u32,
}

fn token_from_json(v: Value) -> anyhow::Result<Any> {
    let j: TokenUpdateJson = serde_json::from_value(v).map_err(|e| anyhow!("{e} (give every token param)"))?;
    token_checked(to_any(&token_pb::MsgUpdateParams {
        authority: j.authority,
        params: Some(token_pb::Params {
            send_enabled: j.params.send_enabled,
            max_multi_send_outputs: j.params.max_multi_send_outputs,
            max_denoms_per_transfer: j.params.max_denoms_per_transfer,
        }),
    }))
}

fn token_to_json(any: &Any) -> anyhow::Result<Value> {
    let m = decode::<token_pb::MsgUpdateParams>(any)?;
    Ok(json!({
        "authority": m.authority,
        "params": m.params.map(|p| json!({
            "send_enabled": p.send_enabled,
            "max_multi_send_outputs": p.max_multi_send_outputs,
            "max_denoms_per_transfer": p.max_denoms_per_transfer,
        })),
    }))
}

/// `salus.did.v1.MsgUpdateParams`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DidUpdateJson {
    authority: String,
    params: DidParamsJson,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DidParamsJson {
    #[serde(alias = "maxVerificationMethods", deserialize_with = "number")]
    max_verification_methods: u32,
    #[serde(alias = "maxServices", deserialize_with = "number")]
    max_services: u32,
    #[serde(alias = "maxControllers", deserialize_with = "number")]
    max_controllers: u32,
    #[serde(alias = "maxDocumentBytes", deserialize_with = "number")]
    max_document_bytes: u32,
}

fn did_from_json(v: Value) -> anyhow::Result<Any> {
    let j: DidUpdateJson = serde_json::from_value(v).map_err(|e| anyhow!("{e} (give every DID param)"))?;
    did_checked(to_any(&did_pb::MsgUpdateParams {
        authority: j.authority,
        params: Some(did_pb::Params {
            max_verification_methods: j.params.max_verification_methods,
            max_services: j.params.max_services,
            max_controllers: j.params.max_controllers,
            max_document_bytes: j.params.max_document_bytes,
        }),
    }))
}

fn did_to_json(any: &Any) -> anyhow::Result<Value> {
    let m = decode::<did_pb::MsgUpdateParams>(any)?;
    Ok(json!({
        "authority": m.authority,
        "params": m.params.map(|p| json!({
            "max_verification_methods": p.max_verification_methods,
            "max_services": p.max_services,
            "max_controllers": p.max_controllers,
            "max_document_bytes": p.max_document_bytes,
        })),
    }))
}

/// `cosmos.consensus.v1.MsgUpdateParams`: CometBFT's params, as Cosmos JSON writes them
/// (64-bit integers as strings, the evidence age as a duration like `172800s`). Read for their
/// shape only: the chain checks the values when the proposal is submitted (its simulation, with
/// the default `--gas auto`, shows the refusal before anything is sent).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConsensusUpdateJson {
    authority: String,
    block: BlockJson,
    evidence: EvidenceJson,
    validator: ValidatorJson,
    #[serde(default)]
    abci: Option<AbciJson>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BlockJson {
    #[serde(alias = "maxBytes", deserialize_with = "number")]
    max_bytes: i64,
    #[serde(alias = "maxGas", deserialize_with = "number")]
    max_gas: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EvidenceJson {
    #[serde(alias = "maxAgeNumBlocks", deserialize_with = "number")]
    max_age_num_blocks: i64,
    #[serde(alias = "maxAgeDuration")]
    max_age_duration: salus_proto::tendermint_proto::google::protobuf::Duration,
    #[serde(alias = "maxBytes", deserialize_with = "number")]
    max_bytes: i64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ValidatorJson {
    #[serde(alias = "pubKeyTypes")]
    pub_key_types: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AbciJson {
    #[serde(alias = "voteExtensionsEnableHeight", deserialize_with = "number")]
    vote_extensions_enable_height: i64,
}

fn consensus_from_json(v: Value) -> anyhow::Result<Any> {
    use salus_proto::tendermint_proto::types as tm;
    let j: ConsensusUpdateJson = serde_json::from_value(v).map_err(|e| anyhow!("{e}"))?;
    Ok(to_any(&consensus_pb::MsgUpdateParams {
        authority: j.authority,
        block: Some(tm::BlockParams { max_bytes: j.block.max_bytes, max_gas: j.block.max_gas }),
        evidence: Some(tm::EvidenceParams {
            max_age_num_blocks: j.evidence.max_age_num_blocks,
            max_age_duration: Some(j.evidence.max_age_duration),
            max_bytes: j.evidence.max_bytes,
        }),
        validator: Some(tm::ValidatorParams { pub_key_types: j.validator.pub_key_types }),
        abci: j.abci.map(|a| tm::AbciParams { vote_extensions_enable_height: a.vote_extensions_enable_height }),
    }))
}

fn consensus_to_json(any: &Any) -> anyhow::Result<Value> {
    let m = decode::<consensus_pb::MsgUpdateParams>(any)?;
    Ok(json!({
        "authority": m.authority,
        "block": m.block.map(|b| json!({ "max_bytes": b.max_bytes.to_string(), "max_gas": b.max_gas.to_string() })),
        "evidence": m.evidence.map(|e| json!({
            "max_age_num_blocks": e.max_age_num_blocks.to_string(),
            "max_age_duration": e.max_age_duration.and_then(|d| serde_json::to_value(d).ok()),
            "max_bytes": e.max_bytes.to_string(),
        })),
        "validator": m.validator.map(|v| json!({ "pub_key_types": v.pub_key_types })),
        "abci": m.abci.map(|a| json!({ "vote_extensions_enable_height": a.vote_extensions_enable_height.to_string() })),
    }))
}

/// `salus.auth.v1.MsgUpdateParams`: the tx pipeline's limits (values checked by the chain, as
/// consensus params are).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AuthUpdateJson {
    authority: String,
    params: AuthParamsJson,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AuthParamsJson {
    #[serde(alias = "maxMemoCharacters", deserialize_with = "number")]
    max_memo_characters: u64,
    #[serde(alias = "maxTxBytes", deserialize_with = "number")]
    max_tx_bytes: u64,
    #[serde(alias = "maxGasPerTx", deserialize_with = "number")]
    max_gas_per_tx: u64,
    #[serde(alias = "maxMsgsPerTx", deserialize_with = "number")]
    max_msgs_per_tx: u64,
}

fn auth_from_json(v: Value) -> anyhow::Result<Any> {
    let j: AuthUpdateJson = serde_json::from_value(v).map_err(|e| anyhow!("{e} (give every tx limit)"))?;
    Ok(to_any(&auth_pb::MsgUpdateParams {
        authority: j.authority,
        params: Some(auth_pb::Params {
            max_memo_characters: j.params.max_memo_characters,
            max_tx_bytes: j.params.max_tx_bytes,
            max_gas_per_tx: j.params.max_gas_per_tx,
            max_msgs_per_tx: j.params.max_msgs_per_tx,
        }),
    }))
}

fn auth_to_json(any: &Any) -> anyhow::Result<Value> {
    let m = decode::<auth_pb::MsgUpdateParams>(any)?;
    Ok(json!({
        "authority": m.authority,
        "params": m.params.map(|p| json!({
            "max_memo_characters": p.max_memo_characters.to_string(),
            "max_tx_bytes": p.max_tx_bytes.to_string(),
            "max_gas_per_tx": p.max_gas_per_tx.to_string(),
            "max_msgs_per_tx": p.max_msgs_per_tx.to_string(),
        })),
    }))
}

/// Go's zero time, `0001-01-01T00:00:00Z`, which Cosmos CLIs write for a plan's unset `time`.
const GO_ZERO_TIME_SECS: i64 = -62_135_596_800;

/// Cosmos' `Plan.ValidateBasic`: a name, a positive height, no time (time-based upgrades are
/// gone; Go's zero time, as Cosmos drafts write it, is dropped) and no upgraded client state.
#[allow(deprecated)]
fn software_upgrade_from_json(v: Value) -> anyhow::Result<Any> {
    let mut m: upgrade::MsgSoftwareUpgrade = serde_json::from_value(v).map_err(|e| anyhow!("{e}"))?;
    let plan = m
        .plan
        .as_mut()
        .ok_or_else(|| anyhow!("plan is missing: give {{\"name\": ..., \"height\": ..., \"info\": ...}}"))?;
    if plan.name.trim().is_empty() {
        bail!("plan.name is empty: name the upgrade (the name the new binary's upgrade handler registers)");
    }
    if plan.height <= 0 {
        bail!("plan.height must be positive: give the height at which the chain halts for the upgrade");
    }
    if plan.time.is_some_and(|t| t.seconds == GO_ZERO_TIME_SECS && t.nanos == 0) {
        plan.time = None;
    }
    if plan.time.is_some() {
        bail!("plan.time is not supported (upgrades are scheduled by height): remove it and give plan.height");
    }
    if plan.upgraded_client_state.is_some() {
        bail!("plan.upgraded_client_state is deprecated: remove it");
    }
    Ok(to_any(&m))
}

/// `cosmos.gov.v1.Params` as Cosmos JSON, every field written (proto3 JSON leaves out false
/// and empty ones).
pub fn gov_params_json(p: &v1::Params) -> Value {
    let coins = |c: &Vec<salus_proto::cosmos::base::v1beta1::Coin>| serde_json::to_value(c).unwrap_or(Value::Null);
    let duration = |d: &Option<salus_proto::tendermint_proto::google::protobuf::Duration>| {
        d.as_ref().and_then(|d| serde_json::to_value(d).ok()).unwrap_or(Value::Null)
    };
    json!({
        "min_deposit": coins(&p.min_deposit),
        "max_deposit_period": duration(&p.max_deposit_period),
        "voting_period": duration(&p.voting_period),
        "quorum": p.quorum,
        "threshold": p.threshold,
        "veto_threshold": p.veto_threshold,
        "min_initial_deposit_ratio": p.min_initial_deposit_ratio,
        "proposal_cancel_ratio": p.proposal_cancel_ratio,
        "proposal_cancel_dest": p.proposal_cancel_dest,
        "expedited_voting_period": duration(&p.expedited_voting_period),
        "expedited_threshold": p.expedited_threshold,
        "expedited_min_deposit": coins(&p.expedited_min_deposit),
        "burn_vote_quorum": p.burn_vote_quorum,
        "burn_proposal_deposit_prevote": p.burn_proposal_deposit_prevote,
        "burn_vote_veto": p.burn_vote_veto,
        "min_deposit_ratio": p.min_deposit_ratio,
    })
}

fn snake(key: &str) -> String {
    if key.starts_with('@') {
        return key.to_string();
    }
    let mut out = String::with_capacity(key.len() + 4);
    for c in key.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Keys in snake_case, as Cosmos CLIs write proto JSON (`@type` as it is).
fn snake_keys(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(m.into_iter().map(|(k, v)| (snake(&k), snake_keys(v))).collect()),
        Value::Array(a) => Value::Array(a.into_iter().map(snake_keys).collect()),
        other => other,
    }
}

/// A draft proposal file, in the field order Cosmos writes.
#[derive(Debug, Serialize)]
pub struct DraftFile {
    messages: Vec<Value>,
    metadata: String,
    deposit: String,
    title: String,
    summary: String,
    expedited: bool,
}

/// The draft proposal of `kind`: the governance authority filled in, the deposit the min deposit
/// of `params`, and for gov-params the message that sets `params` again (to edit).
pub fn draft_proposal(kind: DraftKind, title: &str, summary: &str, params: &v1::Params) -> DraftFile {
    let gov = governance_authority().to_string();
    let table = proposal_msg_types();
    let messages = match kind {
        DraftKind::Text => vec![],
        DraftKind::GovParams => {
            let any = to_any(&v1::MsgUpdateParams { authority: gov, params: Some(params.clone()) });
            vec![message_json(&any, &table)]
        }
        DraftKind::CommunityPoolSpend => vec![json!({
            "@type": type_url::<distr::MsgCommunityPoolSpend>(),
            "authority": gov,
            "recipient": "",
            "amount": [],
        })],
        DraftKind::SoftwareUpgrade => vec![json!({
            "@type": type_url::<upgrade::MsgSoftwareUpgrade>(),
            "authority": gov,
            "plan": { "name": "", "height": "0", "info": "" },
        })],
    };
    let deposit = Coins::from_proto(&params.min_deposit).map(|c| c.to_string()).unwrap_or_default();
    DraftFile {
        messages: messages.into_iter().map(snake_keys).collect(),
        metadata: String::new(),
        deposit,
        title: title.to_string(),
        summary: summary.to_string(),
        expedited: false,
    }
}

/// The node's governance params, or the defaults (and why) if it cannot be asked.
fn current_params(ctx: &dyn CliCtx) -> (v1::Params, Option<String>) {
    let asked = ctx
        .query("/cosmos.gov.v1.Query/Params", v1::QueryParamsRequest::default().encode_to_vec(), 0)
        .and_then(|b| Ok(v1::QueryParamsResponse::decode(b.as_slice())?))
        .and_then(|r| r.params.ok_or_else(|| anyhow!("the node answered without params")));
    match asked {
        Ok(p) => (p, None),
        // The first line: RPC errors may carry a backtrace.
        Err(e) => {
            (crate::Params::default().to_proto(), Some(e.to_string().lines().next().unwrap_or_default().to_string()))
        }
    }
}

/// `draft-proposal`: writes the file, and says what to do next.
fn write_draft(args: &DraftArgs, ctx: &dyn CliCtx) -> anyhow::Result<String> {
    let (params, fallback) = current_params(ctx);
    let draft = draft_proposal(args.kind, &args.title, &args.summary, &params);
    let path = &args.output_file;
    std::fs::write(path, serde_json::to_string_pretty(&draft)? + "\n")
        .with_context(|| format!("writing {}", path.display()))?;
    let kind = args.kind.to_possible_value().map(|v| v.get_name().to_string()).unwrap_or_default();
    let mut out = format!("Wrote a draft {kind} proposal to {}.\n", path.display());
    if let Some(why) = fallback {
        out += &format!(
            "The node at {} could not be asked for the governance params ({why}); {} the defaults.\n",
            ctx.node(),
            if args.kind == DraftKind::GovParams { "the deposit and params are" } else { "the deposit is" }
        );
    }
    let mut todo = Vec::new();
    if args.title.trim().is_empty() {
        todo.push("title");
    }
    if args.summary.trim().is_empty() {
        todo.push("summary");
    }
    match args.kind {
        DraftKind::Text => {}
        DraftKind::GovParams => todo.push("the params to change"),
        DraftKind::CommunityPoolSpend => todo.push("recipient and amount"),
        DraftKind::SoftwareUpgrade => todo.push("plan.name and plan.height"),
    }
    if todo.is_empty() {
        out += "Submit it:\n";
    } else {
        out += &format!("Fill in {}, then submit it:\n", todo.join(", "));
    }
    out += &format!("  salusd tx gov submit-proposal <key> {}\n", path.display());
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// query

#[derive(Debug, Subcommand)]
pub enum QueryCmd {
    /// One proposal, its messages as Cosmos JSON.
    Proposal { proposal_id: u64 },
    /// Proposals, optionally of one status, voter or depositor (a page at a time: --limit,
    /// --page-key with the next_key printed, --offset, --count-total, --reverse).
    Proposals {
        /// deposit_period, voting_period, passed, rejected or failed.
        #[arg(long)]
        status: Option<String>,
        /// Only proposals this address voted on.
        #[arg(long)]
        voter: Option<String>,
        /// Only proposals this address deposited on.
        #[arg(long)]
        depositor: Option<String>,
        #[command(flatten)]
        page: PageArgs,
    },
    /// One voter's vote on a proposal.
    Vote { proposal_id: u64, voter: String },
    /// The votes on a proposal (a page at a time).
    Votes {
        proposal_id: u64,
        #[command(flatten)]
        page: PageArgs,
    },
    /// One depositor's deposit on a proposal.
    Deposit { proposal_id: u64, depositor: String },
    /// The deposits on a proposal (a page at a time).
    Deposits {
        proposal_id: u64,
        #[command(flatten)]
        page: PageArgs,
    },
    /// A proposal's tally: live during its voting period, final after.
    Tally { proposal_id: u64 },
    /// Governance parameters.
    Params,
    /// The chain's constitution.
    Constitution,
}

/// A query as a gRPC method path and a protobuf request.
#[derive(Debug)]
pub struct QueryRequest {
    pub path: &'static str,
    pub data: Vec<u8>,
}

fn req(path: &'static str, m: impl Message) -> QueryRequest {
    QueryRequest { path, data: m.encode_to_vec() }
}

fn address(field: &str, s: &Option<String>) -> anyhow::Result<String> {
    match s {
        None => Ok(String::new()),
        Some(s) => Address::parse(field, s).map(|a| a.to_string()).map_err(err),
    }
}

impl QueryCmd {
    pub fn request(&self) -> anyhow::Result<QueryRequest> {
        let page = |p: &PageArgs| p.to_request().map(Some).map_err(err);
        let one = |field: &str, s: &str| address(field, &Some(s.to_string()));
        Ok(match self {
            QueryCmd::Proposal { proposal_id } => {
                req("/cosmos.gov.v1.Query/Proposal", v1::QueryProposalRequest { proposal_id: *proposal_id })
            }
            QueryCmd::Proposals { status, voter, depositor, page: p } => {
                let proposal_status = match status {
                    None => 0,
                    Some(s) => ProposalStatus::parse(s).ok_or_else(|| {
                        anyhow!("--status `{s}` is not a proposal status: use deposit_period, voting_period, passed, rejected or failed")
                    })? as i32,
                };
                req(
                    "/cosmos.gov.v1.Query/Proposals",
                    v1::QueryProposalsRequest {
                        proposal_status,
                        voter: address("--voter", voter)?,
                        depositor: address("--depositor", depositor)?,
                        pagination: page(p)?,
                    },
                )
            }
            QueryCmd::Vote { proposal_id, voter } => req(
                "/cosmos.gov.v1.Query/Vote",
                v1::QueryVoteRequest { proposal_id: *proposal_id, voter: one("voter", voter)? },
            ),
            QueryCmd::Votes { proposal_id, page: p } => req(
                "/cosmos.gov.v1.Query/Votes",
                v1::QueryVotesRequest { proposal_id: *proposal_id, pagination: page(p)? },
            ),
            QueryCmd::Deposit { proposal_id, depositor } => req(
                "/cosmos.gov.v1.Query/Deposit",
                v1::QueryDepositRequest { proposal_id: *proposal_id, depositor: one("depositor", depositor)? },
            ),
            QueryCmd::Deposits { proposal_id, page: p } => req(
                "/cosmos.gov.v1.Query/Deposits",
                v1::QueryDepositsRequest { proposal_id: *proposal_id, pagination: page(p)? },
            ),
            QueryCmd::Tally { proposal_id } => {
                req("/cosmos.gov.v1.Query/TallyResult", v1::QueryTallyResultRequest { proposal_id: *proposal_id })
            }
            QueryCmd::Params => req("/cosmos.gov.v1.Query/Params", v1::QueryParamsRequest::default()),
            QueryCmd::Constitution => req("/cosmos.gov.v1.Query/Constitution", v1::QueryConstitutionRequest {}),
        })
    }

    /// Decodes the response of [`Self::request`] into Cosmos JSON: times RFC 3339, decimals and
    /// amounts as strings, a proposal's messages with their `@type`.
    pub fn response_json(&self, bytes: &[u8]) -> anyhow::Result<Value> {
        fn json_of<M: Message + Default + Serialize>(b: &[u8]) -> anyhow::Result<Value> {
            Ok(serde_json::to_value(M::decode(b)?)?)
        }
        let mut v = match self {
            QueryCmd::Proposal { .. } => json_of::<v1::QueryProposalResponse>(bytes),
            QueryCmd::Proposals { .. } => json_of::<v1::QueryProposalsResponse>(bytes),
            QueryCmd::Vote { .. } => json_of::<v1::QueryVoteResponse>(bytes),
            QueryCmd::Votes { .. } => json_of::<v1::QueryVotesResponse>(bytes),
            QueryCmd::Deposit { .. } => json_of::<v1::QueryDepositResponse>(bytes),
            QueryCmd::Deposits { .. } => json_of::<v1::QueryDepositsResponse>(bytes),
            QueryCmd::Tally { .. } => json_of::<v1::QueryTallyResultResponse>(bytes),
            QueryCmd::Params => {
                let r = v1::QueryParamsResponse::decode(bytes)?;
                Ok(json!({ "params": r.params.as_ref().map(gov_params_json) }))
            }
            QueryCmd::Constitution => {
                Ok(json!({ "constitution": v1::QueryConstitutionResponse::decode(bytes)?.constitution }))
            }
        }?;
        let table = proposal_msg_types();
        cosmos_proposals(&mut v, &table);
        salus_sdk::pagination::fill_page_json(&mut v);
        Ok(v)
    }
}

/// Every proposal in a response as Cosmos prints it: its messages as their JSON with `@type`,
/// and the fields proto3 JSON leaves out when empty or false.
fn cosmos_proposals(v: &mut Value, table: &[ProposalMsgType]) {
    fn fill(p: &mut Map<String, Value>, table: &[ProposalMsgType]) {
        if let Some(Value::Array(msgs)) = p.get_mut("messages") {
            for m in msgs.iter_mut() {
                let url = m.get("typeUrl").or_else(|| m.get("type_url")).and_then(Value::as_str).map(str::to_string);
                let value = m.get("value").and_then(Value::as_str).unwrap_or_default();
                let bytes = base64::engine::general_purpose::STANDARD.decode(value.as_bytes());
                if let (Some(type_url), Ok(value)) = (url, bytes) {
                    *m = message_json(&Any { type_url, value }, table);
                }
            }
        }
        let defaults = [
            ("messages", json!([])),
            ("totalDeposit", json!([])),
            ("metadata", json!("")),
            ("title", json!("")),
            ("summary", json!("")),
            ("proposer", json!("")),
            ("expedited", json!(false)),
            ("failedReason", json!("")),
        ];
        for (key, default) in defaults {
            if !p.contains_key(key) && !p.contains_key(&snake(key)) {
                p.insert(key.to_string(), default);
            }
        }
    }
    let Value::Object(top) = v else { return };
    if let Some(Value::Object(p)) = top.get_mut("proposal") {
        fill(p, table);
    }
    if let Some(Value::Array(list)) = top.get_mut("proposals") {
        for p in list.iter_mut() {
            if let Value::Object(p) = p {
                fill(p, table);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------

impl ModuleCli for GovModule {
    /// Simulate, and ask for half as much again: a submit may carry many messages, each decoded
    /// and checked (the end-of-proposal work, tallies and refunds, is the block's, not a tx's).
    const GAS: GasPolicy = GasPolicy::Auto { adjustment_percent: 150 };

    fn tx_command() -> Option<clap::Command> {
        Some(cli::command::<TxCmd>(Self::NAME, "Proposals, deposits and votes (cosmos.gov.v1 messages)"))
    }

    fn query_command() -> Option<clap::Command> {
        Some(cli::command::<QueryCmd>(
            Self::NAME,
            "Proposals, votes, deposits, tallies, governance parameters and the constitution",
        ))
    }

    fn tx(matches: &clap::ArgMatches, ctx: &dyn CliCtx) -> anyhow::Result<TxRequest> {
        let cmd: TxCmd = cli::parse(matches)?;
        let Some(key) = cmd.from_key() else {
            let TxCmd::DraftProposal(args) = &cmd else { unreachable!("only draft-proposal names no key") };
            // A draft is written, not sent: the contract has no tx-less outcome, so finish here.
            let said = write_draft(args, ctx)?;
            let mut stdout = std::io::stdout().lock();
            let _ = stdout.write_all(said.as_bytes()).and_then(|_| stdout.flush());
            std::process::exit(0);
        };
        let from = ctx.key(key)?;
        let msg = cmd.to_msg(from)?;
        Ok(TxRequest { signer: key.to_string(), msgs: vec![msg.to_any()] })
    }

    fn query(matches: &clap::ArgMatches, ctx: &dyn CliCtx) -> anyhow::Result<QueryAnswer> {
        let cmd: QueryCmd = cli::parse(matches)?;
        let req = cmd.request()?;
        let bytes = ctx.query(req.path, req.data, ctx.height())?;
        Ok(QueryAnswer::json(cmd.response_json(&bytes)?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use salus_staking::params::CosmosDistributionParams;
    use salus_staking::{SlashingParams, StakingMsg, StakingParams};

    fn gov() -> String {
        governance_authority().to_string()
    }

    fn proposer() -> Address {
        Address::module("a proposer")
    }

    fn dec(s: &str) -> Dec {
        Dec::parse("test", s).unwrap()
    }

    /// A proposal file of `messages` (JSON text of each), as Cosmos CLIs write it.
    fn file(messages: &[String]) -> String {
        format!(
            r#"{{"messages": [{}], "metadata": "ipfs://x", "deposit": "10000000usalus",
                "title": "A title", "summary": "A summary", "expedited": false}}"#,
            messages.join(",")
        )
    }

    fn only_message(text: &str) -> Any {
        match parse_proposal(text, proposer()).unwrap() {
            GovMsg::SubmitProposal { mut messages, .. } => {
                assert_eq!(messages.len(), 1);
                messages.remove(0)
            }
            other => panic!("{other:?}"),
        }
    }

    fn refusal(text: &str) -> String {
        format!("{:#}", parse_proposal(text, proposer()).unwrap_err())
    }

    const GOV_PARAMS: &str = r#"{
        "min_deposit": [{"denom": "usalus", "amount": "10000000"}],
        "max_deposit_period": "172800s",
        "voting_period": "172800s",
        "quorum": "0.400000000000000000",
        "threshold": "0.5",
        "veto_threshold": "0.334000000000000000",
        "min_initial_deposit_ratio": "0.250000000000000000",
        "proposal_cancel_ratio": "0.500000000000000000",
        "proposal_cancel_dest": "",
        "expedited_voting_period": "86400s",
        "expedited_threshold": "0.667000000000000000",
        "expedited_min_deposit": [{"denom": "usalus", "amount": "50000000"}],
        "burn_vote_quorum": false,
        "burn_proposal_deposit_prevote": false,
        "burn_vote_veto": true,
        "min_deposit_ratio": "0.010000000000000000"
    }"#;

    #[test]
    fn a_gov_params_proposal_file_becomes_the_any_of_its_message() {
        let msg = format!(
            r#"{{"@type": "/cosmos.gov.v1.MsgUpdateParams", "authority": "{}", "params": {GOV_PARAMS}}}"#,
            gov()
        );
        let parsed = parse_proposal(&file(std::slice::from_ref(&msg)), proposer()).unwrap();
        let expected = GovMsg::UpdateParams {
            authority: governance_authority(),
            params: crate::Params { quorum: dec("0.4"), ..crate::Params::default() },
        }
        .to_any();
        let GovMsg::SubmitProposal {
            messages,
            initial_deposit,
            metadata,
            title,
            summary,
            expedited,
            wire,
            proposer: p,
        } = parsed
        else {
            panic!()
        };
        assert_eq!(messages, vec![expected.clone()]);
        assert_eq!(initial_deposit.to_string(), "10000000usalus");
        assert_eq!((metadata.as_str(), title.as_str(), summary.as_str()), ("ipfs://x", "A title", "A summary"));
        assert!(!expedited);
        assert_eq!((wire, p), (Wire::V1, proposer()));

        // lowerCamelCase names (proto3 JSON's own) read the same.
        let camel_msg = msg
            .replace("\"min_deposit\"", "\"minDeposit\"")
            .replace("\"voting_period\"", "\"votingPeriod\"")
            .replace("\"veto_threshold\"", "\"vetoThreshold\"");
        assert_ne!(camel_msg, msg);
        assert_eq!(only_message(&file(&[camel_msg])), expected);

        // And what the CLI prints of it reads back into the same Any.
        let printed = snake_keys(message_json(&expected, &proposal_msg_types()));
        assert_eq!(printed["@type"], "/cosmos.gov.v1.MsgUpdateParams");
        assert_eq!(printed["params"]["voting_period"], "172800s");
        assert_eq!(printed["params"]["burn_vote_quorum"], false);
        assert_eq!(only_message(&file(&[printed.to_string()])), expected);
    }

    #[test]
    fn every_message_a_proposal_may_carry_reads_from_cosmos_json_and_prints_back() {
        use salus_proto::tendermint_proto::google::protobuf::Duration;
        use salus_proto::tendermint_proto::types as tm;
        let g = gov();
        let recipient = Address::module("recipient");
        let cases: Vec<(String, Option<Any>)> = vec![
            (
                format!(
                    r#"{{"@type": "/cosmos.staking.v1beta1.MsgUpdateParams", "authority": "{g}", "params": {{
                        "unbonding_time": "1814400s", "max_validators": 50, "max_entries": 7,
                        "historical_entries": 10000, "bond_denom": "usalus",
                        "min_commission_rate": "0.050000000000000000"}}}}"#
                ),
                Some(
                    StakingMsg::UpdateStakingParams {
                        authority: governance_authority(),
                        params: StakingParams {
                            max_validators: 50,
                            min_commission_rate: dec("0.05"),
                            ..StakingParams::default()
                        },
                    }
                    .to_any(),
                ),
            ),
            (
                format!(
                    r#"{{"@type": "/cosmos.slashing.v1beta1.MsgUpdateParams", "authority": "{g}", "params": {{
                        "signed_blocks_window": "200", "min_signed_per_window": "0.500000000000000000",
                        "downtime_jail_duration": "600s", "slash_fraction_double_sign": "0.050000000000000000",
                        "slash_fraction_downtime": "0.010000000000000000"}}}}"#
                ),
                Some(
                    StakingMsg::UpdateSlashingParams {
                        authority: governance_authority(),
                        params: SlashingParams { signed_blocks_window: 200, ..SlashingParams::default() },
                    }
                    .to_any(),
                ),
            ),
            (
                format!(
                    r#"{{"@type": "/cosmos.distribution.v1beta1.MsgUpdateParams", "authority": "{g}", "params": {{
                        "community_tax": "0.030000000000000000", "base_proposer_reward": "0.000000000000000000",
                        "bonus_proposer_reward": "0.000000000000000000", "withdraw_addr_enabled": true}}}}"#
                ),
                Some(
                    StakingMsg::UpdateDistributionParams {
                        authority: governance_authority(),
                        params: CosmosDistributionParams { community_tax: dec("0.03"), withdraw_addr_enabled: true },
                    }
                    .to_any(),
                ),
            ),
            (
                format!(
                    r#"{{"@type": "/cosmos.distribution.v1beta1.MsgCommunityPoolSpend", "authority": "{g}",
                        "recipient": "{recipient}", "amount": [{{"denom": "usalus", "amount": "5000"}}]}}"#
                ),
                Some(
                    StakingMsg::CommunityPoolSpend {
                        authority: governance_authority(),
                        recipient,
                        amount: "5000usalus".parse().unwrap(),
                    }
                    .to_any(),
                ),
            ),
            (
                format!(
                    r#"{{"@type": "/salus.token.v1.MsgUpdateParams", "authority": "{g}", "params": {{
                        "send_enabled": true, "max_multi_send_outputs": 500, "max_denoms_per_transfer": "32"}}}}"#
                ),
                Some(
                    salus_token::TokenMsg::UpdateParams {
                        authority: governance_authority(),
                        params: salus_token::Params {
                            send_enabled: true,
                            max_multi_send_outputs: 500,
                            max_denoms_per_transfer: 32,
                        },
                    }
                    .to_any(),
                ),
            ),
            (
                format!(
                    r#"{{"@type": "/salus.did.v1.MsgUpdateParams", "authority": "{g}", "params": {{
                        "max_verification_methods": 10, "max_services": 10, "max_controllers": 5,
                        "max_document_bytes": 8192}}}}"#
                ),
                Some(
                    salus_did::DidMsg::UpdateParams {
                        authority: governance_authority(),
                        params: salus_did::Params {
                            max_verification_methods: 10,
                            max_services: 10,
                            max_controllers: 5,
                            max_document_bytes: 8192,
                        },
                    }
                    .to_any(),
                ),
            ),
            (
                format!(
                    r#"{{"@type": "/cosmos.consensus.v1.MsgUpdateParams", "authority": "{g}",
                        "block": {{"max_bytes": "4194304", "max_gas": "-1"}},
                        "evidence": {{"max_age_num_blocks": "100000", "max_age_duration": "172800s", "max_bytes": "1048576"}},
                        "validator": {{"pub_key_types": ["ed25519"]}},
                        "abci": {{"vote_extensions_enable_height": "0"}}}}"#
                ),
                Some(to_any(&consensus_pb::MsgUpdateParams {
                    authority: g.clone(),
                    block: Some(tm::BlockParams { max_bytes: 4_194_304, max_gas: -1 }),
                    evidence: Some(tm::EvidenceParams {
                        max_age_num_blocks: 100_000,
                        max_age_duration: Some(Duration { seconds: 172_800, nanos: 0 }),
                        max_bytes: 1_048_576,
                    }),
                    validator: Some(tm::ValidatorParams { pub_key_types: vec!["ed25519".into()] }),
                    abci: Some(tm::AbciParams { vote_extensions_enable_height: 0 }),
                })),
            ),
            (
                format!(
                    r#"{{"@type": "/salus.auth.v1.MsgUpdateParams", "authority": "{g}", "params": {{
                        "max_memo_characters": "512", "max_tx_bytes": "1048576", "max_gas_per_tx": "100000000",
                        "max_msgs_per_tx": 50}}}}"#
                ),
                Some(to_any(&auth_pb::MsgUpdateParams {
                    authority: g.clone(),
                    params: Some(auth_pb::Params {
                        max_memo_characters: 512,
                        max_tx_bytes: 1_048_576,
                        max_gas_per_tx: 100_000_000,
                        max_msgs_per_tx: 50,
                    }),
                })),
            ),
            (
                format!(
                    r#"{{"@type": "/cosmos.upgrade.v1beta1.MsgSoftwareUpgrade", "authority": "{g}",
                        "plan": {{"name": "v2", "height": "1000", "info": "see the release notes"}}}}"#
                ),
                Some(to_any(&upgrade::MsgSoftwareUpgrade {
                    authority: g.clone(),
                    plan: Some(upgrade::Plan {
                        name: "v2".into(),
                        height: 1000,
                        info: "see the release notes".into(),
                        ..Default::default()
                    }),
                })),
            ),
            (
                format!(r#"{{"@type": "/cosmos.upgrade.v1beta1.MsgCancelUpgrade", "authority": "{g}"}}"#),
                Some(to_any(&upgrade::MsgCancelUpgrade { authority: g.clone() })),
            ),
        ];
        let table = proposal_msg_types();
        assert_eq!(cases.len() + 1, table.len(), "one case per type but gov's (tested above)");
        for (json, expected) in cases {
            let any = only_message(&file(std::slice::from_ref(&json)));
            if let Some(e) = expected {
                assert_eq!(any, e, "{json}");
            }
            let printed = snake_keys(message_json(&any, &table));
            assert_eq!(printed["@type"], any.type_url.as_str());
            assert!(!printed.to_string().contains("type_url"), "{printed}");
            assert_eq!(only_message(&file(&[printed.to_string()])), any, "{printed}");
        }

        // Decimals print as decimals, not protobuf atomics or base64.
        let slashing =
            StakingMsg::UpdateSlashingParams { authority: governance_authority(), params: SlashingParams::default() };
        let printed = snake_keys(message_json(&slashing.to_any(), &table));
        assert_eq!(printed["params"]["min_signed_per_window"], "0.500000000000000000", "{printed}");
        let staking =
            StakingMsg::UpdateStakingParams { authority: governance_authority(), params: StakingParams::default() };
        let printed = snake_keys(message_json(&staking.to_any(), &table));
        assert_eq!(printed["params"]["min_commission_rate"], "0.000000000000000000", "{printed}");
    }

    #[test]
    fn bad_proposal_files_are_refused_with_the_fix() {
        let g = gov();
        let gov_msg =
            format!(r#"{{"@type": "/cosmos.gov.v1.MsgUpdateParams", "authority": "{g}", "params": {GOV_PARAMS}}}"#);

        let e = refusal(&file(&[r#"{"@type": "/cosmos.bank.v1beta1.MsgSend", "authority": "x"}"#.into()]));
        assert!(e.contains("/cosmos.bank.v1beta1.MsgSend is not a message a proposal may carry"), "{e}");
        for url in proposal_msg_types().iter().map(|t| t.type_url.clone()) {
            assert!(e.contains(&url), "{url} is not listed: {e}");
        }
        assert!(
            e.contains("/salus.token.v1.MsgUpdateParams") && e.contains("/cosmos.upgrade.v1beta1.MsgSoftwareUpgrade")
        );

        let no_title = r#"{"messages": [], "deposit": "10000000usalus", "summary": "s"}"#;
        assert!(refusal(no_title).contains(r#"the proposal has no title: add "title""#), "{}", refusal(no_title));
        let empty_summary = r#"{"messages": [], "deposit": "1usalus", "title": "t", "summary": " "}"#;
        assert!(refusal(empty_summary).contains("summary is empty"), "{}", refusal(empty_summary));
        let no_deposit = r#"{"title": "t", "summary": "s"}"#;
        assert!(refusal(no_deposit).contains(r#"add e.g. "deposit": "10000000usalus""#), "{}", refusal(no_deposit));
        for bad in ["10 usalus", "usalus", "-5usalus", "10usalus,10usalus"] {
            let e = refusal(&format!(r#"{{"title": "t", "summary": "s", "deposit": "{bad}"}}"#));
            assert!(e.contains(&format!("deposit `{bad}`")) && e.contains("write coins like 10000000usalus"), "{e}");
        }
        let typo = r#"{"title": "t", "summary": "s", "deposit": "1usalus", "description": "d"}"#;
        let e = refusal(typo);
        assert!(e.contains("unknown field `description`") && e.contains("messages, metadata, deposit"), "{e}");

        let e = refusal(&file(&[r#"{"authority": "x"}"#.into()]));
        assert!(e.contains("messages[0] has no @type"), "{e}");
        let e = refusal(&file(&[gov_msg.replace(&g, &proposer().to_string())]));
        assert!(e.contains("must be the governance account") && e.contains(&g), "{e}");
        let e = refusal(&file(&[gov_msg.replace("\"quorum\"", "\"quorom\"")]));
        assert!(e.contains("messages[0] (/cosmos.gov.v1.MsgUpdateParams)") && e.contains("quorom"), "{e}");
        // The module's own checks run before anything is sent.
        let e = refusal(&file(&[gov_msg.replace("\"0.5\"", "\"0\"")]));
        assert!(e.contains("threshold"), "{e}");
        let e = refusal(&file(&[gov_msg.replace("\"172800s\"", "\"2days\"")]));
        assert!(e.contains("messages[0]"), "{e}");
        let upgrade_at_zero = format!(
            r#"{{"@type": "/cosmos.upgrade.v1beta1.MsgSoftwareUpgrade", "authority": "{g}", "plan": {{"name": "v2", "height": "0"}}}}"#
        );
        assert!(refusal(&file(&[upgrade_at_zero])).contains("plan.height must be positive"));
        let timed = |time: &str| {
            format!(
                r#"{{"@type": "/cosmos.upgrade.v1beta1.MsgSoftwareUpgrade", "authority": "{g}",
                    "plan": {{"name": "v2", "height": "9", "time": "{time}"}}}}"#
            )
        };
        assert!(refusal(&file(&[timed("2030-01-01T00:00:00Z")])).contains("plan.time is not supported"));
        let zero = only_message(&file(&[timed("0001-01-01T00:00:00Z")]));
        #[allow(deprecated)]
        let plan = upgrade::MsgSoftwareUpgrade::decode(zero.value.as_slice()).unwrap().plan.unwrap();
        #[allow(deprecated)]
        let time = plan.time;
        assert_eq!((plan.height, time), (9, None), "Go's zero time, as Cosmos drafts write it, is no time");
        let no_block = format!(
            r#"{{"@type": "/cosmos.consensus.v1.MsgUpdateParams", "authority": "{g}", "validator": {{"pub_key_types": []}}}}"#
        );
        assert!(refusal(&file(&[no_block])).contains("missing field `block`"));
        let too_many =
            vec![format!(r#"{{"@type": "/cosmos.upgrade.v1beta1.MsgCancelUpgrade", "authority": "{g}"}}"#); 101];
        assert!(refusal(&file(&too_many)).contains("the limit is 100"));
    }

    #[test]
    fn weighted_votes_parse_and_their_weights_add_up_to_one() {
        let o = parse_weighted_options("yes=0.6,no=0.4").unwrap();
        assert_eq!(
            o,
            vec![
                WeightedOption { option: VoteOption::Yes, weight: dec("0.6") },
                WeightedOption { option: VoteOption::No, weight: dec("0.4") },
            ]
        );
        let o = parse_weighted_options(" yes=0.5, no_with_veto=0.25 ,abstain=0.25").unwrap();
        assert_eq!(
            o.iter().map(|w| w.option).collect::<Vec<_>>(),
            [VoteOption::Yes, VoteOption::NoWithVeto, VoteOption::Abstain]
        );
        assert_eq!(parse_weighted_options("yes=1").unwrap().len(), 1);
        for (bad, says) in [
            ("yes=0.6,no=0.3", "add up to"),
            ("yes=0.6,yes=0.4", "appears twice"),
            ("yes0.6,no=0.4", "is not option=weight"),
            ("maybe=1", "is not a vote option"),
            ("yes=lots", "is not a decimal"),
            ("yes=0,no=1", "above 0"),
            ("", "at least one option"),
        ] {
            let e = parse_weighted_options(bad).unwrap_err().to_string();
            assert!(e.contains(says), "{bad}: {e}");
        }
        let vote = TxCmd::WeightedVote {
            from: "alice".into(),
            proposal_id: 3,
            options: "yes=0.6,no=0.4".into(),
            metadata: String::new(),
        }
        .to_msg(proposer())
        .unwrap();
        let any = vote.to_any();
        assert_eq!(any.type_url, "/cosmos.gov.v1.MsgVoteWeighted");
        assert_eq!(GovMsg::decode(&any).unwrap(), vote);
    }

    #[test]
    fn drafts_are_proposal_files_to_fill_in() {
        let params = crate::Params::default().to_proto();
        let text = serde_json::to_value(draft_proposal(DraftKind::Text, "Signal", "We agree", &params)).unwrap();
        assert_eq!(text["deposit"], "10000000usalus");
        let GovMsg::SubmitProposal { messages, .. } = parse_proposal(&text.to_string(), proposer()).unwrap() else {
            panic!()
        };
        assert!(messages.is_empty());

        let draft =
            serde_json::to_value(draft_proposal(DraftKind::GovParams, "Params", "The same again", &params)).unwrap();
        assert_eq!(draft["messages"][0]["authority"], gov());
        let expected = GovMsg::UpdateParams { authority: governance_authority(), params: crate::Params::default() };
        assert_eq!(only_message(&draft.to_string()), expected.to_any());

        let untitled = serde_json::to_value(draft_proposal(DraftKind::Text, "", "", &params)).unwrap();
        assert!(refusal(&untitled.to_string()).contains("title is empty"));
        let spend = serde_json::to_value(draft_proposal(DraftKind::CommunityPoolSpend, "t", "s", &params)).unwrap();
        assert!(refusal(&spend.to_string()).contains("recipient"), "{}", refusal(&spend.to_string()));
        let upgrade = serde_json::to_value(draft_proposal(DraftKind::SoftwareUpgrade, "t", "s", &params)).unwrap();
        assert!(refusal(&upgrade.to_string()).contains("plan.name is empty"), "{}", refusal(&upgrade.to_string()));
    }

    #[test]
    fn query_answers_print_as_cosmos_json() {
        use salus_proto::tendermint_proto::google::protobuf::Timestamp;
        let update = GovMsg::UpdateParams { authority: governance_authority(), params: crate::Params::default() };
        let proposal = v1::Proposal {
            id: 7,
            messages: vec![update.to_any(), Any { type_url: "/x.y.Unknown".into(), value: vec![1, 2] }],
            status: ProposalStatus::VotingPeriod as i32,
            final_tally_result: Some(crate::TallyResult::default().to_v1()),
            submit_time: Some(Timestamp { seconds: 1_700_000_000, nanos: 0 }),
            total_deposit: "10000000usalus".parse::<Coins>().unwrap().to_proto(),
            title: "t".into(),
            ..Default::default()
        };
        let cmd = QueryCmd::Proposal { proposal_id: 7 };
        let bytes = v1::QueryProposalResponse { proposal: Some(proposal) }.encode_to_vec();
        let v = snake_keys(cmd.response_json(&bytes).unwrap());
        let p = &v["proposal"];
        assert_eq!(p["id"], "7");
        assert_eq!(p["status"], "PROPOSAL_STATUS_VOTING_PERIOD");
        assert_eq!(p["submit_time"], "2023-11-14T22:13:20Z");
        assert_eq!(p["total_deposit"], json!([{ "denom": "usalus", "amount": "10000000" }]));
        assert_eq!(p["final_tally_result"]["yes_count"], "0");
        assert_eq!(p["expedited"], false);
        assert_eq!(p["failed_reason"], "");
        assert_eq!(p["messages"][0]["@type"], "/cosmos.gov.v1.MsgUpdateParams");
        assert_eq!(p["messages"][0]["params"]["quorum"], "0.334000000000000000");
        assert_eq!(p["messages"][1], json!({ "type_url": "/x.y.Unknown", "value": "AQI=" }));

        let bytes = v1::QueryParamsResponse { params: Some(crate::Params::default().to_proto()), ..Default::default() }
            .encode_to_vec();
        let v = QueryCmd::Params.response_json(&bytes).unwrap();
        assert_eq!(v["params"]["burn_vote_quorum"], false);
        assert_eq!(v["params"]["proposal_cancel_dest"], "");
        assert_eq!(v["params"]["expedited_voting_period"], "86400s");

        let empty = QueryCmd::Constitution.response_json(&[]).unwrap();
        assert_eq!(empty, json!({ "constitution": "" }));

        let page = PageArgs { limit: 5, offset: 0, page: None, page_key: None, count_total: false, reverse: false };
        let votes = QueryCmd::Votes { proposal_id: 1, page };
        let answer = v1::QueryVotesResponse { votes: vec![], pagination: Some(Default::default()) };
        let v = votes.response_json(&answer.encode_to_vec()).unwrap();
        assert_eq!(v["pagination"], json!({ "next_key": null, "total": "0" }));
    }

    #[test]
    fn the_commands_parse_and_build_their_requests() {
        let tx = cli::command::<TxCmd>("gov", "tx");
        tx.clone().debug_assert();
        cli::command::<QueryCmd>("gov", "query").debug_assert();
        let parse = |args: &[&str]| -> TxCmd {
            let m = tx.clone().try_get_matches_from(std::iter::once("gov").chain(args.iter().copied())).unwrap();
            cli::parse(&m).unwrap()
        };
        let vote = parse(&["vote", "alice", "4", "no_with_veto", "--metadata", "why"]);
        assert_eq!(vote.from_key(), Some("alice"));
        let GovMsg::Vote { options, metadata, wire, .. } = vote.to_msg(proposer()).unwrap() else { panic!() };
        assert_eq!((options[0].option, metadata.as_str(), wire), (VoteOption::NoWithVeto, "why", Wire::V1));
        assert!(parse(&["vote", "alice", "4", "perhaps"]).to_msg(proposer()).is_err());
        let TxCmd::DraftProposal(d) = parse(&["draft-proposal", "--type", "gov-params"]) else { panic!() };
        assert_eq!((d.kind, d.output_file.to_str()), (DraftKind::GovParams, Some("draft_proposal.json")));
        assert_eq!(parse(&["draft-proposal"]).from_key(), None);
        let deposit = parse(&["deposit", "bob", "2", "5usalus"]).to_msg(proposer()).unwrap();
        assert_eq!(deposit.to_any().type_url, "/cosmos.gov.v1.MsgDeposit");
        let cancel = parse(&["cancel-proposal", "bob", "2"]).to_msg(proposer()).unwrap();
        assert_eq!(cancel.to_any().type_url, "/cosmos.gov.v1.MsgCancelProposal");

        let q = cli::command::<QueryCmd>("gov", "query");
        let query = |args: &[&str]| -> QueryCmd {
            let m = q.clone().try_get_matches_from(std::iter::once("gov").chain(args.iter().copied())).unwrap();
            cli::parse(&m).unwrap()
        };
        let voter = proposer().to_string();
        let r =
            query(&["proposals", "--status", "voting_period", "--voter", &voter, "--limit", "3"]).request().unwrap();
        assert_eq!(r.path, "/cosmos.gov.v1.Query/Proposals");
        let sent = v1::QueryProposalsRequest::decode(r.data.as_slice()).unwrap();
        assert_eq!((sent.proposal_status, sent.voter.as_str()), (ProposalStatus::VotingPeriod as i32, voter.as_str()));
        assert_eq!(sent.pagination.unwrap().limit, 3);
        let e = query(&["proposals", "--status", "open"]).request().unwrap_err().to_string();
        assert!(e.contains("deposit_period, voting_period, passed, rejected or failed"), "{e}");
        assert!(query(&["vote", "1", "nobody"]).request().is_err());
        assert_eq!(query(&["tally", "1"]).request().unwrap().path, "/cosmos.gov.v1.Query/TallyResult");
        assert_eq!(query(&["constitution"]).request().unwrap().path, "/cosmos.gov.v1.Query/Constitution");
    }
}
