//! Decision tables for the engine: every row states the outcome, the deciding consent and path,
//! and the obligations.

use salus_did::{Did, PublicKey};
use salus_records::{Commitment, Confidentiality};
use salus_sdk::time::Time;
use salus_sdk::Error;

use super::*;
use crate::types::{Coding, Scope, Terms};

fn did(n: u8) -> Did {
    Did::from_key(&PublicKey::Ed25519([n; 32]))
}

fn t(secs: i64) -> Time {
    Time { secs, nanos: 0 }
}

fn c(n: u8) -> Commitment {
    Commitment([n; 32])
}

fn period(start: Option<i64>, end: Option<i64>) -> Period {
    Period { start: start.map(t), end: end.map(t) }
}

fn purpose(code: &str) -> Purpose {
    Purpose::parse(code).unwrap()
}

fn role(code: &str) -> Coding {
    Coding { system: "http://terminology.hl7.org/CodeSystem/v3-RoleCode".into(), code: code.into() }
}

/// A provision matching everything, then `f` sets its conditions and children.
fn prov(decision: Decision, f: impl FnOnce(&mut Provision)) -> Provision {
    let mut p = Provision::any(decision);
    f(&mut p);
    p
}

fn permit(f: impl FnOnce(&mut Provision)) -> Provision {
    prov(Decision::Permit, f)
}

fn deny(f: impl FnOnce(&mut Provision)) -> Provision {
    prov(Decision::Deny, f)
}

fn by(d: &Did) -> Actor {
    Actor { role: None, reference: Some(d.clone()) }
}

fn in_role(code: &str) -> Actor {
    Actor { role: Some(role(code)), reference: None }
}

fn in_role_of(code: &str, org: &Did) -> Actor {
    Actor { role: Some(role(code)), reference: Some(org.clone()) }
}

const SUBJECT: u8 = 1;

fn consent(id: u64, status: Status, decision: Decision, period: Period, provisions: Vec<Provision>) -> Consent {
    Consent {
        id,
        version: id + 10,
        grantor: did(SUBJECT),
        terms: Terms { subject: did(SUBJECT), status, scope: Scope::Treatment, decision, period, provisions },
        time: t(0),
        height: 1,
    }
}

fn active(id: u64, decision: Decision, provisions: Vec<Provision>) -> Consent {
    consent(id, Status::Active, decision, Period::default(), provisions)
}

/// An access, owned (a [`Request`] borrows it).
#[derive(Clone)]
struct Ask {
    requester: Did,
    roles: Vec<RoleGrant>,
    action: Action,
    purpose: Purpose,
    time: Time,
    asked: Asked,
    custodian: Option<Did>,
    /// Organizations whose grants count for denies only.
    deactivated: Vec<Did>,
}

/// `requester` accessing record 1 (no classes, no labels, no time) for TREAT at time 1000.
fn ask(requester: &Did) -> Ask {
    Ask {
        requester: requester.clone(),
        roles: vec![],
        action: Action::Access,
        purpose: purpose("TREAT"),
        time: t(1000),
        asked: Asked { record: Some(1), ..Asked::default() },
        custodian: None,
        deactivated: vec![],
    }
}

impl Ask {
    fn purpose(mut self, code: &str) -> Ask {
        self.purpose = purpose(code);
        self
    }
    fn action(mut self, a: Action) -> Ask {
        self.action = a;
        self
    }
    fn at(mut self, secs: i64) -> Ask {
        self.time = t(secs);
        self
    }
    /// The record asked is held by `custodian`.
    fn held_by(mut self, custodian: &Did) -> Ask {
        self.custodian = Some(custodian.clone());
        self
    }
    fn grant(mut self, org: &Did, code: &str, p: Period) -> Ask {
        let member = self.requester.clone();
        self.roles.push(RoleGrant { organization: org.clone(), member, role: role(code), period: p });
        self
    }
    fn record(mut self, id: u64, classes: Vec<Commitment>, conf: Vec<Confidentiality>, time: Option<i64>) -> Ask {
        self.asked =
            Asked { record: Some(id), classes, confidentiality: conf, data_time: time.map(t), ..Asked::default() };
        self
    }
    fn sensitivity(mut self, s: Vec<Commitment>) -> Ask {
        self.asked.sensitivity = s;
        self
    }
    fn class(mut self, class: Commitment, conf: Vec<Confidentiality>, data_period: Period) -> Ask {
        self.asked =
            Asked { record: None, classes: vec![class], confidentiality: conf, data_period, ..Asked::default() };
        self
    }
    fn deactivated(mut self, org: &Did) -> Ask {
        self.deactivated.push(org.clone());
        self
    }
    /// The requester's grants as the handler reads them.
    fn held(&self) -> HeldRoles {
        let mut held = HeldRoles::default();
        for g in &self.roles {
            held.add(&self.requester, g, self.time, !self.deactivated.contains(&g.organization));
        }
        held
    }
    fn request<'a>(&'a self, held: &'a HeldRoles) -> Request<'a> {
        Request {
            requester: &self.requester,
            roles: held,
            action: self.action,
            purpose: self.purpose,
            time: self.time,
            asked: &self.asked,
            custodian: self.custodian.as_ref(),
        }
    }
}

