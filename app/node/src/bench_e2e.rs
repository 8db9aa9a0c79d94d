//! The end-to-end benchmark: pre-signed txs offered at rising rates to a 1-validator chain (real
//! CometBFT + salusd), and the same load against CometBFT's built-in `kvstore` app with the same
//! CometBFT config: the ceiling of the consensus engine on this machine. Committed TPS and
//! latency come from block timestamps and heights.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use anyhow::{anyhow, bail, Context, Result};
use bytes::Bytes;
use serde::Serialize;
use sha2::{Digest, Sha256};
use tendermint_rpc::Client;

use crate::home::{self, CometSettings, Home, InitOptions, Ports};

pub struct E2eConfig {
    pub rates: Vec<u32>,
    pub seconds_per_rate: u32,
    pub cometbft: PathBuf,
    pub timeout_commit: String,
}

/// One offered rate's outcome for one app.
#[derive(Clone, Debug, Serialize)]
pub struct Stage {
    pub offered_tps: u32,
    pub sent: usize,
    pub committed: usize,
    pub committed_tps: f64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    /// CPU share of each watched process during the stage, % of one core.
    pub cpu: Vec<(String, f64)>,
}

#[derive(Debug, Serialize)]
pub struct E2eReport {
    pub salus: Vec<Stage>,
    pub kvstore: Vec<Stage>,
}

/// User + system CPU seconds a process has used (Linux /proc; 100 ticks a second).
fn cpu_seconds(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let fields: Vec<&str> = stat.rsplit(')').next().unwrap_or("").split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // After the command name: state is field 0, utime 11, stime 12.
    (ticks(11) + ticks(12)) / 100.0
}

