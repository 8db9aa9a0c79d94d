//! Typed state keys of the consent module. DIDs never contain `/`; numbers are big-endian so
//! that ids and times sort numerically.

use salus_did::Did;
use sha2::{Digest, Sha256};

use crate::types::Coding;

pub const PARAMS: &[u8] = b"consent/params";
pub const NEXT_CONSENT_ID: &[u8] = b"consent/next_id";
pub const NEXT_AUDIT_ID: &[u8] = b"consent/next_audit_id";
/// `<id>` -> the consent's latest version number.
pub const LATEST_PREFIX: &[u8] = b"consent/latest/";
pub const VERSION_PREFIX: &[u8] = b"consent/version/";
/// `<subject>/<id>` -> (): the subject's draft and active consents, which decisions read.
pub const BY_SUBJECT_PREFIX: &[u8] = b"consent/by_subject/";
/// `<member>/<role hash>/<organization>` -> RoleGrant.
pub const ROLE_PREFIX: &[u8] = b"consent/role/";
/// The same keys and grants as [`ROLE_PREFIX`], kept without the history of deleted keys: what a
/// decision range-reads for a role alone in a deny (a grant given and taken back leaves nothing
/// there for the read to step over).
pub const ROLE_INDEX_PREFIX: &[u8] = b"consent/role_index/";
pub const AUDIT_PREFIX: &[u8] = b"consent/audit/";
pub const AUDIT_BY_SUBJECT_PREFIX: &[u8] = b"consent/audit_by_subject/";
pub const AUDIT_BY_REQUESTER_PREFIX: &[u8] = b"consent/audit_by_requester/";
/// `<pseudonym>/<time>/<audit id>` -> (): permitted accesses that an accounting of disclosures
/// lists, by time, so the six-year window is one range read.
pub const DISCLOSURE_PREFIX: &[u8] = b"consent/disclosure/";
/// `<requester>/<record>` -> AccessGrant.
pub const GRANT_PREFIX: &[u8] = b"consent/grant/";

/// Indexes read at the latest height only whose deleted keys keep no history
/// (`Storage::without_history_under`): a decision reads the subject's consent index whole and a
/// range of the role index, so keys deleted there (revoked consents, roles taken back) must not
/// pile up for those reads to step over, unmetered. At a past height, a key deleted since reads
/// as absent.
pub const HISTORY_FREE_PREFIXES: &[&[u8]] = &[BY_SUBJECT_PREFIX, ROLE_INDEX_PREFIX];

fn be(n: u64) -> [u8; 8] {
    n.to_be_bytes()
}

pub fn latest(id: u64) -> Vec<u8> {
    [LATEST_PREFIX, &be(id)].concat()
}

pub fn versions_of(id: u64) -> Vec<u8> {
    [VERSION_PREFIX, &be(id), b"/"].concat()
}

pub fn version(id: u64, version: u64) -> Vec<u8> {
    [versions_of(id), be(version).to_vec()].concat()
}

pub fn by_subject_of(subject: &Did) -> Vec<u8> {
    [BY_SUBJECT_PREFIX, subject.as_str().as_bytes(), b"/"].concat()
}

pub fn by_subject(subject: &Did, id: u64) -> Vec<u8> {
    [by_subject_of(subject), be(id).to_vec()].concat()
}

pub fn roles_of(member: &Did) -> Vec<u8> {
    [ROLE_PREFIX, member.as_str().as_bytes(), b"/"].concat()
}

/// A role's key part: the SHA-256 of its system and code, fixed length whatever they hold.
pub fn role_hash(role: &Coding) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update((role.system.len() as u64).to_be_bytes());
    h.update(role.system.as_bytes());
    h.update(role.code.as_bytes());
    h.finalize().into()
}

pub fn role(member: &Did, role: &Coding, organization: &Did) -> Vec<u8> {
    [roles_of(member), role_hash(role).to_vec(), organization.as_str().as_bytes().to_vec()].concat()
}

pub fn role_index_of(member: &Did) -> Vec<u8> {
    [ROLE_INDEX_PREFIX, member.as_str().as_bytes(), b"/"].concat()
}

/// Every organization's grant of `role` to `member` lies under this prefix of the role index.
pub fn role_index_of_any(member: &Did, role: &Coding) -> Vec<u8> {
    [role_index_of(member), role_hash(role).to_vec()].concat()
}

pub fn role_index(member: &Did, role: &Coding, organization: &Did) -> Vec<u8> {
    [role_index_of_any(member, role), organization.as_str().as_bytes().to_vec()].concat()
}

pub fn audit(id: u64) -> Vec<u8> {
    [AUDIT_PREFIX, &be(id)].concat()
}

pub fn audit_by_subject_of(pseudonym: &[u8; 16]) -> Vec<u8> {
    [AUDIT_BY_SUBJECT_PREFIX, pseudonym, b"/"].concat()
}

pub fn audit_by_subject(pseudonym: &[u8; 16], id: u64) -> Vec<u8> {
    [audit_by_subject_of(pseudonym), be(id).to_vec()].concat()
}

pub fn audit_by_requester_of(requester: &Did) -> Vec<u8> {
    [AUDIT_BY_REQUESTER_PREFIX, requester.as_str().as_bytes(), b"/"].concat()
}

pub fn audit_by_requester(requester: &Did, id: u64) -> Vec<u8> {
    [audit_by_requester_of(requester), be(id).to_vec()].concat()
}

pub fn disclosures_of(pseudonym: &[u8; 16]) -> Vec<u8> {
    [DISCLOSURE_PREFIX, pseudonym, b"/"].concat()
}

/// Block times are after 1970, so seconds as `u64` sort as times do (earlier ones clamp to 0).
pub fn disclosure_time(pseudonym: &[u8; 16], secs: i64) -> Vec<u8> {
    [disclosures_of(pseudonym), be(secs.max(0) as u64).to_vec()].concat()
}

pub fn disclosure(pseudonym: &[u8; 16], secs: i64, id: u64) -> Vec<u8> {
    [disclosure_time(pseudonym, secs), be(id).to_vec()].concat()
}

pub fn grant(requester: &Did, record: u64) -> Vec<u8> {
    [GRANT_PREFIX, requester.as_str().as_bytes(), b"/", &be(record)].concat()
}

/// The id at the end of a key.
pub fn trailing_id(key: &[u8]) -> Option<u64> {
    let tail: [u8; 8] = key.get(key.len().checked_sub(8)?..)?.try_into().ok()?;
    Some(u64::from_be_bytes(tail))
}

#[cfg(test)]
mod tests {
    use super::*;
    use salus_did::PublicKey;

    #[test]
    fn ids_sort_numerically_under_their_owner() {
        let a = Did::from_key(&PublicKey::X25519([1; 32]));
        let b = Did::from_key(&PublicKey::X25519([2; 32]));
        let mut keys = vec![by_subject(&a, 256), by_subject(&a, 2)];
        keys.sort();
        assert_eq!(keys, vec![by_subject(&a, 2), by_subject(&a, 256)]);
        assert!(!by_subject(&a, 1).starts_with(&by_subject_of(&b)));
        assert_eq!(trailing_id(&version(7, 300)), Some(300));
        let p = [9; 16];
        assert!(disclosure(&p, 10, 1) < disclosure(&p, 11, 0));
        assert!(disclosure(&p, -5, 1).starts_with(&disclosure_time(&p, 0)));
    }
}
