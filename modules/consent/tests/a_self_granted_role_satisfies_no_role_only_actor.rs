//! Anyone may give any DID a role, so a role alone in a provision counts only when the record's
//! custodian gave it: a stranger that grants itself PROV is not a "provider" of the patient's
//! hospital. Found by the security review, when a role alone matched a grant from any
//! organization.

mod support;

use salus_proto::salus::consent::v1 as pb;
use support::*;

const ROLE_SYSTEM: &str = "http://terminology.hl7.org/CodeSystem/v3-RoleCode";

#[test]
fn a_self_granted_role_satisfies_no_role_only_actor() {
    let mut w = World::new();
    let record = w.anchor((LOINC, HIV_TEST), &["N"], &[]);
    let prov = pb::Coding { system: ROLE_SYSTEM.into(), code: "PROV".into() };
    // Opt-out, except providers for treatment (an R5 actor with a role and no reference imports so).
    let terms = pb::ConsentTerms {
        subject: w.patient.did.to_string(),
        status: "active".into(),
        scope: "treatment".into(),
        decision: "deny".into(),
        period: None,
        provisions: vec![pb::Provision {
            actors: vec![pb::Actor { role: Some(prov.clone()), reference: String::new() }],
            purposes: vec!["TREAT".into()],
            ..provision("permit")
        }],
    };
    assert!(w.create_consent(Who::Patient, terms).is_ok());
    let out = w.access(Who::Stranger, record, "access", "TREAT");
    assert_eq!(event(&out, "access_decided", "outcome"), "deny", "without the role");

    // The stranger is its own "organization".
    let grant = pb::MsgGrantRole {
        signer: w.payer.address.to_string(),
        actor: None,
        member: w.stranger.did.to_string(),
        role: Some(prov),
        period: None,
    };
    let granted = w.exec_as(Who::Stranger, grant, |m| &mut m.actor);
    assert!(granted.is_ok(), "{granted:?}");

    let out = w.access(Who::Stranger, record, "access", "TREAT");
    assert_ne!(
        event(&out, "access_decided", "outcome"),
        "permit",
        "a DID that granted itself PROV is permitted by a role-only actor"
    );
}
