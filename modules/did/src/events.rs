//! DID events, attributes in a fixed order. Indexers find a DID's operations by `did`.

use salus_sdk::{Address, Event};

use crate::method::Did;
use crate::params::Params;

pub fn created(did: &Did, version: u64, signer: &Address) -> Event {
    Event::new("did_created").attr("did", did).attr("version", version).attr("signer", signer)
}

pub fn updated(did: &Did, version: u64, verification_method: &str, signer: &Address) -> Event {
    Event::new("did_updated")
        .attr("did", did)
        .attr("version", version)
        .attr("verification_method", verification_method)
        .attr("signer", signer)
}

pub fn deactivated(did: &Did, version: u64, verification_method: &str, signer: &Address) -> Event {
    Event::new("did_deactivated")
        .attr("did", did)
        .attr("version", version)
        .attr("verification_method", verification_method)
        .attr("signer", signer)
}

/// Governance set the DID params.
pub fn params_updated(authority: &Address, p: &Params) -> Event {
    Event::new("update_params")
        .attr("module", crate::NAME)
        .attr("authority", authority)
        .attr("max_verification_methods", p.max_verification_methods)
        .attr("max_services", p.max_services)
        .attr("max_controllers", p.max_controllers)
        .attr("max_document_bytes", p.max_document_bytes)
}
