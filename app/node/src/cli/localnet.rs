//! `salusd localnet ...`: a network of N validators on this machine, each a CometBFT + salusd
//! pair on its own loopback ports. The node binary writes every config; processes are stopped by
//! the PIDs recorded when they were started.

use std::io::{BufRead, Seek};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};
use clap::Subcommand;
use serde::{Deserialize, Serialize};

use super::output::print;
use super::OutputFormat;
use crate::client::Rpc;
use crate::home::{self, Home, InitOptions, Ports};
use crate::keyring::{Key, Keyring};

#[derive(Subcommand)]
pub enum LocalnetCmd {
    /// Write the homes of N validators (one genesis, funded demo keys, peers wired together).
    Init {
        /// How many validators.
        #[arg(long, default_value_t = 4)]
        validators: usize,
        #[arg(long, default_value = "salus-localnet-1")]
        chain_id: String,
        /// Node i uses ports base+10i (P2P), +1 (RPC), +2 (ABCI), +3 (gRPC).
        #[arg(long, default_value_t = 30000)]
        base_port: u16,
        /// CometBFT timeout_commit.
        #[arg(long, default_value = "500ms")]
        timeout_commit: String,
        /// CometBFT mempool size (transactions) per node.
        #[arg(long, default_value_t = 5000)]
        mempool_size: u32,
        /// Replace an existing network in --home.
        #[arg(long)]
        overwrite: bool,
        /// Staking unbonding period in seconds (short, so unbonding can be watched).
        #[arg(long, default_value_t = 30)]
        unbonding_secs: u64,
        /// Slashing: blocks over which liveness is measured.
        #[arg(long, default_value_t = 20)]
        signed_blocks_window: u64,
        /// Slashing: how long a validator jailed for downtime stays jailed, in seconds.
        #[arg(long, default_value_t = 10)]
        downtime_jail_secs: u64,
        /// Governance: the deposit and the voting period in seconds (short, so a newcomer can
        /// try a vote; the expedited voting period is half of it).
        #[arg(long, default_value_t = 60)]
        voting_secs: u64,
    },
    /// Add a full node (not a validator) to the network; it can join the set with `tx staking
    /// create-validator --home <its home>`.
    #[command(name = "add-node")]
    AddNode,
    /// Start the network, or one node of it.
    Up {
        /// Only this node (0-based).
        #[arg(long)]
        node: Option<usize>,
        /// The CometBFT binary.
        #[arg(long, env = "COMETBFT_BIN", default_value = "cometbft")]
        cometbft: PathBuf,
    },
    /// Stop the network, or one node of it.
    Down {
        /// Only this node (0-based).
        #[arg(long)]
        node: Option<usize>,
        /// Only this process of the node.
        #[arg(long, value_parser = ["salusd", "cometbft"])]
        process: Option<String>,
        /// SIGKILL instead of SIGTERM: no chance to clean up (for fault tests).
        #[arg(long)]
        kill: bool,
    },
    /// Each node's RPC address, whether it runs, its height and latest app hash.
    Status {
        #[arg(long, short, value_enum, default_value_t)]
        output: OutputFormat,
    },
    /// Print the nodes' logs.
    Logs {
        /// Only this node (0-based).
        #[arg(long)]
        node: Option<usize>,
        /// How many lines of each log.
        #[arg(long, short = 'n', default_value_t = 40)]
        lines: usize,
        /// Keep printing new lines.
        #[arg(long, short)]
        follow: bool,
    },
}

/// What `localnet init` wrote, read back by the other commands.
#[derive(Serialize, Deserialize)]
pub struct Manifest {
    pub chain_id: String,
    pub nodes: Vec<NodeEntry>,
    #[serde(default)]
    pub base_port: u16,
    #[serde(default)]
    pub timeout_commit: String,
    #[serde(default)]
    pub mempool_size: u32,
}

/// How the network runs.
struct Network {
    chain_id: String,
    base_port: u16,
    timeout_commit: String,
    mempool_size: u32,
}

/// Genesis parameters short enough to watch unbonding and jailing happen.
struct LocalParams {
    unbonding_secs: u64,
    signed_blocks_window: u64,
    downtime_jail_secs: u64,
    voting_secs: u64,
}

/// What each demo key bonds at genesis.
const GENESIS_BOND: &str = "100000000000usalus";

