//! The ABCI info connection (Info, Query, Echo), answered from committed storage through
//! [`QueryHandle`] instead of the App that owns consensus. tower-abci feeds the App one request
//! at a time, so a heavy query on the App would hold up FinalizeBlock; here queries run on
//! tokio's blocking threads, a bounded number at a time, while the App goes on with blocks.
//!
//! Info reads the last committed height and app hash from storage, which Commit updates in one
//! atomic write, so it never reports a block that is finalized but not committed.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use tendermint::abci::{request, response, Code};
use tendermint::merkle::proof::{ProofOp, ProofOps};
use tendermint::v0_38::abci::{InfoRequest, InfoResponse};
use tower::Service;
use tower_abci::BoxError;

use super::query::{grpc_code, NodeInfoCache};
use super::QueryHandle;

/// How many ABCI queries run at once when app.toml does not say.
pub const DEFAULT_MAX_CONCURRENT_QUERIES: usize = 8;

/// The Info, Query and Echo requests of the info connection.
#[derive(Clone)]
pub struct InfoService {
    queries: QueryHandle,
    node_info: NodeInfoCache,
    app_version: String,
    permits: Arc<tokio::sync::Semaphore>,
}

impl QueryHandle {
    /// The last committed height and app hash (`None` before genesis), as storage holds them.
    pub fn last_committed(&self) -> anyhow::Result<Option<(u64, [u8; 32])>> {
        match self.storage.latest_version()? {
            Some(v) => Ok(Some((v, self.storage.app_hash(v)?))),
            None => Ok(None),
        }
    }
}

/// The Info answer: before genesis height 0 and an empty hash, so CometBFT sends InitChain.
pub fn info_response(queries: &QueryHandle, app_version: &str) -> Result<response::Info, BoxError> {
    let (height, hash) = match queries.last_committed()? {
        Some((h, hash)) => (h, hash.to_vec()),
        None => (0, Vec::new()),
    };
    Ok(response::Info {
        data: "salus".into(),
        version: app_version.to_string(),
        app_version: 1,
        last_block_height: height.try_into()?,
        last_block_app_hash: hash.try_into()?,
    })
}

/// The Query answer: a store value with its proof, or a gRPC method's protobuf response; a
/// refusal carries its codespace and code, and for gRPC paths the `rpc error` log cosmjs reads.
pub fn query_response(queries: &QueryHandle, node_info: &NodeInfoCache, q: request::Query) -> response::Query {
    let is_grpc = !q.path.trim_start_matches('/').starts_with("store/");
    match queries.query(&q.path, &q.data, q.height.value(), q.prove, node_info) {
        Ok(a) => response::Query {
            key: a.key.into(),
            value: a.value.into(),
            proof: a.proof.map(|ops| ProofOps {
                ops: ops.into_iter().map(|op| ProofOp { field_type: op.kind, key: op.key, data: op.data }).collect(),
            }),
            height: a.height.try_into().unwrap_or_default(),
            ..Default::default()
        },
        Err(e) => response::Query {
            code: Code::from(e.code),
            codespace: e.codespace.to_string(),
            log: if is_grpc {
                format!("rpc error: code = {:?} desc = {}", grpc_code(&e), e.message)
            } else {
                e.message
            },
            ..Default::default()
        },
    }
}

impl InfoService {
    /// At most `max_concurrent` queries run at once (at least one); more wait their turn.
    pub fn new(queries: QueryHandle, node_info: NodeInfoCache, app_version: String, max_concurrent: usize) -> Self {
        let permits = Arc::new(tokio::sync::Semaphore::new(max_concurrent.max(1)));
        Self { queries, node_info, app_version, permits }
    }

    /// Answers one request where it is called (the service runs it on a blocking thread).
    pub fn answer(&self, req: InfoRequest) -> Result<InfoResponse, BoxError> {
        Ok(match req {
            InfoRequest::Info(_) => InfoResponse::Info(info_response(&self.queries, &self.app_version)?),
            InfoRequest::Query(q) => InfoResponse::Query(query_response(&self.queries, &self.node_info, q)),
            InfoRequest::Echo(e) => InfoResponse::Echo(response::Echo { message: e.message }),
        })
    }
}

impl Service<InfoRequest> for InfoService {
    type Response = InfoResponse;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<InfoResponse, BoxError>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), BoxError>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, req: InfoRequest) -> Self::Future {
        let this = self.clone();
        Box::pin(async move {
            let _permit = this.permits.clone().acquire_owned().await?;
            let is_query = matches!(req, InfoRequest::Query(_));
            match tokio::task::spawn_blocking(move || this.answer(req)).await {
                Ok(answer) => answer,
                // A query that panicked is answered as an internal error; the connection stays.
                Err(e) if is_query => {
                    tracing::error!(error = %e, "an ABCI query failed");
                    Ok(InfoResponse::Query(response::Query {
                        code: Code::from(salus_sdk::SdkCode::Internal as u32),
                        codespace: "sdk".into(),
                        log: "internal error answering the query; see the node's log".into(),
                        ..Default::default()
                    }))
                }
                Err(e) => Err(e.into()),
            }
        })
    }
}