struct Want {
    outcome: Outcome,
    consent: Option<u64>,
    path: Vec<u32>,
    obligations: Vec<Obligation>,
}

fn permitted(consent: u64, path: &[u32]) -> Want {
    Want { outcome: Outcome::Permit, consent: Some(consent), path: path.to_vec(), obligations: vec![] }
}

fn denied(consent: u64, path: &[u32]) -> Want {
    Want { outcome: Outcome::Deny, consent: Some(consent), path: path.to_vec(), obligations: vec![] }
}

fn no_consent() -> Want {
    Want { outcome: Outcome::NoConsent, consent: None, path: vec![], obligations: vec![] }
}

impl Want {
    fn obliged(mut self, o: Obligation) -> Want {
        self.obligations.push(o);
        self
    }
}

/// An obligation to redact confidentiality `conf` and classes `classes` from consent `id`'s
/// provision at `path`.
fn redact(id: u64, path: &[u32], conf: Vec<Confidentiality>, classes: Vec<Commitment>) -> Obligation {
    Obligation {
        confidentiality: conf,
        sensitivity: vec![],
        classes,
        codes: vec![],
        consent_id: id,
        consent_version: id + 10,
        path: path.to_vec(),
    }
}

fn decide_counting(consents: &[Consent], ask: &Ask) -> (Verdict, u64) {
    let mut charged = 0;
    let verdict = decide(consents, &ask.request(&ask.held()), &mut |n| {
        charged += n;
        Ok(())
    })
    .unwrap();
    (verdict, charged)
}

fn check(consents: &[Consent], rows: Vec<(&str, Ask, Want)>) {
    for (name, ask, want) in rows {
        let (v, _) = decide_counting(consents, &ask);
        let consent = want.consent.map(|id| {
            let c = consents.iter().find(|c| c.id == id).unwrap();
            (c.id, c.version)
        });
        assert_eq!(
            (v.outcome, v.consent, &v.path, &v.obligations),
            (want.outcome, consent, &want.path, &want.obligations),
            "row: {name}"
        );
    }
}

#[test]
fn nesting_three_levels_the_deepest_match_decides() {
    let practitioner = did(10);
    let other = did(11);
    // permit; except deny for the practitioner; except permit again for emergency treatment.
    let consents = [active(
        1,
        Decision::Permit,
        vec![deny(|p| {
            p.actors = vec![by(&practitioner)];
            p.provisions = vec![permit(|p| p.purposes = vec![purpose("ETREAT")])];
        })],
    )];
    check(
        &consents,
        vec![
            ("anyone else: the base permit", ask(&other), permitted(1, &[])),
            ("anyone else in an emergency: still the base", ask(&other).purpose("ETREAT"), permitted(1, &[])),
            ("the practitioner: denied", ask(&practitioner), denied(1, &[0])),
            ("the practitioner for research: denied", ask(&practitioner).purpose("HRESCH"), denied(1, &[0])),
            (
                "the practitioner in an emergency: permitted again",
                ask(&practitioner).purpose("ETREAT"),
                permitted(1, &[0, 0]),
            ),
        ],
    );
}

