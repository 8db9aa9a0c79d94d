//! Rewards: per-block inflation, fees, commission, and a reward-per-share accumulator per
//! validator, so a block's rewards cost one write per validator whatever the number of delegators.
//!
//! Shares, not tokens, earn rewards: a slash lowers every share's token value alike, so rewards per
//! share stay proportional to stake without Cosmos F1's slash-event history. Amounts are decimal
//! until paid; payouts are whole units and the fractional change goes to the community pool.

use salus_sdk::{Address, Coin, Coins, Error, StateWrite};
use salus_token::{MintBurn, TokenRead, Transfer};

use crate::error::DistributionError;
use crate::events;
use crate::state::{distribution_account, StakingRead, StakingWrite};
use crate::types::{Validator, ValidatorRewards, VoteInfo};
use salus_sdk::dec::{Dec, DecCoins};

/// Mints this block's inflation into the fee collector, then shares everything the fee collector
/// holds among the validators that voted on the last block, by power.
///
/// A block hook: it fails only if the store does. Amounts are bounded by what exists (every
/// coin amount is a [`Dec`]); the mint stops at what the supply can still hold, and a share that
/// cannot be added to a validator's accumulator goes to the community pool with an event.
pub fn allocate(state: &mut impl StateWrite, votes: &[VoteInfo]) -> Result<(), Error> {
    let fee_collector = &salus_token::fee_collector();
    let params = state.distribution_params()?;
    let denom = state.staking_params()?.bond_denom;
    let supply = state.supply(&denom)?;
    let provision = Dec::from_int(supply)
        .checked_mul(params.inflation_rate)
        .and_then(|d| d.mul_ratio(1, params.blocks_per_year as u128))
        .map(Dec::truncate)
        .unwrap_or(0)
        .min(u128::MAX - supply);
    if provision > 0 {
        state.mint(&salus_token::FEE_COLLECTOR, &Coins::new(vec![Coin::new(provision, denom.clone())])?)?;
        state.emit(events::mint(provision, &denom, params.inflation_rate));
    }
    let collected = Coins::new(state.balances(fee_collector)?)?;
    if collected.is_empty() {
        return Ok(());
    }
    state.transfer(fee_collector, &distribution_account(), &collected)?;
    let collected = DecCoins::from_coins(&collected);

    let total_power: u128 = votes.iter().map(|v| v.power as u128).sum();
    let mut remaining = collected.clone();
    if total_power > 0 {
        // Both are at most `collected` (rates are at most 1), so neither can fail.
        let for_validators =
            Dec::ONE.checked_sub(params.community_tax).and_then(|share| collected.mul_dec(share)).unwrap_or_default();
        for vote in votes {
            let Some(validator) = state.validator_by_cons(&vote.cons_address)? else { continue };
            let Ok(reward) = for_validators.mul_ratio(vote.power as u128, total_power) else { continue };
            if allocate_to_validator(state, &validator, &reward)? {
                remaining = remaining.saturating_sub(&reward);
            }
        }
    }
    let pool = state.community_pool()?.saturating_add(&remaining);
    state.set_community_pool(&pool)
}

/// Commission to the operator's account of rewards, the rest to the validator's shares. Returns
/// false, writing nothing, if the validator's records cannot hold more (an accumulator at the
/// 256-bit limit): the caller leaves those tokens to the community pool.
fn allocate_to_validator(state: &mut impl StateWrite, v: &Validator, tokens: &DecCoins) -> Result<bool, Error> {
    if tokens.is_empty() {
        return Ok(true);
    }
    let r = state.validator_rewards(&v.operator)?;
    let commission = tokens.mul_dec(v.commission.rate).unwrap_or_default();
    let shared = tokens.saturating_sub(&commission);
    let added = (|| -> Result<ValidatorRewards, Error> {
        let mut next = r.clone();
        next.commission = r.commission.add(&commission)?;
        if v.delegator_shares.is_zero() {
            next.outstanding = r.outstanding.add(&commission)?;
        } else {
            next.reward_per_share = r.reward_per_share.add(&shared.quo_dec(v.delegator_shares)?)?;
            next.outstanding = r.outstanding.add(tokens)?;
        }
        Ok(next)
    })();
    let Ok(next) = added else {
        state.emit(events::rewards_to_community_pool(&v.operator, tokens));
        return Ok(false);
    };
    if v.delegator_shares.is_zero() {
        // Nobody to pay: the delegators' part goes to the community pool.
        let pool = state.community_pool()?.saturating_add(&shared);
        state.set_community_pool(&pool)?;
    }
    state.set_validator_rewards(&v.operator, &next)?;
    state.emit(events::commission(&v.operator, &commission));
    state.emit(events::rewards(&v.operator, &shared));
    Ok(true)
}

/// What `shares` earned since the accumulator stood at `start`: never more than the validator
/// holds for its delegators and operator, and never an error (a product beyond 256 bits, which
/// only a broken accumulator could give, counts as everything outstanding).
fn owed(r: &ValidatorRewards, start: &DecCoins, shares: Dec) -> DecCoins {
    let per_share = r.reward_per_share.saturating_sub(start);
    per_share.mul_dec(shares).unwrap_or_else(|_| r.outstanding.clone()).min_each(&r.outstanding)
}

