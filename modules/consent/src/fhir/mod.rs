//! HL7 FHIR import and export of consents and of the audit log (docs/consent.md, "FHIR").
//!
//! [`import_consent`] turns a FHIR R4 (4.0.1) or R5 (5.0.0) Consent resource into [`Terms`]
//! and the grantor's DID, mapping FHIR references to DIDs and record ids through a [`RefMap`],
//! committing clinical codes under the subject's [`CommitmentKey`], and refusing (a
//! [`FhirError`] naming the element's JSON path and the fix) whatever the chain cannot represent
//! rather than dropping it. [`export_consent_r4`] and [`export_consent_r5`] print a consent on
//! chain as FHIR again, a commitment as the coding of a [`Vocabulary`] it matches (else as
//! `urn:salus:commitment`), every party as `Reference.identifier` (`urn:ietf:rfc:3986`, the DID),
//! so that export then import needs no map. [`export_audit_bundle`] prints audit events as a FHIR
//! R4 Bundle of AuditEvent resources.
//!
//! All of it is pure (no chain, no file): the node's `salusd fhir` commands read the files and
//! talk to the chain.

mod audit;
pub mod codes;
mod export;
mod import;
mod json;
mod r4;
mod r5;
mod refs;
mod time;
pub mod wire;

#[cfg(test)]
mod tests;

use std::fmt;

pub use audit::{export_audit_bundle, AuditSource};
pub use export::{export_consent_r4, export_consent_r5, Vocabulary};
pub use import::{import_consent, FhirVersion, Imported};
pub use refs::RefMap;
pub use time::{format_date, format_datetime, parse_period_end, parse_period_start};
pub use wire::{audit_event_from_proto, consent_from_proto};

/// Why a resource cannot be imported (or a consent exported): where, and what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FhirError {
    /// The JSON path of the element, e.g. `Consent.provision[0].actor[1].reference`.
    pub path: String,
    /// What is wrong and how to fix it.
    pub message: String,
}

impl FhirError {
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self { path: path.into(), message: message.into() }
    }
}

impl fmt::Display for FhirError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl std::error::Error for FhirError {}

pub type Result<T, E = FhirError> = std::result::Result<T, E>;

/// A FHIR Coding as the vocabulary file and imports keep it: `display` only for printing.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FhirCoding {
    pub system: String,
    pub code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
}
