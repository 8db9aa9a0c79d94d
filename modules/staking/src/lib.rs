//! Staking module: validators, delegation, unbonding and redelegation, slashing (liveness and
//! double signing), rewards (inflation, fees, commission) and the validator set CometBFT follows.
//!
//! Its messages are the Cosmos SDK's (`cosmos.staking.v1beta1`, `cosmos.slashing.v1beta1`,
//! `cosmos.distribution.v1beta1`), and so are its query paths, so wallets, explorers and Hermes
//! work unchanged. Where this module is silent it follows x/staking, x/slashing and x/distribution.

pub mod abilities;
pub mod bonding;
pub mod cli;
pub mod distribution;
pub mod error;
pub mod events;
pub mod genesis;
pub mod handler;
pub mod hooks;
pub mod invariants;
pub mod keys;
pub mod module;
pub mod msgs;
pub mod pages;
pub mod params;
pub mod query;
pub mod slashing;
pub mod state;
pub mod types;

pub use abilities::{BondedValidator, HostHeader, HostHistory, VotingPower};
pub use error::{DistributionError, SlashingError, StakingError};
pub use module::{DistributionModule, SlashingModule, StakingModule};
pub use msgs::StakingMsg;
pub use params::{DistributionParams, SlashingParams, StakingParams, POWER_REDUCTION};
pub use salus_sdk::dec::{self, Dec, DecCoins};
pub use state::{StakingRead, StakingWrite};
pub use types::{BlockInfo, Misbehavior, ValidatorUpdate, VoteInfo};

/// Key prefix, codespace and CLI word of each of the crate's three modules.
pub const NAME: &str = "staking";
pub const SLASHING: &str = "slashing";
pub const DISTRIBUTION: &str = "distribution";
