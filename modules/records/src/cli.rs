//! `salusd tx records ...` and `salusd query records ...`: the module's [`ModuleCli`]. Category
//! and sensitivity codes are committed here, with the subject's commitment key (`--commitment-key
//! <file>`): only their commitments leave this machine. The DID acts with `--as <did> --key
//! <key>`; `--from` pays.

use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context};
use base64::Engine;
use clap::{Args, Subcommand};
use prost::Message;
use salus_did::act_cli::ActAs;
use salus_did::Did;
use salus_proto::salus::records::v1 as pb;
use salus_sdk::cli::{self, CliCtx, ModuleCli, QueryAnswer, TxRequest};
use salus_sdk::pagination::PageArgs;
use salus_sdk::time::Time;
use salus_sdk::{Error, Module, Msg};
use serde_json::{json, Value};

use crate::commitment::{Commitment, CommitmentKey};
use crate::msgs::RecordsMsg;
use crate::query::{BY_OWNER_PATH, HISTORY_PATH, PARAMS_PATH, RECORD_PATH};
use crate::RecordsModule;

fn err(e: Error) -> anyhow::Error {
    anyhow!(e.message)
}

/// One version's payload. Codes are given in clear here and committed before anything is sent.
#[derive(Debug, Args, Clone)]
pub struct ContentArgs {
    /// The ciphertext's content hash: a CIDv1 (bafk..., z...) or a multihash (hex 1220..., Qm..., z...).
    #[arg(long)]
    pub content_hash: String,
    /// The ciphertext's size in bytes.
    #[arg(long)]
    pub size: u64,
    /// Where the ciphertext is stored: a URI (ipfs://<cid>, https://vault.example/objects/<id>,
    /// s3://bucket/key). Keep it opaque: no names, no codes, no credentials.
    #[arg(long)]
    pub locator: String,
    /// The cipher: AES-256-GCM, ChaCha20-Poly1305 or XChaCha20-Poly1305.
    #[arg(long)]
    pub algorithm: String,
    /// The data key's id among the custodian's wrapped keys (never the key itself).
    #[arg(long)]
    pub key_id: String,
    /// A category code as SYSTEM|CODE (e.g. http://loinc.org|75622-1). Committed with
    /// --commitment-key; the code itself never leaves this machine. Repeatable.
    #[arg(long = "category", value_name = "SYSTEM|CODE")]
    pub categories: Vec<String>,
    /// A sensitivity label as SYSTEM|CODE (e.g.
    /// http://terminology.hl7.org/CodeSystem/v3-ActCode|HIV), committed as --category is.
    /// Repeatable.
    #[arg(long = "sensitivity", value_name = "SYSTEM|CODE")]
    pub sensitivity: Vec<String>,
    /// An HL7 v3 Confidentiality code, kept in clear: U, L, M, N, R or V. Repeatable.
    #[arg(long = "confidentiality", value_name = "CODE")]
    pub confidentiality: Vec<String>,
    /// A file holding the subject's commitment key (64 hex digits); needed with --category or
    /// --sensitivity.
    #[arg(long, value_name = "FILE")]
    pub commitment_key: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum TxCmd {
    /// Anchor a new record: version 1 of an encrypted payload, owned by --owner and held by
    /// --custodian; either of them acts (--as).
    Anchor {
        /// The patient's DID.
        #[arg(long)]
        owner: String,
        /// The DID that holds the ciphertext (a hospital, a vault; may be the owner).
        #[arg(long)]
        custodian: String,
        #[command(flatten)]
        content: ContentArgs,
        #[command(flatten)]
        act: ActAs,
    },
    /// Replace a record's current version with a new one (every version is kept). The owner or
    /// the custodian acts.
    Supersede {
        id: u64,
        /// The version being replaced [default: the record's current version, as the node has it].
        #[arg(long, value_name = "VERSION")]
        replaces: Option<u64>,
        #[command(flatten)]
        content: ContentArgs,
        #[command(flatten)]
        act: ActAs,
    },
    /// Erase a record (crypto-shredding): the chain drops every version's locator and key id and
    /// marks it erased for good; destroy the data keys off chain. The owner or the custodian acts.
    Erase {
        id: u64,
        #[command(flatten)]
        act: ActAs,
    },
}

fn read_key(path: &Path) -> anyhow::Result<CommitmentKey> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading --commitment-key {}", path.display()))?;
    CommitmentKey::from_hex(&text).map_err(|e| anyhow!("--commitment-key {}: {e}", path.display()))
}

