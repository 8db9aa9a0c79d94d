//! IBC for Salus: ibc-rs 0.57 over the store's `ibc` substore. ICS-02 clients (07-tendermint) and
//! the ICS-03 connection handshake, with every value at its ICS-24 path in the bytes ibc-go
//! writes, so that counterparties verify Salus' proofs; the host's consensus states come from
//! staking's historical records. ICS-04 channels open on the `transfer` port with ICS-20's
//! handshake rules; packets and ICS-20's token movements follow.

pub mod checks;
pub mod cli;
pub mod context;
pub mod error;
pub mod events;
pub mod genesis;
pub mod handler;
pub mod keys;
pub mod module;
pub mod msgs;
pub mod query;
pub mod transfer_port;

pub use error::IbcError;
pub use genesis::Genesis;
pub use module::IbcModule;
pub use msgs::IbcMsg;

/// Key prefix (the `ibc` substore), event prefix, codespace and CLI word.
pub const NAME: &str = "ibc";
