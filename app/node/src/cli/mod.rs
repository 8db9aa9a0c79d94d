//! The `salusd` command tree, gaiad-like.

mod init;
mod keys;
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
    /// Show the node's status: network, latest block and app hash, sync state.
    Status(query::StatusArgs),
}

pub fn run() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let home = Home(cli.home.unwrap_or_else(default_home));
    match cli.command {
        Command::Init(a) => init::init(&home, a),
        Command::Genesis(c) => init::genesis(&home, c),
        Command::Start(a) => start::start(&home, a),
        Command::Keys(c) => keys::run(&home, c),
        Command::Tx(a) => runtime()?.block_on(tx::run(&home, *a)),
        Command::Query(a) => runtime()?.block_on(query::run(&home, a)),
        Command::Status(a) => runtime()?.block_on(query::status(a)),
    }
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
