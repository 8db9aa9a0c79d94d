//! One function per message: checks against state, then writes.

use salus_sdk::module::check_authority;
use salus_sdk::{Address, BlockCtx, Coin, Error, StateWrite};

use crate::bonding::{self, coins, delegate, no_validator, pool_of, shares_to_unbond, unbond, Source};
use crate::distribution;
use crate::error::{DistributionError, SlashingError, StakingError};
use crate::events;
use crate::keys;
use crate::msgs::{StakingMsg, DO_NOT_MODIFY};
use crate::params::{CosmosDistributionParams, SlashingParams, StakingParams};
use crate::state::{not_bonded_pool, StakingRead, StakingWrite};
use crate::types::{BondStatus, Description, Redelegation, RedelegationEntry, Time, Validator, ValidatorRewards};
use salus_sdk::dec::Dec;

/// Commission may change once per this many seconds of block time.
const COMMISSION_CHANGE_INTERVAL_SECS: u64 = 24 * 3600;

pub fn execute(state: &mut impl StateWrite, ctx: &BlockCtx, msg: &StakingMsg) -> Result<(), Error> {
    match msg {
        StakingMsg::CreateValidator { operator, pubkey, description, commission, min_self_delegation, value } => {
            let params = state.staking_params()?;
            if state.validator(operator)?.is_some() {
                return Err(StakingError::ValidatorOwnerExists
                    .with(format!("{} is already a validator: use edit-validator", operator.to_valoper())));
            }
            let v = Validator {
                operator: *operator,
                consensus_pubkey: *pubkey,
                jailed: false,
                status: BondStatus::Unbonded,
                tokens: 0,
                delegator_shares: Dec::ZERO,
                description: description.clone(),
                unbonding_height: 0,
                unbonding_time: Time::default(),
                commission: *commission,
                commission_update_time: Time::of(ctx),
                min_self_delegation: *min_self_delegation,
            };
            if state.validator_by_cons(&v.cons_address())?.is_some() {
                return Err(StakingError::ValidatorPubKeyExists
                    .with("another validator already uses this consensus key: each node needs its own"));
            }
            // A key that double-signed stays tombstoned after its validator is gone: reusing it
            // would make a validator that evidence can never slash again.
            if state.signing_info(&v.cons_address())?.is_some_and(|info| info.tombstoned) {
                return Err(SlashingError::ValidatorTombstoned.with(
                    "this consensus key double-signed and is tombstoned for good: create the validator with a new consensus key",
                ));
            }
            check_bond_denom(value, &params.bond_denom)?;
            if commission.rate < params.min_commission_rate {
                return Err(StakingError::CommissionLTMinRate
                    .with(format!("commission rate cannot be below the minimum of {}", params.min_commission_rate)));
            }
            state.set_validator(&v)?;
            state.set_validator_rewards(operator, &ValidatorRewards::default())?;
            delegate(state, operator, operator, value.amount, Source::Account)?;
            state.emit(events::create_validator(operator, &coins(value.amount, &value.denom)?));
            Ok(())
        }
        StakingMsg::EditValidator { operator, description, commission_rate, min_self_delegation } => {
            let mut v = state.validator(operator)?.ok_or_else(|| no_validator(operator))?;
            v.description = merge_description(&v.description, description);
            v.description.validate()?;
            if let Some(rate) = commission_rate {
                let next_allowed = v.commission_update_time.plus_secs(COMMISSION_CHANGE_INTERVAL_SECS);
                if Time::of(ctx) < next_allowed {
                    return Err(StakingError::CommissionUpdateTime.with(format!(
                        "commission cannot be changed more than once in 24h: try again after {}",
                        next_allowed.rfc3339()
                    )));
                }
                if *rate > v.commission.max_rate {
                    return Err(StakingError::CommissionGTMaxRate
                        .with(format!("commission cannot be more than the max rate {}", v.commission.max_rate)));
                }
                let change = if *rate > v.commission.rate {
                    rate.checked_sub(v.commission.rate)?
                } else {
                    v.commission.rate.checked_sub(*rate)?
                };
                if change > v.commission.max_change_rate {
                    return Err(StakingError::CommissionChangeRate.with(format!(
                        "commission cannot change by more than {} at a time",
                        v.commission.max_change_rate
                    )));
                }
                let min = state.staking_params()?.min_commission_rate;
                if *rate < min {
                    return Err(StakingError::CommissionLTMinRate
                        .with(format!("commission rate cannot be below the minimum of {min}")));
                }
                v.commission.rate = *rate;
                v.commission_update_time = Time::of(ctx);
            }
            if let Some(min) = min_self_delegation {
                if *min <= v.min_self_delegation {
                    return Err(StakingError::MinSelfDelegationDecreased
                        .with(format!("min_self_delegation can only rise above {}", v.min_self_delegation)));
                }
                if *min > v.tokens {
                    return Err(StakingError::SelfDelegationBelowMinimum
                        .with(format!("min_self_delegation {min} is above the validator's {} tokens", v.tokens)));
                }
                v.min_self_delegation = *min;
            }
            state.set_validator(&v)?;
            state.emit(events::edit_validator(operator, v.commission.rate, v.min_self_delegation));
            Ok(())
        }
        StakingMsg::Delegate { delegator, validator, amount } => {
            check_bond_denom(amount, &state.staking_params()?.bond_denom)?;
            state.validator(validator)?.ok_or_else(|| no_validator(validator))?;
            let shares = delegate(state, delegator, validator, amount.amount, Source::Account)?;
            state.emit(events::delegate(validator, delegator, &coins(amount.amount, &amount.denom)?, shares));
            Ok(())
        }
        StakingMsg::Undelegate { delegator, validator, amount } => {
            check_bond_denom(amount, &state.staking_params()?.bond_denom)?;
            let v = state.validator(validator)?.ok_or_else(|| no_validator(validator))?;
            let shares = shares_to_unbond(state, delegator, &v, amount.amount)?;
            let tokens = unbond(state, delegator, validator, shares)?;
            if tokens == 0 {
                return Err(StakingError::TinyRedelegationAmount.with("the amount is worth no tokens: undelegate more"));
            }
            let completion = bonding::queue_unbonding(state, ctx, delegator, &v, tokens)?;
            state.emit(events::unbond(validator, delegator, &coins(tokens, &amount.denom)?, completion));
            Ok(())
        }
        StakingMsg::Redelegate { delegator, src, dst, amount } => redelegate(state, ctx, delegator, src, dst, amount),
        StakingMsg::CancelUnbonding { delegator, validator, amount, creation_height } => {
            check_bond_denom(amount, &state.staking_params()?.bond_denom)?;
            let v = state.validator(validator)?.ok_or_else(|| no_validator(validator))?;
            if v.jailed {
                return Err(StakingError::ValidatorJailed
                    .with("the validator is jailed: stake cannot return to it until it unjails"));
            }
            let mut u = state.unbonding(delegator, validator)?.ok_or_else(|| {
                StakingError::NoUnbondingDelegation
                    .with(format!("{delegator} is not unbonding from {}", validator.to_valoper()))
            })?;
            let now = Time::of(ctx);
            let i = u
                .entries
                .iter()
                .position(|e| e.creation_height == *creation_height && e.completion_time > now)
                .ok_or_else(|| {
                    StakingError::UnbondingEntryNotFound.with(format!(
                        "no unbonding entry began at height {creation_height}: see `salusd query staking unbonding-delegation`"
                    ))
                })?;
            let entry = &mut u.entries[i];
            if amount.amount > entry.balance {
                return Err(StakingError::BadAmount
                    .with(format!("the entry holds {}{}; cancel at most that", entry.balance, amount.denom)));
            }
            entry.balance -= amount.amount;
            entry.initial_balance = entry.initial_balance.saturating_sub(amount.amount);
            if entry.balance == 0 {
                u.entries.remove(i);
            }
            state.set_unbonding(&u)?;
            delegate(state, delegator, validator, amount.amount, Source::Pool(not_bonded_pool()))?;
            state.emit(events::cancel_unbonding(
                validator,
                delegator,
                &coins(amount.amount, &amount.denom)?,
                *creation_height,
            ));
            Ok(())
        }
        StakingMsg::Unjail { operator } => unjail(state, ctx, operator),
        StakingMsg::WithdrawReward { delegator, validator } => {
            if state.validator(validator)?.is_none() {
                return Err(DistributionError::NoValidatorExists
                    .with(format!("validator {} does not exist", validator.to_valoper())));
            }
            let d = state.delegation(delegator, validator)?.ok_or_else(|| {
                DistributionError::NoDelegationExists
                    .with(format!("{delegator} has no delegation to {}", validator.to_valoper()))
            })?;
            distribution::settle(state, delegator, validator, Some(d.shares))?;
            Ok(())
        }
        StakingMsg::SetWithdrawAddress { delegator, withdraw_address } => {
            if !state.distribution_params()?.withdraw_addr_enabled {
                return Err(DistributionError::SetWithdrawAddrDisabled
                    .with("setting a withdraw address is disabled by governance on this chain"));
            }
            if salus_token::TokenRead::is_blocked(state, withdraw_address)? {
                return Err(salus_sdk::Error::sdk(
                    salus_sdk::SdkCode::Unauthorized,
                    format!("{withdraw_address} is a module account and is not allowed to receive rewards"),
                ));
            }
            state.set_withdraw_address(delegator, withdraw_address)?;
            state.emit(events::set_withdraw_address(delegator, withdraw_address));
            Ok(())
        }
        StakingMsg::FundCommunityPool { depositor, amount } => {
            distribution::fund_community_pool(state, depositor, amount)
        }
        StakingMsg::WithdrawCommission { operator } => {
            if state.validator(operator)?.is_none() {
                return Err(
                    DistributionError::NoValidatorExists.with(format!("{} is not a validator", operator.to_valoper()))
                );
            }
            distribution::withdraw_commission(state, operator)?;
            Ok(())
        }
        StakingMsg::UpdateStakingParams { authority, params } => update_staking_params(state, ctx, authority, params),
        StakingMsg::UpdateSlashingParams { authority, params } => update_slashing_params(state, authority, params),
        StakingMsg::UpdateDistributionParams { authority, params } => {
            update_distribution_params(state, authority, params)
        }
        StakingMsg::CommunityPoolSpend { authority, recipient, amount } => {
            check_authority(authority)?;
            distribution::spend_community_pool(state, authority, recipient, amount)
        }
    }
}

