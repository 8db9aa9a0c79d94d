//! Typed state keys of the DID module. A DID never contains `/`, and versions are big-endian, so
//! `version/<did>/` holds one DID's versions together and in numeric order.

use crate::method::Did;

pub const PARAMS: &[u8] = b"did/params";
pub const META_PREFIX: &[u8] = b"did/meta/";
pub const VERSION_PREFIX: &[u8] = b"did/version/";
pub const NONCE_PREFIX: &[u8] = b"did/nonce/";

pub fn meta(did: &Did) -> Vec<u8> {
    [META_PREFIX, did.as_str().as_bytes()].concat()
}

/// The DID's next action nonce (`u64`), absent until its first action.
pub fn nonce(did: &Did) -> Vec<u8> {
    [NONCE_PREFIX, did.as_str().as_bytes()].concat()
}

pub fn versions_of(did: &Did) -> Vec<u8> {
    [VERSION_PREFIX, did.as_str().as_bytes(), b"/"].concat()
}

pub fn version(did: &Did, version: u64) -> Vec<u8> {
    [versions_of(did), version.to_be_bytes().to_vec()].concat()
}

/// The version number at the end of a [`version`] key.
pub fn parse_version(key: &[u8]) -> Option<u64> {
    let tail: [u8; 8] = key.get(key.len().checked_sub(8)?..)?.try_into().ok()?;
    Some(u64::from_be_bytes(tail))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::PublicKey;

    #[test]
    fn versions_sort_numerically_and_stay_under_their_did() {
        let a = Did::from_key(&PublicKey::X25519([1; 32]));
        let b = Did::from_key(&PublicKey::X25519([2; 32]));
        let mut keys = vec![version(&a, 256), version(&a, 2), version(&a, 1)];
        keys.sort();
        assert_eq!(keys, vec![version(&a, 1), version(&a, 2), version(&a, 256)]);
        assert!(keys.iter().all(|k| k.starts_with(&versions_of(&a)) && !k.starts_with(&versions_of(&b))));
        assert_eq!(parse_version(&version(&a, 256)), Some(256));
        assert!(!meta(&a).starts_with(VERSION_PREFIX));
    }
}
