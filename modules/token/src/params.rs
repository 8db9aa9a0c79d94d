//! Token parameters; changed only through governance (`salus.token.v1.MsgUpdateParams`).

use borsh::{BorshDeserialize, BorshSerialize};
use salus_proto::salus::token::v1 as pb;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, BorshSerialize, BorshDeserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Params {
    /// Whether transfers are enabled at all (a chain may start with them off).
    pub send_enabled: bool,
    /// The most outputs one MsgMultiSend may pay.
    pub max_multi_send_outputs: u32,
    /// The most denoms one coin list (an amount, an input or an output) may hold.
    pub max_denoms_per_transfer: u32,
}

impl Default for Params {
    fn default() -> Self {
        Self { send_enabled: true, max_multi_send_outputs: 1000, max_denoms_per_transfer: 64 }
    }
}

impl Params {
    pub fn validate(&self) -> Result<(), salus_sdk::Error> {
        if self.max_multi_send_outputs == 0 || self.max_denoms_per_transfer == 0 {
            return Err(salus_sdk::Error::sdk(
                salus_sdk::SdkCode::InvalidRequest,
                "token params: max_multi_send_outputs and max_denoms_per_transfer must be positive",
            ));
        }
        Ok(())
    }

    pub fn from_proto(p: &pb::Params) -> Self {
        Self {
            send_enabled: p.send_enabled,
            max_multi_send_outputs: p.max_multi_send_outputs,
            max_denoms_per_transfer: p.max_denoms_per_transfer,
        }
    }

    pub fn to_proto(&self) -> pb::Params {
        pb::Params {
            send_enabled: self.send_enabled,
            max_multi_send_outputs: self.max_multi_send_outputs,
            max_denoms_per_transfer: self.max_denoms_per_transfer,
        }
    }
}
