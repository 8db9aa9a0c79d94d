//! Consent end to end on a real chain, through the CLI only: a patient anchors an encrypted record
//! held by a hospital and grants a clinic access for treatment; the clinic's access is permitted,
//! granted and logged; the patient revokes; the clinic's next access is refused and logged too.
//! The consent and the audit log export as FHIR that maintained FHIR tooling validates, and a
//! hospital's FHIR consent imports onto the chain and decides as it says.

use std::path::{Path, PathBuf};
use std::process::Command;

use salus_e2e::{repo_root, Node};
use serde_json::{json, Value};

const CHAIN: &str = "salus-e2e-consent";
const HIV_TEST: &str = "75622-1";

fn json_of(node: &Node, args: &[&str]) -> Value {
    let mut full = args.to_vec();
    full.extend(["--output", "json"]);
    node.ok(&full).unwrap().json()
}

/// A tx as `--as <did> --key <key>`, paid by demo; its committed result.
fn tx(node: &Node, args: &[&str]) -> Value {
    let mut full = args.to_vec();
    full.extend(["--from", "demo", "--yes", "--output", "json"]);
    let r = node.cli(&full).unwrap();
    let v: Value = serde_json::from_str(&r.stdout)
        .unwrap_or_else(|_| panic!("salusd {}:\n{}\n{}", full.join(" "), r.stdout, r.stderr));
    assert_eq!(v["code"], 0, "salusd {}: {v:#}", full.join(" "));
    v
}

fn attr(result: &Value, kind: &str, key: &str) -> String {
    let events = result["events"].as_array().expect("events");
    let e = events.iter().find(|e| e["type"] == kind).unwrap_or_else(|| panic!("no {kind} event in {result:#}"));
    let a = e["attributes"].as_array().unwrap().iter().find(|a| a["key"] == key).expect("attribute");
    a["value"].as_str().unwrap().to_string()
}

fn did_of(node: &Node, name: &str) -> String {
    json_of(node, &["keys", "show", name])["did"].as_str().unwrap().to_string()
}

/// The FHIR validator's python (scripts/install.sh installs it; a missing one fails the test).
fn fhir_python() -> PathBuf {
    let venv = std::env::var_os("SALUS_FHIR_VENV").map(PathBuf::from).unwrap_or_else(|| {
        let cache = std::env::var_os("XDG_CACHE_HOME")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").expect("HOME")).join(".cache"));
        cache.join("salus/python-fhir-8.3.0")
    });
    let python = venv.join("bin/python");
    assert!(python.exists(), "the FHIR validator is not installed in {}: run scripts/install.sh", venv.display());
    python
}

fn validate(version: &str, file: &Path) {
    let out = Command::new(fhir_python())
        .arg(repo_root().join("tests/fhir/validate.py"))
        .arg(version)
        .arg(file)
        .output()
        .unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{} does not validate as FHIR {version}:\n{text}", file.display());
}

/// `salusd fhir export ...` written to `dir/name`.
fn export(node: &Node, dir: &Path, name: &str, args: &[&str]) -> (PathBuf, Value) {
    let mut full = vec!["fhir", "export"];
    full.extend(args);
    let out = node.ok(&full).unwrap();
    let v: Value = serde_json::from_str(&out.stdout).unwrap_or_else(|_| panic!("not JSON: {}", out.stdout));
    let path = dir.join(name);
    std::fs::write(&path, &out.stdout).unwrap();
    (path, v)
}

fn audit_outcomes(node: &Node, patient: &str) -> Vec<String> {
    let log = json_of(node, &["query", "consent", "audit", "--subject", patient]);
    log["events"].as_array().unwrap().iter().map(|e| e["outcome"].as_str().unwrap().to_string()).collect()
}

