//! A harness for end-to-end tests: a real chain of CometBFT + salusd in a temporary home, on free
//! loopback ports, driven through the `salusd` CLI.
//!
//! Binaries: `SALUSD_BIN` (default `target/debug/salusd`), `COMETBFT_BIN` (default
//! `bin/cometbft`) and `HERMES_BIN` (default `bin/hermes`), the last two installed by
//! scripts/install.sh. A missing binary fails the test with the
//! command that provides it; nothing is skipped.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

pub mod localnet;

use anyhow::{anyhow, bail, Context, Result};
use serde_json::Value;

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ is inside the repo").to_path_buf()
}

fn binary(env: &str, default: &str, hint: &str) -> PathBuf {
    let path = std::env::var_os(env).map(PathBuf::from).unwrap_or_else(|| repo_root().join(default));
    assert!(path.exists(), "{} not found at {}: {hint}", env, path.display());
    path
}

pub fn salusd_bin() -> PathBuf {
    binary("SALUSD_BIN", "target/debug/salusd", "run `cargo build --bin salusd` (scripts/test.sh does)")
}

/// salusd built with the `test-upgrade` feature: a release that has the test upgrade's handler.
pub fn salusd_upgraded_bin() -> PathBuf {
    binary(
        "SALUSD_UPGRADED_BIN",
        "target/debug/salusd-test-upgrade",
        "run `cargo build --bin salusd --features salus-node/test-upgrade` and copy target/debug/salusd there \
         (scripts/test.sh does)",
    )
}

pub fn cometbft_bin() -> PathBuf {
    binary("COMETBFT_BIN", "bin/cometbft", "run scripts/install.sh")
}

/// The Hermes IBC relayer (scripts/install.sh links the pinned release into bin/).
pub fn hermes_bin() -> PathBuf {
    binary("HERMES_BIN", "bin/hermes", "run scripts/install.sh")
}

