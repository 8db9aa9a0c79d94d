//! IBC events, as ibc-go emits them (`create_client`, `update_client`, `connection_open_init`,
//! ..., with ibc-go's attribute names): relayers and explorers read them from tx results.

use ibc::core::handler::types::events::IbcEvent;
use salus_sdk::Event;

/// An ibc-rs event as a Salus event: the same kind, the same attributes in the same order.
pub fn from_ibc(event: IbcEvent) -> Result<Event, String> {
    let abci = tendermint::abci::Event::try_from(event).map_err(|e| format!("an IBC event does not encode: {e}"))?;
    let mut out = Event::new(abci.kind);
    for attribute in &abci.attributes {
        let key = attribute.key_str().map_err(|e| format!("an IBC event key is not text: {e}"))?;
        let value = attribute.value_str().map_err(|e| format!("an IBC event value is not text: {e}"))?;
        out = out.attr(key, value);
    }
    Ok(out)
}
