//! The IBC queries relayers and operators use, at `/ibc.core.client.v1.Query/...`,
//! `/ibc.core.connection.v1.Query/...` and `/ibc.core.channel.v1.Query/...` (ABCI and gRPC alike). Answers carry no proof: proofs come
//! from the ABCI `store/ibc/key` query, which Hermes uses for them.

use ibc::core::host::types::identifiers::{ChannelId, ClientId, ConnectionId, PortId};
use ibc::core::host::types::path::{
    ChannelEndPath, ClientConnectionPath, ClientConsensusStatePath, ClientStatePath, ConnectionPath,
    NextClientSequencePath,
};
use ibc_proto::google::protobuf::Any as RawAny;
use ibc_proto::ibc::core::channel::v1 as channel;
use ibc_proto::ibc::core::client::v1 as client;
use ibc_proto::ibc::core::connection::v1 as connection;
use prost::Message;
use salus_sdk::module::decode_request;
use salus_sdk::pagination::{paginate, paginate_filtered, Page};
use salus_sdk::{Error, SdkCode, StateRead};

use crate::error::IbcError;
use crate::keys;

pub const CONSENSUS_STATE_HEIGHTS_PATH: &str = "/ibc.core.client.v1.Query/ConsensusStateHeights";

pub fn handle(state: &impl StateRead, path: &str, req: &[u8]) -> Option<Result<Vec<u8>, Error>> {
    Some(match path {
        "/ibc.core.client.v1.Query/ClientState" => client_state(state, req),
        "/ibc.core.client.v1.Query/ClientStates" => client_states(state, req),
        "/ibc.core.client.v1.Query/ConsensusState" => consensus_state(state, req),
        CONSENSUS_STATE_HEIGHTS_PATH => consensus_state_heights(state, req),
        "/ibc.core.connection.v1.Query/Connection" => connection_end(state, req),
        "/ibc.core.connection.v1.Query/Connections" => connections(state, req),
        "/ibc.core.connection.v1.Query/ClientConnections" => client_connections(state, req),
        "/ibc.core.channel.v1.Query/Channel" => channel_end(state, req),
        "/ibc.core.channel.v1.Query/Channels" => channels(state, req),
        "/ibc.core.channel.v1.Query/ConnectionChannels" => connection_channels(state, req),
        p if p.starts_with("/ibc.core.client.v1.Query/")
            || p.starts_with("/ibc.core.connection.v1.Query/")
            || p.starts_with("/ibc.core.channel.v1.Query/") =>
        {
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

/// Clients by number (`07-tendermint-{n}`, n below `nextClientSequence`), one point read each:
/// a page never walks the clients' consensus states. `next_key` is the next number, 8 bytes
/// big-endian.
fn client_states(state: &impl StateRead, req: &[u8]) -> Result<Vec<u8>, Error> {
    let req: client::QueryClientStatesRequest = decode_request(req)?;
    let page = Page::from_request(req.pagination.as_ref())?;
    let count = match state.get_raw(&keys::path(NextClientSequencePath))? {
        None => 0,
        Some(bytes) => {
            u64::from_be_bytes(bytes.as_slice().try_into().map_err(|_| Error::internal("a malformed client counter"))?)
        }
    };
    let key_number = || -> Result<u64, Error> {
        let bytes: [u8; 8] = page.key.as_slice().try_into().map_err(|_| {
            IbcError::InvalidQuery.with("pagination.key: pass the next_key of the page before (8 bytes)")
        })?;
        Ok(u64::from_be_bytes(bytes))
    };
    // The numbers of the page, in order.
    let numbers: Vec<u64> = if page.reverse {
        let top = if page.key.is_empty() {
            count.saturating_sub(page.offset)
        } else {
            key_number()?.saturating_add(1).min(count)
        };
        (0..top).rev().take(page.limit + 1).collect()
    } else {
        let from = if page.key.is_empty() { page.offset } else { key_number()? };
        (from..count).take(page.limit + 1).collect()
    };
    let mut client_states = Vec::with_capacity(page.limit);
    for n in numbers.iter().take(page.limit) {
        let id = ClientId::new("07-tendermint", *n).map_err(Error::internal)?;
        if let Some(bytes) = state.get_raw(&keys::path(ClientStatePath::new(id.clone())))? {
            client_states
                .push(client::IdentifiedClientState { client_id: id.to_string(), client_state: Some(any(bytes)?) });
        }
    }
    let next_key = numbers.get(page.limit).map(|n| n.to_be_bytes().to_vec()).unwrap_or_default();
    let total = if page.count_total { count } else { 0 };
    let pagination = salus_proto::cosmos::base::query::v1beta1::PageResponse { next_key, total };
    Ok(client::QueryClientStatesResponse { client_states, pagination: Some(pagination) }.encode_to_vec())
}

fn consensus_state(state: &impl StateRead, req: &[u8]) -> Result<Vec<u8>, Error> {
    let req: client::QueryConsensusStateRequest = decode_request(req)?;
    let id = client_id(&req.client_id)?;
    let (number, height) = if req.latest_height {
        // The client's latest height, as ibc-go answers it.
        let bytes = state
            .get_raw(&keys::path(ClientStatePath::new(id.clone())))?
            .ok_or_else(|| not_found(format!("client {id} not found")))?;
        let cs = ibc_proto::ibc::lightclients::tendermint::v1::ClientState::decode(any(bytes)?.value.as_slice())
            .map_err(Error::internal)?;
        let latest = cs.latest_height.unwrap_or_default();
        (latest.revision_number, latest.revision_height)
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

const CHANNEL_ENDS_PREFIX: &[u8] = b"ibc/channelEnds/ports/";

fn channel_end(state: &impl StateRead, req: &[u8]) -> Result<Vec<u8>, Error> {
    let req: channel::QueryChannelRequest = decode_request(req)?;
    let port: PortId =
        req.port_id.parse().map_err(|e| IbcError::InvalidQuery.with(format!("port id `{}`: {e}", req.port_id)))?;
    let id: ChannelId = req
        .channel_id
        .parse()
        .map_err(|e| IbcError::InvalidQuery.with(format!("channel id `{}`: {e}", req.channel_id)))?;
    let bytes = state
        .get_raw(&keys::path(ChannelEndPath::new(&port, &id)))?
        .ok_or_else(|| not_found(format!("channel {port}/{id} not found")))?;
    let end = channel::Channel::decode(bytes.as_slice()).map_err(Error::internal)?;
    Ok(channel::QueryChannelResponse { channel: Some(end), proof: vec![], proof_height: None }.encode_to_vec())
}

/// A channel end's key below [`CHANNEL_ENDS_PREFIX`] is `{port}/channels/{channel}`.
fn identified(key: &[u8], value: &[u8]) -> Result<channel::IdentifiedChannel, Error> {
    let rest = String::from_utf8_lossy(&key[CHANNEL_ENDS_PREFIX.len()..]).into_owned();
    let (port_id, channel_id) =
        rest.split_once("/channels/").ok_or_else(|| Error::internal("a malformed channel end key"))?;
    let end = channel::Channel::decode(value).map_err(Error::internal)?;
    Ok(channel::IdentifiedChannel {
        state: end.state,
        ordering: end.ordering,
        counterparty: end.counterparty,
        connection_hops: end.connection_hops,
        version: end.version,
        port_id: port_id.to_string(),
        channel_id: channel_id.to_string(),
        upgrade_sequence: end.upgrade_sequence,
    })
}

fn channels(state: &impl StateRead, req: &[u8]) -> Result<Vec<u8>, Error> {
    let req: channel::QueryChannelsRequest = decode_request(req)?;
    let page = Page::from_request(req.pagination.as_ref())?;
    let (found, pagination) = paginate(state, CHANNEL_ENDS_PREFIX, &page)?;
    let channels = found.iter().map(|(k, v)| identified(k, v)).collect::<Result<_, _>>()?;
    Ok(channel::QueryChannelsResponse { channels, pagination: Some(pagination), height: None }.encode_to_vec())
}

/// The channels whose first hop is `connection`: a filtered page over every channel. Paged by
/// key, a page examines a bounded number of them (`next_key` goes on from where it stopped); an
/// offset's skipped channels are not yet counted in that bound (the pagination helper's, noted
/// in issue 14's note).
fn connection_channels(state: &impl StateRead, req: &[u8]) -> Result<Vec<u8>, Error> {
    let req: channel::QueryConnectionChannelsRequest = decode_request(req)?;
    let connection: ConnectionId = req
        .connection
        .parse()
        .map_err(|e| IbcError::InvalidQuery.with(format!("connection id `{}`: {e}", req.connection)))?;
    let page = Page::from_request(req.pagination.as_ref())?;
    let wanted = connection.to_string();
    let (found, pagination) = paginate_filtered(state, CHANNEL_ENDS_PREFIX, &page, |_, v| {
        let end = channel::Channel::decode(v).map_err(Error::internal)?;
        Ok(end.connection_hops.first() == Some(&wanted))
    })?;
    let channels = found.iter().map(|(k, v)| identified(k, v)).collect::<Result<_, _>>()?;
    Ok(channel::QueryConnectionChannelsResponse { channels, pagination: Some(pagination), height: None }
        .encode_to_vec())
}
