//! The `did:salus` method's syntax: `did:salus:<id>`, where `<id>` is the base58btc encoding of
//! the first 16 bytes of SHA-256 over the multicodec-prefixed public key that created the DID.
//! Nobody can create the DID of a key they do not hold.

use std::fmt;

use borsh::{BorshDeserialize, BorshSerialize};
use salus_sdk::Error;

use crate::crypto::PublicKey;
use crate::error::DidError;

pub const METHOD_PREFIX: &str = "did:salus:";
/// Bytes of the key fingerprint that make the id.
pub const ID_BYTES: usize = 16;
const MAX_FRAGMENT_CHARS: usize = 64;

/// A syntactically valid `did:salus` DID.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, BorshSerialize, BorshDeserialize)]
pub struct Did(String);

impl Did {
    /// The DID that `key` creates.
    pub fn from_key(key: &PublicKey) -> Self {
        let id = bs58::encode(&key.fingerprint()[..ID_BYTES]).into_string();
        Did(format!("{METHOD_PREFIX}{id}"))
    }

    /// Parses a DID; `field` names where it came from in the error.
    pub fn parse(field: &str, s: &str) -> Result<Self, Error> {
        let bad = |why: &str| {
            DidError::InvalidDid
                .with(format!("{field}: `{s}` is not a did:salus DID: {why} (e.g. did:salus:<22 base58 characters>)"))
        };
        let id = s.strip_prefix(METHOD_PREFIX).ok_or_else(|| bad("it must start with did:salus:"))?;
        let bytes = bs58::decode(id).into_vec().map_err(|_| bad("the id must be base58btc"))?;
        if bytes.len() != ID_BYTES {
            return Err(bad("the id must encode 16 bytes"));
        }
        if bs58::encode(&bytes).into_string() != id {
            return Err(bad("the id is not in canonical base58btc form"));
        }
        Ok(Did(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `<did>#<fragment>`.
    pub fn url(&self, fragment: &str) -> String {
        format!("{}#{fragment}", self.0)
    }
}

impl fmt::Display for Did {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A DID URL with a fragment, the form verification method and service ids take.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DidUrl {
    pub did: Did,
    pub fragment: String,
}

impl DidUrl {
    pub fn parse(field: &str, s: &str) -> Result<Self, Error> {
        let (did, fragment) = s.split_once('#').ok_or_else(|| {
            DidError::InvalidDid
                .with(format!("{field}: `{s}` must be a DID URL with a fragment, e.g. did:salus:...#key-1"))
        })?;
        let did = Did::parse(field, did)?;
        check_fragment(field, fragment)?;
        Ok(DidUrl { did, fragment: fragment.to_string() })
    }
}

impl fmt::Display for DidUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}#{}", self.did, self.fragment)
    }
}

/// Fragments are 1-64 unreserved characters (RFC 3986: letters, digits, `-._~`).
pub fn check_fragment(field: &str, fragment: &str) -> Result<(), Error> {
    let ok = !fragment.is_empty()
        && fragment.len() <= MAX_FRAGMENT_CHARS
        && fragment.chars().all(|c| c.is_ascii_alphanumeric() || "-._~".contains(c));
    if !ok {
        return Err(DidError::InvalidDid.with(format!(
            "{field}: fragment `{fragment}` must be 1-{MAX_FRAGMENT_CHARS} letters, digits, '-', '.', '_' or '~'"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_derives_one_did_that_parses_back() {
        let key = PublicKey::Ed25519(ed25519_consensus::SigningKey::from([1; 32]).verification_key().to_bytes());
        let did = Did::from_key(&key);
        assert!(did.as_str().starts_with("did:salus:"));
        assert_eq!(Did::parse("id", did.as_str()).unwrap(), did);
        let other = PublicKey::Ed25519(ed25519_consensus::SigningKey::from([2; 32]).verification_key().to_bytes());
        assert_ne!(Did::from_key(&other), did);
    }

    #[test]
    fn malformed_dids_name_the_field_and_the_rule() {
        for (s, why) in [
            ("did:web:example.com", "did:salus:"),
            ("did:salus:0OIl", "base58btc"),
            ("did:salus:abc", "16 bytes"),
            ("did:salus:", "16 bytes"),
        ] {
            let e = Did::parse("controller[0]", s).unwrap_err();
            assert_eq!(e.code, DidError::InvalidDid as u32);
            assert!(e.message.contains("controller[0]") && e.message.contains(why), "{s}: {}", e.message);
        }
        let did = Did::from_key(&PublicKey::X25519([0; 32]));
        assert!(DidUrl::parse("id", did.as_str()).unwrap_err().message.contains("fragment"));
        assert!(DidUrl::parse("id", &did.url("a b")).is_err());
        assert_eq!(DidUrl::parse("id", &did.url("key-1")).unwrap().fragment, "key-1");
    }
}
