//! Every DID operation against a temporary real store: the happy paths, and each way an operation
//! is refused (with its stable code) while state stays as it was.

use salus_did::proof::{sign_bytes, Proof};
use salus_did::state::{DidRead, Operation};
use salus_did::{cli, handler, Did, DidError, DidMsg, PublicKey};
use salus_proto::salus::did::v1 as pb;
use salus_sdk::state::apply;
use salus_sdk::{Address, BlockCtx, Error, Overlay};
use salus_store::{Changes, Storage};

const CHAIN: &str = "salus-test-1";

struct Ed(ed25519_consensus::SigningKey);

impl Ed {
    fn new(seed: u8) -> Self {
        Ed(ed25519_consensus::SigningKey::from([seed; 32]))
    }
    fn public(&self) -> PublicKey {
        PublicKey::Ed25519(self.0.verification_key().to_bytes())
    }
    fn did(&self) -> Did {
        Did::from_key(&self.public())
    }
    fn sign(&self, bytes: &[u8]) -> Vec<u8> {
        self.0.sign(bytes).to_bytes().to_vec()
    }
}

/// A store with an empty genesis, and a block overlay per test.
struct Chain {
    _dir: tempfile::TempDir,
    storage: Storage,
    height: u64,
}

fn payer() -> Address {
    Address([9; 20])
}

impl Chain {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let storage = Storage::open(dir.path()).unwrap();
        storage.commit(storage.prepare(0, &Changes::new()).unwrap()).unwrap();
        Chain { _dir: dir, storage, height: 0 }
    }

    fn ctx(&self, chain_id: &str) -> BlockCtx {
        BlockCtx {
            chain_id: chain_id.into(),
            height: self.height + 1,
            time_secs: 1_800_000_000 + self.height as i64 * 5,
            time_nanos: 0,
            header: Default::default(),
        }
    }

    /// Runs one message in its own block; a failure commits nothing.
    fn run(&mut self, msg: &DidMsg) -> Result<(), Error> {
        use salus_sdk::Msg;
        msg.validate_basic()?;
        let snap = self.storage.snapshot(self.height);
        let mut block = Overlay::new(&snap);
        {
            let mut one = Overlay::new(&block);
            handler::execute(&mut one, &self.ctx(CHAIN), msg)?;
            let (w, e) = one.into_parts();
            apply(&mut block, w, e).unwrap();
        }
        let (writes, _) = block.into_parts();
        self.height += 1;
        self.storage.commit(self.storage.prepare(self.height, &writes).unwrap()).unwrap();
        Ok(())
    }

    fn snap(&self) -> salus_store::Snapshot {
        self.storage.snapshot(self.height)
    }

    fn current(&self, did: &Did) -> (u64, pb::DidDocument) {
        let r = self.snap().resolve(did, None).unwrap().expect("the DID resolves");
        (r.metadata.version_id, r.document.to_proto())
    }
}

fn doc_hash(doc: &pb::DidDocument) -> [u8; 32] {
    salus_did::document::hash_proto(doc)
}

fn create_msg(key: &Ed, doc: pb::DidDocument, chain: &str) -> DidMsg {
    let did = Did::parse("id", &doc.id).unwrap();
    let vm = format!("{}#key-1", key.did());
    let sig = key.sign(&sign_bytes(Operation::Create, chain, &did, 0, Some(doc_hash(&doc)), &vm));
    DidMsg::Create { signer: payer(), document: doc, proof: Proof { verification_method: vm, signature: sig } }
}

fn create(chain: &mut Chain, key: &Ed) -> Did {
    let doc = cli::new_document(&key.public(), false, &[], &[]).unwrap();
    chain.run(&create_msg(key, doc, CHAIN)).unwrap();
    key.did()
}

fn update_msg(signer: &Ed, vm: &str, doc: pb::DidDocument, version: u64) -> DidMsg {
    let did = Did::parse("id", &doc.id).unwrap();
    let sig = signer.sign(&sign_bytes(Operation::Update, CHAIN, &did, version, Some(doc_hash(&doc)), vm));
    DidMsg::Update {
        signer: payer(),
        document: doc,
        version,
        proof: Proof { verification_method: vm.into(), signature: sig },
    }
}

