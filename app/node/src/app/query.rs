//! One query router for ABCI Query and gRPC: `/store/<substore>/key` with ICS-23 proofs, and the
//! Cosmos gRPC method paths with protobuf bodies.

use prost::Message;
use salus_proto::cosmos::auth::v1beta1 as auth;
use salus_proto::cosmos::base::abci::v1beta1 as abci;
use salus_proto::cosmos::base::node::v1beta1 as node;
use salus_proto::cosmos::base::tendermint::v1beta1 as cmt;
use salus_proto::cosmos::tx::v1beta1 as txpb;
use salus_sdk::auth::AuthRead;
use salus_sdk::{Address, BlockCtx, Error, Overlay, SdkCode};
use salus_store::{Snapshot, Substore};

use super::pipeline::{run_tx, Mode};
use super::sigcache::SigCache;
use super::{stored_block_time, stored_chain_id, QueryHandle};

/// The services the node itself answers (the modules' come from the module list).
pub const NODE_SERVICES: &[&str] = &[
    "cosmos.auth.v1beta1.Query",
    "cosmos.tx.v1beta1.Service",
    "cosmos.base.node.v1beta1.Service",
    "cosmos.base.tendermint.v1beta1.Service",
];

/// Every service gRPC reflection lists: the node's, then each module's (Query and Msg), in list
/// order.
pub fn reflection_services() -> Vec<&'static str> {
    let mut all = NODE_SERVICES.to_vec();
    all.extend(super::modules::describe().iter().flat_map(|m| m.services.iter().copied()));
    all
}

/// A query's answer: the value, and for store queries the proof.
pub struct Answer {
    pub value: Vec<u8>,
    pub key: Vec<u8>,
    pub proof: Option<Vec<ProofOpData>>,
    pub height: u64,
}

/// One ICS-23 proof in an ABCI `ProofOps`, innermost first.
pub struct ProofOpData {
    pub kind: String,
    pub key: Vec<u8>,
    pub data: Vec<u8>,
}

/// A gRPC status code, for the `rpc error: code = ... desc = ...` logs that cosmjs matches on.
pub fn grpc_code(err: &Error) -> tonic::Code {
    if err.codespace != "sdk" {
        return tonic::Code::InvalidArgument;
    }
    match err.code {
        c if c == SdkCode::KeyNotFound as u32 || c == SdkCode::UnknownAddress as u32 => tonic::Code::NotFound,
        c if c == SdkCode::UnknownRequest as u32 => tonic::Code::Unimplemented,
        c if c == SdkCode::Internal as u32 => tonic::Code::Internal,
        _ => tonic::Code::InvalidArgument,
    }
}

/// The node facts GetNodeInfo reports, refreshed from CometBFT by the node.
pub type NodeInfoCache = std::sync::Arc<std::sync::RwLock<Option<cmt::GetNodeInfoResponse>>>;

/// Queries that read indexes keeping no history of their deleted keys
/// (`Storage::without_history_under`: a subject's consents, the role index). At a past height they
/// would miss what was deleted since (a consent revoked, a role taken back) and answer wrongly, so
/// they answer at the latest height only.
pub const LATEST_HEIGHT_ONLY: &[&str] = &[
    salus_consent::query::DECIDE_PATH,
    salus_consent::query::ACCESS_GRANT_PATH,
    salus_consent::query::BY_SUBJECT_PATH,
    salus_consent::query::ROLES_PATH,
    salus_ibc::query::CONSENSUS_STATE_HEIGHTS_PATH,
    // A simulated MsgAccessRecord decides as an access does.
    "/cosmos.tx.v1beta1.Service/Simulate",
];

impl QueryHandle {
    /// The snapshot a query at `height` reads (0 = latest).
    pub fn snapshot_at(&self, height: u64) -> Result<Snapshot, Error> {
        let latest = self
            .storage
            .latest_version()
            .map_err(Error::internal)?
            .ok_or_else(|| Error::sdk(SdkCode::InvalidRequest, "the chain has no state yet: wait for genesis"))?;
        if height > latest {
            return Err(Error::sdk(
                SdkCode::InvalidRequest,
                format!("height {height} is not committed yet; the latest is {latest}"),
            ));
        }
        Ok(self.storage.snapshot(if height == 0 { latest } else { height }))
    }

