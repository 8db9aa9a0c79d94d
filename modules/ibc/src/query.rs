//! The IBC queries relayers and operators use, at `/ibc.core.client.v1.Query/...` and
//! `/ibc.core.connection.v1.Query/...` (ABCI and gRPC alike). Answers carry no proof: proofs come
//! from the ABCI `store/ibc/key` query, which Hermes uses for them.

use ibc::core::host::types::identifiers::{ClientId, ConnectionId};
use ibc::core::host::types::path::{ClientConnectionPath, ClientConsensusStatePath, ClientStatePath, ConnectionPath};
use ibc_proto::google::protobuf::Any as RawAny;
use ibc_proto::ibc::core::client::v1 as client;
use ibc_proto::ibc::core::connection::v1 as connection;
use prost::Message;
use salus_sdk::module::decode_request;
use salus_sdk::pagination::{paginate, paginate_filtered, Page};
use salus_sdk::{Error, SdkCode, StateRead};

use crate::error::IbcError;
use crate::keys;

pub fn handle(state: &impl StateRead, path: &str, req: &[u8]) -> Option<Result<Vec<u8>, Error>> {
    Some(match path {
        "/ibc.core.client.v1.Query/ClientState" => client_state(state, req),
        "/ibc.core.client.v1.Query/ClientStates" => client_states(state, req),
        "/ibc.core.client.v1.Query/ConsensusState" => consensus_state(state, req),
        "/ibc.core.client.v1.Query/ConsensusStateHeights" => consensus_state_heights(state, req),
        "/ibc.core.connection.v1.Query/Connection" => connection_end(state, req),
        "/ibc.core.connection.v1.Query/Connections" => connections(state, req),
        "/ibc.core.connection.v1.Query/ClientConnections" => client_connections(state, req),
        p if p.starts_with("/ibc.core.client.v1.Query/") || p.starts_with("/ibc.core.connection.v1.Query/") => {
            Err(Error::sdk(SdkCode::UnknownRequest, format!("the ibc module has no query {p} yet")))
        }
        _ => return None,
    })
}

fn client_id(s: &str) -> Result<ClientId, Error> {
    s.parse().map_err(|e| IbcError::InvalidQuery.with(format!("client id `{s}`: {e}")))
}

fn not_found(what: String) -> Error {
    Error::sdk(SdkCode::KeyNotFound, what)
}

fn any(bytes: Vec<u8>) -> Result<RawAny, Error> {
    RawAny::decode(bytes.as_slice()).map_err(Error::internal)
}

fn client_state(state: &impl StateRead, req: &[u8]) -> Result<Vec<u8>, Error> {
    let req: client::QueryClientStateRequest = decode_request(req)?;
    let id = client_id(&req.client_id)?;
    let bytes = state
        .get_raw(&keys::path(ClientStatePath::new(id.clone())))?
        .ok_or_else(|| not_found(format!("client {id} not found")))?;
    Ok(client::QueryClientStateResponse { client_state: Some(any(bytes)?), proof: vec![], proof_height: None }
        .encode_to_vec())
}

fn client_states(state: &impl StateRead, req: &[u8]) -> Result<Vec<u8>, Error> {
    let req: client::QueryClientStatesRequest = decode_request(req)?;
    let page = Page::from_request(req.pagination.as_ref())?;
    let prefix = [salus_store::IBC_PREFIX, b"clients/"].concat();
    let (found, pagination) = paginate_filtered(state, &prefix, &page, |k, _| Ok(k.ends_with(b"/clientState")))?;
    let mut client_states = Vec::with_capacity(found.len());
    for (k, v) in found {
        let inner = &k[prefix.len()..k.len() - b"/clientState".len()];
        client_states.push(client::IdentifiedClientState {
            client_id: String::from_utf8_lossy(inner).into_owned(),
            client_state: Some(any(v)?),
        });
    }
    Ok(client::QueryClientStatesResponse { client_states, pagination: Some(pagination) }.encode_to_vec())
}

