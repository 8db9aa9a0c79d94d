//! A `salusd localnet` of N validators in a temporary folder, driven through the CLI.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use serde_json::Value;

use crate::{cometbft_bin, run_salusd, salusd_bin, CliResult};

pub struct Localnet {
    pub dir: tempfile::TempDir,
    pub n: usize,
    pub base: u16,
}

/// Blocks of ports handed out by this process: concurrent tests never get the same block, even
/// before the first one binds its ports.
static NEXT_BLOCK: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// A base port whose 10 x n ports are all free (below the ephemeral range).
fn free_base(n: usize) -> u16 {
    let seed = std::process::id() as usize;
    for _ in 0..200 {
        let block = NEXT_BLOCK.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        // Blocks of 500 ports between 20000 and 30000, starting at a place that depends on the
        // process, so that test binaries run one after another do not reuse TIME_WAIT ports.
        let base = 20_000 + ((seed + block) % 20) * 500;
        let all_free = (0..10 * n).all(|i| std::net::TcpListener::bind(("127.0.0.1", (base + i) as u16)).is_ok());
        if all_free {
            return base as u16;
        }
    }
    panic!("no free block of {} ports on 127.0.0.1 between 20000 and 30000", 10 * n);
}

impl Localnet {
    pub fn new(n: usize, mempool_size: u32) -> Result<Self> {
        let dir = tempfile::tempdir()?;
        // One node more than asked for: tests add a node that joins as a validator.
        let net = Localnet { dir, n, base: free_base(n + 1) };
        net.run(&[
            "init",
            "--validators",
            &n.to_string(),
            "--base-port",
            &net.base.to_string(),
            "--timeout-commit",
            "200ms",
            "--mempool-size",
            &mempool_size.to_string(),
            "--voting-secs",
            "10",
        ])?;
        Ok(net)
    }

    pub fn home(&self) -> PathBuf {
        self.dir.path().join("net")
    }

    pub fn node_home(&self, i: usize) -> PathBuf {
        self.home().join(format!("node{i}"))
    }

    pub fn rpc_url(&self, i: usize) -> String {
        format!("http://127.0.0.1:{}", self.base as usize + 10 * i + 1)
    }

    /// `salusd localnet <args> --home <dir>`.
    pub fn run(&self, args: &[&str]) -> Result<String> {
        let out = Command::new(salusd_bin())
            .arg("localnet")
            .args(args)
            .arg("--home")
            .arg(self.home())
            .env("COMETBFT_BIN", cometbft_bin())
            .stdin(Stdio::null())
            .output()?;
        if !out.status.success() {
            bail!("salusd localnet {} failed: {}", args.join(" "), String::from_utf8_lossy(&out.stderr));
        }
        Ok(String::from_utf8_lossy(&out.stdout).into())
    }

    /// Starts every node with another salusd binary (a release with an upgrade handler).
    pub fn up_with(&self, salusd: &std::path::Path) -> Result<()> {
        let out = Command::new(salusd)
            .args(["localnet", "up", "--home"])
            .arg(self.home())
            .env("COMETBFT_BIN", cometbft_bin())
            .stdin(Stdio::null())
            .output()?;
        if !out.status.success() {
            bail!("{} localnet up failed: {}", salusd.display(), String::from_utf8_lossy(&out.stderr));
        }
        Ok(())
    }

    /// Node `i`'s salusd log.
    pub fn salusd_log(&self, i: usize) -> String {
        std::fs::read_to_string(self.node_home(i).join("run").join("salusd.log")).unwrap_or_default()
    }

    pub fn up(&self, node: Option<usize>) -> Result<()> {
        let n = node.map(|i| i.to_string());
        let mut args = vec!["up"];
        if let Some(n) = &n {
            args.extend(["--node", n]);
        }
        self.run(&args).map(|_| ())
    }

    pub fn down(&self, node: usize, process: Option<&str>, kill: bool) -> Result<()> {
        let n = node.to_string();
        let mut args = vec!["down", "--node", &n];
        if let Some(p) = process {
            args.extend(["--process", p]);
        }
        if kill {
            args.push("--kill");
        }
        self.run(&args).map(|_| ())
    }

    /// Each node's (height, app hash), `None` for a node whose RPC does not answer.
    pub fn status(&self) -> Result<Vec<Option<(u64, String)>>> {
        let v: Value = serde_json::from_str(&self.run(&["status", "--output", "json"])?)?;
        Ok(v["nodes"]
            .as_array()
            .context("status has no nodes")?
            .iter()
            .map(|n| Some((n["height"].as_u64()?, n["app_hash"].as_str()?.to_string())))
            .collect())
    }

    pub fn height(&self, i: usize) -> Option<u64> {
        self.status().ok()?.get(i)?.as_ref().map(|(h, _)| *h)
    }