#[test]
fn an_exception_excepts_only_from_its_parent_and_ties_go_to_the_lower_index() {
    let practitioner = did(10);
    let consents = [active(
        1,
        Decision::Permit,
        vec![
            deny(|p| {
                p.actors = vec![by(&practitioner)];
                p.provisions = vec![permit(|p| p.purposes = vec![purpose("ETREAT")])];
            }),
            deny(|p| p.purposes = vec![purpose("ETREAT"), purpose("HRESCH")]),
            deny(|p| p.actions = vec![Action::Disclose]),
        ],
    )];
    check(
        &consents,
        vec![
            (
                "[0,0] excepts from [0] only: the sibling deny [1] still applies",
                ask(&practitioner).purpose("ETREAT"),
                denied(1, &[1]),
            ),
            ("two depth 1 denies: the lower index", ask(&practitioner).purpose("HRESCH"), denied(1, &[0])),
            ("someone else for research", ask(&did(11)).purpose("HRESCH"), denied(1, &[1])),
            ("[1] and [2] both match: [1]", ask(&did(11)).purpose("HRESCH").action(Action::Disclose), denied(1, &[1])),
            ("only [2]", ask(&did(11)).action(Action::Disclose), denied(1, &[2])),
            ("none", ask(&did(11)), permitted(1, &[])),
        ],
    );
}

#[test]
fn periods_start_inclusive_end_exclusive_for_consents_and_provisions() {
    let anyone = did(10);
    let consents = [consent(
        1,
        Status::Active,
        Decision::Permit,
        period(Some(100), Some(200)),
        vec![deny(|p| p.period = period(Some(150), Some(160)))],
    )];
    check(
        &consents,
        vec![
            ("before the consent", ask(&anyone).at(99), no_consent()),
            ("at its start", ask(&anyone).at(100), permitted(1, &[])),
            ("at the provision's start", ask(&anyone).at(150), denied(1, &[0])),
            ("just before the provision's end", ask(&anyone).at(159), denied(1, &[0])),
            ("at the provision's end", ask(&anyone).at(160), permitted(1, &[])),
            ("just before the consent's end", ask(&anyone).at(199), permitted(1, &[])),
            ("at the consent's end: expired", ask(&anyone).at(200), no_consent()),
        ],
    );
    // Open-ended periods.
    let consents = [consent(
        1,
        Status::Active,
        Decision::Permit,
        period(Some(100), None),
        vec![deny(|p| p.period = period(None, Some(150)))],
    )];
    check(
        &consents,
        vec![
            ("before", ask(&anyone).at(99), no_consent()),
            ("open end of the provision's start", ask(&anyone).at(100), denied(1, &[0])),
            ("after the provision", ask(&anyone).at(150), permitted(1, &[])),
            ("far later", ask(&anyone).at(i64::MAX), permitted(1, &[])),
        ],
    );
}

#[test]
fn draft_and_inactive_consents_do_not_apply() {
    let anyone = did(10);
    let everything = || vec![];
    let draft = consent(1, Status::Draft, Decision::Deny, Period::default(), everything());
    let inactive = consent(2, Status::Inactive, Decision::Deny, Period::default(), everything());
    let permit_all = active(3, Decision::Permit, everything());
    check(std::slice::from_ref(&draft), vec![("a draft alone", ask(&anyone), no_consent())]);
    check(std::slice::from_ref(&inactive), vec![("a revoked consent alone", ask(&anyone), no_consent())]);
    check(
        &[draft, inactive, permit_all],
        vec![("draft and revoked denies do not override an active permit", ask(&anyone), permitted(3, &[]))],
    );
    check(&[], vec![("no consents at all", ask(&anyone), no_consent())]);
}

#[test]
fn deny_overrides_across_the_consents_of_one_subject() {
    let anyone = did(10);
    let treatment = active(1, Decision::Permit, vec![]);
    let opt_out = active(2, Decision::Deny, vec![permit(|p| p.purposes = vec![purpose("TREAT")])]);
    let another_opt_out = active(3, Decision::Deny, vec![]);
    check(
        &[treatment.clone(), opt_out.clone()],
        vec![
            ("both permit treatment: the lower id decides", ask(&anyone), permitted(1, &[])),
            ("the opt-out's base deny beats the other's permit", ask(&anyone).purpose("HRESCH"), denied(2, &[])),
        ],
    );
    check(
        &[another_opt_out.clone(), treatment.clone(), opt_out.clone()],
        vec![
            ("in any order given, the lowest id's deny decides", ask(&anyone), denied(3, &[])),
            ("two denies: the lowest id's", ask(&anyone).purpose("HRESCH"), denied(2, &[])),
        ],
    );
    check(
        &[treatment, consent(4, Status::Active, Decision::Deny, period(Some(2000), None), vec![])],
        vec![
            ("an opt-out not yet in force", ask(&anyone).at(1999), permitted(1, &[])),
            ("once in force", ask(&anyone).at(2000), denied(4, &[])),
        ],
    );
}

