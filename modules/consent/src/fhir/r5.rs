//! FHIR R5 (5.0.0) Consent: `subject`, `grantor`, `decision` (the base decision), `period`, and
//! a `provision` array of exceptions, each nesting its own exceptions.

use salus_did::Did;
use serde_json::{json, Map, Value};

use super::codes::{CONSENT_SCOPE_SYSTEM, LOINC_SYSTEM, PATIENT_CONSENT};
use super::export::{opt_period_json, provisions_json, Vocabulary};
use super::import::{category_scopes, opt_period, provision, status, Ctx, FhirVersion};
use super::json::Obj;
use super::refs::did_reference;
use super::time::format_date;
use super::{codes, FhirError, Result};
use crate::types::{Consent, Terms};

const RESOURCE_REFUSED: &[(&str, &str)] = &[
    ("text", "narrative text may identify the patient and is not kept on chain: remove it"),
    ("identifier", "business identifiers may identify the patient and are not kept on chain: remove it"),
    ("meta", "resource metadata is not kept on chain: remove it"),
    ("implicitRules", "implicit rules cannot be evaluated on chain: remove it only if they do not apply"),
    ("language", "the resource language is not kept on chain: remove it"),
    (
        "contained",
        "contained resources are not kept on chain: remove them and reference the parties through the map file",
    ),
    ("grantee", "grantees are not kept on chain: name who may (or may not) access the data as actors of a provision"),
    ("manager", "the consent's manager is not kept on chain (the consent lives on chain): remove it"),
    ("controller", "the consent's controller is not kept on chain (the chain enforces it): remove it"),
    ("sourceAttachment", "the source document is not kept on chain (it may identify the patient): remove it"),
    ("sourceReference", "the source document is not kept on chain: remove it"),
    ("regulatoryBasis", "a regulatory basis cannot be evaluated on chain: remove it and state its rules as provisions"),
    ("policyBasis", "a policy basis cannot be evaluated on chain: remove it and state its rules as provisions"),
    ("policyText", "policy documents are not kept on chain: remove it and state its rules as provisions"),
    ("verification", "verification records are not kept on chain: remove them"),
];

pub(super) fn import(ctx: &mut Ctx, o: &Obj) -> Result<(Terms, Did)> {
    o.only(
        &["resourceType", "id", "status", "category", "subject", "date", "period", "grantor", "decision", "provision"],
        RESOURCE_REFUSED,
    )?;
    let status = status(&o.at("status"), o.req_str("status")?)?;
    let mut scopes = vec![];
    for c in o.objs("category")? {
        scopes.extend(category_scopes(&c)?);
    }
    let scope = match scopes.as_slice() {
        [(_, s)] => *s,
        [] => {
            return Err(FhirError::new(
                o.at("category"),
                format!("needs the consent's scope: a coding of {CONSENT_SCOPE_SYSTEM} (treatment, research or patient-privacy)"),
            ))
        }
        [_, (path, _), ..] => return Err(FhirError::new(path, "a consent on chain has one scope: keep one")),
    };
    let patient = o.obj("subject")?.ok_or_else(|| {
        FhirError::new(o.at("subject"), "is required: a consent on chain is about one patient (its subject DID)")
    })?;
    let subject = ctx.refs.did(&patient)?;
    if let Some(d) = o.str("date")? {
        // When it was agreed: the chain records the block time of the consent instead.
        if d.len() != 10 {
            return Err(FhirError::new(o.at("date"), "must be a full date (YYYY-MM-DD)"));
        }
        super::time::parse_period_start(&o.at("date"), d)?;
    }
    let grantors = o.objs("grantor")?;
    let grantor = match grantors.as_slice() {
        [] => subject.clone(),
        [g] => ctx.refs.did(g)?,
        _ => {
            return Err(FhirError::new(
                o.at("grantor"),
                "the chain keeps one grantor: give one (the patient or a guardian)",
            ))
        }
    };
    let decision = match o.str("decision")? {
        Some(d) => codes::decision_code(d).ok_or_else(|| FhirError::new(o.at("decision"), "must be permit or deny"))?,
        None => {
            return Err(FhirError::new(
                o.at("decision"),
                "is required: the base decision, permit (opt-in) or deny (opt-out)",
            ))
        }
    };
    let period = opt_period(o, "period")?;
    let mut provisions = vec![];
    for p in o.objs("provision")? {
        provisions.push(provision(ctx, &p, FhirVersion::R5, decision.opposite(), 1)?);
    }
    Ok((Terms { subject, status, scope, decision, period, provisions }, grantor))
}

/// A consent on chain as a FHIR R5 Consent.
pub fn export(c: &Consent, vocab: &Vocabulary) -> Result<Value> {
    let t = &c.terms;
    let mut out = Map::new();
    out.insert("resourceType".into(), json!("Consent"));
    out.insert("id".into(), json!(c.id.to_string()));
    out.insert("status".into(), json!(t.status.name()));
    out.insert(
        "category".into(),
        json!([
            { "coding": [{ "system": CONSENT_SCOPE_SYSTEM, "code": t.scope.name() }] },
            { "coding": [{ "system": LOINC_SYSTEM, "code": PATIENT_CONSENT, "display": "Patient Consent" }] },
        ]),
    );
    out.insert("subject".into(), did_reference(&t.subject));
    out.insert("date".into(), json!(format_date("Consent.date", c.time)?));
    opt_period_json(&mut out, "period", &t.period, "Consent.period")?;
    out.insert("grantor".into(), json!([did_reference(&c.grantor)]));
    out.insert("decision".into(), json!(t.decision.name()));
    if !t.provisions.is_empty() {
        out.insert("provision".into(), provisions_json(&t.provisions, FhirVersion::R5, vocab, "Consent.provision")?);
    }
    Ok(Value::Object(out))
}
