//! FHIR import and export: the fixtures of tests/fhir/fixtures (real-world-shaped R4 and R5
//! consents), their round trips, what import refuses, what a consent decision service decides
//! for them, and the exports checked by maintained FHIR tooling (tests/fhir/validate.py).

mod decisions;
mod fixtures;
mod refusals;
mod validator;

use std::path::PathBuf;

use salus_did::Did;
use salus_records::CommitmentKey;
use salus_sdk::time::Time;
use serde_json::Value;

use super::{import_consent, Imported, RefMap};
use crate::types::Consent;

/// tests/fhir at the workspace root.
pub fn fhir_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fhir")
}

pub fn fixture(name: &str) -> Value {
    let path = fhir_dir().join("fixtures").join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn refs() -> RefMap {
    RefMap::from_json("tests/fhir/fixtures/refs.json", &fixture("refs.json")).unwrap()
}

/// The DID a fixture reference maps to.
pub fn did(reference: &str) -> Did {
    let refs = refs();
    let s = refs.entries.get(reference).unwrap_or_else(|| panic!("{reference} is not in refs.json"));
    Did::parse(reference, s).unwrap()
}

pub fn key() -> CommitmentKey {
    let path = fhir_dir().join("fixtures/commitment.key");
    CommitmentKey::from_hex(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The consent fixtures that import (the inactive ones do not).
pub const ACTIVE_FIXTURES: &[&str] = &[
    "opt-in-r4.json",
    "opt-out-r5.json",
    "research-only-r4.json",
    "research-only-r5.json",
    "denied-practitioner-r4.json",
    "denied-practitioner-r5.json",
    "restricted-labels-r4.json",
    "restricted-labels-r5.json",
    "expired-r4.json",
    "expired-r5.json",
];

pub const INACTIVE_FIXTURES: &[&str] = &["inactive-r4.json", "inactive-r5.json"];

pub fn import(name: &str) -> Imported {
    import_consent(&fixture(name), &refs(), &key()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// `2025-06-01T00:00:00Z` and other instants, in block time.
pub fn at(s: &str) -> Time {
    super::parse_period_start("test", s).unwrap()
}

/// A fixture as a consent on chain (id `id`, version 1, written at 2025-06-01).
pub fn on_chain(name: &str, id: u64) -> Consent {
    let i = import(name);
    Consent { id, version: 1, grantor: i.grantor, terms: i.terms, time: at("2025-06-01T00:00:00Z"), height: 10 }
}
