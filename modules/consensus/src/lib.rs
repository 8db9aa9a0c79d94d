//! What every validator must agree on to run blocks, besides the modules' own params:
//! CometBFT's consensus params (`cosmos.consensus.v1`: block size and gas, evidence age) and the
//! tx pipeline's limits (`salus.auth.v1`: tx bytes, gas, messages, memo). Both change only by a
//! governance proposal. CometBFT learns new consensus params from FinalizeBlock's
//! `consensus_param_updates`, which the node fills from [`ConsensusWrite::take_pending`]; they
//! apply from the next block on.

pub mod cli;
pub mod error;
pub mod events;
pub mod genesis;
pub mod handler;
pub mod keys;
pub mod module;
pub mod msgs;
pub mod params;
pub mod query;
pub mod state;

pub use error::ConsensusError;
pub use genesis::Genesis;
pub use module::ConsensusModule;
pub use msgs::ConsensusMsg;
pub use params::CometParams;
pub use state::{ConsensusRead, ConsensusWrite};

/// Key prefix, event prefix, codespace and CLI word.
pub const NAME: &str = "consensus";
