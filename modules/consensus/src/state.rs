//! CometBFT's params as the chain keeps them, and an update waiting for FinalizeBlock.

use salus_sdk::{Error, StateRead, StateReadExt, StateWrite, StateWriteExt};

use crate::keys;
use crate::params::CometParams;

pub trait ConsensusRead: StateRead {
    /// The params CometBFT runs with (the defaults before genesis).
    fn comet_params(&self) -> Result<CometParams, Error> {
        Ok(self.get(keys::PARAMS)?.unwrap_or_default())
    }

    fn pending_comet_params(&self) -> Result<Option<CometParams>, Error> {
        self.get(keys::PENDING)
    }
}

impl<S: StateRead + ?Sized> ConsensusRead for S {}

/// What InitChain and FinalizeBlock do with the params.
pub trait ConsensusWrite: StateWrite {
    /// InitChain: the params CometBFT's genesis gave.
    fn set_comet_params(&mut self, params: &CometParams) -> Result<(), Error> {
        self.put(keys::PARAMS.to_vec(), params)
    }

    /// A proposal's update, for the end of this block.
    fn set_pending_comet_params(&mut self, params: &CometParams) -> Result<(), Error> {
        self.put(keys::PENDING.to_vec(), params)
    }

    /// FinalizeBlock: the update this block made, if any, now the chain's params.
    fn take_pending(&mut self) -> Result<Option<CometParams>, Error> {
        let Some(params) = self.pending_comet_params()? else { return Ok(None) };
        self.delete_raw(keys::PENDING.to_vec())?;
        self.set_comet_params(&params)?;
        Ok(Some(params))
    }
}

impl<S: StateWrite + ?Sized> ConsensusWrite for S {}