#[test]
fn a_purpose_outside_the_list_does_not_match() {
    let anyone = did(10);
    let consents =
        [active(1, Decision::Deny, vec![permit(|p| p.purposes = vec![purpose("TREAT"), purpose("ETREAT")])])];
    check(
        &consents,
        vec![
            ("treatment", ask(&anyone), permitted(1, &[0])),
            ("emergency treatment", ask(&anyone).purpose("ETREAT"), permitted(1, &[0])),
            ("research", ask(&anyone).purpose("HRESCH"), denied(1, &[])),
            ("payment", ask(&anyone).purpose("HPAYMT"), denied(1, &[])),
            ("public health", ask(&anyone).purpose("PUBHLTH"), denied(1, &[])),
            ("ai training", ask(&anyone).purpose("ai-training"), denied(1, &[])),
        ],
    );
}

#[test]
fn role_actors_need_a_live_grant_and_the_right_organization() {
    let clinician = did(10);
    let hospital = did(20);
    let lab = did(21);
    let always = Period::default();
    let consents = [active(
        1,
        Decision::Deny,
        vec![
            permit(|p| p.actors = vec![in_role("PROV")]),
            permit(|p| p.actors = vec![in_role_of("RESEARCHER", &hospital)]),
        ],
    )];
    let stranger = ask(&clinician);
    check(
        &consents,
        vec![
            ("no role", stranger.clone(), denied(1, &[])),
            (
                "a role alone matches a grant from the record's custodian",
                stranger.clone().held_by(&lab).grant(&lab, "PROV", always),
                permitted(1, &[0]),
            ),
            (
                "a role alone: a grant from anyone else is nobody's word",
                stranger.clone().held_by(&hospital).grant(&lab, "PROV", always),
                denied(1, &[]),
            ),
            (
                "a role alone, a data class question (no custodian): nobody",
                stranger.clone().grant(&lab, "PROV", always).class(c(1), vec![], Period::default()),
                denied(1, &[]),
            ),
            (
                "a live grant",
                stranger.clone().held_by(&lab).grant(&lab, "PROV", period(Some(1000), Some(1001))),
                permitted(1, &[0]),
            ),
            (
                "an expired grant",
                stranger.clone().held_by(&lab).grant(&lab, "PROV", period(Some(0), Some(1000))),
                denied(1, &[]),
            ),
            (
                "a grant not yet started",
                stranger.clone().held_by(&lab).grant(&lab, "PROV", period(Some(1001), None)),
                denied(1, &[]),
            ),
            ("another role", stranger.clone().held_by(&lab).grant(&lab, "NURSE", always), denied(1, &[])),
            (
                "the role in the named organization",
                stranger.clone().grant(&hospital, "RESEARCHER", always),
                permitted(1, &[1]),
            ),
            (
                "the role granted by another organization",
                stranger.clone().grant(&lab, "RESEARCHER", always),
                denied(1, &[]),
            ),
            ("the organization itself", ask(&hospital), permitted(1, &[1])),
        ],
    );
    // A grant to someone else is not the requester's.
    let mut theirs = ask(&clinician).held_by(&lab);
    theirs.roles.push(RoleGrant { organization: lab.clone(), member: did(11), role: role("PROV"), period: always });
    check(&consents, vec![("another member's grant", theirs, denied(1, &[]))]);
    // A role system is part of the role.
    let mut other_system = ask(&clinician).held_by(&lab);
    other_system.roles.push(RoleGrant {
        organization: lab,
        member: clinician.clone(),
        role: Coding { system: "https://example.org/roles".into(), code: "PROV".into() },
        period: always,
    });
    check(&consents, vec![("same code, another system", other_system, denied(1, &[]))]);
}

