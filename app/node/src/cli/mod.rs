//! The `salusd` command tree, gaiad-like.

mod bench;
mod did;
mod init;
mod keys;
mod localnet;
mod output;
mod query;
mod start;
mod tx;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::home::{default_home, Home};

#[derive(Parser)]
#[command(
    name = "salusd",
    version,
    about = "Salus: patient-controlled health data on a Cosmos-compatible chain",
    propagate_version = true
)]
pub struct Cli {
    /// The node home (config, data, keyring).
    #[arg(long, global = true, env = "SALUS_HOME")]
    home: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a node home: CometBFT config and keys, app config, a genesis with this node as validator.
    Init(init::InitArgs),
    /// Edit genesis.json before the chain starts.
    #[command(subcommand)]
    Genesis(init::GenesisCmd),
    /// Run the node (the ABCI application CometBFT connects to, and the gRPC server).
    Start(start::StartArgs),
    /// Manage account keys (BIP39 mnemonics, secp256k1, HD path m/44'/118'/0'/0/0).
    #[command(subcommand)]
    Keys(keys::KeysCmd),
    /// Sign and broadcast transactions.
    Tx(Box<tx::TxArgs>),
    /// Query chain state.
    #[command(alias = "q")]
    Query(query::QueryArgs),
    /// Sign data with a DID key, and verify it against the key the chain resolves.
    #[command(subcommand)]
    Did(did::DidCmd),
    /// Show the node's status: network, latest block and app hash, sync state.
    Status(query::StatusArgs),
    /// Measure the app in process: pre-signed transfers, block by block, and print a table.
    Bench(bench::BenchArgs),
    /// Run a network of N validators on this machine (--home is where it lives).
    #[command(subcommand)]
    Localnet(localnet::LocalnetCmd),
}

pub fn run() -> anyhow::Result<()> {
    let Cli { home, command } = Cli::parse();
    let node_home = || Home(home.clone().unwrap_or_else(default_home));
    match command {
        Command::Init(a) => init::init(&node_home(), a),
        Command::Genesis(c) => init::genesis(&node_home(), c),
        Command::Start(a) => start::start(&node_home(), a),
        Command::Keys(c) => keys::run(&node_home(), c),
        Command::Tx(a) => runtime()?.block_on(tx::run(&node_home(), *a)),
        Command::Query(a) => runtime()?.block_on(query::run(&node_home(), a)),
        Command::Did(c) => runtime()?.block_on(did::run(&node_home(), c)),
        Command::Status(a) => runtime()?.block_on(query::status(a)),
        Command::Bench(a) => bench::run(a),
        Command::Localnet(cmd) => {
            localnet::run(&home.clone().unwrap_or_else(|| default_home().with_file_name(".salus-localnet")), cmd)
        }
    }
}

/// create-validator's defaults (commission 10%, max 20%, max change 1%, min self-delegation 1).
pub fn default_validator_args() -> salus_staking::cli::ValidatorArgs {
    use clap::Parser;
    #[derive(Parser)]
    struct Defaults {
        #[command(flatten)]
        args: salus_staking::cli::ValidatorArgs,
    }
    Defaults::parse_from(["defaults"]).args
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_current_thread().enable_all().build()?)
}

/// `--output text|json`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    #[default]
    Text,
    Json,
}
