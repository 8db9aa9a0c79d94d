//! The DID module's genesis: its params and, in an exported chain (`salusd genesis export`), every
//! DID with every version. A new chain's DIDs are created by transactions, each with the proof of
//! its key; genesis is trusted, as in Cosmos, so genesis DIDs carry no proofs. They are checked as
//! the chain would have checked them otherwise: every document meets the method's rules, version 1
//! holds the key its DID is derived from, versions count from 1 with a create first and at most
//! one deactivation last, and every controller is a DID of the section. A document is not held to
//! the section's params: each version met the params in force when it was written, and
//! governance may have lowered them since (an export must still start a chain).
//!
//! Documents are in DID Core's JSON form (`verificationMethod`, `publicKeyMultibase`, ...).
//! Versions keep the time and height they were written at on the chain they come from (a new
//! chain started from an export counts heights from 1 again, so a version's height is a record of
//! its history, not a height of the new chain).

use std::collections::BTreeSet;

use salus_proto::salus::did::v1 as pb;
use salus_sdk::{Error, StateRead, StateReadExt, StateWrite, StateWriteExt};
use serde::{Deserialize, Serialize};

use crate::document::Document;
use crate::error::DidError;
use crate::method::Did;
use crate::params::Params;
use crate::state::{DidMeta, DidRead, DidVersion, DidWrite, Operation, Timestamp};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Genesis {
    #[serde(default)]
    pub params: Params,
    #[serde(default)]
    pub dids: Vec<GenesisDid>,
}

/// One DID: its versions, oldest first. Its creation time is version 1's, and it is deactivated
/// if its last version is a deactivation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisDid {
    pub id: String,
    pub versions: Vec<GenesisVersion>,
    /// The DID's next action nonce (docs/did-method.md, "Acting as a DID"); absent when 0.
    #[serde(default, skip_serializing_if = "is_zero", with = "json::string")]
    pub action_nonce: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisVersion {
    #[serde(with = "json::string")]
    pub version_id: u64,
    /// `create`, `update` or `deactivate`.
    pub operation: String,
    #[serde(with = "json::rfc3339")]
    pub time: Timestamp,
    /// The height it was written at, on the chain it was exported from.
    #[serde(with = "json::string")]
    pub height: u64,
    pub document: GenesisDocument,
}

