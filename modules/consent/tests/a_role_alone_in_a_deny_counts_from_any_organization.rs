//! A role alone in a deny matches a requester holding that role from any organization (a deny
//! errs toward refusing), where in a permit it counts only from the record's custodian. A
//! decision reads at most `SOMEWHERE_READS` grants of such a role; a requester given more counts
//! as holding it. Found by the second security review, when a role-only deny failed open: it
//! matched only the custodian's grants.

mod support;

use salus_consent::handler::SOMEWHERE_READS;
use salus_proto::salus::consent::v1 as pb;
use salus_testkit::DidActor;
use support::*;

/// Base permit; researchers denied.
fn researchers_denied(w: &World) -> pb::ConsentTerms {
    pb::ConsentTerms {
        decision: "permit".into(),
        provisions: vec![pb::Provision {
            actors: vec![pb::Actor { role: Some(role("RESEARCHER")), reference: String::new() }],
            ..provision("deny")
        }],
        ..clinic_for_treatment(&w.patient.did, &w.clinic.did)
    }
}

fn outcome(w: &mut World, who: Who, record: u64) -> String {
    let out = w.access(who, record, "access", "TREAT");
    event(&out, "access_decided", "outcome").to_string()
}

#[test]
fn a_role_from_an_organization_that_is_not_the_custodian_denies() {
    let mut w = World::new();
    let record = w.anchor((LOINC, HIV_TEST), &["N"], &[]);
    assert!(w.create_consent(Who::Patient, researchers_denied(&w)).is_ok());
    assert_eq!(outcome(&mut w, Who::Clinic, record), "permit", "no role yet");
    // The stranger (not the hospital that holds the record) makes the clinic a researcher.
    let clinic = w.clinic.did.clone();
    assert!(w.grant_role(Who::Stranger, &clinic, role("RESEARCHER"), None).is_ok());
    assert_eq!(outcome(&mut w, Who::Clinic, record), "deny");
}

#[test]
fn more_grants_than_a_decision_reads_count_as_the_role() {
    let mut w = World::new();
    let record = w.anchor((LOINC, HIV_TEST), &["N"], &[]);
    assert!(w.create_consent(Who::Patient, researchers_denied(&w)).is_ok());
    let clinic = w.clinic.did.clone();
    // Expired grants of the role from as many organizations as a decision reads: none is live.
    let expired = period(Some(1), Some(2));
    for seed in 0..SOMEWHERE_READS as u8 {
        let org = DidActor::new(100 + seed);
        let payer = w.payer.clone();
        org.create(&mut w.chain, &payer, &[]);
        let msg = pb::MsgGrantRole {
            signer: payer.address.to_string(),
            actor: None,
            member: clinic.to_string(),
            role: Some(role("RESEARCHER")),
            period: expired,
        };
        assert!(org.exec(&mut w.chain, &payer, msg, |m| &mut m.actor).is_ok());
    }
    assert_eq!(outcome(&mut w, Who::Clinic, record), "permit", "{SOMEWHERE_READS} expired grants are no role");
    // One more: the decision sees there are more than it looks at, and counts the role as held.
    assert!(w.grant_role(Who::Stranger, &clinic, role("RESEARCHER"), expired).is_ok());
    assert_eq!(outcome(&mut w, Who::Clinic, record), "deny");
}

/// A role given and taken back leaves nothing in the role index a decision range-reads: the
/// index keeps no history of its deleted keys (where the grants themselves do), so nobody can
/// pile up deleted keys for every later decision to step over, unmetered.
#[test]
fn a_role_taken_back_leaves_nothing_in_the_index_a_decision_reads() {
    use salus_consent::keys;
    use salus_sdk::StateRead;

    let mut w = World::new();
    let clinic = w.clinic.did.clone();
    assert!(w.grant_role(Who::Stranger, &clinic, role("RESEARCHER"), None).is_ok());
    let granted_at = w.chain.height;
    let coding = salus_consent::types::Coding { system: ROLE_CODE.into(), code: "RESEARCHER".into() };
    let (grant_key, index_key) =
        (keys::role(&clinic, &coding, &w.stranger.did), keys::role_index(&clinic, &coding, &w.stranger.did));
    let then = w.chain.app.query_handle().snapshot_at(granted_at).unwrap();
    assert!(then.get_raw(&grant_key).unwrap().is_some() && then.get_raw(&index_key).unwrap().is_some());

    assert!(w.revoke_role(Who::Stranger, &clinic, role("RESEARCHER")).is_ok());
    let then = w.chain.app.query_handle().snapshot_at(granted_at).unwrap();
    assert!(then.get_raw(&grant_key).unwrap().is_some(), "the grant's history is kept");
    assert_eq!(then.get_raw(&index_key).unwrap(), None, "the index kept the deleted key's history");
}

/// Decisions read those indexes, so they answer at the latest height only: at a past height they
/// would miss a role taken back since.
#[test]
fn decisions_answer_at_the_latest_height_only() {
    use prost::Message;
    use salus_consent::query::ACCESS_GRANT_PATH;
    use salus_node::app::query::LATEST_HEIGHT_ONLY;

    let mut w = World::new();
    w.chain.blocks(2);
    let past = w.chain.height - 1;
    let handle = w.chain.app.query_handle();
    let cache = Default::default();
    let grant = pb::QueryAccessGrantRequest { requester: w.clinic.did.to_string(), record: 1 }.encode_to_vec();
    assert!(LATEST_HEIGHT_ONLY.len() >= 5);
    for &path in LATEST_HEIGHT_ONLY {
        let data = if path == ACCESS_GRANT_PATH { grant.clone() } else { vec![] };
        let Err(e) = handle.query(path, &data, past, false, &cache) else { panic!("{path} answered at a past height") };
        assert_eq!((e.codespace, e.code), ("sdk", 18), "{path}: {}", e.message);
        assert!(e.message.contains("latest height only"), "{}", e.message);
    }
    let latest = w.chain.height;
    assert!(handle.query(ACCESS_GRANT_PATH, &grant, latest, false, &cache).is_ok());
    assert!(handle.query(ACCESS_GRANT_PATH, &grant, 0, false, &cache).is_ok());
}