struct Procs(Vec<Child>);
impl Drop for Procs {
    fn drop(&mut self) {
        for c in &mut self.0 {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn ports() -> Result<Ports> {
    Ok(Ports { p2p: free_port()?, rpc: free_port()?, abci: free_port()?, grpc: free_port()? })
}

fn spawn(program: &Path, args: &[&str], log: &Path) -> Result<Child> {
    let f = std::fs::File::create(log)?;
    Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(f.try_clone()?)
        .stderr(f)
        .spawn()
        .with_context(|| format!("starting {}", program.display()))
}

async fn wait_height(client: &tendermint_rpc::HttpClient, h: u64, timeout: Duration) -> Result<()> {
    let start = Instant::now();
    loop {
        if let Ok(s) = client.status().await {
            if s.sync_info.latest_block_height.value() >= h {
                return Ok(());
            }
        }
        if start.elapsed() > timeout {
            bail!("the chain did not reach height {h} in {}s", timeout.as_secs());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn client(rpc: u16) -> Result<tendermint_rpc::HttpClient> {
    let url: tendermint_rpc::HttpClientUrl = format!("http://127.0.0.1:{rpc}").parse().map_err(|e| anyhow!("{e}"))?;
    tendermint_rpc::HttpClient::builder(url)
        .compat_mode(tendermint_rpc::client::CompatMode::V0_38)
        .build()
        .map_err(|e| anyhow!("{e}"))
}

/// Offers `txs` in stages at the configured rates; returns (tx hash -> (stage, submit time)).
type Submitted = BTreeMap<[u8; 32], (usize, SystemTime)>;
type CpuShares = Vec<(String, f64)>;

async fn offer(
    client: &tendermint_rpc::HttpClient,
    cfg: &E2eConfig,
    txs: &[Bytes],
    watch: &[(&str, u32)],
    progress: &(dyn Fn(&str) + Sync),
) -> Result<(Submitted, Vec<CpuShares>)> {
    let mut cpu_per_stage = Vec::new();
    let sent = Arc::new(tokio::sync::Mutex::new(BTreeMap::new()));
    let limit = Arc::new(tokio::sync::Semaphore::new(128));
    let mut next = 0usize;
    for (stage, &rate) in cfg.rates.iter().enumerate() {
        progress(&format!("offering {rate} tx/s for {}s", cfg.seconds_per_rate));
        let start = Instant::now();
        let cpu_before: Vec<f64> = watch.iter().map(|(_, pid)| cpu_seconds(*pid)).collect();
        let total = (rate * cfg.seconds_per_rate) as usize;
        let mut tick = tokio::time::interval(Duration::from_millis(10));
        let mut offered = 0usize;
        while offered < total {
            tick.tick().await;
            let due = ((start.elapsed().as_secs_f64() * rate as f64) as usize).min(total);
            while offered < due && next < txs.len() {
                let tx = txs[next].clone();
                next += 1;
                offered += 1;
                let (c, sent, permit) = (client.clone(), sent.clone(), limit.clone().acquire_owned().await?);
                tokio::spawn(async move {
                    let hash: [u8; 32] = Sha256::digest(&tx).into();
                    let at = SystemTime::now();
                    if c.broadcast_tx_sync(tx.to_vec()).await.is_ok_and(|r| r.code.is_ok()) {
                        sent.lock().await.insert(hash, (stage, at));
                    }
                    drop(permit);
                });
            }
        }
        let wall = start.elapsed().as_secs_f64();
        cpu_per_stage.push(
            watch
                .iter()
                .zip(cpu_before)
                .map(|((name, pid), b)| (name.to_string(), (cpu_seconds(*pid) - b) / wall * 100.0))
                .collect(),
        );
    }
    let _ = limit.acquire_many(128).await?;
    let map = sent.lock().await.clone();
    Ok((map, cpu_per_stage))
}

/// Block (height, time, tx hashes) from `from` to the latest.
async fn blocks(client: &tendermint_rpc::HttpClient, from: u64) -> Result<Vec<(u64, SystemTime, Vec<[u8; 32]>)>> {
    let latest = client.status().await?.sync_info.latest_block_height.value();
    let mut out = Vec::new();
    for h in from..=latest {
        let b = client.block(tendermint::block::Height::try_from(h)?).await?.block;
        let nanos = u64::try_from(b.header.time.unix_timestamp_nanos()).unwrap_or(0);
        let t = SystemTime::UNIX_EPOCH + Duration::from_nanos(nanos);
        let hashes = b.data.iter().map(|tx| Sha256::digest(tx).into()).collect();
        out.push((h, t, hashes));
    }
    Ok(out)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

fn stages(
    cfg: &E2eConfig,
    sent: &Submitted,
    cpu: &[CpuShares],
    chain: &[(u64, SystemTime, Vec<[u8; 32]>)],
) -> Vec<Stage> {
    let mut latencies: Vec<Vec<f64>> = vec![Vec::new(); cfg.rates.len()];
    let mut span: Vec<Option<(SystemTime, SystemTime)>> = vec![None; cfg.rates.len()];
    // A header's time is BFT time: when the block before it was committed. So block H was
    // committed at the time in the header of H+1, and that is when its txs were final.
    for (block, next) in chain.iter().zip(chain.iter().skip(1)) {
        let (hashes, t) = (&block.2, &next.1);
        for h in hashes {
            if let Some((stage, at)) = sent.get(h) {
                latencies[*stage].push(t.duration_since(*at).unwrap_or_default().as_secs_f64() * 1000.0);
                let s = span[*stage].get_or_insert((*t, *t));
                s.0 = s.0.min(*t);
                s.1 = s.1.max(*t);
            }
        }
    }
    cfg.rates
        .iter()
        .enumerate()
        .map(|(i, &rate)| {
            let l = &mut latencies[i];
            l.sort_by(|a, b| a.total_cmp(b));
            // Committed TPS over the stage's own duration, or the blocks' span if longer.
            let blocks = span[i].map_or(0.0, |(a, b)| b.duration_since(a).unwrap_or_default().as_secs_f64());
            let window = blocks.max(cfg.seconds_per_rate as f64);
            Stage {
                offered_tps: rate,
                sent: sent.values().filter(|(s, _)| *s == i).count(),
                committed: l.len(),
                committed_tps: l.len() as f64 / window,
                p50_ms: percentile(l, 0.50),
                p95_ms: percentile(l, 0.95),
                p99_ms: percentile(l, 0.99),
                cpu: cpu.get(i).cloned().unwrap_or_default(),
            }
        })
        .collect()
}

/// Waits until the mempool has drained: two blocks in a row without txs (at most a minute).
async fn drain(client: &tendermint_rpc::HttpClient) -> Result<()> {
    let start = Instant::now();
    let mut empty_in_a_row = 0;
    let mut seen = client.status().await?.sync_info.latest_block_height.value();
    while empty_in_a_row < 2 && start.elapsed() < Duration::from_secs(60) {
        wait_height(client, seen + 1, Duration::from_secs(30)).await?;
        seen += 1;
        let b = client.block(tendermint::block::Height::try_from(seen)?).await?.block;
        empty_in_a_row = if b.data.is_empty() { empty_in_a_row + 1 } else { 0 };
    }
    Ok(())
}

/// The stages of one app under load, with the CPU of each watched process per stage.
async fn measure(
    rpc: u16,
    cfg: &E2eConfig,
    txs: &[Bytes],
    watch: &[(&str, u32)],
    progress: &(dyn Fn(&str) + Sync),
) -> Result<Vec<Stage>> {
    let c = client(rpc)?;
    wait_height(&c, 2, Duration::from_secs(60)).await?;
    let from = c.status().await?.sync_info.latest_block_height.value() + 1;
    let (sent, cpu) = offer(&c, cfg, txs, watch, progress).await?;
    drain(&c).await?;
    let chain = blocks(&c, from).await?;
    Ok(stages(cfg, &sent, &cpu, &chain))
}

/// Runs both measurements.
pub fn run(cfg: &E2eConfig, progress: &(dyn Fn(&str) + Sync)) -> Result<E2eReport> {
    let total: usize = cfg.rates.iter().map(|r| (*r * cfg.seconds_per_rate) as usize).sum();
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build()?;
    let dir = tempfile::tempdir()?;

    // Salus: one validator, accounts funded in genesis, txs signed before the clock starts.
    let accounts = 2_000.min(total.max(2));
    progress(&format!("signing {total} MsgSend txs from {accounts} accounts"));
    // The validator's stake comes from a key of its own, so the senders' sequences stay at 0.
    let validator = crate::keyring::Key::from_secret("validator", secp256k1::SecretKey::from_slice(&[0x77; 32])?);
    let (keys, txs) = crate::bench::signed_transfers(accounts, total, "salus-bench-e2e", &[validator.address]);
    let salus_home = Home(dir.path().join("salus"));
    let p = ports()?;
    let comet = CometSettings {
        moniker: "bench",
        ports: &p,
        persistent_peers: "",
        timeout_commit: &cfg.timeout_commit,
        mempool_size: 100_000,
    };
    home::init(
        &salus_home,
        &InitOptions {
            moniker: "bench",
            chain_id: "salus-bench-e2e",
            ports: p.clone(),
            overwrite: true,
            timeout_commit: &cfg.timeout_commit,
        },
    )?;
    std::fs::write(salus_home.config("config.toml"), home::comet_config(&comet))?;
    let mut genesis = home::read_json(&salus_home.genesis())?;
    genesis["app_state"]["token"]["balances"] = serde_json::Value::Array(
        keys.iter()
            .chain(std::iter::once(&validator))
            .map(|k| serde_json::json!({"address": k.address.to_string(), "coins": [{"denom": "usalus", "amount": "1000000000000"}]}))
            .collect(),
    );
    home::write_json(&salus_home.genesis(), &genesis)?;
    let mut args = crate::cli::default_validator_args();
    args.description.moniker = Some("bench".into());
    crate::genutil::gentx(&salus_home, &validator, "100000000000usalus", &args)?;
    crate::genutil::collect_gentxs(&salus_home, &salus_home.config("gentx"))?;
    let mut app_cfg = home::AppConfig::load(&salus_home)?;
    app_cfg.grpc.enable = false;
    app_cfg.minimum_gas_prices = String::new();
    std::fs::write(salus_home.app_toml(), toml::to_string_pretty(&app_cfg)?)?;
    let home_arg = salus_home.0.to_string_lossy().to_string();
    let salus = {
        let mut procs = Procs(vec![spawn(
            &std::env::current_exe()?,
            &["start", "--home", &home_arg, "--log-level", "warn"],
            &dir.path().join("salusd.log"),
        )?]);
        let start = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", p.abci)).is_err() {
            if start.elapsed() > Duration::from_secs(30) {
                bail!("salusd did not start");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        procs.0.push(spawn(
            &cfg.cometbft,
            &["start", "--home", &home_arg, "--log_level", "error"],
            &dir.path().join("cometbft.log"),
        )?);
        progress("Salus: 1 validator, real CometBFT");
        let watch =
            [("salusd", procs.0[0].id()), ("cometbft", procs.0[1].id()), ("load generator", std::process::id())];
        let r = rt.block_on(measure(p.rpc, cfg, &txs, &watch, progress));
        drop(procs);
        r?
    };

    // kvstore: the same CometBFT config, its own genesis; txs of the same size.
    let kv_home = dir.path().join("kvstore");
    let kv_arg = kv_home.to_string_lossy().to_string();
    let out = Command::new(&cfg.cometbft).args(["init", "--home", &kv_arg]).output()?;
    if !out.status.success() {
        bail!("cometbft init failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    let kp = ports()?;
    let kv_comet = CometSettings { ports: &kp, ..comet };
    std::fs::write(kv_home.join("config/config.toml"), home::comet_config(&kv_comet))?;
    let avg = txs.iter().map(|t| t.len()).sum::<usize>() / txs.len().max(1);
    let kv_txs: Vec<Bytes> = (0..total)
        .map(|i| {
            let mut t = format!("bench{i:09}=").into_bytes();
            t.resize(avg.max(t.len() + 1), b'v');
            Bytes::from(t)
        })
        .collect();
    let kv = {
        let procs = Procs(vec![spawn(
            &cfg.cometbft,
            &["start", "--home", &kv_arg, "--proxy_app", "kvstore", "--log_level", "error"],
            &dir.path().join("kvstore.log"),
        )?]);
        progress("kvstore: 1 validator, the same CometBFT config");
        let watch = [("cometbft + kvstore", procs.0[0].id()), ("load generator", std::process::id())];
        let r = rt.block_on(measure(kp.rpc, cfg, &kv_txs, &watch, progress));
        drop(procs);
        r?
    };
    Ok(E2eReport { salus, kvstore: kv })
}

/// The comparison as a Markdown table.
pub fn markdown(cfg: &E2eConfig, r: &E2eReport) -> String {
    let mut s = format!(
        "End to end, 1 validator, timeout_commit {}, {}s per offered rate; latency = commit time of the tx's block \
         (the time in the next header) - submit time.\n\n\
         | offered tx/s | Salus committed tx/s | p50 ms | p95 ms | p99 ms | kvstore committed tx/s | p50 ms | p95 ms | p99 ms | Salus / kvstore |\n\
         | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n",
        cfg.timeout_commit, cfg.seconds_per_rate
    );
    for (a, b) in r.salus.iter().zip(&r.kvstore) {
        let ratio = if b.committed_tps > 0.0 { a.committed_tps / b.committed_tps * 100.0 } else { 0.0 };
        s += &format!(
            "| {} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0} | {:.0}% |\n",
            a.offered_tps,
            a.committed_tps,
            a.p50_ms,
            a.p95_ms,
            a.p99_ms,
            b.committed_tps,
            b.p50_ms,
            b.p95_ms,
            b.p99_ms,
            ratio
        );
    }
    let best = |v: &[Stage]| v.iter().map(|s| s.committed_tps).fold(0.0, f64::max);
    let (sb, kb) = (best(&r.salus), best(&r.kvstore));
    let ratio = if kb > 0.0 { sb / kb * 100.0 } else { 0.0 };
    s += &format!(
        "\nPeak committed: Salus {sb:.0} tx/s, kvstore {kb:.0} tx/s: Salus reaches {ratio:.0}% of the engine's ceiling (target: 90%){}.\n",
        if ratio >= 90.0 { "" } else { ": short of the target" }
    );
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    s += &format!("\nWhere the CPU went per stage (% of one core; {cores} cores = {}%):\n\n", cores * 100);
    s += "| offered tx/s | Salus run | kvstore run |\n| ---: | --- | --- |\n";
    let cpu = |v: &[(String, f64)]| v.iter().map(|(n, p)| format!("{n} {p:.0}%")).collect::<Vec<_>>().join(", ");
    for (a, b) in r.salus.iter().zip(&r.kvstore) {
        s += &format!("| {} | {} | {} |\n", a.offered_tps, cpu(&a.cpu), cpu(&b.cpu));
    }
    s
}
