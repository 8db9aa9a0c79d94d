//! IBC messages through the node's tx pipeline: a client is created by whoever signs and pays,
//! with ibc-go's events and bytes; the message's `signer` must be the tx's signer; what Salus does
//! not route yet, or routes through governance only, is refused with a reason.

use core::time::Duration;

use ibc::clients::tendermint::client_state::ClientState as TmClientState;
use ibc::clients::tendermint::consensus_state::ConsensusState as TmConsensusState;
use ibc::clients::tendermint::types::{AllowUpdate, ClientState as TmClientStateType, TrustThreshold};
use ibc::core::client::types::Height;
use ibc::core::commitment_types::commitment::CommitmentRoot;
use ibc::core::commitment_types::specs::ProofSpecs;
use ibc::core::host::types::identifiers::ChainId;
use ibc_proto::ibc::core::channel::v1 as channel;
use ibc_proto::ibc::core::client::v1 as client;
use prost::{Message, Name};
use salus_proto::Any;
use salus_sdk::StateRead;
use salus_testkit::*;

fn any<M: Message + Name>(m: &M) -> Any {
    Any { type_url: M::type_url(), value: m.encode_to_vec() }
}

fn open_connection(signer: &str) -> Any {
    use ibc_proto::ibc::core::commitment::v1::MerklePrefix;
    use ibc_proto::ibc::core::connection::v1 as connection;
    any(&connection::MsgConnectionOpenInit {
        client_id: "07-tendermint-0".into(),
        counterparty: Some(connection::Counterparty {
            client_id: "07-tendermint-3".into(),
            connection_id: String::new(),
            prefix: Some(MerklePrefix { key_prefix: b"ibc".to_vec() }),
        }),
        version: Some(connection::Version {
            identifier: "1".into(),
            features: vec!["ORDER_ORDERED".into(), "ORDER_UNORDERED".into()],
        }),
        delay_period: 0,
        signer: signer.into(),
    })
}

fn open_channel(signer: &str, port: &str, ordering: channel::Order, version: &str) -> Any {
    any(&channel::MsgChannelOpenInit {
        port_id: port.into(),
        channel: Some(channel::Channel {
            state: channel::State::Init as i32,
            ordering: ordering as i32,
            counterparty: Some(channel::Counterparty { port_id: "transfer".into(), channel_id: String::new() }),
            connection_hops: vec!["connection-0".into()],
            version: version.into(),
            upgrade_sequence: 0,
        }),
        signer: signer.into(),
    })
}

fn create_client(signer: &str) -> Any {
    let chain_id = ChainId::new("other-7").unwrap();
    let state: TmClientState = TmClientStateType::new(
        chain_id,
        TrustThreshold::ONE_THIRD,
        Duration::from_secs(3600),
        Duration::from_secs(7200),
        Duration::from_secs(5),
        Height::new(7, 40).unwrap(),
        ProofSpecs::cosmos(),
        vec!["upgrade".into(), "upgradedIBCState".into()],
        AllowUpdate { after_expiry: false, after_misbehaviour: false },
    )
    .unwrap()
    .into();
    // A consensus state recent enough that the client is active at the test chain's block times.
    let consensus: TmConsensusState = ibc::clients::tendermint::types::ConsensusState::new(
        CommitmentRoot::from_bytes(&[3; 32]),
        TestChain::time(2),
        tendermint::Hash::Sha256([4; 32]),
    )
    .into();
    any(&client::MsgCreateClient {
        client_state: Some(state.into()),
        consensus_state: Some(consensus.into()),
        signer: signer.into(),
    })
}

