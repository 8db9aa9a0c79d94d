//! DIDs end to end on a real chain, through the CLI: create (a funded account pays for a key
//! that holds no funds), resolve with DID Core metadata, add and rotate keys, sign and verify
//! data against the key the chain resolves (at the latest and at a past version), hand control
//! to another DID, deactivate. Every way an operation is refused is shown over the same RPC: the
//! ones the CLI cannot produce (it never signs a bad proof) go in as hand-built, correctly signed
//! transactions.

use salus_did::proof::{sign_bytes, Proof};
use salus_did::state::Operation;
use salus_did::{cli, Did, DidError, DidMsg};
use salus_e2e::Node;
use salus_node::client::{sign_tx, GasSetting, TxParams};
use salus_node::keyring::{AnyKey, Keyring};
use salus_proto::salus::did::v1 as pb;
use serde_json::Value;

const CHAIN: &str = "salus-e2e-did";

fn json(node: &Node, args: &[&str]) -> Value {
    let mut full = args.to_vec();
    full.extend(["--output", "json"]);
    node.ok(&full).unwrap().json()
}

fn tx(node: &Node, args: &[&str]) -> Value {
    let mut full = vec!["tx", "did"];
    full.extend(args);
    full.extend(["--yes", "--output", "json"]);
    let r = node.cli(&full).unwrap();
    serde_json::from_str(&r.stdout).unwrap_or_else(|_| panic!("salusd {}:\n{}\n{}", full.join(" "), r.stdout, r.stderr))
}

fn assert_ok(v: &Value) {
    assert_eq!(v["code"], 0, "{v:#}");
}

fn assert_refused(v: &Value, code: DidError) {
    assert_eq!((v["codespace"].as_str(), v["code"].as_u64()), (Some("did"), Some(code as u64)), "{v:#}");
}

fn resolve(node: &Node, did: &str, version: Option<u64>) -> Value {
    let v = version.map(|v| v.to_string());
    let mut args = vec!["query", "did", "resolve", did];
    if let Some(v) = &v {
        args.extend(["--version-id", v]);
    }
    let result = json(node, &args);
    let problems = salus_did::conformance::resolution_problems(&result);
    assert!(problems.is_empty(), "{did} does not conform to DID Core: {problems:?}\n{result:#}");
    result
}

fn key(node: &Node, name: &str) -> AnyKey {
    Keyring::open(node.home.join("keyring-test")).get_any(name).unwrap()
}

fn did_of(node: &Node, name: &str) -> String {
    json(node, &["keys", "show", name])["did"].as_str().unwrap().to_string()
}

/// Signs `msg` as the demo account and offers it to the node; returns CheckTx's answer.
fn broadcast(node: &Node, msg: &DidMsg) -> Value {
    let demo = Keyring::open(node.home.join("keyring-test")).get("demo").unwrap();
    let account = json(node, &["query", "account", &demo.address.to_string()]);
    let number: u64 = account["account_number"].as_str().unwrap().parse().unwrap();
    let sequence: u64 = account["sequence"].as_str().unwrap().parse().unwrap();
    let fee: salus_sdk::Coins = "1000usalus".parse().unwrap();
    let params = TxParams {
        chain_id: CHAIN.into(),
        gas: GasSetting::Fixed(400_000),
        fees: Some(fee.clone()),
        gas_prices: None,
        memo: String::new(),
        timeout_height: 0,
        account_number: Some(number),
        sequence: Some(sequence),
    };
    let bytes = sign_tx(&demo, vec![msg.to_any()], &params, 400_000, &fee, number, sequence);
    let hex = hex::encode(bytes);
    node.rpc(&format!("broadcast_tx_sync?tx=0x{hex}")).unwrap()
}

