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

/// DID Core's JSON-LD representation (6.3), the one `resolve` renders documents in.
pub const DID_LD_JSON: &str = "application/did+ld+json";
/// DID Core's plain JSON representation (6.2): the same document without `@context`.
pub const DID_JSON: &str = "application/did+json";
/// The representations that `resolveRepresentation` (`--accept`) can produce.
pub const REPRESENTATIONS: [&str; 2] = [DID_LD_JSON, DID_JSON];

/// DID Resolution error codes and the ones the node's query errors stand for.
pub const INVALID_DID: &str = "invalidDid";
pub const NOT_FOUND: &str = "notFound";
pub const REPRESENTATION_NOT_SUPPORTED: &str = "representationNotSupported";

/// The result of DID Resolution's `resolve`: the document in DID Core property names with
/// document metadata. No `contentType`: DID Resolution reserves it for `resolveRepresentation`.
pub fn resolution(r: &pb::QueryResolveResponse) -> Value {
    result(r.did_document.as_ref().map(document), Map::new(), r)
}

/// The result of DID Resolution's `resolveRepresentation` with `accept` as the caller's media
/// type: the document in that representation and `contentType` saying which. A media type this
/// resolver cannot produce is the `representationNotSupported` error result.
pub fn resolution_as(r: &pb::QueryResolveResponse, accept: &str) -> Value {
    let accept = accept.trim().to_ascii_lowercase();
    let doc = match accept.as_str() {
        DID_LD_JSON => r.did_document.as_ref().map(document),
        DID_JSON => r.did_document.as_ref().map(|d| {
            let mut v = document(d);
            v.as_object_mut().map(|o| o.remove("@context"));
            v
        }),
        _ => {
            return resolution_error(
                REPRESENTATION_NOT_SUPPORTED,
                &format!(
                    "--accept {accept} is not a representation this resolver produces: use one of {}",
                    REPRESENTATIONS.join(", ")
                ),
            )
        }
    };
    let mut meta = Map::new();
    meta.insert("contentType".into(), json!(accept));
    result(doc, meta, r)
}

fn result(doc: Option<Value>, resolution_metadata: Map<String, Value>, r: &pb::QueryResolveResponse) -> Value {
    json!({
        "@context": RESOLUTION_CONTEXT,
        "didDocument": doc.unwrap_or(Value::Null),
        "didResolutionMetadata": resolution_metadata,
        "didDocumentMetadata": r.did_document_metadata.as_ref().map(document_metadata).unwrap_or(json!({})),
    })
}

/// The DID Resolution error a refused Resolve query stands for, by the refusal's stable code (not
/// its message): `did` 2 is `invalidDid`, `sdk` 22 (not found; also a version the DID lacks) is
/// `notFound`. `None`: not a resolution error, but a failure of the query itself.
pub fn resolution_error_for(codespace: &str, code: u32) -> Option<&'static str> {
    match (codespace, code) {
        (crate::NAME, c) if c == crate::DidError::InvalidDid as u32 => Some(INVALID_DID),
        ("sdk", c) if c == salus_sdk::SdkCode::KeyNotFound as u32 => Some(NOT_FOUND),
        _ => None,
    }
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

