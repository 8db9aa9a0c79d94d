//! Scheduling and cancelling: only as the governance authority.

use salus_sdk::module::check_authority;
use salus_sdk::{BlockCtx, Error, StateWrite};

use crate::error::UpgradeError;
use crate::events;
use crate::msgs::UpgradeMsg;
use crate::state::{UpgradeRead, UpgradeWrite};

pub fn execute(state: &mut impl StateWrite, ctx: &BlockCtx, msg: &UpgradeMsg) -> Result<(), Error> {
    match msg {
        UpgradeMsg::SoftwareUpgrade { authority, plan } => {
            check_authority(authority)?;
            plan.validate()?;
            if plan.height <= ctx.height {
                return Err(UpgradeError::HeightPassed.with(format!(
                    "the upgrade cannot be scheduled at height {}: the chain is at {}; pick a later height",
                    plan.height, ctx.height
                )));
            }
            if let Some(at) = state.applied_height(&plan.name)? {
                return Err(UpgradeError::AlreadyApplied
                    .with(format!("upgrade {} already ran at height {at}: name the new one differently", plan.name)));
            }
            // A new plan replaces the scheduled one, as in Cosmos.
            state.set_upgrade_plan(plan)?;
            state.emit(events::scheduled(plan));
            Ok(())
        }
        UpgradeMsg::CancelUpgrade { authority } => {
            check_authority(authority)?;
            let plan =
                state.upgrade_plan()?.ok_or_else(|| UpgradeError::NoPlan.with("no upgrade is scheduled to cancel"))?;
            state.clear_upgrade_plan()?;
            state.emit(events::cancelled(&plan));
            Ok(())
        }
    }
}
