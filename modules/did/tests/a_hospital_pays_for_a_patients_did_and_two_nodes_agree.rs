//! DID operations through the whole tx pipeline: a hospital account signs and pays for the DID of
//! a patient whose key never holds funds; a bad proof is refused with its DID code while the fee
//! and sequence stick; a second node fed the same blocks reaches the same app hash.

use prost::Message;
use salus_did::proof::{sign_bytes, Proof};
use salus_did::state::Operation;
use salus_did::{cli, Did, DidError, DidMsg, PublicKey};
use salus_proto::salus::did::v1 as pb;
use salus_testkit::*;

fn patient() -> (ed25519_consensus::SigningKey, PublicKey) {
    let sk = ed25519_consensus::SigningKey::from([42; 32]);
    let pk = PublicKey::Ed25519(sk.verification_key().to_bytes());
    (sk, pk)
}

#[test]
fn a_hospital_pays_for_a_patients_did_and_two_nodes_agree() {
    let hospital = key(1);
    let mut chain = TestChain::new();
    let mut twin = TestChain::new();
    let (sk, pk) = patient();
    let did = Did::from_key(&pk);
    let doc = cli::new_document(&pk, false, &[], &[]).unwrap();
    let vm = did.url("key-1");
    let proof = |op, version, hash| Proof {
        verification_method: vm.clone(),
        signature: sk.sign(&sign_bytes(op, CHAIN_ID, &did, version, hash, &vm)).to_bytes().to_vec(),
    };
    let create = DidMsg::Create {
        signer: hospital.address,
        document: doc.clone(),
        proof: proof(Operation::Create, 0, Some(salus_did::document::hash_proto(&doc))),
    };
    let tx = sign(&hospital, vec![create.to_any()], &chain.spec(&hospital));
    let before = chain.balance(&hospital.address);
    let out = chain.block(vec![tx.clone()]);
    twin.block(vec![tx]);
    assert!(out[0].is_ok(), "{out:?}");
    let created = out[0].events.iter().find(|e| e.kind == "did_created").expect("did_created event");
    assert_eq!(created.get("did"), Some(did.as_str()));
    assert_eq!(created.get("signer"), Some(hospital.address.to_string().as_str()));
    assert_eq!(chain.balance(&hospital.address), before - 200);

    // A proof for version 0 replayed as an update of version 1: refused, fee and sequence kept.
    let mut changed = doc.clone();
    changed.also_known_as.push("https://patient.example".into());
    let replay = DidMsg::Update {
        signer: hospital.address,
        document: changed.clone(),
        version: 1,
        proof: proof(Operation::Create, 0, Some(salus_did::document::hash_proto(&changed))),
    };
    let (_, seq) = chain.account(&hospital.address).unwrap();
    let tx = sign(&hospital, vec![replay.to_any()], &chain.spec(&hospital));
    let out = chain.block(vec![tx.clone()]);
    twin.block(vec![tx]);
    assert_code(&out[0], "did", DidError::InvalidProof as u32);
    assert_eq!(chain.account(&hospital.address).unwrap().1, seq + 1);

    // The right proof goes through; both nodes agree on every byte of state.
    let update = DidMsg::Update {
        signer: hospital.address,
        document: changed.clone(),
        version: 1,
        proof: proof(Operation::Update, 1, Some(salus_did::document::hash_proto(&changed))),
    };
    let tx = sign(&hospital, vec![update.to_any()], &chain.spec(&hospital));
    let out = chain.block(vec![tx.clone()]);
    twin.block(vec![tx]);
    assert!(out[0].is_ok(), "{out:?}");
    assert_eq!(chain.app_hash(), twin.app_hash());

    // Resolution through the query router (the ABCI and gRPC path).
    let req = pb::QueryResolveRequest { did: did.to_string(), version_id: 0 };
    let resp = pb::QueryResolveResponse::decode(
        chain.query(salus_did::query::RESOLVE_PATH, req.encode_to_vec()).unwrap().as_slice(),
    )
    .unwrap();
    assert_eq!(resp.did_document.unwrap(), changed);
    assert_eq!(resp.did_document_metadata.unwrap().version_id, "2");
    let missing =
        pb::QueryResolveRequest { did: Did::from_key(&PublicKey::X25519([1; 32])).to_string(), version_id: 0 };
    let err = chain.query(salus_did::query::RESOLVE_PATH, missing.encode_to_vec()).unwrap_err();
    assert!(err.is(salus_sdk::SdkCode::KeyNotFound), "{err:?}");
}
