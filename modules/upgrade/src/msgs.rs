//! `MsgSoftwareUpgrade` and `MsgCancelUpgrade`, both for the governance authority only.

use borsh::{BorshDeserialize, BorshSerialize};
use salus_proto::cosmos::upgrade::v1beta1 as proto;
use salus_proto::Any;
use salus_sdk::module::{decode_any, is_type, type_url};
use salus_sdk::{Address, Error, Msg, SdkCode};
use serde::{Deserialize, Serialize};

use crate::error::UpgradeError;

/// The most bytes of a plan's name and info (Cosmos leaves them unbounded; every node keeps
/// the plan).
pub const MAX_NAME_LEN: usize = 140;
pub const MAX_INFO_LEN: usize = 10_000;

/// A software upgrade: at `height`, the binary must know `name`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, BorshSerialize, BorshDeserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    pub name: String,
    #[serde(with = "salus_sdk::json::string")]
    pub height: u64,
    #[serde(default)]
    pub info: String,
}

impl Plan {
    pub fn validate(&self) -> Result<(), Error> {
        if self.name.trim().is_empty() {
            return Err(UpgradeError::InvalidPlan.with("the plan needs a name: the one the new binary's handler has"));
        }
        if self.name.len() > MAX_NAME_LEN || self.info.len() > MAX_INFO_LEN {
            return Err(UpgradeError::InvalidPlan
                .with(format!("the plan's name is at most {MAX_NAME_LEN} bytes and its info {MAX_INFO_LEN}")));
        }
        if self.height == 0 || self.height > i64::MAX as u64 {
            return Err(UpgradeError::InvalidPlan.with("the plan's height must be positive"));
        }
        Ok(())
    }

    #[allow(deprecated)]
    pub fn from_proto(p: &proto::Plan) -> Result<Self, Error> {
        if p.time.is_some() {
            return Err(UpgradeError::InvalidPlan.with("time-based upgrades are not supported: give a height"));
        }
        if p.upgraded_client_state.is_some() {
            return Err(UpgradeError::InvalidPlan.with("upgraded_client_state is deprecated: leave it empty"));
        }
        if p.height <= 0 {
            return Err(UpgradeError::InvalidPlan.with("the plan's height must be positive"));
        }
        Ok(Plan { name: p.name.clone(), height: p.height as u64, info: p.info.clone() })
    }

    #[allow(deprecated)]
    pub fn to_proto(&self) -> proto::Plan {
        proto::Plan {
            name: self.name.clone(),
            time: None,
            height: self.height as i64,
            info: self.info.clone(),
            upgraded_client_state: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UpgradeMsg {
    SoftwareUpgrade { authority: Address, plan: Plan },
    CancelUpgrade { authority: Address },
}

impl UpgradeMsg {
    pub fn type_urls() -> Vec<String> {
        vec![type_url::<proto::MsgSoftwareUpgrade>(), type_url::<proto::MsgCancelUpgrade>()]
    }

    pub fn decode(any: &Any) -> Result<Self, Error> {
        let u = any.type_url.as_str();
        if is_type::<proto::MsgSoftwareUpgrade>(u) {
            let m = decode_any::<proto::MsgSoftwareUpgrade>(any)?;
            let plan = m.plan.ok_or_else(|| UpgradeError::InvalidPlan.with("the plan is missing"))?;
            return Ok(UpgradeMsg::SoftwareUpgrade {
                authority: Address::parse("authority", &m.authority)?,
                plan: Plan::from_proto(&plan)?,
            });
        }
        if is_type::<proto::MsgCancelUpgrade>(u) {
            let m = decode_any::<proto::MsgCancelUpgrade>(any)?;
            return Ok(UpgradeMsg::CancelUpgrade { authority: Address::parse("authority", &m.authority)? });
        }
        Err(Error::sdk(SdkCode::UnknownRequest, format!("the upgrade module does not handle {u}")))
    }

    pub fn to_any(&self) -> Any {
        match self {
            UpgradeMsg::SoftwareUpgrade { authority, plan } => salus_proto::to_any(&proto::MsgSoftwareUpgrade {
                authority: authority.to_string(),
                plan: Some(plan.to_proto()),
            }),
            UpgradeMsg::CancelUpgrade { authority } => {
                salus_proto::to_any(&proto::MsgCancelUpgrade { authority: authority.to_string() })
            }
        }
    }
}

impl Msg for UpgradeMsg {
    fn type_url(&self) -> String {
        match self {
            UpgradeMsg::SoftwareUpgrade { .. } => type_url::<proto::MsgSoftwareUpgrade>(),
            UpgradeMsg::CancelUpgrade { .. } => type_url::<proto::MsgCancelUpgrade>(),
        }
    }

    fn validate_basic(&self) -> Result<(), Error> {
        match self {
            UpgradeMsg::SoftwareUpgrade { plan, .. } => plan.validate(),
            UpgradeMsg::CancelUpgrade { .. } => Ok(()),
        }
    }

    fn signers(&self) -> Vec<Address> {
        vec![self.authority_address()]
    }

    fn authority(&self) -> Option<Address> {
        Some(self.authority_address())
    }
}

impl UpgradeMsg {
    fn authority_address(&self) -> Address {
        match self {
            UpgradeMsg::SoftwareUpgrade { authority, .. } | UpgradeMsg::CancelUpgrade { authority } => *authority,
        }
    }
}
