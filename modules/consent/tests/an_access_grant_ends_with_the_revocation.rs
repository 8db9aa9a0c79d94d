//! Found by the security review (fixed since; this test keeps it fixed): an access grant stays live after the consent that permitted it is
//! revoked, and after a later access is denied: the revocation deletes nothing under
//! `consent/grant/`, a deny does not touch the requester's grant, and Query/AccessGrant checks only
//! the expiry (query.rs `access_grant`). Custodians release data to a requester with a live grant
//! (docs/consent.md), so the clinic keeps reading for up to access_grant_secs (30 days at the
//! ceiling) after the patient said no. Expected: no live grant after the revocation.

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
