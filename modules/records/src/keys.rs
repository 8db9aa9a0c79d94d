//! Typed state keys of the records module. Ids and versions are big-endian, so a record's
//! versions sort numerically under `version/<id>/`, and an owner's (a custodian's) records by id
//! under `by_owner/<did>/` (`by_custodian/<did>/`). A DID never contains `/`.

use salus_did::Did;

pub const PARAMS: &[u8] = b"records/params";
/// The id the next anchored record gets (`u64`, from 1).
pub const NEXT_ID: &[u8] = b"records/next_id";
pub const RECORD_PREFIX: &[u8] = b"records/record/";
pub const VERSION_PREFIX: &[u8] = b"records/version/";
pub const BY_OWNER_PREFIX: &[u8] = b"records/by_owner/";
pub const BY_CUSTODIAN_PREFIX: &[u8] = b"records/by_custodian/";

pub fn record(id: u64) -> Vec<u8> {
    [RECORD_PREFIX, &id.to_be_bytes()].concat()
}

pub fn versions_of(id: u64) -> Vec<u8> {
    [VERSION_PREFIX, &id.to_be_bytes(), b"/"].concat()
}

pub fn version(id: u64, version: u64) -> Vec<u8> {
    [versions_of(id), version.to_be_bytes().to_vec()].concat()
}

pub fn by_owner_of(owner: &Did) -> Vec<u8> {
    [BY_OWNER_PREFIX, owner.as_str().as_bytes(), b"/"].concat()
}

pub fn by_owner(owner: &Did, id: u64) -> Vec<u8> {
    [by_owner_of(owner), id.to_be_bytes().to_vec()].concat()
}

pub fn by_custodian_of(custodian: &Did) -> Vec<u8> {
    [BY_CUSTODIAN_PREFIX, custodian.as_str().as_bytes(), b"/"].concat()
}

pub fn by_custodian(custodian: &Did, id: u64) -> Vec<u8> {
    [by_custodian_of(custodian), id.to_be_bytes().to_vec()].concat()
}

/// The big-endian number at the end of a key (a version, or an index entry's record id).
pub fn parse_tail(key: &[u8]) -> Option<u64> {
    let tail: [u8; 8] = key.get(key.len().checked_sub(8)?..)?.try_into().ok()?;
    Some(u64::from_be_bytes(tail))
}

#[cfg(test)]
mod tests {
    use super::*;
    use salus_did::PublicKey;

    #[test]
    fn versions_and_index_entries_sort_numerically_and_stay_under_their_prefix() {
        let mut keys = vec![version(1, 256), version(1, 2), version(1, 1)];
        keys.sort();
        assert_eq!(keys, vec![version(1, 1), version(1, 2), version(1, 256)]);
        assert!(keys.iter().all(|k| k.starts_with(&versions_of(1)) && !k.starts_with(&versions_of(2))));
        assert_eq!(parse_tail(&version(7, 256)), Some(256));
        let a = Did::from_key(&PublicKey::X25519([1; 32]));
        let b = Did::from_key(&PublicKey::X25519([2; 32]));
        assert_eq!(parse_tail(&by_owner(&a, 300)), Some(300));
        assert!(by_owner(&a, 1).starts_with(&by_owner_of(&a)) && !by_owner(&b, 1).starts_with(&by_owner_of(&a)));
        assert!(!record(1).starts_with(VERSION_PREFIX) && !NEXT_ID.starts_with(RECORD_PREFIX));
        assert!(record(1) < record(256));
    }
}
