//! The worst case one access decision can meet, with the default params: a subject with
//! max_consents_per_subject (32) consents of max_provisions (64) provisions each, every one of
//! which matches, so that every provision is evaluated, and a requester holding 40 roles (read by
//! point lookups: a member's roles are not capped). The access's gas grows by exactly
//! provision_gas per node evaluated (two chains that differ only in provision_gas differ in gas
//! by exactly that), and past the bounds the chain refuses with TooLarge: a 33rd consent, a 65th
//! provision, a fifth level of nesting, a 33rd list entry.

mod support;

use salus_consent::{ConsentError, Params, HL7_PURPOSES};
use salus_node::app::pipeline::TxOutcome;
use salus_proto::salus::consent::v1 as pb;
use salus_testkit::*;
use support::*;

const TOO_LARGE: u32 = ConsentError::TooLarge as u32;
/// Enough for any message here (fees at the minimum gas price).
const GAS: u64 = 20_000_000;

/// Purposes other than TREAT, all distinct.
fn other_purpose(i: usize) -> String {
    HL7_PURPOSES.iter().filter(|p| **p != "TREAT").nth(i).unwrap().to_string()
}

/// Base permit; `tops` deny provisions, each with `children` permit provisions; every one of them
/// matches an access for treatment, so every one is evaluated and the consent permits at [0, 0].
fn matching_terms(subject: &salus_did::Did, tops: usize, children: usize) -> pb::ConsentTerms {
    let node = |decision: &str, i: usize, provisions| pb::Provision {
        purposes: vec!["TREAT".into(), other_purpose(i)],
        provisions,
        ..provision(decision)
    };
    pb::ConsentTerms {
        subject: subject.to_string(),
        status: "active".into(),
        scope: "treatment".into(),
        decision: "permit".into(),
        period: None,
        provisions: (0..tops)
            .map(|i| node("deny", i, (0..children).map(|j| node("permit", 10 + j, vec![])).collect()))
            .collect(),
    }
}

/// Provisions nested `depth` deep, alternating decisions under a base permit.
fn nested_terms(subject: &salus_did::Did, depth: usize) -> pb::ConsentTerms {
    let mut inner: Vec<pb::Provision> = vec![];
    for level in (1..=depth).rev() {
        let decision = if level % 2 == 1 { "deny" } else { "permit" };
        inner = vec![pb::Provision { purposes: vec!["TREAT".into()], provisions: inner, ..provision(decision) }];
    }
    pb::ConsentTerms { provisions: inner, ..matching_terms(subject, 0, 0) }
}

fn as_patient<M: prost::Message + prost::Name + Clone>(
    w: &mut World,
    msg: M,
    actor: fn(&mut M) -> &mut Option<salus_proto::salus::did::v1::ActorProof>,
) -> TxOutcome {
    let msg = w.patient.act(&w.chain, msg, actor);
    let payer = w.payer.clone();
    w.run_with_gas(&payer, salus_proto::to_any(&msg), GAS)
}

fn create(w: &mut World, terms: pb::ConsentTerms) -> TxOutcome {
    let msg = pb::MsgCreateConsent { signer: w.payer.address.to_string(), actor: None, terms: Some(terms) };
    as_patient(w, msg, |m| &mut m.actor)
}

fn refused_too_large(out: &TxOutcome, because: &str) {
    assert_code(out, "consent", TOO_LARGE);
    assert!(out.log.contains(because), "refused for another reason than {because}: {}", out.log);
}

/// The clinic's access for treatment with gas for anything: (gas used, consent id, path).
fn access(w: &mut World, record: u64) -> (u64, String, String) {
    let m = pb::MsgAccessRecord {
        signer: w.payer.address.to_string(),
        actor: None,
        record,
        action: "access".into(),
        purpose: "TREAT".into(),
    };
    let m = w.clinic.act(&w.chain, m, |m| &mut m.actor);
    let payer = w.payer.clone();
    let out = w.run_with_gas(&payer, salus_proto::to_any(&m), GAS);
    assert!(out.is_ok(), "{out:?}");
    assert_eq!(event(&out, "access_decided", "outcome"), "permit");
    let at =
        (event(&out, "access_decided", "consent_id").into(), event(&out, "access_decided", "provision_path").into());
    (out.gas_used, at.0, at.1)
}

struct Measured {
    /// One consent of 3 nodes (its base and two provisions).
    small: u64,
    /// 32 consents of 65 nodes each.
    big: u64,
}