#[test]
fn a_client_is_created_for_its_signer_with_ibc_gos_events_and_bytes() {
    let mut chain = TestChain::new();
    let relayer = key(1);
    let out = chain.exec(&relayer, create_client(&relayer.address.to_string()));
    assert_eq!(out.code, 0, "{}", out.log);
    let created = out.events.iter().find(|e| e.kind == "create_client").expect("a create_client event");
    assert_eq!(created.get("client_id"), Some("07-tendermint-0"));
    assert_eq!(created.get("client_type"), Some("07-tendermint"));
    assert_eq!(created.get("consensus_height"), Some("7-40"));
    assert!(out.events.iter().any(|e| e.kind == "message" && e.get("module") == Some("ibc_client")));

    let snap = chain.snapshot();
    let stored = snap.get_raw(b"ibc/clients/07-tendermint-0/clientState").unwrap().unwrap();
    let as_any = ibc_proto::google::protobuf::Any::decode(stored.as_slice()).unwrap();
    assert_eq!(as_any.type_url, "/ibc.lightclients.tendermint.v1.ClientState", "an Any, as ibc-go stores it");
    assert!(snap.get_raw(b"ibc/clients/07-tendermint-0/consensusStates/7-40").unwrap().is_some());
    assert!(snap.get_raw(b"ibc/clients/07-tendermint-0/consensusStates/7-40/processedTime").unwrap().is_some());
    assert_eq!(snap.get_raw(b"ibc/nextClientSequence").unwrap(), Some(1u64.to_be_bytes().to_vec()));

    // The next one gets the next id; the query answers both.
    let out = chain.exec(&relayer, create_client(&relayer.address.to_string()));
    assert_eq!(out.code, 0, "{}", out.log);
    let page = client::QueryClientStatesResponse::decode(
        chain
            .query(
                "/ibc.core.client.v1.Query/ClientStates",
                client::QueryClientStatesRequest::default().encode_to_vec(),
            )
            .unwrap()
            .as_slice(),
    )
    .unwrap();
    let ids: Vec<&str> = page.client_states.iter().map(|c| c.client_id.as_str()).collect();
    assert_eq!(ids, ["07-tendermint-0", "07-tendermint-1"]);
}

#[test]
fn a_message_naming_another_signer_or_not_routed_is_refused_and_changes_nothing() {
    let mut chain = TestChain::new();
    let (relayer, other) = (key(1), key(2));

    let out = chain.exec(&relayer, create_client(&other.address.to_string()));
    assert_ne!(out.code, 0, "the tx must be signed by the message's signer");
    assert_eq!(out.codespace, "sdk", "{}", out.log);

    let out = chain.exec(&relayer, create_client("cosmos1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqnrql8a"));
    assert_ne!(out.code, 0, "a signer that is no salus account");

    let recover = any(&client::MsgRecoverClient {
        subject_client_id: "07-tendermint-0".into(),
        substitute_client_id: "07-tendermint-1".into(),
        signer: relayer.address.to_string(),
    });
    // Recovery is a governance proposal's: the type is not routed, so the tx is refused before
    // anything runs.
    let out = chain.exec(&relayer, recover);
    assert_eq!((out.codespace, out.code), ("sdk", 2), "{}", out.log);
    assert!(out.log.contains("does not route"), "{}", out.log);

    // A routed type whose body is not a valid message: ibc-rs' decoding says what is wrong.
    let broken = any(&client::MsgCreateClient {
        client_state: None,
        consensus_state: None,
        signer: relayer.address.to_string(),
    });
    let out = chain.exec(&relayer, broken);
    assert_eq!((out.codespace, out.code), ("ibc", 2), "{}", out.log);

    assert!(chain.snapshot().get_raw(b"ibc/nextClientSequence").unwrap().is_none(), "no client was created");
}

