//! The module CLI contract. A module that has commands implements [`ModuleCli`] once, in its
//! crate's `cli.rs`: the clap commands under `salusd tx <NAME>` and `salusd query <NAME>`, and
//! what running them means. The node builds `salusd tx` and `salusd query` from its module list
//! (`app/node/src/app/modules.rs`), and supplies a [`CliCtx`]: keys, chain id, node address and
//! queries. The node signs and broadcasts the messages a module's `tx` returns, with its own flags
//! (`--fees`, `--gas`, `--broadcast-mode`, ...), and prints what its `query` returns.
//!
//! A module's commands are a clap derive enum (`#[derive(clap::Subcommand)]`): [`command`] makes
//! its `clap::Command` and [`parse`] reads it back from the matches.

use clap::{ArgMatches, Command};
use salus_proto::Any;

use crate::module::Module;
use crate::Address;

/// A module's `tx` and `query` commands. Every module of the node's list implements it; one
/// without commands writes `impl ModuleCli for MyModule {}`.
pub trait ModuleCli: Module {
    /// The gas a tx of the module's asks for when `--gas` is not given.
    const GAS: GasPolicy = GasPolicy::Fixed(200_000);

    /// `salusd tx <NAME> ...`: a command named [`Module::NAME`], or `None` if the module has no
    /// transactions.
    fn tx_command() -> Option<Command> {
        None
    }
    /// `salusd query <NAME> ...`: a command named [`Module::NAME`], or `None`.
    fn query_command() -> Option<Command> {
        None
    }
    /// The messages a `tx <NAME>` command sends and the key that signs them. `matches` are those
    /// of `tx <NAME>` (so its subcommand is the one the user chose).
    fn tx(_matches: &ArgMatches, _ctx: &dyn CliCtx) -> anyhow::Result<TxRequest> {
        anyhow::bail!("the {} module has no tx commands", Self::NAME)
    }
    /// Runs a `query <NAME>` command: the answer to print.
    fn query(_matches: &ArgMatches, _ctx: &dyn CliCtx) -> anyhow::Result<QueryAnswer> {
        anyhow::bail!("the {} module has no query commands", Self::NAME)
    }
}

/// What the node gives a module's commands. Synchronous: the node waits on its RPC calls.
pub trait CliCtx {
    /// The chain id txs are signed for (`--chain-id`, or the one in `--home`'s genesis).
    fn chain_id(&self) -> anyhow::Result<String>;
    /// The CometBFT RPC address of the node (`--node`).
    fn node(&self) -> &str;
    /// The height queries read at (`query --height`; 0, the latest, for txs).
    fn height(&self) -> u64;
    /// The account address of a keyring key (a secp256k1 key, the kind that signs txs), by name
    /// or by address.
    fn key(&self, name_or_address: &str) -> anyhow::Result<Address>;
    /// The public key of any keyring key, by name.
    fn public_key(&self, name: &str) -> anyhow::Result<PubKey>;
    /// Signs `bytes` with a keyring key, by name: ed25519 over the bytes, secp256k1 ECDSA over
    /// their SHA-256 (as DID verification methods verify).
    fn sign(&self, name: &str, bytes: &[u8]) -> anyhow::Result<Vec<u8>>;
    /// An ABCI query (a gRPC method path and its protobuf request) at `height` (0: latest). A
    /// refusal by the node is a [`QueryError`] inside the error (`e.downcast_ref::<QueryError>()`);
    /// other errors (an unreachable node) are not.
    fn query(&self, path: &str, data: Vec<u8>, height: u64) -> anyhow::Result<Vec<u8>>;
    /// The ed25519 consensus key of the node at `--home` (`config/priv_validator_key.json`).
    fn consensus_pubkey(&self) -> anyhow::Result<[u8; 32]>;
}

/// A keyring key's public half.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PubKey {
    /// Compressed.
    Secp256k1([u8; 33]),
    Ed25519([u8; 32]),
}

/// What a `tx` command sends: the messages, and the keyring key (name or address) that signs the
/// tx and pays its fee.
#[derive(Clone, Debug)]
pub struct TxRequest {
    pub signer: String,
    pub msgs: Vec<Any>,
}

/// The gas a module's txs ask for when `--gas` is not given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GasPolicy {
    /// A fixed limit (with `--gas auto`, the simulated gas times 1.3).
    Fixed(u64),
    /// Simulate, and ask for the gas used times `adjustment_percent` / 100 when
    /// `--gas-adjustment` is not given.
    Auto { adjustment_percent: u64 },
}

/// What a `query` command prints.
#[derive(Clone, Debug, PartialEq)]
pub struct QueryAnswer {
    pub value: serde_json::Value,
    /// Print the keys as they are, not snake_case: for formats whose names are a standard, such
    /// as DID Core's `verificationMethod`.
    pub keys_as_is: bool,
    /// The answer reports a failure (a DID Resolution error result): printed, then exit code 1.
    pub failed: bool,
}

impl QueryAnswer {
    /// An answer printed as Cosmos CLIs print proto JSON (snake_case keys).
    pub fn json(value: serde_json::Value) -> Self {
        Self { value, keys_as_is: false, failed: false }
    }
}

/// An ABCI query that the node answered with an error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    pub codespace: String,
    pub code: u32,
    pub log: String,
}

impl std::fmt::Display for QueryError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (codespace {}, code {})", self.log, self.codespace, self.code)
    }
}

impl std::error::Error for QueryError {}

impl QueryError {
    /// The node's stable "not found" code (sdk 22), not a match on the log text.
    pub fn is_not_found(&self) -> bool {
        self.codespace == "sdk" && self.code == crate::SdkCode::KeyNotFound as u32
    }
}

/// A module command `name` (its help line `about`) whose subcommands are the clap derive enum `T`.
pub fn command<T: clap::Subcommand>(name: &'static str, about: &'static str) -> Command {
    T::augment_subcommands(Command::new(name).about(about)).subcommand_required(true).arg_required_else_help(true)
}

/// Reads the enum of a [`command`] back from its matches.
pub fn parse<T: clap::FromArgMatches>(matches: &ArgMatches) -> anyhow::Result<T> {
    Ok(T::from_arg_matches(matches)?)
}
