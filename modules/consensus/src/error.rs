//! Consensus errors: codespace `consensus`, stable codes.

use crate::NAME;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum ConsensusError {
    /// Params CometBFT would refuse (and halt on): out of its bounds.
    InvalidParams = 2,
    /// A part of the params Salus does not support changing (vote extensions, key types).
    Unsupported = 3,
}

salus_sdk::error_codes!(ConsensusError, NAME);