#[derive(Serialize, Deserialize, Clone)]
pub struct NodeEntry {
    pub name: String,
    pub home: PathBuf,
    pub p2p: u16,
    pub rpc: u16,
    pub abci: u16,
    pub grpc: u16,
}

impl NodeEntry {
    fn pid_file(&self, process: &str) -> PathBuf {
        self.home.join("run").join(format!("{process}.pid"))
    }
    fn log_file(&self, process: &str) -> PathBuf {
        self.home.join("run").join(format!("{process}.log"))
    }
    fn rpc_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.rpc)
    }
}

const MANIFEST: &str = "localnet.json";
const PROCESSES: [&str; 2] = ["cometbft", "salusd"];

pub fn run(dir: &Path, cmd: LocalnetCmd) -> Result<()> {
    match cmd {
        LocalnetCmd::Init {
            validators,
            chain_id,
            base_port,
            timeout_commit,
            mempool_size,
            overwrite,
            unbonding_secs,
            signed_blocks_window,
            downtime_jail_secs,
            voting_secs,
        } => {
            if voting_secs < 2 {
                bail!("--voting-secs must be at least 2 (the expedited period is half of it)");
            }
            let network = Network { chain_id, base_port, timeout_commit, mempool_size };
            let params = LocalParams { unbonding_secs, signed_blocks_window, downtime_jail_secs, voting_secs };
            init(dir, validators, &network, &params, overwrite)
        }
        LocalnetCmd::AddNode => add_node(dir),
        LocalnetCmd::Up { node, cometbft } => up(dir, node, &cometbft),
        LocalnetCmd::Down { node, process, kill } => down(dir, node, process.as_deref(), kill),
        LocalnetCmd::Status { output } => super::runtime()?.block_on(status(dir, output)),
        LocalnetCmd::Logs { node, lines, follow } => logs(dir, node, lines, follow),
    }
}

fn load(dir: &Path) -> Result<Manifest> {
    let path = dir.join(MANIFEST);
    let text = std::fs::read_to_string(&path).with_context(|| {
        format!("no localnet in {}: create one with `salusd localnet init --home {}`", dir.display(), dir.display())
    })?;
    serde_json::from_str(&text).with_context(|| format!("{} is corrupt", path.display()))
}

fn select(m: &Manifest, node: Option<usize>) -> Result<Vec<NodeEntry>> {
    match node {
        None => Ok(m.nodes.clone()),
        Some(i) => m
            .nodes
            .get(i)
            .cloned()
            .map(|n| vec![n])
            .ok_or_else(|| anyhow!("no node {i}: this localnet has nodes 0 to {}", m.nodes.len() - 1)),
    }
}

fn node_entry(dir: &Path, base: u16, i: usize) -> Result<NodeEntry> {
    let b = base + 10 * i as u16;
    Ok(NodeEntry {
        name: format!("node{i}"),
        home: std::path::absolute(dir.join(format!("node{i}")))?,
        p2p: b,
        rpc: b + 1,
        abci: b + 2,
        grpc: b + 3,
    })
}

fn ports(node: &NodeEntry) -> Ports {
    Ports { p2p: node.p2p, rpc: node.rpc, abci: node.abci, grpc: node.grpc }
}

/// Writes a node's config.toml with every other node as a persistent peer.
fn write_comet_config(node: &NodeEntry, peers: &[(String, u16)], net: &Network) -> Result<()> {
    let peers: Vec<String> = peers.iter().map(|(id, p2p)| format!("{id}@127.0.0.1:{p2p}")).collect();
    let comet = home::CometSettings {
        moniker: &node.name,
        ports: &ports(node),
        persistent_peers: &peers.join(","),
        timeout_commit: &net.timeout_commit,
        mempool_size: net.mempool_size,
    };
    std::fs::write(Home(node.home.clone()).config("config.toml"), home::comet_config(&comet))?;
    Ok(())
}

