//! The host's past headers, as IBC needs them: what a counterparty's light client of this chain
//! stored as its consensus state at a height (ibc-go reads x/staking's HistoricalInfo for this).
//! Kept `historical_entries` deep, in the store, so a restarted node still answers old heights.

use salus_sdk::{Error, StateRead};

use crate::state::StakingRead;
use crate::types::Time;

/// A past block's header, as far as a light client of this chain commits to it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostHeader {
    pub height: u64,
    pub time: Time,
    /// The state after the previous block: what proofs queried at `height - 1` verify against.
    pub app_hash: Vec<u8>,
    pub next_validators_hash: Vec<u8>,
}

pub trait HostHistory: StateRead {
    /// The header of a block `historical_entries` deep or less; `None` if it is pruned or not
    /// reached.
    fn host_header(&self, height: u64) -> Result<Option<HostHeader>, Error> {
        Ok(self.historical(height)?.map(|h| HostHeader {
            height: h.height,
            time: h.time,
            app_hash: h.app_hash,
            next_validators_hash: h.next_validators_hash,
        }))
    }
}

impl<S: StateRead + ?Sized> HostHistory for S {}
