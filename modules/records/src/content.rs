//! The checks a record version's content passes, stateless, against the bounds in force: the
//! content hash names a ciphertext by digest (a CID or a multihash, never an identity hash that
//! would carry the bytes themselves), the locator is a URI that points off chain (no `data:`, no
//! credentials), the key id is a short token, and commitments and labels are well formed.
//! `validate_basic` checks against [`Params::CEILING`], the handler against the chain's params.

use salus_sdk::Error;

use crate::commitment::Commitment;
use crate::error::RecordsError;
use crate::labels::Confidentiality;
use crate::params::Params;
use crate::types::Content;

/// Shortest digest accepted (128 bits), and longest (512 bits).
const MIN_DIGEST: u64 = 16;
const MAX_DIGEST: u64 = 64;
/// The identity multihash: its "digest" is the content itself.
const IDENTITY: u64 = 0x00;
const SHA2_256: u64 = 0x12;

impl Content {
    /// Every check of one version's content against `params`.
    pub fn validate(&self, params: &Params) -> Result<(), Error> {
        check_content_hash("content.content_hash", &self.content_hash, params.max_content_hash_len)?;
        if self.size == 0 {
            return Err(RecordsError::InvalidContent.with("content.size is 0: give the ciphertext's size in bytes"));
        }
        check_locator("content.locator", &self.locator, params.max_locator_len)?;
        check_key_id("content.encryption.key_id", &self.encryption.key_id, params.max_text_len)?;
        check_commitments("content.category_commitments", &self.categories, params.max_commitments)?;
        check_commitments("content.sensitivity_commitments", &self.sensitivity, params.max_commitments)?;
        check_labels("content.confidentiality", &self.confidentiality)
    }
}

fn bad_hash(field: &str, why: &str) -> Error {
    RecordsError::InvalidContentHash.with(format!(
        "{field}: {why}; give the ciphertext's CIDv1 (base32 b... or base58btc z...) or multihash (hex such as 1220<64 hex>, or base58btc Qm...)"
    ))
}

/// A CIDv1 in base32 (`b...`) or base58btc (`z...`), a CIDv0 (`Qm...`), or a multihash in hex
/// or base58btc (`z...`), of at most `max` characters.
pub fn check_content_hash(field: &str, s: &str, max: u32) -> Result<(), Error> {
    if s.is_empty() {
        return Err(bad_hash(field, "it is empty"));
    }
    if s.len() > max as usize {
        return Err(bad_hash(field, &format!("it is {} characters, more than the {max} allowed", s.len())));
    }
    let mut why = "it is neither a CID nor a multihash";
    let mut attempt = |r: Result<(), &'static str>| match r {
        Ok(()) => true,
        Err(w) => {
            why = w;
            false
        }
    };
    let ok = (s.starts_with('b') && attempt(base32_lower(&s[1..]).and_then(|b| cid_v1(&b))))
        || (is_lower_hex(s) && attempt(hex::decode(s).map_err(|_| "it is not hex").and_then(|b| multihash(&b))))
        || (s.starts_with("Qm") && attempt(base58(s).and_then(|b| cid_v0(&b))))
        || (s.starts_with('z') && attempt(base58(&s[1..]).and_then(|b| cid_v1(&b).or_else(|_| multihash(&b)))));
    if ok {
        Ok(())
    } else {
        Err(bad_hash(field, why))
    }
}

fn is_lower_hex(s: &str) -> bool {
    s.len().is_multiple_of(2) && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

fn base58(s: &str) -> Result<Vec<u8>, &'static str> {
    bs58::decode(s).into_vec().map_err(|_| "it is not base58btc")
}

/// RFC 4648 base32, lowercase, without padding (multibase `b`).
fn base32_lower(s: &str) -> Result<Vec<u8>, &'static str> {
    let mut out = Vec::with_capacity(s.len() * 5 / 8);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.bytes() {
        let v = match c {
            b'a'..=b'z' => c - b'a',
            b'2'..=b'7' => c - b'2' + 26,
            _ => return Err("a base32 CID is lowercase a-z and 2-7"),
        };
        acc = (acc << 5) | u32::from(v);
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    if bits >= 5 || acc != 0 {
        return Err("it is not canonical base32");
    }
    Ok(out)
}