fn deactivate_msg(signer: &Ed, vm: &str, did: &Did, version: u64) -> DidMsg {
    let sig = signer.sign(&sign_bytes(Operation::Deactivate, CHAIN, did, version, None, vm));
    DidMsg::Deactivate {
        signer: payer(),
        did: did.clone(),
        version,
        proof: Proof { verification_method: vm.into(), signature: sig },
    }
}

fn with_key(doc: &pb::DidDocument, key: &Ed, fragment: &str, rels: &[&str]) -> pb::DidDocument {
    let mut doc = doc.clone();
    let did = Did::parse("id", &doc.id).unwrap();
    let vm = cli::method_for_key(&did, fragment, &key.public(), false);
    for r in rels {
        match *r {
            "authentication" => doc.authentication.push(vm.id.clone()),
            "assertionMethod" => doc.assertion_method.push(vm.id.clone()),
            "capabilityInvocation" => doc.capability_invocation.push(vm.id.clone()),
            _ => unreachable!(),
        }
    }
    doc.verification_method.push(vm);
    doc
}

fn assert_refused(result: Result<(), Error>, code: DidError, words: &str) {
    let err = result.expect_err("the operation must be refused");
    assert_eq!((err.codespace, err.code), ("did", code as u32), "{}", err.message);
    assert!(err.message.contains(words), "`{}` should mention `{words}`", err.message);
}

#[test]
fn a_key_creates_its_did_and_any_account_pays() {
    let mut chain = Chain::new();
    let key = Ed::new(1);
    let did = create(&mut chain, &key);
    let r = chain.snap().resolve(&did, None).unwrap().unwrap();
    assert_eq!(r.metadata.version_id, 1);
    assert_eq!(r.metadata.updated, None);
    assert_eq!(r.document.method(&format!("{did}#key-1")).unwrap().key, key.public());
}

#[test]
fn a_squatted_id_is_refused() {
    let mut chain = Chain::new();
    let (victim, squatter) = (Ed::new(1), Ed::new(2));
    // The squatter's key in a document that claims the victim's DID.
    let mut doc = cli::new_document(&squatter.public(), false, &[], &[]).unwrap();
    let theirs = squatter.did().to_string();
    let claimed = victim.did().to_string();
    doc.id = claimed.clone();
    for m in &mut doc.verification_method {
        m.id = m.id.replace(&theirs, &claimed);
        m.controller = claimed.clone();
    }
    for refs in [
        &mut doc.authentication,
        &mut doc.assertion_method,
        &mut doc.capability_invocation,
        &mut doc.capability_delegation,
    ] {
        for r in refs.iter_mut() {
            *r = r.replace(&theirs, &claimed);
        }
    }
    let vm = format!("{claimed}#key-1");
    let sig = squatter.sign(&sign_bytes(Operation::Create, CHAIN, &victim.did(), 0, Some(doc_hash(&doc)), &vm));
    let msg =
        DidMsg::Create { signer: payer(), document: doc, proof: Proof { verification_method: vm, signature: sig } };
    assert_refused(chain.run(&msg), DidError::IdNotDerivedFromKey, "derived from its creating key");
    assert!(chain.snap().did_meta(&victim.did()).unwrap().is_none());
}

#[test]
fn a_did_is_created_once() {
    let mut chain = Chain::new();
    let key = Ed::new(1);
    create(&mut chain, &key);
    let doc = cli::new_document(&key.public(), false, &[], &[]).unwrap();
    assert_refused(chain.run(&create_msg(&key, doc, CHAIN)), DidError::AlreadyExists, "already exists");
}

