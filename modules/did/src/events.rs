//! DID events, attributes in a fixed order. Indexers find a DID's operations by `did`.

use salus_sdk::{Address, Event};

use crate::method::Did;

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
