//! Software upgrades (`cosmos.upgrade.v1beta1`): governance schedules a plan (a name and a
//! height); at that height a binary without a handler for the plan stops before executing the
//! block, and a binary with one runs its migration and goes on. The node makes that check before
//! every block (`app/node/src/app/upgrades.rs`); this crate keeps the plan and the applied ones.

pub mod cli;
pub mod error;
pub mod events;
pub mod genesis;
pub mod handler;
pub mod keys;
pub mod module;
pub mod msgs;
pub mod query;
pub mod state;

pub use error::UpgradeError;
pub use genesis::Genesis;
pub use module::UpgradeModule;
pub use msgs::{Plan, UpgradeMsg};
pub use state::{UpgradeRead, UpgradeWrite};

/// Key prefix, event prefix, codespace and CLI word.
pub const NAME: &str = "upgrade";
