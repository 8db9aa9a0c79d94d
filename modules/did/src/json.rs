//! The DID Core JSON-LD representation of documents and the DID Resolution result, rendered from
//! the protobuf answers of the Resolve query (so any client of the query can do the same).

use salus_proto::salus::did::v1 as pb;
use serde_json::{json, Map, Value};

use crate::document::MethodType;

pub const DID_CONTEXT: &str = "https://www.w3.org/ns/did/v1";
pub const RESOLUTION_CONTEXT: &str = "https://w3id.org/did-resolution/v1";

/// A document in DID Core's JSON-LD form: `@context` first, then the properties in the order DID
/// Core lists them; empty properties are left out.
pub fn document(d: &pb::DidDocument) -> Value {
    let mut contexts = vec![DID_CONTEXT.to_string()];
    for m in &d.verification_method {
        if let Some(t) = MethodType::parse(&m.r#type) {
            if !contexts.iter().any(|c| c == t.context()) {
                contexts.push(t.context().to_string());
            }
        }
    }
    let mut o = Map::new();
    o.insert("@context".into(), json!(contexts));
    o.insert("id".into(), json!(d.id));
    match d.controller.as_slice() {
        [] => {}
        [one] => {
            o.insert("controller".into(), json!(one));
        }
        many => {
            o.insert("controller".into(), json!(many));
        }
    }
    if !d.also_known_as.is_empty() {
        o.insert("alsoKnownAs".into(), json!(d.also_known_as));
    }
    if !d.verification_method.is_empty() {
        let methods: Vec<Value> = d
            .verification_method
            .iter()
            .map(|m| {
                let mut v = Map::new();
                v.insert("id".into(), json!(m.id));
                v.insert("type".into(), json!(m.r#type));
                v.insert("controller".into(), json!(m.controller));
                if let Some(j) = &m.public_key_jwk {
                    let mut jwk = Map::new();
                    jwk.insert("kty".into(), json!(j.kty));
                    jwk.insert("crv".into(), json!(j.crv));
                    jwk.insert("x".into(), json!(j.x));
                    if !j.y.is_empty() {
                        jwk.insert("y".into(), json!(j.y));
                    }
                    v.insert("publicKeyJwk".into(), Value::Object(jwk));
                } else {
                    v.insert("publicKeyMultibase".into(), json!(m.public_key_multibase));
                }
                Value::Object(v)
            })
            .collect();
        o.insert("verificationMethod".into(), Value::Array(methods));
    }
    for (name, refs) in [
        ("authentication", &d.authentication),
        ("assertionMethod", &d.assertion_method),
        ("keyAgreement", &d.key_agreement),
        ("capabilityInvocation", &d.capability_invocation),
        ("capabilityDelegation", &d.capability_delegation),
    ] {
        if !refs.is_empty() {
            o.insert(name.into(), json!(refs));
        }
    }
    if !d.service.is_empty() {
        let services: Vec<Value> = d
            .service
            .iter()
            .map(|s| {
                let one_or_many = |v: &[String]| if v.len() == 1 { json!(v[0]) } else { json!(v) };
                json!({ "id": s.id, "type": one_or_many(&s.r#type), "serviceEndpoint": one_or_many(&s.service_endpoint) })
            })
            .collect();
        o.insert("service".into(), Value::Array(services));
    }
    Value::Object(o)
}

/// DID document metadata (DID Core 7.3): XML datetimes in UTC, version ids as strings.
pub fn document_metadata(m: &pb::DidDocumentMetadata) -> Value {
    let mut o = Map::new();
    if let Some(t) = &m.created {
        o.insert("created".into(), json!(datetime(t)));
    }
    if let Some(t) = &m.updated {
        o.insert("updated".into(), json!(datetime(t)));
    }
    o.insert("versionId".into(), json!(m.version_id));
    if !m.next_version_id.is_empty() {
        o.insert("nextVersionId".into(), json!(m.next_version_id));
    }
    if let Some(t) = &m.next_update {
        o.insert("nextUpdate".into(), json!(datetime(t)));
    }
    if m.deactivated {
        o.insert("deactivated".into(), json!(true));
    }
    Value::Object(o)
}

/// A DID Resolution result.
pub fn resolution(r: &pb::QueryResolveResponse) -> Value {
    let content_type = r.did_resolution_metadata.as_ref().map(|m| m.content_type.clone()).unwrap_or_default();
    json!({
        "@context": RESOLUTION_CONTEXT,
        "didDocument": r.did_document.as_ref().map(document).unwrap_or(Value::Null),
        "didResolutionMetadata": { "contentType": content_type },
        "didDocumentMetadata": r.did_document_metadata.as_ref().map(document_metadata).unwrap_or(json!({})),
    })
}

/// The resolution result of a DID that cannot be resolved, with a DID Resolution error code.
pub fn resolution_error(error: &str, message: &str) -> Value {
    json!({
        "@context": RESOLUTION_CONTEXT,
        "didDocument": Value::Null,
        "didResolutionMetadata": { "error": error, "errorMessage": message },
        "didDocumentMetadata": {},
    })
}

/// `YYYY-MM-DDThh:mm:ssZ`: DID Core wants XML datetimes in UTC without sub-second precision.
pub fn datetime(t: &prost_types::Timestamp) -> String {
    let days = t.seconds.div_euclid(86_400);
    let secs = t.seconds.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", secs / 3600, secs % 3600 / 60, secs % 60)
}

/// Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetimes_are_utc_xml_datetimes() {
        let t = |seconds, nanos| prost_types::Timestamp { seconds, nanos };
        assert_eq!(datetime(&t(0, 0)), "1970-01-01T00:00:00Z");
        assert_eq!(datetime(&t(1_800_000_000, 0)), "2027-01-15T08:00:00Z");
        assert_eq!(datetime(&t(951_782_400, 500_000_000)), "2000-02-29T00:00:00Z");
        assert_eq!(datetime(&t(-1, 0)), "1969-12-31T23:59:59Z");
    }
}
