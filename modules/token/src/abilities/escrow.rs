//! Holding a user's coins in a module account, and giving them back.

use salus_sdk::{Address, Coins, Error, ModuleAccount, StateWrite};

use super::Transfer;

pub trait Escrow: StateWrite {
    /// Moves `amount` from a user into the module account `into` (a deposit, a bond, an IBC
    /// escrow).
    fn escrow(&mut self, from: &Address, into: &ModuleAccount, amount: &Coins) -> Result<(), Error> {
        self.transfer(from, &into.address(), amount)
    }

    /// Moves `amount` out of the module account `from` to `to`.
    fn release(&mut self, from: &ModuleAccount, to: &Address, amount: &Coins) -> Result<(), Error> {
        self.transfer(&from.address(), to, amount)
    }
}

impl<S: StateWrite + ?Sized> Escrow for S {}
