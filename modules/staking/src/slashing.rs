//! Slashing: liveness over a window of signed blocks, double-sign evidence, and the slash that
//! reaches stake which was bonded at the infraction but has since started to leave.

use salus_sdk::address::VALCONS_PREFIX;
use salus_sdk::{Address, BlockCtx, Error, StateWrite};
use salus_token::MintBurn;

use crate::bonding::{coins, pool_account_of, unbond};
use crate::events;
use crate::params::POWER_REDUCTION;
use crate::state::{StakingRead, StakingWrite};
use crate::types::{Misbehavior, Time, Validator, VoteInfo, FOREVER};
use salus_sdk::dec::Dec;

/// CometBFT applies a validator update returned at height H from H+2; the infraction's stake is
/// the one bonded `VALIDATOR_UPDATE_DELAY` blocks before.
const VALIDATOR_UPDATE_DELAY: u64 = 1;

pub fn cons_bech32(cons: &[u8; 20]) -> String {
    Address(*cons).to_bech32(VALCONS_PREFIX)
}

/// Burns `fraction` of the stake a validator had at `infraction_height` (given as its consensus
/// `power` then): first from unbonding delegations and redelegations that started at or after the
/// infraction, the rest from the validator's tokens. Returns the tokens burned.
pub fn slash(
    state: &mut impl StateWrite,
    ctx: &BlockCtx,
    op: &Address,
    infraction_height: u64,
    power: u64,
    fraction: Dec,
    reason: &str,
) -> Result<u128, Error> {
    let denom = state.staking_params()?.bond_denom;
    let now = Time::of(ctx);
    // Never an error on amounts: a block hook must not fail on them (fraction is at most 1).
    let amount = fraction.mul_int_truncate((power as u128).saturating_mul(POWER_REDUCTION));
    let mut remaining = amount;
    let mut burned = 0u128;
    if infraction_height < ctx.height {
        for mut u in state.unbondings_from(op)? {
            let mut from_entries = 0u128;
            for e in u.entries.iter_mut() {
                if e.creation_height < infraction_height || e.completion_time <= now {
                    continue;
                }
                let due = fraction.mul_int_truncate(e.initial_balance);
                remaining = remaining.saturating_sub(due);
                let take = due.min(e.balance);
                e.balance -= take;
                from_entries = from_entries.saturating_add(take);
            }
            if from_entries > 0 {
                state.set_unbonding(&u)?;
                state.burn(&crate::module::NOT_BONDED_POOL, &coins(from_entries, &denom)?)?;
                burned = burned.saturating_add(from_entries);
            }
        }
        for r in state.redelegations_from(op)? {
            for e in &r.entries {
                if e.creation_height < infraction_height || e.completion_time <= now {
                    continue;
                }
                let due = fraction.mul_int_truncate(e.initial_balance);
                remaining = remaining.saturating_sub(due);
                let Some(d) = state.delegation(&r.delegator, &r.dst)? else { continue };
                let shares = e.shares_dst.saturating_mul(fraction).min(d.shares);
                if shares.is_zero() {
                    continue;
                }
                let Some(dst) = state.validator(&r.dst)? else { continue };
                let tokens = unbond(state, &r.delegator, &r.dst, shares)?;
                if tokens > 0 {
                    state.burn(&pool_account_of(dst.status), &coins(tokens, &denom)?)?;
                    burned = burned.saturating_add(tokens);
                }
            }
        }
    }
    let Some(mut v) = state.validator(op)? else { return Ok(burned) };
    let from_validator = remaining.min(v.tokens);
    if from_validator > 0 {
        v.tokens -= from_validator;
        state.set_validator(&v)?;
        state.burn(&pool_account_of(v.status), &coins(from_validator, &denom)?)?;
        burned = burned.saturating_add(from_validator);
    }
    state.emit(events::slash(&cons_bech32(&v.cons_address()), power, reason, burned));
    Ok(burned)
}

fn jail(state: &mut impl StateWrite, v: &mut Validator) -> Result<(), Error> {
    if !v.jailed {
        v.jailed = true;
        state.set_validator(v)?;
    }
    Ok(())
}

