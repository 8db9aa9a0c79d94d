//! Records errors: codespace `records`, stable codes. The message names the field or the fix.

use crate::NAME;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum RecordsError {
    /// The content hash is not a CIDv1 (base32 `b...` or base58btc `z...`) or a multihash (hex,
    /// or base58btc `Qm...`/`z...`), is an identity multihash, or is too long.
    InvalidContentHash = 2,
    /// The locator is not a URI of printable ASCII without whitespace, carries credentials, or is
    /// too long.
    InvalidLocator = 3,
    /// The encryption metadata is missing, names an algorithm outside the list, or a bad key id.
    InvalidEncryption = 4,
    /// A commitment is not 32 bytes, or one repeats.
    InvalidCommitment = 5,
    /// A confidentiality code outside HL7 v3 Confidentiality (U, L, M, N, R, V), or one repeats.
    InvalidLabel = 6,
    /// More commitments than the params allow.
    TooManyCommitments = 7,
    /// The record's size is 0, or the content is missing.
    InvalidContent = 8,
    NotFound = 9,
    /// The acting DID is neither the record's owner nor its custodian.
    Unauthorized = 10,
    /// The message names a version other than the record's current one.
    WrongVersion = 11,
    /// The record was erased: it never changes again.
    Erased = 12,
    /// The record has `max_versions` versions: anchor a new record instead.
    TooManyVersions = 13,
    InvalidParams = 14,
    InvalidGenesis = 15,
    /// A query's request is malformed (id 0).
    InvalidRequest = 16,
}

salus_sdk::error_codes!(RecordsError, NAME);
