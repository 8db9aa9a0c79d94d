//! A guardian that the patient removes from its DID's controllers can no longer update the
//! consents it created for the patient (an update needs the grantor's current authority over the
//! subject), and the patient can always revoke a consent about itself. Found by the security
//! review, when update and revoke checked only the stored grantor.

mod support;

use salus_did::document::hash_proto;
use salus_did::proof::{sign_bytes, Proof};
use salus_did::state::Operation;
use salus_did::{cli, DidMsg};
use salus_proto::salus::consent::v1 as pb;
use salus_testkit::*;
use support::*;

/// The patient updates its DID document so that only it controls it (the guardian is dropped).
fn patient_drops_guardian(w: &mut World) {
    let doc = cli::new_document(&w.patient.public_key(), false, &[], &[]).expect("a valid document");
    let vm = w.patient.method();
    let payload = sign_bytes(Operation::Update, CHAIN_ID, &w.patient.did, 1, Some(hash_proto(&doc)), &vm);
    let proof = Proof { verification_method: vm, signature: w.patient.sk.sign(&payload).to_bytes().to_vec() };
    let msg = DidMsg::Update { signer: w.payer.address, document: doc, version: 1, proof }.to_any();
    let out = w.chain.exec(&w.payer, msg);
    assert!(out.is_ok(), "the patient drops its guardian: {out:?}");
}

#[test]
fn a_guardian_the_patient_removes_loses_its_consents_and_the_patient_revokes_them() {
    let mut w = World::new();
    let record = w.anchor((LOINC, HIV_TEST), &["N"], &[]);
    let created = w.create_consent(Who::Guardian, clinic_for_treatment(&w.patient.did, &w.clinic.did));
    assert!(created.is_ok(), "{created:?}");
    let id = event_u64(&created, "consent_created", "id");

    patient_drops_guardian(&mut w);

    // The former guardian rewrites the patient's consent: anyone may now read for any purpose.
    let open = pb::ConsentTerms {
        subject: w.patient.did.to_string(),
        status: "active".into(),
        scope: "treatment".into(),
        decision: "permit".into(),
        period: None,
        provisions: vec![],
    };
    let msg =
        pb::MsgUpdateConsent { signer: w.payer.address.to_string(), actor: None, id, version: 1, terms: Some(open) };
    let update = w.exec_as(Who::Guardian, msg, |m| &mut m.actor);
    let access = w.access(Who::Stranger, record, "access", "HMARKT");
    assert!(
        !update.is_ok(),
        "a guardian the patient removed still updates the patient's consent (the stranger's marketing access is now {})",
        event(&access, "access_decided", "outcome")
    );

    // And the patient cannot revoke a consent about itself.
    let version = w.consent(id).version;
    let msg = pb::MsgRevokeConsent { signer: w.payer.address.to_string(), actor: None, id, version };
    let revoke = w.exec_as(Who::Patient, msg, |m| &mut m.actor);
    assert!(revoke.is_ok(), "the subject cannot revoke a consent about itself: {revoke:?}");
}
