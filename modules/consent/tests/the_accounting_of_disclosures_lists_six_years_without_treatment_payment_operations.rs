//! HIPAA 45 CFR 164.528 through the chain: the clinic reads the patient's record for treatment,
//! payment, operations and emergency treatment (none of which an accounting lists), for research
//! and public health (listed); the patient reads its own record (not listed); a stranger is denied
//! (a deny discloses nothing). Query/Disclosures lists exactly the accountable permits, oldest
//! first, page by page. The chain starts from a genesis whose audit log holds two research
//! disclosures, 7 and 5 years before its first block: only the 5-year-old one is within the
//! six-year window. AuditBySubject and AuditByRequester list everything, paginated.

mod support;

use base64::Engine;
use salus_consent::audit::{pseudonym, DISCLOSURE_WINDOW_SECS};
use salus_consent::types::{Action, AuditEvent, Outcome, Purpose};
use salus_proto::salus::consent::v1 as pb;
use salus_sdk::time::Time;
use salus_testkit::*;
use support::*;

const YEAR: i64 = 36_525 * 864; // 365.25 days
/// The first block's time.
const FIRST_BLOCK: i64 = 1_800_000_001;

/// A research disclosure to the stranger, logged `years_ago` before the first block.
fn old_disclosure(w: &World, id: u64, years_ago: i64) -> AuditEvent {
    let secs = FIRST_BLOCK - years_ago * YEAR;
    AuditEvent {
        id,
        requester: w.stranger.did.clone(),
        custodian: w.hospital.did.clone(),
        subject: pseudonym(&w.patient.did),
        record: 1,
        action: Action::Disclose,
        purpose: Purpose::parse("HRESCH").unwrap(),
        outcome: Outcome::Permit,
        consent: Some((1, 1)),
        path: vec![0],
        obligations: vec![],
        time: Time { secs, nanos: 0 },
        height: 0,
    }
}

/// A chain whose consent genesis logs a disclosure 7 years and one 5 years before its first block.
fn world_with_old_disclosures() -> World {
    // The DIDs are deterministic: make them now to name them in genesis.
    let parties = World::new();
    let old = [old_disclosure(&parties, 1, 7), old_disclosure(&parties, 2, 5)];
    let mut genesis: serde_json::Value = serde_json::from_str(
        &GenesisBuilder::new().fund(&key(1).address, 1_000_000_000).fund(&key(2).address, 1_000_000_000).json(),
    )
    .unwrap();
    let b64 = |e: &AuditEvent| base64::engine::general_purpose::STANDARD.encode(borsh::to_vec(e).unwrap());
    let key = |e: &AuditEvent| hex::encode(salus_consent::keys::disclosure(&e.subject, e.time.secs, e.id));
    genesis["consent"]["audit"] = old.iter().map(b64).collect();
    genesis["consent"]["disclosures"] = old.iter().map(key).collect();
    genesis["consent"]["next_audit_id"] = "3".into();
    World::on(TestChain::with_genesis(&genesis.to_string()))
}

fn disclosures(
    w: &World,
    pagination: salus_proto::cosmos::base::query::v1beta1::PageRequest,
) -> pb::QueryAuditResponse {
    w.query(
        salus_consent::query::DISCLOSURES_PATH,
        pb::QueryDisclosuresRequest { subject: w.patient.did.to_string(), pagination: Some(pagination) },
    )
    .unwrap()
}

fn ids(events: &[pb::AuditEvent]) -> Vec<u64> {
    events.iter().map(|e| e.id).collect()
}

