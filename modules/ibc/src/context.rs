//! ibc-rs' host contexts over Salus state: every value at its ICS-24 path in the `ibc` substore,
//! in the bytes ibc-go writes (counterparties verify them), the host's own consensus states from
//! staking's historical records (kept in the store, so a restarted node proves old heights).

use core::time::Duration;

use ibc::clients::tendermint::client_state::ClientState as TmClientState;
use ibc::clients::tendermint::consensus_state::ConsensusState as TmConsensusState;
use ibc::clients::tendermint::types::ConsensusState as TmConsensusStateType;
use ibc::core::channel::types::channel::ChannelEnd;
use ibc::core::channel::types::commitment::{AcknowledgementCommitment, PacketCommitment};
use ibc::core::channel::types::packet::Receipt;
use ibc::core::client::context::{ClientExecutionContext, ClientValidationContext, ExtClientValidationContext};
use ibc::core::client::types::Height;
use ibc::core::commitment_types::commitment::{CommitmentPrefix, CommitmentRoot};
use ibc::core::commitment_types::specs::ProofSpecs;
use ibc::core::connection::types::ConnectionEnd;
use ibc::core::handler::types::events::IbcEvent;
use ibc::core::host::types::error::HostError;
use ibc::core::host::types::identifiers::{ChainId, ClientId, ConnectionId, Sequence};
use ibc::core::host::types::path::{
    AckPath, ChannelEndPath, ClientConnectionPath, ClientConsensusStatePath, ClientStatePath, ClientUpdateHeightPath,
    ClientUpdateTimePath, CommitmentPath, ConnectionPath, NextChannelSequencePath, NextClientSequencePath,
    NextConnectionSequencePath, Path, ReceiptPath, SeqAckPath, SeqRecvPath, SeqSendPath,
};
use ibc::core::host::{ExecutionContext, ValidationContext};
use ibc::core::primitives::proto::{Any, Protobuf};
use ibc::core::primitives::{Signer, Timestamp};
use ibc::cosmos_host::ValidateSelfClientContext;
use prost::Message;
use salus_sdk::{BlockCtx, Error, StateRead, StateWrite};
use salus_staking::{HostHistory, StakingRead};

use crate::{events, keys};

/// The most a block is expected to take (ibc-go's default `max_expected_time_per_block`): a
/// connection's time delay becomes a block delay with it.
pub const MAX_EXPECTED_TIME_PER_BLOCK: Duration = Duration::from_secs(30);

/// Where an upgraded client would be committed: ibc-go's and Hermes' default, which a
/// counterparty's client of Salus names.
pub const UPGRADE_PATH: [&str; 2] = ["upgrade", "upgradedIBCState"];

/// The IBC handlers' view of one message's state: `state` is the message's overlay, so a failed
/// message leaves nothing behind (ibc-rs itself is not transactional).
pub struct IbcCtx<'a, S: ?Sized> {
    pub state: &'a mut S,
    pub block: &'a BlockCtx,
    chain_id: ChainId,
    proof_specs: ProofSpecs,
    upgrade_path: Vec<String>,
}

impl<'a, S: StateRead + ?Sized> IbcCtx<'a, S> {
    pub fn new(state: &'a mut S, block: &'a BlockCtx) -> Result<Self, Error> {
        let chain_id = ChainId::new(&block.chain_id)
            .map_err(|e| Error::internal(format!("the chain id is no IBC chain id: {e}")))?;
        let proof_specs = ProofSpecs::try_from(salus_store::proof_specs())
            .map_err(|e| Error::internal(format!("Salus' proof specs: {e}")))?;
        Ok(Self { state, block, chain_id, proof_specs, upgrade_path: UPGRADE_PATH.map(String::from).to_vec() })
    }

    fn read(&self, key: &[u8]) -> Result<Option<Vec<u8>>, HostError> {
        self.state.get_raw(key).map_err(host_error)
    }

    fn read_required(&self, key: Vec<u8>, what: impl FnOnce() -> String) -> Result<Vec<u8>, HostError> {
        self.read(&key)?.ok_or_else(|| HostError::missing_state(what()))
    }