fn consensus_state(state: &impl StateRead, req: &[u8]) -> Result<Vec<u8>, Error> {
    let req: client::QueryConsensusStateRequest = decode_request(req)?;
    let id = client_id(&req.client_id)?;
    let (number, height) = if req.latest_height {
        let prefix = keys::consensus_iteration_prefix(&id);
        let end = [prefix.as_slice(), &[0xff; 17]].concat();
        let latest = state.range_limit_raw(&prefix, &prefix, &end, 1, true)?;
        let (k, _) = latest.first().ok_or_else(|| not_found(format!("client {id} has no consensus state")))?;
        keys::height_of_iteration_key(prefix.len(), k)
            .ok_or_else(|| Error::internal("a malformed consensus-state index key"))?
    } else {
        (req.revision_number, req.revision_height)
    };
    let bytes = state
        .get_raw(&keys::path(ClientConsensusStatePath::new(id.clone(), number, height)))?
        .ok_or_else(|| not_found(format!("client {id} has no consensus state at {number}-{height}")))?;
    Ok(client::QueryConsensusStateResponse { consensus_state: Some(any(bytes)?), proof: vec![], proof_height: None }
        .encode_to_vec())
}

fn consensus_state_heights(state: &impl StateRead, req: &[u8]) -> Result<Vec<u8>, Error> {
    let req: client::QueryConsensusStateHeightsRequest = decode_request(req)?;
    let id = client_id(&req.client_id)?;
    let page = Page::from_request(req.pagination.as_ref())?;
    let prefix = keys::consensus_iteration_prefix(&id);
    let (found, pagination) = paginate(state, &prefix, &page)?;
    let consensus_state_heights = found
        .iter()
        .filter_map(|(k, _)| keys::height_of_iteration_key(prefix.len(), k))
        .map(|(revision_number, revision_height)| client::Height { revision_number, revision_height })
        .collect();
    Ok(client::QueryConsensusStateHeightsResponse { consensus_state_heights, pagination: Some(pagination) }
        .encode_to_vec())
}

fn connection_end(state: &impl StateRead, req: &[u8]) -> Result<Vec<u8>, Error> {
    let req: connection::QueryConnectionRequest = decode_request(req)?;
    let id: ConnectionId = req
        .connection_id
        .parse()
        .map_err(|e| IbcError::InvalidQuery.with(format!("connection id `{}`: {e}", req.connection_id)))?;
    let bytes = state
        .get_raw(&keys::path(ConnectionPath::new(&id)))?
        .ok_or_else(|| not_found(format!("connection {id} not found")))?;
    let end = connection::ConnectionEnd::decode(bytes.as_slice()).map_err(Error::internal)?;
    Ok(connection::QueryConnectionResponse { connection: Some(end), proof: vec![], proof_height: None }.encode_to_vec())
}

fn connections(state: &impl StateRead, req: &[u8]) -> Result<Vec<u8>, Error> {
    let req: connection::QueryConnectionsRequest = decode_request(req)?;
    let page = Page::from_request(req.pagination.as_ref())?;
    let prefix = [salus_store::IBC_PREFIX, b"connections/"].concat();
    let (found, pagination) = paginate(state, &prefix, &page)?;
    let mut connections = Vec::with_capacity(found.len());
    for (k, v) in found {
        let end = connection::ConnectionEnd::decode(v.as_slice()).map_err(Error::internal)?;
        connections.push(connection::IdentifiedConnection {
            id: String::from_utf8_lossy(&k[prefix.len()..]).into_owned(),
            client_id: end.client_id,
            versions: end.versions,
            state: end.state,
            counterparty: end.counterparty,
            delay_period: end.delay_period,
        });
    }
    Ok(connection::QueryConnectionsResponse { connections, pagination: Some(pagination), height: None }.encode_to_vec())
}

fn client_connections(state: &impl StateRead, req: &[u8]) -> Result<Vec<u8>, Error> {
    let req: connection::QueryClientConnectionsRequest = decode_request(req)?;
    let id = client_id(&req.client_id)?;
    let bytes = state
        .get_raw(&keys::path(ClientConnectionPath::new(id.clone())))?
        .ok_or_else(|| not_found(format!("client {id} has no connections")))?;
    let list = connection::ClientPaths::decode(bytes.as_slice()).map_err(Error::internal)?;
    Ok(connection::QueryClientConnectionsResponse { connection_paths: list.paths, proof: vec![], proof_height: None }
        .encode_to_vec())
}