/// Determinism: two chains (two stores, two processes' worth of hash seeds) fed the same IBC txs
/// commit the same app hashes, block by block.
#[test]
fn two_chains_fed_the_same_ibc_txs_reach_the_same_app_hashes() {
    let relayer = key(1);
    let signer = relayer.address.to_string();
    let open_init = open_connection(&signer);
    let open_channel = open_channel(&signer, "transfer", channel::Order::Unordered, "");
    let run = || {
        let mut chain = TestChain::new();
        let mut hashes = Vec::new();
        let txs = [
            create_client(&signer),
            create_client(&signer),
            open_init.clone(),
            open_init.clone(),
            open_channel.clone(),
        ];
        for msg in txs {
            let out = chain.exec(&relayer, msg);
            assert_eq!(out.code, 0, "{}", out.log);
            hashes.push(chain.app_hash());
        }
        let end = chain.snapshot().get_raw(b"ibc/connections/connection-1").unwrap();
        assert!(end.is_some(), "two connections opened (INIT)");
        let channel = chain.snapshot().get_raw(b"ibc/channelEnds/ports/transfer/channels/channel-0").unwrap();
        assert!(channel.is_some(), "a channel opened (INIT)");
        hashes
    };
    assert_eq!(run(), run());
}

/// Inputs ibc-rs or the light-client verifier would panic or overflow on are refused in decode
/// (CheckTx and ProcessProposal refuse them too), and the chain goes on.
#[test]
fn hostile_headers_and_client_states_are_refused_before_ibc_rs_sees_them() {
    use ibc_proto::ibc::core::connection::v1 as connection;
    use ibc_proto::ibc::lightclients::tendermint::v1 as tm;
    use salus_proto::tendermint_proto::types as tmt;
    let mut chain = TestChain::new();
    let relayer = key(1);
    let signer = relayer.address.to_string();
    let out = chain.exec(&relayer, create_client(&signer));
    assert_eq!(out.code, 0, "{}", out.log);

    let header = |height: i64, chain_id: &str, validators: usize| tm::Header {
        signed_header: Some(tmt::SignedHeader {
            header: Some(tmt::Header { height, chain_id: chain_id.into(), ..Default::default() }),
            commit: Some(tmt::Commit { height, ..Default::default() }),
        }),
        validator_set: Some(tmt::ValidatorSet {
            validators: vec![tmt::Validator::default(); validators],
            ..Default::default()
        }),
        trusted_height: Some(client::Height { revision_number: 7, revision_height: 40 }),
        trusted_validators: Some(tmt::ValidatorSet::default()),
    };
    let update = |h: tm::Header| {
        any(&client::MsgUpdateClient {
            client_id: "07-tendermint-0".into(),
            client_message: Some(any(&h)),
            signer: signer.clone(),
        })
    };
    let refused = |chain: &mut TestChain, msg: Any, why: &str| {
        let out = chain.exec(&relayer, msg);
        assert_eq!((out.codespace, out.code), ("ibc", 2), "{why}: {}", out.log);
    };
    refused(&mut chain, update(header(0, "other-7", 0)), "a header at height 0");
    refused(&mut chain, update(header(41, "-1", 0)), "a chain id IBC cannot parse");
    refused(&mut chain, update(header(41, "other-7", 1_025)), "more validators than a header may carry");

    // A trust level whose products overflow, and a proof spec with no children.
    let mut state = tm::ClientState::decode(
        client::MsgCreateClient::decode(create_client(&signer).value.as_slice())
            .unwrap()
            .client_state
            .unwrap()
            .value
            .as_slice(),
    )
    .unwrap();
    state.trust_level = Some(tm::Fraction { numerator: 1 << 63, denominator: (1 << 63) + 1 });
    let overflowing = state.clone();
    let open_try = any(&{
        #[allow(deprecated)]
        connection::MsgConnectionOpenTry {
            client_id: "07-tendermint-0".into(),
            client_state: Some(any(&overflowing)),
            signer: signer.clone(),
            ..Default::default()
        }
    });
    refused(&mut chain, open_try, "a counterparty client of Salus with an overflowing trust level");
    let create = |s: &tm::ClientState| {
        let mut m = client::MsgCreateClient::decode(create_client(&signer).value.as_slice()).unwrap();
        m.client_state = Some(any(s));
        any(&m)
    };
    refused(&mut chain, create(&overflowing), "a client with an overflowing trust level");
    let mut childless = state.clone();
    childless.trust_level = Some(tm::Fraction { numerator: 1, denominator: 3 });
    childless.proof_specs[0].inner_spec.as_mut().unwrap().child_order.clear();
    refused(&mut chain, create(&childless), "a proof spec with no children");

    chain.blocks(1);
    let out = chain.exec(&relayer, create_client(&signer));
    assert_eq!(out.code, 0, "the chain goes on: {}", out.log);
}