    fn counter(&self, key: Vec<u8>) -> Result<u64, HostError> {
        match self.read(&key)? {
            None => Ok(0),
            Some(bytes) => big_endian(&bytes),
        }
    }

    fn sequence(&self, key: Vec<u8>, what: &str) -> Result<Sequence, HostError> {
        let bytes = self.read_required(key, || format!("no {what}"))?;
        Ok(Sequence::from(big_endian(&bytes)?))
    }

    /// The heights of a client's consensus states, in height order, read from ibc-go's
    /// iteration index.
    fn iteration(
        &self,
        client_id: &ClientId,
        from: &[u8],
        to: &[u8],
        limit: usize,
        reverse: bool,
    ) -> Result<Vec<Height>, HostError> {
        let prefix = keys::consensus_iteration_prefix(client_id);
        let found = self.state.range_limit_raw(&prefix, from, to, limit, reverse).map_err(host_error)?;
        found
            .iter()
            .map(|(k, _)| {
                let (number, height) = keys::height_of_iteration_key(prefix.len(), k)
                    .ok_or_else(|| HostError::invalid_state("a malformed consensus-state index key"))?;
                Height::new(number, height).map_err(|e| HostError::invalid_state(e.to_string()))
            })
            .collect()
    }

    fn height_now(&self) -> Result<Height, HostError> {
        Height::new(self.chain_id.revision_number(), self.block.height)
            .map_err(|e| HostError::invalid_state(e.to_string()))
    }
}

fn host_error(e: Error) -> HostError {
    HostError::failed_to_retrieve(e.message)
}

fn store_error(e: Error) -> HostError {
    HostError::failed_to_store(e.message)
}

fn big_endian(bytes: &[u8]) -> Result<u64, HostError> {
    let array: [u8; 8] = bytes.try_into().map_err(|_| HostError::invalid_state("a stored counter is not 8 bytes"))?;
    Ok(u64::from_be_bytes(array))
}

fn decode<T, R>(bytes: &[u8], what: &str) -> Result<T, HostError>
where
    R: Message + Default + From<T>,
    T: Protobuf<R> + TryFrom<R>,
    <T as TryFrom<R>>::Error: core::fmt::Display,
{
    <T as Protobuf<R>>::decode_vec(bytes).map_err(|e| HostError::invalid_state(format!("a stored {what}: {e}")))
}

fn decode_any<T>(bytes: &[u8], what: &str) -> Result<T, HostError>
where
    Any: From<T>,
    T: Protobuf<Any> + TryFrom<Any>,
    <T as TryFrom<Any>>::Error: core::fmt::Display,
{
    <T as Protobuf<Any>>::decode_vec(bytes).map_err(|e| HostError::invalid_state(format!("a stored {what}: {e}")))
}

fn timestamp_of(secs: i64, nanos: u32) -> Result<Timestamp, HostError> {
    let total = u64::try_from(secs)
        .ok()
        .and_then(|s| s.checked_mul(1_000_000_000))
        .and_then(|n| n.checked_add(u64::from(nanos)))
        .ok_or_else(|| HostError::invalid_state("the block time is before 1970 or past 2554"))?;
    Ok(Timestamp::from_nanoseconds(total))
}

impl<S: StateRead + ?Sized> ValidateSelfClientContext for IbcCtx<'_, S> {
    fn chain_id(&self) -> &ChainId {
        &self.chain_id
    }

    fn host_current_height(&self) -> Height {
        Height::new(self.chain_id.revision_number(), self.block.height.max(1)).expect("a height of at least 1 is valid")
    }

    fn proof_specs(&self) -> &ProofSpecs {
        &self.proof_specs
    }

    fn unbonding_period(&self) -> Duration {
        let secs = self.state.staking_params().map(|p| p.unbonding_time_secs).unwrap_or(0);
        Duration::from_secs(secs)
    }

    fn upgrade_path(&self) -> &[String] {
        &self.upgrade_path
    }
}

