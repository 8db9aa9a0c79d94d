//! `salusd fhir import consent` and `salusd fhir export consent|audit`: HL7 FHIR in and out of
//! the consent module (salus_consent::fhir does the conversions; this reads the files, talks to
//! the node, and signs and broadcasts as `salusd tx` does).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::{anyhow, bail, Context, Result};
use clap::{Args, Subcommand};
use prost::Message;
use salus_consent::fhir::{self, AuditSource, FhirCoding, RefMap, Vocabulary};
use salus_consent::query::{AUDIT_BY_SUBJECT_PATH, CONSENT_PATH, PARAMS_PATH};
use salus_did::act_cli::ActAs;
use salus_did::Did;
use salus_proto::cosmos::base::query::v1beta1::PageRequest;
use salus_proto::salus::consent::v1 as pb;
use salus_records::CommitmentKey;
use salus_sdk::cli::{CliCtx, ModuleCli, TxRequest};

use super::ctx::NodeCtx;
use super::tx::TxArgs;
use crate::home::Home;

const IMPORT_HELP: &str = "\
The map file (--map) is a JSON object from the FHIR references the resource makes to what they are
on chain: parties (Patient, Practitioner, PractitionerRole, Organization, RelatedPerson, Device,
Group, CareTeam) to DIDs, data references (provision.data.reference) to record ids:
  {\"Patient/123\": \"did:salus:...\", \"Practitioner/9\": \"did:salus:...\", \"DocumentReference/abc\": \"17\"}
A reference by identifier needs no map: {\"system\": \"urn:ietf:rfc:3986\", \"value\": \"did:salus:...\"}
for a DID, {\"system\": \"urn:salus:record\", \"value\": \"17\"} for a record (what export writes).

R4 (4.0.1) is told by scope/patient/dateTime/policyRule and one root provision whose type is the
base decision; R5 (5.0.0) by subject/date/decision/grantor and a provision array. The grantor is
R4's performer or R5's grantor (else the patient) and must be the DID --as names. Purposes (HL7 v3
PurposeOfUse, Salus ai-training/ai-inference), actions (consentaction, Salus compute) and v3
Confidentiality labels are kept in clear; classes, codes and other security labels only as
commitments under --commitment-key. Anything else the chain cannot represent (narrative, business
identifiers, extensions, policies, other statuses than draft and active, data meanings other than
instance, vague dates ...) is refused with its JSON path and the fix, never dropped.";

const EXPORT_HELP: &str = "\
Parties print as Reference.identifier {\"system\": \"urn:ietf:rfc:3986\", \"value\": <DID>} and records
as {\"system\": \"urn:salus:record\", \"value\": <id>}, so `fhir import consent` takes the output back
without a map. The chain keeps classes, codes and sensitivity labels only as commitments: with
--commitment-key and --vocabulary (a JSON list of codings, e.g. what import --vocabulary-out wrote)
each prints as the coding it commits, else as {\"system\": \"urn:salus:commitment\", \"code\": <hex>}.";

#[derive(Subcommand)]
pub enum FhirCmd {
    /// Write FHIR resources on chain.
    #[command(subcommand)]
    Import(ImportCmd),
    /// Print what the chain holds as FHIR JSON.
    #[command(subcommand)]
    Export(ExportCmd),
}

#[derive(Subcommand)]
pub enum ImportCmd {
    /// Write a FHIR R4 or R5 Consent resource as a consent on chain, as its grantor (the patient
    /// or a guardian): signs a MsgCreateConsent and broadcasts it as `salusd tx` does.
    #[command(after_long_help = IMPORT_HELP)]
    Consent(Box<ImportConsent>),
}

#[derive(Args)]
pub struct ImportConsent {
    /// The FHIR Consent resource (JSON).
    file: PathBuf,
    /// The reference map file (JSON): FHIR references to DIDs and record ids.
    #[arg(long, value_name = "FILE")]
    map: Option<PathBuf>,
    /// A file holding the subject's commitment key (64 hex digits), which commits the classes,
    /// codes and sensitivity labels.
    #[arg(long, value_name = "FILE")]
    commitment_key: PathBuf,
    /// Write the codings whose commitments the consent holds to this vocabulary file (added to
    /// what it holds), for `fhir export consent --vocabulary`.
    #[arg(long, value_name = "FILE")]
    vocabulary_out: Option<PathBuf>,
    #[command(flatten)]
    act: ActAs,
    #[command(flatten)]
    tx: TxArgs,
}

#[derive(Subcommand)]
pub enum ExportCmd {
    /// Print a consent as a FHIR R4 Consent (R5 with --r5).
    #[command(after_long_help = EXPORT_HELP, disable_version_flag = true)]
    Consent {
        /// The consent's id.
        id: u64,
        /// The version to print [default: the latest].
        #[arg(long)]
        version: Option<u64>,
        /// Print FHIR R5 (5.0.0) instead of R4 (4.0.1).
        #[arg(long)]
        r5: bool,
        /// The subject's commitment key file (64 hex digits), to print committed codes as codings.
        #[arg(long, value_name = "FILE", requires = "vocabulary")]
        commitment_key: Option<PathBuf>,
        /// A vocabulary file: a JSON list of codings ({"system", "code", "display"?}).
        #[arg(long, value_name = "FILE", requires = "commitment_key")]
        vocabulary: Option<PathBuf>,
        #[command(flatten)]
        q: QueryFlags,
    },
    /// Print a subject's audit log (every access decision, oldest first) as a FHIR R4 Bundle of
    /// AuditEvent resources.
    Audit {
        /// The subject's DID.
        #[arg(long, value_name = "DID")]
        subject: String,
        /// At most this many events [default: all].
        #[arg(long)]
        limit: Option<u64>,
        #[command(flatten)]
        q: QueryFlags,
    },
}

#[derive(Args)]
pub struct QueryFlags {
    /// CometBFT RPC of a node.
    #[arg(long, default_value = "http://127.0.0.1:26657", env = "SALUS_NODE")]
    node: String,
    /// Read state as of this block height (0: latest).
    #[arg(long, default_value_t = 0)]
    height: u64,
}

pub fn run(home: &Home, cmd: FhirCmd) -> Result<()> {
    match cmd {
        FhirCmd::Import(ImportCmd::Consent(a)) => {
            let ImportConsent { file, map, commitment_key, vocabulary_out, act, tx } = *a;
            super::tx::run_with(home, tx, |ctx| {
                let request =
                    import_consent(ctx, &file, map.as_deref(), &commitment_key, vocabulary_out.as_deref(), &act)?;
                Ok((request, <salus_consent::ConsentModule as ModuleCli>::GAS))
            })
        }
        FhirCmd::Export(ExportCmd::Consent { id, version, r5, commitment_key, vocabulary, q }) => {
            let ctx = NodeCtx::new(home, &q.node, None, q.height)?;
            let vocab = match (commitment_key, vocabulary) {
                (Some(k), Some(v)) => Vocabulary::new(&read_key(&k)?, &read_vocabulary(&v)?),
                _ => Vocabulary::none(),
            };
            let consent = query_consent(&ctx, id, version.unwrap_or(0))?;
            let out =
                if r5 { fhir::export_consent_r5(&consent, &vocab) } else { fhir::export_consent_r4(&consent, &vocab) };
            print_json(&out.map_err(|e| anyhow!("consent {id}: {e}"))?)
        }
        FhirCmd::Export(ExportCmd::Audit { subject, limit, q }) => {
            let ctx = NodeCtx::new(home, &q.node, None, q.height)?;
            let subject = Did::parse("--subject", &subject).map_err(|e| anyhow!(e.message))?;
            let events = query_audit(&ctx, &subject, limit)?;
            let chain_id = ctx.block_on(ctx.rpc.status())?.node_info.network.to_string();
            let bundle =
                fhir::export_audit_bundle(&events, &subject, &AuditSource { chain_id }).map_err(|e| anyhow!("{e}"))?;
            print_json(&bundle)
        }
    }
}

fn print_json(v: &serde_json::Value) -> Result<()> {
    println!("{}", serde_json::to_string_pretty(v)?);
    Ok(())
}

fn read_json(what: &str, path: &Path) -> Result<serde_json::Value> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading the {what} {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))
}

fn read_key(path: &Path) -> Result<CommitmentKey> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading the commitment key file {}", path.display()))?;
    CommitmentKey::from_hex(&text).map_err(|e| anyhow!("{}: {e}", path.display()))
}

fn read_vocabulary(path: &Path) -> Result<Vec<FhirCoding>> {
    let v = read_json("vocabulary file", path)?;
    serde_json::from_value(v).with_context(|| {
        format!("{}: a vocabulary is a JSON list of codings {{\"system\", \"code\", \"display\"?}}", path.display())
    })
}

/// Adds `codings` to the vocabulary file at `path` (made if absent), sorted, each once.
fn write_vocabulary(path: &Path, codings: &[FhirCoding]) -> Result<()> {
    let mut all: BTreeSet<FhirCoding> =
        if path.exists() { read_vocabulary(path)?.into_iter().collect() } else { BTreeSet::new() };
    all.extend(codings.iter().cloned());
    let list: Vec<&FhirCoding> = all.iter().collect();
    std::fs::write(path, serde_json::to_string_pretty(&list)? + "\n")
        .with_context(|| format!("writing the vocabulary file {}", path.display()))
}

/// The signed MsgCreateConsent of a FHIR Consent file.
fn import_consent(
    ctx: &NodeCtx,
    file: &Path,
    map: Option<&Path>,
    key_file: &Path,
    vocabulary_out: Option<&Path>,
    act: &ActAs,
) -> Result<TxRequest> {
    let resource = read_json("FHIR resource", file)?;
    let refs = match map {
        Some(m) => {
            RefMap::from_json(&m.display().to_string(), &read_json("map file", m)?).map_err(|e| anyhow!("{e}"))?
        }
        None => RefMap::empty("the map file (none given: pass --map <refs.json>)"),
    };
    let key = read_key(key_file)?;
    let imported = fhir::import_consent(&resource, &refs, &key).map_err(|e| anyhow!("{}: {e}", file.display()))?;
    let actor = act.parsed_did()?;
    if imported.grantor != actor {
        bail!(
            "{}: the consent's grantor is {} (R4 performer, R5 grantor, else the patient), not --as {actor}: act as the grantor",
            file.display(),
            imported.grantor
        );
    }
    let params = query_params(ctx)?;
    salus_consent::validate::validate_terms(&imported.terms, &params)
        .map_err(|e| anyhow!("{}: the chain would refuse it: {}", file.display(), e.message))?;
    if let Some(out) = vocabulary_out {
        write_vocabulary(out, &imported.vocabulary)?;
    }
    let (payer, signer) = act.payer(ctx)?;
    let msg = pb::MsgCreateConsent { signer: payer.to_string(), actor: None, terms: Some(imported.terms.to_proto()) };
    let any = salus_proto::to_any(&act.sign(ctx, msg, |m| &mut m.actor)?);
    // What the chain checks at decode and before it runs the message, checked here first.
    let decoded = salus_consent::ConsentMsg::decode(&any).map_err(|e| anyhow!(e.message))?;
    salus_sdk::Msg::validate_basic(&decoded).map_err(|e| anyhow!(e.message))?;
    Ok(TxRequest { signer, msgs: vec![any] })
}

fn query_params(ctx: &NodeCtx) -> Result<salus_consent::Params> {
    let bytes = ctx
        .query(PARAMS_PATH, pb::QueryParamsRequest {}.encode_to_vec(), 0)
        .context("asking the node for the consent params")?;
    let params = pb::QueryParamsResponse::decode(bytes.as_slice())?.params.unwrap_or_default();
    Ok(salus_consent::Params::from_proto(&params))
}

fn query_consent(ctx: &NodeCtx, id: u64, version: u64) -> Result<salus_consent::Consent> {
    let req = pb::QueryConsentRequest { id, version };
    let bytes = ctx.query(CONSENT_PATH, req.encode_to_vec(), ctx.height())?;
    let c = pb::QueryConsentResponse::decode(bytes.as_slice())?
        .consent
        .ok_or_else(|| anyhow!("the node has no consent {id}"))?;
    fhir::consent_from_proto(&c).map_err(|e| anyhow!(e.message))
}

/// Every page of the subject's audit log (or the first `limit` events).
fn query_audit(ctx: &NodeCtx, subject: &Did, limit: Option<u64>) -> Result<Vec<salus_consent::AuditEvent>> {
    const PAGE: u64 = 100;
    let mut events = vec![];
    let mut key = vec![];
    loop {
        let want = limit.map_or(PAGE, |l| l.saturating_sub(events.len() as u64).min(PAGE));
        if want == 0 {
            break;
        }
        let req = pb::QueryAuditBySubjectRequest {
            subject: subject.to_string(),
            pagination: Some(PageRequest { key: key.clone(), limit: want, ..Default::default() }),
        };
        let bytes = ctx.query(AUDIT_BY_SUBJECT_PATH, req.encode_to_vec(), ctx.height())?;
        let resp = pb::QueryAuditResponse::decode(bytes.as_slice())?;
        for e in &resp.events {
            events.push(fhir::audit_event_from_proto(e).map_err(|e| anyhow!(e.message))?);
        }
        let next = resp.pagination.map(|p| p.next_key).unwrap_or_default();
        if next.is_empty() || resp.events.is_empty() {
            break;
        }
        if next == key {
            bail!("the node answered the same page twice (next_key did not move)");
        }
        key = next;
    }
    Ok(events)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn coding(system: &str, code: &str, display: Option<&str>) -> FhirCoding {
        FhirCoding { system: system.into(), code: code.into(), display: display.map(String::from) }
    }

    #[test]
    fn vocabulary_out_adds_to_what_the_file_holds_each_coding_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("vocabulary.json");
        let hiv = coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "HIV", Some("HIV/AIDS"));
        let obs = coding("http://hl7.org/fhir/resource-types", "Observation", None);
        write_vocabulary(&path, std::slice::from_ref(&hiv)).unwrap();
        write_vocabulary(&path, &[obs.clone(), hiv.clone()]).unwrap();
        assert_eq!(read_vocabulary(&path).unwrap(), vec![obs, hiv]);
        std::fs::write(&path, "{\"not\": \"a list\"}").unwrap();
        let e = read_vocabulary(&path).unwrap_err().to_string();
        assert!(e.contains("a vocabulary is a JSON list of codings"), "{e}");
    }
}