/// An unsigned varint (multiformats: at most 9 bytes, minimally encoded) and the rest.
fn varint(b: &[u8]) -> Result<(u64, &[u8]), &'static str> {
    let mut v = 0u64;
    for (i, byte) in b.iter().enumerate().take(9) {
        v |= u64::from(byte & 0x7f) << (7 * i);
        if byte & 0x80 == 0 {
            if i > 0 && *byte == 0 {
                return Err("a varint is not minimally encoded");
            }
            return Ok((v, &b[i + 1..]));
        }
    }
    Err("a varint is cut short or too long")
}

/// `<code><length><digest>`, the digest exactly `length` bytes, 16 to 64 of them, not identity.
fn multihash(b: &[u8]) -> Result<(), &'static str> {
    let (code, rest) = varint(b)?;
    if code == IDENTITY {
        return Err("it is an identity multihash, which holds the content itself, not a digest of it");
    }
    let (len, digest) = varint(rest)?;
    if len != digest.len() as u64 {
        return Err("the multihash's digest is not the length it declares");
    }
    if !(MIN_DIGEST..=MAX_DIGEST).contains(&len) {
        return Err("the multihash's digest must be 16 to 64 bytes");
    }
    Ok(())
}

/// `<version 1><codec><multihash>`.
fn cid_v1(b: &[u8]) -> Result<(), &'static str> {
    let (version, rest) = varint(b)?;
    if version != 1 {
        return Err("it is not a CIDv1");
    }
    let (_codec, mh) = varint(rest)?;
    multihash(mh)
}

/// A CIDv0: a bare sha2-256 multihash.
fn cid_v0(b: &[u8]) -> Result<(), &'static str> {
    if b.len() != 34 || b[0] != SHA2_256 as u8 || b[1] != 32 {
        return Err("a Qm... CIDv0 is a sha2-256 multihash of 34 bytes");
    }
    Ok(())
}

/// A URI (`scheme:rest`) of printable ASCII without whitespace, at most `max` bytes, that points
/// off chain: not a `data:` URI (which would hold the payload itself), and without user info
/// (`user:password@`), which would put credentials on chain.
pub fn check_locator(field: &str, s: &str, max: u32) -> Result<(), Error> {
    let bad = |why: String| {
        RecordsError::InvalidLocator.with(format!(
            "{field}: {why}; give the URI where the ciphertext is stored, e.g. ipfs://<cid> or https://vault.example/objects/<opaque id>"
        ))
    };
    if s.is_empty() {
        return Err(bad("it is empty".into()));
    }
    if s.len() > max as usize {
        return Err(bad(format!("it is {} bytes, more than the {max} allowed", s.len())));
    }
    if !s.bytes().all(|b| (0x21..=0x7e).contains(&b)) {
        return Err(bad("it must be printable ASCII without whitespace (percent-encode the rest)".into()));
    }
    let (scheme, rest) = s.split_once(':').ok_or_else(|| bad("it has no scheme (scheme:...)".into()))?;
    let mut chars = scheme.bytes();
    let scheme_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'-' | b'.'));
    if !scheme_ok || rest.is_empty() {
        return Err(bad(format!("`{scheme}:` is not a URI scheme followed by a location")));
    }
    if scheme.eq_ignore_ascii_case("data") {
        return Err(bad("a data: URI holds the payload itself, which never goes on chain".into()));
    }
    if let Some(after) = rest.strip_prefix("//") {
        let authority = after.split(['/', '?', '#']).next().unwrap_or_default();
        if authority.contains('@') {
            return Err(bad("it carries user info (user:password@), credentials that must never go on chain".into()));
        }
    }
    Ok(())
}

/// 1 to `max` characters of `A-Z a-z 0-9 . _ : -`.
pub fn check_key_id(field: &str, s: &str, max: u32) -> Result<(), Error> {
    let ok = !s.is_empty()
        && s.len() <= max as usize
        && s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'-'));
    if ok {
        return Ok(());
    }
    Err(RecordsError::InvalidEncryption.with(format!(
        "{field}: a key id is 1 to {max} characters of A-Z a-z 0-9 . _ : - (it names the data key among the custodian's wrapped keys; never the key)"
    )))
}

/// At most `max`, none twice.
pub fn check_commitments(field: &str, list: &[Commitment], max: u32) -> Result<(), Error> {
    if list.len() > max as usize {
        return Err(RecordsError::TooManyCommitments
            .with(format!("{field}: {} commitments, more than the {max} allowed", list.len())));
    }
    let mut sorted = list.to_vec();
    sorted.sort_unstable();
    if let Some(w) = sorted.windows(2).find(|w| w[0] == w[1]) {
        return Err(RecordsError::InvalidCommitment
            .with(format!("{field}: commitment {} is given twice: give each once", w[0].to_hex())));
    }
    Ok(())
}

