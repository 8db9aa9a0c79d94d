//! Software upgrades, as the node meets them before every block: the plan governance scheduled
//! (`salus-upgrade`) against the upgrade handlers this binary has.
//!
//! At the plan's height a binary without its handler stops before executing the block, with a
//! log line that names the plan and the height, and leaves its state exactly as it was; the
//! operator restarts the node with the new binary, which runs the handler's migration at that
//! height and goes on. A binary that has the handler of a plan whose height has not come stops
//! too: it was started too early, and running the old rules with it would fork.

use salus_sdk::{Error, StateWrite};
use salus_upgrade::{Plan, UpgradeRead, UpgradeWrite};

/// A migration: what the new binary changes in state at the plan's height.
pub type Migration = fn(&mut dyn StateWrite) -> Result<(), Error>;

/// This binary's upgrade handlers, by plan name. A release adds one entry per plan it
/// implements.
pub fn handlers() -> Vec<(&'static str, Migration)> {
    #[allow(unused_mut)]
    let mut all: Vec<(&'static str, Migration)> = Vec::new();
    #[cfg(feature = "test-upgrade")]
    all.push((TEST_PLAN, |_| Ok(())));
    all
}

/// The plan the `test-upgrade` build handles (its migration changes nothing but the plan's
/// record), for the end-to-end upgrade test.
pub const TEST_PLAN: &str = "salus-test-upgrade";

/// Why the node stops before a block.
#[derive(Debug)]
pub struct UpgradeNeeded(pub String);

/// Before the block at `height`: runs the plan's migration if the plan is due and `handlers`
/// (this binary's) have it; refuses to go on if the plan is due and they do not, or if they have
/// it too early.
pub fn before_block(
    state: &mut impl StateWrite,
    height: u64,
    handlers: &[(&'static str, Migration)],
) -> Result<Result<(), UpgradeNeeded>, Error> {
    let Some(plan) = state.upgrade_plan()? else { return Ok(Ok(())) };
    let migration = handlers.iter().find(|(n, _)| *n == plan.name).map(|(_, m)| *m);
    if plan.height > height {
        return Ok(match migration {
            Some(_) => Err(UpgradeNeeded(format!(
                "BINARY UPDATED BEFORE TRIGGER! UPGRADE \"{}\" is scheduled at height {} and this binary has its \
                 handler: run the previous binary until then",
                plan.name, plan.height
            ))),
            None => Ok(()),
        });
    }
    match migration {
        None => Ok(Err(needed(&plan))),
        Some(migrate) => {
            migrate(&mut *state)?;
            state.mark_applied(&plan, height)?;
            tracing::info!(name = %plan.name, height, "applied upgrade");
            Ok(Ok(()))
        }
    }
}

fn needed(plan: &Plan) -> UpgradeNeeded {
    UpgradeNeeded(format!(
        "UPGRADE \"{}\" NEEDED at height: {}: {}: stop this node and start the binary that has this upgrade's handler",
        plan.name, plan.height, plan.info
    ))
}
