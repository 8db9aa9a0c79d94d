//! One function per message: checks against state, then writes.

use salus_sdk::module::check_authority;
use salus_sdk::{Address, Error, StateWrite};

use crate::error::TokenError;
use crate::msgs::TokenMsg;
use crate::state::{TokenRead, TokenStore};
use crate::{events, Params, Transfer};

pub fn execute(state: &mut impl StateWrite, msg: &TokenMsg) -> Result<(), Error> {
    match msg {
        TokenMsg::Send { from, to, amount } => {
            check_send_enabled(state)?;
            check_recipient(state, to)?;
            state.transfer(from, to, amount)
        }
        TokenMsg::MultiSend { inputs, outputs } => {
            check_send_enabled(state)?;
            for (to, _) in outputs {
                check_recipient(state, to)?;
            }
            for (from, coins) in inputs {
                state.sub_coins(from, coins)?;
            }
            for (to, coins) in outputs {
                state.add_coins(to, coins)?;
                if let Some((from, _)) = inputs.first() {
                    state.emit(crate::events::transfer(to, from, coins));
                }
            }
            Ok(())
        }
        // Not a transfer, so never refused by `send_enabled`: governance can switch them back on.
        TokenMsg::UpdateParams { authority, params } => update_params(state, authority, params),
    }
}

fn check_send_enabled(state: &impl StateWrite) -> Result<(), Error> {
    if !state.params()?.send_enabled {
        return Err(TokenError::SendDisabled.with("transfers are disabled by governance on this chain"));
    }
    Ok(())
}

fn check_recipient(state: &impl StateWrite, to: &Address) -> Result<(), Error> {
    if state.is_blocked(to)? {
        return Err(TokenError::BlockedRecipient
            .with(format!("{to} is a module account and cannot receive funds by a transfer: check the recipient")));
    }
    Ok(())
}

/// Governance's params update. `send_enabled` binds from the next message on; the size caps bind
/// messages decoded from the next block on (the node reloads [`crate::TokenModule`]'s decode
/// limits from committed state at every Commit).
fn update_params(state: &mut impl StateWrite, authority: &Address, params: &Params) -> Result<(), Error> {
    check_authority(authority)?;
    params.validate()?;
    state.set_params(params)?;
    state.emit(events::update_params(authority, params));
    Ok(())
}
