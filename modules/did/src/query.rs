//! Read-only queries over a snapshot (`/salus.did.v1.Query/...`), served by ABCI query and gRPC
//! alike.

use prost::Message;
use salus_proto::salus::did::v1 as pb;
use salus_sdk::{Error, Page, SdkCode, StateRead};

use crate::method::Did;
use crate::state::{DidRead, Resolved, Timestamp};

pub const RESOLVE_PATH: &str = "/salus.did.v1.Query/Resolve";
pub const HISTORY_PATH: &str = "/salus.did.v1.Query/History";
pub const PARAMS_PATH: &str = "/salus.did.v1.Query/Params";
pub const ACTION_NONCE_PATH: &str = "/salus.did.v1.Query/ActionNonce";

/// The DID Core representation the Resolve query's documents render to (its
/// `did_resolution_metadata.content_type`, kept for gRPC clients). The JSON result of `resolve`
/// names no content type; `resolveRepresentation` (`--accept`) does.
pub const CONTENT_TYPE: &str = crate::json::DID_LD_JSON;

use salus_sdk::module::decode_request as decode;

/// Answers `path`; `None` if the path is not the DID module's.
pub fn handle(state: &impl StateRead, path: &str, request: &[u8]) -> Option<Result<Vec<u8>, Error>> {
    let result = match path {
        RESOLVE_PATH => decode(request).and_then(|r| resolve(state, r)).map(|r| r.encode_to_vec()),
        HISTORY_PATH => decode(request).and_then(|r| history(state, r)).map(|r| r.encode_to_vec()),
        PARAMS_PATH => {
            state.did_params().map(|p| pb::QueryParamsResponse { params: Some(p.to_proto()) }.encode_to_vec())
        }
        ACTION_NONCE_PATH => decode::<pb::QueryActionNonceRequest>(request)
            .and_then(|r| Did::parse("did", &r.did))
            .and_then(|did| state.action_nonce(&did))
            .map(|nonce| pb::QueryActionNonceResponse { nonce }.encode_to_vec()),
        _ => return None,
    };
    Some(result)
}

pub fn timestamp(t: Timestamp) -> prost_types::Timestamp {
    prost_types::Timestamp { seconds: t.secs, nanos: t.nanos as i32 }
}

fn not_found(did: &Did) -> Error {
    Error::sdk(SdkCode::KeyNotFound, format!("{did} not found: no such DID on this chain (notFound); check the DID, or create it with `salusd tx did create --key <key>`"))
}

pub fn to_proto(r: &Resolved) -> pb::QueryResolveResponse {
    let m = &r.metadata;
    pb::QueryResolveResponse {
        did_document: Some(r.document.to_proto()),
        did_document_metadata: Some(pb::DidDocumentMetadata {
            created: Some(timestamp(m.created)),
            updated: m.updated.map(timestamp),
            version_id: m.version_id.to_string(),
            next_version_id: m.next_version_id.map(|v| v.to_string()).unwrap_or_default(),
            next_update: m.next_update.map(timestamp),
            deactivated: m.deactivated,
        }),
        did_resolution_metadata: Some(pb::DidResolutionMetadata { content_type: CONTENT_TYPE.to_string() }),
    }
}

pub fn resolve(state: &impl StateRead, req: pb::QueryResolveRequest) -> Result<pb::QueryResolveResponse, Error> {
    let did = Did::parse("did", &req.did)?;
    let version = (req.version_id != 0).then_some(req.version_id);
    match state.resolve(&did, version)? {
        Some(r) => Ok(to_proto(&r)),
        None => match state.did_meta(&did)? {
            None => Err(not_found(&did)),
            Some(meta) => Err(Error::sdk(
                SdkCode::KeyNotFound,
                format!("{did} has no version {}: its versions are 1 to {}", req.version_id, meta.version),
            )),
        },
    }
}

/// A page of a DID's versions (Cosmos pagination; 100 versions unless the request's limit says
/// otherwise).
pub fn history(state: &impl StateRead, req: pb::QueryHistoryRequest) -> Result<pb::QueryHistoryResponse, Error> {
    let did = Did::parse("did", &req.did)?;
    let page = Page::from_request(req.pagination.as_ref())?;
    if state.did_meta(&did)?.is_none() {
        return Err(not_found(&did));
    }
    let (found, pagination) = state.did_history_page(&did, &page)?;
    let versions = found
        .into_iter()
        .map(|(v, rec)| pb::DidVersionInfo {
            version_id: v,
            operation: rec.operation.name().to_string(),
            time: Some(timestamp(rec.time)),
            height: rec.height,
            document_hash: rec.document.hash().to_vec(),
        })
        .collect();
    Ok(pb::QueryHistoryResponse { versions, pagination: Some(pagination) })
}
