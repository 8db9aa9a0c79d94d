//! What a state transition may know about its surroundings, and the message contract.

use crate::address::Address;
use crate::error::Error;

/// The block being executed. Time is the header's, never the wall clock.
#[derive(Clone, Debug)]
pub struct BlockCtx {
    pub chain_id: String,
    pub height: u64,
    /// Block time, seconds since the Unix epoch.
    pub time_secs: i64,
    pub time_nanos: u32,
    /// What the block's header commits to besides its time: empty outside FinalizeBlock (CheckTx,
    /// queries and genesis know no header).
    pub header: HeaderHashes,
}

/// The hashes of the block's header that IBC's light clients verify against: a counterparty's
/// client of this chain stores them as this chain's consensus state at the block's height.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HeaderHashes {
    /// The app hash the header carries: the state after the previous block.
    pub app_hash: Vec<u8>,
    /// The hash of the validator set that signs the next block.
    pub next_validators_hash: Vec<u8>,
}

/// A module message as a domain type.
pub trait Msg {
    /// The protobuf type URL, used as `message.action`.
    fn type_url(&self) -> String;
    /// Checks that need no state.
    fn validate_basic(&self) -> Result<(), Error>;
    /// Who must sign. The tx pipeline checks these; handlers never do.
    fn signers(&self) -> Vec<Address>;
    /// The authority a governance-only message names (`MsgUpdateParams`' `authority`);
    /// `None` for a user's message. Governance proposes only messages whose authority is its own.
    fn authority(&self) -> Option<Address> {
        None
    }
}
