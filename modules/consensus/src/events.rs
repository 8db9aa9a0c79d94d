//! Consensus events.

use salus_sdk::{Address, Event};

use crate::CometParams;

pub fn update_consensus_params(authority: &Address, p: &CometParams) -> Event {
    Event::new("update_consensus_params")
        .attr("authority", authority)
        .attr("block_max_bytes", p.block_max_bytes)
        .attr("block_max_gas", p.block_max_gas)
        .attr("evidence_max_age_num_blocks", p.evidence_max_age_num_blocks)
        .attr("evidence_max_age_secs", p.evidence_max_age_secs)
        .attr("evidence_max_bytes", p.evidence_max_bytes)
}

pub fn update_tx_limits(authority: &Address, p: &salus_sdk::auth::AuthParams) -> Event {
    Event::new("update_params")
        .attr("module", "auth")
        .attr("authority", authority)
        .attr("max_memo_characters", p.max_memo_characters)
        .attr("max_tx_bytes", p.max_tx_bytes)
        .attr("max_gas_per_tx", p.max_gas_per_tx)
        .attr("max_msgs_per_tx", p.max_msgs_per_tx)
}
