//! DID module: the `did:salus` method (docs/did-method.md). Every actor (patient, clinician,
//! hospital, research group, AI model) has a W3C DID Core document that it controls, with every
//! version kept and resolvable. Other modules ask [`DidRead`].

pub mod abilities;
pub mod act_cli;
pub mod actor;
pub mod cli;
pub mod conformance;
pub mod crypto;
pub mod document;
pub mod error;
pub mod events;
pub mod genesis;
pub mod handler;
pub mod json;
pub mod keys;
pub mod method;
pub mod module;
pub mod msgs;
pub mod params;
pub mod proof;
pub mod query;
pub mod state;

pub use abilities::ActAsDid;
pub use actor::{Acting, ActorProof};
pub use crypto::PublicKey;
pub use document::{Document, MethodType, Relationship};
pub use error::DidError;
pub use genesis::Genesis;
pub use method::{Did, DidUrl};
pub use module::DidModule;
pub use msgs::DidMsg;
pub use params::Params;
pub use state::DidRead;

/// Key prefix, event prefix, codespace and CLI word.
pub const NAME: &str = "did";
