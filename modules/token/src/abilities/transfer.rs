//! Moving coins between any two accounts.

use salus_sdk::{Address, Coins, Error, StateWrite};

use crate::events;
use crate::state::TokenStore;

pub trait Transfer: StateWrite {
    /// Moves coins between accounts (module accounts included). Refusing user transfers to
    /// module accounts is the bank message handler's concern: modules may pay module accounts.
    fn transfer(&mut self, from: &Address, to: &Address, amount: &Coins) -> Result<(), Error> {
        if amount.is_empty() {
            return Ok(());
        }
        self.sub_coins(from, amount)?;
        self.add_coins(to, amount)?;
        self.emit(events::transfer(to, from, amount));
        Ok(())
    }
}

impl<S: StateWrite + ?Sized> Transfer for S {}
