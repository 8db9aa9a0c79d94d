//! Consent errors: codespace `consent`, stable codes. The message names the field or the fix.

use crate::NAME;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum ConsentError {
    /// A consent's terms break a rule of docs/consent.md (a code outside its vocabulary, a
    /// provision that is no exception to its parent, an empty actor, a period that ends first).
    InvalidConsent = 2,
    /// More provisions, nesting, list entries or consents than the params allow.
    TooLarge = 3,
    NotFound = 4,
    /// Only the grantor changes a consent; only an organization changes the roles it gave.
    Unauthorized = 5,
    /// The message names a version other than the consent's current one.
    WrongVersion = 6,
    /// The consent was revoked: it never changes again.
    Revoked = 7,
    /// The grantor is neither the subject nor a controller of the subject's DID.
    NotAGrantor = 8,
    InvalidRole = 9,
    InvalidRequest = 10,
    InvalidParams = 11,
    InvalidGenesis = 12,
}

salus_sdk::error_codes!(ConsentError, NAME);
