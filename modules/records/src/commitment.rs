//! Keyed commitments of codes that must not be readable on chain (a record's category, a
//! sensitivity label, a consent's data class): HMAC-SHA256 under the subject's commitment key of
//! the code's system and value. Whoever holds the key (the patient, and those it shares the key
//! with: its custodians and the services that ask for access) computes the same commitment for
//! the same code; the chain compares commitments and never sees a code.

use borsh::{BorshDeserialize, BorshSerialize};
use hmac::{Hmac, Mac};
use salus_sdk::Error;
use sha2::Sha256;

use crate::error::RecordsError;

/// Domain separation: a commitment can never equal another HMAC made with the same key.
const DOMAIN: &[u8] = b"salus/code-commitment/v1\0";

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, BorshSerialize, BorshDeserialize)]
pub struct Commitment(pub [u8; 32]);

/// A subject's commitment key: 32 secret bytes, kept off chain.
#[derive(Clone)]
pub struct CommitmentKey(pub [u8; 32]);

impl CommitmentKey {
    /// 64 hex digits (what `--commitment-key <file>` holds), surrounding whitespace ignored.
    pub fn from_hex(s: &str) -> Result<Self, String> {
        let bytes = hex::decode(s.trim()).map_err(|e| format!("the commitment key is not hex: {e}"))?;
        let key: [u8; 32] =
            bytes.try_into().map_err(|_| "the commitment key must be 32 bytes (64 hex digits)".to_string())?;
        Ok(CommitmentKey(key))
    }

    /// The commitment of `code` in `system`.
    pub fn commit(&self, system: &str, code: &str) -> Commitment {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(DOMAIN);
        mac.update(system.as_bytes());
        mac.update(b"|");
        mac.update(code.as_bytes());
        Commitment(mac.finalize().into_bytes().into())
    }
}

impl Commitment {
    /// From wire bytes: exactly 32.
    pub fn from_bytes(field: &str, bytes: &[u8]) -> Result<Self, Error> {
        let c: [u8; 32] = bytes.try_into().map_err(|_| {
            RecordsError::InvalidCommitment.with(format!(
                "{field}: a commitment is 32 bytes (HMAC-SHA256), not {}: commit codes with the subject's commitment key, never send a code",
                bytes.len()
            ))
        })?;
        Ok(Commitment(c))
    }

    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_code_commits_the_same_under_one_key_and_differently_under_another() {
        let a = CommitmentKey([1; 32]);
        let b = CommitmentKey([2; 32]);
        let hiv = a.commit("http://loinc.org", "75622-1");
        assert_eq!(hiv, a.commit("http://loinc.org", "75622-1"));
        assert_ne!(hiv, b.commit("http://loinc.org", "75622-1"));
        assert_ne!(hiv, a.commit("http://loinc.org", "75622-2"));
        // The separator keeps system and code apart.
        assert_ne!(a.commit("ab", "c"), a.commit("a", "bc"));
        assert!(!hiv.to_hex().contains("75622"));
    }

    #[test]
    fn keys_and_commitments_of_the_wrong_length_are_refused() {
        assert!(CommitmentKey::from_hex("00").is_err());
        assert!(CommitmentKey::from_hex(&"ab".repeat(32)).is_ok());
        assert!(Commitment::from_bytes("c", &[0; 31]).is_err());
    }
}
