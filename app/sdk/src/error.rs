//! Errors a transaction or query can end in: a codespace, a stable code and a message that tells
//! the user what to fix.

use std::fmt;

/// The codes of the `sdk` codespace. They keep Cosmos SDK's numbers, which wallets and relayers
/// (Hermes parses code 32) depend on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum SdkCode {
    Internal = 1,
    TxDecode = 2,
    Unauthorized = 4,
    InsufficientFunds = 5,
    UnknownRequest = 6,
    InvalidAddress = 7,
    InvalidPubKey = 8,
    UnknownAddress = 9,
    InvalidCoins = 10,
    OutOfGas = 11,
    MemoTooLarge = 12,
    InsufficientFee = 13,
    TooManySignatures = 14,
    NoSignatures = 15,
    InvalidRequest = 18,
    TxInMempoolCache = 19,
    MempoolIsFull = 20,
    TxTooLarge = 21,
    KeyNotFound = 22,
    InvalidChainId = 28,
    InvalidType = 29,
    TxTimeoutHeight = 30,
    UnknownExtensionOptions = 31,
    WrongSequence = 32,
    NotSupported = 37,
    InvalidGasLimit = 41,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    pub codespace: &'static str,
    pub code: u32,
    pub message: String,
}

impl Error {
    pub fn new(codespace: &'static str, code: u32, message: impl Into<String>) -> Self {
        Self { codespace, code, message: message.into() }
    }

    pub fn sdk(code: SdkCode, message: impl Into<String>) -> Self {
        Self::new("sdk", code as u32, message)
    }

    /// A failure of the node itself (storage I/O), not of the input.
    pub fn internal(err: impl fmt::Display) -> Self {
        Self::sdk(SdkCode::Internal, format!("internal error: {err}"))
    }

    pub fn is(&self, code: SdkCode) -> bool {
        self.codespace == "sdk" && self.code == code as u32
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (codespace {}, code {})", self.message, self.codespace, self.code)
    }
}

impl std::error::Error for Error {}

/// Gives a module's error enum (`#[repr(u32)]`, its stable codes) a `with(message)` that makes
/// an [`Error`] in the module's codespace.
#[macro_export]
macro_rules! error_codes {
    ($enum:ty, $codespace:expr) => {
        impl $enum {
            pub fn with(self, message: impl Into<String>) -> $crate::Error {
                $crate::Error::new($codespace, self as u32, message)
            }
        }
    };
}
