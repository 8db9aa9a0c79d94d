//! `salusd query ibc client ...`, `... connection ...` and `... channel ...`: what a chain's IBC
//! clients, connections and channels hold, as JSON. Transactions come from the relayer (Hermes), not from here.

use base64::Engine;
use clap::Subcommand;
use ibc::clients::tendermint::client_state::ClientState as TmClientState;
use ibc::clients::tendermint::consensus_state::ConsensusState as TmConsensusState;
use ibc::core::primitives::proto::{Any, Protobuf};
use ibc_proto::ibc::core::channel::v1 as channel;
use ibc_proto::ibc::core::client::v1 as client;
use ibc_proto::ibc::core::connection::v1 as connection;
use prost::Message;
use salus_sdk::cli::{self, CliCtx, ModuleCli, QueryAnswer};
use salus_sdk::pagination::PageArgs;
use serde_json::{json, Value};

use crate::IbcModule;

#[derive(Subcommand, Debug)]
enum Query {
    /// ICS-02 light clients of other chains.
    #[command(subcommand)]
    Client(ClientQuery),
    /// ICS-03 connections.
    #[command(subcommand)]
    Connection(ConnectionQuery),
    /// ICS-04 channels.
    #[command(subcommand)]
    Channel(ChannelQuery),
}

#[derive(Subcommand, Debug)]
enum ChannelQuery {
    /// A channel end: its state, ordering, counterparty, connection and version.
    End { port_id: String, channel_id: String },
    /// Every channel, a page at a time.
    Channels {
        #[command(flatten)]
        page: PageArgs,
    },
    /// The channels built on a connection, a page at a time.
    Connection {
        connection_id: String,
        #[command(flatten)]
        page: PageArgs,
    },
}

#[derive(Subcommand, Debug)]
enum ClientQuery {
    /// A client's state: the chain it follows, its latest height, trusting and unbonding periods.
    State { client_id: String },
    /// Every client, a page at a time.
    States {
        #[command(flatten)]
        page: PageArgs,
    },
    /// A client's consensus state at a height (`--height R-H`), or its latest.
    ConsensusState {
        client_id: String,
        /// The counterparty height, as revision-height (e.g. 0-120); the latest if absent.
        #[arg(long)]
        height: Option<String>,
    },
    /// The heights a client holds consensus states at, a page at a time.
    ConsensusStateHeights {
        client_id: String,
        #[command(flatten)]
        page: PageArgs,
    },
}

#[derive(Subcommand, Debug)]
enum ConnectionQuery {
    /// A connection end: its state, client, counterparty and versions.
    End { connection_id: String },
    /// Every connection, a page at a time.
    Connections {
        #[command(flatten)]
        page: PageArgs,
    },
    /// The connections built on a client.
    Client { client_id: String },
}

impl ModuleCli for IbcModule {
    fn query_command() -> Option<clap::Command> {
        Some(cli::command::<Query>(crate::NAME, "IBC light clients, connections and channels"))
    }

