//! The imported fixtures decided as a consent decision service following HL7 FHIR Consent
//! would: the base decision when nothing more specific matches, the deepest matching exception
//! otherwise (every condition of a provision must hold), a deny of any applying consent over a
//! permit of another, and no-consent when no active consent's period holds the time.

use salus_did::Did;
use salus_records::{Commitment, Confidentiality};

use super::*;
use crate::evaluate::{decide, Asked, HeldRoles, Request, Verdict};
use crate::types::{Action, Coding, Outcome, Period, Purpose, RoleGrant, Status};

const NOW: &str = "2025-06-01T00:00:00Z";

fn commit(system: &str, code: &str) -> Commitment {
    key().commit(system, code)
}

fn observation() -> Commitment {
    commit("http://hl7.org/fhir/resource-types", "Observation")
}

fn hiv() -> Commitment {
    commit("http://terminology.hl7.org/CodeSystem/v3-ActCode", "HIV")
}

/// A record with these classes and labels, written at `time`.
fn record(
    id: u64,
    classes: Vec<Commitment>,
    confidentiality: Vec<Confidentiality>,
    sensitivity: Vec<Commitment>,
    time: &str,
) -> Asked {
    Asked {
        record: Some(id),
        classes,
        confidentiality,
        sensitivity,
        data_time: Some(at(time)),
        data_period: Period::default(),
    }
}

fn plain_record() -> Asked {
    record(17, vec![], vec![Confidentiality::N], vec![], "2024-05-01T00:00:00Z")
}

/// A question about a data class (not a record) over a timeframe, labels unknown.
fn data_class(class: Commitment, start: &str, end: &str) -> Asked {
    Asked {
        record: None,
        classes: vec![class],
        confidentiality: vec![],
        sensitivity: vec![],
        data_time: None,
        data_period: Period { start: Some(at(start)), end: Some(at(end)) },
    }
}

struct Ask<'a> {
    requester: Did,
    roles: &'a [RoleGrant],
    action: Action,
    purpose: &'a str,
    time: &'a str,
    /// The custodian of the record asked.
    custodian: Option<Did>,
}