/// The DID Resolution error code of a result, if it is an error result.
pub fn error_of(result: &Value) -> Option<&str> {
    result.get("didResolutionMetadata")?.get("error")?.as_str()
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

    use crate::cli::QueryCmd;
    use crate::conformance::resolution_problems;
    use crate::crypto::PublicKey;

    fn resolved() -> pb::QueryResolveResponse {
        let key = PublicKey::Ed25519(ed25519_consensus::SigningKey::from([1; 32]).verification_key().to_bytes());
        let doc =
            crate::cli::new_document(&key, false, &["fhir=FhirEndpoint=https://h.example/fhir".into()], &[]).unwrap();
        pb::QueryResolveResponse {
            did_document: Some(doc),
            did_document_metadata: Some(pb::DidDocumentMetadata {
                created: Some(prost_types::Timestamp { seconds: 1_800_000_000, nanos: 0 }),
                version_id: "1".into(),
                ..Default::default()
            }),
            // What the node's Resolve query answers: the gRPC message names its representation.
            did_resolution_metadata: Some(pb::DidResolutionMetadata { content_type: DID_LD_JSON.into() }),
        }
    }

    fn conforms(result: &Value) {
        let problems = resolution_problems(result);
        assert!(problems.is_empty(), "{problems:?}\n{result:#}");
    }

    #[test]
    fn resolve_names_no_content_type_and_resolve_representation_names_the_one_asked_for() {
        let r = resolved();
        let plain = resolution(&r);
        assert_eq!(plain["didResolutionMetadata"], json!({}), "{plain:#}");
        assert_eq!(plain["didDocument"]["@context"][0], DID_CONTEXT);
        assert_eq!(plain["didDocumentMetadata"]["versionId"], "1");
        assert_eq!(error_of(&plain), None);
        conforms(&plain);

        for accept in [DID_LD_JSON, "Application/DID+LD+JSON "] {
            let ld = resolution_as(&r, accept);
            assert_eq!(ld["didResolutionMetadata"], json!({ "contentType": DID_LD_JSON }), "{ld:#}");
            assert_eq!(ld["didDocument"], plain["didDocument"]);
            assert_eq!(ld["didDocumentMetadata"], plain["didDocumentMetadata"]);
            conforms(&ld);
        }

        let plain_json = resolution_as(&r, DID_JSON);
        assert_eq!(plain_json["didResolutionMetadata"], json!({ "contentType": DID_JSON }));
        assert!(plain_json["didDocument"].get("@context").is_none(), "{plain_json:#}");
        let mut without_context = plain["didDocument"].clone();
        without_context.as_object_mut().unwrap().remove("@context");
        assert_eq!(plain_json["didDocument"], without_context);
        conforms(&plain_json);
    }

    #[test]
    fn an_unsupported_representation_is_the_representation_not_supported_error_result() {
        for accept in ["application/did+cbor", "application/json", "application/did+ld+json;profile=x", ""] {
            let result = resolution_as(&resolved(), accept);
            assert_eq!(error_of(&result), Some(REPRESENTATION_NOT_SUPPORTED), "{accept}: {result:#}");
            assert_eq!(result["didDocument"], Value::Null);
            assert_eq!(result["didDocumentMetadata"], json!({}));
            assert!(result["didResolutionMetadata"].get("contentType").is_none());
            assert!(result["didResolutionMetadata"]["errorMessage"].as_str().unwrap().contains(DID_JSON));
            conforms(&result);
        }
    }

    #[test]
    fn the_conformance_check_holds_a_named_content_type_to_its_representation() {
        let r = resolved();
        let mut ld_without_context = resolution_as(&r, DID_LD_JSON);
        ld_without_context["didDocument"].as_object_mut().unwrap().remove("@context");
        assert!(resolution_problems(&ld_without_context).iter().any(|p| p.contains("@context")));
        let mut json_with_context = resolution_as(&r, DID_JSON);
        json_with_context["didDocument"]["@context"] = json!(DID_CONTEXT);
        assert!(resolution_problems(&json_with_context).iter().any(|p| p.contains("no @context")));
        let mut other = resolution(&r);
        other["didResolutionMetadata"]["contentType"] = json!("text/html");
        assert!(resolution_problems(&other).iter().any(|p| p.contains("contentType must be one of")));
    }

    #[test]
    fn an_invalid_did_is_the_invalid_did_error_result_whether_the_cli_or_the_node_refuses_it() {
        for did in ["not-a-did", "did:web:example.com", "did:salus:0OIl", "did:salus:abc", "did:salus:"] {
            let cmd = QueryCmd::Resolve { did: did.into(), version_id: None, accept: None };
            let refused = cmd.request().err().unwrap_or_else(|| panic!("{did} was accepted"));
            let result = cmd.resolution_error(refused.codespace, refused.code, &refused.message).expect(did);
            assert_eq!(error_of(&result), Some(INVALID_DID), "{did}: {result:#}");
            assert_eq!(result["didDocument"], Value::Null);
            assert_eq!(result["didDocumentMetadata"], json!({}));
            assert!(result["didResolutionMetadata"]["errorMessage"].as_str().unwrap().contains(did));
            conforms(&result);
        }
        // The node's refusals, by their stable codes: did 2 (its own Did::parse) and sdk 22.
        assert_eq!(resolution_error_for("did", 2), Some(INVALID_DID));
        assert_eq!(resolution_error_for("sdk", 22), Some(NOT_FOUND));
        assert_eq!(resolution_error_for("did", 5), None);
        assert_eq!(resolution_error_for("sdk", 2), None);
        let resolve = QueryCmd::Resolve { did: "x".into(), version_id: None, accept: None };
        assert_eq!(error_of(&resolve.resolution_error("sdk", 22, "gone").unwrap()), Some(NOT_FOUND));
        // Other DID queries keep their errors: they are not resolutions.
        assert!(QueryCmd::History { did: "x".into(), page: Default::default() }
            .resolution_error("did", 2, "bad")
            .is_none());
    }

    #[test]
    fn datetimes_are_utc_xml_datetimes() {
        let t = |seconds, nanos| prost_types::Timestamp { seconds, nanos };
        assert_eq!(datetime(&t(0, 0)), "1970-01-01T00:00:00Z");
        assert_eq!(datetime(&t(1_800_000_000, 0)), "2027-01-15T08:00:00Z");
        assert_eq!(datetime(&t(951_782_400, 500_000_000)), "2000-02-29T00:00:00Z");
        assert_eq!(datetime(&t(-1, 0)), "1969-12-31T23:59:59Z");
    }
}
