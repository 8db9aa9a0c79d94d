//! Bonding: shares for tokens, the pools that hold them, unbonding queues and the validator set
//! CometBFT follows. Messages and block hooks are built from these.

use salus_sdk::{Address, BlockCtx, Coin, Coins, Error, StateReadExt, StateWrite, StateWriteExt};
use salus_token::Transfer;

use crate::distribution;
use crate::error::StakingError;
use crate::events;
use crate::keys;
use crate::state::{bonded_pool, not_bonded_pool, StakingRead, StakingWrite};
use crate::types::{BondStatus, Delegation, SigningInfo, Time, Validator, ValidatorUpdate};
use salus_sdk::dec::Dec;

/// The account that holds a validator's tokens in this status.
pub fn pool_of(status: BondStatus) -> Address {
    pool_account_of(status).address()
}

/// The module account that holds a validator's tokens in this status.
pub fn pool_account_of(status: BondStatus) -> salus_sdk::ModuleAccount {
    match status {
        BondStatus::Bonded => crate::module::BONDED_POOL,
        _ => crate::module::NOT_BONDED_POOL,
    }
}

pub fn coins(amount: u128, denom: &str) -> Result<Coins, Error> {
    if amount == 0 {
        return Ok(Coins::empty());
    }
    Coins::new(vec![Coin::new(amount, denom)])
}

/// Where delegated tokens come from.
#[derive(Clone, Copy, Debug)]
pub enum Source {
    /// The delegator's own balance.
    Account,
    /// Tokens already in a pool (a redelegation, a cancelled unbonding).
    Pool(Address),
}

/// Adds `tokens` to a validator for `del`; returns the shares issued.
pub fn delegate(
    state: &mut impl StateWrite,
    del: &Address,
    val: &Address,
    tokens: u128,
    source: Source,
) -> Result<Dec, Error> {
    let denom = state.staking_params()?.bond_denom;
    let mut v = state.validator(val)?.ok_or_else(|| no_validator(val))?;
    let amount = coins(tokens, &denom)?;
    let pool = pool_of(v.status);
    match source {
        Source::Account => state.transfer(del, &pool, &amount)?,
        Source::Pool(from) if from != pool => state.transfer(&from, &pool, &amount)?,
        Source::Pool(_) => {}
    }
    let existing = state.delegation(del, val)?;
    distribution::settle(state, del, val, existing.as_ref().map(|d| d.shares))?;
    let shares = v.shares_for(tokens)?;
    if shares.is_zero() {
        return Err(StakingError::DelegatorShareExRateInvalid
            .with("the amount buys no shares at this validator's exchange rate: delegate more"));
    }
    v.tokens = v.tokens.checked_add(tokens).ok_or_else(|| Error::internal("validator tokens overflow"))?;
    v.delegator_shares = v.delegator_shares.checked_add(shares)?;
    state.set_validator(&v)?;
    let mut d = existing.unwrap_or(Delegation { delegator: *del, validator: *val, shares: Dec::ZERO });
    d.shares = d.shares.checked_add(shares)?;
    state.set_delegation(&d)?;
    Ok(shares)
}

/// The shares a request for `tokens` takes from a delegation: rounded up, capped at what it holds.
pub fn shares_to_unbond(state: &impl StakingRead, del: &Address, v: &Validator, tokens: u128) -> Result<Dec, Error> {
    let d = state.delegation(del, &v.operator)?.ok_or_else(|| {
        StakingError::NoDelegation.with(format!("{del} has no delegation to {}", v.operator.to_valoper()))
    })?;
    if tokens == 0 {
        return Err(StakingError::BadSharesAmount.with("amount must be positive"));
    }
    let shares = v.shares_worth(tokens)?;
    if shares <= d.shares {
        return Ok(shares);
    }
    let held = v.tokens_for(d.shares)?;
    if tokens <= held {
        return Ok(d.shares);
    }
    Err(StakingError::InsufficientShares.with(format!(
        "{del} has {held} delegated to {} but asked for {tokens}: ask for less",
        v.operator.to_valoper()
    )))
}