fn init(dir: &Path, n: usize, net: &Network, params: &LocalParams, overwrite: bool) -> Result<()> {
    let (chain_id, base) = (net.chain_id.as_str(), net.base_port);
    if !(1..=50).contains(&n) {
        bail!("--validators must be between 1 and 50");
    }
    if base as usize + 10 * (n + 5) > 65_000 {
        bail!("--base-port {base} leaves no room for {n} nodes: pick one below {}", 65_000 - 10 * (n + 5));
    }
    if dir.join(MANIFEST).exists() {
        if !overwrite {
            bail!(
                "{} already holds a localnet: pass --overwrite, or `salusd localnet down` and delete it",
                dir.display()
            );
        }
        if let Ok(m) = load(dir) {
            if m.nodes.iter().any(|node| PROCESSES.iter().any(|p| running_pid(node, p).is_some())) {
                bail!(
                    "the localnet in {} is running: `salusd localnet down --home {}` first",
                    dir.display(),
                    dir.display()
                );
            }
        }
        std::fs::remove_dir_all(dir).with_context(|| format!("removing {}", dir.display()))?;
    }
    std::fs::create_dir_all(dir)?;

    let mut nodes = Vec::new();
    let mut ids = Vec::new();
    for i in 0..n {
        let entry = node_entry(dir, base, i)?;
        let id = home::init(
            &Home(entry.home.clone()),
            &InitOptions {
                moniker: &entry.name,
                chain_id,
                ports: ports(&entry),
                overwrite: true,
                timeout_commit: &net.timeout_commit,
            },
        )?;
        ids.push(id.node_id);
        nodes.push(entry);
        eprintln!("wrote {}", nodes[i].home.display());
    }

    // One genesis: a funded demo key per node (in every node's keyring), short staking,
    // slashing and governance periods, and one gentx per node bonding its demo key's stake to its consensus key.
    let mut keys = Vec::new();
    let home0 = Home(nodes[0].home.clone());
    let mut genesis = home::read_json(&home0.genesis())?;
    let mut balances = Vec::new();
    let mut mnemonics = serde_json::Map::new();
    for i in 0..n {
        let mnemonic = crate::keyring::new_mnemonic();
        let key = Key::from_mnemonic(&format!("demo{i}"), &mnemonic)?;
        balances.push(serde_json::json!({ "address": key.address.to_string(), "coins": [{ "denom": "usalus", "amount": "1000000000000" }] }));
        mnemonics
            .insert(key.name.clone(), serde_json::json!({ "address": key.address.to_string(), "mnemonic": mnemonic }));
        keys.push(key);
    }
    genesis["app_state"]["token"]["balances"] = serde_json::Value::Array(balances);
    genesis["app_state"]["staking"]["params"]["unbonding_time_secs"] = params.unbonding_secs.into();
    genesis["app_state"]["slashing"]["params"]["signed_blocks_window"] = params.signed_blocks_window.into();
    genesis["app_state"]["slashing"]["params"]["downtime_jail_duration_secs"] = params.downtime_jail_secs.into();
    let gov = &mut genesis["app_state"]["gov"]["params"];
    gov["max_deposit_period_secs"] = params.voting_secs.into();
    gov["voting_period_secs"] = params.voting_secs.into();
    gov["expedited_voting_period_secs"] = (params.voting_secs / 2).into();
    let gentx_dir = dir.join("gentx");
    std::fs::create_dir_all(&gentx_dir)?;
    for (i, node) in nodes.iter().enumerate() {
        let h = Home(node.home.clone());
        home::write_json(&h.genesis(), &genesis)?;
        let mut args = super::default_validator_args();
        args.description.moniker = Some(node.name.clone());
        let file = crate::genutil::gentx(&h, &keys[i], GENESIS_BOND, &args)?;
        std::fs::copy(&file, gentx_dir.join(file.file_name().expect("a gentx file has a name")))?;
    }
    crate::genutil::collect_gentxs(&home0, &gentx_dir)?;
    let genesis = home::read_json(&home0.genesis())?;
    for (i, node) in nodes.iter().enumerate() {
        let h = Home(node.home.clone());
        home::write_json(&h.genesis(), &genesis)?;
        let ring = Keyring::open(h.keyring());
        for key in &keys {
            ring.add(key, true)?;
        }
        let peers: Vec<(String, u16)> = nodes
            .iter()
            .zip(&ids)
            .enumerate()
            .filter(|(j, _)| *j != i)
            .map(|(_, (p, id))| (id.clone(), p.p2p))
            .collect();
        write_comet_config(node, &peers, net)?;
    }
    home::write_json(&dir.join("demo-keys.json"), &serde_json::Value::Object(mnemonics))?;
    let manifest = Manifest {
        chain_id: chain_id.to_string(),
        nodes,
        base_port: base,
        timeout_commit: net.timeout_commit.clone(),
        mempool_size: net.mempool_size,
    };
    std::fs::write(dir.join(MANIFEST), serde_json::to_string_pretty(&manifest)?)?;
    println!("localnet {chain_id}: {n} validators in {} (demo keys and mnemonics: demo-keys.json)", dir.display());
    println!("start it with `salusd localnet up --home {}`", dir.display());
    Ok(())
}

