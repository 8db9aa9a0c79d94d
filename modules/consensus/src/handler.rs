//! The two updates: checked as CometBFT (or genesis) checks them, as the governance authority.

use salus_sdk::auth::{AuthParamsRead, AuthParamsWrite};
use salus_sdk::module::check_authority;
use salus_sdk::{Error, StateWrite};

use crate::events;
use crate::msgs::ConsensusMsg;
use crate::state::{ConsensusRead, ConsensusWrite};

pub fn execute(state: &mut impl StateWrite, msg: &ConsensusMsg) -> Result<(), Error> {
    match msg {
        ConsensusMsg::UpdateConsensusParams { authority, params } => {
            check_authority(authority)?;
            params.validate()?;
            params.check_fits(&state.auth_params()?)?;
            state.set_pending_comet_params(params)?;
            state.emit(events::update_consensus_params(authority, params));
        }
        ConsensusMsg::UpdateTxLimits { authority, params } => {
            check_authority(authority)?;
            params.validate()?;
            params.check_governable()?;
            // Against CometBFT's params as this block will leave them.
            let comet = match state.pending_comet_params()? {
                Some(p) => p,
                None => state.comet_params()?,
            };
            comet.check_fits(params)?;
            state.set_auth_params(params)?;
            state.emit(events::update_tx_limits(authority, params));
        }
    }
    Ok(())
}
