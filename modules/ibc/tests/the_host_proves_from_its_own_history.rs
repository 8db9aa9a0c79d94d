//! ibc-rs' host contexts over a real store: Salus' own consensus state at a height is the
//! header's (time, app hash of the block before, next validators hash) as staking kept it, a
//! counterparty's client of Salus must carry Salus' chain id, proof specs, unbonding period and
//! upgrade path, and a client's consensus states are found by height in numeric order.

use core::time::Duration;

use ibc::clients::tendermint::client_state::ClientState as TmClientState;
use ibc::clients::tendermint::consensus_state::ConsensusState as TmConsensusState;
use ibc::clients::tendermint::types::{AllowUpdate, ClientState as TmClientStateType, TrustThreshold};
use ibc::core::channel::types::packet::Receipt;
use ibc::core::client::context::{ClientExecutionContext, ClientValidationContext, ExtClientValidationContext};
use ibc::core::client::types::Height;
use ibc::core::commitment_types::commitment::CommitmentRoot;
use ibc::core::commitment_types::specs::ProofSpecs;
use ibc::core::host::types::identifiers::{ChainId, ChannelId, ClientId, PortId, Sequence};
use ibc::core::host::types::path::{ClientConsensusStatePath, ReceiptPath};
use ibc::core::host::{ExecutionContext, ValidationContext};
use ibc::core::primitives::Timestamp;
use salus_ibc::context::IbcCtx;
use salus_sdk::{BlockCtx, Overlay};
use salus_testkit::*;

fn block(height: u64) -> BlockCtx {
    BlockCtx {
        chain_id: CHAIN_ID.into(),
        height,
        time_secs: TestChain::time(height).unix_timestamp(),
        time_nanos: 0,
        header: Default::default(),
    }
}

fn client_of_salus(chain_id: &str, specs: ProofSpecs, unbonding: Duration, latest: u64) -> TmClientState {
    let chain_id = ChainId::new(chain_id).unwrap();
    let height = Height::new(chain_id.revision_number(), latest).unwrap();
    TmClientStateType::new(
        chain_id,
        TrustThreshold::TWO_THIRDS,
        unbonding * 2 / 3,
        unbonding,
        Duration::from_secs(5),
        height,
        specs,
        vec!["upgrade".into(), "upgradedIBCState".into()],
        AllowUpdate { after_expiry: true, after_misbehaviour: true },
    )
    .unwrap()
    .into()
}

#[test]
fn salus_consensus_state_at_a_height_is_that_headers_and_a_client_of_salus_must_match_it() {
    let mut chain = TestChain::new();
    let mut committed = vec![chain.app_hash()];
    for _ in 0..4 {
        chain.blocks(1);
        committed.push(chain.app_hash());
    }
    let snap = chain.snapshot();
    let mut state = Overlay::new(&snap);
    let ctx = block(5);
    let ibc = IbcCtx::new(&mut state, &ctx).unwrap();
    let revision = ChainId::new(CHAIN_ID).unwrap().revision_number();

    for h in 1..=4u64 {
        let cs: TmConsensusState = ibc.host_consensus_state(&Height::new(revision, h).unwrap()).unwrap();
        let inner = cs.inner();
        assert_eq!(
            inner.root,
            CommitmentRoot::from_bytes(&committed[h as usize - 1]),
            "the state after block {}",
            h - 1
        );
        assert_eq!(inner.timestamp.unix_timestamp(), TestChain::time(h).unix_timestamp());
        assert_eq!(inner.next_validators_hash.as_bytes().len(), 32);
    }
    assert!(ibc.host_consensus_state(&Height::new(revision, 5).unwrap()).is_err(), "block 5 is not committed yet");
    assert!(ibc.host_consensus_state(&Height::new(revision + 1, 2).unwrap()).is_err(), "another revision");

    let unbonding = Duration::from_secs(21 * 24 * 3600);
    let salus_specs = ProofSpecs::try_from(salus_store::proof_specs()).unwrap();
    ibc.validate_self_client(client_of_salus(CHAIN_ID, salus_specs.clone(), unbonding, 4)).unwrap();
    let refused = [
        ("IAVL proof specs", client_of_salus(CHAIN_ID, ProofSpecs::cosmos(), unbonding, 4)),
        ("another chain id", client_of_salus("other-1", salus_specs.clone(), unbonding, 4)),
        ("another unbonding period", client_of_salus(CHAIN_ID, salus_specs.clone(), unbonding / 2, 4)),
        ("a height not reached", client_of_salus(CHAIN_ID, salus_specs, unbonding, 5)),
    ];
    for (why, client) in refused {
        assert!(ibc.validate_self_client(client).is_err(), "{why} is refused");
    }
}