    /// Waits until every node in `nodes` is at `h` or above.
    pub fn wait_for(&self, nodes: &[usize], h: u64, timeout: Duration) -> Result<()> {
        let start = Instant::now();
        loop {
            let st = self.status()?;
            if nodes.iter().all(|&i| st[i].as_ref().is_some_and(|(hh, _)| *hh >= h)) {
                return Ok(());
            }
            if start.elapsed() > timeout {
                bail!("nodes {nodes:?} did not reach height {h} in {}s: {st:?}\n{}", timeout.as_secs(), self.logs());
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    pub fn logs(&self) -> String {
        self.run(&["logs", "-n", "15"]).unwrap_or_default()
    }

    /// `salusd <args>` against node `i` (its home and RPC).
    pub fn cli(&self, i: usize, args: &[&str]) -> Result<CliResult> {
        run_salusd(&self.node_home(i), &self.rpc_url(i), args)
    }

    /// The app hash in the header of every block from `from` to `to`, as node `i` reports them.
    pub fn header_app_hashes(&self, i: usize, from: u64, to: u64) -> Result<Vec<String>> {
        let mut out = Vec::new();
        let mut lo = from;
        while lo <= to {
            let hi = (lo + 19).min(to);
            let url = format!("{}/blockchain?minHeight={lo}&maxHeight={hi}", self.rpc_url(i));
            let body = Command::new("curl").args(["-fsS", "--max-time", "5", &url]).output()?;
            let v: Value =
                serde_json::from_slice(&body.stdout).with_context(|| format!("blockchain {lo}-{hi} from node {i}"))?;
            let mut metas: Vec<(u64, String)> = v["result"]["block_metas"]
                .as_array()
                .context("no block metas")?
                .iter()
                .map(|m| {
                    let h = m["header"]["height"].as_str().unwrap_or("0").parse().unwrap_or(0);
                    (h, m["header"]["app_hash"].as_str().unwrap_or("").to_string())
                })
                .collect();
            metas.sort();
            if metas.len() as u64 != hi - lo + 1 {
                bail!("node {i} returned {} headers for {lo}-{hi}", metas.len());
            }
            out.extend(metas.into_iter().map(|(_, a)| a));
            lo = hi + 1;
        }
        Ok(out)
    }

    /// The demo key of node `i` (funded in genesis, present in every node's keyring).
    pub fn demo(&self, i: usize) -> String {
        format!("demo{i}")
    }

    pub fn address(&self, key: &str) -> Result<String> {
        Ok(self.cli(0, &["keys", "show", key, "--address"])?.stdout.trim().to_string())
    }

    /// The validator operator address (salusvaloper1...) of a key.
    pub fn valoper(&self, key: &str) -> Result<String> {
        Ok(self.cli(0, &["keys", "show", key, "--address", "--bech", "val"])?.stdout.trim().to_string())
    }

    /// CometBFT's validator set at node `i`'s latest height: (base64 ed25519 key, voting power).
    pub fn comet_validators(&self, i: usize) -> Result<Vec<(String, u64)>> {
        let url = format!("{}/validators?per_page=100", self.rpc_url(i));
        let body = Command::new("curl").args(["-fsS", "--max-time", "5", &url]).output()?;
        let v: Value = serde_json::from_slice(&body.stdout).context("/validators")?;
        Ok(v["result"]["validators"]
            .as_array()
            .context("no validators")?
            .iter()
            .map(|v| {
                (
                    v["pub_key"]["value"].as_str().unwrap_or_default().to_string(),
                    v["voting_power"].as_str().unwrap_or("0").parse().unwrap_or(0),
                )
            })
            .collect())
    }

    /// The base64 consensus key of node `i` (config/priv_validator_key.json).
    pub fn consensus_key(&self, i: usize) -> Result<String> {
        let path = self.node_home(i).join("config/priv_validator_key.json");
        let v: Value = serde_json::from_str(&std::fs::read_to_string(path)?)?;
        Ok(v["pub_key"]["value"].as_str().context("no pub_key")?.to_string())
    }

    /// Polls `check` every 300ms until it returns `Some` or `timeout` passes.
    pub fn wait_until<T>(&self, what: &str, timeout: Duration, mut check: impl FnMut() -> Option<T>) -> Result<T> {
        let start = Instant::now();
        loop {
            if let Some(v) = check() {
                return Ok(v);
            }
            if start.elapsed() > timeout {
                bail!("timed out after {}s waiting for {what}\n{}", timeout.as_secs(), self.logs());
            }
            std::thread::sleep(Duration::from_millis(300));
        }
    }

    pub fn balance(&self, i: usize, addr: &str) -> Result<u128> {
        let r = self.cli(i, &["query", "token", "balance", addr, "usalus", "--output", "json"])?;
        Ok(r.json()["balance"]["amount"].as_str().context("no amount")?.parse()?)
    }
}

impl Drop for Localnet {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("--- localnet logs:\n{}", self.logs());
        }
        let _ = Command::new(salusd_bin())
            .args(["localnet", "down", "--kill", "--home"])
            .arg(self.home())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}
