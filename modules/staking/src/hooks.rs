//! The staking module's end-block hook: the validator set, matured unbondings and the historical
//! record. (Distribution's and slashing's begin-block hooks are in module.rs.)

use salus_sdk::{BlockCtx, Error, StateWrite};

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
    })?;
    if ctx.height > keep {
        state.delete_raw(keys::historical(ctx.height - keep))?;
    }
    Ok(())
}