    fn query(matches: &clap::ArgMatches, ctx: &dyn CliCtx) -> anyhow::Result<QueryAnswer> {
        let ask = |path: &str, req: Vec<u8>| ctx.query(path, req, ctx.height());
        let page = |p: &PageArgs| p.to_request().map(Some).map_err(|e| anyhow::anyhow!(e.message));
        let value = match cli::parse::<Query>(matches)? {
            Query::Client(ClientQuery::State { client_id }) => {
                let req = client::QueryClientStateRequest { client_id: client_id.clone() };
                let res = client::QueryClientStateResponse::decode(
                    ask("/ibc.core.client.v1.Query/ClientState", req.encode_to_vec())?.as_slice(),
                )?;
                client_state_json(&client_id, res.client_state)?
            }
            Query::Client(ClientQuery::States { page: p }) => {
                let req = client::QueryClientStatesRequest { pagination: page(&p)? };
                let res = client::QueryClientStatesResponse::decode(
                    ask("/ibc.core.client.v1.Query/ClientStates", req.encode_to_vec())?.as_slice(),
                )?;
                let states: anyhow::Result<Vec<Value>> =
                    res.client_states.into_iter().map(|c| client_state_json(&c.client_id, c.client_state)).collect();
                json!({ "client_states": states?, "pagination": page_json(res.pagination) })
            }
            Query::Client(ClientQuery::ConsensusState { client_id, height }) => {
                let (revision_number, revision_height) = match &height {
                    None => (0, 0),
                    Some(h) => parse_height(h)?,
                };
                let req = client::QueryConsensusStateRequest {
                    client_id,
                    revision_number,
                    revision_height,
                    latest_height: height.is_none(),
                };
                let res = client::QueryConsensusStateResponse::decode(
                    ask("/ibc.core.client.v1.Query/ConsensusState", req.encode_to_vec())?.as_slice(),
                )?;
                let cs = <TmConsensusState as Protobuf<Any>>::decode_vec(
                    &res.consensus_state.unwrap_or_default().encode_to_vec(),
                )
                .map_err(|e| anyhow::anyhow!("the consensus state is not a 07-tendermint one: {e}"))?;
                let inner = cs.inner();
                json!({
                    "timestamp": inner.timestamp.to_rfc3339(),
                    "root": hex::encode_upper(inner.root.as_bytes()),
                    "next_validators_hash": inner.next_validators_hash.to_string(),
                })
            }
            Query::Client(ClientQuery::ConsensusStateHeights { client_id, page: p }) => {
                let req = client::QueryConsensusStateHeightsRequest { client_id, pagination: page(&p)? };
                let res = client::QueryConsensusStateHeightsResponse::decode(
                    ask("/ibc.core.client.v1.Query/ConsensusStateHeights", req.encode_to_vec())?.as_slice(),
                )?;
                let heights: Vec<String> = res
                    .consensus_state_heights
                    .iter()
                    .map(|h| format!("{}-{}", h.revision_number, h.revision_height))
                    .collect();
                json!({ "consensus_state_heights": heights, "pagination": page_json(res.pagination) })
            }
            Query::Connection(ConnectionQuery::End { connection_id }) => {
                let req = connection::QueryConnectionRequest { connection_id: connection_id.clone() };
                let res = connection::QueryConnectionResponse::decode(
                    ask("/ibc.core.connection.v1.Query/Connection", req.encode_to_vec())?.as_slice(),
                )?;
                let end = res.connection.unwrap_or_default();
                connection_json(
                    &connection_id,
                    &end.client_id,
                    end.state,
                    end.counterparty,
                    &end.versions,
                    end.delay_period,
                )
            }
            Query::Connection(ConnectionQuery::Connections { page: p }) => {
                let req = connection::QueryConnectionsRequest { pagination: page(&p)? };
                let res = connection::QueryConnectionsResponse::decode(
                    ask("/ibc.core.connection.v1.Query/Connections", req.encode_to_vec())?.as_slice(),
                )?;
                let list: Vec<Value> = res
                    .connections
                    .into_iter()
                    .map(|c| connection_json(&c.id, &c.client_id, c.state, c.counterparty, &c.versions, c.delay_period))
                    .collect();
                json!({ "connections": list, "pagination": page_json(res.pagination) })
            }
            Query::Connection(ConnectionQuery::Client { client_id }) => {
                let req = connection::QueryClientConnectionsRequest { client_id };
                let res = connection::QueryClientConnectionsResponse::decode(
                    ask("/ibc.core.connection.v1.Query/ClientConnections", req.encode_to_vec())?.as_slice(),
                )?;
                json!({ "connection_paths": res.connection_paths })
            }
            Query::Channel(ChannelQuery::End { port_id, channel_id }) => {
                let req = channel::QueryChannelRequest { port_id: port_id.clone(), channel_id: channel_id.clone() };
                let res = channel::QueryChannelResponse::decode(
                    ask("/ibc.core.channel.v1.Query/Channel", req.encode_to_vec())?.as_slice(),
                )?;
                let end = res.channel.unwrap_or_default();
                channel_json(&channel::IdentifiedChannel {
                    state: end.state,
                    ordering: end.ordering,
                    counterparty: end.counterparty,
                    connection_hops: end.connection_hops,
                    version: end.version,
                    port_id,
                    channel_id,
                    upgrade_sequence: end.upgrade_sequence,
                })
            }
            Query::Channel(ChannelQuery::Channels { page: p }) => {
                let req = channel::QueryChannelsRequest { pagination: page(&p)? };
                let res = channel::QueryChannelsResponse::decode(
                    ask("/ibc.core.channel.v1.Query/Channels", req.encode_to_vec())?.as_slice(),
                )?;
                let list: Vec<Value> = res.channels.iter().map(channel_json).collect();
                json!({ "channels": list, "pagination": page_json(res.pagination) })
            }
            Query::Channel(ChannelQuery::Connection { connection_id, page: p }) => {
                let req = channel::QueryConnectionChannelsRequest { connection: connection_id, pagination: page(&p)? };
                let res = channel::QueryConnectionChannelsResponse::decode(
                    ask("/ibc.core.channel.v1.Query/ConnectionChannels", req.encode_to_vec())?.as_slice(),
                )?;
                let list: Vec<Value> = res.channels.iter().map(channel_json).collect();
                json!({ "channels": list, "pagination": page_json(res.pagination) })
            }
        };
        Ok(QueryAnswer::json(value))
    }
}