    pub fn query(
        &self,
        path: &str,
        data: &[u8],
        height: u64,
        prove: bool,
        node_info: &NodeInfoCache,
    ) -> Result<Answer, Error> {
        if !LATEST_HEIGHT_ONLY.contains(&path) {
            return self.answer(path, data, height, prove, node_info);
        }
        let not_latest = || {
            Error::sdk(
                SdkCode::InvalidRequest,
                format!(
                    "{path} answers at the latest height only (the indexes it reads keep no history of deleted keys): leave the height unset"
                ),
            )
        };
        let mut latest = self.latest_height()?;
        if height != 0 && height != latest {
            return Err(not_latest());
        }
        // A block committed while the answer was read erases the index keys it deletes, so the
        // read may have mixed two heights: then it is not an answer for either, and it is read
        // again at the new latest height (blocks come seconds apart; a read takes milliseconds).
        for _ in 0..3 {
            let answer = self.answer(path, data, latest, prove, node_info)?;
            let now = self.latest_height()?;
            if now == latest {
                return Ok(answer);
            }
            if height != 0 {
                return Err(not_latest());
            }
            latest = now;
        }
        Err(Error::sdk(
            SdkCode::InvalidRequest,
            format!("{path}: blocks were committed during each of three reads: ask again"),
        ))
    }

    fn latest_height(&self) -> Result<u64, Error> {
        self.storage
            .latest_version()
            .map_err(Error::internal)?
            .ok_or_else(|| Error::sdk(SdkCode::InvalidRequest, "the chain has no state yet: wait for genesis"))
    }

    fn answer(
        &self,
        path: &str,
        data: &[u8],
        height: u64,
        prove: bool,
        node_info: &NodeInfoCache,
    ) -> Result<Answer, Error> {
        let snap = self.snapshot_at(height)?;
        let at = snap.version();
        let plain = |value: Vec<u8>| Answer { value, key: Vec::new(), proof: None, height: at };
        if let Some(sub) = store_path(path) {
            return self.store_query(sub, data, at, prove);
        }
        if let Some(result) = super::modules::query(&snap, path, data) {
            return result.map(plain);
        }
        let value = match path {
            "/cosmos.auth.v1beta1.Query/Account" => account(&snap, decode(data)?)?.encode_to_vec(),
            "/cosmos.tx.v1beta1.Service/Simulate" => self.simulate(&snap, decode(data)?)?.encode_to_vec(),
            "/cosmos.base.node.v1beta1.Service/Config" => node::ConfigResponse {
                minimum_gas_price: self
                    .limits
                    .min_gas_prices
                    .iter()
                    .map(|p| p.to_string())
                    .collect::<Vec<_>>()
                    .join(","),
                ..Default::default()
            }
            .encode_to_vec(),
            "/cosmos.base.tendermint.v1beta1.Service/GetNodeInfo" => {
                let cached = node_info.read().map_err(|_| Error::internal("node info lock poisoned"))?.clone();
                cached
                    .ok_or_else(|| {
                        Error::sdk(
                            SdkCode::InvalidRequest,
                            "node info is not available yet: CometBFT has not answered; retry in a moment",
                        )
                    })?
                    .encode_to_vec()
            }
            _ => {
                return Err(Error::sdk(
                    SdkCode::UnknownRequest,
                    format!("unknown query path {path}: see docs/queries.md for the paths Salus answers"),
                ))
            }
        };
        Ok(plain(value))
    }

