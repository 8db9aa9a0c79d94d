//! Governance: stakers vote on proposals; a proposal that passes runs its messages as the
//! governance authority (this module's account), which is the only sender every module's
//! `MsgUpdateParams` accepts.
//!
//! Its messages are `cosmos.gov.v1`'s (and `v1beta1`'s submit, vote, weighted vote and deposit,
//! which cosmjs's default registry sends), so wallets and explorers work unchanged. The
//! lifecycle is Cosmos x/gov v1's (SDK v0.50): deposit period, voting period, a tally by bonded
//! stake in which delegators inherit their validators' votes, and deposits refunded or burned
//! per the params.

pub mod cli;
pub mod error;
pub mod events;
pub mod genesis;
pub mod handler;
pub mod hooks;
pub mod keys;
pub mod module;
pub mod msgs;
pub mod params;
pub mod query;
pub mod state;
pub mod tally;
pub mod types;

pub use error::GovError;
pub use genesis::Genesis;
pub use module::{GovModule, GOV_ACCOUNT};
pub use msgs::GovMsg;
pub use params::Params;
pub use state::GovRead;
pub use types::{Proposal, ProposalStatus, TallyResult, Vote, VoteOption, WeightedOption};

/// Key prefix, event prefix, codespace and CLI word.
pub const NAME: &str = salus_sdk::module::GOVERNANCE;