impl<S: StateRead + ?Sized> ClientValidationContext for IbcCtx<'_, S> {
    type ClientStateRef = TmClientState;
    type ConsensusStateRef = TmConsensusState;

    fn client_state(&self, client_id: &ClientId) -> Result<TmClientState, HostError> {
        let bytes = self
            .read_required(keys::path(ClientStatePath::new(client_id.clone())), || format!("no client {client_id}"))?;
        decode_any(&bytes, "client state")
    }

    fn consensus_state(&self, path: &ClientConsensusStatePath) -> Result<TmConsensusState, HostError> {
        let bytes = self.read_required(keys::path(path.clone()), || format!("no consensus state at {path}"))?;
        decode_any(&bytes, "consensus state")
    }

    fn client_update_meta(&self, client_id: &ClientId, height: &Height) -> Result<(Timestamp, Height), HostError> {
        let (number, at) = (height.revision_number(), height.revision_height());
        let time = self.read_required(keys::path(ClientUpdateTimePath::new(client_id.clone(), number, at)), || {
            format!("no processed time of {client_id} at {height}")
        })?;
        let processed_height = self
            .read_required(keys::path(ClientUpdateHeightPath::new(client_id.clone(), number, at)), || {
                format!("no processed height of {client_id} at {height}")
            })?;
        let processed_height: Height = String::from_utf8(processed_height)
            .ok()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| HostError::invalid_state("a stored processed height is malformed"))?;
        Ok((Timestamp::from_nanoseconds(big_endian(&time)?), processed_height))
    }
}

impl<S: StateRead + ?Sized> ExtClientValidationContext for IbcCtx<'_, S> {
    fn host_timestamp(&self) -> Result<Timestamp, HostError> {
        timestamp_of(self.block.time_secs, self.block.time_nanos)
    }

    fn host_height(&self) -> Result<Height, HostError> {
        self.height_now()
    }

    /// Only the oldest height: ibc-rs calls this to prune a client's expired consensus states on
    /// every update, and with one height it prunes at most the oldest one per update, as ibc-go
    /// does (`pruneOldestConsensusState`). Reading every height would cost every update the
    /// whole, growing list; pruning them all at once would leave many deleted keys in the block's
    /// overlay for the client's next update to step over.
    fn consensus_state_heights(&self, client_id: &ClientId) -> Result<Vec<Height>, HostError> {
        let prefix = keys::consensus_iteration_prefix(client_id);
        self.iteration(client_id, &prefix, &iteration_end(&prefix), 1, false)
    }

    fn next_consensus_state(
        &self,
        client_id: &ClientId,
        height: &Height,
    ) -> Result<Option<TmConsensusState>, HostError> {
        let Some(from_height) = height.revision_height().checked_add(1) else { return Ok(None) };
        let from = keys::consensus_iteration(client_id, height.revision_number(), from_height);
        let to = iteration_end(&keys::consensus_iteration_prefix(client_id));
        match self.iteration(client_id, &from, &to, 1, false)?.first() {
            None => Ok(None),
            Some(h) => self.consensus_state(&consensus_path(client_id, h)).map(Some),
        }
    }

    fn prev_consensus_state(
        &self,
        client_id: &ClientId,
        height: &Height,
    ) -> Result<Option<TmConsensusState>, HostError> {
        let prefix = keys::consensus_iteration_prefix(client_id);
        let to = keys::consensus_iteration(client_id, height.revision_number(), height.revision_height());
        match self.iteration(client_id, &prefix, &to, 1, true)?.first() {
            None => Ok(None),
            Some(h) => self.consensus_state(&consensus_path(client_id, h)).map(Some),
        }
    }
}

/// Past every iteration key under `prefix` (their suffixes are 16 bytes).
fn iteration_end(prefix: &[u8]) -> Vec<u8> {
    [prefix, &[0xff; 17]].concat()
}

fn consensus_path(client_id: &ClientId, h: &Height) -> ClientConsensusStatePath {
    ClientConsensusStatePath::new(client_id.clone(), h.revision_number(), h.revision_height())
}

