//! The IBC messages Salus routes, as ibc-go's protobuf types (what Hermes sends): ICS-02 client
//! messages and the ICS-03 connection handshake. Channels and packets follow with the first
//! module bound to a port (ICS-20).

use ibc::core::client::types::msgs::ClientMsg;
use ibc::core::connection::types::msgs::ConnectionMsg;
use ibc::core::handler::types::msgs::MsgEnvelope;
use ibc::core::primitives::Signer;
use ibc_proto::ibc::core::client::v1 as client;
use ibc_proto::ibc::core::connection::v1 as connection;
use prost::Message;
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
        let raw = ibc_proto::google::protobuf::Any { type_url: any.type_url.clone(), value: any.value.clone() };
        let envelope = MsgEnvelope::try_from(raw)
            .map_err(|e| IbcError::InvalidMsg.with(format!("{} does not decode: {e}", any.type_url)))?;
        let (signer, headers): (&Signer, Vec<&ibc_proto::google::protobuf::Any>) = match &envelope {
            MsgEnvelope::Client(ClientMsg::CreateClient(m)) => (&m.signer, vec![]),
            MsgEnvelope::Client(ClientMsg::UpdateClient(m)) => (&m.signer, vec![&m.client_message]),
            MsgEnvelope::Client(ClientMsg::Misbehaviour(m)) => (&m.signer, vec![&m.misbehaviour]),
            MsgEnvelope::Client(ClientMsg::UpgradeClient(m)) => (&m.signer, vec![]),
            MsgEnvelope::Client(ClientMsg::RecoverClient(_)) => {
                return Err(IbcError::InvalidMsg.with("a client is recovered by a governance proposal only"))
            }
            MsgEnvelope::Connection(ConnectionMsg::OpenInit(m)) => (&m.signer, vec![]),
            MsgEnvelope::Connection(ConnectionMsg::OpenTry(m)) => (&m.signer, vec![]),
            MsgEnvelope::Connection(ConnectionMsg::OpenAck(m)) => (&m.signer, vec![]),
            MsgEnvelope::Connection(ConnectionMsg::OpenConfirm(m)) => (&m.signer, vec![]),
            MsgEnvelope::Channel(_) | MsgEnvelope::Packet(_) => {
                return Err(IbcError::InvalidMsg
                    .with(format!("{}: no module is bound to an IBC port on this chain yet", any.type_url)))
            }
        };
        let signer = Address::parse("signer", signer.as_ref())?;
        let header_signatures = headers.into_iter().map(signatures_in).sum();
        Ok(IbcMsg { type_url: any.type_url.clone(), envelope, signer, header_signatures })
    }
}

/// The signatures and validators a 07-tendermint header (or a misbehaviour's two) carries; 0 for
/// anything else (the client rejects it before verifying).
fn signatures_in(any: &ibc_proto::google::protobuf::Any) -> u64 {
    use ibc_proto::ibc::lightclients::tendermint::v1::{Header, Misbehaviour};
    let count = |h: &Header| -> u64 {
        let signatures = h.signed_header.as_ref().and_then(|s| s.commit.as_ref()).map_or(0, |c| c.signatures.len());
        let validators = h.validator_set.as_ref().map_or(0, |v| v.validators.len());
        let trusted = h.trusted_validators.as_ref().map_or(0, |v| v.validators.len());
        (signatures + validators + trusted) as u64
    };
    match any.type_url.as_str() {
        "/ibc.lightclients.tendermint.v1.Header" => Header::decode(any.value.as_slice()).map_or(0, |h| count(&h)),
        "/ibc.lightclients.tendermint.v1.Misbehaviour" => Misbehaviour::decode(any.value.as_slice())
            .map_or(0, |m| m.header_1.as_ref().map_or(0, count) + m.header_2.as_ref().map_or(0, count)),
        _ => 0,
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
