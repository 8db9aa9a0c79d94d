//! Upgrade errors: codespace `upgrade`, stable codes.

use crate::NAME;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum UpgradeError {
    InvalidPlan = 2,
    /// A plan of this name already ran on this chain.
    AlreadyApplied = 3,
    /// The plan's height is not after the current block.
    HeightPassed = 4,
    NoPlan = 5,
}

salus_sdk::error_codes!(UpgradeError, NAME);
