//! What import refuses rather than drops: each case names the element's path and the fix.

use serde_json::{json, Value};

use super::*;

/// Imports `name` after `edit`, expecting an error at `path` whose message has `says`.
fn refused(name: &str, edit: impl FnOnce(&mut Value), path: &str, says: &str) {
    let mut v = fixture(name);
    edit(&mut v);
    match import_consent(&v, &refs(), &key()) {
        Ok(_) => panic!("{name}: expected a refusal at {path}"),
        Err(e) => {
            assert_eq!(e.path, path, "{name}: {e}");
            assert!(e.message.contains(says), "{name}: `{}` does not say `{says}`", e.message);
        }
    }
}

fn set(pointer: &str, value: Value) -> impl FnOnce(&mut Value) {
    let pointer = pointer.to_string();
    move |v: &mut Value| {
        let (parent, key) = pointer.rsplit_once('/').unwrap();
        let target = v.pointer_mut(parent).unwrap_or_else(|| panic!("no {parent}"));
        match target {
            Value::Object(m) => {
                m.insert(key.to_string(), value);
            }
            Value::Array(a) => match key.parse::<usize>().unwrap() {
                i if i == a.len() => a.push(value),
                i => a[i] = value,
            },
            _ => panic!("{parent} is not a container"),
        }
    }
}

fn remove(pointer: &str) -> impl FnOnce(&mut Value) {
    let pointer = pointer.to_string();
    move |v: &mut Value| {
        let (parent, key) = pointer.rsplit_once('/').unwrap();
        v.pointer_mut(parent).unwrap().as_object_mut().unwrap().remove(key);
    }
}

#[test]
fn inactive_consents_are_refused_with_the_way_to_revoke() {
    for name in INACTIVE_FIXTURES {
        refused(name, |_| {}, "Consent.status", "revoke");
    }
    for status in ["proposed", "rejected", "entered-in-error"] {
        refused("opt-in-r4.json", set("/status", json!(status)), "Consent.status", "only draft and active");
    }
    for status in ["not-done", "unknown"] {
        refused("opt-out-r5.json", set("/status", json!(status)), "Consent.status", "only draft and active");
    }
}

#[test]
fn identifying_elements_are_refused_with_the_advice_to_remove_them() {
    let narrative =
        json!({ "status": "generated", "div": "<div xmlns=\"http://www.w3.org/1999/xhtml\">Alice Smith</div>" });
    refused("opt-in-r4.json", set("/text", narrative.clone()), "Consent.text", "remove it");
    refused("opt-out-r5.json", set("/text", narrative), "Consent.text", "remove it");
    let id = json!([{ "system": "http://hospital.example/consents", "value": "C-123" }]);
    refused("opt-in-r4.json", set("/identifier", id.clone()), "Consent.identifier", "identify");
    refused("opt-out-r5.json", set("/identifier", id), "Consent.identifier", "identify");
    refused(
        "opt-in-r4.json",
        set("/patient", json!({ "reference": "Patient/alice", "display": "Alice Smith" })),
        "Consent.patient.display",
        "remove it",
    );
    refused(
        "restricted-labels-r5.json",
        set("/provision/0/code/0/text", json!("HIV test")),
        "Consent.provision[0].code[0].text",
        "free text",
    );
}

#[test]
fn extensions_and_unknown_elements_are_refused() {
    let ext = json!([{ "url": "http://example.org/ext", "valueString": "x" }]);
    refused("opt-in-r4.json", set("/extension", ext.clone()), "Consent.extension", "extensions");
    refused(
        "denied-practitioner-r4.json",
        set("/provision/provision/0/modifierExtension", ext.clone()),
        "Consent.provision.provision[0].modifierExtension",
        "modifier extension",
    );
    refused("opt-out-r5.json", set("/_status", json!({ "extension": ext })), "Consent._status", "primitive");
    refused("opt-out-r5.json", set("/provision/0/foo", json!(1)), "Consent.provision[0].foo", "remove it");
    refused("opt-out-r5.json", set("/meta", json!({ "versionId": "3" })), "Consent.meta", "remove it");
    refused("opt-out-r5.json", set("/provision/0/id", json!("p1")), "Consent.provision[0].id", "element ids");
    refused("opt-out-r5.json", set("/provision/0/actor", json!([])), "Consent.provision[0].actor", "empty arrays");
}