#[test]
fn a_role_alone_denies_from_any_organization_and_a_deactivated_one_only_denies() {
    let researcher = did(10);
    let hospital = did(20);
    let university = did(21);
    let always = Period::default();
    let consents = [active(
        1,
        Decision::Permit,
        vec![
            deny(|p| p.actors = vec![in_role("RESEARCHER")]),
            deny(|p| p.actors = vec![in_role_of("AUDITOR", &university)]),
        ],
    )];
    let asks = ask(&researcher).held_by(&hospital);
    check(
        &consents,
        vec![
            ("no role", asks.clone(), permitted(1, &[])),
            (
                "a role alone denies whoever gave it, not only the custodian",
                asks.clone().grant(&university, "RESEARCHER", always),
                denied(1, &[0]),
            ),
            (
                "and in a data class question, which names no custodian",
                ask(&researcher).grant(&university, "RESEARCHER", always).class(c(1), vec![], Period::default()),
                denied(1, &[0]),
            ),
            (
                "an expired grant denies nothing",
                asks.clone().grant(&university, "RESEARCHER", period(Some(0), Some(1000))),
                permitted(1, &[]),
            ),
            (
                "a deactivated organization's grant still denies",
                asks.clone().grant(&university, "RESEARCHER", always).deactivated(&university),
                denied(1, &[0]),
            ),
            (
                "and so does its grant of a role a deny names with it",
                asks.clone().grant(&university, "AUDITOR", always).deactivated(&university),
                denied(1, &[1]),
            ),
        ],
    );
    // A deactivated organization's grant permits nothing.
    let permits = [active(
        2,
        Decision::Deny,
        vec![
            permit(|p| p.actors = vec![in_role("PROV")]),
            permit(|p| p.actors = vec![in_role_of("RESEARCHER", &university)]),
        ],
    )];
    check(
        &permits,
        vec![
            ("the custodian's role", asks.clone().grant(&hospital, "PROV", always), permitted(2, &[0])),
            (
                "the custodian deactivated",
                asks.clone().grant(&hospital, "PROV", always).deactivated(&hospital),
                denied(2, &[]),
            ),
            (
                "the named organization deactivated",
                asks.clone().grant(&university, "RESEARCHER", always).deactivated(&university),
                denied(2, &[]),
            ),
        ],
    );
    // More grants than a decision reads: the role counts as held, for denies only.
    let mut assumed = HeldRoles::default();
    assumed.assume_held_somewhere(role("RESEARCHER"));
    let record = Asked { record: Some(1), ..Asked::default() };
    let request = Request {
        requester: &researcher,
        roles: &assumed,
        action: Action::Access,
        purpose: purpose("TREAT"),
        time: t(1000),
        asked: &record,
        custodian: Some(&hospital),
    };
    let v = decide(&consents, &request, &mut |_| Ok(())).unwrap();
    assert_eq!((v.outcome, v.path), (Outcome::Deny, vec![0]));
    let v = decide(
        &[active(3, Decision::Deny, vec![permit(|p| p.actors = vec![in_role("RESEARCHER")])])],
        &request,
        &mut |_| Ok(()),
    )
    .unwrap();
    assert_eq!(v.outcome, Outcome::Deny, "an assumed role permits nothing");
}

#[test]
fn a_deny_nested_in_a_partially_matching_permit_still_denies() {
    let x = did(10);
    let labs = c(1);
    // [0] permits data of 2020..2023 (a record without a data time matches it partially), and
    // [0,0] denies X within it.
    let by_period = [active(
        1,
        Decision::Permit,
        vec![permit(|p| {
            p.data_period = period(Some(2020), Some(2023));
            p.provisions = vec![deny(|d| d.actors = vec![by(&x)])];
        })],
    )];
    // [0] permits lab data (a class question about labs alone is full; one that may hold more is
    // partial), and [0,0] denies X within it.
    let by_class = [active(
        1,
        Decision::Permit,
        vec![permit(|p| {
            p.classes = vec![labs];
            p.provisions = vec![deny(|d| d.actors = vec![by(&x)])];
        })],
    )];
    check(
        &by_period,
        vec![
            ("X asks a record of unknown time", ask(&x), denied(1, &[0, 0])),
            ("anyone else", ask(&did(11)), permitted(1, &[])),
        ],
    );
    let mut wide = ask(&x).class(labs, vec![], Period::default());
    wide.asked.classes.push(c(2));
    check(
        &by_class,
        vec![
            ("X asks a class question the permit covers in part", wide.clone(), denied(1, &[0, 0])),
            ("X asks labs alone", ask(&x).class(labs, vec![], Period::default()), denied(1, &[0, 0])),
        ],
    );
}

