//! `salusd start`: the ABCI server CometBFT connects to, and the gRPC server.

use std::net::SocketAddr;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use anyhow::{anyhow, Context, Result};
use clap::Args;
use salus_proto::cosmos::base::tendermint::v1beta1 as cmt;
use salus_proto::tendermint_proto::p2p;

use crate::app::abci::AbciService;
use crate::app::info::InfoService;
use crate::app::params::{parse_gas_prices, TxLimits};
use crate::app::query::NodeInfoCache;
use crate::app::App;
use crate::client::Rpc;
use crate::home::{AppConfig, Home};

#[derive(Args)]
pub struct StartArgs {
    /// Override app.toml's ABCI listen address.
    #[arg(long)]
    abci: Option<String>,
    /// Override app.toml's gRPC listen address.
    #[arg(long)]
    grpc: Option<String>,
    /// Override app.toml's minimum gas prices (validator-local), e.g. 0.001usalus.
    #[arg(long)]
    minimum_gas_prices: Option<String>,
    /// Log filter, e.g. info or salusd=debug.
    #[arg(long, default_value = "info", env = "SALUS_LOG")]
    log_level: String,
}

pub fn start(home: &Home, a: StartArgs) -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_new(&a.log_level).context("--log-level")?)
        .with_target(false)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .init();
    let mut cfg = AppConfig::load(home)?;
    if let Some(v) = a.abci {
        cfg.abci.address = v;
    }
    if let Some(v) = a.grpc {
        cfg.grpc.address = v;
    }
    if let Some(v) = a.minimum_gas_prices {
        cfg.minimum_gas_prices = v;
    }
    let limits = TxLimits {
        min_gas_prices: parse_gas_prices(&cfg.minimum_gas_prices).map_err(|e| anyhow!("minimum-gas-prices: {e}"))?,
        ..Default::default()
    };
    let storage = salus_store::Storage::open(home.db())?;
    let app = App::new(storage, limits)?;
    if let Some((h, hash)) = app.last_committed()? {
        tracing::info!(height = h, app_hash = %hex::encode_upper(hash), "store opened");
    } else {
        tracing::info!("new store: waiting for CometBFT to send genesis");
    }
    let queries = app.query_handle();
    let node_info: NodeInfoCache = Arc::new(RwLock::new(None));
    let app_version: String = env!("CARGO_PKG_VERSION").into();
    let service = AbciService {
        app,
        index: crate::app::abci::EventIndex::new(&cfg.index_events),
        queries: queries.clone(),
        node_info: node_info.clone(),
        app_version: app_version.clone(),
    };
    // Info, Query and Echo are answered from committed storage, not by the App that owns
    // consensus, so a heavy query never holds up a block.
    let info = InfoService::new(queries.clone(), node_info.clone(), app_version, cfg.abci.max_concurrent_queries);
    let grpc_limits = crate::grpc::GrpcLimits {
        max_concurrent_requests: cfg.grpc.max_concurrent_requests,
        concurrency_per_connection: cfg.grpc.concurrency_per_connection,
    };

    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    runtime.block_on(async move {
        let (consensus, mempool, snapshot, _info_on_the_app) = tower_abci::v038::split::service(service, 100);
        let server = tower_abci::v038::Server::builder()
            .consensus(consensus)
            .mempool(mempool)
            .snapshot(snapshot)
            .info(info)
            .finish()
            .ok_or_else(|| anyhow!("incomplete ABCI server"))?;
        let abci_addr: SocketAddr =
            cfg.abci.address.parse().with_context(|| format!("abci.address `{}`", cfg.abci.address))?;
        tracing::info!(%abci_addr, "ABCI server listening; start CometBFT with proxy_app tcp://{abci_addr}");
        if cfg.grpc.enable {
            let addr: SocketAddr =
                cfg.grpc.address.parse().with_context(|| format!("grpc.address `{}`", cfg.grpc.address))?;
            let (q, n) = (queries.clone(), node_info.clone());
            tokio::spawn(async move {
                if let Err(e) = crate::grpc::serve(addr, q, n, grpc_limits).await {
                    tracing::error!("{e:#}");
                }
            });
        }
        tokio::spawn(refresh_node_info(cfg.cometbft.rpc.clone(), node_info));
        let mut sigterm = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        tokio::select! {
            r = server.listen_tcp(abci_addr) => r.map_err(|e| anyhow!("ABCI server on {abci_addr}: {e}")),
            _ = tokio::signal::ctrl_c() => { tracing::info!("interrupted; stopping"); Ok(()) }
            _ = sigterm.recv() => { tracing::info!("terminated; stopping"); Ok(()) }
        }
    })
}

/// The Cosmos SDK release whose transactions, queries and module rules Salus follows: relayers
/// (Hermes) and explorers read it from GetNodeInfo to decide what the chain speaks.
pub const COSMOS_SDK_COMPAT: &str = "v0.50.0";

/// GetNodeInfo's `build_deps`, as a Go chain lists its modules: what Salus is compatible with (the
/// Cosmos SDK level above, and the CometBFT that runs it, as CometBFT reports its version). Hermes refuses a chain that lists neither
/// `cometbft/cometbft` nor `tendermint/tendermint`, and checks the SDK's version range.
pub fn build_deps(cometbft_version: &str) -> Vec<cmt::Module> {
    let module =
        |path: &str, version: &str| cmt::Module { path: path.into(), version: version.into(), sum: String::new() };
    vec![
        module("github.com/cosmos/cosmos-sdk", COSMOS_SDK_COMPAT),
        module("github.com/cometbft/cometbft", &format!("v{}", cometbft_version.trim_start_matches('v'))),
    ]
}

/// Fills the GetNodeInfo answer from CometBFT's /status once it answers, and keeps it fresh.
async fn refresh_node_info(rpc_url: String, cache: NodeInfoCache) {
    let Ok(rpc) = Rpc::new(&rpc_url) else { return };
    loop {
        if let Ok(s) = rpc.status().await {
            let ni = &s.node_info;
            let info = cmt::GetNodeInfoResponse {
                default_node_info: Some(p2p::DefaultNodeInfo {
                    protocol_version: Some(p2p::ProtocolVersion {
                        p2p: ni.protocol_version.p2p,
                        block: ni.protocol_version.block,
                        app: ni.protocol_version.app,
                    }),
                    default_node_id: ni.id.to_string(),
                    listen_addr: ni.listen_addr.to_string(),
                    network: ni.network.to_string(),
                    version: ni.version.to_string(),
                    channels: ni.channels.to_string().into_bytes(),
                    moniker: ni.moniker.to_string(),
                    other: Some(p2p::DefaultNodeInfoOther {
                        tx_index: format!("{:?}", ni.other.tx_index).to_lowercase(),
                        rpc_address: ni.other.rpc_address.clone(),
                    }),
                }),
                application_version: Some(cmt::VersionInfo {
                    name: "salus".into(),
                    app_name: "salusd".into(),
                    version: env!("CARGO_PKG_VERSION").into(),
                    cosmos_sdk_version: COSMOS_SDK_COMPAT.into(),
                    build_deps: build_deps(&ni.version.to_string()),
                    ..Default::default()
                }),
            };
            if let Ok(mut slot) = cache.write() {
                *slot = Some(info);
            }
            tokio::time::sleep(Duration::from_secs(30)).await;
        } else {
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }
}