/// Removes shares from a delegation and their tokens from the validator; returns the tokens,
/// still in the validator's pool. An operator whose self-delegation falls below its minimum is
/// jailed.
pub fn unbond(state: &mut impl StateWrite, del: &Address, val: &Address, shares: Dec) -> Result<u128, Error> {
    let mut d = state.delegation(del, val)?.ok_or_else(|| StakingError::NoDelegation.with("no such delegation"))?;
    distribution::settle(state, del, val, Some(d.shares))?;
    d.shares = d.shares.checked_sub(shares).map_err(|_| {
        StakingError::InsufficientShares.with(format!("the delegation holds {} shares, fewer than {shares}", d.shares))
    })?;
    if d.shares.is_zero() {
        state.remove_delegation(del, val)?;
    } else {
        state.set_delegation(&d)?;
    }
    let mut v = state.validator(val)?.ok_or_else(|| no_validator(val))?;
    let tokens = v.tokens_for(shares)?;
    v.tokens -= tokens.min(v.tokens);
    v.delegator_shares = v.delegator_shares.checked_sub(shares)?;
    if *del == v.operator && !v.jailed && v.tokens_for(d.shares)? < v.min_self_delegation {
        v.jailed = true;
    }
    if v.delegator_shares.is_zero() && v.status == BondStatus::Unbonded {
        distribution::close_validator(state, val)?;
        state.remove_validator(&v)?;
    } else {
        state.set_validator(&v)?;
    }
    Ok(tokens)
}

/// Starts an unbonding entry for tokens just unbonded; returns when they will be released.
pub fn queue_unbonding(
    state: &mut impl StateWrite,
    ctx: &BlockCtx,
    del: &Address,
    v: &Validator,
    tokens: u128,
) -> Result<Time, Error> {
    let params = state.staking_params()?;
    let denom = params.bond_denom.clone();
    if v.status == BondStatus::Bonded {
        state.transfer(&bonded_pool(), &not_bonded_pool(), &coins(tokens, &denom)?)?;
    }
    // From an unbonding validator, when its own unbonding completes (as a redelegation does);
    // from a bonded or an unbonded one, after the unbonding time (Cosmos SDK v0.50).
    let full = Time::of(ctx).plus_secs(params.unbonding_time_secs);
    let completion = v.slashable_until(Time::of(ctx), params.unbonding_time_secs).unwrap_or(full);
    let mut u = state.unbonding(del, &v.operator)?.unwrap_or(crate::types::UnbondingDelegation {
        delegator: *del,
        validator: v.operator,
        entries: Vec::new(),
    });
    if u.entries.len() >= params.max_entries as usize {
        return Err(StakingError::MaxUnbondingEntries.with(format!(
            "too many unbonding entries for this delegator/validator pair (at most {}): wait for one to complete",
            params.max_entries
        )));
    }
    u.entries.push(crate::types::UnbondingEntry {
        creation_height: ctx.height,
        completion_time: completion,
        initial_balance: tokens,
        balance: tokens,
    });
    state.set_unbonding(&u)?;
    state.put_raw(keys::unbonding_queue(completion, del, &v.operator), Vec::new())?;
    Ok(completion)
}

pub fn no_validator(val: &Address) -> Error {
    StakingError::NoValidatorFound
        .with(format!("validator {} does not exist: check the salusvaloper1... address", val.to_valoper()))
}

/// Queue keys due at `now`, in time order, read from where the queue was last processed (the
/// store keeps every version, so a full scan would pay for every entry the queue ever held).
/// Moves the queue's head to `now`. An entry may be queued at or before the current block time
/// (leaving an unbonding validator completes with it), but never before the previous block's:
/// that validator would have completed its unbonding then.
fn due(state: &mut impl StateWrite, queue: &[u8], now: Time) -> Result<Vec<Vec<u8>>, Error> {
    let head: Time = state.get(&keys::queue_head(queue))?.unwrap_or_default();
    let after_now = Time { secs: now.secs, nanos: now.nanos.saturating_add(1) };
    let due: Vec<Vec<u8>> = state
        .range_raw(queue, &keys::queue_from(queue, head), &keys::queue_from(queue, after_now))?
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    state.put(keys::queue_head(queue), &now)?;
    Ok(due)
}

/// Releases unbonding delegations and forgets redelegations whose time has come.
pub fn complete_matured(state: &mut impl StateWrite, ctx: &BlockCtx) -> Result<(), Error> {
    let now = Time::of(ctx);
    let denom = state.staking_params()?.bond_denom;
    for key in due(state, keys::UNBONDING_QUEUE, now)? {
        state.delete_raw(key.clone())?;
        let addrs = keys::queue_addresses(&key, keys::UNBONDING_QUEUE);
        let (del, val) = (addrs[0], addrs[1]);
        let Some(mut u) = state.unbonding(&del, &val)? else { continue };
        let released: u128 = u.entries.iter().filter(|e| e.completion_time <= now).map(|e| e.balance).sum();
        u.entries.retain(|e| e.completion_time > now);
        state.set_unbonding(&u)?;
        let amount = coins(released, &denom)?;
        state.transfer(&not_bonded_pool(), &del, &amount)?;
        state.emit(events::complete_unbonding(&val, &del, &amount));
    }
    for key in due(state, keys::REDELEGATION_QUEUE, now)? {
        state.delete_raw(key.clone())?;
        let addrs = keys::queue_addresses(&key, keys::REDELEGATION_QUEUE);
        let (del, src, dst) = (addrs[0], addrs[1], addrs[2]);
        let Some(mut r) = state.redelegation(&del, &src, &dst)? else { continue };
        r.entries.retain(|e| e.completion_time > now);
        state.set_redelegation(&r)?;
        state.emit(events::complete_redelegation(&src, &dst, &del));
    }
    Ok(())
}

