//! DID errors: codespace `did`, stable codes. The message names the field or the fix.

use crate::NAME;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum DidError {
    /// The string is not a `did:salus` DID or DID URL.
    InvalidDid = 2,
    /// The document breaks DID Core or this method's rules.
    InvalidDocument = 3,
    /// A DID with this id exists (or existed: deactivated DIDs are never recreated).
    AlreadyExists = 4,
    NotFound = 5,
    Deactivated = 6,
    /// The message names a version other than the DID's current one.
    WrongVersion = 7,
    /// The proof's signature does not verify over the operation's sign bytes.
    InvalidProof = 8,
    /// The proof's verification method may not authorise this operation.
    Unauthorized = 9,
    /// The proof names a verification method that the document does not (or no longer) list.
    UnknownVerificationMethod = 10,
    /// The DID is not the one its creating key derives: a DID cannot be squatted.
    IdNotDerivedFromKey = 11,
    /// A controller DID does not exist on this chain or is deactivated.
    ControllerNotFound = 12,
    UnsupportedKeyType = 13,
    DocumentTooLarge = 14,
    InvalidParams = 15,
    /// An actor proof's nonce is not the DID's next action nonce (replayed or out of order).
    WrongNonce = 16,
}

salus_sdk::error_codes!(DidError, NAME);
