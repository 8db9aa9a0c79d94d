//! Creating and destroying coins: only in module accounts that hold the permission.

use salus_sdk::{Coins, Error, ModuleAccount, Permission, StateWrite};

use crate::error::TokenError;
use crate::events;
use crate::state::{TokenRead, TokenStore};

pub trait MintBurn: StateWrite {
    /// Creates coins in `into` and raises the supply; `into` must hold [`Permission::Minter`].
    fn mint(&mut self, into: &ModuleAccount, amount: &Coins) -> Result<(), Error> {
        require(into, Permission::Minter, "mint into")?;
        self.mint_unchecked(&into.address(), amount)
    }

    /// Destroys coins held by `from` and lowers the supply; `from` must hold
    /// [`Permission::Burner`].
    fn burn(&mut self, from: &ModuleAccount, amount: &Coins) -> Result<(), Error> {
        require(from, Permission::Burner, "burn from")?;
        let from = from.address();
        self.sub_coins(&from, amount)?;
        for c in amount.iter() {
            let supply = self
                .supply(&c.denom)?
                .checked_sub(c.amount)
                .ok_or_else(|| Error::internal("supply below a balance"))?;
            self.set_supply(&c.denom, supply)?;
        }
        self.emit(events::burn(&from, amount));
        Ok(())
    }
}

impl<S: StateWrite + ?Sized> MintBurn for S {}

fn require(account: &ModuleAccount, permission: Permission, what: &str) -> Result<(), Error> {
    if account.can(permission) {
        return Ok(());
    }
    Err(TokenError::NoPermission
        .with(format!("cannot {what} module account {}: it lacks the {permission:?} permission", account.name)))
}