#[test]
fn an_ai_model_is_an_actor_permitted_inference_but_denied_training() {
    let model = did(30);
    let other_model = did(31);
    let consents = [active(
        1,
        Decision::Deny,
        vec![permit(|p| {
            p.actors = vec![by(&model)];
            p.actions = vec![Action::Compute];
            p.purposes = vec![purpose("ai-inference"), purpose("ai-training")];
            p.provisions = vec![deny(|p| p.purposes = vec![purpose("ai-training")])];
        })],
    )];
    let compute = |who: &Did, code: &str| ask(who).action(Action::Compute).purpose(code);
    check(
        &consents,
        vec![
            ("inference", compute(&model, "ai-inference"), permitted(1, &[0])),
            ("training", compute(&model, "ai-training"), denied(1, &[0, 0])),
            ("not compute: access", ask(&model).purpose("ai-inference"), denied(1, &[])),
            ("not compute: disclose", ask(&model).action(Action::Disclose).purpose("ai-inference"), denied(1, &[])),
            ("another model", compute(&other_model, "ai-inference"), denied(1, &[])),
            ("treatment is no AI purpose here", compute(&model, "TREAT"), denied(1, &[])),
        ],
    );
}

#[test]
fn a_data_class_against_a_specific_record() {
    let anyone = did(10);
    let (lab, mental) = (c(1), c(2));
    let consents =
        [active(1, Decision::Permit, vec![deny(|p| p.records = vec![7]), deny(|p| p.classes = vec![mental])])];
    let open = Period::default();
    check(
        &consents,
        vec![
            ("the listed record", ask(&anyone).record(7, vec![lab], vec![], None), denied(1, &[0])),
            ("another record", ask(&anyone).record(8, vec![lab], vec![], None), permitted(1, &[])),
            ("a record bearing the class", ask(&anyone).record(9, vec![lab, mental], vec![], None), denied(1, &[1])),
            ("asking the class itself", ask(&anyone).class(mental, vec![], open), denied(1, &[1])),
            (
                "another class may hold the denied one: permit, redact it",
                ask(&anyone).class(lab, vec![], open),
                permitted(1, &[]).obliged(redact(1, &[1], vec![], vec![mental])),
            ),
        ],
    );
    // Codes are compared with the asked classes too.
    let consents = [active(1, Decision::Permit, vec![deny(|p| p.codes = vec![mental])])];
    check(
        &consents,
        vec![
            ("a record bearing the code", ask(&anyone).record(9, vec![mental], vec![], None), denied(1, &[0])),
            ("a record without it", ask(&anyone).record(9, vec![lab], vec![], None), permitted(1, &[])),
            (
                "a class question",
                ask(&anyone).class(lab, vec![], open),
                permitted(1, &[]).obliged(Obligation { codes: vec![mental], ..redact(1, &[0], vec![], vec![]) }),
            ),
        ],
    );
    // A partial permit does not permit the whole.
    let consents = [active(1, Decision::Deny, vec![permit(|p| p.classes = vec![lab])])];
    check(
        &consents,
        vec![
            ("the permitted class", ask(&anyone).class(lab, vec![], open), permitted(1, &[0])),
            ("another class: the permit covers only part", ask(&anyone).class(mental, vec![], open), denied(1, &[])),
            ("a record of the class", ask(&anyone).record(3, vec![lab], vec![], None), permitted(1, &[0])),
        ],
    );
}

