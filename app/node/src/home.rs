//! The node home: one folder for CometBFT and salusd, laid out as gaiad's is.
//!
//! ```text
//! <home>/config/config.toml            CometBFT
//! <home>/config/genesis.json           CometBFT genesis with Salus' app_state
//! <home>/config/node_key.json          p2p identity
//! <home>/config/priv_validator_key.json
//! <home>/config/app.toml               salusd
//! <home>/data/priv_validator_state.json
//! <home>/data/application.db           the Salus store (RocksDB)
//! <home>/keyring-test/                 account keys (test backend: unencrypted)
//! ```

use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use base64::Engine;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub const DEFAULT_HOME_DIR: &str = ".salus";

pub fn default_home() -> PathBuf {
    std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(|| PathBuf::from(".")).join(DEFAULT_HOME_DIR)
}

pub struct Home(pub PathBuf);

impl Home {
    pub fn config(&self, file: &str) -> PathBuf {
        self.0.join("config").join(file)
    }
    pub fn data(&self, file: &str) -> PathBuf {
        self.0.join("data").join(file)
    }
    pub fn genesis(&self) -> PathBuf {
        self.config("genesis.json")
    }
    pub fn app_toml(&self) -> PathBuf {
        self.config("app.toml")
    }
    pub fn db(&self) -> PathBuf {
        self.data("application.db")
    }
    pub fn keyring(&self) -> PathBuf {
        self.0.join("keyring-test")
    }
}

/// salusd's own settings (config/app.toml).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppConfig {
    /// Validator-local minimum gas prices, e.g. "0.001usalus". CheckTx rejects lower fees.
    #[serde(rename = "minimum-gas-prices")]
    pub minimum_gas_prices: String,
    /// Event attributes CometBFT indexes for tx search, as `type.key`; empty indexes all (as in
    /// Cosmos SDK). Indexing costs CometBFT CPU per attribute (see docs/BENCHMARKS.md).
    #[serde(rename = "index-events", default)]
    pub index_events: Vec<String>,
    pub abci: AbciConfig,
    pub grpc: GrpcConfig,
    pub cometbft: CometConfig,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AbciConfig {
    /// Where salusd listens for CometBFT's ABCI connections.
    pub address: String,
    /// ABCI queries (CometBFT's abci_query) answered at once, off the consensus connection;
    /// more wait their turn.
    #[serde(rename = "max-concurrent-queries", default = "default_abci_queries")]
    pub max_concurrent_queries: usize,
}

fn default_abci_queries() -> usize {
    crate::app::info::DEFAULT_MAX_CONCURRENT_QUERIES
}

fn default_grpc_requests() -> usize {
    crate::grpc::DEFAULT_MAX_CONCURRENT_REQUESTS
}

