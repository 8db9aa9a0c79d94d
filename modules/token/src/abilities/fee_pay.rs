//! Paying a transaction's fee into the fee collector.

use salus_sdk::{Address, Coins, Error, SdkCode, StateWrite};

use super::Transfer;
use crate::module::fee_collector;

pub trait FeePay: StateWrite {
    /// Moves the fee from `payer` to the fee collector; a payer short of it gets the standard
    /// insufficient-funds code with what to fix.
    fn pay_fee(&mut self, payer: &Address, fee: &Coins) -> Result<(), Error> {
        if fee.is_empty() {
            return Ok(());
        }
        self.transfer(payer, &fee_collector(), fee).map_err(|e| {
            if e.is(SdkCode::InsufficientFunds) {
                Error::sdk(SdkCode::InsufficientFunds, format!("{}: insufficient funds to pay the fee", e.message))
            } else {
                e
            }
        })
    }
}

impl<S: StateWrite + ?Sized> FeePay for S {}