impl<S: StateWrite + ?Sized> ClientExecutionContext for IbcCtx<'_, S> {
    type ClientStateMut = TmClientState;

    fn store_client_state(&mut self, path: ClientStatePath, client_state: TmClientState) -> Result<(), HostError> {
        let bytes = <TmClientState as Protobuf<Any>>::encode_vec(client_state);
        self.state.put_raw(keys::path(path), bytes).map_err(store_error)
    }

    fn store_consensus_state(
        &mut self,
        path: ClientConsensusStatePath,
        consensus_state: TmConsensusState,
    ) -> Result<(), HostError> {
        let index = keys::consensus_iteration(&path.client_id, path.revision_number, path.revision_height);
        let key = keys::path(path);
        self.state.put_raw(index, key.clone()).map_err(store_error)?;
        let bytes = <TmConsensusState as Protobuf<Any>>::encode_vec(consensus_state);
        self.state.put_raw(key, bytes).map_err(store_error)
    }

    fn delete_consensus_state(&mut self, path: ClientConsensusStatePath) -> Result<(), HostError> {
        let index = keys::consensus_iteration(&path.client_id, path.revision_number, path.revision_height);
        self.state.delete_raw(index).map_err(store_error)?;
        self.state.delete_raw(keys::path(path)).map_err(store_error)
    }

    fn store_update_meta(
        &mut self,
        client_id: ClientId,
        height: Height,
        host_timestamp: Timestamp,
        host_height: Height,
    ) -> Result<(), HostError> {
        let (number, at) = (height.revision_number(), height.revision_height());
        let time = keys::path(ClientUpdateTimePath::new(client_id.clone(), number, at));
        self.state.put_raw(time, host_timestamp.nanoseconds().to_be_bytes().to_vec()).map_err(store_error)?;
        let processed = keys::path(ClientUpdateHeightPath::new(client_id, number, at));
        self.state.put_raw(processed, host_height.to_string().into_bytes()).map_err(store_error)
    }

    fn delete_update_meta(&mut self, client_id: ClientId, height: Height) -> Result<(), HostError> {
        let (number, at) = (height.revision_number(), height.revision_height());
        self.state
            .delete_raw(keys::path(ClientUpdateTimePath::new(client_id.clone(), number, at)))
            .map_err(store_error)?;
        self.state.delete_raw(keys::path(ClientUpdateHeightPath::new(client_id, number, at))).map_err(store_error)
    }
}

