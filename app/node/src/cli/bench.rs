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
    /// Append the table, the date and machine facts to this Markdown file (e.g. docs/BENCHMARKS.md).
    #[arg(long)]
    record: Option<PathBuf>,
}

pub fn run(a: BenchArgs) -> Result<()> {
    if a.txs == 0 || a.block_size == 0 || a.accounts < 2 {
        bail!("--txs and --block-size must be positive and --accounts at least 2");
    }
    let cfg = BenchConfig { txs: a.txs, block_size: a.block_size, accounts: a.accounts };
    let report = bench::run(&cfg, |step| eprintln!("[bench] {step}"))?;
    let table = bench::markdown(&cfg, &report);
    println!("{table}");
    if let Some(path) = a.record {
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .with_context(|| format!("opening {}", path.display()))?;
        write!(f, "\n## In process, {}\n\n{}\n{}", now(), machine(), table)?;
        eprintln!("[bench] appended to {}", path.display());
    }
    Ok(())
}

fn now() -> String {
    let d = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    tendermint::Time::from_unix_timestamp(d.as_secs() as i64, 0).map(|t| t.to_rfc3339()).unwrap_or_default()
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