/// ICS-04 on the `transfer` port: an unordered `ics20-1` channel opens (INIT, with ibc-go's event
/// and bytes); an ordered one, another version or an unbound port are refused with a reason, and
/// write nothing.
#[test]
fn a_transfer_channel_opens_with_ics20s_rules_and_nothing_else_does() {
    let mut chain = TestChain::new();
    let relayer = key(1);
    let signer = relayer.address.to_string();
    for msg in [create_client(&signer), open_connection(&signer)] {
        let out = chain.exec(&relayer, msg);
        assert_eq!(out.code, 0, "{}", out.log);
    }

    let refused = [
        (open_channel(&signer, "transfer", channel::Order::Ordered, "ics20-1"), 5, "unordered"),
        (open_channel(&signer, "transfer", channel::Order::Unordered, "ics20-2"), 5, "ics20-1"),
        (open_channel(&signer, "records", channel::Order::Unordered, "ics20-1"), 6, "records"),
    ];
    for (msg, code, hint) in refused {
        let out = chain.exec(&relayer, msg);
        assert_eq!((out.codespace, out.code), ("ibc", code), "{}", out.log);
        assert!(out.log.contains(hint), "the log names the fix ({hint}): {}", out.log);
    }
    assert!(chain.snapshot().get_raw(b"ibc/nextChannelSequence").unwrap().is_none(), "no channel was opened");

    let out = chain.exec(&relayer, open_channel(&signer, "transfer", channel::Order::Unordered, ""));
    assert_eq!(out.code, 0, "{}", out.log);
    let event = out.events.iter().find(|e| e.kind == "channel_open_init").expect("a channel_open_init event");
    assert_eq!(event.get("port_id"), Some("transfer"));
    assert_eq!(event.get("channel_id"), Some("channel-0"));
    assert_eq!(event.get("version"), Some("ics20-1"), "an empty proposal takes ICS-20's version");

    let bytes = chain.snapshot().get_raw(b"ibc/channelEnds/ports/transfer/channels/channel-0").unwrap().unwrap();
    let end = channel::Channel::decode(bytes.as_slice()).unwrap();
    assert_eq!(end.state, channel::State::Init as i32);
    assert_eq!(end.version, "ics20-1");
    assert_eq!(end.connection_hops, ["connection-0"]);
    let next_send = chain.snapshot().get_raw(b"ibc/nextSequenceSend/ports/transfer/channels/channel-0").unwrap();
    assert_eq!(next_send, Some(1u64.to_be_bytes().to_vec()), "ibc-go's 8-byte sequence");

    let page = channel::QueryChannelsResponse::decode(
        chain
            .query("/ibc.core.channel.v1.Query/Channels", channel::QueryChannelsRequest::default().encode_to_vec())
            .unwrap()
            .as_slice(),
    )
    .unwrap();
    assert_eq!(page.channels.len(), 1);
    assert_eq!((page.channels[0].port_id.as_str(), page.channels[0].channel_id.as_str()), ("transfer", "channel-0"));
    let on_connection = |connection: &str| -> usize {
        let req = channel::QueryConnectionChannelsRequest { connection: connection.into(), pagination: None };
        let res = chain.query("/ibc.core.channel.v1.Query/ConnectionChannels", req.encode_to_vec()).unwrap();
        channel::QueryConnectionChannelsResponse::decode(res.as_slice()).unwrap().channels.len()
    };
    assert_eq!(on_connection("connection-0"), 1);
    assert_eq!(on_connection("connection-1"), 0);
}
