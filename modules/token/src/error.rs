//! Token errors: codespace `token`, stable codes.

use salus_sdk::{Error, SdkCode};

use crate::NAME;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum TokenError {
    NoInputs = 2,
    NoOutputs = 3,
    InputOutputMismatch = 4,
    SendDisabled = 5,
    BlockedRecipient = 6,
    InvalidMetadata = 7,
    DuplicateGenesis = 8,
    SupplyMismatch = 9,
    MultipleInputs = 10,
    TooManyOutputs = 11,
    TooManyDenoms = 12,
    /// A module minted into or burned from a module account without the permission.
    NoPermission = 13,
}

salus_sdk::error_codes!(TokenError, NAME);

/// Not enough of a denom: the standard Cosmos code 5, with what is held and what was asked.
pub fn insufficient_funds(addr: &salus_sdk::Address, have: u128, need: u128, denom: &str) -> Error {
    Error::sdk(SdkCode::InsufficientFunds, format!("insufficient funds: {addr} has {have}{denom}, needs {need}{denom}"))
}
