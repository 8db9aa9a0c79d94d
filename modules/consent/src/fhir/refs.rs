//! FHIR references to DIDs and record ids.
//!
//! A map file is a JSON object from FHIR literal references to what they are on chain:
//! `{"Patient/123": "did:salus:...", "Practitioner/9": "did:salus:...", "DocumentReference/abc": "17"}`.
//! A reference by `identifier` needs no map: `{"system": "urn:ietf:rfc:3986", "value": "did:salus:..."}`
//! is a DID, `{"system": "urn:salus:record", "value": "17"}` a record (what export writes).

use std::collections::BTreeMap;

use salus_did::Did;
use serde_json::{json, Value};

use super::codes::{DID_SYSTEM, RECORD_SYSTEM};
use super::json::Obj;
use super::{FhirError, Result};

/// Resource types whose references may stand for a DID.
const PARTY_TYPES: &[&str] =
    &["Patient", "Practitioner", "PractitionerRole", "Organization", "RelatedPerson", "Device", "Group", "CareTeam"];

/// What a map file says, and its name for errors.
#[derive(Clone, Debug, Default)]
pub struct RefMap {
    pub entries: BTreeMap<String, String>,
    /// The file it was read from (for messages).
    pub source: String,
}

impl RefMap {
    /// A map file's JSON.
    pub fn from_json(source: &str, v: &Value) -> Result<Self> {
        let Value::Object(m) = v else {
            return Err(FhirError::new(
                source,
                "a reference map is a JSON object from FHIR references to DIDs or record ids, e.g. {\"Patient/123\": \"did:salus:...\", \"DocumentReference/abc\": \"17\"}",
            ));
        };
        let mut entries = BTreeMap::new();
        for (k, v) in m {
            let Value::String(s) = v else {
                return Err(FhirError::new(format!("{source}: {k}"), "must map to a string: a DID or a record id"));
            };
            entries.insert(k.clone(), s.clone());
        }
        Ok(Self { entries, source: source.to_string() })
    }

    pub fn empty(source: &str) -> Self {
        Self { entries: BTreeMap::new(), source: source.to_string() }
    }

    fn lookup(&self, path: &str, reference: &str) -> Result<&str> {
        self.entries.get(reference).map(String::as_str).ok_or_else(|| {
            let source = if self.source.is_empty() { "the map file (--map)" } else { self.source.as_str() };
            FhirError::new(
                path,
                format!(
                    "reference `{reference}` is not in {source}: add \"{reference}\": \"did:salus:...\" (or a record id for a data reference) to it, or reference by identifier {{\"system\": \"{DID_SYSTEM}\", \"value\": \"did:salus:...\"}}"
                ),
            )
        })
    }

    /// A Reference to a party (patient, practitioner, organization, device ...): its DID.
    pub fn did(&self, r: &Obj) -> Result<Did> {
        match read(r)? {
            Target::Literal(path, reference) => {
                let kind = reference.split('/').next().unwrap_or_default();
                if !PARTY_TYPES.contains(&kind) {
                    return Err(FhirError::new(
                        path,
                        format!("`{reference}` is not a reference to a party ({}): it cannot stand for a DID", PARTY_TYPES.join(", ")),
                    ));
                }
                let value = self.lookup(&path, reference)?;
                Did::parse(&path, value).map_err(|e| {
                    FhirError::new(path.clone(), format!("{} maps `{reference}` to {}", self.source, e.message))
                })
            }
            Target::Identifier(path, DID_SYSTEM, value) => {
                Did::parse(&path, value).map_err(|e| FhirError::new(path.clone(), e.message))
            }
            Target::Identifier(path, system, _) => Err(FhirError::new(
                path,
                format!(
                    "an identifier of system `{system}` does not name a DID: use system {DID_SYSTEM} with a did:salus value, or a literal reference in the map file"
                ),
            )),
        }
    }

    /// A Reference to data (provision.data.reference): a record id.
    pub fn record(&self, r: &Obj) -> Result<u64> {
        let (path, value) = match read(r)? {
            Target::Literal(path, reference) => {
                let value = self.lookup(&path, reference)?.to_string();
                (path, value)
            }
            Target::Identifier(path, RECORD_SYSTEM, value) => (path, value.to_string()),
            Target::Identifier(path, system, _) => {
                return Err(FhirError::new(
                    path,
                    format!(
                        "an identifier of system `{system}` does not name a record: use system {RECORD_SYSTEM} with the record id, or a literal reference in the map file"
                    ),
                ))
            }
        };
        match value.parse::<u64>() {
            Ok(id) if id > 0 && id.to_string() == value => Ok(id),
            _ => Err(FhirError::new(path, format!("`{value}` is not a record id (a positive whole number)"))),
        }
    }
}

enum Target<'a> {
    /// Path, "Type/id".
    Literal(String, &'a str),
    /// Path, system, value.
    Identifier(String, &'a str, &'a str),
}

fn read<'a>(r: &Obj<'a>) -> Result<Target<'a>> {
    r.only(
        &["reference", "identifier"],
        &[
            ("display", "a reference's display text (a name) is not kept on chain and may identify someone: remove it"),
            ("type", "a reference's type is not kept on chain: remove it (the map file says what a reference is)"),
        ],
    )?;
    match (r.str("reference")?, r.obj("identifier")?) {
        (Some(_), Some(_)) => {
            Err(FhirError::new(&r.path, "give either `reference` or `identifier`, not both: the chain keeps one DID"))
        }
        (Some(reference), None) => {
            let path = r.at("reference");
            let parts: Vec<&str> = reference.split('/').collect();
            if parts.len() != 2 || parts.iter().any(|p| p.is_empty()) {
                return Err(FhirError::new(
                    path,
                    format!(
                        "`{reference}` is not a relative literal reference (Type/id): absolute, versioned and contained references cannot be mapped"
                    ),
                ));
            }
            Ok(Target::Literal(path, reference))
        }
        (None, Some(id)) => {
            id.only(
                &["system", "value"],
                &[
                    ("use", "an identifier's use is not kept on chain: remove it"),
                    ("type", "an identifier's type is not kept on chain: remove it"),
                    ("period", "an identifier's period is not kept on chain: remove it"),
                    ("assigner", "an identifier's assigner is not kept on chain: remove it"),
                ],
            )?;
            Ok(Target::Identifier(id.path.clone(), id.req_str("system")?, id.req_str("value")?))
        }
        (None, None) => Err(FhirError::new(&r.path, "a reference needs `reference` or `identifier`")),
    }
}

/// A Reference to a DID, as export writes it.
pub fn did_reference(did: &Did) -> Value {
    json!({ "identifier": { "system": DID_SYSTEM, "value": did.as_str() } })
}

/// A Reference to a record, as export writes it.
pub fn record_reference(id: u64) -> Value {
    json!({ "identifier": { "system": RECORD_SYSTEM, "value": id.to_string() } })
}