/// The whole scenario on a chain whose params are the defaults but `provision_gas`.
fn scenario(provision_gas: u64) -> Measured {
    let params = Params { provision_gas, ..Params::default() };
    let mut genesis: serde_json::Value =
        serde_json::from_str(&genesis_json(&[(&key(1), 1_000_000_000), (&key(2), 1_000_000_000)])).unwrap();
    genesis["consent"]["params"] = serde_json::to_value(&params).unwrap();
    let mut w = World::on(TestChain::with_genesis(&genesis.to_string()));
    let d = Params::default();
    assert_eq!((d.max_consents_per_subject, d.max_provisions, d.max_depth, d.max_list_len), (32, 64, 4, 32));

    // The requester holds many roles; a decision reads only those the consents name (point
    // lookups), so no bound on a member's roles is needed, and a renewal replaces a grant.
    let clinic = w.clinic.did.clone();
    let patient = w.patient.did.clone();
    for i in 0..40 {
        assert!(w.grant_role(Who::Hospital, &clinic, role(&format!("R{i}")), None).is_ok());
    }
    assert!(w.grant_role(Who::Hospital, &clinic, role("R0"), period(Some(1_800_000_000), None)).is_ok());
    let roles: pb::QueryRolesResponse = w
        .query(salus_consent::query::ROLES_PATH, pb::QueryRolesRequest { member: clinic.to_string(), pagination: None })
        .unwrap();
    assert_eq!(roles.roles.len(), 40);

    // Past the bounds of one consent: refused, each for its own reason; at the bounds: accepted
    // (shown below: 4 levels now, 64 provisions and 32 list entries in the big consents).
    let record = w.anchor((LOINC, HIV_TEST), &["N"], &[]);
    refused_too_large(&create(&mut w, nested_terms(&patient, 5)), "max_depth");
    refused_too_large(&create(&mut w, matching_terms(&patient, 5, 12)), "max_provisions"); // 65
    let mut long = matching_terms(&patient, 1, 0);
    long.provisions[0].purposes = (0..33).map(other_purpose).collect();
    refused_too_large(&create(&mut w, long), "max_list_len");
    let out = create(&mut w, nested_terms(&patient, 4));
    assert!(out.is_ok(), "4 levels: {out:?}");
    let deep = event_u64(&out, "consent_created", "id");
    let revoke = pb::MsgRevokeConsent { signer: w.payer.address.to_string(), actor: None, id: deep, version: 1 };
    assert!(as_patient(&mut w, revoke, |m| &mut m.actor).is_ok());

    // A small consent first.
    let out = create(&mut w, matching_terms(&patient, 1, 1));
    assert!(out.is_ok(), "{out:?}");
    let first = event_u64(&out, "consent_created", "id");
    let (small, id, path) = access(&mut w, record);
    assert_eq!((id, path), (first.to_string(), "0.0".to_string()));

    // Then the worst case: that consent grows to 64 provisions (8 x (1 + 7)), 31 more like it,
    // one of them with a list of 32 entries.
    let big = matching_terms(&patient, 8, 7);
    let update = pb::MsgUpdateConsent {
        signer: w.payer.address.to_string(),
        actor: None,
        id: first,
        version: 1,
        terms: Some(big.clone()),
    };
    assert!(as_patient(&mut w, update, |m| &mut m.actor).is_ok());
    let mut with_long_list = big.clone();
    with_long_list.provisions[7].purposes = (0..32).map(other_purpose).chain(["TREAT".into()]).skip(1).collect();
    assert_eq!(with_long_list.provisions[7].purposes.len(), 32);
    for i in 1..d.max_consents_per_subject {
        let out = create(&mut w, if i == 1 { with_long_list.clone() } else { big.clone() });
        assert!(out.is_ok(), "consent {i}: {out:?}");
    }
    let (worst, id, path) = access(&mut w, record);
    assert_eq!((id, path), (first.to_string(), "0.0".to_string()), "the lowest-id permit names the decision");
    let decided = w.decide(pb::QueryDecideRequest {
        requester: clinic.to_string(),
        record,
        action: "access".into(),
        purpose: "TREAT".into(),
        ..Default::default()
    });
    assert_eq!((decided.decision.as_str(), decided.consent_id, decided.provision_path), ("permit", first, vec![0, 0]));

    // One more consent than the params allow: refused; once one is revoked, there is room again.
    refused_too_large(&create(&mut w, matching_terms(&patient, 1, 0)), "already has 32");
    let revoke = pb::MsgRevokeConsent { signer: w.payer.address.to_string(), actor: None, id: first, version: 2 };
    assert!(as_patient(&mut w, revoke, |m| &mut m.actor).is_ok());
    assert!(create(&mut w, matching_terms(&patient, 1, 0)).is_ok());

    // Within one chain: the worst case costs at least provision_gas for each extra node.
    let nodes = u64::from(d.max_consents_per_subject) * (u64::from(d.max_provisions) + 1);
    assert!(worst - small >= provision_gas * (nodes - 3), "worst {worst}, small {small}");
    Measured { small, big: worst }
}

#[test]
fn a_decision_reads_a_bounded_amount() {
    let base = scenario(200);
    let dearer = scenario(1_200);
    // Everything else is the same on both chains: the gas differs by exactly 1000 per node
    // evaluated: 3 for the small consent, 32 x 65 in the worst case.
    assert_eq!(dearer.small - base.small, 1_000 * 3);
    assert_eq!(dearer.big - base.big, 1_000 * 32 * 65);
    // What the worst case costs at the default price, for the record: well within one tx.
    assert!(base.big < 10_000_000, "the worst case used {} gas", base.big);
}
