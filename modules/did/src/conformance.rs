//! Checks a DID Resolution result against W3C DID Core 1.0: the required properties, their value
//! types, and the reference rules. Returns every problem found (none for a conforming result), so
//! tests and tools can say exactly what is wrong.

use serde_json::Value;

use crate::json::{DID_CONTEXT, DID_JSON, DID_LD_JSON, REPRESENTATIONS, RESOLUTION_CONTEXT};

const RELATIONSHIPS: [&str; 5] =
    ["authentication", "assertionMethod", "keyAgreement", "capabilityInvocation", "capabilityDelegation"];

/// `did:<method>:<method-specific-id>` (DID Core 3.1).
pub fn is_did(s: &str) -> bool {
    let mut parts = s.splitn(3, ':');
    let (Some("did"), Some(method), Some(id)) = (parts.next(), parts.next(), parts.next()) else { return false };
    !method.is_empty()
        && method.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && !id.is_empty()
        && id.split(':').next_back().is_some_and(|last| !last.is_empty())
        && id.chars().all(|c| c.is_ascii_alphanumeric() || ".-_:%".contains(c))
}

fn is_did_url(s: &str) -> bool {
    let did = s.split(['#', '?', '/']).next().unwrap_or_default();
    is_did(did) && s.len() > did.len()
}

fn is_uri(s: &str) -> bool {
    s.split_once(':').is_some_and(|(scheme, rest)| {
        scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic()) && !rest.is_empty()
    }) && !s.contains(char::is_whitespace)
}

/// `YYYY-MM-DDThh:mm:ssZ`: an XML datetime in UTC, without sub-second precision (DID Core 7.3).
fn is_utc_datetime(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 20
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b'T',
            13 | 16 => *c == b':',
            19 => *c == b'Z',
            _ => c.is_ascii_digit(),
        })
}

fn strings(v: &Value) -> Option<Vec<&str>> {
    match v {
        Value::String(s) => Some(vec![s]),
        Value::Array(a) => a.iter().map(Value::as_str).collect(),
        _ => None,
    }
}

/// Problems with a DID document in its JSON-LD representation.
pub fn document_problems(doc: &Value) -> Vec<String> {
    let mut p = Vec::new();
    let Some(obj) = doc.as_object() else { return vec!["the document is not a JSON object".into()] };
    match obj.get("@context").and_then(strings) {
        Some(c) if c.first() == Some(&DID_CONTEXT) => {}
        _ => p.push(format!("@context must be a string or list that starts with {DID_CONTEXT}")),
    }
    let id = match obj.get("id").and_then(Value::as_str) {
        Some(id) if is_did(id) => id,
        _ => {
            p.push("id is required and must be a DID".into());
            ""
        }
    };
    if let Some(c) = obj.get("controller") {
        match strings(c) {
            Some(list) if list.iter().all(|d| is_did(d)) => {}
            _ => p.push("controller must be a DID or a set of DIDs".into()),
        }
    }
    if let Some(a) = obj.get("alsoKnownAs") {
        if !a.as_array().is_some_and(|l| l.iter().all(|u| u.as_str().is_some_and(is_uri))) {
            p.push("alsoKnownAs must be a set of URIs".into());
        }
    }

    let mut ids: Vec<String> = Vec::new();
    let mut method_ids: Vec<String> = Vec::new();
    let check_method = |m: &Value, at: &str, p: &mut Vec<String>, ids: &mut Vec<String>| {
        let Some(m) = m.as_object() else {
            p.push(format!("{at} must be an object"));
            return;
        };
        match m.get("id").and_then(Value::as_str) {
            Some(mid) if is_did_url(mid) => {
                if ids.iter().any(|i| i == mid) {
                    p.push(format!("{at}.id {mid} is not unique"));
                }
                ids.push(mid.to_string());
            }
            _ => p.push(format!("{at}.id is required and must be a DID URL")),
        }
        if !m.get("type").is_some_and(Value::is_string) {
            p.push(format!("{at}.type is required and must be a string"));
        }
        if !m.get("controller").and_then(Value::as_str).is_some_and(is_did) {
            p.push(format!("{at}.controller is required and must be a DID"));
        }
        let materials = ["publicKeyJwk", "publicKeyMultibase"].iter().filter(|k| m.contains_key(**k)).count();
        if materials != 1 {
            p.push(format!("{at} must carry exactly one of publicKeyJwk and publicKeyMultibase"));
        }
        if let Some(jwk) = m.get("publicKeyJwk") {
            if !jwk.get("kty").is_some_and(Value::is_string) {
                p.push(format!("{at}.publicKeyJwk needs kty"));
            }
            if jwk.get("d").is_some() {
                p.push(format!("{at}.publicKeyJwk must not contain private key material (d)"));
            }
        }
        if let Some(mb) = m.get("publicKeyMultibase") {
            let multibase = mb.as_str().unwrap_or_default();
            if multibase.len() < 2 {
                p.push(format!("{at}.publicKeyMultibase must be a multibase string"));
            }
        }
    };
    if let Some(vms) = obj.get("verificationMethod") {
        match vms.as_array() {
            Some(list) => {
                for (i, m) in list.iter().enumerate() {
                    check_method(m, &format!("verificationMethod[{i}]"), &mut p, &mut ids);
                }
                method_ids = ids.clone();
            }
            None => p.push("verificationMethod must be a set".into()),
        }
    }
    for rel in RELATIONSHIPS {
        let Some(v) = obj.get(rel) else { continue };
        let Some(list) = v.as_array() else {
            p.push(format!("{rel} must be a set"));
            continue;
        };
        for (i, entry) in list.iter().enumerate() {
            match entry {
                Value::String(r) => {
                    let own = r.split('#').next() == Some(id);
                    if !is_did_url(r) {
                        p.push(format!("{rel}[{i}] must be a DID URL"));
                    } else if own && !method_ids.iter().any(|m| m == r) {
                        p.push(format!("{rel}[{i}] {r} references no verificationMethod of the document"));
                    }
                }
                Value::Object(_) => check_method(entry, &format!("{rel}[{i}]"), &mut p, &mut ids),
                _ => p.push(format!("{rel}[{i}] must be a reference or an embedded verification method")),
            }
        }
    }
    if let Some(services) = obj.get("service") {
        let Some(list) = services.as_array() else { return [p, vec!["service must be a set".into()]].concat() };
        for (i, s) in list.iter().enumerate() {
            match s.get("id").and_then(Value::as_str) {
                Some(sid) if is_uri(sid) => {
                    if ids.iter().any(|x| x == sid) {
                        p.push(format!("service[{i}].id {sid} is not unique"));
                    }
                    ids.push(sid.to_string());
                }
                _ => p.push(format!("service[{i}].id is required and must be a URI")),
            }
            let types = s.get("type").and_then(strings).unwrap_or_default();
            if types.is_empty() {
                p.push(format!("service[{i}].type must be a string or a set of strings"));
            }
            let endpoint_ok = match s.get("serviceEndpoint") {
                Some(Value::String(u)) => is_uri(u),
                Some(Value::Object(_)) => true,
                Some(Value::Array(a)) => !a.is_empty() && a.iter().all(|e| e.as_str().map_or(e.is_object(), is_uri)),
                _ => false,
            };
            if !endpoint_ok {
                p.push(format!("service[{i}].serviceEndpoint must be a URI, a map, or a set of them"));
            }
        }
    }
    p
}