#[test]
fn consensus_states_are_found_by_height_in_numeric_order_and_absent_values_read_as_ibc_rs_expects() {
    let chain = TestChain::new();
    let snap = chain.snapshot();
    let mut state = Overlay::new(&snap);
    let ctx = block(1);
    let mut ibc = IbcCtx::new(&mut state, &ctx).unwrap();
    let client = ClientId::new("07-tendermint", 0).unwrap();
    assert_eq!(ibc.client_counter().unwrap(), 0);
    assert_eq!(ibc.connection_counter().unwrap(), 0);
    assert!(ibc.client_state(&client).is_err(), "no client yet");

    let consensus = |secs: i64| -> TmConsensusState {
        ibc::clients::tendermint::types::ConsensusState::new(
            CommitmentRoot::from_bytes(&[7; 32]),
            tendermint::Time::from_unix_timestamp(secs, 0).unwrap(),
            tendermint::Hash::Sha256([9; 32]),
        )
        .into()
    };
    // Heights 9, 10 and 100 of revision 0: as strings `0-10` < `0-100` < `0-9`.
    for (h, secs) in [(10, 1_000), (9, 900), (100, 10_000)] {
        let path = ClientConsensusStatePath::new(client.clone(), 0, h);
        ibc.store_consensus_state(path, consensus(secs)).unwrap();
        let height = Height::new(0, h).unwrap();
        ibc.store_update_meta(
            client.clone(),
            height,
            Timestamp::from_nanoseconds(h * 7),
            Height::new(1, h + 1).unwrap(),
        )
        .unwrap();
    }
    let heights: Vec<u64> = ibc.consensus_state_heights(&client).unwrap().iter().map(|h| h.revision_height()).collect();
    assert_eq!(heights, [9], "the oldest only: an update prunes at most it, as ibc-go does");
    let time = |cs: Option<TmConsensusState>| cs.map(|c| c.inner().timestamp.unix_timestamp());
    let at = |h| Height::new(0, h).unwrap();
    assert_eq!(time(ibc.next_consensus_state(&client, &at(9)).unwrap()), Some(1_000));
    assert_eq!(time(ibc.next_consensus_state(&client, &at(10)).unwrap()), Some(10_000));
    assert_eq!(time(ibc.next_consensus_state(&client, &at(100)).unwrap()), None);
    assert_eq!(time(ibc.prev_consensus_state(&client, &at(100)).unwrap()), Some(1_000));
    assert_eq!(time(ibc.prev_consensus_state(&client, &at(10)).unwrap()), Some(900));
    assert_eq!(time(ibc.prev_consensus_state(&client, &at(9)).unwrap()), None);
    let (processed_time, processed_height) = ibc.client_update_meta(&client, &at(10)).unwrap();
    assert_eq!((processed_time.nanoseconds(), processed_height), (70, Height::new(1, 11).unwrap()));

    ibc.delete_consensus_state(ClientConsensusStatePath::new(client.clone(), 0, 10)).unwrap();
    ibc.delete_update_meta(client.clone(), at(10)).unwrap();
    ibc.delete_consensus_state(ClientConsensusStatePath::new(client.clone(), 0, 9)).unwrap();
    let heights: Vec<u64> = ibc.consensus_state_heights(&client).unwrap().iter().map(|h| h.revision_height()).collect();
    assert_eq!(heights, [100]);
    assert!(ibc.client_update_meta(&client, &at(10)).is_err());

    // A receipt not yet written is `None` (an unordered channel's first delivery reads it);
    // written, ibc-go's one byte.
    let receipt = ReceiptPath::new(&PortId::transfer(), &ChannelId::new(0), Sequence::from(1));
    assert!(matches!(ibc.get_packet_receipt(&receipt).unwrap(), Receipt::None));
    ibc.store_packet_receipt(&receipt, Receipt::Ok).unwrap();
    assert!(matches!(ibc.get_packet_receipt(&receipt).unwrap(), Receipt::Ok));
    ibc.increase_client_counter().unwrap();
    ibc.increase_client_counter().unwrap();
    assert_eq!(ibc.client_counter().unwrap(), 2);
    drop(ibc);
    use salus_sdk::StateRead;
    assert_eq!(
        state.get_raw(b"ibc/nextClientSequence").unwrap(),
        Some(2u64.to_be_bytes().to_vec()),
        "big-endian, as ibc-go"
    );
    assert_eq!(state.get_raw(b"ibc/receipts/ports/transfer/channels/channel-0/sequences/1").unwrap(), Some(vec![1]));
}
