//! Exports checked by maintained FHIR tooling: tests/fhir/validate.py parses every resource with
//! the fhir.resources models (R4B for R4, R5) and validates R4 against the official FHIR R4 JSON
//! schema. scripts/install.sh installs both; without them these tests fail, never skip.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{json, Value};

use super::*;
use crate::audit::pseudonym;
use crate::fhir::{export_audit_bundle, export_consent_r4, export_consent_r5, AuditSource, Vocabulary};
use crate::types::{Action, AuditEvent, Confidentiality, Obligation, Outcome, Purpose};

/// What scripts/install.sh installs (its FHIR_RESOURCES_VERSION).
const FHIR_RESOURCES_VERSION: &str = "8.3.0";

/// The validator venv's python, as scripts/install.sh lays it out.
fn venv_python() -> PathBuf {
    let venv = match std::env::var_os("SALUS_FHIR_VENV") {
        Some(v) => PathBuf::from(v),
        None => {
            let cache = std::env::var_os("XDG_CACHE_HOME")
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
                .expect("neither XDG_CACHE_HOME nor HOME is set: cannot find the FHIR validator");
            cache.join(format!("salus/python-fhir-{FHIR_RESOURCES_VERSION}"))
        }
    };
    let python = venv.join("bin/python");
    assert!(
        python.exists() && venv.join(".salus-installed").exists(),
        "the FHIR validator (fhir.resources {FHIR_RESOURCES_VERSION} and the FHIR R4 JSON schema) is not installed in {}: run scripts/install.sh",
        venv.display()
    );
    python
}

/// Runs tests/fhir/validate.py; (success, its output).
fn validate(version: &str, files: &[PathBuf]) -> (bool, String) {
    let out = Command::new(venv_python())
        .arg(fhir_dir().join("validate.py"))
        .arg(version)
        .args(files)
        .output()
        .expect("run tests/fhir/validate.py");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

fn write(dir: &Path, name: &str, v: &Value) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string_pretty(v).unwrap()).unwrap();
    path
}

/// A subject's audit log: a permit with an obligation, a deny, a no-consent, an AI computation.
fn audit_events() -> Vec<AuditEvent> {
    let alice = did("Patient/alice");
    let base = AuditEvent {
        id: 1,
        requester: did("Practitioner/carol"),
        custodian: did("Organization/st-mary"),
        subject: pseudonym(&alice),
        record: 17,
        action: Action::Access,
        purpose: Purpose::parse("TREAT").unwrap(),
        outcome: Outcome::Permit,
        consent: Some((1, 1)),
        path: vec![],
        obligations: vec![Obligation {
            confidentiality: vec![Confidentiality::R],
            sensitivity: vec![key().commit("http://terminology.hl7.org/CodeSystem/v3-ActCode", "HIV")],
            classes: vec![],
            codes: vec![],
            consent_id: 1,
            consent_version: 1,
            path: vec![0],
        }],
        time: at("2025-06-01T08:00:00Z"),
        height: 20,
    };
    vec![
        base.clone(),
        AuditEvent {
            id: 2,
            requester: did("Practitioner/dave"),
            outcome: Outcome::Deny,
            consent: Some((2, 1)),
            path: vec![0],
            obligations: vec![],
            time: at("2025-06-01T08:05:00.5Z"),
            ..base.clone()
        },
        AuditEvent {
            id: 3,
            requester: did("Organization/research-institute"),
            action: Action::Use,
            purpose: Purpose::parse("HRESCH").unwrap(),
            outcome: Outcome::NoConsent,
            consent: None,
            obligations: vec![],
            ..base.clone()
        },
        AuditEvent {
            id: 4,
            requester: did("Device/ai-model"),
            action: Action::Compute,
            purpose: Purpose::parse("ai-training").unwrap(),
            obligations: vec![],
            ..base
        },
    ]
}

fn bundle() -> Value {
    export_audit_bundle(&audit_events(), &did("Patient/alice"), &AuditSource { chain_id: "salus-test-1".into() })
        .unwrap()
}

#[test]
fn install_sh_and_requirements_pin_the_version_the_tests_look_for() {
    let install = std::fs::read_to_string(fhir_dir().join("../../scripts/install.sh")).unwrap();
    assert!(install.contains(&format!("FHIR_RESOURCES_VERSION=\"{FHIR_RESOURCES_VERSION}\"")));
    let req = std::fs::read_to_string(fhir_dir().join("requirements.txt")).unwrap();
    assert!(req.lines().any(|l| l == format!("fhir.resources=={FHIR_RESOURCES_VERSION}")));
}

#[test]
fn every_export_and_every_fixture_is_valid_fhir() {
    let dir = tempfile::tempdir().unwrap();
    let (mut r4, mut r5) = (vec![], vec![]);
    for (n, name) in ACTIVE_FIXTURES.iter().chain(INACTIVE_FIXTURES).enumerate() {
        let as_given = fixture(name);
        let file = write(dir.path(), &format!("fixture-{name}"), &as_given);
        if name.ends_with("-r4.json") { &mut r4 } else { &mut r5 }.push(file);
        if INACTIVE_FIXTURES.contains(name) {
            continue;
        }
        let c = on_chain(name, n as u64 + 1);
        let vocab = Vocabulary::new(&key(), &import(name).vocabulary);
        for (tag, vocab) in [("vocab", &vocab), ("commitments", &Vocabulary::none())] {
            let stem = name.trim_end_matches(".json");
            r4.push(write(dir.path(), &format!("{stem}-{tag}.r4.json"), &export_consent_r4(&c, vocab).unwrap()));
            r5.push(write(dir.path(), &format!("{stem}-{tag}.r5.json"), &export_consent_r5(&c, vocab).unwrap()));
        }
    }
    r4.push(write(dir.path(), "audit-bundle.r4.json", &bundle()));
    let empty =
        export_audit_bundle(&[], &did("Patient/bob"), &AuditSource { chain_id: "salus-test-1".into() }).unwrap();
    r4.push(write(dir.path(), "audit-bundle-empty.r4.json", &empty));
    for (version, files) in [("r4", &r4), ("r5", &r5)] {
        let (ok, out) = validate(version, files);
        assert!(ok, "tests/fhir/validate.py {version} refused an export:\n{out}");
        assert!(out.contains(&format!("{} valid, 0 invalid", files.len())), "{out}");
    }
}

