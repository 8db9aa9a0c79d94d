//! An exception excepts only from its own parent: sibling branches combine deny-overrides.
//! Patient: "never Dr. D" ([0]) and "nothing restricted, except for the hospital's providers"
//! ([1], [1,0]). Dr. D is a provider at the hospital and is denied the restricted record too.
//! Found by the security review, when "the deepest match decides" compared depths across sibling
//! branches.

use salus_consent::evaluate::{decide, Asked, HeldRoles, Request};
use salus_consent::{
    Action, Actor, Coding, Confidentiality, Consent, Decision, Outcome, Period, Provision, Purpose, RoleGrant, Scope,
    Status, Terms,
};
use salus_did::{Did, PublicKey};
use salus_sdk::time::Time;

fn did(n: u8) -> Did {
    Did::from_key(&PublicKey::Ed25519([n; 32]))
}

#[test]
fn an_exception_in_another_branch_does_not_override_an_explicit_deny() {
    let (patient, dr_d, hospital) = (did(1), did(2), did(3));
    let prov = Coding { system: "http://terminology.hl7.org/CodeSystem/v3-RoleCode".into(), code: "PROV".into() };
    let never_d = Provision {
        actors: vec![Actor { role: None, reference: Some(dr_d.clone()) }],
        ..Provision::any(Decision::Deny)
    };
    let restricted_only_hospital_providers = Provision {
        confidentiality: vec![Confidentiality::R],
        provisions: vec![Provision {
            actors: vec![Actor { role: Some(prov.clone()), reference: Some(hospital.clone()) }],
            ..Provision::any(Decision::Permit)
        }],
        ..Provision::any(Decision::Deny)
    };
    let consent = Consent {
        id: 1,
        version: 1,
        grantor: patient.clone(),
        terms: Terms {
            subject: patient,
            status: Status::Active,
            scope: Scope::Treatment,
            decision: Decision::Permit,
            period: Period::default(),
            provisions: vec![never_d, restricted_only_hospital_providers],
        },
        time: Time { secs: 0, nanos: 0 },
        height: 1,
    };
    let grants = [RoleGrant { organization: hospital, member: dr_d.clone(), role: prov, period: Period::default() }];
    let roles = HeldRoles::of(&dr_d, &grants, Time { secs: 1000, nanos: 0 });
    let ask = |labels: Vec<Confidentiality>| Asked {
        record: Some(7),
        confidentiality: labels,
        data_time: Some(Time { secs: 100, nanos: 0 }),
        ..Asked::default()
    };
    let outcome = |asked: &Asked| {
        let req = Request {
            requester: &dr_d,
            roles: &roles,
            action: Action::Access,
            purpose: Purpose::parse("TREAT").unwrap(),
            time: Time { secs: 1000, nanos: 0 },
            asked,
            custodian: None,
        };
        decide(std::slice::from_ref(&consent), &req, &mut |_| Ok(())).unwrap()
    };

    assert_eq!(outcome(&ask(vec![Confidentiality::N])).outcome, Outcome::Deny, "D's normal record: denied by [0]");
    let restricted = outcome(&ask(vec![Confidentiality::R]));
    assert_eq!(
        restricted.outcome,
        Outcome::Deny,
        "D's restricted record is permitted by [1,0] over the patient's \"never Dr. D\": {restricted:?}"
    );
}