    fn store_query(&self, sub: Substore, key: &[u8], height: u64, prove: bool) -> Result<Answer, Error> {
        let full_key = match sub {
            Substore::Main => key.to_vec(),
            Substore::Ibc => [salus_store::IBC_PREFIX, key].concat(),
        };
        if !prove {
            let value = self.storage.snapshot(height).get(&full_key).map_err(Error::internal)?.unwrap_or_default();
            return Ok(Answer { value, key: key.to_vec(), proof: None, height });
        }
        let proven = self.storage.get_with_proof(&full_key, height).map_err(|e| {
            Error::sdk(SdkCode::InvalidRequest, format!("cannot prove {}: {e}", String::from_utf8_lossy(key)))
        })?;
        let mut ops = Vec::new();
        for (i, p) in proven.proofs.iter().enumerate() {
            let op_key = if i == 0 { key.to_vec() } else { salus_store::IBC_ROOT_KEY.to_vec() };
            ops.push(ProofOpData { kind: "ics23:jmt".to_string(), key: op_key, data: p.encode_to_vec() });
        }
        Ok(Answer { value: proven.value.unwrap_or_default(), key: key.to_vec(), proof: Some(ops), height })
    }

    fn simulate(&self, snap: &Snapshot, req: txpb::SimulateRequest) -> Result<txpb::SimulateResponse, Error> {
        #[allow(deprecated)]
        let bytes = if !req.tx_bytes.is_empty() {
            req.tx_bytes
        } else if let Some(tx) = req.tx {
            txpb::TxRaw {
                body_bytes: tx.body.map(|b| b.encode_to_vec()).unwrap_or_default(),
                auth_info_bytes: tx.auth_info.map(|a| a.encode_to_vec()).unwrap_or_default(),
                signatures: tx.signatures,
            }
            .encode_to_vec()
        } else {
            return Err(Error::sdk(SdkCode::InvalidRequest, "simulate needs tx_bytes"));
        };
        let (time_secs, time_nanos) = stored_block_time(snap);
        let ctx = BlockCtx {
            chain_id: stored_chain_id(snap).unwrap_or_default(),
            height: snap.version() + 1,
            time_secs,
            time_nanos,
            header: Default::default(),
        };
        // The consensus limits of the state simulated against, not those the node started with.
        let mut limits = self.limits.clone();
        super::load_consensus_limits(&mut limits, snap).map_err(Error::internal)?;
        let mut state = Overlay::new(snap);
        let outcome = run_tx(&mut state, &bytes, Mode::Simulate, &ctx, &limits, &mut SigCache::new(0), None);
        if !outcome.is_ok() {
            return Err(Error { codespace: outcome.codespace, code: outcome.code, message: outcome.log });
        }
        Ok(txpb::SimulateResponse {
            gas_info: Some(abci::GasInfo { gas_wanted: outcome.gas_wanted, gas_used: outcome.gas_used }),
            result: Some(abci::Result {
                log: String::new(),
                events: outcome.events.iter().map(super::abci::to_proto_event).collect(),
                ..Default::default()
            }),
        })
    }
}

fn store_path(path: &str) -> Option<Substore> {
    let rest = path.trim_start_matches('/').strip_prefix("store/")?;
    let (name, tail) = rest.split_once('/')?;
    if tail != "key" {
        return None;
    }
    Substore::from_name(name)
}

fn decode<M: Message + Default>(bytes: &[u8]) -> Result<M, Error> {
    M::decode(bytes).map_err(|e| Error::sdk(SdkCode::TxDecode, format!("query request does not decode: {e}")))
}

fn account(snap: &Snapshot, req: auth::QueryAccountRequest) -> Result<auth::QueryAccountResponse, Error> {
    let addr = Address::parse("address", &req.address)?;
    let acc =
        snap.account(&addr)?.ok_or_else(|| Error::sdk(SdkCode::KeyNotFound, format!("account {addr} not found")))?;
    let base = auth::BaseAccount {
        address: addr.to_string(),
        pub_key: acc.pubkey.as_deref().map(salus_sdk::tx::secp256k1_pubkey_any),
        account_number: acc.number,
        sequence: acc.sequence,
    };
    Ok(auth::QueryAccountResponse { account: Some(salus_proto::to_any(&base)) })
}
