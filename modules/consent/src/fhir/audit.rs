//! The audit log as a FHIR R4 Bundle (type `collection`) of AuditEvent resources: one per
//! decision, permit or deny, as the chain logged it.
//!
//! Each AuditEvent: type DICOM 110110 (Patient Record); action R/C/U/E for the consent action
//! (kept exactly in `subtype`); `recorded` the block time; outcome 0 (permit) or 4 (deny, or no
//! consent applied); the purpose of use; agents: the requester (`requestor` true, an information
//! recipient) and the custodian of the record; the source: the chain (a security server, by chain
//! id); entities: the patient, the record, and the consent (and provision) that decided.

use salus_did::Did;
use serde_json::{json, Value};

use super::codes::{self, CHAIN_SYSTEM, CONFIDENTIALITY_SYSTEM, CONSENT_SYSTEM, PARTICIPATION_TYPE_SYSTEM};
use super::refs::{did_reference, record_reference};
use super::time::format_datetime;
use super::{FhirError, Result};
use crate::types::{Action, AuditEvent, Obligation, Outcome};

const DCM: &str = "http://dicom.nema.org/resources/ontology/DCM";
const ENTITY_TYPE: &str = "http://terminology.hl7.org/CodeSystem/audit-entity-type";
const OBJECT_ROLE: &str = "http://terminology.hl7.org/CodeSystem/object-role";
const SOURCE_TYPE: &str = "http://terminology.hl7.org/CodeSystem/security-source-type";

/// Who observed the events: the chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditSource {
    pub chain_id: String,
}

/// FHIR R4 AuditEvent.action for a consent action.
fn action_code(a: Action) -> &'static str {
    match a {
        Action::Collect => "C",
        Action::Access | Action::Use | Action::Disclose => "R",
        Action::Correct => "U",
        Action::Compute => "E",
    }
}

fn path_text(path: &[u32]) -> String {
    if path.is_empty() {
        return "base".into();
    }
    path.iter().map(u32::to_string).collect::<Vec<_>>().join("/")
}

fn obligation_text(o: &Obligation) -> String {
    let mut parts = vec![];
    if !o.confidentiality.is_empty() {
        let c: Vec<&str> = o.confidentiality.iter().map(|c| c.name()).collect();
        parts.push(format!("confidentiality {}|{}", CONFIDENTIALITY_SYSTEM, c.join(",")));
    }
    for (what, list) in [("sensitivity", &o.sensitivity), ("class", &o.classes), ("code", &o.codes)] {
        if !list.is_empty() {
            let hex: Vec<String> = list.iter().map(|c| c.to_hex()).collect();
            parts.push(format!("{what} {}", hex.join(",")));
        }
    }
    format!(
        "redact (consent {}/{} provision {}): {}",
        o.consent_id,
        o.consent_version,
        path_text(&o.path),
        parts.join("; ")
    )
}

fn event_json(e: &AuditEvent, subject: &Did, source: &AuditSource) -> Result<Value> {
    let path = format!("AuditEvent/{}", e.id);
    let outcome = match e.outcome {
        Outcome::Permit => "0",
        Outcome::Deny | Outcome::NoConsent => "4",
    };
    let desc = match (e.outcome, e.consent) {
        (Outcome::NoConsent, _) | (_, None) => format!("{}: no consent of the subject applies", e.outcome.name()),
        (o, Some((id, v))) => format!("{}: consent {id} version {v}, provision {}", o.name(), path_text(&e.path)),
    };
    let mut entities = vec![json!({
        "what": did_reference(subject),
        "type": { "system": ENTITY_TYPE, "code": "1", "display": "Person" },
        "role": { "system": OBJECT_ROLE, "code": "1", "display": "Patient" },
    })];
    if e.record != 0 {
        entities.push(json!({
            "what": record_reference(e.record),
            "type": { "system": ENTITY_TYPE, "code": "2", "display": "System Object" },
            "role": { "system": OBJECT_ROLE, "code": "4", "display": "Domain Resource" },
        }));
    }
    if let Some((id, version)) = e.consent {
        let mut details = vec![json!({ "type": "provision", "valueString": path_text(&e.path) })];
        details
            .extend(e.obligations.iter().map(|o| json!({ "type": "obligation", "valueString": obligation_text(o) })));
        entities.push(json!({
            "what": { "identifier": { "system": CONSENT_SYSTEM, "value": format!("{id}/{version}") } },
            "type": { "system": ENTITY_TYPE, "code": "2", "display": "System Object" },
            "role": { "system": OBJECT_ROLE, "code": "13", "display": "Security Resource" },
            "detail": details,
        }));
    }
    let purpose = json!({ "coding": [{ "system": codes::purpose_system(e.purpose), "code": e.purpose.code() }] });
    Ok(json!({
        "resourceType": "AuditEvent",
        "id": e.id.to_string(),
        "type": { "system": DCM, "code": "110110", "display": "Patient Record" },
        "subtype": [{ "system": codes::action_system(e.action), "code": e.action.name() }],
        "action": action_code(e.action),
        "recorded": format_datetime(&format!("{path}.recorded"), e.time)?,
        "outcome": outcome,
        "outcomeDesc": desc,
        "purposeOfEvent": [purpose.clone()],
        "agent": [
            {
                "type": { "coding": [{ "system": PARTICIPATION_TYPE_SYSTEM, "code": "IRCP", "display": "information recipient" }] },
                "who": did_reference(&e.requester),
                "requestor": true,
                "purposeOfUse": [purpose],
            },
            {
                "type": { "coding": [{ "system": PARTICIPATION_TYPE_SYSTEM, "code": "CST", "display": "custodian" }] },
                "who": did_reference(&e.custodian),
                "requestor": false,
            },
        ],
        "source": {
            "observer": { "identifier": { "system": CHAIN_SYSTEM, "value": source.chain_id } },
            "type": [{ "system": SOURCE_TYPE, "code": "6", "display": "Security Server" }],
        },
        "entity": entities,
    }))
}

/// A subject's audit events (oldest first, as the chain pages them) as a FHIR R4 Bundle.
/// Every event must be the subject's (its pseudonym is the subject's).
pub fn export_audit_bundle(events: &[AuditEvent], subject: &Did, source: &AuditSource) -> Result<Value> {
    let pseudonym = crate::audit::pseudonym(subject);
    let mut entries = Vec::with_capacity(events.len());
    for e in events {
        if e.subject != pseudonym {
            return Err(FhirError::new(
                format!("AuditEvent/{}", e.id),
                format!("is not an event of {subject} (its subject pseudonym is another's)"),
            ));
        }
        entries.push(
            json!({ "fullUrl": format!("urn:salus:audit:{}", e.id), "resource": event_json(e, subject, source)? }),
        );
    }
    let mut bundle = json!({ "resourceType": "Bundle", "type": "collection" });
    if !entries.is_empty() {
        bundle["entry"] = Value::Array(entries);
    }
    Ok(bundle)
}
