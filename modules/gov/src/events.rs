//! Governance events, with Cosmos x/gov's types and attribute names.

use salus_sdk::{Address, Coins, Event};

use crate::types::WeightedOption;

pub fn submit_proposal(id: u64, proposer: &Address, messages: &[String]) -> Event {
    Event::new("submit_proposal")
        .attr("proposal_id", id)
        .attr("proposal_proposer", proposer)
        .attr("proposal_messages", format!(",{},", messages.join(",")))
}

pub fn proposal_deposit(id: u64, depositor: &Address, amount: &Coins) -> Event {
    Event::new("proposal_deposit").attr("proposal_id", id).attr("depositor", depositor).attr("amount", amount)
}

/// The deposits reached the min deposit: the voting period starts.
pub fn voting_period_start(id: u64) -> Event {
    Event::new("proposal_deposit").attr("proposal_id", id).attr("voting_period_start", id)
}

pub fn proposal_vote(id: u64, voter: &Address, options: &[WeightedOption]) -> Event {
    let options: Vec<String> = options.iter().map(|o| format!("{}={}", o.option.as_str(), o.weight)).collect();
    Event::new("proposal_vote").attr("proposal_id", id).attr("voter", voter).attr("option", options.join(","))
}

pub fn cancel_proposal(id: u64, sender: &Address) -> Event {
    Event::new("cancel_proposal").attr("proposal_id", id).attr("sender", sender)
}

/// A proposal that never reached its min deposit, deleted.
pub fn inactive_proposal(id: u64) -> Event {
    Event::new("inactive_proposal").attr("proposal_id", id).attr("proposal_result", "proposal_dropped")
}

/// The end of a voting period: `proposal_passed`, `proposal_rejected`, `proposal_failed` (its
/// messages failed; `proposal_log` says how) or `expedited_proposal_rejected` (now regular).
pub fn active_proposal(id: u64, result: &str, log: &str) -> Event {
    let event = Event::new("active_proposal").attr("proposal_id", id).attr("proposal_result", result);
    if log.is_empty() {
        event
    } else {
        event.attr("proposal_log", log)
    }
}

pub fn update_params(authority: &Address) -> Event {
    Event::new("update_params").attr("module", crate::NAME).attr("authority", authority)
}