impl<S: StateRead + ?Sized> ValidationContext for IbcCtx<'_, S> {
    type V = Self;
    type HostClientState = TmClientState;
    type HostConsensusState = TmConsensusState;

    fn get_client_validation_context(&self) -> &Self {
        self
    }

    fn host_height(&self) -> Result<Height, HostError> {
        self.height_now()
    }

    fn host_timestamp(&self) -> Result<Timestamp, HostError> {
        <Self as ExtClientValidationContext>::host_timestamp(self)
    }

    /// What a light client of Salus stored at `height`: the header's time, its app hash (the
    /// state after the previous block) and its next validators hash, as staking recorded them.
    fn host_consensus_state(&self, height: &Height) -> Result<TmConsensusState, HostError> {
        if height.revision_number() != self.chain_id.revision_number() {
            return Err(HostError::invalid_state(format!(
                "height {height} is of another revision than this chain's ({})",
                self.chain_id.revision_number()
            )));
        }
        let header = self.state.host_header(height.revision_height()).map_err(host_error)?.ok_or_else(|| {
            HostError::missing_state(format!(
                "no host consensus state at {height}: pruned (past staking's historical_entries) or not reached"
            ))
        })?;
        let time = tendermint::Time::from_unix_timestamp(header.time.secs, header.time.nanos)
            .map_err(|e| HostError::invalid_state(e.to_string()))?;
        let next_validators_hash = tendermint::Hash::try_from(header.next_validators_hash)
            .map_err(|e| HostError::invalid_state(format!("a recorded next validators hash: {e}")))?;
        let root = CommitmentRoot::from_bytes(&header.app_hash);
        Ok(TmConsensusStateType::new(root, time, next_validators_hash).into())
    }

    fn client_counter(&self) -> Result<u64, HostError> {
        self.counter(keys::path(NextClientSequencePath))
    }

    fn connection_end(&self, conn_id: &ConnectionId) -> Result<ConnectionEnd, HostError> {
        let bytes =
            self.read_required(keys::path(ConnectionPath::new(conn_id)), || format!("no connection {conn_id}"))?;
        decode(&bytes, "connection end")
    }

    fn validate_self_client(&self, client_state_of_host_on_counterparty: TmClientState) -> Result<(), HostError> {
        self.validate_self_tendermint_client(client_state_of_host_on_counterparty.inner().clone())
    }

    fn commitment_prefix(&self) -> CommitmentPrefix {
        CommitmentPrefix::from_bytes(salus_store::IBC_ROOT_KEY)
    }

    fn connection_counter(&self) -> Result<u64, HostError> {
        self.counter(keys::path(NextConnectionSequencePath))
    }

    fn channel_end(&self, path: &ChannelEndPath) -> Result<ChannelEnd, HostError> {
        let bytes = self.read_required(keys::path(path.clone()), || format!("no channel at {path}"))?;
        decode(&bytes, "channel end")
    }

    fn get_next_sequence_send(&self, path: &SeqSendPath) -> Result<Sequence, HostError> {
        self.sequence(keys::path(path.clone()), "next send sequence")
    }

    fn get_next_sequence_recv(&self, path: &SeqRecvPath) -> Result<Sequence, HostError> {
        self.sequence(keys::path(path.clone()), "next receive sequence")
    }

    fn get_next_sequence_ack(&self, path: &SeqAckPath) -> Result<Sequence, HostError> {
        self.sequence(keys::path(path.clone()), "next acknowledgement sequence")
    }

    fn get_packet_commitment(&self, path: &CommitmentPath) -> Result<PacketCommitment, HostError> {
        let bytes = self.read_required(keys::path(path.clone()), || format!("no packet commitment at {path}"))?;
        Ok(PacketCommitment::from(bytes))
    }

    /// Absent is `Receipt::None`, not an error: an unordered channel's first delivery reads it.
    fn get_packet_receipt(&self, path: &ReceiptPath) -> Result<Receipt, HostError> {
        Ok(match self.read(&keys::path(path.clone()))? {
            Some(_) => Receipt::Ok,
            None => Receipt::None,
        })
    }

    fn get_packet_acknowledgement(&self, path: &AckPath) -> Result<AcknowledgementCommitment, HostError> {
        let bytes = self.read_required(keys::path(path.clone()), || format!("no acknowledgement at {path}"))?;
        Ok(AcknowledgementCommitment::from(bytes))
    }

    fn channel_counter(&self) -> Result<u64, HostError> {
        self.counter(keys::path(NextChannelSequencePath))
    }

    fn max_expected_time_per_block(&self) -> Duration {
        MAX_EXPECTED_TIME_PER_BLOCK
    }

    /// The tx pipeline checked the signature of every signer a message names; here the address
    /// must be a Salus account.
    fn validate_message_signer(&self, signer: &Signer) -> Result<(), HostError> {
        salus_sdk::Address::parse("signer", signer.as_ref())
            .map(|_| ())
            .map_err(|e| HostError::invalid_state(e.message))
    }
}