fn by(requester: &str, action: Action, purpose: &'static str) -> Ask<'static> {
    Ask { requester: did(requester), roles: &[], action, purpose, time: NOW, custodian: None }
}

fn run(consents: &[Consent], ask: &Ask, asked: &Asked) -> Verdict {
    let held = HeldRoles::of(&ask.requester, ask.roles, at(ask.time));
    let req = Request {
        requester: &ask.requester,
        roles: &held,
        action: ask.action,
        purpose: Purpose::parse(ask.purpose).unwrap(),
        time: at(ask.time),
        asked,
        custodian: ask.custodian.as_ref(),
    };
    decide(consents, &req, &mut |_| Ok(())).unwrap()
}

/// Asserts the outcome and, for permit and deny, the deciding consent and provision path.
fn expect(consents: &[Consent], ask: &Ask, asked: &Asked, outcome: Outcome, path: &[u32]) -> Verdict {
    let v = run(consents, ask, asked);
    assert_eq!(v.outcome, outcome, "{} {:?} {} at {}", ask.requester, ask.action, ask.purpose, ask.time);
    if outcome != Outcome::NoConsent {
        assert_eq!(v.path, path, "{} {:?} {}", ask.requester, ask.action, ask.purpose);
    }
    v
}

#[test]
fn opt_in_permits_any_access_in_its_period_and_nothing_applies_outside_it() {
    let c = [on_chain("opt-in-r4.json", 1)];
    let carol = by("Practitioner/carol", Action::Access, "TREAT");
    expect(&c, &carol, &plain_record(), Outcome::Permit, &[]);
    expect(&c, &by("Organization/research-institute", Action::Use, "HRESCH"), &plain_record(), Outcome::Permit, &[]);
    // Through 2030-12-31, its last day.
    expect(&c, &Ask { time: "2030-12-31T23:59:59Z", ..carol }, &plain_record(), Outcome::Permit, &[]);
    let carol = by("Practitioner/carol", Action::Access, "TREAT");
    expect(&c, &Ask { time: "2031-01-01T00:00:00Z", ..carol }, &plain_record(), Outcome::NoConsent, &[]);
    let carol = by("Practitioner/carol", Action::Access, "TREAT");
    expect(&c, &Ask { time: "2024-01-14T12:00:00Z", ..carol }, &plain_record(), Outcome::NoConsent, &[]);
}

#[test]
fn opt_out_denies_all_but_emergency_access_by_st_marys_providers() {
    let c = [on_chain("opt-out-r5.json", 2)];
    let st_mary = did("Organization/st-mary");
    let prov = [RoleGrant {
        organization: st_mary.clone(),
        member: did("Practitioner/carol"),
        role: Coding { system: "http://terminology.hl7.org/CodeSystem/v3-RoleCode".into(), code: "PROV".into() },
        period: Period::default(),
    }];
    let carol = |action, purpose| Ask { roles: &prov, ..by("Practitioner/carol", action, purpose) };
    expect(&c, &carol(Action::Access, "ETREAT"), &plain_record(), Outcome::Permit, &[0]);
    // Every condition must hold: another purpose, another action, or no role is the base deny.
    expect(&c, &carol(Action::Access, "TREAT"), &plain_record(), Outcome::Deny, &[]);
    expect(&c, &carol(Action::Disclose, "ETREAT"), &plain_record(), Outcome::Deny, &[]);
    expect(&c, &by("Practitioner/carol", Action::Access, "ETREAT"), &plain_record(), Outcome::Deny, &[]);
    // The organization itself is the actor's reference.
    expect(&c, &by("Organization/st-mary", Action::Access, "ETREAT"), &plain_record(), Outcome::Permit, &[0]);
    expect(&c, &by("Organization/research-institute", Action::Access, "HRESCH"), &plain_record(), Outcome::Deny, &[]);
}

#[test]
fn research_only_permits_the_institute_for_research_on_its_classes_and_timeframe() {
    let c = [on_chain("research-only-r4.json", 3)];
    let lab = record(5, vec![observation()], vec![Confidentiality::N], vec![], "2023-03-01T00:00:00Z");
    let institute = |action| by("Organization/research-institute", action, "HRESCH");
    expect(&c, &institute(Action::Access), &lab, Outcome::Permit, &[0]);
    expect(&c, &institute(Action::Use), &lab, Outcome::Permit, &[0]);
    // Not for treatment, not to disclose, not a clinician, not another class, not newer data.
    expect(&c, &institute(Action::Disclose), &lab, Outcome::Deny, &[]);
    expect(&c, &by("Organization/research-institute", Action::Access, "TREAT"), &lab, Outcome::Deny, &[]);
    expect(&c, &by("Practitioner/dave", Action::Access, "HRESCH"), &lab, Outcome::Deny, &[]);
    let condition = record(
        6,
        vec![commit("http://hl7.org/fhir/resource-types", "Condition")],
        vec![],
        vec![],
        "2023-03-01T00:00:00Z",
    );
    expect(&c, &institute(Action::Access), &condition, Outcome::Deny, &[]);
    let newer = record(7, vec![observation()], vec![], vec![], "2025-03-01T00:00:00Z");
    expect(&c, &institute(Action::Access), &newer, Outcome::Deny, &[]);
    // After the study's period, the base deny again.
    expect(&c, &Ask { time: "2027-02-03T00:00:00Z", ..institute(Action::Access) }, &lab, Outcome::Deny, &[]);
    // A question about a data class inside the timeframe.
    let asked = data_class(observation(), "2021-01-01", "2022-12-31");
    expect(&c, &institute(Action::Access), &asked, Outcome::Permit, &[0]);
}

#[test]
fn research_with_ai_denies_substance_abuse_data_and_lets_the_model_train_only() {
    let c = [on_chain("research-only-r5.json", 4)];
    let eth = commit("http://terminology.hl7.org/CodeSystem/v3-ActCode", "ETH");
    let institute = by("Organization/research-institute", Action::Access, "HRESCH");
    expect(&c, &institute, &plain_record(), Outcome::Permit, &[0]);
    let rehab = record(9, vec![], vec![], vec![eth], "2024-01-01T00:00:00Z");
    expect(&c, &institute, &rehab, Outcome::Deny, &[0, 0]);
    // Asked for a class whose labels are unknown: permit, with the duty to redact ETH data.
    let v = expect(&c, &institute, &data_class(observation(), "2021-01-01", "2022-01-01"), Outcome::Permit, &[0]);
    assert_eq!(v.obligations.len(), 1);
    assert_eq!(v.obligations[0].sensitivity, vec![eth]);
    assert_eq!(v.obligations[0].path, vec![0, 0]);
    let lab = record(
        5,
        vec![commit("http://hl7.org/fhir/fhir-types", "Observation")],
        vec![],
        vec![],
        "2024-01-01T00:00:00Z",
    );
    expect(&c, &by("Device/ai-model", Action::Compute, "ai-training"), &lab, Outcome::Permit, &[1]);
    expect(&c, &by("Device/ai-model", Action::Compute, "ai-inference"), &lab, Outcome::Deny, &[]);
    expect(&c, &by("Device/ai-model", Action::Access, "ai-training"), &lab, Outcome::Deny, &[]);
}

#[test]
fn a_denied_practitioner_is_denied_while_others_are_permitted() {
    let c = [on_chain("denied-practitioner-r5.json", 5)];
    expect(&c, &by("Practitioner/carol", Action::Access, "TREAT"), &plain_record(), Outcome::Permit, &[]);
    expect(&c, &by("Practitioner/dave", Action::Access, "TREAT"), &plain_record(), Outcome::Deny, &[0]);
    expect(&c, &by("Practitioner/dave", Action::Access, "ETREAT"), &plain_record(), Outcome::Deny, &[0]);
    // R4: only for access and disclosure, and from the afternoon it was signed.
    let c = [on_chain("denied-practitioner-r4.json", 6)];
    expect(&c, &by("Practitioner/dave", Action::Access, "TREAT"), &plain_record(), Outcome::Deny, &[0]);
    expect(&c, &by("Practitioner/dave", Action::Disclose, "TREAT"), &plain_record(), Outcome::Deny, &[0]);
    expect(&c, &by("Practitioner/dave", Action::Use, "TREAT"), &plain_record(), Outcome::Permit, &[]);
    let before = Ask { time: "2024-11-02T15:00:00Z", ..by("Practitioner/dave", Action::Access, "TREAT") };
    expect(&c, &before, &plain_record(), Outcome::Permit, &[]);
    expect(&c, &by("Practitioner/carol", Action::Access, "TREAT"), &plain_record(), Outcome::Permit, &[]);
}

#[test]
fn restricted_labels_deny_labelled_records_and_oblige_redaction_otherwise() {
    let c = [on_chain("restricted-labels-r4.json", 7)];
    let carol = by("Practitioner/carol", Action::Access, "TREAT");
    expect(&c, &carol, &plain_record(), Outcome::Permit, &[]);
    let restricted = record(8, vec![], vec![Confidentiality::R], vec![], "2024-05-01T00:00:00Z");
    expect(&c, &carol, &restricted, Outcome::Deny, &[0]);
    let hiv_record = record(42, vec![], vec![Confidentiality::N], vec![hiv()], "2024-05-01T00:00:00Z");
    expect(&c, &carol, &hiv_record, Outcome::Deny, &[0]);
    let v = expect(&c, &carol, &data_class(observation(), "2024-01-01", "2025-01-01"), Outcome::Permit, &[]);
    assert_eq!(v.obligations.len(), 1);
    assert_eq!(v.obligations[0].confidentiality, vec![Confidentiality::R]);
    assert_eq!(v.obligations[0].sensitivity, vec![hiv()]);
}

#[test]
fn restricted_hiv_tests_are_denied_except_to_the_treating_practitioner_for_that_record() {
    let c = [on_chain("restricted-labels-r5.json", 8)];
    let hiv_test = commit("http://loinc.org", "75622-1");
    let panel = record(42, vec![hiv_test], vec![Confidentiality::R], vec![hiv()], "2024-05-01T00:00:00Z");
    expect(&c, &by("Practitioner/carol", Action::Access, "TREAT"), &panel, Outcome::Permit, &[0, 0]);
    expect(&c, &by("Practitioner/carol", Action::Access, "HRESCH"), &panel, Outcome::Deny, &[0]);
    expect(&c, &by("Practitioner/dave", Action::Access, "TREAT"), &panel, Outcome::Deny, &[0]);
    // Another HIV test record than 42: the exception to the exception names record 42 only.
    let other = record(43, vec![hiv_test], vec![], vec![hiv()], "2024-05-01T00:00:00Z");
    expect(&c, &by("Practitioner/carol", Action::Access, "TREAT"), &other, Outcome::Deny, &[0]);
    // The deny is for HIV tests bearing the labels (all conditions hold), not for other data.
    let labelled_note = record(44, vec![observation()], vec![], vec![hiv()], "2024-05-01T00:00:00Z");
    expect(&c, &by("Practitioner/dave", Action::Access, "TREAT"), &labelled_note, Outcome::Permit, &[]);
}

#[test]
fn an_expired_consent_never_applies() {
    for name in ["expired-r4.json", "expired-r5.json"] {
        let c = [on_chain(name, 9)];
        let carol = by("Practitioner/carol", Action::Access, "TREAT");
        expect(&c, &carol, &plain_record(), Outcome::NoConsent, &[]);
        let back_then = Ask { time: "2019-01-02T00:00:00Z", ..by("Practitioner/carol", Action::Access, "TREAT") };
        expect(&c, &back_then, &plain_record(), Outcome::Permit, &[]);
    }
}

#[test]
fn an_inactive_consent_never_applies() {
    for (name, purpose) in [("inactive-r4.json", "TREAT"), ("inactive-r5.json", "TREAT")] {
        // Import refuses it; the same consent made active imports, and applies only while active.
        let mut v = fixture(name);
        v["status"] = "active".into();
        let i = import_consent(&v, &refs(), &key()).unwrap();
        let mut c = Consent { id: 10, version: 2, grantor: i.grantor, terms: i.terms, time: at(NOW), height: 3 };
        let ask = by("Practitioner/carol", Action::Access, purpose);
        expect(&[c.clone()], &ask, &plain_record(), Outcome::Permit, &[]);
        c.terms.status = Status::Inactive;
        expect(&[c.clone()], &ask, &plain_record(), Outcome::NoConsent, &[]);
        c.terms.status = Status::Draft;
        expect(&[c], &ask, &plain_record(), Outcome::NoConsent, &[]);
    }
}

#[test]
fn a_deny_of_one_consent_wins_over_a_permit_of_another() {
    // Alice's opt-in and her consent that denies Dave.
    let c = [on_chain("opt-in-r4.json", 1), on_chain("denied-practitioner-r5.json", 2)];
    expect(&c, &by("Practitioner/carol", Action::Access, "TREAT"), &plain_record(), Outcome::Permit, &[]);
    let v = expect(&c, &by("Practitioner/dave", Action::Access, "TREAT"), &plain_record(), Outcome::Deny, &[0]);
    assert_eq!(v.consent, Some((2, 1)));
}