/// A DID Core document in JSON (without `@context`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct GenesisDocument {
    pub id: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub controller: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also_known_as: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub verification_method: Vec<GenesisMethod>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authentication: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub assertion_method: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub key_agreement: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub capability_invocation: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub capability_delegation: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub service: Vec<GenesisService>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct GenesisMethod {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub controller: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub public_key_multibase: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_key_jwk: Option<GenesisJwk>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisJwk {
    pub kty: String,
    pub crv: String,
    pub x: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub y: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisService {
    pub id: String,
    #[serde(rename = "type")]
    pub types: Vec<String>,
    #[serde(rename = "serviceEndpoint")]
    pub endpoints: Vec<String>,
}

impl GenesisDocument {
    pub fn to_proto(&self) -> pb::DidDocument {
        pb::DidDocument {
            id: self.id.clone(),
            controller: self.controller.clone(),
            verification_method: self
                .verification_method
                .iter()
                .map(|m| pb::VerificationMethod {
                    id: m.id.clone(),
                    r#type: m.kind.clone(),
                    controller: m.controller.clone(),
                    public_key_multibase: m.public_key_multibase.clone(),
                    public_key_jwk: m.public_key_jwk.as_ref().map(|j| pb::PublicKeyJwk {
                        kty: j.kty.clone(),
                        crv: j.crv.clone(),
                        x: j.x.clone(),
                        y: j.y.clone(),
                    }),
                })
                .collect(),
            authentication: self.authentication.clone(),
            assertion_method: self.assertion_method.clone(),
            key_agreement: self.key_agreement.clone(),
            capability_invocation: self.capability_invocation.clone(),
            capability_delegation: self.capability_delegation.clone(),
            service: self
                .service
                .iter()
                .map(|s| pb::Service {
                    id: s.id.clone(),
                    r#type: s.types.clone(),
                    service_endpoint: s.endpoints.clone(),
                })
                .collect(),
            also_known_as: self.also_known_as.clone(),
        }
    }

    pub fn of(d: &Document) -> Self {
        let p = d.to_proto();
        GenesisDocument {
            id: p.id,
            controller: p.controller,
            also_known_as: p.also_known_as,
            verification_method: p
                .verification_method
                .into_iter()
                .map(|m| GenesisMethod {
                    id: m.id,
                    kind: m.r#type,
                    controller: m.controller,
                    public_key_multibase: m.public_key_multibase,
                    public_key_jwk: m.public_key_jwk.map(|j| GenesisJwk { kty: j.kty, crv: j.crv, x: j.x, y: j.y }),
                })
                .collect(),
            authentication: p.authentication,
            assertion_method: p.assertion_method,
            key_agreement: p.key_agreement,
            capability_invocation: p.capability_invocation,
            capability_delegation: p.capability_delegation,
            service: p
                .service
                .into_iter()
                .map(|s| GenesisService { id: s.id, types: s.r#type, endpoints: s.service_endpoint })
                .collect(),
        }
    }
}

fn invalid(msg: String) -> Error {
    DidError::InvalidDocument.with(msg)
}

fn operation_of(field: &str, s: &str) -> Result<Operation, Error> {
    [Operation::Create, Operation::Update, Operation::Deactivate]
        .into_iter()
        .find(|o| o.name() == s)
        .ok_or_else(|| invalid(format!("{field}: `{s}` is not an operation (create, update, deactivate)")))
}

/// One DID as state keeps it: its meta and its versions.
pub struct DidRecords {
    pub did: Did,
    pub meta: DidMeta,
    pub versions: Vec<DidVersion>,
}

impl Genesis {
    /// Every DID, parsed and checked; rejects what the chain could never have written.
    pub fn records(&self) -> Result<Vec<DidRecords>, Error> {
        self.params.validate()?;
        let mut ids = BTreeSet::new();
        for (i, g) in self.dids.iter().enumerate() {
            let did = Did::parse(&format!("did.dids[{i}].id"), &g.id)?;
            if !ids.insert(did) {
                return Err(invalid(format!("did.dids[{i}]: {} is listed twice", g.id)));
            }
        }
        let mut out = Vec::with_capacity(self.dids.len());
        for (i, g) in self.dids.iter().enumerate() {
            let field = format!("did.dids[{i}]");
            let did = Did::parse(&format!("{field}.id"), &g.id)?;
            if g.versions.is_empty() {
                return Err(invalid(format!("{field}: {} has no versions", g.id)));
            }
            let mut versions = Vec::with_capacity(g.versions.len());
            for (j, v) in g.versions.iter().enumerate() {
                let vfield = format!("{field}.versions[{j}]");
                if v.version_id != j as u64 + 1 {
                    return Err(invalid(format!(
                        "{vfield}: version_id is {}; versions count from 1 in order",
                        v.version_id
                    )));
                }
                let operation = operation_of(&format!("{vfield}.operation"), &v.operation)?;
                let last = j + 1 == g.versions.len();
                match operation {
                    Operation::Create if j != 0 => {
                        return Err(invalid(format!("{vfield}: only version 1 is a create")));
                    }
                    Operation::Update | Operation::Deactivate if j == 0 => {
                        return Err(invalid(format!("{vfield}: version 1 must be a create")));
                    }
                    Operation::Deactivate if !last => {
                        return Err(invalid(format!("{vfield}: a deactivated DID has no later versions")));
                    }
                    _ => {}
                }
                if v.document.id != g.id {
                    return Err(invalid(format!("{vfield}.document.id is {}, not {}", v.document.id, g.id)));
                }
                let document = if operation == Operation::Deactivate {
                    let empty = Document::deactivated(did.clone());
                    if v.document != GenesisDocument::of(&empty) {
                        return Err(invalid(format!("{vfield}.document: a deactivation's document holds only the id")));
                    }
                    empty
                } else {
                    let doc = Document::from_proto(&v.document.to_proto(), &Params::UNBOUNDED)
                        .map_err(|e| Error { message: format!("{vfield}.document: {}", e.message), ..e })?;
                    for c in &doc.controller {
                        if *c != did && !ids.contains(c) {
                            return Err(DidError::ControllerNotFound
                                .with(format!("{vfield}.document: controller {c} is not a DID of this genesis")));
                        }
                    }
                    doc
                };
                if j == 0 && !document.verification_method.iter().any(|m| Did::from_key(&m.key) == did) {
                    return Err(DidError::IdNotDerivedFromKey.with(format!(
                        "{vfield}.document: no verification method holds the key {} is derived from",
                        g.id
                    )));
                }
                versions.push(DidVersion { document, operation, time: v.time, height: v.height });
            }
            let last = versions.last().expect("checked non-empty");
            let meta = DidMeta {
                version: versions.len() as u64,
                created: versions[0].time,
                deactivated: last.operation == Operation::Deactivate,
            };
            out.push(DidRecords { did, meta, versions });
        }
        Ok(out)
    }

    pub fn validate(&self) -> Result<(), Error> {
        self.records().map(|_| ())
    }

    pub fn init(&self, state: &mut impl StateWrite) -> Result<(), Error> {
        let records = self.records()?;
        state.set_did_params(&self.params)?;
        for r in &records {
            for (i, v) in r.versions.iter().enumerate() {
                let meta = DidMeta { version: i as u64 + 1, ..r.meta.clone() };
                // The last write leaves the meta of the latest version.
                state.put_did_version(&r.did, &meta, v)?;
            }
        }
        for g in &self.dids {
            if g.action_nonce > 0 {
                state.put(crate::keys::nonce(&Did::parse("dids[].id", &g.id)?), &g.action_nonce)?;
            }
        }
        Ok(())
    }

    /// Params and every DID with every version.
    pub fn export(state: &impl StateRead) -> Result<Self, Error> {
        let mut dids = Vec::new();
        for (key, _meta) in state.prefix::<DidMeta>(crate::keys::META_PREFIX)? {
            let id = String::from_utf8(key[crate::keys::META_PREFIX.len()..].to_vec())
                .map_err(|_| Error::internal("a DID meta key is not UTF-8"))?;
            let did = Did::parse("did meta key", &id)?;
            let versions = state
                .did_history(&did)?
                .into_iter()
                .map(|(n, v)| GenesisVersion {
                    version_id: n,
                    operation: v.operation.name().into(),
                    time: v.time,
                    height: v.height,
                    document: GenesisDocument::of(&v.document),
                })
                .collect();
            let action_nonce = state.action_nonce(&did)?;
            dids.push(GenesisDid { id, versions, action_nonce });
        }
        Ok(Self { params: state.did_params()?, dids })
    }
}

/// Genesis JSON helpers: numbers as strings (the sdk's), DID times as RFC 3339 UTC.
pub mod json {
    pub use salus_sdk::json::string;

    /// A DID timestamp as RFC 3339 UTC, as the sdk writes block times.
    pub mod rfc3339 {
        use crate::state::Timestamp;
        use salus_sdk::time::Time;
        use serde::{Deserializer, Serializer};

        pub fn serialize<S: Serializer>(t: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
            salus_sdk::json::rfc3339::serialize(&Time { secs: t.secs, nanos: t.nanos }, s)
        }

        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
            let t = salus_sdk::json::rfc3339::deserialize(d)?;
            Ok(Timestamp { secs: t.secs, nanos: t.nanos })
        }

        pub fn parse(s: &str) -> Option<Timestamp> {
            Time::parse_rfc3339(s).map(|t| Timestamp { secs: t.secs, nanos: t.nanos })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_round_trip_through_rfc3339() {
        for (secs, nanos) in [(0, 0), (1_800_000_123, 456), (253_402_300_799, 0), (951_782_400, 999_999_999)] {
            let text = salus_sdk::time::Time { secs, nanos }.rfc3339();
            assert_eq!(json::rfc3339::parse(&text), Some(Timestamp { secs, nanos }), "{text}");
        }
        assert_eq!(json::rfc3339::parse("2027-02-30T00:00:00Z"), None);
    }

    #[test]
    fn a_genesis_without_dids_is_its_params() {
        let g: Genesis = serde_json::from_str(r#"{"params": {}}"#).unwrap();
        assert!(g.dids.is_empty());
        g.validate().unwrap();
    }
}
