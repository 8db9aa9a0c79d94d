//! salus-testkit: an in-process Salus chain for scenario tests, in the node and in module crates.
//!
//! - [`TestChain`] drives the node's module list block by block through the real App on a
//!   temporary real store: it fabricates headers, votes and evidence, follows the validator set
//!   CometBFT would, and after every block checks every module's invariants and that the supply
//!   moved only by minting and burning.
//! - [`GenesisBuilder`] builds the typed genesis (funded accounts, validators by gentx, any section
//!   edited as a struct).
//! - [`sign`] and [`TxSpec`] make signed txs of any message; [`TestChain::exec`] runs one in a
//!   block, [`rejected`] checks a refusal changes nothing.
//! - [`DidActor`] creates a DID and signs the actor proofs of messages it performs.
//! - [`gov_test_chain`] and [`TestChain::pass_proposal`] pass a governance proposal.

#![allow(clippy::new_without_default)]

mod chain;
mod did;
mod genesis;
mod gov;
mod keys;
mod tx;

pub use chain::{open_app, TestChain};
pub use did::{action_nonce, DidActor};
pub use genesis::{genesis_json, staking_genesis, GenesisBuilder, OPERATOR_SPARE};
pub use gov::{gov_test_chain, submit_proposal_msg, TEST_VOTING_SECS};
pub use keys::{consensus_key, create_validator_msg, key, GenesisValidator};
pub use salus_node::keyring::Key;
pub use tx::{assert_code, rejected, send_msg, sign, usalus, TxSpec};

/// The chain id of every test chain.
pub const CHAIN_ID: &str = "salus-test-1";