#[test]
fn restricted_label_r_denied_or_redacted() {
    use Confidentiality::{N, R};
    let anyone = did(10);
    let hiv = c(9);
    let labs = c(1);
    let open = Period::default();
    let consents = [active(1, Decision::Permit, vec![deny(|p| p.confidentiality = vec![R])])];
    check(
        &consents,
        vec![
            ("a record labelled R", ask(&anyone).record(5, vec![labs], vec![R], None), denied(1, &[0])),
            ("a record labelled N", ask(&anyone).record(5, vec![labs], vec![N], None), permitted(1, &[])),
            ("an unlabelled record", ask(&anyone).record(5, vec![labs], vec![], None), permitted(1, &[])),
            (
                "a class, labels unknown: permit, redact R",
                ask(&anyone).class(labs, vec![], open),
                permitted(1, &[]).obliged(redact(1, &[0], vec![R], vec![])),
            ),
            ("a class asked only as R", ask(&anyone).class(labs, vec![R], open), denied(1, &[0])),
            ("a class asked as N", ask(&anyone).class(labs, vec![N], open), permitted(1, &[])),
            (
                "a class asked as N and R: permit, redact R",
                ask(&anyone).class(labs, vec![N, R], open),
                permitted(1, &[]).obliged(redact(1, &[0], vec![R], vec![])),
            ),
        ],
    );
    // Sensitivity labels are security labels too (one condition with confidentiality).
    let consents = [active(1, Decision::Permit, vec![deny(|p| p.sensitivity = vec![hiv])])];
    let sensitive_obligation = Obligation { sensitivity: vec![hiv], ..redact(1, &[0], vec![], vec![]) };
    check(
        &consents,
        vec![
            (
                "a record labelled HIV",
                ask(&anyone).record(5, vec![labs], vec![], None).sensitivity(vec![hiv]),
                denied(1, &[0]),
            ),
            (
                "a record labelled otherwise",
                ask(&anyone).record(5, vec![labs], vec![N], None).sensitivity(vec![c(8)]),
                permitted(1, &[]),
            ),
            ("a class asked as HIV", ask(&anyone).class(labs, vec![], open).sensitivity(vec![hiv]), denied(1, &[0])),
            ("a class asked as N only", ask(&anyone).class(labs, vec![N], open), permitted(1, &[])),
            (
                "a class, labels unknown",
                ask(&anyone).class(labs, vec![], open),
                permitted(1, &[]).obliged(sensitive_obligation.clone()),
            ),
            (
                "a class asked as N and HIV",
                ask(&anyone).class(labs, vec![N], open).sensitivity(vec![hiv]),
                permitted(1, &[]).obliged(sensitive_obligation),
            ),
        ],
    );
}

#[test]
fn data_periods_for_records_and_timeframes() {
    let anyone = did(10);
    let labs = c(1);
    let consents = [active(1, Decision::Permit, vec![deny(|p| p.data_period = period(Some(1000), Some(2000)))])];
    check(
        &consents,
        vec![
            ("a record from inside", ask(&anyone).record(5, vec![labs], vec![], Some(1000)), denied(1, &[0])),
            ("a record from the end", ask(&anyone).record(5, vec![labs], vec![], Some(2000)), permitted(1, &[])),
            (
                "a record that declares no data time may hold data of any time: the deny applies",
                ask(&anyone).record(5, vec![labs], vec![], None),
                denied(1, &[0]),
            ),
            ("a timeframe inside", ask(&anyone).class(labs, vec![], period(Some(1200), Some(1300))), denied(1, &[0])),
            (
                "overlapping: partial, but a timeframe deny is no obligation",
                ask(&anyone).class(labs, vec![], period(Some(1500), Some(2500))),
                denied(1, &[0]),
            ),
            ("any time: the same", ask(&anyone).class(labs, vec![], Period::default()), denied(1, &[0])),
            ("disjoint", ask(&anyone).class(labs, vec![], period(Some(2000), Some(3000))), permitted(1, &[])),
            ("disjoint, open start", ask(&anyone).class(labs, vec![], period(None, Some(1000))), permitted(1, &[])),
        ],
    );
    // A deny with labels and a data period, partial by both: an obligation for its labels.
    let consents = [active(
        1,
        Decision::Permit,
        vec![deny(|p| {
            p.confidentiality = vec![Confidentiality::R];
            p.data_period = period(Some(1000), Some(2000));
        })],
    )];
    check(
        &consents,
        vec![
            (
                "unknown labels, any time",
                ask(&anyone).class(labs, vec![], Period::default()),
                permitted(1, &[]).obliged(redact(1, &[0], vec![Confidentiality::R], vec![])),
            ),
            (
                "labels disjoint",
                ask(&anyone).class(labs, vec![Confidentiality::N], Period::default()),
                permitted(1, &[]),
            ),
            (
                "R inside the period",
                ask(&anyone).class(labs, vec![Confidentiality::R], period(Some(1000), Some(1100))),
                denied(1, &[0]),
            ),
        ],
    );
}