#[test]
fn what_the_chain_cannot_evaluate_is_refused() {
    let org = json!([{ "reference": "Organization/st-mary" }]);
    refused("opt-in-r4.json", set("/organization", org.clone()), "Consent.organization", "custodian");
    refused(
        "opt-in-r4.json",
        set("/policy", json!([{ "uri": "http://example.org/policy" }])),
        "Consent.policy",
        "policies",
    );
    refused(
        "opt-in-r4.json",
        set("/sourceAttachment", json!({ "title": "signed form" })),
        "Consent.sourceAttachment",
        "remove it",
    );
    refused("opt-in-r4.json", set("/verification", json!([{ "verified": true }])), "Consent.verification", "remove");
    refused("opt-out-r5.json", set("/controller", org.clone()), "Consent.controller", "remove it");
    refused("opt-out-r5.json", set("/manager", org.clone()), "Consent.manager", "remove it");
    refused("opt-out-r5.json", set("/grantee", org), "Consent.grantee", "actors");
    refused(
        "opt-out-r5.json",
        set("/policyBasis", json!({ "uri": "http://example.org/p" })),
        "Consent.policyBasis",
        "provisions",
    );
    refused(
        "opt-out-r5.json",
        set("/regulatoryBasis", json!([{ "coding": [{ "system": "http://example.org", "code": "hipaa" }] }])),
        "Consent.regulatoryBasis",
        "provisions",
    );
    refused(
        "opt-out-r5.json",
        set("/provision/0/expression", json!({ "language": "text/fhirpath", "expression": "true" })),
        "Consent.provision[0].expression",
        "codes",
    );
    refused(
        "restricted-labels-r5.json",
        set("/provision/0/provision/0/data/0/meaning", json!("related")),
        "Consent.provision[0].provision[0].data[0].meaning",
        "instance",
    );
    refused(
        "opt-in-r4.json",
        set("/policyRule", json!({ "coding": [{ "system": "http://example.org/policies", "code": "hipaa-auth" }] })),
        "Consent.policyRule.coding[0]",
        "OPTIN",
    );
    refused(
        "opt-in-r4.json",
        set(
            "/scope",
            json!({ "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/consentscope", "code": "adr" }] }),
        ),
        "Consent.scope.coding[0]",
        "treatment, research or patient-privacy",
    );
    refused(
        "opt-in-r4.json",
        set("/category/0/coding/0", json!({ "system": "http://loinc.org", "code": "64292-6" })),
        "Consent.category[0].coding[0]",
        "59284-0",
    );
    refused("opt-out-r5.json", remove("/category"), "Consent.category", "scope");
    refused(
        "opt-in-r4.json",
        set("/performer", json!([{ "reference": "Patient/alice" }, { "reference": "RelatedPerson/erin" }])),
        "Consent.performer",
        "one grantor",
    );
}

