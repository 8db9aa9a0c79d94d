//! Records events, attributes in a fixed order. They name the record, its version, its parties,
//! the DID that acted and the account that paid; never a locator, a key id, a content hash or a
//! commitment (indexers keep events, and a locator or key id must be gone once a record is
//! erased).

use salus_did::Did;
use salus_sdk::{Address, Event};

use crate::params::Params;
use crate::types::Record;

fn record_event(kind: &str, r: &Record, actor: &Did, signer: &Address) -> Event {
    Event::new(kind)
        .attr("id", r.id)
        .attr("version", r.version)
        .attr("owner", &r.owner)
        .attr("custodian", &r.custodian)
        .attr("actor", actor)
        .attr("signer", signer)
}

pub fn anchored(r: &Record, actor: &Did, signer: &Address) -> Event {
    record_event("record_anchored", r, actor, signer)
}

pub fn superseded(r: &Record, actor: &Did, signer: &Address) -> Event {
    record_event("record_superseded", r, actor, signer)
}

pub fn erased(r: &Record, actor: &Did, signer: &Address) -> Event {
    record_event("record_erased", r, actor, signer)
}

/// Governance set the records params.
pub fn params_updated(authority: &Address, p: &Params) -> Event {
    Event::new("update_params")
        .attr("module", crate::NAME)
        .attr("authority", authority)
        .attr("max_commitments", p.max_commitments)
        .attr("max_locator_len", p.max_locator_len)
        .attr("max_content_hash_len", p.max_content_hash_len)
        .attr("max_text_len", p.max_text_len)
        .attr("max_versions", p.max_versions)
}
