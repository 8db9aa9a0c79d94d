//! The heart of Salus, through the whole tx pipeline: a patient anchors a record and grants a
//! clinic access for treatment; the clinic's access is permitted, granted for a while and logged;
//! the patient revokes; the next access is refused and logged too. Decide answers as access does
//! without logging; a second node fed the same blocks reaches the same app hash.

mod support;

use salus_consent::query::{ACCESS_GRANT_PATH, DECIDE_PATH};
use salus_consent::ConsentError;
use salus_proto::salus::consent::v1 as pb;
use salus_testkit::*;
use support::*;

#[test]
fn a_clinic_reads_a_record_only_while_the_patient_consents() {
    let mut w = World::new();
    let record = w.anchor((LOINC, HIV_TEST), &["N"], &[]);

    // Before any consent: no-consent, logged, no grant.
    let out = w.access(Who::Clinic, record, "access", "TREAT");
    assert!(out.is_ok(), "{out:?}");
    assert_eq!(event(&out, "access_decided", "outcome"), "no-consent");

    let created = w.create_consent(Who::Patient, clinic_for_treatment(&w.patient.did, &w.clinic.did));
    assert!(created.is_ok(), "{created:?}");
    let id = event_u64(&created, "consent_created", "id");

    let out = w.access(Who::Clinic, record, "access", "TREAT");
    assert!(out.is_ok(), "{out:?}");
    assert_eq!(event(&out, "access_decided", "outcome"), "permit");
    assert_eq!(event(&out, "access_decided", "consent_id"), id.to_string());
    assert_eq!(event(&out, "access_decided", "provision_path"), "0");
    let grant: pb::QueryAccessGrantResponse = w
        .query(ACCESS_GRANT_PATH, pb::QueryAccessGrantRequest { requester: w.clinic.did.to_string(), record })
        .unwrap();
    let grant = grant.grant.expect("a live grant after a permit");
    assert_eq!((grant.consent_id, grant.consent_version, grant.action.as_str()), (id, 1, "access"));

    // Another purpose, or another requester: refused by the base decision, and logged.
    let out = w.access(Who::Clinic, record, "access", "HRESCH");
    assert_eq!(event(&out, "access_decided", "outcome"), "deny");
    let out = w.access(Who::Stranger, record, "access", "TREAT");
    assert_eq!(event(&out, "access_decided", "outcome"), "deny");

    // Decide says what access would, without logging.
    let logged = w.audit_of_patient().len();
    let ask = |w: &World, purpose: &str| -> pb::QueryDecideResponse {
        w.query(
            DECIDE_PATH,
            pb::QueryDecideRequest {
                requester: w.clinic.did.to_string(),
                record,
                action: "access".into(),
                purpose: purpose.into(),
                ..Default::default()
            },
        )
        .unwrap()
    };
    let d = ask(&w, "TREAT");
    assert_eq!((d.decision.as_str(), d.consent_id, d.provision_path.clone()), ("permit", id, vec![0]));
    assert_eq!(w.audit_of_patient().len(), logged);

    // Only the grantor revokes; the clinic cannot.
    let revoke = |w: &mut World, who: Who| {
        let msg = pb::MsgRevokeConsent { signer: w.payer.address.to_string(), actor: None, id, version: 1 };
        w.exec_as(who, msg, |m| &mut m.actor)
    };
    assert_code(&revoke(&mut w, Who::Clinic), "consent", ConsentError::Unauthorized as u32);
    let out = revoke(&mut w, Who::Patient);
    assert!(out.is_ok(), "{out:?}");
    assert_eq!(w.consent(id).terms.unwrap().status, "inactive");
    assert_eq!(w.consent(id).version, 2);

    let out = w.access(Who::Clinic, record, "access", "TREAT");
    assert!(out.is_ok(), "{out:?}");
    assert_eq!(event(&out, "access_decided", "outcome"), "no-consent");
    assert_eq!(ask(&w, "TREAT").decision, "no-consent");

    // The log has every decision, oldest first, with the subject as a pseudonym only.
    let log = w.audit_of_patient();
    let outcomes: Vec<&str> = log.iter().map(|e| e.outcome.as_str()).collect();
    assert_eq!(outcomes, ["no-consent", "permit", "deny", "deny", "no-consent"]);
    assert!(log.iter().all(|e| e.subject.len() == 32 && !e.subject.contains("did:")));
    assert!(log.iter().all(|e| e.custodian == w.hospital.did.to_string() && e.record == record));
}

#[test]
fn two_nodes_fed_the_same_consent_blocks_agree() {
    let mut a = World::new();
    let mut b = World::new();
    assert_eq!(a.chain.app_hash(), b.chain.app_hash());
    for w in [&mut a, &mut b] {
        let record = w.anchor((LOINC, HIV_TEST), &["R"], &[(ACT_CODE, "HIV")]);
        let terms = clinic_for_treatment(&w.patient.did, &w.clinic.did);
        assert!(w.create_consent(Who::Guardian, terms).is_ok());
        assert_eq!(event(&w.access(Who::Clinic, record, "access", "TREAT"), "access_decided", "outcome"), "permit");
    }
    assert_eq!(a.chain.app_hash(), b.chain.app_hash());
}
