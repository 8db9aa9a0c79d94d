//! The consent messages as domain types, decoded from salus.consent.v1. `signer` pays; `acting`
//! is the DID that acts (salus_did::Acting), checked by the handler before anything else.

use salus_did::{Acting, Did};
use salus_proto::salus::consent::v1 as pb;
use salus_proto::Any;
use salus_sdk::module::{decode_any, is_type, type_url};
use salus_sdk::{Address, Error, Msg, SdkCode};

use crate::error::ConsentError;
use crate::params::Params;
use crate::types::{Action, Coding, Period, Purpose};
use crate::validate;

#[path = "wire_limits.rs"]
mod wire_limits;

#[derive(Clone, Debug, PartialEq)]
pub enum ConsentMsg {
    Create {
        signer: Address,
        acting: Acting,
        terms: pb::ConsentTerms,
    },
    Update {
        signer: Address,
        acting: Acting,
        id: u64,
        version: u64,
        terms: pb::ConsentTerms,
    },
    Revoke {
        signer: Address,
        acting: Acting,
        id: u64,
        version: u64,
    },
    GrantRole {
        signer: Address,
        acting: Acting,
        member: Did,
        role: Coding,
        period: Period,
    },
    RevokeRole {
        signer: Address,
        acting: Acting,
        member: Did,
        role: Coding,
    },
    Access {
        signer: Address,
        acting: Acting,
        record: u64,
        action: Action,
        purpose: Purpose,
    },
    /// Governance only: `authority` must be the governance module's account.
    UpdateParams {
        authority: Address,
        params: Params,
    },
}

fn terms(t: Option<pb::ConsentTerms>) -> Result<pb::ConsentTerms, Error> {
    t.ok_or_else(|| ConsentError::InvalidConsent.with("terms is missing: give the consent's terms"))
}

fn role(r: Option<pb::Coding>) -> Result<Coding, Error> {
    let r = r.ok_or_else(|| ConsentError::InvalidRole.with("role is missing: give it as system|code"))?;
    validate::coding_from_proto("role", &r)
}

pub fn parse_action(code: &str) -> Result<Action, Error> {
    Action::ALL.into_iter().find(|a| a.name() == code).ok_or_else(|| {
        ConsentError::InvalidRequest
            .with(format!("action `{code}` is not one of access, collect, use, disclose, correct, compute"))
    })
}

pub fn parse_purpose(code: &str) -> Result<Purpose, Error> {
    Purpose::parse(code).ok_or_else(|| {
        ConsentError::InvalidRequest.with(format!(
            "purpose `{code}` is not an HL7 v3 PurposeOfUse code (TREAT, ETREAT, HPAYMT, HOPERAT, HRESCH, PUBHLTH, ...) or ai-training / ai-inference"
        ))
    })
}

fn id(field: &str, id: u64) -> Result<u64, Error> {
    if id == 0 {
        return Err(ConsentError::InvalidRequest.with(format!("{field} is 0: ids start at 1")));
    }
    Ok(id)
}

impl ConsentMsg {
    pub fn type_urls() -> Vec<String> {
        vec![
            type_url::<pb::MsgCreateConsent>(),
            type_url::<pb::MsgUpdateConsent>(),
            type_url::<pb::MsgRevokeConsent>(),
            type_url::<pb::MsgGrantRole>(),
            type_url::<pb::MsgRevokeRole>(),
            type_url::<pb::MsgAccessRecord>(),
            type_url::<pb::MsgUpdateParams>(),
        ]
    }

