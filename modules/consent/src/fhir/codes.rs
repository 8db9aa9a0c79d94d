//! The code systems of FHIR consents and audit events, and the closed vocabularies kept in clear.

use crate::types::{Action, Decision, Purpose, Scope, HL7_PURPOSES};

use super::{FhirError, Result};

/// Reference.identifier.system of a DID (a URI).
pub const DID_SYSTEM: &str = "urn:ietf:rfc:3986";
/// Reference.identifier.system of a Salus record (value: the record id).
pub const RECORD_SYSTEM: &str = "urn:salus:record";
/// Reference.identifier.system of a consent on chain (value: `<id>` or `<id>/<version>`).
pub const CONSENT_SYSTEM: &str = "urn:salus:consent";
/// Reference.identifier.system of the chain itself (value: the chain id).
pub const CHAIN_SYSTEM: &str = "urn:salus:chain";
/// Coding.system of a commitment printed as it is (code: 64 hex digits).
pub const COMMITMENT_SYSTEM: &str = "urn:salus:commitment";

pub const CONSENT_SCOPE_SYSTEM: &str = "http://terminology.hl7.org/CodeSystem/consentscope";
pub const CONSENT_ACTION_SYSTEM: &str = "http://terminology.hl7.org/CodeSystem/consentaction";
/// Salus' own consent action (`compute`).
pub const SALUS_ACTION_SYSTEM: &str = "https://salus.health/fhir/CodeSystem/consent-action";
pub const PURPOSE_SYSTEM: &str = "http://terminology.hl7.org/CodeSystem/v3-ActReason";
pub const SALUS_PURPOSE_SYSTEM: &str = "https://salus.health/fhir/CodeSystem/purpose-of-use";
pub use salus_records::labels::CONFIDENTIALITY_SYSTEM;
pub const ACT_CODE_SYSTEM: &str = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
pub const PARTICIPATION_TYPE_SYSTEM: &str = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";
pub const LOINC_SYSTEM: &str = "http://loinc.org";
/// LOINC 59284-0 "Patient Consent": the category every consent has.
pub const PATIENT_CONSENT: &str = "59284-0";
/// Resource types as class codings (R4 binding, and R5's `provision.resourceType`).
pub const RESOURCE_TYPES_R4: &str = "http://hl7.org/fhir/resource-types";
pub const RESOURCE_TYPES_R5: &str = "http://hl7.org/fhir/fhir-types";

pub fn scope_code(code: &str) -> Option<Scope> {
    Scope::ALL.into_iter().find(|s| s.name() == code)
}

pub fn decision_code(code: &str) -> Option<Decision> {
    Decision::ALL.into_iter().find(|d| d.name() == code)
}

/// The action of a coding, in its system.
pub fn action(path: &str, system: &str, code: &str) -> Result<Action> {
    let found = Action::ALL.into_iter().find(|a| a.name() == code);
    match (system, found) {
        (CONSENT_ACTION_SYSTEM, Some(a)) if a != Action::Compute => Ok(a),
        (SALUS_ACTION_SYSTEM, Some(Action::Compute)) => Ok(Action::Compute),
        _ => Err(FhirError::new(
            path,
            format!(
                "action `{system}|{code}` is not one the chain knows: use {CONSENT_ACTION_SYSTEM} access, collect, use, disclose or correct, or {SALUS_ACTION_SYSTEM} compute"
            ),
        )),
    }
}

pub fn action_system(a: Action) -> &'static str {
    if a == Action::Compute {
        SALUS_ACTION_SYSTEM
    } else {
        CONSENT_ACTION_SYSTEM
    }
}

/// A purpose of use, in its system.
pub fn purpose(path: &str, system: &str, code: &str) -> Result<Purpose> {
    match Purpose::parse(code) {
        Some(p) if system == purpose_system(p) => Ok(p),
        _ => Err(FhirError::new(
            path,
            format!(
                "purpose `{system}|{code}` is not one the chain knows: use an HL7 v3 PurposeOfUse code of {PURPOSE_SYSTEM} (TREAT, ETREAT, HPAYMT, HOPERAT, HRESCH, PUBHLTH, ...) or {SALUS_PURPOSE_SYSTEM} ai-training or ai-inference"
            ),
        )),
    }
}

pub fn purpose_system(p: Purpose) -> &'static str {
    if p.is_salus() {
        SALUS_PURPOSE_SYSTEM
    } else {
        PURPOSE_SYSTEM
    }
}

/// Whether a code is an HL7 purpose (for messages).
pub fn is_hl7_purpose(code: &str) -> bool {
    HL7_PURPOSES.contains(&code)
}

pub fn is_confidentiality(system: &str) -> bool {
    system == CONFIDENTIALITY_SYSTEM
}

/// R4 `policyRule` (v3-ActCode consent directive codes): the base decision it states.
pub fn policy_rule_decision(code: &str) -> Option<Decision> {
    match code {
        "OPTIN" | "OPTINR" => Some(Decision::Permit),
        "OPTOUT" | "OPTOUTE" => Some(Decision::Deny),
        _ => None,
    }
}

/// The v3-ActCode for a base decision, with or without exceptions.
pub fn policy_rule_code(base: Decision, with_exceptions: bool) -> &'static str {
    match (base, with_exceptions) {
        (Decision::Permit, false) => "OPTIN",
        (Decision::Permit, true) => "OPTINR",
        (Decision::Deny, false) => "OPTOUT",
        (Decision::Deny, true) => "OPTOUTE",
    }
}

/// v3-ParticipationType codes that say an actor receives the information, which is what an
/// actor of a consent on chain is: no role condition.
pub fn is_recipient_participation(system: &str, code: &str) -> bool {
    system == PARTICIPATION_TYPE_SYSTEM && matches!(code, "IRCP" | "PRCP")
}

/// What R4 export writes as the role of an actor that has none (R4's `actor.role` is 1..1).
pub const RECIPIENT_PARTICIPATION: &str = "IRCP";

/// A class coding's place in an R5 provision: `resourceType` for FHIR resource types, else
/// `documentType`.
pub fn is_resource_type(system: &str) -> bool {
    system == RESOURCE_TYPES_R4 || system == RESOURCE_TYPES_R5
}
