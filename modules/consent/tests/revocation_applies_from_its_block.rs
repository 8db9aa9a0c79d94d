//! A revocation applies from the block that holds it, in tx order: an access in the block before
//! is permitted; in the revocation's own block, an access ordered before the revoke tx is
//! permitted and one ordered after it gets no-consent; every later access gets no-consent.
//! Decide agrees at every point, and the consent's history keeps both versions. A consent whose
//! period ends at a block's time permits before that block and gives no-consent from it on (the
//! end is exclusive); one whose period starts later gives no-consent before its start.

mod support;

use salus_proto::salus::consent::v1 as pb;
use salus_proto::Any;
use salus_testkit::*;
use support::*;

fn access_msg(w: &World, payer: &Key, nonce: u64, record: u64) -> Any {
    let m = pb::MsgAccessRecord {
        signer: payer.address.to_string(),
        actor: None,
        record,
        action: "access".into(),
        purpose: "TREAT".into(),
    };
    salus_proto::to_any(&w.clinic.sign_as(&w.clinic.did, CHAIN_ID, nonce, m, |m| &mut m.actor))
}

/// What Decide says of the clinic reading `record` for treatment at block `height`'s time.
fn decide_at(w: &World, record: u64, height: u64) -> String {
    w.decide(pb::QueryDecideRequest {
        requester: w.clinic.did.to_string(),
        record,
        action: "access".into(),
        purpose: "TREAT".into(),
        time: Some(ts(1_800_000_000 + height as i64)),
        ..Default::default()
    })
    .decision
}

/// The clinic's access in the next block, after Decide was asked about that block's time.
fn access_next_block(w: &mut World, record: u64) -> String {
    let asked = decide_at(w, record, w.chain.height + 1);
    let out = w.access(Who::Clinic, record, "access", "TREAT");
    assert!(out.is_ok(), "{out:?}");
    let outcome = event(&out, "access_decided", "outcome").to_string();
    assert_eq!(asked, outcome, "Decide and access disagree at height {}", w.chain.height);
    outcome
}

