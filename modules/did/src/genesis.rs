//! The DID module's genesis: its params. DIDs themselves are created by transactions, each with
//! the proof of its key.

use salus_sdk::{Error, StateRead, StateWrite};
use serde::{Deserialize, Serialize};

use crate::params::Params;
use crate::state::{DidRead, DidWrite};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Genesis {
    #[serde(default)]
    pub params: Params,
}

impl Genesis {
    pub fn validate(&self) -> Result<(), Error> {
        self.params.validate()
    }

    pub fn init(&self, state: &mut impl StateWrite) -> Result<(), Error> {
        self.validate()?;
        state.set_did_params(&self.params)
    }

    pub fn export(state: &impl StateRead) -> Result<Self, Error> {
        Ok(Self { params: state.did_params()? })
    }
}
