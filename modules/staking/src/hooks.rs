//! The staking module's end-block hook: the validator set, matured unbondings and the historical
//! record. (Distribution's and slashing's begin-block hooks are in module.rs.)

use salus_sdk::{BlockCtx, Error, StateRead, StateWrite};

use crate::state::{HistoricalRecord, StakingRead, StakingWrite};
use crate::types::{Time, ValidatorUpdate};
use crate::{bonding, keys};

/// Returns the validator-set changes for CometBFT (effective two heights later).
pub fn end_block(state: &mut impl StateWrite, ctx: &BlockCtx) -> Result<Vec<ValidatorUpdate>, Error> {
    let updates = bonding::apply_validator_set(state, ctx)?;
    bonding::complete_validator_unbonding(state, ctx)?;
    bonding::complete_matured(state, ctx)?;
    record_history(state, ctx)?;
    Ok(updates)
}

fn record_history(state: &mut impl StateWrite, ctx: &BlockCtx) -> Result<(), Error> {
    let keep = state.staking_params()?.historical_entries as u64;
    state.set_historical(&HistoricalRecord {
        height: ctx.height,
        time: Time::of(ctx),
        chain_id: ctx.chain_id.clone(),
        validators: state.last_powers()?,
        app_hash: ctx.header.app_hash.clone(),
        next_validators_hash: ctx.header.next_validators_hash.clone(),
    })?;
    // Down from the newest record past `keep` to the first height without one: one record in a
    // steady state, every record past a lowered `historical_entries` the first time (as Cosmos'
    // TrackHistoricalInfo).
    let mut height = ctx.height.saturating_sub(keep);
    while height > 0 && state.get_raw(&keys::historical(height))?.is_some() {
        state.delete_raw(keys::historical(height))?;
        height -= 1;
    }
    Ok(())
}
