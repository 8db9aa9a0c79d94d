//! The scheduled plan and the applied ones.

use salus_sdk::{Error, StateRead, StateReadExt, StateWrite, StateWriteExt};

use crate::keys;
use crate::msgs::Plan;

pub trait UpgradeRead: StateRead {
    fn upgrade_plan(&self) -> Result<Option<Plan>, Error> {
        self.get(keys::PLAN)
    }

    /// The height at which a plan of this name ran, if it did.
    fn applied_height(&self, name: &str) -> Result<Option<u64>, Error> {
        self.get(&keys::applied(name))
    }

    fn applied_plans(&self) -> Result<Vec<(String, u64)>, Error> {
        Ok(self
            .prefix::<u64>(keys::APPLIED_PREFIX)?
            .into_iter()
            .map(|(k, h)| (String::from_utf8_lossy(&k[keys::APPLIED_PREFIX.len()..]).into_owned(), h))
            .collect())
    }
}

impl<S: StateRead + ?Sized> UpgradeRead for S {}

/// What the node does when it reaches a plan's height with its handler: the plan is done.
pub trait UpgradeWrite: StateWrite {
    fn set_upgrade_plan(&mut self, plan: &Plan) -> Result<(), Error> {
        self.put(keys::PLAN.to_vec(), plan)
    }

    fn clear_upgrade_plan(&mut self) -> Result<(), Error> {
        self.delete_raw(keys::PLAN.to_vec())
    }

    fn mark_applied(&mut self, plan: &Plan, height: u64) -> Result<(), Error> {
        self.clear_upgrade_plan()?;
        self.emit(crate::events::applied(plan));
        self.put(keys::applied(&plan.name), &height)
    }
}

impl<S: StateWrite + ?Sized> UpgradeWrite for S {}
