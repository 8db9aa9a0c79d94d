//! The `salusd` command tree, gaiad-like.

mod bench;
mod ctx;
mod did;
mod export;
mod fhir;
mod hermes;
pub use hermes::proof_specs_json as hermes_proof_specs_json;
mod init;
mod keys;
mod localnet;
mod output;
mod query;
mod start;
mod tx;

use std::path::PathBuf;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

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
    /// HL7 FHIR: import consents from FHIR R4/R5 Consent resources; export consents and the audit log.
    #[command(subcommand)]
    Fhir(fhir::FhirCmd),
    /// Show the node's status: network, latest block and app hash, sync state.
    Status(query::StatusArgs),
    /// Measure the app in process: pre-signed transfers, block by block, and print a table.
    Bench(bench::BenchArgs),
    /// Write the Hermes relayer's config section for this node's chain (proof specs, store prefix,
    /// compat mode, gas price, key name).
    HermesConfig(hermes::HermesConfigArgs),
    /// Run a network of N validators on this machine (--home is where it lives).
    #[command(subcommand)]
    Localnet(localnet::LocalnetCmd),
}

/// The whole `salusd` command tree: the commands above, with every module's commands under `tx`
/// and `query` (in the order of the module list, `app/modules.rs`), then the node's own queries.
pub fn command() -> clap::Command {
    use crate::app::modules;
    let mut queries = modules::cli_query_commands();
    let node_queries = query::NodeQuery::augment_subcommands(clap::Command::new("query"));
    queries.extend(node_queries.get_subcommands().map(|q| q.clone().display_order(None)));
    Cli::command()
        .mut_subcommand("tx", |tx| subcommands_first(tx, modules::cli_tx_commands()))
        .mut_subcommand("query", |query| subcommands_first(query, queries))
}

/// `cmd` with `subcommands` (required), placed first in its display order as a
/// `#[command(subcommand)]` field declared before the flags would be: the flags, which are global,
/// keep their places in the help of every command below.
fn subcommands_first(cmd: clap::Command, subcommands: Vec<clap::Command>) -> clap::Command {
    let n = subcommands.len();
    cmd.mut_args(|a| {
        let order = a.get_display_order() + n;
        a.display_order(order)
    })
    .next_display_order(0)
    .subcommands(subcommands)
    .subcommand_required(true)
    .arg_required_else_help(true)
}

pub fn run() -> anyhow::Result<()> {
    let matches = command().get_matches();
    let Cli { home, command } =
        Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.format(&mut self::command()).exit());
    // The matches of the command given, for the modules' commands under `tx` and `query`.
    let (_, sub) = matches.subcommand().expect("clap requires a command");
    let node_home = || Home(home.clone().unwrap_or_else(default_home));
    match command {
        Command::Init(a) => init::init(&node_home(), a),
        Command::Genesis(c) => init::genesis(&node_home(), c),
        Command::Start(a) => start::start(&node_home(), a),
        Command::Keys(c) => keys::run(&node_home(), c),
        Command::Tx(a) => tx::run(&node_home(), *a, sub),
        Command::Query(a) => query::run(&node_home(), a, sub),
        Command::Did(c) => did::run(&node_home(), c),
        Command::Fhir(c) => fhir::run(&node_home(), c),
        Command::Status(a) => runtime()?.block_on(query::status(a)),
        Command::Bench(a) => bench::run(a),
        Command::HermesConfig(a) => hermes::run(&node_home(), a),
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

#[cfg(test)]
mod tests {
    use salus_sdk::cli::{GasPolicy, ModuleCli};

    use crate::app::modules;

    /// clap's own checks of the whole tree (ids, names, defaults), which it runs only on the
    /// commands a user reaches.
    #[test]
    fn the_command_tree_passes_clap_checks() {
        super::command().debug_assert();
    }

    /// The node runs a module's command by the module's name: a command named otherwise would
    /// never run.
    #[test]
    fn every_module_command_is_named_by_its_module() {
        let names: Vec<&str> = modules::describe().iter().map(|m| m.name).collect();
        for c in modules::cli_tx_commands().iter().chain(&modules::cli_query_commands()) {
            assert!(names.contains(&c.get_name()), "`{}` is no module's name", c.get_name());
        }
    }

    #[test]
    fn a_module_command_parses_back_to_its_enum_and_brings_its_gas_policy() {
        use salus_staking::cli::StakingTxCmd;
        let args = ["salusd", "tx", "staking", "delegate", "a", "salusvaloper1x", "5usalus", "--yes"];
        let matches = super::command().try_get_matches_from(args).unwrap();
        let (_, tx) = matches.subcommand().unwrap();
        let (name, sub) = tx.subcommand().unwrap();
        assert_eq!(name, "staking");
        let cmd: StakingTxCmd = salus_sdk::cli::parse(sub).unwrap();
        assert!(matches!(cmd, StakingTxCmd::Delegate { ref amount, .. } if amount == "5usalus"));
        // What `--gas` and `--gas-adjustment` say their defaults are.
        assert_eq!(<salus_token::TokenModule as ModuleCli>::GAS, GasPolicy::Fixed(200_000));
        assert_eq!(<salus_did::DidModule as ModuleCli>::GAS, GasPolicy::Fixed(200_000));
        for gas in [
            <salus_staking::StakingModule as ModuleCli>::GAS,
            <salus_staking::SlashingModule as ModuleCli>::GAS,
            <salus_staking::DistributionModule as ModuleCli>::GAS,
        ] {
            assert_eq!(gas, GasPolicy::Auto { adjustment_percent: 150 });
        }
    }
}
