//! Consent events, attributes in a fixed order. They carry ids, DIDs, closed-vocabulary codes and
//! pseudonyms: never a commitment's code, never a subject's DID in an access event.

use salus_did::Did;
use salus_sdk::{Address, Event};

use crate::params::Params;
use crate::types::{AuditEvent, Consent, RoleGrant};

fn consent_event(kind: &str, c: &Consent) -> Event {
    Event::new(kind)
        .attr("id", c.id)
        .attr("version", c.version)
        .attr("subject", &c.terms.subject)
        .attr("grantor", &c.grantor)
        .attr("status", c.terms.status.name())
}

pub fn created(c: &Consent) -> Event {
    consent_event("consent_created", c)
}

pub fn updated(c: &Consent) -> Event {
    consent_event("consent_updated", c)
}

pub fn revoked(c: &Consent) -> Event {
    consent_event("consent_revoked", c)
}

pub fn role_granted(g: &RoleGrant) -> Event {
    Event::new("role_granted")
        .attr("organization", &g.organization)
        .attr("member", &g.member)
        .attr("role_system", &g.role.system)
        .attr("role_code", &g.role.code)
}

pub fn role_revoked(organization: &Did, member: &Did, g: &crate::types::Coding) -> Event {
    Event::new("role_revoked")
        .attr("organization", organization)
        .attr("member", member)
        .attr("role_system", &g.system)
        .attr("role_code", &g.code)
}

/// An access decision, as the audit log has it.
pub fn access_decided(e: &AuditEvent) -> Event {
    let (consent_id, consent_version) = e.consent.unwrap_or((0, 0));
    Event::new("access_decided")
        .attr("audit_id", e.id)
        .attr("requester", &e.requester)
        .attr("custodian", &e.custodian)
        .attr("subject", hex::encode(e.subject))
        .attr("record", e.record)
        .attr("action", e.action.name())
        .attr("purpose", e.purpose.code())
        .attr("outcome", e.outcome.name())
        .attr("consent_id", consent_id)
        .attr("consent_version", consent_version)
        .attr("provision_path", e.path.iter().map(u32::to_string).collect::<Vec<_>>().join("."))
        .attr("obligations", e.obligations.len())
}

pub fn params_updated(authority: &Address, p: &Params) -> Event {
    Event::new("update_params")
        .attr("module", crate::NAME)
        .attr("authority", authority)
        .attr("max_provisions", p.max_provisions)
        .attr("max_depth", p.max_depth)
        .attr("max_list_len", p.max_list_len)
        .attr("max_consents_per_subject", p.max_consents_per_subject)
        .attr("access_grant_secs", p.access_grant_secs)
        .attr("provision_gas", p.provision_gas)
}