#[test]
fn decisions_must_alternate_and_the_r4_root_is_the_base_decision() {
    refused(
        "denied-practitioner-r4.json",
        set("/provision/provision/0/type", json!("permit")),
        "Consent.provision.provision[0].type",
        "exception",
    );
    refused(
        "denied-practitioner-r4.json",
        remove("/provision/provision/0/type"),
        "Consent.provision.provision[0].type",
        "required",
    );
    refused("opt-in-r4.json", set("/policyRule/coding/0/code", json!("OPTOUT")), "Consent.policyRule", "agree");
    refused(
        "opt-in-r4.json",
        set(
            "/provision/actor",
            json!([{ "role": { "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "code": "IRCP" }] }, "reference": { "reference": "Practitioner/carol" } }]),
        ),
        "Consent.provision.actor",
        "opposite type",
    );
    refused("opt-out-r5.json", set("/provision/0/type", json!("permit")), "Consent.provision[0].type", "no type");
    refused("opt-out-r5.json", remove("/decision"), "Consent.decision", "required");
    // Without a root type the R4 policy rule says the base decision; without either, refused.
    let mut v = fixture("opt-in-r4.json");
    v["provision"].as_object_mut().unwrap().remove("type");
    assert_eq!(import_consent(&v, &refs(), &key()).unwrap().terms, import("opt-in-r4.json").terms);
    v.as_object_mut().unwrap().remove("policyRule");
    assert_eq!(import_consent(&v, &refs(), &key()).unwrap_err().path, "Consent.provision.type");
}

#[test]
fn references_must_be_mapped_and_name_the_map_file() {
    refused(
        "opt-in-r4.json",
        set("/patient", json!({ "reference": "Patient/zoe" })),
        "Consent.patient.reference",
        "`Patient/zoe` is not in tests/fhir/fixtures/refs.json",
    );
    refused(
        "opt-out-r5.json",
        set("/provision/0/actor/0/reference", json!({ "reference": "DocumentReference/discharge-2024" })),
        "Consent.provision[0].actor[0].reference.reference",
        "not a reference to a party",
    );
    refused(
        "opt-out-r5.json",
        set("/subject", json!({ "reference": "https://ehr.example/fhir/Patient/bob" })),
        "Consent.subject.reference",
        "Type/id",
    );
    refused(
        "opt-out-r5.json",
        set("/subject", json!({ "identifier": { "system": "http://hospital.example/mrn", "value": "12345" } })),
        "Consent.subject.identifier",
        "does not name a DID",
    );
    refused(
        "opt-out-r5.json",
        set("/subject", json!({ "identifier": { "system": "urn:ietf:rfc:3986", "value": "did:example:123" } })),
        "Consent.subject.identifier",
        "did:salus",
    );
    refused(
        "restricted-labels-r5.json",
        set("/provision/0/provision/0/data/0/reference", json!({ "reference": "DocumentReference/unknown" })),
        "Consent.provision[0].provision[0].data[0].reference.reference",
        "DocumentReference/unknown",
    );
    refused(
        "restricted-labels-r5.json",
        set(
            "/provision/0/provision/0/data/0/reference",
            json!({ "identifier": { "system": "urn:salus:record", "value": "0" } }),
        ),
        "Consent.provision[0].provision[0].data[0].reference.identifier",
        "record id",
    );
    // A DID by identifier needs no map.
    let mut v = fixture("opt-out-r5.json");
    v["subject"] = json!({ "identifier": { "system": "urn:ietf:rfc:3986", "value": did("Patient/bob").as_str() } });
    assert_eq!(import_consent(&v, &refs(), &key()).unwrap().terms, import("opt-out-r5.json").terms);
}

#[test]
fn codes_outside_the_closed_vocabularies_are_refused() {
    refused(
        "opt-out-r5.json",
        set("/provision/0/purpose/0/code", json!("SHOPPING")),
        "Consent.provision[0].purpose[0]",
        "PurposeOfUse",
    );
    refused(
        "opt-out-r5.json",
        set("/provision/0/purpose/0/system", json!("https://salus.health/fhir/CodeSystem/purpose-of-use")),
        "Consent.provision[0].purpose[0]",
        "not one the chain knows",
    );
    refused(
        "opt-out-r5.json",
        set("/provision/0/action/0/coding/0/code", json!("delete")),
        "Consent.provision[0].action[0]",
        "access, collect, use, disclose or correct",
    );
    refused(
        "restricted-labels-r4.json",
        set("/provision/provision/0/securityLabel/0/code", json!("X")),
        "Consent.provision.provision[0].securityLabel[0]",
        "Confidentiality",
    );
    refused(
        "research-only-r4.json",
        set("/provision/provision/0/actor/0/role/coding/0/code", json!("AUT")),
        "Consent.provision.provision[0].actor[0].role",
        "participation",
    );
    refused(
        "research-only-r4.json",
        remove("/provision/provision/0/class/0/system"),
        "Consent.provision.provision[0].class[0].system",
        "required",
    );
    refused(
        "restricted-labels-r5.json",
        set("/provision/0/securityLabel/1", json!({ "system": "urn:salus:commitment", "code": "abcd" })),
        "Consent.provision[0].securityLabel[1]",
        "64 hex",
    );
    refused(
        "opt-out-r5.json",
        set(
            "/provision/0/purpose/1",
            json!({ "system": "http://terminology.hl7.org/CodeSystem/v3-ActReason", "code": "ETREAT" }),
        ),
        "Consent.provision[0].purpose[1]",
        "repeats",
    );
}

#[test]
fn vague_dates_are_refused_and_full_dates_accepted() {
    refused(
        "opt-in-r4.json",
        set("/provision/period/start", json!("2024")),
        "Consent.provision.period.start",
        "too vague",
    );
    refused(
        "opt-in-r4.json",
        set("/provision/period/end", json!("2030-12")),
        "Consent.provision.period.end",
        "too vague",
    );
    refused("opt-out-r5.json", set("/period/start", json!("2024-03-01T00:00:00")), "Consent.period.start", "zone");
    refused(
        "opt-in-r4.json",
        set("/provision/period", json!({ "start": "2031-01-01", "end": "2030-12-31" })),
        "Consent.provision.period",
        "ends before it starts",
    );
    refused("opt-out-r5.json", set("/date", json!("2024-03")), "Consent.date", "full date");
    refused("opt-in-r4.json", set("/dateTime", json!("yesterday")), "Consent.dateTime", "dateTime");
}

#[test]
fn versions_are_told_apart_and_never_mixed() {
    refused("opt-in-r4.json", set("/decision", json!("permit")), "Consent", "mixes FHIR R4");
    refused("opt-in-r4.json", set("/resourceType", json!("Patient")), "Consent.resourceType", "only a Consent");
    let e = import_consent(&json!({ "resourceType": "Consent", "status": "active" }), &refs(), &key()).unwrap_err();
    assert_eq!(e.path, "Consent");
    // A provision array is R5's: without a decision, R5's rules speak.
    let mut v = fixture("denied-practitioner-r5.json");
    for k in ["decision", "date", "grantor", "subject"] {
        v.as_object_mut().unwrap().remove(k);
    }
    assert_eq!(import_consent(&v, &refs(), &key()).unwrap_err().path, "Consent.subject");
    let e = import_consent(&json!([1]), &refs(), &key()).unwrap_err();
    assert!(e.message.contains("object"), "{e}");
}

#[test]
fn deeply_nested_json_is_refused_without_overflowing() {
    let mut v = json!({});
    for _ in 0..100 {
        v = json!({ "provision": [v] });
    }
    let mut c = fixture("opt-out-r5.json");
    c["provision"] = json!([v]);
    let e = import_consent(&c, &refs(), &key()).unwrap_err();
    assert!(e.message.contains("deeper"), "{e}");
    // Deeper than provisions nest on chain, but shallow JSON: refused by the provision bound.
    let mut p =
        json!({ "purpose": [{ "system": "http://terminology.hl7.org/CodeSystem/v3-ActReason", "code": "TREAT" }] });
    for _ in 0..20 {
        p = json!({ "purpose": [{ "system": "http://terminology.hl7.org/CodeSystem/v3-ActReason", "code": "TREAT" }], "provision": [p] });
    }
    c["provision"] = json!([p]);
    let e = import_consent(&c, &refs(), &key()).unwrap_err();
    assert!(e.message.contains("nest"), "{e}");
}