/// `SYSTEM|CODE` committed with `key`.
fn commit(flag: &str, key: Option<&CommitmentKey>, coded: &[String]) -> anyhow::Result<Vec<Commitment>> {
    coded
        .iter()
        .map(|c| {
            let (system, code) = c
                .split_once('|')
                .filter(|(s, c)| !s.is_empty() && !c.is_empty())
                .ok_or_else(|| anyhow!("{flag} must be SYSTEM|CODE, e.g. http://loinc.org|75622-1"))?;
            let key =
                key.ok_or_else(|| anyhow!("{flag} needs --commitment-key <file>: codes are sent only as commitments"))?;
            Ok(key.commit(system, code))
        })
        .collect()
}

impl ContentArgs {
    /// The payload as the message carries it: codes committed.
    pub fn to_proto(&self) -> anyhow::Result<pb::RecordContent> {
        let key = self.commitment_key.as_deref().map(read_key).transpose()?;
        let bytes = |list: Vec<Commitment>| list.into_iter().map(|c| c.0.to_vec()).collect();
        Ok(pb::RecordContent {
            content_hash: self.content_hash.clone(),
            size: self.size,
            locator: self.locator.clone(),
            encryption: Some(pb::Encryption { algorithm: self.algorithm.clone(), key_id: self.key_id.clone() }),
            category_commitments: bytes(commit("--category", key.as_ref(), &self.categories)?),
            confidentiality: self.confidentiality.clone(),
            sensitivity_commitments: bytes(commit("--sensitivity", key.as_ref(), &self.sensitivity)?),
        })
    }
}

/// Decodes and checks `msg` as the chain will before it is signed, so a bad flag fails here.
fn checked<M: Message + prost::Name>(msg: &M) -> anyhow::Result<()> {
    RecordsMsg::decode(&salus_proto::to_any(msg)).and_then(|m| m.validate_basic()).map_err(err)
}

/// The record's current version, as the node has it.
fn current_version(ctx: &dyn CliCtx, id: u64) -> anyhow::Result<u64> {
    let bytes = ctx.query(RECORD_PATH, pb::QueryRecordRequest { id }.encode_to_vec(), 0)?;
    let record = pb::QueryRecordResponse::decode(bytes.as_slice())?.record.unwrap_or_default();
    if record.status == "erased" {
        bail!("record {id} is erased: it never changes again; anchor a new record");
    }
    Ok(record.current.map(|v| v.version).unwrap_or_default())
}

/// An unsigned actor slot, for the local checks before signing.
fn placeholder(act: &ActAs) -> anyhow::Result<Option<salus_proto::salus::did::v1::ActorProof>> {
    let did = act.parsed_did()?;
    Ok(Some(salus_proto::salus::did::v1::ActorProof {
        did: did.to_string(),
        verification_method: did.url("key-1"),
        nonce: 0,
        signature: vec![1],
    }))
}

pub fn build_tx(ctx: &dyn CliCtx, cmd: &TxCmd) -> anyhow::Result<TxRequest> {
    let (act, any) = match cmd {
        TxCmd::Anchor { owner, custodian, content, act } => {
            let owner = Did::parse("--owner", owner).map_err(err)?;
            let custodian = Did::parse("--custodian", custodian).map_err(err)?;
            let (payer, _) = act.payer(ctx)?;
            let mut msg = pb::MsgAnchorRecord {
                signer: payer.to_string(),
                actor: placeholder(act)?,
                owner: owner.to_string(),
                custodian: custodian.to_string(),
                content: Some(content.to_proto()?),
            };
            checked(&msg)?;
            msg.actor = None;
            (act, salus_proto::to_any(&act.sign(ctx, msg, |m| &mut m.actor)?))
        }
        TxCmd::Supersede { id, replaces, content, act } => {
            let (payer, _) = act.payer(ctx)?;
            let mut msg = pb::MsgSupersedeRecord {
                signer: payer.to_string(),
                actor: placeholder(act)?,
                id: *id,
                version: replaces.unwrap_or(1),
                content: Some(content.to_proto()?),
            };
            checked(&msg)?;
            msg.actor = None;
            msg.version = match replaces {
                Some(v) => *v,
                None => current_version(ctx, *id)?,
            };
            (act, salus_proto::to_any(&act.sign(ctx, msg, |m| &mut m.actor)?))
        }
        TxCmd::Erase { id, act } => {
            let (payer, _) = act.payer(ctx)?;
            let mut msg = pb::MsgEraseRecord { signer: payer.to_string(), actor: placeholder(act)?, id: *id };
            checked(&msg)?;
            msg.actor = None;
            (act, salus_proto::to_any(&act.sign(ctx, msg, |m| &mut m.actor)?))
        }
    };
    let (_, signer) = act.payer(ctx)?;
    Ok(TxRequest { signer, msgs: vec![any] })
}