/// Governance's staking params. Every param is read from state where it is used, so each binds
/// from the next message or block on: `max_validators` at the next end block's validator set,
/// `unbonding_time` and `max_entries` for unbondings and redelegations begun from now on,
/// `historical_entries` at the next record (the older ones are pruned then). As in Cosmos, a
/// raised `min_commission_rate` lifts every validator below it to it (and its max rate too, if
/// below), which counts as its commission change for the day. The bond denom cannot change: every
/// stake, pool, unbonding and inflation is held in it.
fn update_staking_params(
    state: &mut impl StateWrite,
    ctx: &BlockCtx,
    authority: &Address,
    params: &StakingParams,
) -> Result<(), Error> {
    check_authority(authority)?;
    params.validate()?;
    let old = state.staking_params()?;
    if params.bond_denom != old.bond_denom {
        return Err(StakingError::BadDenom.with(format!(
            "bond_denom cannot change from {} to {}: every stake, pool and reward is held in {}; keep it",
            old.bond_denom, params.bond_denom, old.bond_denom
        )));
    }
    state.set_staking_params(params)?;
    if params.min_commission_rate != old.min_commission_rate {
        let min = params.min_commission_rate;
        for mut v in state.validators()? {
            if v.commission.rate < min {
                v.commission.rate = min;
                v.commission.max_rate = v.commission.max_rate.max(min);
                v.commission_update_time = Time::of(ctx);
                state.set_validator(&v)?;
            }
        }
    }
    state.emit(events::update_staking_params(authority, params));
    Ok(())
}

