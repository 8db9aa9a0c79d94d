//! An access grant is live only while the consents, decided again at the queried block, still
//! permit it by the same consent version with the same obligations: a new deny, a role taken
//! back, a provision's period ended or the record erased ends it at once, long before it expires.
//! Found by the second security review, when a grant outlived all four.

mod support;

use salus_consent::query::ACCESS_GRANT_PATH;
use salus_proto::salus::consent::v1 as pb;
use support::*;

fn grant_live(w: &World, requester: Who, record: u64) -> bool {
    let r: pb::QueryAccessGrantResponse = w
        .query(ACCESS_GRANT_PATH, pb::QueryAccessGrantRequest { requester: w.actor(requester).did.to_string(), record })
        .unwrap();
    r.grant.is_some()
}

/// Grants the clinic access for treatment, then checks the grant is live.
fn permitted(w: &mut World, record: u64) {
    let out = w.access(Who::Clinic, record, "access", "TREAT");
    assert_eq!(event(&out, "access_decided", "outcome"), "permit", "{out:?}");
    assert!(grant_live(w, Who::Clinic, record), "the grant of a permit just given is not live");
}

#[test]
fn a_new_deny_consent_ends_the_grant() {
    let mut w = World::new();
    let record = w.anchor((LOINC, HIV_TEST), &["N"], &[]);
    assert!(w.create_consent(Who::Patient, clinic_for_treatment(&w.patient.did, &w.clinic.did)).is_ok());
    permitted(&mut w, record);
    // A second consent: everyone denied (it overrides the first).
    let deny_all = pb::ConsentTerms { provisions: vec![], ..clinic_for_treatment(&w.patient.did, &w.clinic.did) };
    assert!(w.create_consent(Who::Patient, deny_all).is_ok());
    assert!(!grant_live(&w, Who::Clinic, record), "a grant outlives a deny consent");
}

#[test]
fn a_role_taken_back_ends_the_grant() {
    let mut w = World::new();
    let record = w.anchor((LOINC, HIV_TEST), &["N"], &[]);
    // The hospital's providers, for treatment.
    let mut terms = clinic_for_treatment(&w.patient.did, &w.clinic.did);
    terms.provisions[0].actors = vec![pb::Actor { role: Some(role("PROV")), reference: String::new() }];
    assert!(w.create_consent(Who::Patient, terms).is_ok());
    let clinic = w.clinic.did.clone();
    assert!(w.grant_role(Who::Hospital, &clinic, role("PROV"), None).is_ok());
    permitted(&mut w, record);
    assert!(w.revoke_role(Who::Hospital, &clinic, role("PROV")).is_ok());
    assert!(!grant_live(&w, Who::Clinic, record), "a grant outlives the role that earned it");
}

#[test]
fn a_provision_period_ending_ends_the_grant() {
    let mut w = World::new();
    let record = w.anchor((LOINC, HIV_TEST), &["N"], &[]);
    let end = w.now_secs() + 4;
    let mut terms = clinic_for_treatment(&w.patient.did, &w.clinic.did);
    terms.provisions[0].period = period(None, Some(end));
    assert!(w.create_consent(Who::Patient, terms).is_ok());
    permitted(&mut w, record);
    w.chain.blocks(6);
    assert!(w.now_secs() > end);
    assert!(!grant_live(&w, Who::Clinic, record), "a grant outlives the period of the provision that permitted it");
}

#[test]
fn erasing_the_record_ends_the_grant() {
    let mut w = World::new();
    let record = w.anchor((LOINC, HIV_TEST), &["N"], &[]);
    assert!(w.create_consent(Who::Patient, clinic_for_treatment(&w.patient.did, &w.clinic.did)).is_ok());
    permitted(&mut w, record);
    assert!(w.erase(record).is_ok());
    assert!(!grant_live(&w, Who::Clinic, record), "a grant outlives the record's erasure");
}
