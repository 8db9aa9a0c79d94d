//! Found by the security review (fixed since; this test keeps it fixed): anyone may give any DID a role, and a member holds at most
//! `max_roles_per_member` roles counted over every organization (handler.rs `grant_role`). Only the
//! organization that gave a role can take it back, so a stranger that gives a clinician 16 junk
//! roles locks out every real organization for good. Expected: the hospital can still give the
//! clinic its role.

mod support;

use salus_proto::salus::consent::v1 as pb;
use support::*;

fn grant(w: &mut World, org: Who, code: &str) -> salus_node::app::pipeline::TxOutcome {
    let msg = pb::MsgGrantRole {
        signer: w.payer.address.to_string(),
        actor: None,
        member: w.clinic.did.to_string(),
        role: Some(pb::Coding { system: "urn:junk".into(), code: code.into() }),
        period: None,
    };
    w.exec_as(org, msg, |m| &mut m.actor)
}

#[test]
fn a_stranger_cannot_fill_a_members_roles() {
    let mut w = World::new();
    for i in 0..16 {
        let out = grant(&mut w, Who::Stranger, &format!("junk-{i}"));
        assert!(out.is_ok(), "junk role {i}: {out:?}");
    }
    let out = grant(&mut w, Who::Hospital, "PROV");
    assert!(out.is_ok(), "the hospital cannot give the clinic a role once a stranger filled its slots: {out:?}");
}