#[test]
fn a_proof_for_another_chain_or_document_does_not_verify() {
    let mut chain = Chain::new();
    let key = Ed::new(1);
    let doc = cli::new_document(&key.public(), false, &[], &[]).unwrap();
    assert_refused(
        chain.run(&create_msg(&key, doc.clone(), "other-chain-1")),
        DidError::InvalidProof,
        "chain-id salus-test-1",
    );

    // A valid proof, then a different document under it.
    let DidMsg::Create { signer, proof, .. } = create_msg(&key, doc.clone(), CHAIN) else { unreachable!() };
    let mut changed = doc;
    changed.service.push(pb::Service {
        id: format!("{}#x", key.did()),
        r#type: vec!["LinkedDomains".into()],
        service_endpoint: vec!["https://evil.example".into()],
    });
    assert_refused(
        chain.run(&DidMsg::Create { signer, document: changed, proof }),
        DidError::InvalidProof,
        "does not verify",
    );
}

#[test]
fn rotation_replaces_the_key_that_may_update() {
    let mut chain = Chain::new();
    let (old, new) = (Ed::new(1), Ed::new(2));
    let did = create(&mut chain, &old);
    let old_vm = format!("{did}#key-1");
    let (v, doc) = chain.current(&did);

    // Add the new key with update rights, then remove the old one: each signed by the old key.
    let doc2 = with_key(&doc, &new, "key-2", &["authentication", "capabilityInvocation"]);
    chain.run(&update_msg(&old, &old_vm, doc2.clone(), v)).unwrap();
    let mut doc3 = doc2.clone();
    doc3.verification_method.retain(|m| m.id != old_vm);
    for refs in [
        &mut doc3.authentication,
        &mut doc3.assertion_method,
        &mut doc3.capability_invocation,
        &mut doc3.capability_delegation,
    ] {
        refs.retain(|r| *r != old_vm);
    }
    chain.run(&update_msg(&old, &old_vm, doc3.clone(), 2)).unwrap();

    // The removed key can no longer act; the new one can.
    let mut doc4 = doc3.clone();
    doc4.also_known_as.push("https://patient.example".into());
    assert_refused(
        chain.run(&update_msg(&old, &old_vm, doc4.clone(), 3)),
        DidError::UnknownVerificationMethod,
        "removed",
    );
    chain.run(&update_msg(&new, &format!("{did}#key-2"), doc4, 3)).unwrap();

    // Every version stays resolvable, with DID Core metadata linking them.
    let snap = chain.snap();
    let v1 = snap.resolve(&did, Some(1)).unwrap().unwrap();
    assert_eq!(v1.metadata.next_version_id, Some(2));
    assert!(v1.document.method(&old_vm).is_some());
    let latest = snap.resolve(&did, None).unwrap().unwrap();
    assert_eq!((latest.metadata.version_id, latest.metadata.next_version_id), (4, None));
    assert!(latest.metadata.updated.unwrap().secs > latest.metadata.created.secs);
    assert_eq!(snap.did_history(&did).unwrap().len(), 4);
}

#[test]
fn a_stale_or_replayed_update_is_refused() {
    let mut chain = Chain::new();
    let key = Ed::new(1);
    let did = create(&mut chain, &key);
    let vm = format!("{did}#key-1");
    let (_, doc) = chain.current(&did);
    let mut doc2 = doc.clone();
    doc2.also_known_as.push("https://a.example".into());
    let first = update_msg(&key, &vm, doc2, 1);
    chain.run(&first).unwrap();
    // The same message again (replay), and one signed for the old version.
    assert_refused(chain.run(&first), DidError::WrongVersion, "is at version 2, not 1");
    // Claiming the right version with a proof made for the old one.
    let DidMsg::Update { signer, document, proof, .. } = first else { unreachable!() };
    assert_refused(
        chain.run(&DidMsg::Update { signer, document, version: 2, proof }),
        DidError::InvalidProof,
        "version 2",
    );
}