/// Governance's slashing params, read where they are used (the next block's liveness, the next
/// evidence). A smaller window drops the missed blocks recorded beyond it from every validator's
/// record, and their count with them (Cosmos leaves them counted for good: cosmos-sdk#12541), so
/// a record stays inside its window and counts exactly the blocks its bitmap marks.
fn update_slashing_params(
    state: &mut impl StateWrite,
    authority: &Address,
    params: &SlashingParams,
) -> Result<(), Error> {
    check_authority(authority)?;
    params.validate()?;
    let old = state.slashing_params()?;
    state.set_slashing_params(params)?;
    if params.signed_blocks_window < old.signed_blocks_window {
        crate::slashing::shrink_window(state, params.signed_blocks_window)?;
    }
    state.emit(events::update_slashing_params(authority, params));
    Ok(())
}

/// Governance's distribution params: `community_tax` binds from the next block's rewards,
/// `withdraw_addr_enabled` from the next message; the inflation params keep their values.
fn update_distribution_params(
    state: &mut impl StateWrite,
    authority: &Address,
    params: &CosmosDistributionParams,
) -> Result<(), Error> {
    check_authority(authority)?;
    let next = params.apply(&state.distribution_params()?);
    next.validate()?;
    state.set_distribution_params(&next)?;
    state.emit(events::update_distribution_params(authority, params));
    Ok(())
}

fn check_bond_denom(c: &Coin, bond_denom: &str) -> Result<(), Error> {
    if c.denom != bond_denom {
        return Err(StakingError::BadDenom.with(format!("invalid coin denomination {}: stake {bond_denom}", c.denom)));
    }
    Ok(())
}