#[derive(Debug, Subcommand)]
pub enum QueryCmd {
    /// One record with its current version.
    Record { id: u64 },
    /// A record's versions, oldest first (a page at a time: --limit, --page-key with the
    /// next_key printed, --offset, --count-total, --reverse for newest first).
    History {
        id: u64,
        #[command(flatten)]
        page: PageArgs,
    },
    /// The records a DID owns, by id, each with its current version (a page at a time).
    #[command(name = "by-owner")]
    ByOwner {
        owner: String,
        #[command(flatten)]
        page: PageArgs,
    },
    /// The records module's parameters.
    Params,
}

/// A query as a gRPC method path and a protobuf request.
#[derive(Debug)]
pub struct QueryRequest {
    pub path: &'static str,
    pub data: Vec<u8>,
}

fn time_json(t: Option<&prost_types::Timestamp>) -> Value {
    match t {
        Some(t) => json!(Time { secs: t.seconds, nanos: t.nanos.max(0) as u32 }.rfc3339()),
        None => Value::Null,
    }
}

fn hexes(list: &[Vec<u8>]) -> Value {
    list.iter().map(hex::encode).collect()
}

/// A version as the CLI prints it: numbers as strings, commitments in hex, times RFC 3339; an
/// erased version's locator and encryption are `null`.
pub fn version_json(v: &pb::RecordVersion) -> Value {
    json!({
        "version": v.version.to_string(),
        "content_hash": v.content_hash,
        "size": v.size.to_string(),
        "locator": (!v.locator.is_empty()).then_some(&v.locator),
        "encryption": v.encryption.as_ref().map(|e| json!({ "algorithm": e.algorithm, "key_id": e.key_id })),
        "category_commitments": hexes(&v.category_commitments),
        "confidentiality": v.confidentiality,
        "sensitivity_commitments": hexes(&v.sensitivity_commitments),
        "time": time_json(v.time.as_ref()),
        "height": v.height.to_string(),
    })
}

pub fn record_json(r: &pb::Record) -> Value {
    json!({
        "id": r.id.to_string(),
        "owner": r.owner,
        "custodian": r.custodian,
        "status": r.status,
        "current": r.current.as_ref().map(version_json),
        "created": time_json(r.created.as_ref()),
        "erased": time_json(r.erased.as_ref()),
    })
}

fn page_json(p: Option<&salus_proto::cosmos::base::query::v1beta1::PageResponse>) -> Value {
    let p = p.cloned().unwrap_or_default();
    let next_key = (!p.next_key.is_empty()).then(|| base64::engine::general_purpose::STANDARD.encode(&p.next_key));
    json!({ "next_key": next_key, "total": p.total.to_string() })
}

impl QueryCmd {
    pub fn request(&self) -> anyhow::Result<QueryRequest> {
        let page = |p: &PageArgs| p.to_request().map(Some).map_err(err);
        Ok(match self {
            QueryCmd::Record { id } => {
                QueryRequest { path: RECORD_PATH, data: pb::QueryRecordRequest { id: *id }.encode_to_vec() }
            }
            QueryCmd::History { id, page: p } => QueryRequest {
                path: HISTORY_PATH,
                data: pb::QueryHistoryRequest { id: *id, pagination: page(p)? }.encode_to_vec(),
            },
            QueryCmd::ByOwner { owner, page: p } => {
                let owner = Did::parse("owner", owner).map_err(err)?;
                QueryRequest {
                    path: BY_OWNER_PATH,
                    data: pb::QueryRecordsByOwnerRequest { owner: owner.to_string(), pagination: page(p)? }
                        .encode_to_vec(),
                }
            }
            QueryCmd::Params => QueryRequest { path: PARAMS_PATH, data: pb::QueryParamsRequest {}.encode_to_vec() },
        })
    }

    pub fn response_json(&self, bytes: &[u8]) -> anyhow::Result<Value> {
        Ok(match self {
            QueryCmd::Record { .. } => {
                let r = pb::QueryRecordResponse::decode(bytes)?;
                json!({ "record": r.record.as_ref().map(record_json) })
            }
            QueryCmd::History { id, .. } => {
                let r = pb::QueryHistoryResponse::decode(bytes)?;
                json!({
                    "id": id.to_string(),
                    "versions": r.versions.iter().map(version_json).collect::<Vec<_>>(),
                    "pagination": page_json(r.pagination.as_ref()),
                })
            }
            QueryCmd::ByOwner { .. } => {
                let r = pb::QueryRecordsByOwnerResponse::decode(bytes)?;
                json!({
                    "records": r.records.iter().map(record_json).collect::<Vec<_>>(),
                    "pagination": page_json(r.pagination.as_ref()),
                })
            }
            QueryCmd::Params => {
                let p = pb::QueryParamsResponse::decode(bytes)?.params.unwrap_or_default();
                json!({ "params": {
                    "max_commitments": p.max_commitments,
                    "max_locator_len": p.max_locator_len,
                    "max_content_hash_len": p.max_content_hash_len,
                    "max_text_len": p.max_text_len,
                    "max_versions": p.max_versions,
                }})
            }
        })
    }
}