#[test]
fn only_capability_invocation_keys_of_a_controller_may_update() {
    let mut chain = Chain::new();
    let (owner, helper, stranger) = (Ed::new(1), Ed::new(2), Ed::new(3));
    let did = create(&mut chain, &owner);
    let stranger_did = create(&mut chain, &stranger);
    let (_, doc) = chain.current(&did);

    // A key listed for authentication only cannot change the document.
    let doc2 = with_key(&doc, &helper, "key-2", &["authentication"]);
    chain.run(&update_msg(&owner, &format!("{did}#key-1"), doc2.clone(), 1)).unwrap();
    let mut doc3 = doc2.clone();
    doc3.also_known_as.push("https://x.example".into());
    assert_refused(
        chain.run(&update_msg(&helper, &format!("{did}#key-2"), doc3.clone(), 2)),
        DidError::Unauthorized,
        "capabilityInvocation",
    );

    // Another DID's key is no controller's key.
    assert_refused(
        chain.run(&update_msg(&stranger, &format!("{stranger_did}#key-1"), doc3.clone(), 2)),
        DidError::Unauthorized,
        "is not a controller",
    );

    // Made a controller, the other DID's key may update.
    let mut doc4 = doc2.clone();
    doc4.controller = vec![did.to_string(), stranger_did.to_string()];
    chain.run(&update_msg(&owner, &format!("{did}#key-1"), doc4.clone(), 2)).unwrap();
    let mut doc5 = doc4.clone();
    doc5.also_known_as.push("https://x.example".into());
    chain.run(&update_msg(&stranger, &format!("{stranger_did}#key-1"), doc5, 3)).unwrap();
}

#[test]
fn a_controller_must_exist_and_be_active() {
    let mut chain = Chain::new();
    let key = Ed::new(1);
    let ghost = Ed::new(7).did();
    let doc = cli::new_document(&key.public(), false, &[], &[ghost.to_string()]).unwrap();
    assert_refused(chain.run(&create_msg(&key, doc, CHAIN)), DidError::ControllerNotFound, "does not exist");
}

#[test]
fn a_deactivated_did_can_never_change_or_return() {
    let mut chain = Chain::new();
    let key = Ed::new(1);
    let did = create(&mut chain, &key);
    let vm = format!("{did}#key-1");
    let (_, doc) = chain.current(&did);
    chain.run(&deactivate_msg(&key, &vm, &did, 1)).unwrap();

    let r = chain.snap().resolve(&did, None).unwrap().unwrap();
    assert!(r.metadata.deactivated);
    assert!(r.document.verification_method.is_empty(), "no key of a deactivated DID verifies anything");
    assert!(chain.snap().resolve(&did, Some(1)).unwrap().unwrap().document.method(&vm).is_some());

    assert_refused(chain.run(&update_msg(&key, &vm, doc, 2)), DidError::Deactivated, "deactivated");
    assert_refused(chain.run(&deactivate_msg(&key, &vm, &did, 2)), DidError::Deactivated, "deactivated");
    let again = cli::new_document(&key.public(), false, &[], &[]).unwrap();
    assert_refused(chain.run(&create_msg(&key, again, CHAIN)), DidError::AlreadyExists, "never created again");
}

#[test]
fn operations_on_unknown_dids_say_so() {
    let mut chain = Chain::new();
    let key = Ed::new(1);
    let did = key.did();
    assert_refused(
        chain.run(&deactivate_msg(&key, &format!("{did}#key-1"), &did, 1)),
        DidError::NotFound,
        "create it first",
    );
}

#[test]
fn a_gas_meter_pays_for_proof_checks() {
    let chain = Chain::new();
    let key = Ed::new(1);
    let doc = cli::new_document(&key.public(), false, &[], &[]).unwrap();
    let msg = create_msg(&key, doc, CHAIN);
    let snap = chain.snap();
    let meter = salus_sdk::GasMeter::new(1_000_000);
    let mut state = Overlay::metered(&snap, &meter);
    handler::execute(&mut state, &chain.ctx(CHAIN), &msg).unwrap();
    assert!(meter.used() > handler::PROOF_VERIFY_GAS);
    let tight = salus_sdk::GasMeter::new(handler::PROOF_VERIFY_GAS);
    let mut state = Overlay::metered(&snap, &tight);
    assert!(handler::execute(&mut state, &chain.ctx(CHAIN), &msg).unwrap_err().is(salus_sdk::SdkCode::OutOfGas));
}

