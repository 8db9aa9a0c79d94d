//! Parsing and checking consent terms, and the protobuf round trip.

use salus_did::{Did, PublicKey};
use salus_proto::salus::consent::v1 as pb;
use salus_records::{Commitment, Confidentiality};
use salus_sdk::time::Time;

use super::*;
use crate::types::{AccessGrant, AuditEvent, Consent, Obligation, Outcome};

fn did(n: u8) -> Did {
    Did::from_key(&PublicKey::Ed25519([n; 32]))
}

fn t(secs: i64) -> Time {
    Time { secs, nanos: 7 }
}

fn role(code: &str) -> Coding {
    Coding { system: "http://terminology.hl7.org/CodeSystem/v3-RoleCode".into(), code: code.into() }
}

/// Terms using every field.
fn full_terms() -> Terms {
    let mut inner = Provision::any(Decision::Permit);
    inner.purposes = vec![Purpose::parse("ETREAT").unwrap()];
    inner.period = Period { start: Some(t(10)), end: None };
    let mut deny = Provision::any(Decision::Deny);
    deny.actors = vec![
        Actor { role: None, reference: Some(did(2)) },
        Actor { role: Some(role("PROV")), reference: None },
        Actor { role: Some(role("RESEARCHER")), reference: Some(did(3)) },
    ];
    deny.actions = vec![Action::Access, Action::Compute];
    deny.purposes = vec![Purpose::parse("HRESCH").unwrap(), Purpose::parse("ai-training").unwrap()];
    deny.confidentiality = vec![Confidentiality::R, Confidentiality::V];
    deny.sensitivity = vec![Commitment([1; 32])];
    deny.classes = vec![Commitment([2; 32]), Commitment([3; 32])];
    deny.codes = vec![Commitment([4; 32])];
    deny.data_period = Period { start: Some(t(1)), end: Some(t(2)) };
    deny.records = vec![5, 6];
    deny.period = Period { start: None, end: Some(t(99)) };
    deny.provisions = vec![inner];
    Terms {
        subject: did(1),
        status: Status::Active,
        scope: Scope::Research,
        decision: Decision::Permit,
        period: Period { start: Some(t(0)), end: Some(t(100)) },
        provisions: vec![deny, Provision::any(Decision::Deny)],
    }
}

fn proto_terms() -> pb::ConsentTerms {
    full_terms().to_proto()
}

fn refused(p: &pb::ConsentTerms, params: &Params) -> (u32, String) {
    let e = terms_from_proto(p, params).unwrap_err();
    assert_eq!(e.codespace, "consent");
    (e.code, e.message)
}

const INVALID_CONSENT: u32 = ConsentError::InvalidConsent as u32;
const TOO_LARGE: u32 = ConsentError::TooLarge as u32;

fn assert_refused(p: &pb::ConsentTerms, code: u32, needle: &str) {
    let (got, message) = refused(p, &Params::default());
    assert_eq!(got, code, "{message}");
    assert!(message.contains(needle), "`{message}` lacks `{needle}`");
}

#[test]
fn terms_round_trip_through_protobuf() {
    let terms = full_terms();
    let p = terms.to_proto();
    assert_eq!(terms_from_proto(&p, &Params::default()).unwrap(), terms);
    validate_terms(&terms, &Params::default()).unwrap();
    assert_eq!(p.provisions[0].records, vec![5, 6]);
    assert_eq!(p.provisions[0].purposes, vec!["HRESCH", "ai-training"]);
    assert_eq!(p.provisions[0].actors[0].reference, did(2).to_string());
    assert!(p.provisions[1].period.is_none(), "an open period is unset");
}