#[test]
fn the_accounting_of_disclosures_lists_six_years_without_treatment_payment_operations() {
    let mut w = world_with_old_disclosures();
    // The first block is the first DID's creation.
    assert_eq!(TestChain::time(1).unix_timestamp(), FIRST_BLOCK);
    let record = w.anchor((LOINC, HIV_TEST), &["N"], &[]);
    // Opt-in for everyone but the stranger.
    let terms = pb::ConsentTerms {
        subject: w.patient.did.to_string(),
        status: "active".into(),
        scope: "patient-privacy".into(),
        decision: "permit".into(),
        period: None,
        provisions: vec![pb::Provision { actors: vec![actor_did(&w.stranger.did)], ..provision("deny") }],
    };
    assert!(w.create_consent(Who::Patient, terms).is_ok());

    let mut logged = Vec::new();
    let mut accountable = Vec::new();
    let cases = [
        (Who::Clinic, "access", "TREAT", "permit", false),
        (Who::Clinic, "use", "HPAYMT", "permit", false),
        (Who::Clinic, "use", "HOPERAT", "permit", false),
        (Who::Clinic, "access", "ETREAT", "permit", false),
        (Who::Clinic, "disclose", "HRESCH", "permit", true),
        (Who::Clinic, "disclose", "PUBHLTH", "permit", true),
        (Who::Patient, "access", "HRESCH", "permit", false),
        (Who::Stranger, "disclose", "HRESCH", "deny", false),
    ];
    for (who, action, purpose, outcome, listed) in cases {
        let out = w.access(who, record, action, purpose);
        assert!(out.is_ok(), "{out:?}");
        assert_eq!(event(&out, "access_decided", "outcome"), outcome, "{who:?} {purpose}");
        let id = event_u64(&out, "access_decided", "audit_id");
        logged.push(id);
        if listed {
            accountable.push(id);
        }
    }
    assert_eq!(logged, (3..=10).collect::<Vec<u64>>(), "ids continue after genesis' next_audit_id");

    // The window: six years before the queried block. The 7-year-old disclosure lies before it,
    // the 5-year-old one inside.
    let now = w.now_secs();
    assert!(FIRST_BLOCK - 7 * YEAR < now - DISCLOSURE_WINDOW_SECS as i64);
    assert!(FIRST_BLOCK - 5 * YEAR >= now - DISCLOSURE_WINDOW_SECS as i64);
    let expected: Vec<u64> = [2].into_iter().chain(accountable.iter().copied()).collect();

    let all = disclosures(&w, page(&[], 0));
    assert_eq!(ids(&all.events), expected, "oldest first: the 5-year-old one, then research, then public health");
    assert!(all.pagination.unwrap().next_key.is_empty());
    let listed = &all.events;
    assert_eq!(listed[0].time, Some(ts(FIRST_BLOCK - 5 * YEAR)));
    assert!(listed.iter().all(|e| e.outcome == "permit" && e.requester != w.patient.did.to_string()));
    assert_eq!(listed.iter().map(|e| e.purpose.as_str()).collect::<Vec<_>>(), ["HRESCH", "HRESCH", "PUBHLTH"]);

    // One at a time, by next_key: the same list, in as many pages as entries.
    let (walked, pages) = walk_audit(1, |p| disclosures(&w, p));
    assert_eq!(ids(&walked), expected);
    assert_eq!(pages, expected.len());
    let (walked, _) = walk_audit(2, |p| disclosures(&w, p));
    assert_eq!(ids(&walked), expected);

    // Newest first (reverse): the same entries, reversed; nothing from before the window.
    let mut reversed = Vec::new();
    let mut key = Vec::new();
    for _ in 0..10 {
        let req = salus_proto::cosmos::base::query::v1beta1::PageRequest {
            key: key.clone(),
            limit: 1,
            reverse: true,
            ..Default::default()
        };
        let r = disclosures(&w, req);
        reversed.extend(ids(&r.events));
        key = r.pagination.unwrap().next_key;
        if key.is_empty() {
            break;
        }
    }
    assert_eq!(reversed, expected.iter().rev().copied().collect::<Vec<_>>());

    // Pages go by key: an offset is refused.
    let offset = salus_proto::cosmos::base::query::v1beta1::PageRequest { offset: 1, ..Default::default() };
    let refused: Result<pb::QueryAuditResponse, _> = w.query(
        salus_consent::query::DISCLOSURES_PATH,
        pb::QueryDisclosuresRequest { subject: w.patient.did.to_string(), pagination: Some(offset) },
    );
    assert!(refused.is_err());

    // The log by subject holds everything, genesis' entries too, in id order, paginated.
    let by_subject = |p| -> pb::QueryAuditResponse {
        w.query(
            salus_consent::query::AUDIT_BY_SUBJECT_PATH,
            pb::QueryAuditBySubjectRequest { subject: w.patient.did.to_string(), pagination: Some(p) },
        )
        .unwrap()
    };
    let (events, pages) = walk_audit(3, by_subject);
    assert_eq!(ids(&events), (1..=10).collect::<Vec<u64>>());
    assert_eq!(pages, 4);
    let subject = hex::encode(pseudonym(&w.patient.did));
    assert!(events.iter().all(|e| e.subject == subject));

    // By requester: the clinic's six accesses; the stranger's two old disclosures and its deny.
    let by_requester = |who: &DidActor, limit| {
        walk_audit(limit, |p| {
            w.query(
                salus_consent::query::AUDIT_BY_REQUESTER_PATH,
                pb::QueryAuditByRequesterRequest { requester: who.did.to_string(), pagination: Some(p) },
            )
            .unwrap()
        })
    };
    let (clinic, pages) = by_requester(&w.clinic, 4);
    assert_eq!((ids(&clinic), pages), ((3..=8).collect::<Vec<u64>>(), 2));
    let (stranger, pages) = by_requester(&w.stranger, 1);
    assert_eq!((ids(&stranger), pages), (vec![1, 2, 10], 3));
    assert_eq!(stranger.iter().map(|e| e.outcome.as_str()).collect::<Vec<_>>(), ["permit", "permit", "deny"]);
    let (patient, _) = by_requester(&w.patient, 10);
    assert_eq!(ids(&patient), vec![9]);
}