fn add_node(dir: &Path) -> Result<()> {
    let mut m = load(dir)?;
    let i = m.nodes.len();
    let entry = node_entry(dir, m.base_port, i)?;
    let net = Network {
        chain_id: m.chain_id.clone(),
        base_port: m.base_port,
        timeout_commit: m.timeout_commit.clone(),
        mempool_size: m.mempool_size,
    };
    let h = Home(entry.home.clone());
    home::init(
        &h,
        &InitOptions {
            moniker: &entry.name,
            chain_id: &m.chain_id,
            ports: ports(&entry),
            overwrite: true,
            timeout_commit: &net.timeout_commit,
        },
    )?;
    let first = Home(m.nodes[0].home.clone());
    std::fs::copy(first.genesis(), h.genesis())?;
    let ring = Keyring::open(h.keyring());
    for stored in Keyring::open(first.keyring()).list()? {
        ring.add(&Keyring::open(first.keyring()).get(&stored.name)?, true)?;
    }
    let peers =
        m.nodes.iter().map(|n| Ok((home::node_id(&Home(n.home.clone()))?, n.p2p))).collect::<Result<Vec<_>>>()?;
    write_comet_config(&entry, &peers, &net)?;
    println!(
        "{}: added in {} (RPC {}); start it with `salusd localnet up --node {i} --home {}`",
        entry.name,
        entry.home.display(),
        entry.rpc_url(),
        dir.display()
    );
    m.nodes.push(entry);
    std::fs::write(dir.join(MANIFEST), serde_json::to_string_pretty(&m)?)?;
    Ok(())
}

/// The PID of a node's process if it is alive (and still that program).
fn running_pid(node: &NodeEntry, process: &str) -> Option<u32> {
    let pid: u32 = std::fs::read_to_string(node.pid_file(process)).ok()?.trim().parse().ok()?;
    let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).ok()?;
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let zombie = stat.rsplit(')').next().is_some_and(|rest| rest.trim_start().starts_with('Z'));
    (!zombie && String::from_utf8_lossy(&cmdline).contains(process)).then_some(pid)
}

fn port_open(port: u16) -> bool {
    std::net::TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), Duration::from_millis(200)).is_ok()
}

fn spawn(node: &NodeEntry, process: &str, program: &Path) -> Result<std::process::Child> {
    use std::os::unix::process::CommandExt;
    std::fs::create_dir_all(node.home.join("run"))?;
    let log = std::fs::OpenOptions::new().create(true).append(true).open(node.log_file(process))?;
    let child = Command::new(program)
        .args(["start", "--home"])
        .arg(&node.home)
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log)
        .process_group(0) // not stopped by a Ctrl-C meant for this command
        .spawn()
        .with_context(|| format!("starting {}", program.display()))?;
    std::fs::write(node.pid_file(process), child.id().to_string())?;
    Ok(child)
}

fn log_tail(node: &NodeEntry, process: &str) -> String {
    let text = std::fs::read_to_string(node.log_file(process)).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(15)..].join("\n")
}

