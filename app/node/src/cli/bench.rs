//! `salusd bench`: prints the benchmark table and, with --record, appends it to a file.

use std::io::Write;
use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use clap::Args;

use crate::bench::{self, BenchConfig};

#[derive(Args)]
pub struct BenchArgs {
    /// How many pre-signed MsgSend txs.
    #[arg(long, default_value_t = 20_000)]
    txs: usize,
    /// Transactions per block.
    #[arg(long, default_value_t = 1_000)]
    block_size: usize,
    /// Sending accounts (each signs txs at consecutive sequences).
    #[arg(long, default_value_t = 500)]
    accounts: usize,
    /// Append the tables, the date and machine facts to this Markdown file (e.g. docs/BENCHMARKS.md).
    #[arg(long)]
    record: Option<PathBuf>,
    /// Also measure end to end: a 1-validator chain under rising load, against CometBFT's kvstore.
    #[arg(long)]
    e2e: bool,
    /// Offered rates for --e2e, tx/s.
    #[arg(long, value_delimiter = ',', default_value = "250,500,1000,2000,4000")]
    rates: Vec<u32>,
    /// Seconds per offered rate for --e2e.
    #[arg(long, default_value_t = 8)]
    seconds: u32,
    /// CometBFT timeout_commit for --e2e (the same for Salus and kvstore).
    #[arg(long, default_value = "1s")]
    timeout_commit: String,
    /// The CometBFT binary for --e2e.
    #[arg(long, env = "COMETBFT_BIN", default_value = "cometbft")]
    cometbft: PathBuf,
    /// Write the --e2e results as JSON here (scripts/bench.sh draws the chart from it).
    #[arg(long)]
    json: Option<PathBuf>,
    /// Only the worst-case table (hostile txs, the validator set, consent messages and decisions):
    /// skips the transfer benchmark.
    #[arg(long, conflicts_with = "e2e")]
    worst_only: bool,
}

pub fn run(a: BenchArgs) -> Result<()> {
    if a.txs == 0 || a.block_size == 0 || a.accounts < 2 {
        bail!("--txs and --block-size must be positive and --accounts at least 2");
    }
    let cfg = BenchConfig { txs: a.txs, block_size: a.block_size, accounts: a.accounts };
    let mut table = String::new();
    if !a.worst_only {
        let report = bench::run(&cfg, |step| eprintln!("[bench] {step}"))?;
        table = format!("{}\n", bench::markdown(&cfg, &report));
    }
    let worst = crate::bench_worst::run(|step| eprintln!("[bench] {step}"))?;
    table = format!("{table}{}", crate::bench_worst::markdown(&worst));
    println!("{table}");
    if a.e2e {
        if a.rates.is_empty() || a.rates.contains(&0) || a.seconds == 0 {
            bail!("--rates must be positive tx/s values and --seconds positive");
        }
        let e2e = crate::bench_e2e::E2eConfig {
            rates: a.rates.clone(),
            seconds_per_rate: a.seconds,
            cometbft: a.cometbft.clone(),
            timeout_commit: a.timeout_commit.clone(),
        };
        let result = crate::bench_e2e::run(&e2e, &|step| eprintln!("[bench] {step}"))?;
        let e2e_table = crate::bench_e2e::markdown(&e2e, &result);
        println!("{e2e_table}");
        if let Some(path) = &a.json {
            std::fs::write(path, serde_json::to_string_pretty(&result)?)?;
        }
        table = format!("{table}\n{e2e_table}");
    }
    if let Some(path) = a.record {
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .with_context(|| format!("opening {}", path.display()))?;
        write!(f, "\n## {}\n\n{}\n{}", crate::home::now_rfc3339(), machine(), table)?;
        eprintln!("[bench] appended to {}", path.display());
    }
    Ok(())
}

/// Cores, CPU model, memory and build, for reading the numbers later.
fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split(':').nth(1))
        .unwrap_or("unknown")
        .trim();
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let mem_kb: u64 = meminfo
        .lines()
        .find(|l| l.starts_with("MemTotal"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    let build = if cfg!(debug_assertions) { "dev profile (debug assertions on)" } else { "optimised build" };
    format!(
        "Machine: {cores} cores ({model}), {:.0} GiB; salusd {} ({build}); one thread of execution.\n\n",
        mem_kb as f64 / 1_048_576.0,
        env!("CARGO_PKG_VERSION")
    )
}
