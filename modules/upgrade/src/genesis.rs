//! Upgrade genesis: the scheduled plan and the applied ones, so an exported chain keeps them.

use salus_sdk::{Error, StateRead, StateWrite};
use serde::{Deserialize, Serialize};

use crate::error::UpgradeError;
use crate::msgs::Plan;
use crate::state::{UpgradeRead, UpgradeWrite};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Genesis {
    pub plan: Option<Plan>,
    pub applied: Vec<AppliedPlan>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppliedPlan {
    pub name: String,
    #[serde(with = "salus_sdk::json::string")]
    pub height: u64,
}

impl Genesis {
    pub fn validate(&self) -> Result<(), Error> {
        if let Some(plan) = &self.plan {
            plan.validate()?;
            if self.applied.iter().any(|a| a.name == plan.name) {
                return Err(UpgradeError::AlreadyApplied.with(format!("upgrade.plan {} already ran", plan.name)));
            }
        }
        for (i, a) in self.applied.iter().enumerate() {
            if a.name.is_empty() || self.applied[..i].iter().any(|b| b.name == a.name) {
                return Err(UpgradeError::InvalidPlan.with(format!("upgrade.applied[{i}] is unnamed or repeated")));
            }
        }
        Ok(())
    }

    pub fn init(&self, state: &mut impl StateWrite) -> Result<(), Error> {
        self.validate()?;
        if let Some(plan) = &self.plan {
            state.set_upgrade_plan(plan)?;
        }
        for a in &self.applied {
            salus_sdk::StateWriteExt::put(state, crate::keys::applied(&a.name), &a.height)?;
        }
        Ok(())
    }

    /// For a new chain that starts at height 1 (as every export does): a scheduled plan is not
    /// carried over (its height counts the old chain's blocks; schedule it again on the new chain),
    /// and the applied plans keep their names with height 0, so none can run twice.
    pub fn export(state: &impl StateRead) -> Result<Self, Error> {
        Ok(Self {
            plan: None,
            applied: state.applied_plans()?.into_iter().map(|(name, _)| AppliedPlan { name, height: 0 }).collect(),
        })
    }
}