#[test]
fn a_patient_grants_a_clinic_then_revokes_and_every_access_is_logged() {
    let node = Node::start_single(CHAIN).unwrap();
    for name in ["patient", "clinic", "hospital"] {
        node.ok(&["keys", "add", name, "--algo", "ed25519"]).unwrap();
        tx(&node, &["tx", "did", "create", "--key", name]);
    }
    let (patient, clinic, hospital) = (did_of(&node, "patient"), did_of(&node, "clinic"), did_of(&node, "hospital"));
    let dir = node.dir.path();
    let key_file = dir.join("commitment.key");
    std::fs::write(&key_file, "11".repeat(32)).unwrap();
    let key = key_file.to_str().unwrap();

    // The patient anchors a record the hospital holds; its category goes on chain as a commitment.
    let anchored = tx(
        &node,
        &[
            "tx",
            "records",
            "anchor",
            "--owner",
            &patient,
            "--custodian",
            &hospital,
            "--content-hash",
            "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy",
            "--size",
            "2048",
            "--locator",
            "vault://hospital/objects/1f3a",
            "--algorithm",
            "AES-256-GCM",
            "--key-id",
            "dek-1",
            "--category",
            &format!("http://loinc.org|{HIV_TEST}"),
            "--confidentiality",
            "N",
            "--commitment-key",
            key,
            "--as",
            &patient,
            "--key",
            "patient",
        ],
    );
    let record = attr(&anchored, "record_anchored", "id");
    assert!(!anchored.to_string().contains(HIV_TEST), "a category code reached the events: {anchored:#}");
    let stored = json_of(&node, &["query", "records", "record", &record]);
    assert!(!stored.to_string().contains(HIV_TEST), "{stored:#}");

    // The patient grants the clinic access for treatment (base deny, one permit).
    let terms = json!({
        "subject": patient, "status": "active", "scope": "treatment", "decision": "deny",
        "provisions": [{"decision": "permit", "actors": [{"reference": clinic}],
                        "actions": ["access"], "purposes": ["TREAT"]}]
    });
    let terms_file = dir.join("terms.json");
    std::fs::write(&terms_file, terms.to_string()).unwrap();
    let created = tx(
        &node,
        &["tx", "consent", "create", "--file", terms_file.to_str().unwrap(), "--as", &patient, "--key", "patient"],
    );
    let consent = attr(&created, "consent_created", "id");

    // The clinic's access is permitted, granted and logged.
    let access = ["tx", "consent", "access", "--record", &record, "--action", "access", "--purpose", "TREAT"];
    let permitted = tx(&node, &[&access[..], &["--as", &clinic, "--key", "clinic"]].concat());
    assert_eq!(attr(&permitted, "access_decided", "outcome"), "permit");
    assert_eq!(attr(&permitted, "access_decided", "consent_id"), consent);
    let grant = json_of(&node, &["query", "consent", "access-grant", "--requester", &clinic, "--record", &record]);
    assert!(!grant["grant"].is_null(), "{grant:#}");
    let decided = json_of(
        &node,
        &[
            "query",
            "consent",
            "decide",
            "--requester",
            &clinic,
            "--record",
            &record,
            "--action",
            "access",
            "--purpose",
            "TREAT",
        ],
    );
    assert_eq!(decided["decision"], "permit", "{decided:#}");
    assert_eq!(audit_outcomes(&node, &patient), ["permit"]);

    // Exports of the consent validate as FHIR R4 and R5.
    let (r4, r4_json) = export(&node, dir, "consent-r4.json", &["consent", &consent]);
    validate("r4", &r4);
    assert_eq!(r4_json["resourceType"], "Consent");
    let (r5, _) = export(&node, dir, "consent-r5.json", &["consent", &consent, "--r5"]);
    validate("r5", &r5);

    // The patient revokes; the clinic's next access is refused, and logged.
    tx(&node, &["tx", "consent", "revoke", &consent, "--as", &patient, "--key", "patient"]);
    let shown = json_of(&node, &["query", "consent", "consent", &consent]);
    assert_eq!(shown["consent"]["terms"]["status"], "inactive", "{shown:#}");
    let refused = tx(&node, &[&access[..], &["--as", &clinic, "--key", "clinic"]].concat());
    assert_eq!(attr(&refused, "access_decided", "outcome"), "no-consent");
    assert_eq!(audit_outcomes(&node, &patient), ["permit", "no-consent"]);

    // The audit log exports as an R4 Bundle of AuditEvents that validates.
    let (bundle, bundle_json) = export(&node, dir, "audit.json", &["audit", "--subject", &patient]);
    validate("r4", &bundle);
    assert_eq!(bundle_json["entry"].as_array().map(Vec::len), Some(2), "{bundle_json:#}");

    // A hospital's FHIR R4 opt-in consent imports (its references mapped to DIDs) and permits.
    let map = dir.join("refs.json");
    std::fs::write(&map, json!({"Patient/alice": patient, "RelatedPerson/erin": patient}).to_string()).unwrap();
    let fixture = repo_root().join("tests/fhir/fixtures/opt-in-r4.json");
    let mut import = vec!["fhir", "import", "consent", fixture.to_str().unwrap(), "--map", map.to_str().unwrap()];
    import.extend(["--commitment-key", key, "--as", &patient, "--key", "patient"]);
    let imported = tx(&node, &import);
    let id = attr(&imported, "consent_created", "id");
    let decided = json_of(
        &node,
        &[
            "query",
            "consent",
            "decide",
            "--requester",
            &hospital,
            "--record",
            &record,
            "--action",
            "access",
            "--purpose",
            "TREAT",
        ],
    );
    assert_eq!(
        (decided["decision"].as_str(), decided["consent_id"].as_str()),
        (Some("permit"), Some(id.as_str())),
        "{decided:#}"
    );
    let (back, _) = export(&node, dir, "imported-r4.json", &["consent", &id]);
    validate("r4", &back);
}
