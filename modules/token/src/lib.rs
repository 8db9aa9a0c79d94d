//! Token module: balances, transfers, supply and denomination metadata.
//!
//! Its messages are `cosmos.bank.v1beta1.MsgSend` and `MsgMultiSend`, so Cosmos wallets and
//! cosmjs send tokens on Salus unchanged. Other modules move funds through its abilities
//! ([`Transfer`], [`Escrow`], [`MintBurn`], [`FeePay`]).
//!
//! Its [`Params`] change only by governance, with `salus.token.v1.MsgUpdateParams` (Salus' own
//! package: Cosmos bank's `Params` hold per-denom send flags, not these caps), whose `authority`
//! must be the governance module's account.

pub mod abilities;
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

#[cfg(feature = "test-support")]
pub use abilities::TestFunds;
pub use abilities::{Escrow, FeePay, MintBurn, Transfer};
pub use error::TokenError;
pub use genesis::Genesis;
pub use module::{fee_collector, TokenModule, FEE_COLLECTOR};
pub use msgs::TokenMsg;
pub use params::Params;
pub use state::TokenRead;

/// Key prefix, event prefix, codespace and CLI word.
pub const NAME: &str = "token";