fn default_grpc_per_connection() -> usize {
    crate::grpc::DEFAULT_CONCURRENCY_PER_CONNECTION
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GrpcConfig {
    pub enable: bool,
    pub address: String,
    /// gRPC requests served at once over all connections; more wait their turn.
    #[serde(rename = "max-concurrent-requests", default = "default_grpc_requests")]
    pub max_concurrent_requests: usize,
    /// gRPC requests served at once on one connection.
    #[serde(rename = "concurrency-per-connection", default = "default_grpc_per_connection")]
    pub concurrency_per_connection: usize,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CometConfig {
    /// CometBFT's RPC, asked for node info.
    pub rpc: String,
}

/// What `salusd init` indexes: what wallets and explorers search txs by (cosmjs' searchTx by
/// sender or recipient, fee payers, account sequences).
pub const DEFAULT_INDEX_EVENTS: [&str; 6] =
    ["message.action", "message.sender", "transfer.recipient", "transfer.sender", "tx.acc_seq", "tx.fee_payer"];

impl Default for AppConfig {
    fn default() -> Self {
        Self {
            minimum_gas_prices: "0.001usalus".into(),
            index_events: DEFAULT_INDEX_EVENTS.iter().map(|s| s.to_string()).collect(),
            abci: AbciConfig { address: "127.0.0.1:26658".into(), max_concurrent_queries: default_abci_queries() },
            grpc: GrpcConfig {
                enable: true,
                address: "127.0.0.1:9090".into(),
                max_concurrent_requests: default_grpc_requests(),
                concurrency_per_connection: default_grpc_per_connection(),
            },
            cometbft: CometConfig { rpc: "http://127.0.0.1:26657".into() },
        }
    }
}

impl AppConfig {
    pub fn load(home: &Home) -> Result<Self> {
        let path = home.app_toml();
        let text = std::fs::read_to_string(&path).with_context(|| {
            format!(
                "reading {}: run `salusd init <moniker> --chain-id <id> --home {}` first",
                path.display(),
                home.0.display()
            )
        })?;
        toml::from_str(&text)
            .with_context(|| format!("{} is not valid: fix or delete it and re-run init", path.display()))
    }
}

/// Ports of one node; the localnet gives each node its own.
#[derive(Clone, Debug)]
pub struct Ports {
    pub p2p: u16,
    pub rpc: u16,
    pub abci: u16,
    pub grpc: u16,
}

/// CometBFT's address of an ed25519 public key (also a node's P2P id, in lower case).
fn ed25519_address(public: &[u8]) -> String {
    hex::encode_upper(&Sha256::digest(public)[..20])
}

/// The P2P id of a node home, from config/node_key.json.
pub fn node_id(home: &Home) -> Result<String> {
    let path = home.config("node_key.json");
    let key = read_json(&path)?;
    let full = base64::engine::general_purpose::STANDARD
        .decode(key.pointer("/priv_key/value").and_then(|v| v.as_str()).unwrap_or_default())
        .with_context(|| format!("{} has no base64 priv_key.value", path.display()))?;
    let public = full.get(32..64).ok_or_else(|| anyhow::anyhow!("{} is malformed", path.display()))?;
    Ok(ed25519_address(public).to_lowercase())
}

/// An ed25519 key as CometBFT stores it: `(address, pubkey b64, privkey b64 of seed||pub)`.
fn ed25519_json() -> (String, String, String) {
    let sk = ed25519_consensus::SigningKey::new(rand::rngs::OsRng);
    let pk = sk.verification_key();
    let address = ed25519_address(pk.as_bytes());
    let b64 = base64::engine::general_purpose::STANDARD;
    let mut full = sk.as_bytes().to_vec();
    full.extend_from_slice(pk.as_bytes());
    (address, b64.encode(pk.as_bytes()), b64.encode(full))
}

pub struct InitOptions<'a> {
    pub moniker: &'a str,
    pub chain_id: &'a str,
    pub ports: Ports,
    pub overwrite: bool,
    /// CometBFT consensus timeouts; short ones suit a local chain.
    pub timeout_commit: &'a str,
}

/// Who a freshly initialised node is.
pub struct NodeIdentity {
    /// The P2P node id (for persistent_peers).
    pub node_id: String,
    /// The validator's consensus address (hex).
    pub validator_address: String,
}

/// Writes a fresh home: keys, CometBFT config, app config and a genesis without validators
/// (`genesis gentx` and `collect-gentxs` add them).
pub fn init(home: &Home, o: &InitOptions) -> Result<NodeIdentity> {
    if home.genesis().exists() && !o.overwrite {
        bail!("{} already exists: pass --overwrite to replace it, or use another --home", home.genesis().display());
    }
    validate_chain_id(o.chain_id)?;
    std::fs::create_dir_all(home.0.join("config"))?;
    std::fs::create_dir_all(home.0.join("data"))?;

    let (node_addr, _, node_priv) = ed25519_json();
    write_json(
        &home.config("node_key.json"),
        &serde_json::json!({
            "priv_key": { "type": "tendermint/PrivKeyEd25519", "value": node_priv }
        }),
    )?;
    let (val_addr, val_pub, val_priv) = ed25519_json();
    write_json(
        &home.config("priv_validator_key.json"),
        &serde_json::json!({
            "address": val_addr,
            "pub_key": { "type": "tendermint/PubKeyEd25519", "value": val_pub },
            "priv_key": { "type": "tendermint/PrivKeyEd25519", "value": val_priv }
        }),
    )?;
    write_json(&home.data("priv_validator_state.json"), &serde_json::json!({ "height": "0", "round": 0, "step": 0 }))?;

    let comet = CometSettings {
        moniker: o.moniker,
        ports: &o.ports,
        persistent_peers: "",
        timeout_commit: o.timeout_commit,
        mempool_size: 5000,
    };
    std::fs::write(home.config("config.toml"), comet_config(&comet))?;
    let defaults = AppConfig::default();
    let app = AppConfig {
        abci: AbciConfig { address: format!("127.0.0.1:{}", o.ports.abci), ..defaults.abci.clone() },
        grpc: GrpcConfig { address: format!("127.0.0.1:{}", o.ports.grpc), ..defaults.grpc.clone() },
        cometbft: CometConfig { rpc: format!("http://127.0.0.1:{}", o.ports.rpc) },
        ..defaults
    };
    std::fs::write(home.app_toml(), toml::to_string_pretty(&app)?)?;

    // Validators come from the app (gentxs), as in Cosmos: CometBFT's own list stays empty.
    let genesis = serde_json::json!({
        "genesis_time": now_rfc3339(),
        "chain_id": o.chain_id,
        "initial_height": "1",
        "consensus_params": default_consensus_params(),
        "validators": [],
        "app_hash": "",
        "app_state": default_app_state()
    });
    write_json(&home.genesis(), &genesis)?;
    Ok(NodeIdentity { node_id: node_addr.to_lowercase(), validator_address: val_addr })
}

/// The CometBFT config.toml. Unlisted settings keep CometBFT's defaults.
/// What a node's CometBFT config.toml says beyond CometBFT's defaults.
pub struct CometSettings<'a> {
    pub moniker: &'a str,
    pub ports: &'a Ports,
    /// `id@host:port`, comma-separated.
    pub persistent_peers: &'a str,
    pub timeout_commit: &'a str,
    /// Transactions a mempool holds before it answers "mempool is full".
    pub mempool_size: u32,
}

