//! Read-only queries over a snapshot (`/salus.records.v1.Query/...`), served by ABCI query and
//! gRPC alike. They show what the chain keeps: hashes, sizes, locators (until an erase),
//! encryption metadata (until an erase), commitments and confidentiality codes; no code in clear.

use prost::Message;
use salus_did::Did;
use salus_proto::salus::records::v1 as pb;
use salus_sdk::module::decode_request as decode;
use salus_sdk::{Error, Page, SdkCode, StateRead};

use crate::state::RecordRead;
use crate::types::RecordVersion;

pub const RECORD_PATH: &str = "/salus.records.v1.Query/Record";
pub const HISTORY_PATH: &str = "/salus.records.v1.Query/History";
pub const BY_OWNER_PATH: &str = "/salus.records.v1.Query/RecordsByOwner";
pub const PARAMS_PATH: &str = "/salus.records.v1.Query/Params";

/// Answers `path`; `None` if the path is not the records module's.
pub fn handle(state: &impl StateRead, path: &str, request: &[u8]) -> Option<Result<Vec<u8>, Error>> {
    let result = match path {
        RECORD_PATH => decode(request).and_then(|r| record(state, r)).map(|r| r.encode_to_vec()),
        HISTORY_PATH => decode(request).and_then(|r| history(state, r)).map(|r| r.encode_to_vec()),
        BY_OWNER_PATH => decode(request).and_then(|r| by_owner(state, r)).map(|r| r.encode_to_vec()),
        PARAMS_PATH => {
            state.records_params().map(|p| pb::QueryParamsResponse { params: Some(p.to_proto()) }.encode_to_vec())
        }
        _ => return None,
    };
    Some(result)
}

fn check_id(id: u64) -> Result<(), Error> {
    if id == 0 {
        return Err(Error::sdk(SdkCode::InvalidRequest, "id is 0: records are numbered from 1"));
    }
    Ok(())
}

fn not_found(id: u64) -> Error {
    Error::sdk(
        SdkCode::KeyNotFound,
        format!("record {id} not found: no such record on this chain; list a DID's records with `salusd query records by-owner <did>`"),
    )
}

pub fn record(state: &impl StateRead, req: pb::QueryRecordRequest) -> Result<pb::QueryRecordResponse, Error> {
    check_id(req.id)?;
    let r = state.record(req.id)?.ok_or_else(|| not_found(req.id))?;
    Ok(pb::QueryRecordResponse { record: Some(r.to_proto()) })
}

/// A page of a record's versions (100 unless the request's limit says otherwise).
pub fn history(state: &impl StateRead, req: pb::QueryHistoryRequest) -> Result<pb::QueryHistoryResponse, Error> {
    check_id(req.id)?;
    let page = Page::from_request(req.pagination.as_ref())?;
    if crate::state::record_meta(state, req.id)?.is_none() {
        return Err(not_found(req.id));
    }
    let (versions, pagination) = state.record_history_page(req.id, &page)?;
    Ok(pb::QueryHistoryResponse {
        versions: versions.iter().map(RecordVersion::to_proto).collect(),
        pagination: Some(pagination),
    })
}

/// A page of a DID's records, by id, each with its current version (none: an empty page).
pub fn by_owner(
    state: &impl StateRead,
    req: pb::QueryRecordsByOwnerRequest,
) -> Result<pb::QueryRecordsByOwnerResponse, Error> {
    let owner = Did::parse("owner", &req.owner)?;
    let page = Page::from_request(req.pagination.as_ref())?;
    let (records, pagination) = state.records_by_owner_page(&owner, &page)?;
    Ok(pb::QueryRecordsByOwnerResponse {
        records: records.iter().map(|r| r.to_proto()).collect(),
        pagination: Some(pagination),
    })
}
