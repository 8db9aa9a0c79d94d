//! The audit log: every access decision, permit or deny, in the order the chain made them, with
//! indexes by subject (pseudonym), by requester, and (for an accounting of disclosures) by time.

use salus_did::Did;
use salus_sdk::time::Time;
use salus_sdk::{Error, StateWrite};
use sha2::{Digest, Sha256};

use crate::keys;
use crate::state::{ConsentRead, ConsentWrite};
use crate::types::{AuditEvent, Outcome};

/// HIPAA 45 CFR 164.528(a): an individual may ask for an accounting of six years of disclosures.
pub const DISCLOSURE_WINDOW_SECS: u64 = 6 * 36_525 * 864; // six Julian years: 6 x 365.25 days

/// The subject's pseudonym in audit events: the first 16 bytes of SHA-256 of a domain tag and the
/// DID. An event names no DID of the subject; whoever knows the DID can find its events.
pub fn pseudonym(subject: &Did) -> [u8; 16] {
    let mut h = Sha256::new();
    h.update(b"salus/audit/subject/v1");
    h.update(subject.as_str().as_bytes());
    let digest: [u8; 32] = h.finalize().into();
    let mut out = [0; 16];
    out.copy_from_slice(&digest[..16]);
    out
}

/// Whether a permitted access is one an accounting of disclosures lists: not for treatment,
/// payment or health care operations, and not to the subject itself (164.528(a)(1)(i)-(ii)).
pub fn is_accountable(event: &AuditEvent, subject: &Did) -> bool {
    event.outcome == Outcome::Permit && !event.purpose.is_tpo() && event.requester != *subject
}

/// Where an accounting of disclosures at `now` starts.
pub fn window_start(now: Time) -> i64 {
    now.secs.saturating_sub(DISCLOSURE_WINDOW_SECS as i64)
}

/// Appends `event` (its id is taken here) to the log and its indexes; returns the id.
pub(crate) fn append(state: &mut impl StateWrite, mut event: AuditEvent, subject: &Did) -> Result<u64, Error> {
    let id = state.next_audit_id()?;
    event.id = id;
    event.subject = pseudonym(subject);
    salus_sdk::StateWriteExt::put(state, keys::audit(id), &event)?;
    state.put_raw(keys::audit_by_subject(&event.subject, id), vec![])?;
    state.put_raw(keys::audit_by_requester(&event.requester, id), vec![])?;
    if is_accountable(&event, subject) {
        state.put_raw(keys::disclosure(&event.subject, event.time.secs, id), vec![])?;
    }
    state.set_next_audit_id(id.checked_add(1).ok_or_else(|| Error::internal("audit id overflow"))?)?;
    Ok(id)
}