/// None twice (so at most the six codes).
pub fn check_labels(field: &str, list: &[Confidentiality]) -> Result<(), Error> {
    let mut sorted = list.to_vec();
    sorted.sort_unstable();
    if let Some(w) = sorted.windows(2).find(|w| w[0] == w[1]) {
        return Err(RecordsError::InvalidLabel.with(format!("{field}: {} is given twice: give each once", w[0].name())));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHA256_HEX: &str = "1220e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    /// CIDv1 raw sha2-256 of the empty string.
    const CID_B32: &str = "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku";
    const CID_V0: &str = "QmbFMke1KXqnYyBBWxB74N4c5SBnJMVAiMNRcGu6x1AwQH";

    fn ok(s: &str) -> bool {
        check_content_hash("h", s, 512).is_ok()
    }

    #[test]
    fn cids_and_multihashes_are_accepted() {
        assert!(ok(SHA256_HEX));
        assert!(ok(CID_B32));
        assert!(ok(CID_V0));
        let z = format!("z{}", bs58::encode(hex::decode(SHA256_HEX).unwrap()).into_string());
        assert!(ok(&z), "{z}");
    }

    #[test]
    fn what_is_not_a_digest_is_refused() {
        for bad in [
            "",
            "hello",
            "75622-1",
            // Uppercase hex, odd length, a digest shorter than it declares.
            &SHA256_HEX.to_uppercase(),
            &SHA256_HEX[..SHA256_HEX.len() - 1],
            &SHA256_HEX[..SHA256_HEX.len() - 2],
            // The identity multihash of "HIV": the content itself.
            "0003484956",
            // A digest of 8 bytes.
            "12080102030405060708",
            "bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyk",
            "BAFKREIHDWDCEFGH4DQKJV67UZCMW7OJEE6XEDZDETOJUZJEVTENXQUVYKU",
            "Qm",
        ] {
            let e = check_content_hash("h", bad, 512).expect_err(bad);
            assert_eq!(e.code, RecordsError::InvalidContentHash as u32);
        }
        assert!(check_content_hash("h", SHA256_HEX, 67).is_err(), "longer than the bound");
        let e = check_content_hash("h", "0003484956", 512).unwrap_err();
        assert!(e.message.contains("identity"), "{}", e.message);
    }

    #[test]
    fn locators_point_off_chain_without_credentials() {
        for good in [
            "ipfs://bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku",
            "https://vault.example/o/1",
            "s3://b/k",
            "urn:uuid:1",
        ] {
            check_locator("l", good, 512).unwrap();
        }
        for bad in [
            "",
            "no-scheme",
            "https://vault.example/a b",
            "https://vault.example/\u{e9}",
            "1http://x",
            "https:",
            "data:text/plain;base64,SElW",
            "DATA:,x",
            "https://alice:secret@vault.example/o/1",
            "ftp://token@host/x",
        ] {
            let e = check_locator("l", bad, 512).expect_err(bad);
            assert_eq!(e.code, RecordsError::InvalidLocator as u32);
        }
        check_locator("l", "https://vault.example/o?by=a@b", 512).expect("an @ past the authority is not user info");
        assert!(check_locator("l", "https://vault.example/o/1", 10).is_err());
    }

    #[test]
    fn key_ids_commitments_and_labels() {
        check_key_id("k", "kms:key-1.v2_a", 128).unwrap();
        for bad in ["", "a b", "key/1", "é"] {
            assert!(check_key_id("k", bad, 128).is_err(), "{bad}");
        }
        assert!(check_key_id("k", "abc", 2).is_err());
        let (a, b) = (Commitment([1; 32]), Commitment([2; 32]));
        check_commitments("c", &[a, b], 2).unwrap();
        assert_eq!(check_commitments("c", &[a, b], 1).unwrap_err().code, RecordsError::TooManyCommitments as u32);
        assert_eq!(check_commitments("c", &[a, b, a], 3).unwrap_err().code, RecordsError::InvalidCommitment as u32);
        check_labels("l", &[Confidentiality::R, Confidentiality::N]).unwrap();
        assert_eq!(
            check_labels("l", &[Confidentiality::R, Confidentiality::R]).unwrap_err().code,
            RecordsError::InvalidLabel as u32
        );
    }
}