    pub fn decode(any: &Any) -> Result<Self, Error> {
        let signer = |s: &str| Address::parse("signer", s);
        match any.type_url.as_str() {
            u if is_type::<pb::MsgCreateConsent>(u) => {
                wire_limits::check(any, wire_limits::CREATE_TERMS)?;
                let m = decode_any::<pb::MsgCreateConsent>(any)?;
                let acting = Acting::of(&m, |m| &mut m.actor)?;
                Ok(ConsentMsg::Create { signer: signer(&m.signer)?, acting, terms: terms(m.terms)? })
            }
            u if is_type::<pb::MsgUpdateConsent>(u) => {
                wire_limits::check(any, wire_limits::UPDATE_TERMS)?;
                let m = decode_any::<pb::MsgUpdateConsent>(any)?;
                let acting = Acting::of(&m, |m| &mut m.actor)?;
                Ok(ConsentMsg::Update {
                    signer: signer(&m.signer)?,
                    acting,
                    id: id("id", m.id)?,
                    version: m.version,
                    terms: terms(m.terms)?,
                })
            }
            u if is_type::<pb::MsgRevokeConsent>(u) => {
                let m = decode_any::<pb::MsgRevokeConsent>(any)?;
                let acting = Acting::of(&m, |m| &mut m.actor)?;
                Ok(ConsentMsg::Revoke { signer: signer(&m.signer)?, acting, id: id("id", m.id)?, version: m.version })
            }
            u if is_type::<pb::MsgGrantRole>(u) => {
                let m = decode_any::<pb::MsgGrantRole>(any)?;
                let acting = Acting::of(&m, |m| &mut m.actor)?;
                Ok(ConsentMsg::GrantRole {
                    signer: signer(&m.signer)?,
                    acting,
                    member: Did::parse("member", &m.member)?,
                    period: validate::period_from_proto("period", m.period.as_ref())?,
                    role: role(m.role)?,
                })
            }
            u if is_type::<pb::MsgRevokeRole>(u) => {
                let m = decode_any::<pb::MsgRevokeRole>(any)?;
                let acting = Acting::of(&m, |m| &mut m.actor)?;
                Ok(ConsentMsg::RevokeRole {
                    signer: signer(&m.signer)?,
                    acting,
                    member: Did::parse("member", &m.member)?,
                    role: role(m.role)?,
                })
            }
            u if is_type::<pb::MsgAccessRecord>(u) => {
                let m = decode_any::<pb::MsgAccessRecord>(any)?;
                let acting = Acting::of(&m, |m| &mut m.actor)?;
                Ok(ConsentMsg::Access {
                    signer: signer(&m.signer)?,
                    acting,
                    record: id("record", m.record)?,
                    action: parse_action(&m.action)?,
                    purpose: parse_purpose(&m.purpose)?,
                })
            }
            u if is_type::<pb::MsgUpdateParams>(u) => {
                let m = decode_any::<pb::MsgUpdateParams>(any)?;
                let p = m
                    .params
                    .ok_or_else(|| ConsentError::InvalidParams.with("params is missing: give every consent param"))?;
                Ok(ConsentMsg::UpdateParams {
                    authority: Address::parse("authority", &m.authority)?,
                    params: Params::from_proto(&p),
                })
            }
            other => Err(Error::sdk(SdkCode::UnknownRequest, format!("the consent module does not handle {other}"))),
        }
    }

    pub fn acting(&self) -> Option<&Acting> {
        match self {
            ConsentMsg::Create { acting, .. }
            | ConsentMsg::Update { acting, .. }
            | ConsentMsg::Revoke { acting, .. }
            | ConsentMsg::GrantRole { acting, .. }
            | ConsentMsg::RevokeRole { acting, .. }
            | ConsentMsg::Access { acting, .. } => Some(acting),
            ConsentMsg::UpdateParams { .. } => None,
        }
    }
}

impl Msg for ConsentMsg {
    fn type_url(&self) -> String {
        match self {
            ConsentMsg::Create { .. } => type_url::<pb::MsgCreateConsent>(),
            ConsentMsg::Update { .. } => type_url::<pb::MsgUpdateConsent>(),
            ConsentMsg::Revoke { .. } => type_url::<pb::MsgRevokeConsent>(),
            ConsentMsg::GrantRole { .. } => type_url::<pb::MsgGrantRole>(),
            ConsentMsg::RevokeRole { .. } => type_url::<pb::MsgRevokeRole>(),
            ConsentMsg::Access { .. } => type_url::<pb::MsgAccessRecord>(),
            ConsentMsg::UpdateParams { .. } => type_url::<pb::MsgUpdateParams>(),
        }
    }

    /// The terms against the params' ceilings (the handler checks them against the params in
    /// force); the rest was checked at decode.
    fn validate_basic(&self) -> Result<(), Error> {
        match self {
            ConsentMsg::Update { version: 0, .. } | ConsentMsg::Revoke { version: 0, .. } => {
                Err(ConsentError::WrongVersion.with("version is 0: give the consent's current version"))
            }
            ConsentMsg::Create { terms, .. } | ConsentMsg::Update { terms, .. } => {
                validate::terms_from_proto(terms, &Params::CEILING).map(|_| ())
            }
            ConsentMsg::UpdateParams { params, .. } => params.validate(),
            _ => Ok(()),
        }
    }

    fn signers(&self) -> Vec<Address> {
        match self {
            ConsentMsg::Create { signer, .. }
            | ConsentMsg::Update { signer, .. }
            | ConsentMsg::Revoke { signer, .. }
            | ConsentMsg::GrantRole { signer, .. }
            | ConsentMsg::RevokeRole { signer, .. }
            | ConsentMsg::Access { signer, .. } => vec![*signer],
            ConsentMsg::UpdateParams { authority, .. } => vec![*authority],
        }
    }

    fn authority(&self) -> Option<Address> {
        match self {
            ConsentMsg::UpdateParams { authority, .. } => Some(*authority),
            _ => None,
        }
    }
}