/// An update of `did` proved by `signer`'s key as `vm`, for `version`, on `chain_id`.
fn proved_update(
    node: &Node,
    signer: &str,
    vm: &str,
    document: pb::DidDocument,
    version: u64,
    chain_id: &str,
) -> DidMsg {
    let did = Did::parse("did", &document.id).unwrap();
    let hash = salus_did::document::hash_proto(&document);
    let signature = key(node, signer).sign(&sign_bytes(Operation::Update, chain_id, &did, version, Some(hash), vm));
    let demo = Keyring::open(node.home.join("keyring-test")).get("demo").unwrap();
    DidMsg::Update {
        signer: demo.address,
        document,
        version,
        proof: Proof { verification_method: vm.into(), signature },
    }
}

fn current_document(node: &Node, did: &str) -> (u64, pb::DidDocument) {
    use prost::Message;
    let req = pb::QueryResolveRequest { did: did.into(), version_id: 0 };
    let hex = hex::encode(req.encode_to_vec());
    let r = node.rpc(&format!("abci_query?path=%22/salus.did.v1.Query/Resolve%22&data=0x{hex}")).unwrap();
    let value = r["response"]["value"].as_str().unwrap();
    let bytes = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, value).unwrap();
    let resp = pb::QueryResolveResponse::decode(bytes.as_slice()).unwrap();
    (resp.did_document_metadata.unwrap().version_id.parse().unwrap(), resp.did_document.unwrap())
}

/// A create of `claimed` with `signer`'s key in the document and a valid proof by it.
fn squat(node: &Node, signer: &str, claimed: &str) -> DidMsg {
    let key = key(node, signer);
    let mut document = cli::new_document(&key.public_key(), false, &[], &[]).unwrap();
    let own = document.id.clone();
    retarget(&mut document, &own, claimed);
    let did = Did::parse("claimed", claimed).unwrap();
    let vm = did.url("key-1");
    let hash = salus_did::document::hash_proto(&document);
    let signature = key.sign(&sign_bytes(Operation::Create, CHAIN, &did, 0, Some(hash), &vm));
    let demo = Keyring::open(node.home.join("keyring-test")).get("demo").unwrap();
    DidMsg::Create { signer: demo.address, document, proof: Proof { verification_method: vm, signature } }
}

/// The same document under another DID: every id and reference moved from `from` to `to`.
fn retarget(doc: &mut pb::DidDocument, from: &str, to: &str) {
    let swap = |s: &mut String| *s = s.replace(from, to);
    swap(&mut doc.id);
    for m in &mut doc.verification_method {
        swap(&mut m.id);
        swap(&mut m.controller);
    }
    for r in doc
        .authentication
        .iter_mut()
        .chain(&mut doc.assertion_method)
        .chain(&mut doc.capability_invocation)
        .chain(&mut doc.capability_delegation)
    {
        swap(r);
    }
}