#[test]
fn decisions_must_alternate() {
    let mut p = proto_terms();
    p.provisions[1].decision = "permit".into();
    assert_refused(&p, INVALID_CONSENT, "terms.provisions[1].decision: permit under permit");
    let mut p = proto_terms();
    p.provisions[0].provisions[0].decision = "deny".into();
    assert_refused(&p, INVALID_CONSENT, "terms.provisions[0].provisions[0].decision: deny under deny");
    let mut p = proto_terms();
    p.decision = "deny".into();
    assert_refused(&p, INVALID_CONSENT, "terms.provisions[0].decision: deny under deny");
    let mut p = proto_terms();
    p.provisions[0].decision = "maybe".into();
    assert_refused(&p, INVALID_CONSENT, "terms.provisions[0].decision: \"maybe\" is not a decision");
    // validate_terms holds domain terms to the same rule.
    let mut terms = full_terms();
    terms.provisions[0].provisions[0].decision = Decision::Deny;
    let e = validate_terms(&terms, &Params::default()).unwrap_err();
    assert!(e.message.contains("terms.provisions[0].provisions[0].decision"), "{}", e.message);
}

/// `levels` provisions nested in one another under a permit base, built without recursion.
fn nested_proto(levels: usize) -> pb::ConsentTerms {
    let mut p = proto_terms();
    let decision = |level: usize| if level.is_multiple_of(2) { "deny" } else { "permit" };
    let mut node = pb::Provision { decision: decision(levels - 1).into(), ..Default::default() };
    for level in (0..levels - 1).rev() {
        node = pb::Provision { decision: decision(level).into(), provisions: vec![node], ..Default::default() };
    }
    p.provisions = vec![node];
    p
}

/// Takes a deep tree apart level by level (a recursive drop of 10,000 levels could overflow the
/// stack of a test thread).
fn dismantle(mut list: Vec<pb::Provision>) {
    while let Some(mut p) = list.pop() {
        list.append(&mut p.provisions);
    }
}

#[test]
fn nesting_and_size_are_bounded() {
    let params = Params { max_depth: 4, ..Params::default() };
    assert!(terms_from_proto(&nested_proto(4), &params).is_ok());
    let (code, message) = refused(&nested_proto(5), &params);
    assert_eq!(code, TOO_LARGE);
    assert!(
        message.starts_with("terms.provisions[0].provisions[0].provisions[0].provisions[0].provisions: "),
        "{message}"
    );
    assert!(message.contains("at most 4 deep (max_depth)"), "{message}");

    // 10,000 deep: refused at depth 5, no stack overflow.
    let deep = nested_proto(10_000);
    let (code, _) = refused(&deep, &params);
    assert_eq!(code, TOO_LARGE);
    dismantle(deep.provisions);

    // The same for domain terms.
    // Level 9,999 (odd) permits; top-level ones (level 0) deny under the permit base.
    let mut node = Provision::any(Decision::Permit);
    for level in (0..9_999usize).rev() {
        let mut parent = Provision::any(if level.is_multiple_of(2) { Decision::Deny } else { Decision::Permit });
        parent.provisions = vec![node];
        node = parent;
    }
    let mut terms = full_terms();
    terms.provisions = vec![node];
    assert_eq!(validate_terms(&terms, &params).unwrap_err().code, TOO_LARGE);
    let mut list = std::mem::take(&mut terms.provisions);
    while let Some(mut p) = list.pop() {
        list.append(&mut p.provisions);
    }

    // Too many in all: 30 top-level provisions with 2 children each are 90 > 64.
    let mut p = proto_terms();
    let child = pb::Provision { decision: "permit".into(), ..Default::default() };
    let parent =
        pb::Provision { decision: "deny".into(), provisions: vec![child.clone(), child], ..Default::default() };
    p.provisions = vec![parent; 30];
    assert_refused(&p, TOO_LARGE, "more than 64 provisions in all levels together (max_provisions)");
    p.provisions.truncate(21); // 63
    assert!(terms_from_proto(&p, &Params::default()).is_ok());
    p.provisions.push(pb::Provision { decision: "deny".into(), ..Default::default() }); // 64
    assert!(terms_from_proto(&p, &Params::default()).is_ok());
    p.provisions.push(pb::Provision { decision: "deny".into(), ..Default::default() }); // 65
    assert_refused(&p, TOO_LARGE, "max_provisions");

    // Any list past max_list_len.
    let mut p = proto_terms();
    p.provisions[1].records = (1..=33).collect();
    assert_refused(&p, TOO_LARGE, "terms.provisions[1].records: 33 entries, at most 32 (max_list_len)");
    let mut p = proto_terms();
    p.provisions[1].records = (1..=32).collect();
    assert!(terms_from_proto(&p, &Params::default()).is_ok());
    let mut p = proto_terms();
    p.provisions = vec![pb::Provision { decision: "deny".into(), ..Default::default() }; 33];
    assert_refused(&p, TOO_LARGE, "terms.provisions: 33 entries");
}

