//! Token events, with the attribute names Cosmos indexers and relayers look for.

use salus_sdk::{Address, Coins, Event};

use crate::Params;

pub fn coin_spent(spender: &Address, amount: &Coins) -> Event {
    Event::new("coin_spent").attr("spender", spender).attr("amount", amount)
}

pub fn coin_received(receiver: &Address, amount: &Coins) -> Event {
    Event::new("coin_received").attr("receiver", receiver).attr("amount", amount)
}

pub fn transfer(recipient: &Address, sender: &Address, amount: &Coins) -> Event {
    Event::new("transfer").attr("recipient", recipient).attr("sender", sender).attr("amount", amount)
}

pub fn coinbase(minter: &Address, amount: &Coins) -> Event {
    Event::new("coinbase").attr("minter", minter).attr("amount", amount)
}

pub fn burn(burner: &Address, amount: &Coins) -> Event {
    Event::new("burn").attr("burner", burner).attr("amount", amount)
}

/// Governance set the token params.
pub fn update_params(authority: &Address, p: &Params) -> Event {
    Event::new("update_params")
        .attr("module", crate::NAME)
        .attr("authority", authority)
        .attr("send_enabled", p.send_enabled)
        .attr("max_multi_send_outputs", p.max_multi_send_outputs)
        .attr("max_denoms_per_transfer", p.max_denoms_per_transfer)
}
