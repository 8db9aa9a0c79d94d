//! `salusd tx consent ...` and `salusd query consent ...`: the module's [`ModuleCli`]. The node
//! supplies keys, signing and transport; this file says what each command means.
//!
//! Every tx is performed by a DID (`--as <did> --key <key>`, [`ActAs`]): the grantor for
//! consents, the organization for roles, the requester for access; `--from` pays. A consent's
//! terms come from a JSON file in Salus' readable form, codes in clear ([`terms::TERMS_FILE_HELP`]),
//! which the CLI commits with the subject's commitment key before anything is sent: only
//! commitments of classes, codes and sensitivity labels reach the chain.
//!
//! The governance-only `MsgUpdateParams` has no command: a proposal carries it
//! (`salusd tx gov submit-proposal`).
//!
//! Answers print as Cosmos CLIs print proto JSON: the proto field names in snake_case, uint64 as
//! strings, times RFC 3339, and commitments as hex (not base64: they are compared with those a
//! commitment key computes).

use std::path::PathBuf;

use anyhow::{anyhow, bail, Context};
use clap::{Args, Subcommand};
use prost::Message;
use salus_did::act_cli::ActAs;
use salus_did::Did;
use salus_proto::salus::consent::v1 as pb;
use salus_proto::to_any;
use salus_sdk::cli::{self, CliCtx, GasPolicy, ModuleCli, QueryAnswer, TxRequest};
use salus_sdk::pagination::PageArgs;
use salus_sdk::{Error, Module, Time};
use serde_json::{json, Value};

use crate::module::ConsentModule;
use crate::msgs::{parse_action, parse_purpose};
use crate::params::Params;
use crate::query::{
    ACCESS_GRANT_PATH, AUDIT_BY_REQUESTER_PATH, AUDIT_BY_SUBJECT_PATH, BY_SUBJECT_PATH, CONSENT_PATH, DECIDE_PATH,
    DISCLOSURES_PATH, HISTORY_PATH, PARAMS_PATH, ROLES_PATH,
};
use crate::types::Confidentiality;
use crate::validate::terms_from_proto;
use crate::ConsentMsg;

#[path = "cli_terms.rs"]
pub mod terms;

use terms::{commitment, read_commitment_key, read_terms, timestamp, CodingFile, TERMS_FILE_HELP};

fn err(e: Error) -> anyhow::Error {
    anyhow!(e.message)
}

// ---------------------------------------------------------------------------------------------
// tx

/// Where a consent's terms come from.
#[derive(Debug, Args, Clone)]
pub struct TermsArgs {
    /// The terms file: JSON in Salus' readable form, codes in clear (`--help` shows its shape).
    #[arg(long, value_name = "FILE")]
    pub file: PathBuf,
    /// A file holding the subject's commitment key (64 hex digits), which commits the classes,
    /// codes and sensitivity labels the terms name: needed if they name any.
    #[arg(long, value_name = "FILE")]
    pub commitment_key: Option<PathBuf>,
}

impl TermsArgs {
    pub fn terms(&self) -> anyhow::Result<pb::ConsentTerms> {
        read_terms(&self.file, self.commitment_key.as_deref())
    }
}

#[derive(Debug, Subcommand)]
pub enum TxCmd {
    /// Write a consent from a terms file, as its grantor: the subject, or a controller of the
    /// subject's DID (a guardian). The tx result's events carry the new consent's id.
    #[command(after_long_help = TERMS_FILE_HELP)]
    Create {
        #[command(flatten)]
        terms: TermsArgs,
        #[command(flatten)]
        act: ActAs,
    },
    /// Replace a consent's terms with a new version (its subject cannot change; earlier versions
    /// stay readable: query consent history).
    #[command(after_long_help = TERMS_FILE_HELP, disable_version_flag = true)]
    Update {
        /// The consent's id.
        id: u64,
        /// The version being replaced [default: the consent's current version, asked of the node].
        #[arg(long)]
        version: Option<u64>,
        #[command(flatten)]
        terms: TermsArgs,
        #[command(flatten)]
        act: ActAs,
    },
    /// Revoke a consent from this block on, for good (a last version with status inactive).
    #[command(disable_version_flag = true)]
    Revoke {
        /// The consent's id.
        id: u64,
        /// The consent's current version [default: asked of the node].
        #[arg(long)]
        version: Option<u64>,
        #[command(flatten)]
        act: ActAs,
    },
    /// Give a member (a clinician, a device, an AI model) a role in the organization `--as` names,
    /// for a period: provisions that name the role, or the role in the organization, then match
    /// the member.
    #[command(name = "grant-role")]
    GrantRole {
        /// The member's DID.
        #[arg(long, value_name = "DID")]
        member: String,
        /// The role, e.g. http://terminology.hl7.org/CodeSystem/v3-RoleCode|PROV.
        #[arg(long, value_name = "SYSTEM|CODE")]
        role: String,
        /// When the role starts (RFC 3339, e.g. 2026-01-01T00:00:00Z) [default: open].
        #[arg(long, value_name = "TIME")]
        start: Option<String>,
        /// When the role ends, exclusive (RFC 3339) [default: open].
        #[arg(long, value_name = "TIME")]
        end: Option<String>,
        #[command(flatten)]
        act: ActAs,
    },
    /// Take back a role the organization `--as` names gave a member.
    #[command(name = "revoke-role")]
    RevokeRole {
        /// The member's DID.
        #[arg(long, value_name = "DID")]
        member: String,
        /// The role, as it was granted: SYSTEM|CODE.
        #[arg(long, value_name = "SYSTEM|CODE")]
        role: String,
        #[command(flatten)]
        act: ActAs,
    },
    /// Ask for access to a record as the requester `--as` names: the chain decides on the
    /// subject's consents, logs the decision on the audit log (permit or deny) and, on permit,
    /// stores a short-lived access grant (query consent access-grant).
    Access {
        /// The record's id.
        #[arg(long, value_name = "ID")]
        record: u64,
        /// access, collect, use, disclose, correct or compute.
        #[arg(long)]
        action: String,
        /// An HL7 v3 PurposeOfUse code (TREAT, ETREAT, HPAYMT, HOPERAT, HRESCH, PUBHLTH, ...),
        /// ai-training or ai-inference.
        #[arg(long, value_name = "CODE")]
        purpose: String,
        #[command(flatten)]
        act: ActAs,
    },
}

/// `system|code` (a FHIR token: the system up to the first `|`).
pub fn parse_coding(field: &str, s: &str) -> anyhow::Result<pb::Coding> {
    match s.split_once('|') {
        Some((system, code)) if !system.trim().is_empty() && !code.trim().is_empty() => {
            Ok(pb::Coding { system: system.trim().to_string(), code: code.trim().to_string() })
        }
        _ => {
            bail!("{field} `{s}` is not SYSTEM|CODE: write e.g. http://terminology.hl7.org/CodeSystem/v3-RoleCode|PROV")
        }
    }
}

fn did(field: &str, s: &str) -> anyhow::Result<String> {
    Did::parse(field, s).map(|d| d.to_string()).map_err(err)
}

/// An action of the closed list, as the chain names it.
pub fn check_action(s: &str) -> anyhow::Result<String> {
    parse_action(s).map(|a| a.name().to_string()).map_err(|e| anyhow!("--action: {}", e.message))
}

/// A purpose of use the chain knows.
pub fn check_purpose(s: &str) -> anyhow::Result<String> {
    parse_purpose(s).map(|p| p.code().to_string()).map_err(|e| anyhow!("--purpose: {}", e.message))
}

/// Terms read from a file, checked as the chain checks them but for sizes (against the params'
/// ceilings: the params in force are the node's to apply).
fn checked_terms(args: &TermsArgs) -> anyhow::Result<pb::ConsentTerms> {
    let terms = args.terms()?;
    terms_from_proto(&terms, &Params::CEILING).map_err(|e| anyhow!("{}: {}", args.file.display(), e.message))?;
    Ok(terms)
}

fn optional_time(field: &str, s: &Option<String>) -> anyhow::Result<Option<prost_types::Timestamp>> {
    s.as_deref().map(|s| timestamp(field, s)).transpose()
}

