//! Documents that break DID Core or this method's rules are refused with a message that names
//! the field; valid documents survive the round trip to state unchanged (so proofs over their
//! hash stay valid).

use salus_did::document::Document;
use salus_did::{cli, Did, DidError, Params, PublicKey};
use salus_proto::salus::did::v1 as pb;

fn ed(seed: u8) -> PublicKey {
    PublicKey::Ed25519(ed25519_consensus::SigningKey::from([seed; 32]).verification_key().to_bytes())
}

fn base() -> pb::DidDocument {
    let mut doc = cli::new_document(&ed(1), false, &["fhir=FhirEndpoint=https://h.example/fhir".into()], &[]).unwrap();
    let did = Did::parse("id", &doc.id).unwrap();
    let x25519 = cli::method_for_key(&did, "enc-1", &PublicKey::X25519([4; 32]), false);
    doc.key_agreement.push(x25519.id.clone());
    doc.verification_method.push(x25519);
    doc
}

fn refused(doc: &pb::DidDocument, code: DidError, words: &[&str]) {
    let err = Document::from_proto(doc, &Params::default()).expect_err("the document must be refused");
    assert_eq!((err.codespace, err.code), ("did", code as u32), "{}", err.message);
    for w in words {
        assert!(err.message.contains(w), "`{}` should mention `{w}`", err.message);
    }
}