#[test]
fn codes_outside_their_vocabularies_are_refused_by_path() {
    let mut p = proto_terms();
    let mut child = pb::Provision { decision: "permit".into(), ..Default::default() };
    child.purposes = vec!["TREAT".into(), "XYZ".into()];
    p.provisions[0].provisions = vec![p.provisions[0].provisions[0].clone(), Default::default(), child];
    p.provisions[0].provisions[1].decision = "permit".into();
    assert_refused(
        &p,
        INVALID_CONSENT,
        "terms.provisions[0].provisions[2].purposes[1]: \"XYZ\" is not an HL7 v3 PurposeOfUse code or ai-training/ai-inference",
    );
    let mut p = proto_terms();
    p.provisions[0].actions = vec!["delete".into()];
    assert_refused(&p, INVALID_CONSENT, "terms.provisions[0].actions[0]: \"delete\" is not an action");
    let mut p = proto_terms();
    p.provisions[0].confidentiality = vec!["restricted".into()];
    assert_refused(
        &p,
        INVALID_CONSENT,
        "terms.provisions[0].confidentiality[0]: \"restricted\" is not an HL7 v3 Confidentiality code",
    );
    let mut p = proto_terms();
    p.scope = "marketing".into();
    assert_refused(&p, INVALID_CONSENT, "terms.scope");
    let mut p = proto_terms();
    p.subject = "did:web:example.com".into();
    assert_refused(&p, INVALID_CONSENT, "terms.subject");
    let mut p = proto_terms();
    p.provisions[0].actors[0].reference = "Dr. Alice Smith".into();
    assert_refused(&p, INVALID_CONSENT, "terms.provisions[0].actors[0].reference");
    // Long input is cut short in the message.
    let mut p = proto_terms();
    p.provisions[0].purposes = vec!["x".repeat(10_000)];
    let (_, message) = refused(&p, &Params::default());
    assert!(message.len() < 400, "{message}");
}

#[test]
fn status_is_draft_or_active() {
    let mut p = proto_terms();
    p.status = "draft".into();
    assert_eq!(terms_from_proto(&p, &Params::default()).unwrap().status, Status::Draft);
    p.status = "inactive".into();
    assert_refused(&p, INVALID_CONSENT, "revoking it (MsgRevokeConsent)");
    p.status = "".into();
    assert_refused(&p, INVALID_CONSENT, "terms.status");
    // Genesis keeps revoked versions: validate_terms takes any status.
    let mut terms = full_terms();
    terms.status = Status::Inactive;
    validate_terms(&terms, &Params::default()).unwrap();
}

#[test]
fn actors_roles_records_and_periods() {
    let mut p = proto_terms();
    p.provisions[0].actors[1] = pb::Actor::default();
    assert_refused(&p, INVALID_CONSENT, "terms.provisions[0].actors[1]: an actor needs a role, a reference");
    for bad in ["", "has space", "tab\t", "é", &"x".repeat(129)] {
        let mut p = proto_terms();
        p.provisions[0].actors[1].role.as_mut().unwrap().code = bad.into();
        assert_refused(
            &p,
            INVALID_CONSENT,
            "terms.provisions[0].actors[1].role.code: a role's code is 1 to 128 printable ASCII",
        );
        let mut p = proto_terms();
        p.provisions[0].actors[1].role.as_mut().unwrap().system = bad.into();
        assert_refused(&p, INVALID_CONSENT, "terms.provisions[0].actors[1].role.system");
    }
    let mut p = proto_terms();
    p.provisions[0].actors[1].role.as_mut().unwrap().code = "x".repeat(128);
    assert!(terms_from_proto(&p, &Params::default()).is_ok());
    let mut p = proto_terms();
    p.provisions[0].records = vec![3, 0];
    assert_refused(&p, INVALID_CONSENT, "terms.provisions[0].records[1]: record ids start at 1");
    let mut p = proto_terms();
    p.provisions[0].data_period.as_mut().unwrap().end = p.provisions[0].data_period.as_ref().unwrap().start;
    assert_refused(&p, INVALID_CONSENT, "terms.provisions[0].data_period: start");
    let mut p = proto_terms();
    p.period = Some(pb::Period {
        start: Some(prost_types::Timestamp { seconds: 5, nanos: 0 }),
        end: Some(prost_types::Timestamp { seconds: 4, nanos: 0 }),
    });
    assert_refused(&p, INVALID_CONSENT, "terms.period: start");
    let mut p = proto_terms();
    p.provisions[0].period =
        Some(pb::Period { start: Some(prost_types::Timestamp { seconds: 5, nanos: -1 }), end: None });
    assert_refused(&p, INVALID_CONSENT, "terms.provisions[0].period.start: nanos must be 0 to 999999999");
    let mut p = proto_terms();
    p.provisions[0].period =
        Some(pb::Period { start: None, end: Some(prost_types::Timestamp { seconds: 5, nanos: 1_000_000_000 }) });
    assert_refused(&p, INVALID_CONSENT, "terms.provisions[0].period.end: nanos");
}

