//! Token parameters; changed only through governance.

use borsh::{BorshDeserialize, BorshSerialize};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, BorshSerialize, BorshDeserialize)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// Whether transfers are enabled at all (a chain may start with them off).
    pub send_enabled: bool,
}

impl Default for Params {
    fn default() -> Self {
        Self { send_enabled: true }
    }
}
