//! What the node gives modules' commands ([`salus_sdk::cli::CliCtx`]): the keyring, the chain id,
//! the node's RPC, and the consensus key of `--home`.

use std::future::Future;

use anyhow::{bail, Result};
use salus_sdk::cli::{CliCtx, PubKey};
use salus_sdk::Address;

use crate::client::Rpc;
use crate::home::{genesis_chain_id, Home};
use crate::keyring::{AnyKey, Keyring};

/// The context of one `salusd tx|query|did` run. It owns a current-thread runtime and blocks on
/// it for every RPC call, so it is used from synchronous code only (never inside `block_on`).
pub struct NodeCtx {
    home: Home,
    pub ring: Keyring,
    pub rpc: Rpc,
    runtime: tokio::runtime::Runtime,
    chain_id: Option<String>,
    height: u64,
}

impl NodeCtx {
    /// `chain_id` is `--chain-id` (the genesis of `home` is read if it is `None`); `height` the
    /// height queries read at.
    pub fn new(home: &Home, node: &str, chain_id: Option<String>, height: u64) -> Result<Self> {
        let runtime = super::runtime()?;
        let rpc = Rpc::new(node)?;
        Ok(Self { home: Home(home.0.clone()), ring: Keyring::open(home.keyring()), rpc, runtime, chain_id, height })
    }

    /// Runs an RPC call to completion.
    pub fn block_on<F: Future>(&self, f: F) -> F::Output {
        self.runtime.block_on(f)
    }
}

/// `--chain-id`, or the chain id of `home`'s genesis.
pub fn chain_id(home: &Home, given: Option<String>) -> Result<String> {
    match given.or_else(|| genesis_chain_id(home)) {
        Some(c) => Ok(c),
        None => bail!("no --chain-id given and no genesis in {} to read it from", home.0.display()),
    }
}

impl CliCtx for NodeCtx {
    fn chain_id(&self) -> Result<String> {
        chain_id(&self.home, self.chain_id.clone())
    }

    fn node(&self) -> &str {
        &self.rpc.url
    }

    fn height(&self) -> u64 {
        self.height
    }

    fn key(&self, name_or_address: &str) -> Result<Address> {
        Ok(self.ring.resolve(name_or_address)?.address)
    }

    fn public_key(&self, name: &str) -> Result<PubKey> {
        Ok(match self.ring.get_any(name)? {
            AnyKey::Secp256k1(k) => PubKey::Secp256k1(k.pubkey),
            AnyKey::Ed25519(k) => PubKey::Ed25519(k.public_bytes()),
        })
    }

    fn sign(&self, name: &str, bytes: &[u8]) -> Result<Vec<u8>> {
        Ok(self.ring.get_any(name)?.sign(bytes))
    }

    fn query(&self, path: &str, data: Vec<u8>, height: u64) -> Result<Vec<u8>> {
        self.block_on(self.rpc.query_value(path, data, height))
    }

    fn consensus_pubkey(&self) -> Result<[u8; 32]> {
        crate::home::consensus_pubkey(&self.home)
    }
}