fn period(
    (start_field, start): (&str, &Option<String>),
    (end_field, end): (&str, &Option<String>),
) -> anyhow::Result<Option<pb::Period>> {
    let (start, end) = (optional_time(start_field, start)?, optional_time(end_field, end)?);
    Ok((start.is_some() || end.is_some()).then_some(pb::Period { start, end }))
}

impl TxCmd {
    pub fn act(&self) -> &ActAs {
        match self {
            TxCmd::Create { act, .. }
            | TxCmd::Update { act, .. }
            | TxCmd::Revoke { act, .. }
            | TxCmd::GrantRole { act, .. }
            | TxCmd::RevokeRole { act, .. }
            | TxCmd::Access { act, .. } => act,
        }
    }

    /// The message before its actor proof, `signer` the payer; `version` is the consent's
    /// current version for update and revoke (asked of the node by [`TxCmd::build`] unless
    /// `--version` gives it).
    pub fn unsigned(&self, signer: &str, version: u64) -> anyhow::Result<Unsigned> {
        let signer = signer.to_string();
        Ok(match self {
            TxCmd::Create { terms, .. } => {
                Unsigned::Create(pb::MsgCreateConsent { signer, actor: None, terms: Some(checked_terms(terms)?) })
            }
            TxCmd::Update { id, terms, .. } => Unsigned::Update(pb::MsgUpdateConsent {
                signer,
                actor: None,
                id: *id,
                version,
                terms: Some(checked_terms(terms)?),
            }),
            TxCmd::Revoke { id, .. } => {
                Unsigned::Revoke(pb::MsgRevokeConsent { signer, actor: None, id: *id, version })
            }
            TxCmd::GrantRole { member, role, start, end, .. } => Unsigned::GrantRole(pb::MsgGrantRole {
                signer,
                actor: None,
                member: did("--member", member)?,
                role: Some(parse_coding("--role", role)?),
                period: period(("--start", start), ("--end", end))?,
            }),
            TxCmd::RevokeRole { member, role, .. } => Unsigned::RevokeRole(pb::MsgRevokeRole {
                signer,
                actor: None,
                member: did("--member", member)?,
                role: Some(parse_coding("--role", role)?),
            }),
            TxCmd::Access { record, action, purpose, .. } => Unsigned::Access(pb::MsgAccessRecord {
                signer,
                actor: None,
                record: *record,
                action: check_action(action)?,
                purpose: check_purpose(purpose)?,
            }),
        })
    }

    /// The consent whose current version the command asks the node for: update and revoke
    /// without `--version`.
    pub fn version_to_fetch(&self) -> Option<u64> {
        match self {
            TxCmd::Update { id, version: None, .. } | TxCmd::Revoke { id, version: None, .. } => Some(*id),
            _ => None,
        }
    }

    /// The `--version` given, or 0.
    fn given_version(&self) -> u64 {
        match self {
            TxCmd::Update { version, .. } | TxCmd::Revoke { version, .. } => version.unwrap_or(0),
            _ => 0,
        }
    }

    /// The signed tx request: the payer signs, the DID acts.
    pub fn build(&self, ctx: &dyn CliCtx) -> anyhow::Result<TxRequest> {
        let act = self.act();
        act.parsed_did()?;
        let (payer, signer) = act.payer(ctx)?;
        // The file and flags are read and checked before anything is asked of the node.
        let mut unsigned = self.unsigned(&payer.to_string(), self.given_version())?;
        if let Some(id) = self.version_to_fetch() {
            let current = current_version(ctx, id)?;
            match &mut unsigned {
                Unsigned::Update(m) => m.version = current,
                Unsigned::Revoke(m) => m.version = current,
                _ => {}
            }
        }
        let any = match unsigned {
            Unsigned::Create(m) => to_any(&act.sign(ctx, m, |m| &mut m.actor)?),
            Unsigned::Update(m) => to_any(&act.sign(ctx, m, |m| &mut m.actor)?),
            Unsigned::Revoke(m) => to_any(&act.sign(ctx, m, |m| &mut m.actor)?),
            Unsigned::GrantRole(m) => to_any(&act.sign(ctx, m, |m| &mut m.actor)?),
            Unsigned::RevokeRole(m) => to_any(&act.sign(ctx, m, |m| &mut m.actor)?),
            Unsigned::Access(m) => to_any(&act.sign(ctx, m, |m| &mut m.actor)?),
        };
        // What the chain checks at decode and before it runs the message, checked here first.
        let msg = ConsentMsg::decode(&any).map_err(err)?;
        salus_sdk::Msg::validate_basic(&msg).map_err(err)?;
        Ok(TxRequest { signer, msgs: vec![any] })
    }
}

/// A message before its actor proof.
#[derive(Clone, Debug, PartialEq)]
pub enum Unsigned {
    Create(pb::MsgCreateConsent),
    Update(pb::MsgUpdateConsent),
    Revoke(pb::MsgRevokeConsent),
    GrantRole(pb::MsgGrantRole),
    RevokeRole(pb::MsgRevokeRole),
    Access(pb::MsgAccessRecord),
}

/// A consent's current version, as the node answers.
pub fn current_version(ctx: &dyn CliCtx, id: u64) -> anyhow::Result<u64> {
    let req = pb::QueryConsentRequest { id, version: 0 };
    let bytes = ctx
        .query(CONSENT_PATH, req.encode_to_vec(), 0)
        .with_context(|| format!("asking the node for consent {id}'s current version (or pass --version)"))?;
    let consent = pb::QueryConsentResponse::decode(bytes.as_slice())?
        .consent
        .ok_or_else(|| anyhow!("the node has no consent {id}"))?;
    Ok(consent.version)
}

// ---------------------------------------------------------------------------------------------
// query

/// What `decide` asks about.
#[derive(Debug, Args, Clone)]
#[command(group(clap::ArgGroup::new("data").required(true).args(["record", "class"])))]
pub struct DecideArgs {
    /// The DID that would access.
    #[arg(long, value_name = "DID")]
    pub requester: String,
    /// A role to assume the requester holds, besides those it holds on chain (what-if
    /// questions), as ORG_DID=SYSTEM|CODE. Repeatable.
    #[arg(long = "role", value_name = "ORG_DID=SYSTEM|CODE")]
    pub roles: Vec<String>,
    /// The subject [default: the record's owner].
    #[arg(long, value_name = "DID")]
    pub subject: Option<String>,
    /// A record: its classes, codes and labels come from the chain.
    #[arg(long, value_name = "ID", conflicts_with = "class")]
    pub record: Option<u64>,
    /// A data class instead of a record, as SYSTEM|CODE (committed with --commitment-key;
    /// give --subject too).
    #[arg(long, value_name = "SYSTEM|CODE", requires = "commitment_key", requires = "subject")]
    pub class: Option<String>,
    /// A file holding the subject's commitment key (64 hex digits), for --class and --sensitivity.
    #[arg(long, value_name = "FILE")]
    pub commitment_key: Option<PathBuf>,
    /// A Confidentiality code the data bears (U, L, M, N, R, V), besides a record's own. Repeatable.
    #[arg(long, value_name = "CODE")]
    pub confidentiality: Vec<String>,
    /// A sensitivity label the data bears, as SYSTEM|CODE (e.g.
    /// http://terminology.hl7.org/CodeSystem/v3-ActCode|HIV), committed with --commitment-key.
    /// Repeatable.
    #[arg(long, value_name = "SYSTEM|CODE", requires = "commitment_key")]
    pub sensitivity: Vec<String>,
    /// access, collect, use, disclose, correct or compute.
    #[arg(long)]
    pub action: String,
    /// An HL7 v3 PurposeOfUse code (TREAT, HRESCH, ...), ai-training or ai-inference.
    #[arg(long, value_name = "CODE")]
    pub purpose: String,
    /// Decide as of this time (RFC 3339) [default: the queried block's].
    #[arg(long, value_name = "TIME")]
    pub time: Option<String>,
    /// The start of the timeframe of the data asked (RFC 3339; for a data class).
    #[arg(long, value_name = "TIME")]
    pub data_start: Option<String>,
    /// The end, exclusive, of the timeframe of the data asked (RFC 3339; for a data class).
    #[arg(long, value_name = "TIME")]
    pub data_end: Option<String>,
}

