//! IBC errors: codespace `ibc`, one stable code per IBC layer, the message naming what failed.

use ibc::core::handler::types::error::HandlerError;

use crate::NAME;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum IbcError {
    /// An IBC message that does not decode, or one Salus does not route yet.
    InvalidMsg = 2,
    /// ICS-02: a client could not be created, updated, upgraded or frozen.
    Client = 3,
    /// ICS-03: a connection handshake step failed.
    Connection = 4,
    /// ICS-04: a channel or packet step failed.
    Channel = 5,
    /// ICS-26: no module is bound to the port.
    Router = 6,
    /// A query that names something malformed or absent.
    InvalidQuery = 7,
}

salus_sdk::error_codes!(IbcError, NAME);

impl IbcError {
    pub fn of(e: &HandlerError) -> salus_sdk::Error {
        let code = match e {
            HandlerError::Client(_) => IbcError::Client,
            HandlerError::Connection(_) => IbcError::Connection,
            HandlerError::Channel(_) => IbcError::Channel,
            HandlerError::Router(_) => IbcError::Router,
        };
        code.with(e.to_string())
    }
}
