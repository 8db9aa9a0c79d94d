//! FHIR R4 (4.0.1) Consent: `scope`, `patient`, `performer`, `policyRule`, and one root
//! `provision` whose `type` is the base decision and whose nested provisions are the exceptions.

use salus_did::Did;
use serde_json::{json, Map, Value};

use super::codes::{self, ACT_CODE_SYSTEM, CONSENT_SCOPE_SYSTEM, LOINC_SYSTEM, PATIENT_CONSENT};
use super::export::{opt_period_json, provisions_json, Vocabulary};
use super::import::{category_scopes, opt_period, provision, status, Ctx, FhirVersion};
use super::json::{single_coding, Obj};
use super::refs::did_reference;
use super::time::{format_datetime, parse_period_start};
use super::{FhirError, Result};
use crate::types::{Consent, Decision, Terms};

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
    (
        "organization",
        "the consent's custodian organization is not kept on chain (the consent lives on chain): remove it",
    ),
    ("sourceAttachment", "the source document is not kept on chain (it may identify the patient): remove it"),
    ("sourceReference", "the source document is not kept on chain: remove it"),
    ("policy", "policies cannot be evaluated on chain: remove it and state what the policy says as provisions"),
    ("verification", "verification records are not kept on chain: remove them"),
];

const ROOT_CONDITIONS: &str = "the root provision is the consent's base decision and the chain keeps no condition on it (only its period): write the root with the opposite type and nest this provision under it as an exception (R5 semantics)";

pub(super) fn import(ctx: &mut Ctx, o: &Obj) -> Result<(Terms, Did)> {
    o.only(
        &[
            "resourceType",
            "id",
            "status",
            "scope",
            "category",
            "patient",
            "dateTime",
            "performer",
            "policyRule",
            "provision",
        ],
        RESOURCE_REFUSED,
    )?;
    let status = status(&o.at("status"), o.req_str("status")?)?;
    let scope_obj = o.obj("scope")?.ok_or_else(|| FhirError::new(o.at("scope"), "is required in R4"))?;
    let scope_coding = single_coding(&scope_obj)?;
    if scope_coding.system != CONSENT_SCOPE_SYSTEM {
        return Err(FhirError::new(scope_obj.at("coding[0]"), format!("must be a code of {CONSENT_SCOPE_SYSTEM}")));
    }
    let scope = codes::scope_code(&scope_coding.code).ok_or_else(|| {
        FhirError::new(
            scope_obj.at("coding[0]"),
            format!(
                "scope `{}` cannot be written on chain: use treatment, research or patient-privacy",
                scope_coding.code
            ),
        )
    })?;
    let categories = o.objs("category")?;
    if categories.is_empty() {
        return Err(FhirError::new(o.at("category"), format!("is required in R4 (LOINC {PATIENT_CONSENT})")));
    }
    for c in &categories {
        for (path, s) in category_scopes(c)? {
            if s != scope {
                return Err(FhirError::new(path, format!("disagrees with scope `{}`", scope.name())));
            }
        }
    }
    let patient = o.obj("patient")?.ok_or_else(|| {
        FhirError::new(o.at("patient"), "is required: a consent on chain is about one patient (its subject DID)")
    })?;
    let subject = ctx.refs.did(&patient)?;
    if let Some(t) = o.str("dateTime")? {
        // When it was agreed: the chain records the block time of the consent instead.
        parse_period_start(&o.at("dateTime"), t)?;
    }
    let performers = o.objs("performer")?;
    let grantor = match performers.as_slice() {
        [] => subject.clone(),
        [p] => ctx.refs.did(p)?,
        _ => {
            return Err(FhirError::new(
                o.at("performer"),
                "the chain keeps one grantor: give one performer (the patient or a guardian)",
            ))
        }
    };
    let mut rule_decision = None;
    if let Some(rule) = o.obj("policyRule")? {
        let c = single_coding(&rule)?;
        let d = (c.system == ACT_CODE_SYSTEM).then(|| codes::policy_rule_decision(&c.code)).flatten();
        rule_decision = Some(d.ok_or_else(|| {
            FhirError::new(
                rule.at("coding[0]"),
                format!(
                    "policy rule `{}|{}` cannot be evaluated on chain: use {ACT_CODE_SYSTEM} OPTIN, OPTINR, OPTOUT or OPTOUTE and state the rest as provisions",
                    c.system, c.code
                ),
            )
        })?);
    }
    let root = o.obj("provision")?;
    let root_type = match &root {
        Some(r) => {
            r.only(
                &["type", "period", "provision"],
                &[
                    ("actor", ROOT_CONDITIONS),
                    ("action", ROOT_CONDITIONS),
                    ("securityLabel", ROOT_CONDITIONS),
                    ("purpose", ROOT_CONDITIONS),
                    ("class", ROOT_CONDITIONS),
                    ("code", ROOT_CONDITIONS),
                    ("dataPeriod", ROOT_CONDITIONS),
                    ("data", ROOT_CONDITIONS),
                ],
            )?;
            r.str("type")?
                .map(|t| codes::decision_code(t).ok_or_else(|| FhirError::new(r.at("type"), "must be permit or deny")))
                .transpose()?
        }
        None => None,
    };
    let decision = match (root_type, rule_decision) {
        (Some(a), Some(b)) if a != b => {
            return Err(FhirError::new(
                o.at("policyRule"),
                format!("says {} but the root provision's type is {}: make them agree", b.name(), a.name()),
            ))
        }
        (Some(d), _) | (None, Some(d)) => d,
        (None, None) => {
            return Err(FhirError::new(
                o.at("provision.type"),
                "is required: the base decision, permit (opt-in) or deny (opt-out)",
            ))
        }
    };
    let (period, provisions) = match &root {
        Some(r) => {
            let nested = r.objs("provision")?;
            let mut out = Vec::with_capacity(nested.len());
            for n in &nested {
                out.push(provision(ctx, n, FhirVersion::R4, decision.opposite(), 1)?);
            }
            (opt_period(r, "period")?, out)
        }
        None => (Default::default(), vec![]),
    };
    Ok((Terms { subject, status, scope, decision, period, provisions }, grantor))
}

/// A consent on chain as a FHIR R4 Consent.
pub fn export(c: &Consent, vocab: &Vocabulary) -> Result<Value> {
    let t = &c.terms;
    let mut root = Map::new();
    root.insert("type".into(), json!(t.decision.name()));
    opt_period_json(&mut root, "period", &t.period, "Consent.provision.period")?;
    if !t.provisions.is_empty() {
        root.insert(
            "provision".into(),
            provisions_json(&t.provisions, FhirVersion::R4, vocab, "Consent.provision.provision")?,
        );
    }
    let decision: Decision = t.decision;
    Ok(json!({
        "resourceType": "Consent",
        "id": c.id.to_string(),
        "status": t.status.name(),
        "scope": { "coding": [{ "system": CONSENT_SCOPE_SYSTEM, "code": t.scope.name() }] },
        "category": [{ "coding": [{ "system": LOINC_SYSTEM, "code": PATIENT_CONSENT, "display": "Patient Consent" }] }],
        "patient": did_reference(&t.subject),
        "dateTime": format_datetime("Consent.dateTime", c.time)?,
        "performer": [did_reference(&c.grantor)],
        "policyRule": { "coding": [{
            "system": ACT_CODE_SYSTEM,
            "code": codes::policy_rule_code(decision, !t.provisions.is_empty()),
        }] },
        "provision": Value::Object(root),
    }))
}
