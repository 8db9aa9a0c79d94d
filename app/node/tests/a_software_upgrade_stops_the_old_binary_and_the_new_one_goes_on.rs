//! A software upgrade voted by governance: at the plan's height the binary without the plan's
//! handler refuses to execute the block (an error naming the plan and the height) and keeps its
//! state exactly as it was; the binary with the handler executes that same block, records the
//! plan as applied and goes on. A binary that has the handler before the height refuses too.
//! A user cannot schedule an upgrade; a plan at a passed height is refused.

mod support;

use prost::Message;
use salus_proto::cosmos::upgrade::v1beta1 as proto;
use salus_sdk::module::governance_authority;
use salus_upgrade::{Plan, UpgradeMsg, UpgradeRead};
use support::*;

fn chain() -> (TestChain, Vec<GenesisValidator>) {
    gov_test_chain()
}

fn schedule(chain: &mut TestChain, validators: &[GenesisValidator], plan: Plan) {
    let upgrade = UpgradeMsg::SoftwareUpgrade { authority: governance_authority(), plan }.to_any();
    chain.pass_proposal(validators, vec![upgrade]);
}

#[test]
fn the_old_binary_stops_at_the_plan_height_and_the_new_one_goes_on() {
    let (mut chain, validators) = chain();
    let plan = Plan { name: "v2".into(), height: 20, info: "https://example.org/salus/v2".into() };
    schedule(&mut chain, &validators, plan.clone());
    assert_eq!(chain.snapshot().upgrade_plan().unwrap(), Some(plan.clone()), "the proposal passed and scheduled it");
    let current = proto::QueryCurrentPlanResponse::decode(
        chain.query("/cosmos.upgrade.v1beta1.Query/CurrentPlan", vec![]).unwrap().as_slice(),
    )
    .unwrap();
    assert_eq!(current.plan.unwrap().name, "v2");

    while chain.height < plan.height - 1 {
        chain.block(Vec::new());
    }
    let before = chain.app_hash();
    for _ in 0..2 {
        let e = chain
            .app
            .finalize_block(plan.height, TestChain::time(plan.height), &[], &Default::default())
            .err()
            .expect("the old binary refuses the block");
        let text = e.to_string();
        assert!(text.contains("UPGRADE \"v2\" NEEDED at height: 20"), "{text}");
        assert_eq!(chain.app.last_committed().unwrap().unwrap(), (plan.height - 1, before), "state is as it was");
    }

    // The new binary: same state, a handler for the plan.
    chain.app.set_upgrade_handlers(vec![("v2", |_| Ok(()))]);
    chain.block(Vec::new());
    assert_eq!(chain.height, plan.height);
    assert!(chain.block_events.iter().any(|e| e.kind == "upgrade" && e.get("name") == Some("v2")));
    let snap = chain.snapshot();
    assert_eq!(snap.upgrade_plan().unwrap(), None);
    assert_eq!(snap.applied_height("v2").unwrap(), Some(plan.height));
    let applied = proto::QueryAppliedPlanResponse::decode(
        chain
            .query(
                "/cosmos.upgrade.v1beta1.Query/AppliedPlan",
                proto::QueryAppliedPlanRequest { name: "v2".into() }.encode_to_vec(),
            )
            .unwrap()
            .as_slice(),
    )
    .unwrap();
    assert_eq!(applied.height, 20);
    chain.blocks(3);
}

#[test]
fn a_binary_with_the_handler_refuses_to_run_before_the_plan_height() {
    let (mut chain, validators) = chain();
    schedule(&mut chain, &validators, Plan { name: "v3".into(), height: 40, info: String::new() });
    chain.app.set_upgrade_handlers(vec![("v3", |_| Ok(()))]);
    let next = chain.height + 1;
    let e = chain.app.finalize_block(next, TestChain::time(next), &[], &Default::default()).err().unwrap();
    assert!(e.to_string().contains("BINARY UPDATED BEFORE TRIGGER"), "{e}");
}

#[test]
fn only_governance_schedules_and_not_in_the_past() {
    let (mut chain, _) = chain();
    let user = key(1);
    let own = UpgradeMsg::SoftwareUpgrade {
        authority: user.address,
        plan: Plan { name: "x".into(), height: 100, info: String::new() },
    };
    assert_code(&chain.exec(&user, own.to_any()), "sdk", 4);
    assert_eq!(chain.snapshot().upgrade_plan().unwrap(), None);
    // Through the router, as a passed proposal runs it: a height already passed is refused.
    let limits = salus_node::app::modules::DecodeLimits::default();
    let router = salus_node::app::modules::AppRouter::new(&limits);
    let snap = chain.snapshot();
    let mut state = salus_sdk::Overlay::new(&snap);
    let ctx = salus_sdk::BlockCtx {
        chain_id: "t".into(),
        height: 50,
        time_secs: 0,
        time_nanos: 0,
        header: Default::default(),
    };
    let past = UpgradeMsg::SoftwareUpgrade {
        authority: governance_authority(),
        plan: Plan { name: "y".into(), height: 50, info: String::new() },
    };
    let e = salus_sdk::MsgRouter::execute(&router, &mut state, &ctx, &past.to_any()).unwrap_err();
    assert_eq!((e.codespace, e.code), ("upgrade", 4), "{e}");
}