#[test]
fn a_patient_did_lives_its_whole_life_through_the_cli() {
    let node = Node::start_single(CHAIN).unwrap();
    for (name, algo) in
        [("patient", "ed25519"), ("clinician", "secp256k1"), ("hospital", "ed25519"), ("rotated", "ed25519")]
    {
        node.ok(&["keys", "add", name, "--algo", algo]).unwrap();
    }
    let did = did_of(&node, "patient");
    let hospital = did_of(&node, "hospital");

    // An ed25519 key cannot pay; the demo account pays for the patient.
    let refused = node.cli(&["tx", "did", "create", "--key", "patient", "--yes"]).unwrap();
    assert!(!refused.ok && refused.stderr.contains("--from"), "{}", refused.stderr);
    let created = tx(
        &node,
        &["create", "--key", "patient", "--from", "demo", "--service", "fhir=FhirEndpoint=https://h.example/fhir"],
    );
    assert_ok(&created);
    let event = created["events"].as_array().unwrap().iter().find(|e| e["type"] == "did_created").expect("did_created");
    assert_eq!(event["attributes"][0]["value"], did.as_str());
    assert_ok(&tx(&node, &["create", "--key", "hospital", "--from", "demo"]));

    let v1 = resolve(&node, &did, None);
    assert_eq!(v1["didDocument"]["id"], did.as_str());
    assert_eq!(v1["didDocument"]["service"][0]["serviceEndpoint"], "https://h.example/fhir");
    assert_eq!(v1["didDocumentMetadata"]["versionId"], "1");
    assert!(v1["didDocumentMetadata"].get("updated").is_none());
    // `resolve` names no contentType: DID Resolution keeps it for resolveRepresentation (--accept).
    assert!(v1["didResolutionMetadata"].get("contentType").is_none(), "{v1:#}");

    // A clinician's secp256k1 key is added for signing data; the patient signs a record with it.
    assert_ok(&tx(
        &node,
        &[
            "add-key",
            &did,
            "--key",
            "patient",
            "--from",
            "demo",
            "--new-key",
            "clinician",
            "--relationships",
            "assertionMethod",
        ],
    ));
    let file = node.dir.path().join("observation.json");
    std::fs::write(&file, br#"{"resourceType":"Observation","code":"8480-6","value":120}"#).unwrap();
    let sig = node.dir.path().join("observation.sig");
    let (file_s, sig_s) = (file.to_str().unwrap(), sig.to_str().unwrap());
    node.ok(&["did", "sign", &format!("{did}#key-2"), file_s, "--out", sig_s]).unwrap();
    let verified = json(&node, &["did", "verify", file_s, sig_s]);
    assert_eq!((verified["verified"].as_bool(), verified["versionId"].as_str()), (Some(true), Some("2")));
    let tampered = node.dir.path().join("tampered.json");
    std::fs::write(&tampered, b"{}").unwrap();
    let bad = node.cli(&["did", "verify", tampered.to_str().unwrap(), sig_s, "--output", "json"]).unwrap();
    assert!(!bad.ok && bad.json()["verified"] == false, "{}", bad.stdout);

    // The key is removed: the signature no longer checks against the latest document, but it
    // does against the version the key was valid in.
    assert_ok(&tx(&node, &["remove-key", &did, "key-2", "--key", "patient", "--from", "demo"]));
    let stale = node.cli(&["did", "verify", file_s, sig_s, "--output", "json"]).unwrap();
    assert!(!stale.ok && stale.json()["reason"].as_str().unwrap().contains("--version-id 2"), "{}", stale.stdout);
    assert_eq!(json(&node, &["did", "verify", file_s, sig_s, "--version-id", "2"])["verified"], true);
    let v2 = resolve(&node, &did, Some(2));
    assert_eq!(v2["didDocumentMetadata"]["nextVersionId"], "3");

    // The removed key's proof is refused by the chain (signed correctly, as of version 2).
    let (version, doc) = current_document(&node, &did);
    let mut with_aka = doc.clone();
    with_aka.also_known_as.push("https://patient.example".into());
    let removed = proved_update(&node, "clinician", &format!("{did}#key-2"), with_aka.clone(), version, CHAIN);
    assert_refused(&broadcast(&node, &removed), DidError::UnknownVerificationMethod);

    // Rotation: a new key with update rights, then the old key goes, signed by the new one.
    assert_ok(&tx(
        &node,
        &[
            "add-key",
            &did,
            "--key",
            "patient",
            "--from",
            "demo",
            "--new-key",
            "rotated",
            "--relationships",
            "authentication,capabilityInvocation",
        ],
    ));
    assert_ok(&tx(&node, &["remove-key", &did, "key-1", "--key", "rotated", "--from", "demo"]));
    let old = node
        .cli(&[
            "tx",
            "did",
            "add-service",
            &did,
            "--id",
            "x",
            "--type",
            "T",
            "--endpoint",
            "https://x.example",
            "--key",
            "patient",
            "--from",
            "demo",
            "--yes",
        ])
        .unwrap();
    assert!(!old.ok && old.stderr.contains("not a capabilityInvocation key"), "{}", old.stderr);

    // Refusals the chain makes, each with its stable code.
    let (version, doc) = current_document(&node, &did);
    // The CLI names a key after the version that adds it: the rotated key came in version 4.
    let rotated_vm = format!("{did}#key-4");
    assert!(doc.verification_method.iter().any(|m| m.id == rotated_vm), "{doc:?}");
    let mut changed = doc.clone();
    changed.also_known_as.push("https://patient.example".into());
    let stale_version = proved_update(&node, "rotated", &rotated_vm, changed.clone(), version - 1, CHAIN);
    assert_refused(&broadcast(&node, &stale_version), DidError::WrongVersion);
    let other_chain = proved_update(&node, "rotated", &rotated_vm, changed.clone(), version, "salus-other-1");
    assert_refused(&broadcast(&node, &other_chain), DidError::InvalidProof);
    let DidMsg::Update { signer, document, version: v, mut proof } =
        proved_update(&node, "rotated", &rotated_vm, changed.clone(), version, CHAIN)
    else {
        unreachable!()
    };
    proof.signature[0] ^= 1;
    assert_refused(&broadcast(&node, &DidMsg::Update { signer, document, version: v, proof }), DidError::InvalidProof);
    let stranger = proved_update(&node, "hospital", &format!("{hospital}#key-1"), changed.clone(), version, CHAIN);
    assert_refused(&broadcast(&node, &stranger), DidError::Unauthorized);
    let mut dangling = changed.clone();
    dangling.authentication.push(format!("{did}#nowhere"));
    let malformed = proved_update(&node, "rotated", &rotated_vm, dangling, version, CHAIN);
    assert_refused(&broadcast(&node, &malformed), DidError::InvalidDocument);
    let bad_endpoint = tx(
        &node,
        &[
            "add-service",
            &did,
            "--id",
            "x",
            "--type",
            "T",
            "--endpoint",
            "not a uri",
            "--key",
            "rotated",
            "--from",
            "demo",
        ],
    );
    assert_refused(&bad_endpoint, DidError::InvalidDocument);
    assert!(bad_endpoint["raw_log"].as_str().unwrap().contains("service[1].serviceEndpoint[0]"), "{bad_endpoint:#}");

    // Squatting: the clinician's key claims the hospital's DID, then an unused one.
    let taken = squat(&node, "clinician", &hospital);
    // The hospital's DID exists, so the chain says that first; a fresh id shows the derivation rule.
    assert_refused(&broadcast(&node, &taken), DidError::AlreadyExists);
    let fake = Did::from_key(&salus_did::PublicKey::X25519([7; 32]));
    let answer = broadcast(&node, &squat(&node, "clinician", fake.as_str()));
    assert_refused(&answer, DidError::IdNotDerivedFromKey);

    // Control passes to the hospital, whose key then updates and deactivates the DID.
    assert_ok(&tx(&node, &["set-controller", &did, &did, &hospital, "--key", "rotated", "--from", "demo"]));
    assert_ok(&tx(
        &node,
        &[
            "add-service",
            &did,
            "--id",
            "consent",
            "--type",
            "ConsentRegistry",
            "--endpoint",
            "https://hospital.example/consent",
            "--key",
            "hospital",
            "--from",
            "demo",
        ],
    ));
    let latest = resolve(&node, &did, None);
    assert_eq!(latest["didDocument"]["controller"], serde_json::json!([did, hospital]));
    assert_ok(&tx(&node, &["deactivate", &did, "--key", "hospital", "--from", "demo"]));
    let gone = resolve(&node, &did, None);
    assert_eq!(gone["didDocumentMetadata"]["deactivated"], true);
    assert!(gone["didDocument"].get("verificationMethod").is_none());

    // After deactivation: no update, no re-creation; the old versions still resolve.
    let (version, doc) = current_document(&node, &did);
    let after = proved_update(&node, "hospital", &format!("{hospital}#key-1"), doc, version, CHAIN);
    assert_refused(&broadcast(&node, &after), DidError::Deactivated);
    assert_refused(&tx(&node, &["create", "--key", "patient", "--from", "demo"]), DidError::AlreadyExists);
    let history = json(&node, &["query", "did", "history", &did]);
    let ops: Vec<_> =
        history["versions"].as_array().unwrap().iter().map(|v| v["operation"].as_str().unwrap()).collect();
    assert_eq!(ops, ["create", "update", "update", "update", "update", "update", "update", "deactivate"]);
    assert_eq!(
        resolve(&node, &did, Some(1))["didDocument"]["verificationMethod"][0]["type"],
        "Ed25519VerificationKey2020"
    );

    let missing = node.cli(&["query", "did", "resolve", &fake.to_string(), "--output", "json"]).unwrap();
    assert!(!missing.ok && missing.json()["didResolutionMetadata"]["error"] == "notFound", "{}", missing.stdout);
    let missing_text = node.cli(&["query", "did", "resolve", &fake.to_string()]).unwrap();
    assert!(!missing_text.ok && missing_text.stdout.contains("notFound"), "{}", missing_text.stdout);

    // resolveRepresentation: --accept names the representation, and only then is there a contentType.
    for (accept, has_context) in [("application/did+ld+json", true), ("application/did+json", false)] {
        let r = json(&node, &["query", "did", "resolve", &did, "--version-id", "1", "--accept", accept]);
        let problems = salus_did::conformance::resolution_problems(&r);
        assert!(problems.is_empty(), "--accept {accept}: {problems:?}\n{r:#}");
        assert_eq!(r["didResolutionMetadata"], serde_json::json!({ "contentType": accept }), "{r:#}");
        assert_eq!(r["didDocument"].get("@context").is_some(), has_context, "{r:#}");
        assert_eq!(r["didDocument"]["id"], did.as_str());
    }
    let unsupported =
        node.cli(&["query", "did", "resolve", &did, "--accept", "application/did+cbor", "--output", "json"]).unwrap();
    assert!(!unsupported.ok, "{}", unsupported.stdout);
    let result = unsupported.json();
    assert_eq!(result["didResolutionMetadata"]["error"], "representationNotSupported", "{result:#}");
    assert_eq!((&result["didDocument"], &result["didDocumentMetadata"]), (&Value::Null, &serde_json::json!({})));

    // An invalid DID (bad syntax, another method, a bad method-specific id) is an invalidDid
    // result printed like notFound, in JSON and in text, with a failing exit code.
    for bad in ["not-a-did", "did:web:example.com", "did:salus:abc", "did:salus:0OIl"] {
        let r = node.cli(&["query", "did", "resolve", bad, "--output", "json"]).unwrap();
        assert!(!r.ok, "{bad}: {}", r.stdout);
        let result = r.json();
        assert_eq!(result["didResolutionMetadata"]["error"], "invalidDid", "{bad}: {result:#}");
        assert_eq!((&result["didDocument"], &result["didDocumentMetadata"]), (&Value::Null, &serde_json::json!({})));
        assert!(salus_did::conformance::resolution_problems(&result).is_empty(), "{result:#}");
        let text = node.cli(&["query", "did", "resolve", bad]).unwrap();
        assert!(!text.ok && text.stdout.contains("invalidDid"), "{bad}: {}\n{}", text.stdout, text.stderr);
    }
    // The chain refuses one itself with a stable code (clients that skip the CLI's check map it).
    use prost::Message;
    let req = pb::QueryResolveRequest { did: "did:salus:abc".into(), version_id: 0 };
    let hex = hex::encode(req.encode_to_vec());
    let r = node.rpc(&format!("abci_query?path=%22/salus.did.v1.Query/Resolve%22&data=0x{hex}")).unwrap();
    let (codespace, code) = (r["response"]["codespace"].as_str(), r["response"]["code"].as_u64());
    assert_eq!((codespace, code), (Some("did"), Some(DidError::InvalidDid as u64)), "{r:#}");
    assert_eq!(salus_did::json::resolution_error_for("did", DidError::InvalidDid as u32), Some("invalidDid"));
}