fn parse_height(h: &str) -> anyhow::Result<(u64, u64)> {
    let (number, height) =
        h.split_once('-').ok_or_else(|| anyhow::anyhow!("--height {h}: write revision-height, e.g. 0-120"))?;
    Ok((number.parse()?, height.parse()?))
}

fn client_state_json(client_id: &str, any: Option<ibc_proto::google::protobuf::Any>) -> anyhow::Result<Value> {
    let any = any.ok_or_else(|| anyhow::anyhow!("client {client_id} has no state"))?;
    let cs = <TmClientState as Protobuf<Any>>::decode_vec(&any.encode_to_vec())
        .map_err(|e| anyhow::anyhow!("client {client_id} is not a 07-tendermint client: {e}"))?;
    let s = cs.inner();
    Ok(json!({
        "client_id": client_id,
        "client_type": "07-tendermint",
        "chain_id": s.chain_id.to_string(),
        "latest_height": s.latest_height.to_string(),
        "trust_level": format!("{}/{}", s.trust_level.numerator(), s.trust_level.denominator()),
        "trusting_period": format!("{}s", s.trusting_period.as_secs()),
        "unbonding_period": format!("{}s", s.unbonding_period.as_secs()),
        "max_clock_drift": format!("{}s", s.max_clock_drift.as_secs()),
        "frozen_height": s.frozen_height.map(|h| h.to_string()),
    }))
}

fn connection_json(
    id: &str,
    client_id: &str,
    state: i32,
    counterparty: Option<connection::Counterparty>,
    versions: &[connection::Version],
    delay_period: u64,
) -> Value {
    let state =
        connection::State::try_from(state).map(|s| s.as_str_name().to_string()).unwrap_or_else(|_| state.to_string());
    let counterparty = counterparty.unwrap_or_default();
    json!({
        "connection_id": id,
        "client_id": client_id,
        "state": state,
        "counterparty": {
            "client_id": counterparty.client_id,
            "connection_id": counterparty.connection_id,
            "prefix": counterparty.prefix.map(|p| String::from_utf8_lossy(&p.key_prefix).into_owned()),
        },
        "versions": versions.iter().map(|v| json!({ "identifier": v.identifier, "features": v.features })).collect::<Vec<_>>(),
        "delay_period": delay_period.to_string(),
    })
}

fn channel_json(c: &channel::IdentifiedChannel) -> Value {
    let state = channel::State::try_from(c.state).map(|s| s.as_str_name().to_string()).unwrap_or(c.state.to_string());
    let ordering =
        channel::Order::try_from(c.ordering).map(|o| o.as_str_name().to_string()).unwrap_or(c.ordering.to_string());
    let counterparty = c.counterparty.clone().unwrap_or_default();
    json!({
        "port_id": c.port_id,
        "channel_id": c.channel_id,
        "state": state,
        "ordering": ordering,
        "counterparty": { "port_id": counterparty.port_id, "channel_id": counterparty.channel_id },
        "connection_hops": c.connection_hops,
        "version": c.version,
    })
}

fn page_json(p: Option<salus_proto::cosmos::base::query::v1beta1::PageResponse>) -> Value {
    let p = p.unwrap_or_default();
    json!({
        "next_key": (!p.next_key.is_empty()).then(|| base64::engine::general_purpose::STANDARD.encode(&p.next_key)),
        "total": p.total.to_string(),
    })
}
