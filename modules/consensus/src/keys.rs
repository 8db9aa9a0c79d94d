//! Typed state keys of the consensus module.

/// CometBFT's consensus params as the chain last set them (InitChain or an update).
pub const PARAMS: &[u8] = b"consensus/params";
/// Params a passed proposal set in this block, for FinalizeBlock to hand to CometBFT.
pub const PENDING: &[u8] = b"consensus/pending";