#[test]
fn duplicates_and_bad_commitments_are_refused() {
    let mut p = proto_terms();
    p.provisions[0].purposes = vec!["TREAT".into(), "HRESCH".into(), "TREAT".into(), "HRESCH".into()];
    assert_refused(&p, INVALID_CONSENT, "terms.provisions[0].purposes[2]: the same as terms.provisions[0].purposes[0]");
    let mut p = proto_terms();
    p.provisions[0].records = vec![9, 8, 7, 8];
    assert_refused(&p, INVALID_CONSENT, "terms.provisions[0].records[3]: the same as terms.provisions[0].records[1]");
    let mut p = proto_terms();
    let again = p.provisions[0].actors[2].clone();
    p.provisions[0].actors.push(again);
    assert_refused(&p, INVALID_CONSENT, "terms.provisions[0].actors[3]: the same as terms.provisions[0].actors[2]");
    let mut p = proto_terms();
    p.provisions[0].class_commitments.push(vec![3; 32]);
    assert_refused(&p, INVALID_CONSENT, "terms.provisions[0].class_commitments[2]: the same as");
    for field in 0..3 {
        let mut p = proto_terms();
        let list = match field {
            0 => &mut p.provisions[0].sensitivity_commitments,
            1 => &mut p.provisions[0].class_commitments,
            _ => &mut p.provisions[0].code_commitments,
        };
        list[0] = vec![1; 31];
        let (code, message) = refused(&p, &Params::default());
        assert_eq!(code, INVALID_CONSENT, "{message}");
        assert!(message.contains("_commitments[0]: a commitment is 32 bytes"), "{message}");
    }
    let mut p = proto_terms();
    p.provisions[0].confidentiality = vec!["R".into(), "R".into()];
    assert_refused(&p, INVALID_CONSENT, "confidentiality[1]: the same as");
    let mut p = proto_terms();
    p.provisions[0].actions = vec!["use".into(), "use".into()];
    assert_refused(&p, INVALID_CONSENT, "actions[1]: the same as");
}

#[test]
fn role_grant_inputs_answer_invalid_role() {
    let grant = RoleGrant {
        organization: did(3),
        member: did(4),
        role: role("PROV"),
        period: Period { start: Some(t(1)), end: Some(t(2)) },
    };
    assert_eq!(role_grant_from_proto("roles[0]", &grant.to_proto()).unwrap(), grant);
    let mut p = grant.to_proto();
    p.role.as_mut().unwrap().code = "Dr Smith".into();
    let e = role_grant_from_proto("roles[0]", &p).unwrap_err();
    assert_eq!((e.code, e.message.starts_with("roles[0].role.code")), (ConsentError::InvalidRole as u32, true));
    let e = coding_from_proto("role", &pb::Coding::default()).unwrap_err();
    assert_eq!(e.code, ConsentError::InvalidRole as u32);
    let bad_period = pb::Period {
        start: Some(prost_types::Timestamp { seconds: 2, nanos: 0 }),
        end: Some(prost_types::Timestamp { seconds: 2, nanos: 0 }),
    };
    assert_eq!(period_from_proto("period", Some(&bad_period)).unwrap_err().code, ConsentError::InvalidRole as u32);
    assert_eq!(period_from_proto("period", None).unwrap(), Period::default());
    let e = period_with("data_period", Some(&bad_period), ConsentError::InvalidRequest).unwrap_err();
    assert_eq!(e.code, ConsentError::InvalidRequest as u32);
    p.member = "nobody".into();
    assert!(role_grant_from_proto("roles[0]", &p).unwrap_err().message.starts_with("roles[0].member"));
}

