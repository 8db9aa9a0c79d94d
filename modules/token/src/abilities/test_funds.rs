//! For tests of other modules only (the `test-support` feature): coins created in any account,
//! as genesis balances are.

use salus_sdk::{Address, Coins, Error, StateWrite};

use crate::state::TokenStore;

pub trait TestFunds: StateWrite {
    /// Mints `amount` into `to`, whoever it is, as a genesis balance.
    fn fund(&mut self, to: &Address, amount: &Coins) -> Result<(), Error> {
        self.mint_unchecked(to, amount)
    }
}

impl<S: StateWrite + ?Sized> TestFunds for S {}