/// Problems with DID document metadata (DID Core 7.3).
pub fn metadata_problems(meta: &Value) -> Vec<String> {
    let mut p = Vec::new();
    for key in ["created", "updated", "nextUpdate"] {
        if let Some(v) = meta.get(key) {
            if !v.as_str().is_some_and(is_utc_datetime) {
                p.push(format!("{key} must be an XML datetime in UTC without fractions, e.g. 2026-01-01T00:00:00Z"));
            }
        }
    }
    for key in ["versionId", "nextVersionId"] {
        if let Some(v) = meta.get(key) {
            if !v.is_string() {
                p.push(format!("{key} must be a string"));
            }
        }
    }
    if meta.get("deactivated").is_some_and(|v| !v.is_boolean()) {
        p.push("deactivated must be a boolean".into());
    }
    p
}

/// Problems with a whole DID Resolution result.
pub fn resolution_problems(result: &Value) -> Vec<String> {
    let mut p = Vec::new();
    if result.get("@context").and_then(Value::as_str) != Some(RESOLUTION_CONTEXT) {
        p.push(format!("@context of the resolution result must be {RESOLUTION_CONTEXT}"));
    }
    let Some(meta) = result.get("didResolutionMetadata") else {
        return [p, vec!["didResolutionMetadata is required".into()]].concat();
    };
    if meta.get("error").is_none() {
        let doc = result.get("didDocument").unwrap_or(&Value::Null);
        // `resolve` names no contentType (DID Resolution keeps it for resolveRepresentation);
        // when one is named, the document must be in that representation.
        match meta.get("contentType").map(Value::as_str) {
            None | Some(Some(DID_LD_JSON)) => p.extend(document_problems(doc)),
            Some(Some(DID_JSON)) => {
                if doc.get("@context").is_some() {
                    p.push("an application/did+json document has no @context (DID Core 6.2)".into());
                }
                // The same rules as the JSON-LD form, less its context.
                let mut with_context = doc.clone();
                if let Some(o) = with_context.as_object_mut() {
                    o.insert("@context".into(), DID_CONTEXT.into());
                }
                p.extend(document_problems(&with_context));
            }
            Some(_) => {
                p.push(format!("didResolutionMetadata.contentType must be one of {}", REPRESENTATIONS.join(", ")))
            }
        }
    }
    p.extend(metadata_problems(result.get("didDocumentMetadata").unwrap_or(&Value::Null)));
    p
}