#[test]
fn a_revocation_applies_from_its_block_in_tx_order() {
    let mut w = World::new();
    let record = w.anchor((LOINC, HIV_TEST), &["N"], &[]);
    let created = w.create_consent(Who::Patient, clinic_for_treatment(&w.patient.did, &w.clinic.did));
    assert!(created.is_ok(), "{created:?}");
    let id = event_u64(&created, "consent_created", "id");
    let created_at = w.chain.height;

    // The block before the revocation: permitted, and Decide agrees.
    assert_eq!(access_next_block(&mut w, record), "permit");
    assert_eq!(decide_at(&w, record, w.chain.height + 1), "permit");

    // One block: the clinic's access, the patient's revocation, the clinic's access again. The
    // clinic's two accesses are paid by key 2 at consecutive sequences; the revocation by key 1.
    let (clinic_payer, patient_payer) = (key(2), key(1));
    let nonce = action_nonce(&w.chain, &w.clinic.did);
    let (_, seq) = w.chain.account(&clinic_payer.address).unwrap();
    let (_, patient_seq) = w.chain.account(&patient_payer.address).unwrap();
    let revoke = pb::MsgRevokeConsent { signer: patient_payer.address.to_string(), actor: None, id, version: 1 };
    let revoke = w.patient.act(&w.chain, revoke, |m| &mut m.actor);
    let txs = vec![
        w.tx_at(&clinic_payer, seq, access_msg(&w, &clinic_payer, nonce, record)),
        w.tx_at(&patient_payer, patient_seq, salus_proto::to_any(&revoke)),
        w.tx_at(&clinic_payer, seq + 1, access_msg(&w, &clinic_payer, nonce + 1, record)),
    ];
    let outs = w.block(txs);
    let revoked_at = w.chain.height;
    assert!(outs.iter().all(|o| o.is_ok()), "{outs:?}");
    assert_eq!(event(&outs[0], "access_decided", "outcome"), "permit", "ordered before the revocation");
    assert_eq!(event(&outs[0], "access_decided", "consent_id"), id.to_string());
    assert_eq!(event(&outs[1], "consent_revoked", "version"), "2");
    assert_eq!(event(&outs[2], "access_decided", "outcome"), "no-consent", "ordered after the revocation");
    assert_eq!(event(&outs[2], "access_decided", "consent_id"), "0");
    // The permit ordered before the revocation left a grant; the revocation ended it with the
    // consent, and the refusal after it too.
    let grant: pb::QueryAccessGrantResponse = w
        .query(
            salus_consent::query::ACCESS_GRANT_PATH,
            pb::QueryAccessGrantRequest { requester: w.clinic.did.to_string(), record },
        )
        .unwrap();
    assert!(grant.grant.is_none(), "a grant outlived the revocation of its consent {id}: {grant:?}");

    // After: refused, Decide agrees, at this block's time and later ones.
    assert_eq!(decide_at(&w, record, w.chain.height), "no-consent");
    for _ in 0..3 {
        assert_eq!(access_next_block(&mut w, record), "no-consent");
    }
    assert_eq!(decide_at(&w, record, w.chain.height + 1000), "no-consent");

    // The history keeps both versions: the active one from its creation, the revocation at the
    // block that held it.
    let history = w.history(id);
    assert_eq!(history.len(), 2);
    let status = |c: &pb::Consent| c.terms.as_ref().unwrap().status.clone();
    assert_eq!((history[0].version, status(&history[0]), history[0].height), (1, "active".into(), created_at));
    assert_eq!((history[1].version, status(&history[1]), history[1].height), (2, "inactive".into(), revoked_at));
    assert_eq!(history[1].time, Some(ts(1_800_000_000 + revoked_at as i64)));
    let mut unrevoked = history[1].terms.clone().unwrap();
    unrevoked.status = "active".into();
    assert_eq!(Some(unrevoked), history[0].terms, "a revocation changes the status only");

    // The log, in order: the block before, the two accesses around the revocation, three after.
    let outcomes: Vec<String> = w.audit_of_patient().iter().map(|e| e.outcome.clone()).collect();
    assert_eq!(outcomes, ["permit", "permit", "no-consent", "no-consent", "no-consent", "no-consent"]);
    let heights: Vec<u64> = w.audit_of_patient().iter().map(|e| e.height).collect();
    assert_eq!(heights[1..3], [revoked_at, revoked_at]);
}

#[test]
fn a_consent_applies_within_its_period_only() {
    let mut w = World::new();
    let record = w.anchor((LOINC, HIV_TEST), &["N"], &[]);
    // It ends at the time of the block three after its own: it permits in the next two blocks.
    let ends_at = w.chain.height + 1 + 3;
    let mut terms = clinic_for_treatment(&w.patient.did, &w.clinic.did);
    terms.period = period(None, Some(1_800_000_000 + ends_at as i64));
    assert!(w.create_consent(Who::Patient, terms).is_ok());
    assert_eq!(w.chain.height + 3, ends_at);

    assert_eq!(access_next_block(&mut w, record), "permit");
    assert_eq!(access_next_block(&mut w, record), "permit");
    assert_eq!(w.chain.height + 1, ends_at);
    assert_eq!(access_next_block(&mut w, record), "no-consent", "the end is exclusive");
    assert_eq!(access_next_block(&mut w, record), "no-consent");
    // Decide on a time inside the period (asked afterwards) still permits: the consent was never
    // revoked, it is out of its period.
    assert_eq!(decide_at(&w, record, ends_at - 1), "permit");
    assert_eq!(decide_at(&w, record, ends_at), "no-consent");

    // A consent that starts two blocks from now: no-consent before, permit from its start.
    let starts_at = w.chain.height + 1 + 2;
    let mut terms = clinic_for_treatment(&w.patient.did, &w.clinic.did);
    terms.period = period(Some(1_800_000_000 + starts_at as i64), None);
    assert!(w.create_consent(Who::Patient, terms).is_ok());
    assert_eq!(w.chain.height + 2, starts_at);
    assert_eq!(access_next_block(&mut w, record), "no-consent", "before its start");
    assert_eq!(w.chain.height + 1, starts_at);
    assert_eq!(access_next_block(&mut w, record), "permit", "the start is inclusive");
    assert_eq!(access_next_block(&mut w, record), "permit");
}