/// Free loopback ports, held until the caller binds them.
pub fn free_ports(n: usize) -> Vec<u16> {
    let listeners: Vec<TcpListener> =
        (0..n).map(|_| TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0")).collect();
    listeners.iter().map(|l| l.local_addr().unwrap().port()).collect()
}

/// Runs `salusd <args> --home <home>`, adding `--node <rpc>` for the commands that talk to a node.
pub fn run_salusd(home: &Path, rpc: &str, args: &[&str]) -> Result<CliResult> {
    let mut cmd = Command::new(salusd_bin());
    cmd.args(args).arg("--home").arg(home).stdin(Stdio::null());
    if matches!(args.first(), Some(&"tx") | Some(&"query") | Some(&"status") | Some(&"did") | Some(&"fhir")) {
        cmd.args(["--node", rpc]);
    }
    let out: Output = cmd.output()?;
    Ok(CliResult {
        ok: out.status.success(),
        stdout: String::from_utf8_lossy(&out.stdout).into(),
        stderr: String::from_utf8_lossy(&out.stderr).into(),
    })
}

pub struct Node {
    pub dir: tempfile::TempDir,
    pub home: PathBuf,
    pub chain_id: String,
    pub rpc_port: u16,
    pub abci_port: u16,
    pub grpc_port: u16,
    pub p2p_port: u16,
    salusd: Option<Child>,
    cometbft: Option<Child>,
}

pub struct CliResult {
    pub ok: bool,
    pub stdout: String,
    pub stderr: String,
}

impl CliResult {
    pub fn json(&self) -> Value {
        serde_json::from_str(self.stdout.trim())
            .unwrap_or_else(|e| panic!("not JSON ({e}):\nstdout: {}\nstderr: {}", self.stdout, self.stderr))
    }
}

impl Node {
    /// A new single-validator chain with a funded `demo` key, started and producing blocks.
    pub fn start_single(chain_id: &str) -> Result<Self> {
        let mut node = Self::init(chain_id)?;
        let demo = node.cli(&["keys", "add", "demo", "--output", "json"])?;
        let address = demo.json()["address"].as_str().context("keys add gave no address")?.to_string();
        node.ok(&["genesis", "add-account", &address, "1000000000000usalus"])?;
        node.make_validator("validator", "100000000000usalus")?;
        node.start()?;
        node.wait_for_height(2, Duration::from_secs(60))?;
        Ok(node)
    }

    pub fn init(chain_id: &str) -> Result<Self> {
        let dir = tempfile::tempdir()?;
        let home = dir.path().join("node");
        let ports = free_ports(4);
        let node = Node {
            dir,
            home,
            chain_id: chain_id.to_string(),
            p2p_port: ports[0],
            rpc_port: ports[1],
            abci_port: ports[2],
            grpc_port: ports[3],
            salusd: None,
            cometbft: None,
        };
        let (p2p, rpc, abci, grpc) = (
            node.p2p_port.to_string(),
            node.rpc_port.to_string(),
            node.abci_port.to_string(),
            node.grpc_port.to_string(),
        );
        node.ok(&[
            "init",
            "e2e",
            "--chain-id",
            chain_id,
            "--timeout-commit",
            "300ms",
            "--p2p-port",
            &p2p,
            "--rpc-port",
            &rpc,
            "--abci-port",
            &abci,
            "--grpc-port",
            &grpc,
        ])?;
        Ok(node)
    }

    /// Creates `key`, funds it in genesis and bonds `amount` of it to this node's consensus key
    /// (gentx + collect-gentxs), making the node the genesis validator.
    pub fn make_validator(&self, key: &str, amount: &str) -> Result<()> {
        let k = self.ok(&["keys", "add", key, "--output", "json"])?;
        let address = k.json()["address"].as_str().context("keys add gave no address")?.to_string();
        self.ok(&["genesis", "add-account", &address, amount])?;
        self.ok(&["genesis", "gentx", key, amount, "--moniker", "e2e"])?;
        self.ok(&["genesis", "collect-gentxs"])?;
        Ok(())
    }

    pub fn rpc_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.rpc_port)
    }

    fn log(&self, name: &str) -> Result<std::fs::File> {
        Ok(std::fs::OpenOptions::new().create(true).append(true).open(self.dir.path().join(format!("{name}.log")))?)
    }

    pub fn log_tail(&self, name: &str) -> String {
        let text = std::fs::read_to_string(self.dir.path().join(format!("{name}.log"))).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(30)..].join("\n")
    }

    /// `<bin> start --home <home>`, logging to `<name>.log` in the test's folder.
    fn spawn(&self, bin: PathBuf, name: &str) -> Result<Child> {
        Ok(Command::new(bin)
            .args(["start", "--home"])
            .arg(&self.home)
            .stdout(self.log(name)?)
            .stderr(self.log(name)?)
            .spawn()?)
    }

    pub fn start_app(&mut self) -> Result<()> {
        self.salusd = Some(self.spawn(salusd_bin(), "salusd")?);
        let start = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", self.abci_port)).is_err() {
            if start.elapsed() > Duration::from_secs(20) {
                bail!("salusd did not listen on ABCI port {}:\n{}", self.abci_port, self.log_tail("salusd"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(())
    }

    pub fn start_comet(&mut self) -> Result<()> {
        self.cometbft = Some(self.spawn(cometbft_bin(), "cometbft")?);
        Ok(())
    }

    pub fn start(&mut self) -> Result<()> {
        self.start_app()?;
        self.start_comet()
    }

    /// SIGKILL salusd: no chance to flush anything.
    pub fn kill_app(&mut self) {
        if let Some(mut c) = self.salusd.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    pub fn kill_comet(&mut self) {
        if let Some(mut c) = self.cometbft.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }

    /// Runs `salusd <args> --home <home>` (and `--node` for tx/query/status).
    pub fn cli(&self, args: &[&str]) -> Result<CliResult> {
        run_salusd(&self.home, &self.rpc_url(), args)
    }

    /// Like [`Node::cli`], failing unless the command succeeds.
    pub fn ok(&self, args: &[&str]) -> Result<CliResult> {
        let r = self.cli(args)?;
        if !r.ok {
            bail!("`salusd {}` failed:\nstdout: {}\nstderr: {}", args.join(" "), r.stdout, r.stderr);
        }
        Ok(r)
    }

    pub fn address(&self, key: &str) -> Result<String> {
        Ok(self.ok(&["keys", "show", key, "--address"])?.stdout.trim().to_string())
    }

    /// CometBFT's RPC, as JSON (`path` like `status` or `block?height=3`).
    pub fn rpc(&self, path: &str) -> Result<Value> {
        let out =
            Command::new("curl").args(["-fsS", "--max-time", "5", &format!("{}/{path}", self.rpc_url())]).output()?;
        if !out.status.success() {
            bail!("RPC {path} failed: {}", String::from_utf8_lossy(&out.stderr));
        }
        let v: Value = serde_json::from_slice(&out.stdout)?;
        v.get("result").cloned().ok_or_else(|| anyhow!("RPC {path} returned no result: {v}"))
    }

    /// (height, app hash) of the latest block, or None while the RPC is down.
    pub fn latest(&self) -> Option<(u64, String)> {
        let s = self.rpc("status").ok()?;
        let info = &s["sync_info"];
        Some((info["latest_block_height"].as_str()?.parse().ok()?, info["latest_app_hash"].as_str()?.to_string()))
    }

    pub fn wait_for_height(&self, h: u64, timeout: Duration) -> Result<u64> {
        let start = Instant::now();
        loop {
            if let Some((now, _)) = self.latest() {
                if now >= h {
                    return Ok(now);
                }
            }
            if start.elapsed() > timeout {
                bail!(
                    "height {h} not reached in {}s\n--- salusd:\n{}\n--- cometbft:\n{}",
                    timeout.as_secs(),
                    self.log_tail("salusd"),
                    self.log_tail("cometbft")
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The app hash in the header of block `h` (the state after block h-1).
    pub fn app_hash_at(&self, h: u64) -> Result<String> {
        let b = self.rpc(&format!("block?height={h}"))?;
        Ok(b["block"]["header"]["app_hash"].as_str().context("no app hash")?.to_string())
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        self.kill_comet();
        self.kill_app();
        if std::thread::panicking() {
            eprintln!(
                "--- salusd log tail:\n{}\n--- cometbft log tail:\n{}",
                self.log_tail("salusd"),
                self.log_tail("cometbft")
            );
        }
    }
}
