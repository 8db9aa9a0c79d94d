//! `cosmos.consensus.v1.MsgUpdateParams` and `salus.auth.v1.MsgUpdateParams`: governance only.

use salus_proto::consensus::v1 as consensus;
use salus_proto::salus::auth::v1 as auth;
use salus_proto::Any;
use salus_sdk::auth::AuthParams;
use salus_sdk::module::{decode_any, is_type, type_url};
use salus_sdk::{Address, Error, Msg, SdkCode};

use crate::params::CometParams;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConsensusMsg {
    /// CometBFT's params, whole (as Cosmos' message carries them).
    UpdateConsensusParams { authority: Address, params: CometParams },
    /// The tx pipeline's limits.
    UpdateTxLimits { authority: Address, params: AuthParams },
}

impl ConsensusMsg {
    pub fn type_urls() -> Vec<String> {
        vec![type_url::<consensus::MsgUpdateParams>(), type_url::<auth::MsgUpdateParams>()]
    }

    pub fn decode(any: &Any) -> Result<Self, Error> {
        let u = any.type_url.as_str();
        if is_type::<consensus::MsgUpdateParams>(u) {
            let m = decode_any::<consensus::MsgUpdateParams>(any)?;
            let params =
                CometParams::from_parts(m.block.as_ref(), m.evidence.as_ref(), m.validator.as_ref(), m.abci.as_ref())?;
            return Ok(ConsensusMsg::UpdateConsensusParams {
                authority: Address::parse("authority", &m.authority)?,
                params,
            });
        }
        if is_type::<auth::MsgUpdateParams>(u) {
            let m = decode_any::<auth::MsgUpdateParams>(any)?;
            let params = m.params.ok_or_else(|| {
                Error::sdk(SdkCode::InvalidRequest, "params are missing: give every field of salus.auth.v1.Params")
            })?;
            return Ok(ConsensusMsg::UpdateTxLimits {
                authority: Address::parse("authority", &m.authority)?,
                params: AuthParams::from_proto(&params),
            });
        }
        Err(Error::sdk(SdkCode::UnknownRequest, format!("the consensus module does not handle {u}")))
    }

    pub fn to_any(&self) -> Any {
        match self {
            ConsensusMsg::UpdateConsensusParams { authority, params } => {
                let p = params.to_proto();
                salus_proto::to_any(&consensus::MsgUpdateParams {
                    authority: authority.to_string(),
                    block: p.block,
                    evidence: p.evidence,
                    validator: p.validator,
                    abci: p.abci,
                })
            }
            ConsensusMsg::UpdateTxLimits { authority, params } => salus_proto::to_any(&auth::MsgUpdateParams {
                authority: authority.to_string(),
                params: Some(params.to_proto()),
            }),
        }
    }

    fn authority_address(&self) -> Address {
        match self {
            ConsensusMsg::UpdateConsensusParams { authority, .. } | ConsensusMsg::UpdateTxLimits { authority, .. } => {
                *authority
            }
        }
    }
}

impl Msg for ConsensusMsg {
    fn type_url(&self) -> String {
        match self {
            ConsensusMsg::UpdateConsensusParams { .. } => type_url::<consensus::MsgUpdateParams>(),
            ConsensusMsg::UpdateTxLimits { .. } => type_url::<auth::MsgUpdateParams>(),
        }
    }

    fn validate_basic(&self) -> Result<(), Error> {
        match self {
            ConsensusMsg::UpdateConsensusParams { params, .. } => params.validate(),
            ConsensusMsg::UpdateTxLimits { params, .. } => params.validate(),
        }
    }

    fn signers(&self) -> Vec<Address> {
        vec![self.authority_address()]
    }

    fn authority(&self) -> Option<Address> {
        Some(self.authority_address())
    }
}
