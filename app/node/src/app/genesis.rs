//! The `app_state` of genesis.json: one section per module, loaded in a fixed order.

use salus_sdk::{Error, SdkCode, StateWrite};
use serde::{Deserialize, Serialize};

use super::params::module_accounts;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppGenesis {
    #[serde(default)]
    pub token: salus_token::Genesis,
    #[serde(default)]
    pub did: salus_did::Genesis,
}

impl AppGenesis {
    pub fn from_json(bytes: &[u8]) -> Result<Self, Error> {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Self::default());
        }
        serde_json::from_slice(bytes)
            .map_err(|e| Error::sdk(SdkCode::InvalidRequest, format!("genesis app_state does not parse: {e}")))
    }

    pub fn validate(&self) -> Result<(), Error> {
        self.token.validate()?;
        self.did.validate()
    }

    /// Writes every module's genesis, in the one order that all validators use.
    pub fn init(&self, state: &mut impl StateWrite) -> Result<(), Error> {
        self.validate()?;
        self.token.init(state, &module_accounts())?;
        self.did.init(state)?;
        Ok(())
    }
}