/// Records who signed the last block; jails and slashes a validator that missed too many.
pub fn handle_votes(state: &mut impl StateWrite, ctx: &BlockCtx, votes: &[VoteInfo]) -> Result<(), Error> {
    let params = state.slashing_params()?;
    let window = params.signed_blocks_window;
    let max_missed = params.max_missed()?;
    for vote in votes {
        let cons = vote.cons_address;
        let Some(mut info) = state.signing_info(&cons)? else { continue };
        let index = info.index_offset % window;
        info.index_offset = info.index_offset.saturating_add(1);
        let was_missed = state.missed(&cons, index)?;
        let missed = !vote.signed;
        if missed != was_missed {
            state.set_missed(&cons, index, missed)?;
            if missed {
                info.missed_blocks_counter = info.missed_blocks_counter.saturating_add(1);
            } else {
                info.missed_blocks_counter = info.missed_blocks_counter.saturating_sub(1);
            }
        }
        if missed {
            state.emit(events::liveness(&cons_bech32(&cons), info.missed_blocks_counter, ctx.height));
        }
        let min_height = info.start_height.saturating_add(window);
        if ctx.height > min_height && info.missed_blocks_counter > max_missed {
            if let Some(mut v) = state.validator_by_cons(&cons)? {
                if !v.jailed {
                    let infraction = ctx.height.saturating_sub(VALIDATOR_UPDATE_DELAY + 1);
                    slash(
                        state,
                        ctx,
                        &v.operator,
                        infraction,
                        vote.power,
                        params.slash_fraction_downtime,
                        "missing_signature",
                    )?;
                    v = state.validator(&v.operator)?.unwrap_or(v);
                    jail(state, &mut v)?;
                    info.jailed_until = Time::of(ctx).plus_secs(params.downtime_jail_duration_secs);
                    info.missed_blocks_counter = 0;
                    info.index_offset = 0;
                    state.clear_missed(&cons)?;
                    state.emit(events::jail(&cons_bech32(&cons), info.jailed_until));
                }
            }
        }
        state.set_signing_info(&info)?;
    }
    Ok(())
}

/// Double-sign evidence: slash at the infraction height, jail for good, tombstone.
pub fn handle_misbehavior(state: &mut impl StateWrite, ctx: &BlockCtx, evidence: &[Misbehavior]) -> Result<(), Error> {
    let params = state.slashing_params()?;
    for ev in evidence {
        let Some(v) = state.validator_by_cons(&ev.cons_address)? else { continue };
        if v.status == crate::types::BondStatus::Unbonded {
            continue;
        }
        let Some(mut info) = state.signing_info(&ev.cons_address)? else { continue };
        if info.tombstoned {
            continue;
        }
        let infraction = ev.height.saturating_sub(VALIDATOR_UPDATE_DELAY);
        slash(state, ctx, &v.operator, infraction, ev.power, params.slash_fraction_double_sign, "double_sign")?;
        let mut v = state.validator(&v.operator)?.unwrap_or(v);
        jail(state, &mut v)?;
        info.jailed_until = FOREVER;
        info.tombstoned = true;
        state.set_signing_info(&info)?;
        state.emit(events::jail(&cons_bech32(&ev.cons_address), FOREVER));
    }
    Ok(())
}

/// The window shrank to `window` blocks: every missed block recorded at an index beyond it is
/// dropped, and no longer counted in its validator's `missed_blocks_counter`.
pub fn shrink_window(state: &mut impl StateWrite, window: u64) -> Result<(), Error> {
    let mut dropped: std::collections::BTreeMap<[u8; 20], u64> = Default::default();
    for (cons, index) in state.all_missed()? {
        if index >= window {
            state.set_missed(&cons, index, false)?;
            *dropped.entry(cons).or_default() += 1;
        }
    }
    for (cons, n) in dropped {
        if let Some(mut info) = state.signing_info(&cons)? {
            info.missed_blocks_counter = info.missed_blocks_counter.saturating_sub(n);
            state.set_signing_info(&info)?;
        }
    }
    Ok(())
}
