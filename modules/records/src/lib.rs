//! Records module: what the chain knows of a patient's encrypted health records (docs/records.md).
//! A record is owned by the patient's DID and held by a custodian's DID (a hospital, a vault);
//! the chain keeps, per version, the content hash of the ciphertext, its size, where it is
//! stored, how it is encrypted (algorithm and key id, never the key) and its category and
//! sensitivity codes as keyed commitments only, so that no code (an HIV test type) is readable
//! on chain. Every version is kept; an erase (crypto-shredding) drops every locator and key id
//! and marks the record erased for good. Only the owner, or the custodian it named, changes a
//! record. Other modules ask [`RecordRead`].

pub mod cli;
pub mod commitment;
pub mod content;
pub mod error;
pub mod events;
pub mod genesis;
pub mod handler;
pub mod keys;
pub mod labels;
pub mod module;
pub mod msgs;
pub mod params;
pub mod query;
pub mod state;
pub mod types;

pub use commitment::{Commitment, CommitmentKey};
pub use error::RecordsError;
pub use genesis::Genesis;
pub use labels::{Confidentiality, CONFIDENTIALITY_SYSTEM};
pub use module::RecordsModule;
pub use msgs::RecordsMsg;
pub use params::Params;
pub use state::RecordRead;
pub use types::{Algorithm, Content, Encryption, Record, RecordVersion, Status};

/// Key prefix, event prefix, codespace and CLI word.
pub const NAME: &str = "records";
