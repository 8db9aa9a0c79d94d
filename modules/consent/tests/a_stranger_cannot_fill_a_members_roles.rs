//! A stranger that gives a clinician many junk roles blocks nothing: a member's roles are not
//! capped (decisions read roles by point lookups, never a member's whole list), so the hospital can
//! still give the clinic its role and the clinic's access is permitted. Found by the security
//! review, when a per-member cap counted every organization's grants.

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