#[test]
fn the_validator_rejects_broken_resources() {
    let dir = tempfile::tempdir().unwrap();
    let c = on_chain("denied-practitioner-r4.json", 1);
    let mut bad_type = export_consent_r4(&c, &Vocabulary::none()).unwrap();
    bad_type["provision"]["provision"][0]["type"] = json!("maybe");
    let mut bad_status = export_consent_r4(&c, &Vocabulary::none()).unwrap();
    bad_status["status"] = json!("revoked");
    let mut bad_date = export_consent_r4(&c, &Vocabulary::none()).unwrap();
    bad_date["dateTime"] = json!("2025-06-01T08:00:00");
    let mut bad_event = bundle();
    bad_event["entry"][0]["resource"]["outcome"] = json!("1");
    let mut no_source = bundle();
    no_source["entry"][1]["resource"].as_object_mut().unwrap().remove("source");
    for (name, v) in [
        ("bad-type.json", bad_type),
        ("bad-status.json", bad_status),
        ("bad-date.json", bad_date),
        ("bad-event.json", bad_event),
        ("no-source.json", no_source),
    ] {
        let (ok, out) = validate("r4", &[write(dir.path(), name, &v)]);
        assert!(!ok, "validate.py r4 accepted {name}:\n{out}");
    }
    let mut bad_actor = export_consent_r5(&c, &Vocabulary::none()).unwrap();
    bad_actor["provision"][0]["actor"][0]["reference"] = json!("Practitioner/dave");
    let mut unknown = export_consent_r5(&c, &Vocabulary::none()).unwrap();
    unknown["provision"][0]["type"] = json!("deny");
    for (name, v) in [("bad-actor.json", bad_actor), ("unknown.json", unknown)] {
        let (ok, out) = validate("r5", &[write(dir.path(), name, &v)]);
        assert!(!ok, "validate.py r5 accepted {name}:\n{out}");
    }
}

#[test]
fn the_audit_bundle_tells_who_asked_what_for_which_purpose_and_what_was_decided() {
    let b = bundle();
    assert_eq!(b["resourceType"], "Bundle");
    assert_eq!(b["type"], "collection");
    let entries = b["entry"].as_array().unwrap();
    assert_eq!(entries.len(), 4);
    let permit = &entries[0]["resource"];
    assert_eq!(entries[0]["fullUrl"], "urn:salus:audit:1");
    assert_eq!(permit["type"]["code"], "110110");
    assert_eq!(permit["action"], "R");
    assert_eq!(permit["subtype"][0]["code"], "access");
    assert_eq!(permit["recorded"], "2025-06-01T08:00:00Z");
    assert_eq!(permit["outcome"], "0");
    assert_eq!(permit["purposeOfEvent"][0]["coding"][0]["code"], "TREAT");
    assert_eq!(permit["agent"][0]["requestor"], true);
    assert_eq!(permit["agent"][0]["who"]["identifier"]["value"], did("Practitioner/carol").as_str());
    assert_eq!(permit["agent"][1]["requestor"], false);
    assert_eq!(permit["agent"][1]["who"]["identifier"]["value"], did("Organization/st-mary").as_str());
    assert_eq!(permit["source"]["observer"]["identifier"]["value"], "salus-test-1");
    assert_eq!(permit["entity"][0]["what"]["identifier"]["value"], did("Patient/alice").as_str());
    assert_eq!(permit["entity"][1]["what"]["identifier"], json!({ "system": "urn:salus:record", "value": "17" }));
    assert_eq!(permit["entity"][2]["what"]["identifier"], json!({ "system": "urn:salus:consent", "value": "1/1" }));
    assert!(permit["entity"][2]["detail"][1]["valueString"].as_str().unwrap().starts_with("redact"));
    let deny = &entries[1]["resource"];
    assert_eq!(deny["outcome"], "4");
    assert_eq!(deny["recorded"], "2025-06-01T08:05:00.5Z");
    assert_eq!(deny["entity"][2]["detail"][0]["valueString"], "0");
    let none = &entries[2]["resource"];
    assert_eq!(none["outcome"], "4");
    assert_eq!(none["entity"].as_array().unwrap().len(), 2);
    assert!(none["outcomeDesc"].as_str().unwrap().starts_with("no-consent"));
    let ai = &entries[3]["resource"];
    assert_eq!(ai["action"], "E");
    assert_eq!(ai["purposeOfEvent"][0]["coding"][0]["system"], "https://salus.health/fhir/CodeSystem/purpose-of-use");
    // Another subject's events are refused, not exported under this one.
    let e =
        export_audit_bundle(&audit_events(), &did("Patient/bob"), &AuditSource { chain_id: "x".into() }).unwrap_err();
    assert_eq!(e.path, "AuditEvent/1");
}
