//! `cosmos.consensus.v1.Query/Params` and `salus.auth.v1.Query/Params`.

use prost::Message;
use salus_proto::consensus::v1 as consensus;
use salus_proto::salus::auth::v1 as auth;
use salus_sdk::auth::AuthParamsRead;
use salus_sdk::{Error, SdkCode, StateRead};

use crate::state::ConsensusRead;

pub fn handle(state: &impl StateRead, path: &str, _req: &[u8]) -> Option<Result<Vec<u8>, Error>> {
    Some(match path {
        "/cosmos.consensus.v1.Query/Params" => {
            state.comet_params().map(|p| consensus::QueryParamsResponse { params: Some(p.to_proto()) }.encode_to_vec())
        }
        "/salus.auth.v1.Query/Params" => {
            state.auth_params().map(|p| auth::QueryParamsResponse { params: Some(p.to_proto()) }.encode_to_vec())
        }
        p if p.starts_with("/cosmos.consensus.v1.Query/") || p.starts_with("/salus.auth.v1.Query/") => {
            Err(Error::sdk(SdkCode::UnknownRequest, format!("the consensus module has no query {p}")))
        }
        _ => return None,
    })
}
