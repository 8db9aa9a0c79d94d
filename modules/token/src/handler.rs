//! One function per message: checks against state, then writes.

use salus_sdk::{Address, Error, StateWrite};

use crate::error::TokenError;
use crate::msgs::TokenMsg;
use crate::state::{TokenRead, TokenStore};
use crate::Transfer;

pub fn execute(state: &mut impl StateWrite, msg: &TokenMsg) -> Result<(), Error> {
    if !state.params()?.send_enabled {
        return Err(TokenError::SendDisabled.with("transfers are disabled by governance on this chain"));
    }
    match msg {
        TokenMsg::Send { from, to, amount } => {
            check_recipient(state, to)?;
            state.transfer(from, to, amount)
        }
        TokenMsg::MultiSend { inputs, outputs } => {
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
    }
}

fn check_recipient(state: &impl StateWrite, to: &Address) -> Result<(), Error> {
    if state.is_blocked(to)? {
        return Err(TokenError::BlockedRecipient
            .with(format!("{to} is a module account and cannot receive funds by a transfer: check the recipient")));
    }
    Ok(())
}