/// The validator set for the next block: the top `max_validators` unjailed validators by power.
/// Bonds newcomers, starts unbonding leavers, and returns what changed for CometBFT.
pub fn apply_validator_set(state: &mut impl StateWrite, ctx: &BlockCtx) -> Result<Vec<ValidatorUpdate>, Error> {
    let params = state.staking_params()?;
    let candidates = state.top_validators(params.max_validators as usize)?;
    let chosen: std::collections::BTreeSet<Address> = candidates.iter().map(|v| v.operator).collect();
    let last = state.last_powers()?;
    let last_power: std::collections::BTreeMap<Address, u64> = last.iter().copied().collect();
    if candidates.is_empty() && !last.is_empty() {
        // CometBFT halts on an empty set; keep the last one until someone bonds again.
        return Ok(Vec::new());
    }
    let denom = params.bond_denom;
    let mut updates = Vec::new();
    for mut v in candidates.iter().cloned() {
        let power = v.power();
        if v.status != BondStatus::Bonded {
            state.transfer(&not_bonded_pool(), &bonded_pool(), &coins(v.tokens, &denom)?)?;
            if v.status == BondStatus::Unbonding {
                state.delete_raw(keys::validator_queue(v.unbonding_time, &v.operator))?;
            }
            v.status = BondStatus::Bonded;
            state.set_validator(&v)?;
            // Liveness is judged from the height it (re)joins, so a returning validator gets a
            // full window to catch up, as in Cosmos SDK.
            let cons = v.cons_address();
            let info = match state.signing_info(&cons)? {
                Some(info) => SigningInfo { start_height: ctx.height, ..info },
                None => SigningInfo {
                    cons_address: cons,
                    start_height: ctx.height,
                    index_offset: 0,
                    jailed_until: Time::default(),
                    tombstoned: false,
                    missed_blocks_counter: 0,
                },
            };
            state.set_signing_info(&info)?;
            state.emit(events::validator_bonded(&v.operator, power));
        }
        if last_power.get(&v.operator) != Some(&power) {
            updates.push(ValidatorUpdate { pubkey: v.consensus_pubkey, power });
            state.set_last_power(&v.operator, power)?;
        }
    }
    let unbonding_secs = params.unbonding_time_secs;
    for (op, _) in &last {
        if chosen.contains(op) {
            continue;
        }
        state.set_last_power(op, 0)?;
        let Some(mut v) = state.validator(op)? else { continue };
        updates.push(ValidatorUpdate { pubkey: v.consensus_pubkey, power: 0 });
        if v.status == BondStatus::Bonded {
            state.transfer(&bonded_pool(), &not_bonded_pool(), &coins(v.tokens, &denom)?)?;
            v.status = BondStatus::Unbonding;
            v.unbonding_height = ctx.height;
            v.unbonding_time = Time::of(ctx).plus_secs(unbonding_secs);
            state.put_raw(keys::validator_queue(v.unbonding_time, op), Vec::new())?;
            state.set_validator(&v)?;
            state.emit(events::validator_unbonding(op, v.unbonding_time));
        }
    }
    Ok(updates)
}

/// Validators whose unbonding period has passed become unbonded; empty ones are removed.
pub fn complete_validator_unbonding(state: &mut impl StateWrite, ctx: &BlockCtx) -> Result<(), Error> {
    let now = Time::of(ctx);
    for key in due(state, keys::VALIDATOR_QUEUE, now)? {
        state.delete_raw(key.clone())?;
        let op = keys::queue_addresses(&key, keys::VALIDATOR_QUEUE)[0];
        let Some(mut v) = state.validator(&op)? else { continue };
        if v.status != BondStatus::Unbonding || v.unbonding_time > now {
            continue;
        }
        v.status = BondStatus::Unbonded;
        if v.delegator_shares.is_zero() {
            distribution::close_validator(state, &op)?;
            state.remove_validator(&v)?;
        } else {
            state.set_validator(&v)?;
        }
    }
    Ok(())
}
