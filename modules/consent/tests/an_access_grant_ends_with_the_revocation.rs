//! An access grant ends when the consent that permitted it is revoked (a grant lives only while
//! its consent is still at that version and active) and when a later access by the same requester
//! is refused. Found by the security review, when a grant outlived both until it expired.

mod support;

use salus_consent::query::ACCESS_GRANT_PATH;
use salus_proto::salus::consent::v1 as pb;
use support::*;

#[test]
fn an_access_grant_ends_with_the_revocation() {
    let mut w = World::new();
    let record = w.anchor((LOINC, HIV_TEST), &["N"], &[]);
    let created = w.create_consent(Who::Patient, clinic_for_treatment(&w.patient.did, &w.clinic.did));
    let id = event_u64(&created, "consent_created", "id");
    let out = w.access(Who::Clinic, record, "access", "TREAT");
    assert_eq!(event(&out, "access_decided", "outcome"), "permit");

    let msg = pb::MsgRevokeConsent { signer: w.payer.address.to_string(), actor: None, id, version: 1 };
    assert!(w.exec_as(Who::Patient, msg, |m| &mut m.actor).is_ok());
    let out = w.access(Who::Clinic, record, "access", "TREAT");
    assert_eq!(event(&out, "access_decided", "outcome"), "no-consent");

    let grant: pb::QueryAccessGrantResponse = w
        .query(ACCESS_GRANT_PATH, pb::QueryAccessGrantRequest { requester: w.clinic.did.to_string(), record })
        .unwrap();
    assert!(grant.grant.is_none(), "the clinic still holds a live grant after the revocation: {:?}", grant.grant);
}