#[test]
fn obligations_come_from_the_winning_path_and_every_permitting_consent() {
    let practitioner = did(10);
    let (labs, mental) = (c(1), c(2));
    let open = Period::default();
    let first = active(
        1,
        Decision::Permit,
        vec![
            deny(|p| p.confidentiality = vec![Confidentiality::R]),
            deny(|p| {
                p.actors = vec![by(&practitioner)];
                p.provisions = vec![permit(|p| {
                    p.purposes = vec![purpose("ETREAT")];
                    p.provisions = vec![deny(|p| p.classes = vec![mental])];
                })];
            }),
        ],
    );
    let second = active(2, Decision::Permit, vec![deny(|p| p.classes = vec![mental])]);
    let third = active(3, Decision::Deny, vec![]);
    let from_root = redact(1, &[0], vec![Confidentiality::R], vec![]);
    let from_deciding = redact(1, &[1, 0, 0], vec![], vec![mental]);
    let from_second = redact(2, &[0], vec![], vec![mental]);
    let emergency = ask(&practitioner).purpose("ETREAT").class(labs, vec![], open);
    check(
        &[first.clone(), second.clone()],
        vec![
            (
                "the deciding node's and its ancestors' partial denies, then the other consent's",
                emergency.clone(),
                permitted(1, &[1, 0])
                    .obliged(from_root.clone())
                    .obliged(from_deciding.clone())
                    .obliged(from_second.clone()),
            ),
            ("a deny on the path drops every obligation", emergency.clone().purpose("TREAT"), denied(1, &[1])),
        ],
    );
    check(
        &[second.clone(), first.clone()],
        vec![(
            "in consent order, whatever order they come in",
            emergency.clone(),
            permitted(1, &[1, 0]).obliged(from_root).obliged(from_deciding).obliged(from_second),
        )],
    );
    check(&[first, second, third], vec![("a deny elsewhere: no obligations", emergency, denied(3, &[]))]);
}

#[test]
fn gas_is_charged_for_every_node_evaluated_and_an_error_aborts() {
    let practitioner = did(10);
    let consents = [
        active(
            1,
            Decision::Permit,
            vec![
                // Matches: its two children are evaluated too.
                deny(|p| {
                    p.actors = vec![by(&practitioner)];
                    p.provisions = vec![
                        permit(|p| p.purposes = vec![purpose("ETREAT")]),
                        permit(|p| p.purposes = vec![purpose("BTG")]),
                    ];
                }),
                // Does not match: its child is not evaluated.
                deny(|p| {
                    p.actions = vec![Action::Disclose];
                    p.provisions = vec![permit(|_| {})];
                }),
                deny(|p| p.purposes = vec![purpose("HRESCH")]),
            ],
        ),
        // Not applying: not evaluated.
        consent(2, Status::Draft, Decision::Deny, Period::default(), vec![deny(|_| {})]),
        active(3, Decision::Permit, vec![]),
    ];
    let request = ask(&practitioner).purpose("ETREAT");
    let (v, charged) = decide_counting(&consents, &request);
    assert_eq!((v.outcome, v.path.clone()), (Outcome::Permit, vec![0, 0]));
    // Consent 1: base, [0], [0][0], [0][1], [1], [2]; consent 3: base.
    assert_eq!(charged, 7);

    // Evaluation stops at the first deny.
    let (v, charged) =
        decide_counting(&[active(1, Decision::Deny, vec![]), active(2, Decision::Permit, vec![])], &request);
    assert_eq!(v.outcome, Outcome::Deny);
    assert_eq!(charged, 1);

    // Out of gas at the third node: the error is returned as it is.
    let mut calls = 0;
    let err = decide(&consents, &request.request(&request.held()), &mut |_| {
        calls += 1;
        if calls == 3 {
            Err(Error::new("sdk", 11, "out of gas"))
        } else {
            Ok(())
        }
    })
    .unwrap_err();
    assert_eq!((err.codespace, err.code, calls), ("sdk", 11, 3));
}

#[test]
fn coverage_dimensions_take_the_least() {
    use Coverage as C;
    let labs = c(1);
    let record = Asked { record: Some(5), classes: vec![labs], ..Asked::default() };
    let class = Asked { record: None, classes: vec![labs], ..Asked::default() };
    let both = deny(|p| {
        p.records = vec![5];
        p.classes = vec![c(2)];
    });
    assert_eq!(coverage(&both, &record), C::None, "the record matches, its classes do not");
    assert_eq!(coverage(&Provision::any(Decision::Deny), &record), C::Full, "no data conditions");
    let class_and_labels = deny(|p| {
        p.classes = vec![labs];
        p.confidentiality = vec![Confidentiality::R];
    });
    assert_eq!(coverage(&class_and_labels, &class), C::Partial, "full class, unknown labels");
    assert_eq!(coverage(&deny(|p| p.records = vec![5]), &class), C::None, "a class question is no record");
}