fn up(dir: &Path, only: Option<usize>, cometbft: &Path) -> Result<()> {
    let m = load(dir)?;
    let salusd = std::env::current_exe()?;
    let cometbft = which(cometbft)?;
    for node in select(&m, only)? {
        if running_pid(&node, "salusd").is_none() {
            for port in [node.abci, node.grpc] {
                if port_open(port) {
                    bail!(
                        "port {port} of {} is taken by another process: stop it or re-init with another --base-port",
                        node.name
                    );
                }
            }
            let mut child = spawn(&node, "salusd", &salusd)?;
            let start = Instant::now();
            while !port_open(node.abci) {
                if child.try_wait()?.is_some() || start.elapsed() > Duration::from_secs(60) {
                    bail!(
                        "salusd of {} did not start ({}):\n{}",
                        node.name,
                        node.log_file("salusd").display(),
                        log_tail(&node, "salusd")
                    );
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        if running_pid(&node, "cometbft").is_none() {
            for port in [node.p2p, node.rpc] {
                if port_open(port) {
                    bail!(
                        "port {port} of {} is taken by another process: stop it or re-init with another --base-port",
                        node.name
                    );
                }
            }
            spawn(&node, "cometbft", &cometbft)?;
        }
        eprintln!("{}: running (RPC {})", node.name, node.rpc_url());
    }
    Ok(())
}

fn which(program: &Path) -> Result<PathBuf> {
    if program.components().count() > 1 {
        return program
            .exists()
            .then(|| program.to_path_buf())
            .ok_or_else(|| anyhow!("{} not found: run scripts/install.sh", program.display()));
    }
    std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .map(|d| d.join(program))
        .find(|p| p.exists())
        .ok_or_else(|| {
            anyhow!(
                "`{}` is not on PATH: run scripts/install.sh, or pass --cometbft / set COMETBFT_BIN",
                program.display()
            )
        })
}

fn signal(pid: u32, sig: &str) {
    let _ = Command::new("kill").args([sig, &pid.to_string()]).stdout(Stdio::null()).stderr(Stdio::null()).status();
}

fn down(dir: &Path, only: Option<usize>, process: Option<&str>, kill: bool) -> Result<()> {
    let m = load(dir)?;
    for node in select(&m, only)? {
        for p in PROCESSES.iter().filter(|p| process.is_none_or(|want| want == **p)) {
            let Some(pid) = running_pid(&node, p) else { continue };
            signal(pid, if kill { "-KILL" } else { "-TERM" });
            let start = Instant::now();
            while running_pid(&node, p).is_some() {
                if start.elapsed() > Duration::from_secs(10) {
                    signal(pid, "-KILL");
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = std::fs::remove_file(node.pid_file(p));
            eprintln!("{}: stopped {p} (pid {pid})", node.name);
        }
    }
    Ok(())
}

async fn status(dir: &Path, output: OutputFormat) -> Result<()> {
    let m = load(dir)?;
    let mut rows = Vec::new();
    for node in &m.nodes {
        let running = PROCESSES.iter().all(|p| running_pid(node, p).is_some());
        let (height, app_hash) = match Rpc::new(&node.rpc_url())?.status().await {
            Ok(s) => (Some(s.sync_info.latest_block_height.value()), Some(s.sync_info.latest_app_hash.to_string())),
            Err(_) => (None, None),
        };
        rows.push(serde_json::json!({
            "name": node.name, "rpc": node.rpc_url(), "running": running, "height": height, "app_hash": app_hash,
        }));
    }
    match output {
        OutputFormat::Json => print(output, &serde_json::json!({ "chain_id": m.chain_id, "nodes": rows })),
        OutputFormat::Text => {
            println!("{:<8} {:<24} {:<8} {:>8}  app hash", "node", "rpc", "running", "height");
            for r in rows {
                println!(
                    "{:<8} {:<24} {:<8} {:>8}  {}",
                    r["name"].as_str().unwrap_or(""),
                    r["rpc"].as_str().unwrap_or(""),
                    r["running"],
                    r["height"].as_u64().map_or("-".into(), |h| h.to_string()),
                    r["app_hash"].as_str().unwrap_or("-")
                );
            }
        }
    }
    Ok(())
}

fn logs(dir: &Path, only: Option<usize>, lines: usize, follow: bool) -> Result<()> {
    let m = load(dir)?;
    let mut files = Vec::new();
    for node in select(&m, only)? {
        for p in PROCESSES {
            let path = node.log_file(p);
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let all: Vec<&str> = text.lines().collect();
            println!("==> {} {p} ({}) <==", node.name, path.display());
            for l in &all[all.len().saturating_sub(lines)..] {
                println!("{l}");
            }
            files.push((format!("{} {p}", node.name), path, text.len() as u64));
        }
    }
    if !follow {
        return Ok(());
    }
    loop {
        std::thread::sleep(Duration::from_millis(500));
        for (label, path, offset) in files.iter_mut() {
            let Ok(mut f) = std::fs::File::open(&*path) else { continue };
            if f.seek(std::io::SeekFrom::Start(*offset)).is_err() {
                continue;
            }
            for line in std::io::BufReader::new(f).lines().map_while(Result::ok) {
                *offset += line.len() as u64 + 1;
                println!("[{label}] {line}");
            }
        }
    }
}
