//! Consents on chain to FHIR: what R4 and R5 share (provisions), and the vocabulary that turns
//! commitments back into codings.

use std::collections::BTreeMap;

use salus_records::{Commitment, CommitmentKey};
use serde_json::{json, Map, Value};

use super::codes::{
    self, COMMITMENT_SYSTEM, CONFIDENTIALITY_SYSTEM, PARTICIPATION_TYPE_SYSTEM, RECIPIENT_PARTICIPATION,
};
use super::import::FhirVersion;
use super::refs::{did_reference, record_reference};
use super::time::format_datetime;
use super::{r4, r5, FhirCoding, FhirError, Result};
use crate::types::{Consent, Period, Provision};

/// Codings whose commitments export prints as the codings (the chain keeps only commitments).
#[derive(Clone, Debug, Default)]
pub struct Vocabulary {
    by_commitment: BTreeMap<Commitment, FhirCoding>,
}

impl Vocabulary {
    /// No codings: every commitment prints as `urn:salus:commitment`.
    pub fn none() -> Self {
        Self::default()
    }

    /// The codings of a vocabulary file, committed under the subject's key.
    pub fn new(key: &CommitmentKey, codings: &[FhirCoding]) -> Self {
        let by_commitment = codings.iter().map(|c| (key.commit(&c.system, &c.code), c.clone())).collect();
        Self { by_commitment }
    }

    pub fn len(&self) -> usize {
        self.by_commitment.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_commitment.is_empty()
    }

    /// The coding a commitment is of, or the commitment itself.
    pub fn coding(&self, c: &Commitment) -> Value {
        match self.by_commitment.get(c) {
            Some(coding) => coding_json(coding),
            None => json!({ "system": COMMITMENT_SYSTEM, "code": c.to_hex() }),
        }
    }

    fn is_resource_type(&self, c: &Commitment) -> bool {
        self.by_commitment.get(c).is_some_and(|coding| codes::is_resource_type(&coding.system))
    }
}

fn coding_json(c: &FhirCoding) -> Value {
    let mut m = Map::new();
    m.insert("system".into(), json!(c.system));
    m.insert("code".into(), json!(c.code));
    if let Some(d) = &c.display {
        m.insert("display".into(), json!(d));
    }
    Value::Object(m)
}

/// A consent on chain as a FHIR R4 Consent. An actor with a role and no DID cannot be written
/// in R4 (its actor.reference is required): export such a consent as R5.
pub fn export_consent_r4(c: &Consent, vocab: &Vocabulary) -> Result<Value> {
    r4::export(c, vocab)
}

/// A consent on chain as a FHIR R5 Consent.
pub fn export_consent_r5(c: &Consent, vocab: &Vocabulary) -> Result<Value> {
    r5::export(c, vocab)
}

pub(super) fn period_json(p: &Period, path: &str) -> Result<Option<Value>> {
    if p.is_open() {
        return Ok(None);
    }
    let mut m = Map::new();
    if let Some(s) = p.start {
        m.insert("start".into(), json!(format_datetime(&format!("{path}.start"), s)?));
    }
    if let Some(e) = p.end {
        m.insert("end".into(), json!(format_datetime(&format!("{path}.end"), e)?));
    }
    Ok(Some(Value::Object(m)))
}

pub(super) fn opt_period_json(m: &mut Map<String, Value>, key: &str, p: &Period, path: &str) -> Result<()> {
    if let Some(v) = period_json(p, path)? {
        m.insert(key.into(), v);
    }
    Ok(())
}

pub(super) fn provisions_json(ps: &[Provision], version: FhirVersion, vocab: &Vocabulary, path: &str) -> Result<Value> {
    let mut out = Vec::with_capacity(ps.len());
    for (i, p) in ps.iter().enumerate() {
        out.push(provision_json(p, version, vocab, &format!("{path}[{i}]"))?);
    }
    Ok(Value::Array(out))
}

fn insert_list(m: &mut Map<String, Value>, key: &str, items: Vec<Value>) {
    if !items.is_empty() {
        m.insert(key.into(), Value::Array(items));
    }
}

fn provision_json(p: &Provision, version: FhirVersion, vocab: &Vocabulary, path: &str) -> Result<Value> {
    let mut m = Map::new();
    if version == FhirVersion::R4 {
        m.insert("type".into(), json!(p.decision.name()));
    }
    opt_period_json(&mut m, "period", &p.period, &format!("{path}.period"))?;
    let mut actors = vec![];
    for (i, a) in p.actors.iter().enumerate() {
        let mut actor = Map::new();
        let role = match (&a.role, version) {
            (Some(r), _) => Some(json!({ "coding": [{ "system": r.system, "code": r.code }] })),
            (None, FhirVersion::R4) => {
                Some(json!({ "coding": [{ "system": PARTICIPATION_TYPE_SYSTEM, "code": RECIPIENT_PARTICIPATION }] }))
            }
            (None, FhirVersion::R5) => None,
        };
        if let Some(role) = role {
            actor.insert("role".into(), role);
        }
        match (&a.reference, version) {
            (Some(did), _) => {
                actor.insert("reference".into(), did_reference(did));
            }
            (None, FhirVersion::R4) => {
                return Err(FhirError::new(
                    format!("{path}.actor[{i}].reference"),
                    "this actor is a role without a DID, which FHIR R4 cannot write (its actor.reference is required): export the consent as R5 (--r5)",
                ))
            }
            (None, FhirVersion::R5) => {}
        }
        actors.push(Value::Object(actor));
    }
    insert_list(&mut m, "actor", actors);
    let actions = p
        .actions
        .iter()
        .map(|a| json!({ "coding": [{ "system": codes::action_system(*a), "code": a.name() }] }))
        .collect();
    insert_list(&mut m, "action", actions);
    let mut labels: Vec<Value> =
        p.confidentiality.iter().map(|c| json!({ "system": CONFIDENTIALITY_SYSTEM, "code": c.name() })).collect();
    labels.extend(p.sensitivity.iter().map(|c| vocab.coding(c)));
    insert_list(&mut m, "securityLabel", labels);
    let purposes =
        p.purposes.iter().map(|u| json!({ "system": codes::purpose_system(*u), "code": u.code() })).collect();
    insert_list(&mut m, "purpose", purposes);
    match version {
        FhirVersion::R4 => insert_list(&mut m, "class", p.classes.iter().map(|c| vocab.coding(c)).collect()),
        FhirVersion::R5 => {
            let (types, docs): (Vec<&Commitment>, Vec<&Commitment>) =
                p.classes.iter().partition(|c| vocab.is_resource_type(c));
            insert_list(&mut m, "documentType", docs.into_iter().map(|c| vocab.coding(c)).collect());
            insert_list(&mut m, "resourceType", types.into_iter().map(|c| vocab.coding(c)).collect());
        }
    }
    insert_list(&mut m, "code", p.codes.iter().map(|c| json!({ "coding": [vocab.coding(c)] })).collect());
    opt_period_json(&mut m, "dataPeriod", &p.data_period, &format!("{path}.dataPeriod"))?;
    let data = p.records.iter().map(|r| json!({ "meaning": "instance", "reference": record_reference(*r) })).collect();
    insert_list(&mut m, "data", data);
    if !p.provisions.is_empty() {
        m.insert("provision".into(), provisions_json(&p.provisions, version, vocab, &format!("{path}.provision"))?);
    }
    Ok(Value::Object(m))
}
