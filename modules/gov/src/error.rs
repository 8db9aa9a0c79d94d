//! Governance errors: codespace `gov`, with Cosmos x/gov's codes (v0.50) where it has one.

use crate::NAME;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum GovError {
    UnknownProposal = 2,
    InactiveProposal = 3,
    InvalidProposalContent = 5,
    InvalidProposalType = 6,
    InvalidVote = 7,
    InvalidGenesis = 8,
    UnroutableProposalMsg = 10,
    InvalidProposalMsg = 12,
    /// A proposal's message is signed by someone other than the governance account.
    InvalidSigner = 13,
    MetadataTooLong = 15,
    MinDepositTooSmall = 16,
    InvalidProposer = 18,
    VotingPeriodEnded = 20,
    InvalidProposal = 21,
    SummaryTooLong = 22,
    InvalidDepositDenom = 23,
    /// Not in Cosmos: a proposal's message names no authority (it is a user's message).
    NoAuthority = 100,
    /// Not in Cosmos: more messages than one proposal may carry.
    TooManyMessages = 101,
}

salus_sdk::error_codes!(GovError, NAME);
