//! The records messages as domain types, decoded from salus.records.v1: anchor, supersede and
//! erase, each performed by a DID through its actor proof, and the governance-only params update.

use salus_did::{Acting, Did};
use salus_proto::salus::records::v1 as pb;
use salus_proto::Any;
use salus_sdk::module::{decode_any, is_type, type_url};
use salus_sdk::{Address, Error, Msg, SdkCode};

use crate::error::RecordsError;
use crate::params::Params;
use crate::types::Content;

/// `signer` signs the transaction and pays; `acting` proves which DID acts (the record's owner
/// or its custodian), checked first by the handler.
#[derive(Clone, Debug, PartialEq)]
pub enum RecordsMsg {
    Anchor {
        signer: Address,
        acting: Acting,
        owner: Did,
        custodian: Did,
        content: Content,
    },
    Supersede {
        signer: Address,
        acting: Acting,
        id: u64,
        /// The version replaced: the record's current one.
        version: u64,
        content: Content,
    },
    Erase {
        signer: Address,
        acting: Acting,
        id: u64,
    },
    /// Governance only: `authority` must be the governance module's account.
    UpdateParams {
        authority: Address,
        params: Params,
    },
}

impl RecordsMsg {
    /// The type URLs this module routes.
    pub fn type_urls() -> Vec<String> {
        vec![
            type_url::<pb::MsgAnchorRecord>(),
            type_url::<pb::MsgSupersedeRecord>(),
            type_url::<pb::MsgEraseRecord>(),
            type_url::<pb::MsgUpdateParams>(),
        ]
    }

    pub fn decode(any: &Any) -> Result<Self, Error> {
        match any.type_url.as_str() {
            u if is_type::<pb::MsgAnchorRecord>(u) => {
                let m = decode_any::<pb::MsgAnchorRecord>(any)?;
                Ok(RecordsMsg::Anchor {
                    signer: Address::parse("signer", &m.signer)?,
                    acting: Acting::of(&m, |m| &mut m.actor)?,
                    owner: Did::parse("owner", &m.owner)?,
                    custodian: Did::parse("custodian", &m.custodian)?,
                    content: Content::from_proto(m.content.as_ref())?,
                })
            }
            u if is_type::<pb::MsgSupersedeRecord>(u) => {
                let m = decode_any::<pb::MsgSupersedeRecord>(any)?;
                Ok(RecordsMsg::Supersede {
                    signer: Address::parse("signer", &m.signer)?,
                    acting: Acting::of(&m, |m| &mut m.actor)?,
                    id: m.id,
                    version: m.version,
                    content: Content::from_proto(m.content.as_ref())?,
                })
            }
            u if is_type::<pb::MsgEraseRecord>(u) => {
                let m = decode_any::<pb::MsgEraseRecord>(any)?;
                Ok(RecordsMsg::Erase {
                    signer: Address::parse("signer", &m.signer)?,
                    acting: Acting::of(&m, |m| &mut m.actor)?,
                    id: m.id,
                })
            }
            u if is_type::<pb::MsgUpdateParams>(u) => {
                let m = decode_any::<pb::MsgUpdateParams>(any)?;
                let p = m
                    .params
                    .ok_or_else(|| RecordsError::InvalidParams.with("params is missing: give every records param"))?;
                Ok(RecordsMsg::UpdateParams {
                    authority: Address::parse("authority", &m.authority)?,
                    params: Params::from_proto(&p),
                })
            }
            other => Err(Error::sdk(SdkCode::UnknownRequest, format!("the records module does not handle {other}"))),
        }
    }

    /// The message as the chain receives it. For a DID's message this is the message its actor
    /// proof signed only if it was decoded from one (the proof covers the original bytes, which
    /// [`Acting`] keeps).
    pub fn to_any(&self) -> Any {
        match self {
            RecordsMsg::Anchor { signer, acting, owner, custodian, content } => {
                salus_proto::to_any(&pb::MsgAnchorRecord {
                    signer: signer.to_string(),
                    actor: Some(acting.proof.to_proto()),
                    owner: owner.to_string(),
                    custodian: custodian.to_string(),
                    content: Some(content.to_proto()),
                })
            }
            RecordsMsg::Supersede { signer, acting, id, version, content } => {
                salus_proto::to_any(&pb::MsgSupersedeRecord {
                    signer: signer.to_string(),
                    actor: Some(acting.proof.to_proto()),
                    id: *id,
                    version: *version,
                    content: Some(content.to_proto()),
                })
            }
            RecordsMsg::Erase { signer, acting, id } => salus_proto::to_any(&pb::MsgEraseRecord {
                signer: signer.to_string(),
                actor: Some(acting.proof.to_proto()),
                id: *id,
            }),
            RecordsMsg::UpdateParams { authority, params } => salus_proto::to_any(&pb::MsgUpdateParams {
                authority: authority.to_string(),
                params: Some(params.to_proto()),
            }),
        }
    }

    /// The DID's proof; `None` for the params update.
    pub fn acting(&self) -> Option<&Acting> {
        match self {
            RecordsMsg::Anchor { acting, .. }
            | RecordsMsg::Supersede { acting, .. }
            | RecordsMsg::Erase { acting, .. } => Some(acting),
            RecordsMsg::UpdateParams { .. } => None,
        }
    }
}

fn check_id(id: u64) -> Result<(), Error> {
    if id == 0 {
        return Err(RecordsError::NotFound.with("id is 0: records are numbered from 1"));
    }
    Ok(())
}

impl Msg for RecordsMsg {
    fn type_url(&self) -> String {
        match self {
            RecordsMsg::Anchor { .. } => type_url::<pb::MsgAnchorRecord>(),
            RecordsMsg::Supersede { .. } => type_url::<pb::MsgSupersedeRecord>(),
            RecordsMsg::Erase { .. } => type_url::<pb::MsgEraseRecord>(),
            RecordsMsg::UpdateParams { .. } => type_url::<pb::MsgUpdateParams>(),
        }
    }

    /// Against the ceilings of the params (the handler checks again against the chain's).
    fn validate_basic(&self) -> Result<(), Error> {
        match self {
            RecordsMsg::Anchor { acting, owner, custodian, content, .. } => {
                if acting.did() != owner && acting.did() != custodian {
                    return Err(RecordsError::Unauthorized.with(format!(
                        "{} acts, but a record is anchored by its owner ({owner}) or its custodian ({custodian}): act as one of them",
                        acting.did()
                    )));
                }
                content.validate(&Params::CEILING)
            }
            RecordsMsg::Supersede { id, version, content, .. } => {
                check_id(*id)?;
                if *version == 0 {
                    return Err(RecordsError::WrongVersion.with(format!(
                        "version is 0: give the version of record {id} you are replacing (`salusd query records record {id}`)"
                    )));
                }
                content.validate(&Params::CEILING)
            }
            RecordsMsg::Erase { id, .. } => check_id(*id),
            // As genesis checks them.
            RecordsMsg::UpdateParams { params, .. } => params.validate(),
        }
    }

    fn signers(&self) -> Vec<Address> {
        match self {
            RecordsMsg::Anchor { signer, .. }
            | RecordsMsg::Supersede { signer, .. }
            | RecordsMsg::Erase { signer, .. } => {
                vec![*signer]
            }
            RecordsMsg::UpdateParams { authority, .. } => vec![*authority],
        }
    }

    fn authority(&self) -> Option<Address> {
        match self {
            RecordsMsg::UpdateParams { authority, .. } => Some(*authority),
            RecordsMsg::Anchor { .. } | RecordsMsg::Supersede { .. } | RecordsMsg::Erase { .. } => None,
        }
    }
}