#[test]
fn records_of_the_log_and_grants_to_protobuf() {
    let obligation = Obligation {
        confidentiality: vec![Confidentiality::R],
        sensitivity: vec![Commitment([1; 32])],
        classes: vec![],
        codes: vec![Commitment([2; 32])],
        consent_id: 4,
        consent_version: 2,
        path: vec![0, 1],
    };
    let o = obligation.to_proto();
    assert_eq!(
        (o.code.as_str(), o.confidentiality.clone(), o.provision_path.clone()),
        ("redact", vec!["R".to_string()], vec![0, 1])
    );
    assert_eq!(o.sensitivity_commitments, vec![vec![1; 32]]);
    let event = AuditEvent {
        id: 9,
        requester: did(2),
        custodian: did(3),
        subject: [0xab; 16],
        record: 5,
        action: Action::Disclose,
        purpose: Purpose::parse("HRESCH").unwrap(),
        outcome: Outcome::NoConsent,
        consent: None,
        path: vec![],
        obligations: vec![],
        time: Time { secs: 100, nanos: 5 },
        height: 7,
    };
    let e = event.to_proto();
    assert_eq!(e.subject, "ab".repeat(16));
    assert_eq!((e.action.as_str(), e.purpose.as_str(), e.outcome.as_str()), ("disclose", "HRESCH", "no-consent"));
    assert_eq!((e.consent_id, e.consent_version), (0, 0));
    assert_eq!(e.time, Some(prost_types::Timestamp { seconds: 100, nanos: 5 }));
    let e =
        AuditEvent { consent: Some((4, 2)), outcome: Outcome::Permit, obligations: vec![obligation.clone()], ..event }
            .to_proto();
    assert_eq!((e.consent_id, e.consent_version, e.outcome.as_str(), e.obligations.len()), (4, 2, "permit", 1));
    let grant = AccessGrant {
        requester: did(2),
        record: 5,
        action: Action::Compute,
        purpose: Purpose::parse("ai-inference").unwrap(),
        expires: Time { secs: 3600, nanos: 0 },
        consent: (4, 2),
        obligations: vec![obligation],
    };
    let g = grant.to_proto();
    assert_eq!(
        (g.action.as_str(), g.purpose.as_str(), g.consent_id, g.consent_version),
        ("compute", "ai-inference", 4, 2)
    );
    let consent = Consent { id: 4, version: 2, grantor: did(1), terms: full_terms(), time: t(3), height: 8 };
    let c = consent.to_proto();
    assert_eq!((c.id, c.version, c.height, c.grantor), (4, 2, 8, did(1).to_string()));
    assert_eq!(terms_from_proto(c.terms.as_ref().unwrap(), &Params::default()).unwrap(), consent.terms);
    assert_eq!(
        crate::proto::time_from_proto("t", &crate::proto::timestamp(t(3)), ConsentError::InvalidRequest).unwrap(),
        t(3)
    );
}

#[test]
fn more_entries_than_max_entries_are_refused() {
    let records = |n: u64| {
        let mut p = Provision::any(Decision::Deny);
        p.records = (1..=n).collect();
        p
    };
    let mut terms = full_terms();
    terms.provisions = vec![records(256); 128];
    // 128 x 256 = 32,768: the bound.
    assert_eq!(validate_terms(&terms, &Params::CEILING), Ok(()));
    terms.provisions.push(records(1));
    let e = validate_terms(&terms, &Params::CEILING).unwrap_err();
    assert_eq!(e.code, ConsentError::TooLarge as u32);
    assert!(e.message.starts_with("terms.provisions[128]: more than 32768 entries"), "{}", e.message);
}
