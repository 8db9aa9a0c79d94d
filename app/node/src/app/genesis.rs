//! The `app_state` of genesis.json: one section per module, loaded in a fixed order, then the
//! gentxs that make the first validators.

use base64::Engine;
use salus_sdk::{Error, SdkCode, StateWrite};
use serde::{Deserialize, Serialize};

use super::params::{module_accounts, AuthParams};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppGenesis {
    /// The tx pipeline's consensus limits.
    #[serde(default)]
    pub auth: AuthGenesis,
    #[serde(default)]
    pub token: salus_token::Genesis,
    #[serde(default)]
    pub did: salus_did::Genesis,
    #[serde(default)]
    pub staking: salus_staking::genesis::StakingGenesis,
    #[serde(default)]
    pub slashing: salus_staking::genesis::SlashingGenesis,
    #[serde(default)]
    pub distribution: salus_staking::genesis::DistributionGenesis,
    #[serde(default)]
    pub genutil: GenUtil,
}

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

    pub fn validate(&self) -> Result<(), Error> {
        self.auth.params.validate()?;
        self.token.validate()?;
        self.did.validate()?;
        salus_staking::genesis::validate(&self.staking, &self.slashing, &self.distribution)?;
        self.genutil.decoded().map(|_| ())
    }

    /// Writes every module's genesis, in the one order that all validators use. Gentxs run after.
    pub fn init(&self, state: &mut impl StateWrite) -> Result<(), Error> {
        self.validate()?;
        self.token.init(state, &module_accounts())?;
        self.did.init(state)?;
        salus_staking::genesis::init(state, &self.staking, &self.slashing, &self.distribution)?;
        Ok(())
    }
}