fn merge_description(old: &Description, new: &Description) -> Description {
    let pick = |o: &String, n: &String| if n == DO_NOT_MODIFY { o.clone() } else { n.clone() };
    Description {
        moniker: pick(&old.moniker, &new.moniker),
        identity: pick(&old.identity, &new.identity),
        website: pick(&old.website, &new.website),
        security_contact: pick(&old.security_contact, &new.security_contact),
        details: pick(&old.details, &new.details),
    }
}

fn redelegate(
    state: &mut impl StateWrite,
    ctx: &BlockCtx,
    del: &Address,
    src: &Address,
    dst: &Address,
    amount: &Coin,
) -> Result<(), Error> {
    let params = state.staking_params()?;
    check_bond_denom(amount, &params.bond_denom)?;
    let src_v = state.validator(src)?.ok_or_else(|| no_validator(src))?;
    if state.validator(dst)?.is_none() {
        return Err(
            StakingError::BadRedelegationDst.with(format!("destination validator {} does not exist", dst.to_valoper()))
        );
    }
    // Stake that arrived at `src` by a redelegation still in flight cannot move on: it would escape
    // a slash for an infraction at its first validator.
    if state.redelegations_of(del)?.iter().any(|r| r.dst == *src && !r.entries.is_empty()) {
        return Err(StakingError::TransitiveRedelegation.with(
            "redelegation to this validator already in progress; first redelegation to it must complete before moving on",
        ));
    }
    let mut red = state.redelegation(del, src, dst)?.unwrap_or(Redelegation {
        delegator: *del,
        src: *src,
        dst: *dst,
        entries: Vec::new(),
    });
    if red.entries.len() >= params.max_entries as usize {
        return Err(StakingError::MaxRedelegationEntries.with(format!(
            "too many redelegation entries for this pair (at most {}): wait for one to complete",
            params.max_entries
        )));
    }
    let shares = shares_to_unbond(state, del, &src_v, amount.amount)?;
    let tokens = unbond(state, del, src, shares)?;
    if tokens == 0 {
        return Err(
            StakingError::TinyRedelegationAmount.with("too few tokens to redelegate (truncates to zero tokens)")
        );
    }
    let shares_dst = delegate(state, del, dst, tokens, Source::Pool(pool_of(src_v.status)))?;
    // Recorded while the stake is still slashable for what the source did (Cosmos' getBeginInfo):
    // from a bonded source for the unbonding time, from an unbonding one until its own unbonding
    // completes. The entry starts at this height, so a slash for any earlier infraction reaches it.
    let now = Time::of(ctx);
    let completion = match src_v.slashable_until(now, params.unbonding_time_secs) {
        Some(completion) => {
            red.entries.push(RedelegationEntry {
                creation_height: ctx.height,
                completion_time: completion,
                initial_balance: tokens,
                shares_dst,
            });
            state.set_redelegation(&red)?;
            state.put_raw(keys::redelegation_queue(completion, del, src, dst), Vec::new())?;
            completion
        }
        None => now,
    };
    state.emit(events::redelegate(src, dst, del, &coins(tokens, &amount.denom)?, completion));
    Ok(())
}

fn unjail(state: &mut impl StateWrite, ctx: &BlockCtx, op: &Address) -> Result<(), Error> {
    let mut v = state
        .validator(op)?
        .ok_or_else(|| SlashingError::NoValidatorForAddress.with(format!("{} is not a validator", op.to_valoper())))?;
    let d = state.delegation(op, op)?.ok_or_else(|| {
        SlashingError::MissingSelfDelegation
            .with("the validator has no self-delegation: delegate to it from its operator")
    })?;
    if v.tokens_for(d.shares)? < v.min_self_delegation {
        return Err(SlashingError::SelfDelegationTooLowToUnjail.with(format!(
            "self-delegation is below the minimum of {}: delegate more from the operator first",
            v.min_self_delegation
        )));
    }
    if !v.jailed {
        return Err(SlashingError::ValidatorNotJailed.with("the validator is not jailed, so cannot be unjailed"));
    }
    let info = state.signing_info(&v.cons_address())?.ok_or_else(|| {
        SlashingError::NoSigningInfoFound.with("no signing info for this validator's consensus address")
    })?;
    if info.tombstoned {
        return Err(SlashingError::ValidatorTombstoned
            .with("the validator double-signed and is tombstoned: it can never return; delegators should redelegate"));
    }
    if Time::of(ctx) < info.jailed_until {
        return Err(SlashingError::ValidatorJailedUntil
            .with(format!("validator still jailed; cannot be unjailed before {}", info.jailed_until.rfc3339())));
    }
    v.jailed = false;
    state.set_validator(&v)?;
    state.emit(events::unjail(op));
    Ok(())
}