pub fn comet_config(c: &CometSettings) -> String {
    let (moniker, p, persistent_peers, timeout_commit, mempool_size) =
        (c.moniker, c.ports, c.persistent_peers, c.timeout_commit, c.mempool_size);
    format!(
        r#"# CometBFT configuration written by `salusd init`. Settings not listed keep CometBFT's defaults.
proxy_app = "tcp://127.0.0.1:{abci}"
moniker = "{moniker}"
db_backend = "goleveldb"
log_level = "info"

[rpc]
laddr = "tcp://127.0.0.1:{rpc}"

[p2p]
laddr = "tcp://127.0.0.1:{p2p}"
external_address = ""
persistent_peers = "{persistent_peers}"
addr_book_strict = false
allow_duplicate_ip = true
pex = true

[mempool]
size = {mempool_size}
max_txs_bytes = 1073741824
cache_size = 10000

[consensus]
timeout_commit = "{timeout_commit}"
create_empty_blocks = true

[tx_index]
indexer = "kv"

[instrumentation]
prometheus = false
"#,
        abci = p.abci,
        rpc = p.rpc,
        p2p = p.p2p
    )
}

/// The app_state of a new genesis: genesis/app_state.template.json, built in.
/// CometBFT's consensus params as genesis states them: CometBFT's defaults, except a block limit
/// in bytes and in gas (CometBFT's default `max_gas` of -1 would let a block run without end).
pub fn default_consensus_params() -> serde_json::Value {
    let block = crate::app::params::BlockLimits::default();
    serde_json::json!({
        "block": { "max_bytes": block.max_bytes.to_string(), "max_gas": block.max_gas.to_string() },
        "evidence": { "max_age_num_blocks": "100000", "max_age_duration": "172800000000000", "max_bytes": "1048576" },
        "validator": { "pub_key_types": ["ed25519"] },
        "version": { "app": "0" },
        "abci": { "vote_extensions_enable_height": "0" }
    })
}

pub fn default_app_state() -> serde_json::Value {
    serde_json::from_str(include_str!("../../../genesis/app_state.template.json"))
        .expect("genesis/app_state.template.json is valid JSON (checked by a test)")
}

pub fn validate_chain_id(id: &str) -> Result<()> {
    if id.is_empty()
        || id.len() > 50
        || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
    {
        bail!("invalid chain id `{id}`: use 1-50 letters, digits, '-', '_' or '.' (e.g. salus-local-1)");
    }
    Ok(())
}

pub fn write_json(path: &Path, value: &serde_json::Value) -> Result<()> {
    std::fs::write(path, serde_json::to_string_pretty(value)? + "\n")
        .with_context(|| format!("writing {}", path.display()))
}

pub fn read_json(path: &Path) -> Result<serde_json::Value> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{} is not valid JSON", path.display()))
}

/// The node's ed25519 consensus public key (config/priv_validator_key.json).
pub fn consensus_pubkey(home: &Home) -> Result<[u8; 32]> {
    let path = home.config("priv_validator_key.json");
    let key = read_json(&path).with_context(|| {
        format!("no consensus key in {}: pass --pubkey, or --home of the validator node", home.0.display())
    })?;
    let b64 = key.pointer("/pub_key/value").and_then(|v| v.as_str()).unwrap_or_default();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .with_context(|| format!("{} has no base64 pub_key.value", path.display()))?;
    bytes.try_into().map_err(|_| anyhow::anyhow!("{} does not hold a 32-byte ed25519 key", path.display()))
}

/// The chain id in a home's genesis, if there is one.
pub fn genesis_chain_id(home: &Home) -> Option<String> {
    read_json(&home.genesis()).ok()?.get("chain_id")?.as_str().map(String::from)
}

/// RFC 3339 UTC time of now, with nanoseconds: for files and reports, never for state.
pub fn now_rfc3339() -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    let t =
        tendermint::Time::from_unix_timestamp(now.as_secs() as i64, now.subsec_nanos()).expect("now is a valid time");
    t.to_rfc3339()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_genesis_template_is_a_valid_app_state() {
        let state = super::default_app_state();
        let parsed = crate::app::genesis::AppGenesis::from_json(state.to_string().as_bytes()).unwrap();
        parsed.validate().unwrap();
        assert_eq!(parsed.token.denom_metadata[0].base, "usalus");
        assert_eq!(parsed.staking.params, Default::default(), "the template shows the default staking params");
        assert_eq!(parsed.slashing.params, Default::default());
        assert_eq!(parsed.distribution.params, Default::default());
    }
}