impl ModuleCli for RecordsModule {
    fn tx_command() -> Option<clap::Command> {
        Some(cli::command::<TxCmd>(
            Self::NAME,
            "Encrypted health records (salus.records.v1): anchor, supersede, erase; codes go on chain only as commitments",
        ))
    }

    fn query_command() -> Option<clap::Command> {
        Some(cli::command::<QueryCmd>(Self::NAME, "Records: record, history, by-owner, params"))
    }

    fn tx(matches: &clap::ArgMatches, ctx: &dyn CliCtx) -> anyhow::Result<TxRequest> {
        build_tx(ctx, &cli::parse(matches)?)
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
    use clap::FromArgMatches;

    fn parse_tx(args: &[&str]) -> TxCmd {
        let m = RecordsModule::tx_command().unwrap().try_get_matches_from([&["records"], args].concat()).unwrap();
        TxCmd::from_arg_matches(&m).unwrap()
    }

    #[test]
    fn codes_are_committed_and_never_sent() {
        let dir = tempfile::tempdir().unwrap();
        let key_file = dir.path().join("ck");
        std::fs::write(&key_file, format!("{}\n", "ab".repeat(32))).unwrap();
        let TxCmd::Anchor { content, .. } = parse_tx(&[
            "anchor",
            "--owner",
            "did:salus:x",
            "--custodian",
            "did:salus:y",
            "--content-hash",
            "1220e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "--size",
            "10",
            "--locator",
            "ipfs://x",
            "--algorithm",
            "AES-256-GCM",
            "--key-id",
            "k1",
            "--category",
            "http://loinc.org|75622-1",
            "--sensitivity",
            "http://terminology.hl7.org/CodeSystem/v3-ActCode|HIV",
            "--confidentiality",
            "R",
            "--commitment-key",
            key_file.to_str().unwrap(),
            "--as",
            "did:salus:x",
            "--key",
            "k",
        ]) else {
            panic!("an anchor")
        };
        let proto = content.to_proto().unwrap();
        let key = CommitmentKey([0xab; 32]);
        assert_eq!(proto.category_commitments, vec![key.commit("http://loinc.org", "75622-1").0.to_vec()]);
        assert_eq!(
            proto.sensitivity_commitments,
            vec![key.commit("http://terminology.hl7.org/CodeSystem/v3-ActCode", "HIV").0.to_vec()]
        );
        let wire = proto.encode_to_vec();
        for code in [&b"75622-1"[..], b"HIV", b"loinc"] {
            assert!(!wire.windows(code.len()).any(|w| w == code), "a code in the message");
        }

        let no_key = ContentArgs { commitment_key: None, ..content.clone() };
        assert!(no_key.to_proto().unwrap_err().to_string().contains("--commitment-key"));
        let bad = ContentArgs { categories: vec!["75622-1".into()], ..content };
        assert!(bad.to_proto().unwrap_err().to_string().contains("SYSTEM|CODE"));
    }

    #[test]
    fn queries_ask_the_right_paths() {
        let m =
            RecordsModule::query_command().unwrap().try_get_matches_from(["records", "history", "3", "--limit", "2"]);
        let cmd = QueryCmd::from_arg_matches(&m.unwrap()).unwrap();
        let r = cmd.request().unwrap();
        assert_eq!(r.path, HISTORY_PATH);
        let sent = pb::QueryHistoryRequest::decode(r.data.as_slice()).unwrap();
        assert_eq!((sent.id, sent.pagination.unwrap().limit), (3, 2));
        let answer = pb::QueryHistoryResponse { versions: vec![], pagination: Some(Default::default()) };
        let v = cmd.response_json(&answer.encode_to_vec()).unwrap();
        assert_eq!(v["pagination"], json!({ "next_key": null, "total": "0" }));
        let bad = RecordsModule::query_command().unwrap().try_get_matches_from(["records", "by-owner", "alice"]);
        assert!(QueryCmd::from_arg_matches(&bad.unwrap()).unwrap().request().is_err());
    }
}