/// What a delegation has earned since it last settled (decimal, not yet paid).
pub fn pending_rewards(state: &impl StakingRead, del: &Address, val: &Address) -> Result<DecCoins, Error> {
    let Some(d) = state.delegation(del, val)? else { return Ok(DecCoins::default()) };
    Ok(owed(&state.validator_rewards(val)?, &state.reward_start(del, val)?, d.shares))
}

/// Pays the rewards of a delegation holding `shares` (`None`: one about to be created) in whole
/// units, the change to the community pool, and restarts its accumulator at the validator's
/// current one. Runs before every change to a delegation's shares; callers pass the shares they
/// have read.
pub fn settle(state: &mut impl StateWrite, del: &Address, val: &Address, shares: Option<Dec>) -> Result<Coins, Error> {
    let mut r = state.validator_rewards(val)?;
    let Some(shares) = shares else {
        state.set_reward_start(del, val, &r.reward_per_share)?;
        return Ok(Coins::empty());
    };
    let reward = owed(&r, &state.reward_start(del, val)?, shares);
    let (paid, change) = reward.truncate()?;
    if !reward.is_empty() {
        r.outstanding = r.outstanding.saturating_sub(&reward);
        state.set_validator_rewards(val, &r)?;
        state.transfer(&distribution_account(), &state.withdraw_address(del)?, &paid)?;
        let pool = state.community_pool()?.saturating_add(&change);
        state.set_community_pool(&pool)?;
    }
    state.set_reward_start(del, val, &r.reward_per_share)?;
    state.emit(events::withdraw_rewards(val, del, &paid));
    Ok(paid)
}

/// Pays the operator its whole commission; the fractional change stays for later.
pub fn withdraw_commission(state: &mut impl StateWrite, op: &Address) -> Result<Coins, Error> {
    let mut r = state.validator_rewards(op)?;
    let (paid, change) = r.commission.truncate()?;
    if paid.is_empty() {
        return Err(DistributionError::NoValidatorCommission
            .with(format!("{} has no whole commission to withdraw yet", op.to_valoper())));
    }
    r.commission = change;
    r.outstanding = r.outstanding.saturating_sub(&DecCoins::from_coins(&paid));
    state.set_validator_rewards(op, &r)?;
    state.transfer(&distribution_account(), &state.withdraw_address(op)?, &paid)?;
    state.emit(events::withdraw_commission(op, &paid));
    Ok(paid)
}

/// A validator leaves state: its commission is paid, whatever else it holds goes to the pool.
pub fn close_validator(state: &mut impl StateWrite, op: &Address) -> Result<(), Error> {
    let r = state.validator_rewards(op)?;
    let (paid, _) = r.commission.truncate()?;
    if !paid.is_empty() {
        state.transfer(&distribution_account(), &state.withdraw_address(op)?, &paid)?;
    }
    let rest = r.outstanding.saturating_sub(&DecCoins::from_coins(&paid));
    let pool = state.community_pool()?.saturating_add(&rest);
    state.set_community_pool(&pool)
}

/// Adds coins from `depositor` to the community pool.
pub fn fund_community_pool(state: &mut impl StateWrite, depositor: &Address, amount: &Coins) -> Result<(), Error> {
    state.transfer(depositor, &distribution_account(), amount)?;
    let pool = state.community_pool()?.add(&DecCoins::from_coins(amount))?;
    state.set_community_pool(&pool)
}

/// Governance pays `amount` from the community pool to `recipient` (the caller has checked the
/// authority): never more than the pool holds (its decimal amounts, of which whole coins are paid
/// from the distribution account), and never to a module account, as Cosmos refuses. A refusal
/// writes nothing.
pub fn spend_community_pool(
    state: &mut impl StateWrite,
    authority: &Address,
    recipient: &Address,
    amount: &Coins,
) -> Result<(), Error> {
    if state.is_blocked(recipient)? {
        return Err(Error::sdk(
            salus_sdk::SdkCode::Unauthorized,
            format!("{recipient} is a module account and is not allowed to receive funds from the community pool"),
        ));
    }
    let pool = state.community_pool()?;
    let rest = pool.sub(&DecCoins::from_coins(amount)).map_err(|_| {
        let held = if pool.is_empty() { "nothing".to_string() } else { pool.to_string() };
        DistributionError::BadDistribution
            .with(format!("the community pool holds {held}: it cannot pay {amount}; ask for at most what it holds"))
    })?;
    state.set_community_pool(&rest)?;
    state.transfer(&distribution_account(), recipient, amount)?;
    state.emit(events::community_pool_spend(authority, recipient, amount));
    Ok(())
}

/// For queries: the rewards a delegator could withdraw from every validator.
pub fn total_rewards(state: &impl StakingRead, del: &Address) -> Result<Vec<(Address, DecCoins)>, Error> {
    let mut out = Vec::new();
    for d in state.delegations_of(del)? {
        out.push((d.validator, pending_rewards(state, del, &d.validator)?));
    }
    Ok(out)
}
