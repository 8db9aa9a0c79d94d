//! The gRPC server. Every Cosmos method path (`/cosmos.bank.v1beta1.Query/Balance`, ...) is served
//! by the same query router as ABCI Query, so the two can never disagree. Honours the
//! `x-cosmos-block-height` header and answers with it.
//!
//! Requests are answered on tokio's blocking threads, a bounded number at a time: at most
//! `max-concurrent-requests` over all connections and `concurrency-per-connection` on one
//! (app.toml's `[grpc]`); more wait their turn.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;

use bytes::{Buf, BufMut};
use tonic::codec::{Codec, DecodeBuf, Decoder, EncodeBuf, Encoder};
use tonic::{Request, Response, Status};

use crate::app::query::{grpc_code, NodeInfoCache};
use crate::app::QueryHandle;

pub const HEIGHT_HEADER: &str = "x-cosmos-block-height";

/// Reflection lists itself too.
const REFLECTION_SERVICES: [&str; 2] =
    ["grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection"];

/// gRPC requests served at once over all connections, unless app.toml says otherwise.
pub const DEFAULT_MAX_CONCURRENT_REQUESTS: usize = 64;
/// gRPC requests served at once on one connection, unless app.toml says otherwise.
pub const DEFAULT_CONCURRENCY_PER_CONNECTION: usize = 8;

/// How much of the node gRPC may use at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GrpcLimits {
    pub max_concurrent_requests: usize,
    pub concurrency_per_connection: usize,
}

impl Default for GrpcLimits {
    fn default() -> Self {
        Self {
            max_concurrent_requests: DEFAULT_MAX_CONCURRENT_REQUESTS,
            concurrency_per_connection: DEFAULT_CONCURRENCY_PER_CONNECTION,
        }
    }
}

/// Passes protobuf bodies through untouched; the router decodes them.
#[derive(Clone, Copy, Default)]
struct RawCodec;

impl Codec for RawCodec {
    type Encode = Vec<u8>;
    type Decode = Vec<u8>;
    type Encoder = RawCodec;
    type Decoder = RawCodec;
    fn encoder(&mut self) -> RawCodec {
        RawCodec
    }
    fn decoder(&mut self) -> RawCodec {
        RawCodec
    }
}

impl Encoder for RawCodec {
    type Item = Vec<u8>;
    type Error = Status;
    fn encode(&mut self, item: Vec<u8>, dst: &mut EncodeBuf<'_>) -> Result<(), Status> {
        dst.put_slice(&item);
        Ok(())
    }
}

impl Decoder for RawCodec {
    type Item = Vec<u8>;
    type Error = Status;
    fn decode(&mut self, src: &mut DecodeBuf<'_>) -> Result<Option<Vec<u8>>, Status> {
        let n = src.remaining();
        Ok(Some(src.copy_to_bytes(n).to_vec()))
    }
}

#[derive(Clone)]
struct Method {
    path: String,
    queries: QueryHandle,
    node_info: NodeInfoCache,
}

impl tonic::server::UnaryService<Vec<u8>> for Method {
    type Response = Vec<u8>;
    type Future = Pin<Box<dyn Future<Output = Result<Response<Vec<u8>>, Status>> + Send>>;

    fn call(&mut self, req: Request<Vec<u8>>) -> Self::Future {
        let this = self.clone();
        Box::pin(async move {
            let height = match req.metadata().get(HEIGHT_HEADER) {
                Some(v) => v
                    .to_str()
                    .ok()
                    .and_then(|s| s.parse::<u64>().ok())
                    .ok_or_else(|| Status::invalid_argument(format!("{HEIGHT_HEADER} must be a block height")))?,
                None => 0,
            };
            let body = req.into_inner();
            let answer = tokio::task::spawn_blocking(move || {
                this.queries.query(&this.path, &body, height, false, &this.node_info)
            })
            .await
            .map_err(|e| Status::internal(e.to_string()))?
            .map_err(|e| Status::new(grpc_code(&e), e.message))?;
            let mut resp = Response::new(answer.value);
            if let Ok(v) = answer.height.to_string().parse() {
                resp.metadata_mut().insert(HEIGHT_HEADER, v);
            }
            Ok(resp)
        })
    }
}

/// Serves gRPC on `addr` until the process stops.
pub async fn serve(
    addr: SocketAddr,
    queries: QueryHandle,
    node_info: NodeInfoCache,
    limits: GrpcLimits,
) -> anyhow::Result<()> {
    let listener =
        tokio::net::TcpListener::bind(addr).await.map_err(|e| anyhow::anyhow!("gRPC server on {addr}: {e}"))?;
    serve_on(listener, queries, node_info, limits).await
}

/// Serves gRPC on a bound listener until the process stops.
pub async fn serve_on(
    listener: tokio::net::TcpListener,
    queries: QueryHandle,
    node_info: NodeInfoCache,
    limits: GrpcLimits,
) -> anyhow::Result<()> {
    let addr = listener.local_addr()?;
    let handler = tower::service_fn(move |req: http::Request<axum::body::Body>| {
        let method =
            Method { path: req.uri().path().to_string(), queries: queries.clone(), node_info: node_info.clone() };
        async move {
            let mut grpc = tonic::server::Grpc::new(RawCodec);
            Ok::<_, Infallible>(grpc.unary(method, req).await)
        }
    });
    // The services listed are the node's and the module list's; every message of the descriptor
    // set (the public keys an `Any` holds included) can still be looked up by name.
    let reflection = |builder: tonic_reflection::server::Builder<'static>| {
        let builder = builder.register_encoded_file_descriptor_set(salus_proto::reflection_descriptor_set());
        crate::app::query::reflection_services()
            .into_iter()
            .chain(REFLECTION_SERVICES)
            .fold(builder, |b, name| b.with_service_name(name))
    };
    let v1 = reflection(tonic_reflection::server::Builder::configure()).build_v1()?;
    let v1alpha = reflection(tonic_reflection::server::Builder::configure()).build_v1alpha()?;
    // Reflection has its own routes; every other path goes to the query router.
    let router = tonic::service::Routes::new(v1).add_service(v1alpha).into_axum_router().fallback_service(handler);
    tracing::info!(%addr, ?limits, "gRPC server listening (with reflection)");
    let incoming = tonic::transport::server::TcpIncoming::from_listener(listener, true, None)
        .map_err(|e| anyhow::anyhow!("gRPC server on {addr}: {e}"))?;
    tonic::transport::Server::builder()
        .concurrency_limit_per_connection(limits.concurrency_per_connection.max(1))
        .layer(tower::limit::GlobalConcurrencyLimitLayer::new(limits.max_concurrent_requests.max(1)))
        .add_routes(tonic::service::Routes::from(router))
        .serve_with_incoming(incoming)
        .await
        .map_err(|e| anyhow::anyhow!("gRPC server on {addr}: {e}"))
}