#[test]
fn every_resolved_version_conforms_to_did_core() {
    use salus_did::conformance::resolution_problems;
    use salus_did::json;

    let mut chain = Chain::new();
    let (patient, hospital) = (Ed::new(1), Ed::new(2));
    let hospital_did = create(&mut chain, &hospital);
    let did = create(&mut chain, &patient);
    let vm = format!("{did}#key-1");

    // A rich document: a secp256k1 JWK, an X25519 key agreement key, services, a controller.
    let (_, doc) = chain.current(&did);
    let mut rich = doc.clone();
    let k1 = secp256k1::PublicKey::from_secret_key(
        secp256k1::SECP256K1,
        &secp256k1::SecretKey::from_slice(&[3; 32]).unwrap(),
    );
    let k1_vm = cli::method_for_key(&did, "key-2", &PublicKey::Secp256k1(k1.serialize()), true);
    rich.assertion_method.push(k1_vm.id.clone());
    rich.verification_method.push(k1_vm);
    let x = cli::method_for_key(&did, "enc-1", &PublicKey::X25519([4; 32]), false);
    rich.key_agreement.push(x.id.clone());
    rich.verification_method.push(x);
    rich.service.push(pb::Service {
        id: did.url("fhir"),
        r#type: vec!["FhirEndpoint".into()],
        service_endpoint: vec!["https://h.example/fhir".into(), "https://backup.example/fhir".into()],
    });
    rich.controller = vec![did.to_string(), hospital_did.to_string()];
    chain.run(&update_msg(&patient, &vm, rich, 1)).unwrap();
    chain.run(&deactivate_msg(&hospital, &format!("{hospital_did}#key-1"), &did, 2)).unwrap();

    let snap = chain.snap();
    for version in 1..=3 {
        let r = snap.resolve(&did, Some(version)).unwrap().unwrap();
        let result = json::resolution(&salus_did::query::to_proto(&r));
        let problems = resolution_problems(&result);
        assert!(problems.is_empty(), "version {version}: {problems:?}\n{result:#}");
    }
    let v2 = json::resolution(&salus_did::query::to_proto(&snap.resolve(&did, Some(2)).unwrap().unwrap()));
    assert_eq!(v2["didDocumentMetadata"]["nextVersionId"], "3");
    assert_eq!(v2["didDocumentMetadata"]["deactivated"], true);
    assert_eq!(v2["didDocument"]["controller"].as_array().unwrap().len(), 2);

    // The checker is not blind: each broken copy is caught.
    type Breakage = fn(&mut serde_json::Value);
    let breakages: [(&str, Breakage); 5] = [
        ("id is required", |v| {
            v["didDocument"].as_object_mut().unwrap().remove("id");
        }),
        ("references no verificationMethod", |v| {
            v["didDocument"]["authentication"] =
                serde_json::json!([format!("{}#gone", v["didDocument"]["id"].as_str().unwrap())]);
        }),
        ("is not unique", |v| {
            let first = v["didDocument"]["verificationMethod"][0].clone();
            v["didDocument"]["verificationMethod"].as_array_mut().unwrap().push(first);
        }),
        ("created must be an XML datetime", |v| v["didDocumentMetadata"]["created"] = "2026-01-01T00:00:00.5Z".into()),
        ("exactly one of publicKeyJwk", |v| {
            v["didDocument"]["verificationMethod"][0]["publicKeyJwk"] = serde_json::json!({"kty": "OKP"});
        }),
    ];
    for (words, breakage) in breakages {
        let mut broken = v2.clone();
        breakage(&mut broken);
        let problems = resolution_problems(&broken);
        assert!(problems.iter().any(|p| p.contains(words)), "expected `{words}` in {problems:?}");
    }
}
