//! How state keys map to substores and to RocksDB keys.
//!
//! The `values` column family holds every version of every key:
//! `substore byte || escape(key) || 0x00 0x00 || !version (big-endian)`.
//! Escaping (0x00 -> 0x00 0xFF) keeps byte order and makes all versions of one key contiguous and
//! sorted newest first, so a point read at any version is one seek and a prefix scan at any
//! version is one forward walk.

/// Keys under this prefix live in the ibc substore (without the prefix).
pub const IBC_PREFIX: &[u8] = b"ibc/";
/// The main-tree key that holds the ibc substore's root.
pub const IBC_ROOT_KEY: &[u8] = b"ibc";

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Substore {
    Main,
    Ibc,
}

impl Substore {
    pub const ALL: [Substore; 2] = [Substore::Main, Substore::Ibc];

    pub(crate) fn byte(self) -> u8 {
        match self {
            Substore::Main => 0,
            Substore::Ibc => 1,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Substore::Main => "main",
            Substore::Ibc => "ibc",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "main" => Some(Substore::Main),
            "ibc" => Some(Substore::Ibc),
            _ => None,
        }
    }
}

/// Which substore a full state key belongs to, and the key inside it.
pub fn route(key: &[u8]) -> (Substore, &[u8]) {
    match key.strip_prefix(IBC_PREFIX) {
        Some(rest) => (Substore::Ibc, rest),
        None => (Substore::Main, key),
    }
}

pub(crate) fn escape_into(out: &mut Vec<u8>, key: &[u8]) {
    for &b in key {
        out.push(b);
        if b == 0 {
            out.push(0xFF);
        }
    }
}

/// The RocksDB key prefix shared by every version of `key`, terminator included.
pub(crate) fn value_key_head(sub: Substore, key: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(key.len() + 11);
    out.push(sub.byte());
    escape_into(&mut out, key);
    out.extend_from_slice(&[0, 0]);
    out
}

pub(crate) fn value_key(sub: Substore, key: &[u8], version: u64) -> Vec<u8> {
    let mut out = value_key_head(sub, key);
    out.extend_from_slice(&(!version).to_be_bytes());
    out
}

/// The RocksDB key prefix under which all keys starting with `prefix` lie.
pub(crate) fn value_scan_prefix(sub: Substore, prefix: &[u8]) -> Vec<u8> {
    let mut out = vec![sub.byte()];
    escape_into(&mut out, prefix);
    out
}

/// Splits a `values` RocksDB key into (key, version). `None` if it is not one.
pub(crate) fn decode_value_key(raw: &[u8]) -> Option<(Vec<u8>, u64)> {
    let body = raw.get(1..raw.len().checked_sub(8)?)?;
    let version = !u64::from_be_bytes(raw[raw.len() - 8..].try_into().ok()?);
    let mut key = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        let b = body[i];
        if b == 0 {
            match body.get(i + 1)? {
                0xFF => key.push(0),
                0x00 if i + 2 == body.len() => return Some((key, version)),
                _ => return None,
            }
            i += 2;
        } else {
            key.push(b);
            i += 1;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ibc_keys_route_to_the_substore() {
        assert_eq!(route(b"ibc/clients/07-tendermint-0"), (Substore::Ibc, &b"clients/07-tendermint-0"[..]));
        assert_eq!(route(b"token/balance"), (Substore::Main, &b"token/balance"[..]));
        assert_eq!(route(b"ibc"), (Substore::Main, &b"ibc"[..]));
    }

    #[test]
    fn value_keys_round_trip_with_zero_bytes() {
        for key in [&b""[..], b"a", b"\x00", b"a\x00b\x00\x00", b"\xff\x00"] {
            for version in [0, 1, 7, u64::MAX] {
                let raw = value_key(Substore::Ibc, key, version);
                assert_eq!(decode_value_key(&raw), Some((key.to_vec(), version)));
            }
        }
    }

    #[test]
    fn byte_order_is_key_order_then_newest_version_first() {
        let mut entries = vec![
            (b"ab".to_vec(), 1),
            (b"ab".to_vec(), 9),
            (b"ab\x00".to_vec(), 3),
            (b"a".to_vec(), 5),
            (b"ab\xff\xff\xff\xff".to_vec(), 2),
            (b"b".to_vec(), 1),
        ];
        let mut raws: Vec<Vec<u8>> = entries.iter().map(|(k, v)| value_key(Substore::Main, k, *v)).collect();
        raws.sort();
        let decoded: Vec<_> = raws.iter().map(|r| decode_value_key(r).unwrap()).collect();
        entries.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
        assert_eq!(decoded, entries);
    }

    #[test]
    fn scan_prefix_covers_exactly_the_keys_with_that_prefix() {
        let p = value_scan_prefix(Substore::Main, b"ab\x00");
        assert!(value_key(Substore::Main, b"ab\x00", 1).starts_with(&p));
        assert!(value_key(Substore::Main, b"ab\x00zz", 1).starts_with(&p));
        assert!(!value_key(Substore::Main, b"ab", 1).starts_with(&p));
        assert!(!value_key(Substore::Ibc, b"ab\x00", 1).starts_with(&p));
    }
}