impl DecideArgs {
    pub fn request(&self) -> anyhow::Result<pb::QueryDecideRequest> {
        let requester = did("--requester", &self.requester)?;
        let roles = self
            .roles
            .iter()
            .map(|r| {
                let (org, role) =
                    r.split_once('=').ok_or_else(|| anyhow!("--role `{r}` is not ORG_DID=SYSTEM|CODE"))?;
                Ok(pb::RoleGrant {
                    organization: did("--role's organization", org.trim())?,
                    member: requester.clone(),
                    role: Some(parse_coding("--role", role)?),
                    period: None,
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        let key = self.commitment_key.as_deref().map(read_commitment_key).transpose()?;
        let coded = |field: &str, s: &str| -> anyhow::Result<Vec<u8>> {
            let c = parse_coding(field, s)?;
            commitment(field, &CodingFile { system: c.system, code: c.code }, key.as_ref())
        };
        let confidentiality = self
            .confidentiality
            .iter()
            .map(|c| match Confidentiality::parse(c.trim()) {
                Some(c) => Ok(c.name().to_string()),
                None => bail!("--confidentiality `{c}` is not an HL7 v3 Confidentiality code: use U, L, M, N, R or V"),
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(pb::QueryDecideRequest {
            requester,
            roles,
            subject: self.subject.as_deref().map(|s| did("--subject", s)).transpose()?.unwrap_or_default(),
            record: self.record.unwrap_or(0),
            class_commitment: self.class.as_deref().map(|c| coded("--class", c)).transpose()?.unwrap_or_default(),
            confidentiality,
            sensitivity_commitments: self
                .sensitivity
                .iter()
                .map(|s| coded("--sensitivity", s))
                .collect::<anyhow::Result<Vec<_>>>()?,
            action: check_action(&self.action)?,
            purpose: check_purpose(&self.purpose)?,
            time: optional_time("--time", &self.time)?,
            data_period: period(("--data-start", &self.data_start), ("--data-end", &self.data_end))?,
        })
    }
}

#[derive(Debug, Subcommand)]
pub enum QueryCmd {
    /// A consent, at its latest version or the one given.
    #[command(disable_version_flag = true)]
    Consent {
        /// The consent's id.
        id: u64,
        /// This version instead of the latest.
        #[arg(long)]
        version: Option<u64>,
    },
    /// A consent's versions, oldest first (a page at a time: --limit, --page-key with the
    /// next_key printed, --offset, --count-total, --reverse for newest first).
    History {
        /// The consent's id.
        id: u64,
        #[command(flatten)]
        page: PageArgs,
    },
    /// A subject's draft and active consents (their latest versions), by id (a page at a time).
    #[command(name = "by-subject")]
    BySubject {
        /// The subject's DID.
        subject: String,
        #[command(flatten)]
        page: PageArgs,
    },
    /// What the chain would decide for an access, on the queried block's time (or --time):
    /// permit (with its obligations), deny or no-consent, and the consent and provision that
    /// decided. Nothing is logged.
    Decide(DecideArgs),
    /// The audit log of a subject's data (--subject) or of a requester's accesses (--requester),
    /// permits and denies alike, oldest first (a page at a time).
    #[command(group(clap::ArgGroup::new("whose").required(true).args(["subject", "requester"])))]
    Audit {
        /// The subject's DID.
        #[arg(long, value_name = "DID")]
        subject: Option<String>,
        /// The requester's DID.
        #[arg(long, value_name = "DID", conflicts_with = "subject")]
        requester: Option<String>,
        #[command(flatten)]
        page: PageArgs,
    },
    /// Accounting of disclosures (HIPAA 45 CFR 164.528): a subject's permitted accesses of the
    /// last six years, without those for treatment, payment, operations or by the subject (a
    /// page at a time).
    Disclosures {
        /// The subject's DID.
        subject: String,
        #[command(flatten)]
        page: PageArgs,
    },
    /// A requester's live access grant to a record (null if none is live).
    #[command(name = "access-grant")]
    AccessGrant {
        /// The requester's DID.
        #[arg(long, value_name = "DID")]
        requester: String,
        /// The record's id.
        #[arg(long, value_name = "ID")]
        record: u64,
    },
    /// The roles a member holds, from every organization (a page at a time).
    Roles {
        /// The member's DID.
        member: String,
        #[command(flatten)]
        page: PageArgs,
    },
    /// The consent module's parameters.
    Params,
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

impl QueryCmd {
    pub fn request(&self) -> anyhow::Result<QueryRequest> {
        let page = |p: &PageArgs| p.to_request().map(Some).map_err(err);
        // Pages of whole consents hold at most MAX_CONSENTS_PER_PAGE: count --page in that.
        let consent_page = |p: &PageArgs| {
            let limit = p.limit.min(crate::query::MAX_CONSENTS_PER_PAGE as u64);
            PageArgs { limit: if limit == 0 { crate::query::MAX_CONSENTS_PER_PAGE as u64 } else { limit }, ..p.clone() }
                .to_request()
                .map(Some)
                .map_err(err)
        };
        Ok(match self {
            QueryCmd::Consent { id, version } => {
                req(CONSENT_PATH, pb::QueryConsentRequest { id: *id, version: version.unwrap_or(0) })
            }
            QueryCmd::History { id, page: p } => {
                req(HISTORY_PATH, pb::QueryHistoryRequest { id: *id, pagination: consent_page(p)? })
            }
            QueryCmd::BySubject { subject, page: p } => req(
                BY_SUBJECT_PATH,
                pb::QueryConsentsBySubjectRequest { subject: did("subject", subject)?, pagination: consent_page(p)? },
            ),
            QueryCmd::Decide(args) => req(DECIDE_PATH, args.request()?),
            QueryCmd::Audit { subject: Some(subject), requester: None, page: p } => req(
                AUDIT_BY_SUBJECT_PATH,
                pb::QueryAuditBySubjectRequest { subject: did("--subject", subject)?, pagination: page(p)? },
            ),
            QueryCmd::Audit { subject: None, requester: Some(requester), page: p } => req(
                AUDIT_BY_REQUESTER_PATH,
                pb::QueryAuditByRequesterRequest { requester: did("--requester", requester)?, pagination: page(p)? },
            ),
            QueryCmd::Audit { .. } => bail!("audit: give one of --subject <did> or --requester <did>"),
            QueryCmd::Disclosures { subject, page: p } => req(
                DISCLOSURES_PATH,
                pb::QueryDisclosuresRequest { subject: did("subject", subject)?, pagination: page(p)? },
            ),
            QueryCmd::AccessGrant { requester, record } => req(
                ACCESS_GRANT_PATH,
                pb::QueryAccessGrantRequest { requester: did("--requester", requester)?, record: *record },
            ),
            QueryCmd::Roles { member, page: p } => {
                req(ROLES_PATH, pb::QueryRolesRequest { member: did("member", member)?, pagination: page(p)? })
            }
            QueryCmd::Params => req(PARAMS_PATH, pb::QueryParamsRequest {}),
        })
    }

    /// The node's answer as JSON (proto field names, snake_case; commitments hex; times RFC 3339).
    pub fn response_json(&self, bytes: &[u8]) -> anyhow::Result<Value> {
        Ok(match self {
            QueryCmd::Consent { .. } => {
                let r = pb::QueryConsentResponse::decode(bytes)?;
                json!({ "consent": r.consent.as_ref().map(consent_json) })
            }
            QueryCmd::History { .. } => {
                let r = pb::QueryHistoryResponse::decode(bytes)?;
                json!({
                    "versions": r.versions.iter().map(consent_json).collect::<Vec<_>>(),
                    "pagination": page_json(r.pagination.as_ref()),
                })
            }
            QueryCmd::BySubject { .. } => {
                let r = pb::QueryConsentsBySubjectResponse::decode(bytes)?;
                json!({
                    "consents": r.consents.iter().map(consent_json).collect::<Vec<_>>(),
                    "pagination": page_json(r.pagination.as_ref()),
                })
            }
            QueryCmd::Decide(_) => decide_json(&pb::QueryDecideResponse::decode(bytes)?),
            QueryCmd::Audit { .. } | QueryCmd::Disclosures { .. } => {
                let r = pb::QueryAuditResponse::decode(bytes)?;
                json!({
                    "events": r.events.iter().map(audit_event_json).collect::<Vec<_>>(),
                    "pagination": page_json(r.pagination.as_ref()),
                })
            }
            QueryCmd::AccessGrant { .. } => {
                let r = pb::QueryAccessGrantResponse::decode(bytes)?;
                json!({ "grant": r.grant.as_ref().map(access_grant_json) })
            }
            QueryCmd::Roles { .. } => {
                let r = pb::QueryRolesResponse::decode(bytes)?;
                json!({
                    "roles": r.roles.iter().map(role_grant_json).collect::<Vec<_>>(),
                    "pagination": page_json(r.pagination.as_ref()),
                })
            }
            QueryCmd::Params => {
                let r = pb::QueryParamsResponse::decode(bytes)?;
                json!({ "params": r.params.as_ref().map(params_json) })
            }
        })
    }
}

// ---------------------------------------------------------------------------------------------
// answers as JSON

/// RFC 3339 in UTC, fractional seconds only when there are some (as proto3 JSON writes them).
pub fn time_string(t: &prost_types::Timestamp) -> String {
    let nanos = u32::try_from(t.nanos).ok().filter(|n| *n < 1_000_000_000).unwrap_or(0);
    let s = Time { secs: t.seconds, nanos }.rfc3339();
    match nanos {
        0 => s.replace(".000000000Z", "Z"),
        _ => s,
    }
}

fn time_json(t: Option<&prost_types::Timestamp>) -> Value {
    t.map_or(Value::Null, |t| Value::String(time_string(t)))
}

fn hex_list(list: &[Vec<u8>]) -> Value {
    list.iter().map(hex::encode).collect()
}

fn u64_list(list: &[u64]) -> Value {
    list.iter().map(|n| Value::String(n.to_string())).collect()
}

pub fn period_json(p: Option<&pb::Period>) -> Value {
    p.map_or(Value::Null, |p| json!({ "start": time_json(p.start.as_ref()), "end": time_json(p.end.as_ref()) }))
}

pub fn coding_json(c: Option<&pb::Coding>) -> Value {
    c.map_or(Value::Null, |c| json!({ "system": c.system, "code": c.code }))
}

pub fn provision_json(p: &pb::Provision) -> Value {
    json!({
        "decision": p.decision,
        "period": period_json(p.period.as_ref()),
        "actors": p.actors.iter().map(|a| json!({ "role": coding_json(a.role.as_ref()), "reference": a.reference }))
            .collect::<Vec<_>>(),
        "actions": p.actions,
        "purposes": p.purposes,
        "confidentiality": p.confidentiality,
        "sensitivity_commitments": hex_list(&p.sensitivity_commitments),
        "class_commitments": hex_list(&p.class_commitments),
        "code_commitments": hex_list(&p.code_commitments),
        "data_period": period_json(p.data_period.as_ref()),
        "records": u64_list(&p.records),
        "provisions": p.provisions.iter().map(provision_json).collect::<Vec<_>>(),
    })
}

pub fn terms_json(t: &pb::ConsentTerms) -> Value {
    json!({
        "subject": t.subject,
        "status": t.status,
        "scope": t.scope,
        "decision": t.decision,
        "period": period_json(t.period.as_ref()),
        "provisions": t.provisions.iter().map(provision_json).collect::<Vec<_>>(),
    })
}

pub fn consent_json(c: &pb::Consent) -> Value {
    json!({
        "id": c.id.to_string(),
        "version": c.version.to_string(),
        "grantor": c.grantor,
        "terms": c.terms.as_ref().map(terms_json),
        "time": time_json(c.time.as_ref()),
        "height": c.height.to_string(),
    })
}

pub fn role_grant_json(r: &pb::RoleGrant) -> Value {
    json!({
        "organization": r.organization,
        "member": r.member,
        "role": coding_json(r.role.as_ref()),
        "period": period_json(r.period.as_ref()),
    })
}

pub fn obligation_json(o: &pb::Obligation) -> Value {
    json!({
        "code": o.code,
        "confidentiality": o.confidentiality,
        "sensitivity_commitments": hex_list(&o.sensitivity_commitments),
        "class_commitments": hex_list(&o.class_commitments),
        "code_commitments": hex_list(&o.code_commitments),
        "consent_id": o.consent_id.to_string(),
        "consent_version": o.consent_version.to_string(),
        "provision_path": o.provision_path,
    })
}

fn obligations(list: &[pb::Obligation]) -> Value {
    list.iter().map(obligation_json).collect()
}

pub fn access_grant_json(g: &pb::AccessGrant) -> Value {
    json!({
        "requester": g.requester,
        "record": g.record.to_string(),
        "action": g.action,
        "purpose": g.purpose,
        "expires": time_json(g.expires.as_ref()),
        "consent_id": g.consent_id.to_string(),
        "consent_version": g.consent_version.to_string(),
        "obligations": obligations(&g.obligations),
    })
}

pub fn audit_event_json(e: &pb::AuditEvent) -> Value {
    json!({
        "id": e.id.to_string(),
        "requester": e.requester,
        "custodian": e.custodian,
        "subject": e.subject,
        "record": e.record.to_string(),
        "action": e.action,
        "purpose": e.purpose,
        "outcome": e.outcome,
        "consent_id": e.consent_id.to_string(),
        "consent_version": e.consent_version.to_string(),
        "provision_path": e.provision_path,
        "obligations": obligations(&e.obligations),
        "time": time_json(e.time.as_ref()),
        "height": e.height.to_string(),
    })
}

pub fn decide_json(d: &pb::QueryDecideResponse) -> Value {
    json!({
        "decision": d.decision,
        "consent_id": d.consent_id.to_string(),
        "consent_version": d.consent_version.to_string(),
        "provision_path": d.provision_path,
        "obligations": obligations(&d.obligations),
        "time": time_json(d.time.as_ref()),
    })
}

pub fn params_json(p: &pb::Params) -> Value {
    json!({
        "max_provisions": p.max_provisions,
        "max_depth": p.max_depth,
        "max_list_len": p.max_list_len,
        "max_consents_per_subject": p.max_consents_per_subject,
        "access_grant_secs": p.access_grant_secs.to_string(),
        "provision_gas": p.provision_gas.to_string(),
    })
}

/// A page's `pagination` as Cosmos CLIs print it: `next_key` base64 (null on the last page) and
/// `total` a string.
pub fn page_json(p: Option<&salus_proto::cosmos::base::query::v1beta1::PageResponse>) -> Value {
    let mut v = json!({ "pagination": p.map(|p| serde_json::to_value(p).unwrap_or(Value::Null)) });
    salus_sdk::pagination::fill_page_json(&mut v);
    v.get_mut("pagination").map(Value::take).unwrap_or(Value::Null)
}

// ---------------------------------------------------------------------------------------------

impl ModuleCli for ConsentModule {
    /// Simulate, and ask for half as much again: an access is decided over every provision of the
    /// subject's consents (each charged), and a consent's size is its grantor's choice.
    const GAS: GasPolicy = GasPolicy::Auto { adjustment_percent: 150 };

    fn tx_command() -> Option<clap::Command> {
        Some(cli::command::<TxCmd>(
            Self::NAME,
            "Consents (salus.consent.v1): create, update, revoke; roles: grant-role, revoke-role; access a record",
        ))
    }

    fn query_command() -> Option<clap::Command> {
        Some(cli::command::<QueryCmd>(
            Self::NAME,
            "Consents, their history, access decisions (decide), the audit log, disclosures, access grants, roles, params",
        ))
    }

    fn tx(matches: &clap::ArgMatches, ctx: &dyn CliCtx) -> anyhow::Result<TxRequest> {
        cli::parse::<TxCmd>(matches)?.build(ctx)
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
    use salus_did::PublicKey;
    use salus_records::CommitmentKey;

    const KEY: &str = "0202020202020202020202020202020202020202020202020202020202020202";

    fn did_of(n: u8) -> String {
        Did::from_key(&PublicKey::Ed25519([n; 32])).to_string()
    }

    /// The module's commands inside a root command with a propagated `--version`, as `salusd`
    /// places them.
    fn root(sub: clap::Command) -> clap::Command {
        clap::Command::new("salusd").version("1").propagate_version(true).subcommand(sub)
    }

    fn tx(args: &[&str]) -> Result<TxCmd, clap::Error> {
        let m = root(cli::command::<TxCmd>("consent", "tx"))
            .try_get_matches_from(["salusd", "consent"].into_iter().chain(args.iter().copied()))?;
        Ok(cli::parse(m.subcommand().unwrap().1).unwrap())
    }

    fn query(args: &[&str]) -> Result<QueryCmd, clap::Error> {
        let m = root(cli::command::<QueryCmd>("consent", "query"))
            .try_get_matches_from(["salusd", "consent"].into_iter().chain(args.iter().copied()))?;
        Ok(cli::parse(m.subcommand().unwrap().1).unwrap())
    }

    #[test]
    fn the_command_trees_are_well_formed_and_every_command_has_help() {
        for cmd in [cli::command::<TxCmd>("consent", "tx"), cli::command::<QueryCmd>("consent", "query")] {
            let mut tree = root(cmd);
            tree.build();
            tree.clone().debug_assert();
            let module = tree.find_subcommand("consent").unwrap();
            for sub in module.get_subcommands() {
                assert!(sub.get_about().is_some(), "{} has no help", sub.get_name());
                for arg in sub.get_arguments().filter(|a| !["help", "version"].contains(&a.get_id().as_str())) {
                    assert!(arg.get_help().is_some(), "{} {} has no help", sub.get_name(), arg.get_id());
                }
            }
        }
        let help = tx(&["create", "--help"]).unwrap_err().to_string();
        assert!(help.contains("securityLabels") && help.contains("--commitment-key"), "{help}");
    }

    #[test]
    fn tx_commands_build_their_messages() {
        let dir = tempfile::tempdir().unwrap();
        let (terms, key) = (dir.path().join("terms.json"), dir.path().join("key"));
        let subject = did_of(1);
        std::fs::write(
            &terms,
            format!(
                r#"{{"subject": "{subject}", "status": "active", "scope": "treatment", "decision": "permit",
                    "provisions": [{{"decision": "deny", "classes": [{{"system": "http://loinc.org", "code": "1-8"}}]}}]}}"#
            ),
        )
        .unwrap();
        std::fs::write(&key, KEY).unwrap();
        let (terms, key) = (terms.to_str().unwrap(), key.to_str().unwrap());
        let commitment = CommitmentKey::from_hex(KEY).unwrap().commit("http://loinc.org", "1-8").0.to_vec();

        let create =
            tx(&["create", "--file", terms, "--commitment-key", key, "--as", &subject, "--key", "pat"]).unwrap();
        assert_eq!(
            (create.act().did.as_str(), create.act().key.as_str(), create.act().from.as_deref()),
            (subject.as_str(), "pat", None)
        );
        assert_eq!(create.version_to_fetch(), None);
        let Unsigned::Create(m) = create.unsigned("salus1payer", 0).unwrap() else { panic!() };
        assert_eq!(m.signer, "salus1payer");
        assert_eq!(m.terms.as_ref().unwrap().provisions[0].class_commitments, [commitment]);
        let e =
            tx(&["create", "--file", terms, "--as", &subject, "--key", "pat"]).unwrap().unsigned("s", 0).unwrap_err();
        assert!(format!("{e:#}").contains("--commitment-key"), "{e:#}");

        let update = tx(&[
            "update",
            "4",
            "--file",
            terms,
            "--commitment-key",
            key,
            "--as",
            &subject,
            "--key",
            "pat",
            "--from",
            "payer",
        ])
        .unwrap();
        assert_eq!(update.version_to_fetch(), Some(4));
        assert_eq!(update.act().from.as_deref(), Some("payer"));
        let Unsigned::Update(m) = update.unsigned("s", 3).unwrap() else { panic!() };
        assert_eq!((m.id, m.version), (4, 3));
        let pinned = tx(&[
            "update",
            "4",
            "--version",
            "2",
            "--file",
            terms,
            "--commitment-key",
            key,
            "--as",
            &subject,
            "--key",
            "pat",
        ])
        .unwrap();
        assert_eq!((pinned.version_to_fetch(), pinned.given_version()), (None, 2));

        let revoke = tx(&["revoke", "4", "--as", &subject, "--key", "pat"]).unwrap();
        assert_eq!(revoke.version_to_fetch(), Some(4));
        let revoke = tx(&["revoke", "4", "--version", "7", "--as", &subject, "--key", "pat"]).unwrap();
        assert_eq!(revoke.version_to_fetch(), None);
        assert_eq!(
            revoke.unsigned("s", revoke.given_version()).unwrap(),
            Unsigned::Revoke(pb::MsgRevokeConsent { signer: "s".into(), actor: None, id: 4, version: 7 })
        );

        let (org, member) = (did_of(2), did_of(3));
        let role = "http://terminology.hl7.org/CodeSystem/v3-RoleCode|PROV";
        let grant = tx(&[
            "grant-role",
            "--member",
            &member,
            "--role",
            role,
            "--start",
            "2026-01-01T00:00:00Z",
            "--as",
            &org,
            "--key",
            "org",
        ])
        .unwrap();
        let Unsigned::GrantRole(m) = grant.unsigned("s", 0).unwrap() else { panic!() };
        assert_eq!(m.member, member);
        assert_eq!(
            m.role.unwrap(),
            pb::Coding { system: "http://terminology.hl7.org/CodeSystem/v3-RoleCode".into(), code: "PROV".into() }
        );
        let period = m.period.unwrap();
        assert_eq!((period.start.unwrap().seconds, period.end), (1_767_225_600, None));
        let open = tx(&["grant-role", "--member", &member, "--role", role, "--as", &org, "--key", "org"]).unwrap();
        let Unsigned::GrantRole(m) = open.unsigned("s", 0).unwrap() else { panic!() };
        assert_eq!(m.period, None);
        for (args, says) in [
            (vec!["grant-role", "--member", "bob", "--role", role], "--member"),
            (vec!["grant-role", "--member", &member, "--role", "PROV"], "is not SYSTEM|CODE"),
            (vec!["grant-role", "--member", &member, "--role", "|PROV"], "is not SYSTEM|CODE"),
            (vec!["grant-role", "--member", &member, "--role", role, "--end", "soon"], "--end `soon`"),
            (vec!["revoke-role", "--member", &member, "--role", "x|"], "is not SYSTEM|CODE"),
            (vec!["access", "--record", "9", "--action", "read", "--purpose", "TREAT"], "access, collect, use"),
            (
                vec!["access", "--record", "9", "--action", "use", "--purpose", "treat"],
                "is not an HL7 v3 PurposeOfUse code",
            ),
        ] {
            let args: Vec<&str> = args.into_iter().chain(["--as", &org, "--key", "org"]).collect();
            let e = tx(&args).unwrap().unsigned("s", 0).unwrap_err().to_string();
            assert!(e.contains(says), "{args:?}: {e}");
        }
        let revoke_role =
            tx(&["revoke-role", "--member", &member, "--role", role, "--as", &org, "--key", "org"]).unwrap();
        assert!(
            matches!(revoke_role.unsigned("s", 0).unwrap(), Unsigned::RevokeRole(m) if m.role.as_ref().unwrap().code == "PROV")
        );
        let access = tx(&[
            "access",
            "--record",
            "9",
            "--action",
            "use",
            "--purpose",
            "ai-inference",
            "--as",
            &member,
            "--key",
            "m",
        ])
        .unwrap();
        assert_eq!(
            access.unsigned("s", 0).unwrap(),
            Unsigned::Access(pb::MsgAccessRecord {
                signer: "s".into(),
                actor: None,
                record: 9,
                action: "use".into(),
                purpose: "ai-inference".into()
            })
        );
        // clap refuses what is missing.
        assert!(tx(&["access", "--record", "9", "--action", "use", "--as", &member, "--key", "m"]).is_err());
        assert!(tx(&["create", "--as", &subject, "--key", "pat"]).is_err());
        assert!(tx(&["revoke", "4", "--key", "pat"]).is_err());
    }

    #[test]
    fn queries_build_their_requests() {
        let (requester, org, subject) = (did_of(4), did_of(5), did_of(6));
        let r = query(&["consent", "3", "--version", "2"]).unwrap().request().unwrap();
        assert_eq!(r.path, "/salus.consent.v1.Query/Consent");
        assert_eq!(
            pb::QueryConsentRequest::decode(r.data.as_slice()).unwrap(),
            pb::QueryConsentRequest { id: 3, version: 2 }
        );
        let r = query(&["history", "3", "--limit", "5", "--reverse"]).unwrap().request().unwrap();
        let sent = pb::QueryHistoryRequest::decode(r.data.as_slice()).unwrap();
        assert_eq!(
            (r.path, sent.id, sent.pagination.as_ref().map(|p| (p.limit, p.reverse))),
            (HISTORY_PATH, 3, Some((5, true)))
        );
        let r = query(&["by-subject", &subject]).unwrap().request().unwrap();
        assert_eq!(r.path, "/salus.consent.v1.Query/ConsentsBySubject");
        assert!(query(&["by-subject", "alice"]).unwrap().request().is_err());
        let r = query(&["audit", "--subject", &subject]).unwrap().request().unwrap();
        assert_eq!(r.path, "/salus.consent.v1.Query/AuditBySubject");
        let r =
            query(&["audit", "--requester", &requester, "--page", "2", "--limit", "10"]).unwrap().request().unwrap();
        assert_eq!(r.path, "/salus.consent.v1.Query/AuditByRequester");
        let sent = pb::QueryAuditByRequesterRequest::decode(r.data.as_slice()).unwrap();
        assert_eq!((sent.requester.as_str(), sent.pagination.unwrap().offset), (requester.as_str(), 10));
        assert!(query(&["audit"]).is_err());
        assert!(query(&["audit", "--subject", &subject, "--requester", &requester]).is_err());
        assert_eq!(
            query(&["disclosures", &subject]).unwrap().request().unwrap().path,
            "/salus.consent.v1.Query/Disclosures"
        );
        let r = query(&["access-grant", "--requester", &requester, "--record", "8"]).unwrap().request().unwrap();
        assert_eq!(r.path, "/salus.consent.v1.Query/AccessGrant");
        assert_eq!(pb::QueryAccessGrantRequest::decode(r.data.as_slice()).unwrap().record, 8);
        assert_eq!(query(&["roles", &requester]).unwrap().request().unwrap().path, "/salus.consent.v1.Query/Roles");
        assert_eq!(query(&["params"]).unwrap().request().unwrap().path, "/salus.consent.v1.Query/Params");

        // decide: a record, or a data class committed with the subject's key.
        let role = format!("{org}=http://terminology.hl7.org/CodeSystem/v3-RoleCode|PROV");
        let r = query(&[
            "decide",
            "--requester",
            &requester,
            "--role",
            &role,
            "--record",
            "12",
            "--action",
            "access",
            "--purpose",
            "TREAT",
            "--confidentiality",
            "R",
        ])
        .unwrap()
        .request()
        .unwrap();
        assert_eq!(r.path, "/salus.consent.v1.Query/Decide");
        let sent = pb::QueryDecideRequest::decode(r.data.as_slice()).unwrap();
        assert_eq!((sent.record, sent.class_commitment.len(), sent.time), (12, 0, None));
        assert_eq!(
            sent.roles,
            [pb::RoleGrant {
                organization: org.clone(),
                member: requester.clone(),
                role: Some(pb::Coding {
                    system: "http://terminology.hl7.org/CodeSystem/v3-RoleCode".into(),
                    code: "PROV".into()
                }),
                period: None,
            }]
        );
        assert_eq!(sent.confidentiality, ["R"]);

        let dir = tempfile::tempdir().unwrap();
        let key = dir.path().join("key");
        std::fs::write(&key, KEY).unwrap();
        let key = key.to_str().unwrap();
        let r = query(&[
            "decide",
            "--requester",
            &requester,
            "--subject",
            &subject,
            "--class",
            "http://loinc.org|1-8",
            "--commitment-key",
            key,
            "--sensitivity",
            "http://terminology.hl7.org/CodeSystem/v3-ActCode|HIV",
            "--action",
            "use",
            "--purpose",
            "HRESCH",
            "--time",
            "2026-03-01T00:00:00Z",
            "--data-start",
            "2020-01-01T00:00:00Z",
        ])
        .unwrap()
        .request()
        .unwrap();
        let sent = pb::QueryDecideRequest::decode(r.data.as_slice()).unwrap();
        let k = CommitmentKey::from_hex(KEY).unwrap();
        assert_eq!(sent.class_commitment, k.commit("http://loinc.org", "1-8").0);
        assert_eq!(
            sent.sensitivity_commitments,
            [k.commit("http://terminology.hl7.org/CodeSystem/v3-ActCode", "HIV").0]
        );
        assert_eq!((sent.subject.as_str(), sent.record), (subject.as_str(), 0));
        assert_eq!(sent.time.unwrap().seconds, 1_772_323_200);
        assert_eq!(sent.data_period.unwrap().end, None);
        assert!(!r.data.windows(3).any(|w| w == b"HIV"), "no code is sent");

        let decide = |extra: &[&str]| {
            let base = ["decide", "--requester", requester.as_str(), "--action", "access", "--purpose", "TREAT"];
            query(&base.iter().copied().chain(extra.iter().copied()).collect::<Vec<_>>())
        };
        assert!(decide(&[]).is_err(), "a record or a class");
        assert!(decide(&["--record", "1", "--class", "a|b", "--commitment-key", key]).is_err());
        assert!(decide(&["--class", "a|b", "--subject", &subject]).is_err(), "a class needs the key");
        assert!(decide(&["--class", "a|b", "--commitment-key", key]).is_err(), "a class needs the subject");
        assert!(decide(&["--record", "1", "--sensitivity", "a|b"]).is_err(), "a sensitivity needs the key");
        for (extra, says) in [
            (vec!["--record", "1", "--confidentiality", "X"], "U, L, M, N, R or V"),
            (vec!["--record", "1", "--role", "PROV"], "ORG_DID=SYSTEM|CODE"),
            (vec!["--record", "1", "--role", "nobody=a|b"], "organization"),
            (vec!["--record", "1", "--time", "2026-03-01"], "--time"),
            (vec!["--record", "1", "--subject", "x"], "--subject"),
            (vec!["--class", "nocode", "--commitment-key", key, "--subject", &subject], "--class `nocode`"),
            (
                vec!["--class", "a|b", "--commitment-key", "/nonexistent/key", "--subject", &subject],
                "commitment key file",
            ),
        ] {
            let e = format!("{:#}", decide(&extra).unwrap().request().unwrap_err());
            assert!(e.contains(says), "{extra:?}: {e}");
        }
    }

    #[test]
    fn answers_print_proto_names_hex_commitments_and_rfc3339_times() {
        let ts = |seconds, nanos| Some(prost_types::Timestamp { seconds, nanos });
        let obligation = pb::Obligation {
            code: "redact".into(),
            confidentiality: vec!["R".into()],
            sensitivity_commitments: vec![vec![0xab; 32]],
            consent_id: 1,
            consent_version: 2,
            provision_path: vec![0, 1],
            ..Default::default()
        };
        let consent = pb::Consent {
            id: 1,
            version: 2,
            grantor: "did:salus:g".into(),
            terms: Some(pb::ConsentTerms {
                subject: "did:salus:s".into(),
                status: "active".into(),
                scope: "treatment".into(),
                decision: "permit".into(),
                period: Some(pb::Period { start: ts(1_767_225_600, 0), end: None }),
                provisions: vec![pb::Provision {
                    decision: "deny".into(),
                    class_commitments: vec![vec![0x01; 32]],
                    records: vec![17],
                    actors: vec![pb::Actor { role: None, reference: "did:salus:h".into() }],
                    ..Default::default()
                }],
            }),
            time: ts(1_767_225_600, 5_000_000),
            height: 40,
        };
        let bytes = pb::QueryConsentResponse { consent: Some(consent.clone()) }.encode_to_vec();
        let v = query(&["consent", "1"]).unwrap().response_json(&bytes).unwrap();
        let c = &v["consent"];
        assert_eq!((c["id"].as_str(), c["version"].as_str(), c["height"].as_str()), (Some("1"), Some("2"), Some("40")));
        assert_eq!(c["time"], "2026-01-01T00:00:00.005000000Z");
        assert_eq!(c["terms"]["period"], json!({ "start": "2026-01-01T00:00:00Z", "end": null }));
        let p = &c["terms"]["provisions"][0];
        assert_eq!(p["class_commitments"], json!(["01".repeat(32)]));
        assert_eq!(p["records"], json!(["17"]));
        assert_eq!(p["actors"], json!([{ "role": null, "reference": "did:salus:h" }]));
        assert_eq!(p["data_period"], Value::Null);
        assert_eq!(p["provisions"], json!([]));
        assert_eq!(query(&["consent", "9"]).unwrap().response_json(&[]).unwrap(), json!({ "consent": null }));

        let history = pb::QueryHistoryResponse {
            versions: vec![consent],
            pagination: Some(salus_proto::cosmos::base::query::v1beta1::PageResponse {
                next_key: vec![0, 1],
                total: 3,
            }),
        };
        let v = query(&["history", "1"]).unwrap().response_json(&history.encode_to_vec()).unwrap();
        assert_eq!(v["pagination"], json!({ "next_key": "AAE=", "total": "3" }));
        assert_eq!(v["versions"][0]["terms"]["subject"], "did:salus:s");
        let v = query(&["roles", &did_of(1)]).unwrap().response_json(&[]).unwrap();
        assert_eq!(v, json!({ "roles": [], "pagination": { "next_key": null, "total": "0" } }));

        let decide = pb::QueryDecideResponse {
            decision: "permit".into(),
            consent_id: 1,
            consent_version: 2,
            provision_path: vec![],
            obligations: vec![obligation.clone()],
            time: ts(0, 0),
        };
        let args = ["decide", "--requester", "x", "--record", "1", "--action", "use", "--purpose", "TREAT"];
        let v = query(&args).unwrap().response_json(&decide.encode_to_vec()).unwrap();
        assert_eq!(v["time"], "1970-01-01T00:00:00Z");
        assert_eq!(v["consent_id"], "1");
        let o = &v["obligations"][0];
        assert_eq!(o["sensitivity_commitments"], json!(["ab".repeat(32)]));
        assert_eq!((o["provision_path"].clone(), o["code"].clone()), (json!([0, 1]), json!("redact")));

        let grant = pb::AccessGrant {
            requester: "did:salus:r".into(),
            record: 5,
            expires: ts(3600, 0),
            obligations: vec![obligation],
            ..Default::default()
        };
        let access = ["access-grant", "--requester", "x", "--record", "5"];
        let v = query(&access)
            .unwrap()
            .response_json(&pb::QueryAccessGrantResponse { grant: Some(grant) }.encode_to_vec())
            .unwrap();
        assert_eq!(
            (v["grant"]["record"].as_str(), v["grant"]["expires"].as_str()),
            (Some("5"), Some("1970-01-01T01:00:00Z"))
        );
        assert_eq!(query(&access).unwrap().response_json(&[]).unwrap(), json!({ "grant": null }));

        let event =
            pb::AuditEvent { id: 3, subject: "00ff".into(), outcome: "deny".into(), height: 9, ..Default::default() };
        let audit = pb::QueryAuditResponse { events: vec![event], pagination: None };
        let v = query(&["disclosures", "x"]).unwrap().response_json(&audit.encode_to_vec()).unwrap();
        assert_eq!((v["events"][0]["id"].as_str(), v["events"][0]["time"].clone()), (Some("3"), Value::Null));
        assert_eq!(v["pagination"], json!({ "next_key": null, "total": "0" }));

        let params = pb::QueryParamsResponse { params: Some(crate::Params::default().to_proto()) };
        let v = query(&["params"]).unwrap().response_json(&params.encode_to_vec()).unwrap();
        assert_eq!(
            (v["params"]["max_depth"].clone(), v["params"]["access_grant_secs"].clone()),
            (json!(4), json!("3600"))
        );

        // Garbage from a node is an error, not a panic; odd times print.
        assert!(query(&["params"]).unwrap().response_json(&[0xff, 0xff]).is_err());
        for t in [
            prost_types::Timestamp { seconds: i64::MIN, nanos: -1 },
            prost_types::Timestamp { seconds: i64::MAX, nanos: i32::MAX },
        ] {
            let _ = time_string(&t);
        }
    }

    /// The node's side of the CLI, on a test chain: keys by name, queries of committed state.
    struct ChainCtx {
        chain: std::cell::RefCell<salus_testkit::TestChain>,
        payer: salus_testkit::Key,
        dids: Vec<(&'static str, salus_testkit::DidActor)>,
    }

    impl ChainCtx {
        fn did(&self, name: &str) -> Option<&salus_testkit::DidActor> {
            self.dids.iter().find(|(n, _)| *n == name).map(|(_, d)| d)
        }

        fn did_string(&self, name: &str) -> String {
            self.did(name).unwrap().did.to_string()
        }

        fn tx(&self, args: &[&str]) -> salus_node::app::pipeline::TxOutcome {
            let cmd = ConsentModule::tx_command().unwrap();
            let m = cmd.try_get_matches_from(std::iter::once("consent").chain(args.iter().copied())).unwrap();
            let req = ConsentModule::tx(&m, self).unwrap_or_else(|e| panic!("{args:?}: {e:#}"));
            assert_eq!((req.signer.as_str(), req.msgs.len()), ("payer", 1));
            let out = self.chain.borrow_mut().exec(&self.payer, req.msgs[0].clone());
            assert_eq!(out.code, 0, "{args:?}: {out:?}");
            out
        }

        fn tx_refused(&self, args: &[&str]) -> String {
            let cmd = ConsentModule::tx_command().unwrap();
            let m = cmd.try_get_matches_from(std::iter::once("consent").chain(args.iter().copied())).unwrap();
            format!("{:#}", ConsentModule::tx(&m, self).unwrap_err())
        }

        fn query(&self, args: &[&str]) -> Value {
            let cmd = ConsentModule::query_command().unwrap();
            let m = cmd.try_get_matches_from(std::iter::once("consent").chain(args.iter().copied())).unwrap();
            let answer = <ConsentModule as ModuleCli>::query(&m, self).unwrap_or_else(|e| panic!("{args:?}: {e:#}"));
            assert!(!answer.keys_as_is && !answer.failed);
            answer.value
        }
    }

    impl CliCtx for ChainCtx {
        fn chain_id(&self) -> anyhow::Result<String> {
            Ok(salus_testkit::CHAIN_ID.to_string())
        }
        fn node(&self) -> &str {
            "test chain"
        }
        fn height(&self) -> u64 {
            0
        }
        fn key(&self, name: &str) -> anyhow::Result<salus_sdk::Address> {
            match name {
                "payer" => Ok(self.payer.address),
                _ => bail!("no secp256k1 key {name}"),
            }
        }
        fn public_key(&self, name: &str) -> anyhow::Result<salus_sdk::cli::PubKey> {
            match (name, self.did(name)) {
                ("payer", _) => Ok(salus_sdk::cli::PubKey::Secp256k1(self.payer.pubkey)),
                (_, Some(d)) => Ok(salus_sdk::cli::PubKey::Ed25519(d.sk.verification_key().to_bytes())),
                _ => bail!("no key {name}"),
            }
        }
        fn sign(&self, name: &str, bytes: &[u8]) -> anyhow::Result<Vec<u8>> {
            let d = self.did(name).ok_or_else(|| anyhow!("no ed25519 key {name}"))?;
            Ok(d.sk.sign(bytes).to_bytes().to_vec())
        }
        fn query(&self, path: &str, data: Vec<u8>, _height: u64) -> anyhow::Result<Vec<u8>> {
            self.chain.borrow().query(path, data).map_err(|e| {
                salus_sdk::cli::QueryError { codespace: e.codespace.to_string(), code: e.code, log: e.message }.into()
            })
        }
        fn consensus_pubkey(&self) -> anyhow::Result<[u8; 32]> {
            bail!("no consensus key")
        }
    }

    #[test]
    fn a_patient_consents_and_a_clinic_accesses_a_record_through_the_cli() {
        use salus_proto::salus::records::v1 as rpb;
        use salus_testkit::{DidActor, TestChain};

        let mut chain = TestChain::new();
        let payer = salus_testkit::key(1);
        let dids = vec![("patient", DidActor::new(10)), ("hospital", DidActor::new(12)), ("clinic", DidActor::new(13))];
        for (_, d) in &dids {
            d.create(&mut chain, &payer, &[]);
        }
        let ckey = CommitmentKey([7; 32]);
        // A record of the patient, held by the hospital, about an HIV test.
        let (patient, hospital) = (&dids[0].1, &dids[1].1);
        let content = rpb::RecordContent {
            content_hash: "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy".into(),
            size: 2048,
            locator: "vault://hospital/objects/1f3a".into(),
            encryption: Some(rpb::Encryption { algorithm: "AES-256-GCM".into(), key_id: "dek-1".into() }),
            category_commitments: vec![ckey.commit("http://loinc.org", "75622-1").0.to_vec()],
            confidentiality: vec!["N".into()],
            sensitivity_commitments: vec![],
        };
        let anchor = rpb::MsgAnchorRecord {
            signer: payer.address.to_string(),
            actor: None,
            owner: patient.did.to_string(),
            custodian: hospital.did.to_string(),
            content: Some(content),
        };
        let out = patient.exec(&mut chain, &payer, anchor, |m| &mut m.actor);
        assert!(out.is_ok(), "anchor: {out:?}");
        let record: u64 = out
            .events
            .iter()
            .find(|e| e.kind == "record_anchored")
            .and_then(|e| e.get("id"))
            .and_then(|id| id.parse().ok())
            .unwrap_or_else(|| panic!("no record id in {out:?}"));
        let record = record.to_string();
        let ctx = ChainCtx { chain: std::cell::RefCell::new(chain), payer, dids };
        let (pat, clinic) = (ctx.did_string("patient"), ctx.did_string("clinic"));

        let dir = tempfile::tempdir().unwrap();
        let key_file = dir.path().join("patient.ckey");
        std::fs::write(&key_file, hex::encode([7; 32])).unwrap();
        let terms = dir.path().join("terms.json");
        // Permit treatment, but never what is about an HIV test: a class committed by the CLI.
        let write_terms = |scope: &str| {
            std::fs::write(
                &terms,
                format!(
                    r#"{{"subject": "{pat}", "status": "active", "scope": "{scope}", "decision": "permit",
                        "provisions": [{{"classes": [{{"system": "http://loinc.org", "code": "75622-1"}}],
                                         "purposes": ["HRESCH"]}}]}}"#
                ),
            )
            .unwrap()
        };
        write_terms("treatment");
        let (terms, key_file) = (terms.to_str().unwrap().to_string(), key_file.to_str().unwrap().to_string());
        let e = ctx.tx_refused(&["create", "--file", &terms, "--as", &pat, "--key", "patient", "--from", "payer"]);
        assert!(e.contains("--commitment-key"), "{e}");
        let grantor = ["--as", pat.as_str(), "--key", "patient", "--from", "payer"];
        let with =
            |args: &[&str], more: &[&str]| -> Vec<String> { args.iter().chain(more).map(|s| s.to_string()).collect() };
        let run = |args: Vec<String>| ctx.tx(&args.iter().map(String::as_str).collect::<Vec<_>>());
        run(with(&["create", "--file", &terms, "--commitment-key", &key_file], &grantor));

        let mine = ctx.query(&["by-subject", &pat]);
        let c = &mine["consents"][0];
        assert_eq!(
            (c["id"].as_str(), c["version"].as_str(), c["grantor"].as_str()),
            (Some("1"), Some("1"), Some(pat.as_str()))
        );
        let class = ckey.commit("http://loinc.org", "75622-1").to_hex();
        assert_eq!(c["terms"]["provisions"][0]["class_commitments"], json!([class]));
        assert_eq!(c["terms"]["provisions"][0]["decision"], "deny");
        assert!(!mine.to_string().contains("75622"), "{mine}");

        // What an access would get, and the access itself.
        let ask = |purpose: &str| {
            ctx.query(&[
                "decide",
                "--requester",
                &clinic,
                "--record",
                &record,
                "--action",
                "access",
                "--purpose",
                purpose,
            ])
        };
        assert_eq!(ask("TREAT")["decision"], "permit");
        assert_eq!(ask("HRESCH")["decision"], "deny");
        assert_eq!(ask("HRESCH")["provision_path"], json!([0]));
        let class_arg = "http://loinc.org|75622-1";
        let by_class = ctx.query(&[
            "decide",
            "--requester",
            &clinic,
            "--subject",
            &pat,
            "--class",
            class_arg,
            "--commitment-key",
            &key_file,
            "--action",
            "use",
            "--purpose",
            "HRESCH",
        ]);
        assert_eq!(by_class["decision"], "deny", "{by_class}");
        let requester = ["--as", clinic.as_str(), "--key", "clinic", "--from", "payer"];
        run(with(&["access", "--record", &record, "--action", "access", "--purpose", "TREAT"], &requester));
        let grant = ctx.query(&["access-grant", "--requester", &clinic, "--record", &record]);
        assert_eq!(
            (grant["grant"]["purpose"].as_str(), grant["grant"]["consent_id"].as_str()),
            (Some("TREAT"), Some("1"))
        );
        assert!(grant["grant"]["expires"].as_str().unwrap().ends_with('Z'));
        run(with(&["access", "--record", &record, "--action", "access", "--purpose", "HRESCH"], &requester));
        let audit = ctx.query(&["audit", "--subject", &pat]);
        let outcomes: Vec<_> = audit["events"].as_array().unwrap().iter().map(|e| e["outcome"].clone()).collect();
        assert_eq!(outcomes, [json!("permit"), json!("deny")], "{audit}");
        assert_eq!(
            ctx.query(&["audit", "--requester", &clinic, "--limit", "1"])["events"].as_array().unwrap().len(),
            1
        );
        let disclosures = ctx.query(&["disclosures", &pat]);
        assert_eq!(disclosures["events"], json!([]), "treatment needs no accounting: {disclosures}");

        // An update asks the node for the current version; a stale --version is refused by the chain.
        write_terms("research");
        run(with(&["update", "1", "--file", &terms, "--commitment-key", &key_file], &grantor));
        let v2 = ctx.query(&["consent", "1"]);
        assert_eq!(
            (v2["consent"]["version"].as_str(), v2["consent"]["terms"]["scope"].as_str()),
            (Some("2"), Some("research"))
        );
        assert_eq!(ctx.query(&["consent", "1", "--version", "1"])["consent"]["terms"]["scope"], "treatment");
        assert_eq!(ctx.query(&["history", "1"])["versions"].as_array().unwrap().len(), 2);
        let stale = ConsentModule::tx(
            &ConsentModule::tx_command()
                .unwrap()
                .try_get_matches_from(with(&["consent", "revoke", "1", "--version", "1"], &grantor))
                .unwrap(),
            &ctx,
        )
        .unwrap();
        let out = ctx.chain.borrow_mut().exec(&ctx.payer, stale.msgs[0].clone());
        assert_eq!((out.codespace, out.code), ("consent", 6), "{out:?}");
        let e = ctx.tx_refused(&["revoke", "9", "--as", &pat, "--key", "patient", "--from", "payer"]);
        assert!(e.contains("consent 9"), "{e}");

        // Roles: the hospital gives the clinic a role, and takes it back.
        let hosp = ctx.did_string("hospital");
        let org = ["--as", hosp.as_str(), "--key", "hospital", "--from", "payer"];
        let role = "http://terminology.hl7.org/CodeSystem/v3-RoleCode|PROV";
        run(with(&["grant-role", "--member", &clinic, "--role", role, "--end", "2100-01-01T00:00:00Z"], &org));
        let roles = ctx.query(&["roles", &clinic]);
        assert_eq!(roles["roles"][0]["organization"], hosp.as_str(), "{roles}");
        assert_eq!(roles["roles"][0]["role"]["code"], "PROV");
        assert_eq!(roles["roles"][0]["period"]["end"], "2100-01-01T00:00:00Z");
        run(with(&["revoke-role", "--member", &clinic, "--role", role], &org));
        assert_eq!(ctx.query(&["roles", &clinic])["roles"], json!([]));

        run(with(&["revoke", "1"], &grantor));
        assert_eq!(ctx.query(&["consent", "1"])["consent"]["terms"]["status"], "inactive");
        assert_eq!(ask("TREAT")["decision"], "no-consent");
        assert_eq!(ctx.query(&["params"])["params"]["max_depth"], 4);
    }
}
