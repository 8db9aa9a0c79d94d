//! The IBC messages Salus routes, as ibc-go's protobuf types (what Hermes sends): ICS-02 client
//! messages and the ICS-03 connection handshake. Channels and packets follow with the first
//! module bound to a port (ICS-20).

use ibc::clients::tendermint::client_state::ClientState as TmClientState;
use ibc::core::client::types::msgs::ClientMsg;
use ibc::core::connection::types::msgs::ConnectionMsg;
use ibc::core::handler::types::msgs::MsgEnvelope;
use ibc::core::primitives::Signer;
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
        ]
    }

    #[allow(deprecated)] // MsgSubmitMisbehaviour: ibc-go v8 still accepts it
    pub fn decode(any: &Any) -> Result<Self, Error> {
        let header_signatures = crate::checks::check(any)?;
        let decoded = std::panic::catch_unwind(|| MsgEnvelope::try_from(any.clone()));
        let envelope = decoded
            .map_err(|_| IbcError::InvalidMsg.with(format!("{} does not decode", any.type_url)))?
            .map_err(|e| IbcError::InvalidMsg.with(format!("{} does not decode: {e}", any.type_url)))?;
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
            // Not in `type_urls`, so the router never hands them here: recovery is governance's,
            // and channels wait for a module bound to a port.
            MsgEnvelope::Client(ClientMsg::RecoverClient(_)) | MsgEnvelope::Channel(_) | MsgEnvelope::Packet(_) => {
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