impl<S: StateWrite + ?Sized> ExecutionContext for IbcCtx<'_, S> {
    type E = Self;

    fn get_client_execution_context(&mut self) -> &mut Self {
        self
    }

    fn increase_client_counter(&mut self) -> Result<(), HostError> {
        self.bump(keys::path(NextClientSequencePath))
    }

    fn store_connection(&mut self, path: &ConnectionPath, connection_end: ConnectionEnd) -> Result<(), HostError> {
        let bytes = <ConnectionEnd as Protobuf<_>>::encode_vec(connection_end);
        self.state.put_raw(keys::path(path.clone()), bytes).map_err(store_error)
    }

    /// ibc-go keeps a client's connections as a `ClientPaths` list; ibc-rs adds one at a time.
    fn store_connection_to_client(
        &mut self,
        path: &ClientConnectionPath,
        conn_id: ConnectionId,
    ) -> Result<(), HostError> {
        use ibc_proto::ibc::core::connection::v1::ClientPaths;
        let key = keys::path(path.clone());
        let mut list = match self.read(&key)? {
            None => ClientPaths::default(),
            Some(bytes) => ClientPaths::decode(bytes.as_slice())
                .map_err(|e| HostError::invalid_state(format!("a stored client connection list: {e}")))?,
        };
        list.paths.push(conn_id.to_string());
        self.state.put_raw(key, list.encode_to_vec()).map_err(store_error)
    }

    fn increase_connection_counter(&mut self) -> Result<(), HostError> {
        self.bump(keys::path(NextConnectionSequencePath))
    }

    fn store_packet_commitment(
        &mut self,
        path: &CommitmentPath,
        commitment: PacketCommitment,
    ) -> Result<(), HostError> {
        self.state.put_raw(keys::path(path.clone()), commitment.into_vec()).map_err(store_error)
    }

    fn delete_packet_commitment(&mut self, path: &CommitmentPath) -> Result<(), HostError> {
        self.state.delete_raw(keys::path(path.clone())).map_err(store_error)
    }

    /// ibc-go writes one byte, 0x01; only its absence is ever proven.
    fn store_packet_receipt(&mut self, path: &ReceiptPath, _receipt: Receipt) -> Result<(), HostError> {
        self.state.put_raw(keys::path(path.clone()), vec![1]).map_err(store_error)
    }

    fn store_packet_acknowledgement(
        &mut self,
        path: &AckPath,
        ack: AcknowledgementCommitment,
    ) -> Result<(), HostError> {
        self.state.put_raw(keys::path(path.clone()), ack.into_vec()).map_err(store_error)
    }

    fn delete_packet_acknowledgement(&mut self, path: &AckPath) -> Result<(), HostError> {
        self.state.delete_raw(keys::path(path.clone())).map_err(store_error)
    }

    fn store_channel(&mut self, path: &ChannelEndPath, channel_end: ChannelEnd) -> Result<(), HostError> {
        let bytes = <ChannelEnd as Protobuf<_>>::encode_vec(channel_end);
        self.state.put_raw(keys::path(path.clone()), bytes).map_err(store_error)
    }

    fn store_next_sequence_send(&mut self, path: &SeqSendPath, seq: Sequence) -> Result<(), HostError> {
        self.put_sequence(Path::from(path.clone()), seq)
    }

    fn store_next_sequence_recv(&mut self, path: &SeqRecvPath, seq: Sequence) -> Result<(), HostError> {
        self.put_sequence(Path::from(path.clone()), seq)
    }

    fn store_next_sequence_ack(&mut self, path: &SeqAckPath, seq: Sequence) -> Result<(), HostError> {
        self.put_sequence(Path::from(path.clone()), seq)
    }

    fn increase_channel_counter(&mut self) -> Result<(), HostError> {
        self.bump(keys::path(NextChannelSequencePath))
    }

    fn emit_ibc_event(&mut self, event: IbcEvent) -> Result<(), HostError> {
        let event = events::from_ibc(event).map_err(HostError::invalid_state)?;
        self.state.emit(event);
        Ok(())
    }

    fn log_message(&mut self, _message: String) -> Result<(), HostError> {
        Ok(())
    }
}

impl<S: StateWrite + ?Sized> IbcCtx<'_, S> {
    fn bump(&mut self, key: Vec<u8>) -> Result<(), HostError> {
        let next =
            self.counter(key.clone())?.checked_add(1).ok_or_else(|| HostError::invalid_state("a counter is full"))?;
        self.state.put_raw(key, next.to_be_bytes().to_vec()).map_err(store_error)
    }

    /// Sequences are 8 big-endian bytes, as ibc-go writes them: an ordered channel's timeout
    /// proves `nextSequenceRecv`.
    fn put_sequence(&mut self, path: Path, seq: Sequence) -> Result<(), HostError> {
        self.state.put_raw(keys::path(path), seq.value().to_be_bytes().to_vec()).map_err(store_error)
    }
}
