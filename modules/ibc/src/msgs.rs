//! The IBC messages Salus routes, as ibc-go's protobuf types (what Hermes sends): ICS-02 client
//! messages, the ICS-03 connection handshake and the ICS-04 channel handshake (channels bind to
//! the `transfer` port). Packets follow with ICS-20's token movements.

use ibc::clients::tendermint::client_state::ClientState as TmClientState;
use ibc::core::channel::types::msgs::ChannelMsg;
use ibc::core::channel::types::Version;
use ibc::core::client::types::msgs::ClientMsg;
use ibc::core::connection::types::msgs::ConnectionMsg;
use ibc::core::handler::types::msgs::MsgEnvelope;
use ibc::core::primitives::Signer;
use ibc_proto::ibc::core::channel::v1 as channel;
use ibc_proto::ibc::core::client::v1 as client;
use ibc_proto::ibc::core::connection::v1 as connection;
use salus_proto::Any;
use salus_sdk::module::type_url;
use salus_sdk::{Address, Error, Msg};

use crate::error::IbcError;

/// Gas for each signature and validator a light-client header carries: verifying one costs an
/// ed25519 check (Cosmos charges nothing for it beyond the tx's bytes; a header of a large set is
/// thousands of checks).
pub const GAS_PER_HEADER_SIGNATURE: u64 = 1_000;

#[derive(Clone, Debug)]
pub struct IbcMsg {
    pub type_url: String,
    pub envelope: MsgEnvelope,
    pub signer: Address,
    /// Signatures and validators in the headers the message carries (an update's or a
    /// misbehaviour's), charged before they are verified.
    pub header_signatures: u64,
}

impl IbcMsg {
    pub fn type_urls() -> Vec<String> {
        vec![
            type_url::<client::MsgCreateClient>(),
            type_url::<client::MsgUpdateClient>(),
            type_url::<client::MsgSubmitMisbehaviour>(),
            type_url::<client::MsgUpgradeClient>(),
            type_url::<connection::MsgConnectionOpenInit>(),
            type_url::<connection::MsgConnectionOpenTry>(),
            type_url::<connection::MsgConnectionOpenAck>(),
            type_url::<connection::MsgConnectionOpenConfirm>(),
            type_url::<channel::MsgChannelOpenInit>(),
            type_url::<channel::MsgChannelOpenTry>(),
            type_url::<channel::MsgChannelOpenAck>(),
            type_url::<channel::MsgChannelOpenConfirm>(),
            type_url::<channel::MsgChannelCloseInit>(),
            type_url::<channel::MsgChannelCloseConfirm>(),
        ]
    }

    #[allow(deprecated)] // MsgSubmitMisbehaviour: ibc-go v8 still accepts it
    pub fn decode(any: &Any) -> Result<Self, Error> {
        let header_signatures = crate::checks::check(any)?;
        let decoded = std::panic::catch_unwind(|| MsgEnvelope::try_from(any.clone()));
        let mut envelope = decoded
            .map_err(|_| IbcError::InvalidMsg.with(format!("{} does not decode", any.type_url)))?
            .map_err(|e| IbcError::InvalidMsg.with(format!("{} does not decode: {e}", any.type_url)))?;
        // ibc-go stores the version a port's module settles on; ibc-rs 0.57 stores the proposal,
        // so an empty one (Hermes' default) would leave the channel end without a version for
        // the counterparty's OpenTry to check. The transfer port settles on its only version.
        if let MsgEnvelope::Channel(ChannelMsg::OpenInit(m)) = &mut envelope {
            if m.version_proposal.is_empty() && m.port_id_on_a.as_str() == crate::transfer_port::PORT {
                m.version_proposal = Version::new(crate::transfer_port::VERSION.to_string());
            }
        }
        let signer: &Signer = match &envelope {
            MsgEnvelope::Client(ClientMsg::CreateClient(m)) => {
                let state = TmClientState::try_from(m.client_state.clone())
                    .map_err(|e| IbcError::InvalidMsg.with(format!("the client state: {e}")))?;
                state.inner().validate().map_err(|e| IbcError::InvalidMsg.with(format!("the client state: {e}")))?;
                &m.signer
            }
            MsgEnvelope::Client(ClientMsg::UpdateClient(m)) => &m.signer,
            MsgEnvelope::Client(ClientMsg::Misbehaviour(m)) => &m.signer,
            MsgEnvelope::Client(ClientMsg::UpgradeClient(m)) => &m.signer,
            MsgEnvelope::Connection(ConnectionMsg::OpenInit(m)) => &m.signer,
            MsgEnvelope::Connection(ConnectionMsg::OpenTry(m)) => &m.signer,
            MsgEnvelope::Connection(ConnectionMsg::OpenAck(m)) => &m.signer,
            MsgEnvelope::Connection(ConnectionMsg::OpenConfirm(m)) => &m.signer,
            MsgEnvelope::Channel(ChannelMsg::OpenInit(m)) => &m.signer,
            MsgEnvelope::Channel(ChannelMsg::OpenTry(m)) => &m.signer,
            MsgEnvelope::Channel(ChannelMsg::OpenAck(m)) => &m.signer,
            MsgEnvelope::Channel(ChannelMsg::OpenConfirm(m)) => &m.signer,
            MsgEnvelope::Channel(ChannelMsg::CloseInit(m)) => &m.signer,
            MsgEnvelope::Channel(ChannelMsg::CloseConfirm(m)) => &m.signer,
            // Not in `type_urls`, so the router never hands them here: recovery is governance's,
            // and packets wait for ICS-20's token movements.
            MsgEnvelope::Client(ClientMsg::RecoverClient(_)) | MsgEnvelope::Packet(_) => {
                return Err(IbcError::InvalidMsg.with(format!("{}: not routed on this chain", any.type_url)))
            }
        };
        let signer = Address::parse("signer", signer.as_ref())?;
        Ok(IbcMsg { type_url: any.type_url.clone(), envelope, signer, header_signatures })
    }
}

impl Msg for IbcMsg {
    fn type_url(&self) -> String {
        self.type_url.clone()
    }

    /// ibc-rs checks the message's fields as it decodes it.
    fn validate_basic(&self) -> Result<(), Error> {
        Ok(())
    }

    fn signers(&self) -> Vec<Address> {
        vec![self.signer]
    }
}
