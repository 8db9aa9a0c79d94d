//! The node's own sections of genesis.json (`auth`, `genutil`); the module sections and the
//! struct that holds them all ([`AppGenesis`]) come from the module list (modules.rs).

use base64::Engine;
use salus_sdk::{Error, SdkCode};
use serde::{Deserialize, Serialize};

pub use super::modules::AppGenesis;
use super::params::AuthParams;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthGenesis {
    #[serde(default)]
    pub params: AuthParams,
}

/// Signed genesis transactions (`salusd genesis gentx`), collected by `salusd genesis collect-gentxs`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenUtil {
    /// Each a base64 `TxRaw` holding one `MsgCreateValidator`.
    #[serde(default)]
    pub gen_txs: Vec<String>,
}

impl GenUtil {
    pub fn decoded(&self) -> Result<Vec<Vec<u8>>, Error> {
        self.gen_txs
            .iter()
            .enumerate()
            .map(|(i, t)| {
                base64::engine::general_purpose::STANDARD.decode(t).map_err(|_| {
                    Error::sdk(
                        SdkCode::InvalidRequest,
                        format!("genutil.gen_txs[{i}] is not base64: re-run collect-gentxs"),
                    )
                })
            })
            .collect()
    }
}

impl AppGenesis {
    pub fn from_json(bytes: &[u8]) -> Result<Self, Error> {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Self::default());
        }
        serde_json::from_slice(bytes)
            .map_err(|e| Error::sdk(SdkCode::InvalidRequest, format!("genesis app_state does not parse: {e}")))
    }
}
