//! Consent module: patients (or their guardians) write consents shaped like HL7 FHIR Consent R5;
//! the chain evaluates them for every access (`MsgAccessRecord`, `Query/Decide`), stores a
//! short-lived grant on permit and logs every decision, permit or deny, on the audit log
//! (docs/consent.md).

pub mod audit;
pub mod cli;
pub mod error;
pub mod evaluate;
pub mod events;
pub mod fhir;
pub mod genesis;
pub mod handler;
pub mod keys;
pub mod module;
pub mod msgs;
pub mod params;
pub mod proto;
pub mod query;
pub mod state;
pub mod types;
pub mod validate;

pub use error::ConsentError;
pub use genesis::Genesis;
pub use module::ConsentModule;
pub use msgs::ConsentMsg;
pub use params::Params;
pub use state::ConsentRead;
pub use types::*;

/// Key prefix, event prefix, codespace and CLI word.
pub const NAME: &str = "consent";
