//! Events with Cosmos SDK's types and attribute names, so explorers and indexers read them.

use salus_sdk::{Address, Coins, Event};

use crate::params::{CosmosDistributionParams, SlashingParams, StakingParams};
use crate::types::Time;
use salus_sdk::dec::{Dec, DecCoins};

pub fn create_validator(op: &Address, amount: &Coins) -> Event {
    Event::new("create_validator").attr("validator", op.to_valoper()).attr("amount", amount)
}

pub fn edit_validator(op: &Address, rate: Dec, min_self_delegation: u128) -> Event {
    Event::new("edit_validator")
        .attr("validator", op.to_valoper())
        .attr("commission_rate", rate)
        .attr("min_self_delegation", min_self_delegation)
}

pub fn delegate(val: &Address, del: &Address, amount: &Coins, new_shares: Dec) -> Event {
    Event::new("delegate")
        .attr("validator", val.to_valoper())
        .attr("delegator", del)
        .attr("amount", amount)
        .attr("new_shares", new_shares)
}

pub fn unbond(val: &Address, del: &Address, amount: &Coins, completion: Time) -> Event {
    Event::new("unbond")
        .attr("validator", val.to_valoper())
        .attr("delegator", del)
        .attr("amount", amount)
        .attr("completion_time", completion.rfc3339())
}

pub fn redelegate(src: &Address, dst: &Address, del: &Address, amount: &Coins, completion: Time) -> Event {
    Event::new("redelegate")
        .attr("source_validator", src.to_valoper())
        .attr("destination_validator", dst.to_valoper())
        .attr("delegator", del)
        .attr("amount", amount)
        .attr("completion_time", completion.rfc3339())
}

pub fn cancel_unbonding(val: &Address, del: &Address, amount: &Coins, creation_height: u64) -> Event {
    Event::new("cancel_unbonding_delegation")
        .attr("validator", val.to_valoper())
        .attr("delegator", del)
        .attr("amount", amount)
        .attr("creation_height", creation_height)
}

pub fn complete_unbonding(val: &Address, del: &Address, amount: &Coins) -> Event {
    Event::new("complete_unbonding").attr("validator", val.to_valoper()).attr("delegator", del).attr("amount", amount)
}

pub fn complete_redelegation(src: &Address, dst: &Address, del: &Address) -> Event {
    Event::new("complete_redelegation")
        .attr("source_validator", src.to_valoper())
        .attr("destination_validator", dst.to_valoper())
        .attr("delegator", del)
}

pub fn validator_bonded(val: &Address, power: u64) -> Event {
    Event::new("validator_bonded").attr("validator", val.to_valoper()).attr("power", power)
}

pub fn validator_unbonding(val: &Address, completion: Time) -> Event {
    Event::new("validator_unbonding").attr("validator", val.to_valoper()).attr("completion_time", completion.rfc3339())
}

pub fn slash(cons: &str, power: u64, reason: &str, burned: u128) -> Event {
    Event::new("slash").attr("address", cons).attr("power", power).attr("reason", reason).attr("burned_coins", burned)
}

pub fn jail(cons: &str, until: Time) -> Event {
    Event::new("slash").attr("address", cons).attr("jailed", cons).attr("jailed_until", until.rfc3339())
}

pub fn liveness(cons: &str, missed: u64, height: u64) -> Event {
    Event::new("liveness").attr("address", cons).attr("missed_blocks", missed).attr("height", height)
}

pub fn unjail(val: &Address) -> Event {
    Event::new("unjail").attr("validator", val.to_valoper())
}

pub fn mint(amount: u128, denom: &str, inflation: Dec) -> Event {
    Event::new("mint").attr("amount", format!("{amount}{denom}")).attr("inflation", inflation)
}

pub fn commission(val: &Address, amount: &DecCoins) -> Event {
    Event::new("commission").attr("amount", amount).attr("validator", val.to_valoper())
}

pub fn rewards(val: &Address, amount: &DecCoins) -> Event {
    Event::new("rewards").attr("amount", amount).attr("validator", val.to_valoper())
}

/// A validator's share of a block's rewards that its records could not hold went to the
/// community pool instead.
pub fn rewards_to_community_pool(val: &Address, amount: &DecCoins) -> Event {
    Event::new("rewards_to_community_pool").attr("amount", amount).attr("validator", val.to_valoper())
}

pub fn withdraw_rewards(val: &Address, del: &Address, amount: &Coins) -> Event {
    Event::new("withdraw_rewards").attr("amount", amount).attr("validator", val.to_valoper()).attr("delegator", del)
}

pub fn set_withdraw_address(del: &Address, to: &Address) -> Event {
    Event::new("set_withdraw_address").attr("delegator", del).attr("withdraw_address", to)
}

pub fn withdraw_commission(val: &Address, amount: &Coins) -> Event {
    Event::new("withdraw_commission").attr("amount", amount).attr("validator", val.to_valoper())
}

/// Governance set the staking params.
pub fn update_staking_params(authority: &Address, p: &StakingParams) -> Event {
    Event::new("update_params")
        .attr("module", crate::NAME)
        .attr("authority", authority)
        .attr("unbonding_time", format!("{}s", p.unbonding_time_secs))
        .attr("max_validators", p.max_validators)
        .attr("max_entries", p.max_entries)
        .attr("historical_entries", p.historical_entries)
        .attr("bond_denom", &p.bond_denom)
        .attr("min_commission_rate", p.min_commission_rate)
}

/// Governance set the slashing params.
pub fn update_slashing_params(authority: &Address, p: &SlashingParams) -> Event {
    Event::new("update_params")
        .attr("module", crate::SLASHING)
        .attr("authority", authority)
        .attr("signed_blocks_window", p.signed_blocks_window)
        .attr("min_signed_per_window", p.min_signed_per_window)
        .attr("downtime_jail_duration", format!("{}s", p.downtime_jail_duration_secs))
        .attr("slash_fraction_double_sign", p.slash_fraction_double_sign)
        .attr("slash_fraction_downtime", p.slash_fraction_downtime)
}

/// Governance set the distribution params it can set.
pub fn update_distribution_params(authority: &Address, p: &CosmosDistributionParams) -> Event {
    Event::new("update_params")
        .attr("module", crate::DISTRIBUTION)
        .attr("authority", authority)
        .attr("community_tax", p.community_tax)
        .attr("withdraw_addr_enabled", p.withdraw_addr_enabled)
}

/// Governance paid `amount` from the community pool to `recipient`.
pub fn community_pool_spend(authority: &Address, recipient: &Address, amount: &Coins) -> Event {
    Event::new("community_pool_spend").attr("authority", authority).attr("recipient", recipient).attr("amount", amount)
}