#[test]
fn a_valid_document_round_trips_exactly() {
    let doc = base();
    let parsed = Document::from_proto(&doc, &Params::default()).unwrap();
    assert_eq!(parsed.to_proto(), doc);
    assert_eq!(parsed.hash(), salus_did::document::hash_proto(&doc));

    // Every supported key type and encoding.
    let did = Did::parse("id", &doc.id).unwrap();
    let k1 = secp256k1::PublicKey::from_secret_key(
        secp256k1::SECP256K1,
        &secp256k1::SecretKey::from_slice(&[3; 32]).unwrap(),
    );
    let p256 = p256::SecretKey::from_slice(&[5; 32]).unwrap().public_key();
    let p256 = PublicKey::P256(
        p256::elliptic_curve::sec1::ToEncodedPoint::to_encoded_point(&p256, true).as_bytes().try_into().unwrap(),
    );
    let mut all = doc.clone();
    for (i, (key, jwk)) in [
        (PublicKey::Secp256k1(k1.serialize()), false),
        (PublicKey::Secp256k1(k1.serialize()), true),
        (p256, true),
        (ed(2), true),
    ]
    .into_iter()
    .enumerate()
    {
        let vm = cli::method_for_key(&did, &format!("k{i}"), &key, jwk);
        all.assertion_method.push(vm.id.clone());
        all.verification_method.push(vm);
    }
    let x_jwk = cli::method_for_key(&did, "enc-2", &PublicKey::X25519([6; 32]), true);
    all.key_agreement.push(x_jwk.id.clone());
    all.verification_method.push(x_jwk);
    let types: Vec<_> = all.verification_method.iter().map(|m| m.r#type.as_str()).collect();
    for t in [
        "Ed25519VerificationKey2020",
        "EcdsaSecp256k1VerificationKey2019",
        "JsonWebKey2020",
        "X25519KeyAgreementKey2020",
    ] {
        assert!(types.contains(&t), "{t} missing from {types:?}");
    }
    assert_eq!(Document::from_proto(&all, &Params::default()).unwrap().to_proto(), all);
}

#[test]
fn bad_ids_are_refused() {
    let mut d = base();
    d.id = "did:example:123".into();
    refused(&d, DidError::InvalidDid, &["id", "did:salus"]);

    let mut d = base();
    d.verification_method[0].id = d.verification_method[0].id.replace("#key-1", "");
    refused(&d, DidError::InvalidDid, &["verificationMethod[0].id", "fragment"]);

    let mut d = base();
    d.verification_method[0].id = format!("{}#key-1", Did::from_key(&ed(9)));
    refused(&d, DidError::InvalidDocument, &["verificationMethod[0].id", "this document's DID"]);

    let mut d = base();
    d.controller = vec!["not-a-did".into()];
    refused(&d, DidError::InvalidDid, &["controller[0]"]);

    let mut d = base();
    d.service[0].id = d.verification_method[0].id.clone();
    refused(&d, DidError::InvalidDocument, &["service[0].id", "used twice"]);
}

#[test]
fn dangling_and_duplicate_references_are_refused() {
    let mut d = base();
    d.authentication.push(format!("{}#nowhere", d.id));
    refused(&d, DidError::InvalidDocument, &["authentication[1]", "references no verificationMethod"]);

    let mut d = base();
    let first = d.assertion_method[0].clone();
    d.assertion_method.push(first);
    refused(&d, DidError::InvalidDocument, &["assertionMethod[1]", "listed twice"]);

    let mut d = base();
    let dup = d.verification_method[0].clone();
    d.verification_method.push(dup);
    refused(&d, DidError::InvalidDocument, &["verificationMethod[2].id", "used twice"]);
}

#[test]
fn keys_must_fit_their_type_and_relationship() {
    let mut d = base();
    d.verification_method[0].r#type = "RsaVerificationKey2018".into();
    refused(&d, DidError::UnsupportedKeyType, &["verificationMethod[0].type", "Ed25519VerificationKey2020"]);

    let mut d = base();
    d.verification_method[0].r#type = "X25519KeyAgreementKey2020".into();
    refused(&d, DidError::UnsupportedKeyType, &["verificationMethod[0]", "X25519"]);

    let mut d = base();
    d.verification_method[0].public_key_multibase = "zNotAKey".into();
    refused(&d, DidError::InvalidDocument, &["verificationMethod[0].publicKeyMultibase"]);

    let mut d = base();
    d.verification_method[0].public_key_jwk = Some(pb::PublicKeyJwk::default());
    refused(&d, DidError::InvalidDocument, &["verificationMethod[0]", "exactly one"]);

    let mut d = base();
    let signing = d.verification_method[0].id.clone();
    d.key_agreement.push(signing);
    refused(&d, DidError::InvalidDocument, &["keyAgreement[1]", "X25519"]);

    let mut d = base();
    let x = d.key_agreement[0].clone();
    d.authentication.push(x);
    refused(&d, DidError::InvalidDocument, &["authentication[1]", "cannot sign"]);

    let mut d = base();
    d.capability_invocation.clear();
    refused(&d, DidError::InvalidDocument, &["capabilityInvocation", "nobody could ever update"]);
}

#[test]
fn services_need_a_type_and_absolute_uris() {
    let mut d = base();
    d.service[0].service_endpoint = vec!["not a uri".into()];
    refused(&d, DidError::InvalidDocument, &["service[0].serviceEndpoint[0]", "absolute URI"]);

    let mut d = base();
    d.service[0].r#type.clear();
    refused(&d, DidError::InvalidDocument, &["service[0].type"]);

    let mut d = base();
    d.also_known_as = vec!["nohost".into()];
    refused(&d, DidError::InvalidDocument, &["alsoKnownAs[0]"]);
}

#[test]
fn documents_stay_within_the_params() {
    let params = Params { max_services: 1, ..Params::default() };
    let mut d = base();
    d.service.push(pb::Service {
        id: format!("{}#s2", d.id),
        r#type: vec!["T".into()],
        service_endpoint: vec!["https://x.example".into()],
    });
    let err = Document::from_proto(&d, &params).unwrap_err();
    assert_eq!(err.code, DidError::DocumentTooLarge as u32);
    assert!(err.message.contains("service: 2 entries; the limit is 1"), "{}", err.message);

    let mut d = base();
    d.service[0].service_endpoint = vec![format!("https://x.example/{}", "a".repeat(400)); 1];
    let tiny = Params { max_document_bytes: 512, ..Params::default() };
    let err = Document::from_proto(&d, &tiny).unwrap_err();
    assert_eq!(err.code, DidError::DocumentTooLarge as u32, "{}", err.message);
}
