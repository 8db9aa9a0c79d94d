//! Invariants the module keeps after every block; tests check them block by block.

use salus_sdk::{Error, StateRead};
use salus_token::TokenRead;

use crate::state::{bonded_pool, distribution_account, not_bonded_pool, StakingRead};
use crate::types::BondStatus;
use salus_sdk::dec::{Dec, DecCoins};

fn broken(msg: String) -> Error {
    Error::internal(format!("invariant broken: {msg}"))
}

fn sum(mut amounts: impl Iterator<Item = u128>) -> Result<u128, Error> {
    amounts.try_fold(0u128, |total, a| total.checked_add(a)).ok_or_else(|| broken("token amounts overflow".into()))
}

/// The slashing module's: every validator that is or was in the set has its liveness record,
/// and a tombstoned validator stays jailed (else downtime and double signs would go unpunished).
pub fn check_slashing(state: &impl StateRead) -> Result<(), Error> {
    for v in state.validators()? {
        let info = state.signing_info(&v.cons_address())?;
        if v.status != BondStatus::Unbonded && info.is_none() {
            return Err(broken(format!("{} is {:?} but has no signing info", v.operator, v.status)));
        }
        if info.is_some_and(|i| i.tombstoned) && !v.jailed {
            return Err(broken(format!("{} is tombstoned but not jailed", v.operator)));
        }
    }
    Ok(())
}

/// Checks every invariant; the error names the first one broken.
pub fn check(state: &impl StateRead) -> Result<(), Error> {
    let denom = state.staking_params()?.bond_denom;
    let validators = state.validators()?;

    // The pools hold exactly the stake they account for (sums that would overflow are broken too:
    // a genesis may claim any amounts).
    let bonded = sum(validators.iter().filter(|v| v.status == BondStatus::Bonded).map(|v| v.tokens))?;
    let not_bonded_validators = sum(validators.iter().filter(|v| v.status != BondStatus::Bonded).map(|v| v.tokens))?;
    // Unbonding delegations may outlive their validator, so all of them count.
    let unbonding = sum(state.all_unbondings()?.iter().flat_map(|u| &u.entries).map(|e| e.balance))?;
    let bonded_balance = state.balance(&bonded_pool(), &denom)?;
    if bonded_balance != bonded {
        return Err(broken(format!("bonded pool holds {bonded_balance} but bonded validators hold {bonded}")));
    }
    let not_bonded_balance = state.balance(&not_bonded_pool(), &denom)?;
    if Some(not_bonded_balance) != not_bonded_validators.checked_add(unbonding) {
        return Err(broken(format!(
            "not-bonded pool holds {not_bonded_balance} but owes {not_bonded_validators} to validators and {unbonding} to unbonding delegations"
        )));
    }

    // The power index lists exactly the validators that could be in the set, at their power.
    let mut expected: Vec<Vec<u8>> = validators
        .iter()
        .filter(|v| v.potential_power() > 0)
        .map(|v| crate::keys::by_power(v.potential_power(), &v.operator))
        .collect();
    expected.sort();
    let indexed: Vec<Vec<u8>> = state.prefix_raw(crate::keys::BY_POWER_PREFIX)?.into_iter().map(|(k, _)| k).collect();
    if indexed != expected {
        return Err(broken(format!(
            "the power index holds {} entries but {} validators could be in the set, or their powers differ",
            indexed.len(),
            expected.len()
        )));
    }

    // Delegations account for every share, and none is worth more than the validator holds.
    for v in &validators {
        let mut shares = Dec::ZERO;
        for d in state.delegations_to(&v.operator)? {
            shares = shares.checked_add(d.shares)?;
            if v.tokens_for(d.shares)? > v.tokens {
                return Err(broken(format!("a delegation to {} is worth more than the validator", v.operator)));
            }
        }
        if shares != v.delegator_shares {
            return Err(broken(format!(
                "delegations to {} hold {shares} shares but the validator issued {}",
                v.operator, v.delegator_shares
            )));
        }
    }

    // Undistributed rewards and the community pool are exactly what the distribution account holds.
    let mut owed = state.community_pool()?;
    for v in &validators {
        let r = state.validator_rewards(&v.operator)?;
        owed = owed.add(&r.outstanding)?;
        let mut pending = r.commission.clone();
        for d in state.delegations_to(&v.operator)? {
            pending = pending.add(&crate::distribution::pending_rewards(state, &d.delegator, &v.operator)?)?;
        }
        if pending.sub(&r.outstanding).map(|over| !over.is_empty()).unwrap_or(false) {
            return Err(broken(format!("{} owes more rewards than it holds", v.operator)));
        }
    }
    let held = DecCoins::from_coins(&salus_sdk::Coins::new(state.balances(&distribution_account())?)?);
    if held != owed {
        return Err(broken(format!("the distribution account holds {held} but owes {owed}")));
    }
    Ok(())
}
