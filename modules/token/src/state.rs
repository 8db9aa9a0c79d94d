//! The only code that touches the token module's keys. Other modules move funds through the
//! abilities in abilities/ ([`crate::Transfer`], [`crate::Escrow`], [`crate::MintBurn`],
//! [`crate::FeePay`]), never through these keys.

use borsh::{BorshDeserialize, BorshSerialize};
use salus_proto::cosmos::base::query::v1beta1::PageResponse;
use salus_sdk::auth::AuthWrite;
use salus_sdk::pagination::{paginate, Page};
use salus_sdk::{Address, Coin, Coins, Error, StateRead, StateReadExt, StateWrite, StateWriteExt};

use crate::error::{insufficient_funds, TokenError};
use crate::{events, keys, Params};

/// Denomination metadata, as `cosmos.bank.v1beta1.Metadata`.
#[derive(
    Clone, Debug, Default, PartialEq, Eq, BorshSerialize, BorshDeserialize, serde::Serialize, serde::Deserialize,
)]
#[serde(deny_unknown_fields)]
pub struct DenomMetadata {
    #[serde(default)]
    pub description: String,
    pub denom_units: Vec<DenomUnit>,
    pub base: String,
    pub display: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub symbol: String,
    #[serde(default)]
    pub uri: String,
    #[serde(default)]
    pub uri_hash: String,
}

#[derive(
    Clone, Debug, Default, PartialEq, Eq, BorshSerialize, BorshDeserialize, serde::Serialize, serde::Deserialize,
)]
#[serde(deny_unknown_fields)]
pub struct DenomUnit {
    pub denom: String,
    pub exponent: u32,
    #[serde(default)]
    pub aliases: Vec<String>,
}

pub trait TokenRead: StateRead {
    fn params(&self) -> Result<Params, Error> {
        Ok(self.get(keys::PARAMS)?.unwrap_or_default())
    }

    fn balance(&self, addr: &Address, denom: &str) -> Result<u128, Error> {
        Ok(self.get(&keys::balance(addr, denom))?.unwrap_or(0))
    }

    fn balances(&self, addr: &Address) -> Result<Vec<Coin>, Error> {
        let prefix = keys::balances_of(addr);
        self.prefix::<u128>(&prefix)?
            .into_iter()
            .map(|(k, amount)| {
                let denom = String::from_utf8(k[prefix.len()..].to_vec()).map_err(Error::internal)?;
                Ok(Coin { denom, amount })
            })
            .collect()
    }

    fn supply(&self, denom: &str) -> Result<u128, Error> {
        Ok(self.get(&keys::supply(denom))?.unwrap_or(0))
    }

    fn total_supply(&self) -> Result<Vec<Coin>, Error> {
        self.prefix::<u128>(keys::SUPPLY_PREFIX)?
            .into_iter()
            .map(|(k, amount)| {
                let denom = String::from_utf8(k[keys::SUPPLY_PREFIX.len()..].to_vec()).map_err(Error::internal)?;
                Ok(Coin { denom, amount })
            })
            .collect()
    }

    fn denom_metadata(&self, denom: &str) -> Result<Option<DenomMetadata>, Error> {
        self.get(&keys::metadata(denom))
    }

    fn all_denom_metadata(&self) -> Result<Vec<DenomMetadata>, Error> {
        Ok(self.prefix::<DenomMetadata>(keys::METADATA_PREFIX)?.into_iter().map(|(_, m)| m).collect())
    }

    /// A page of an address' balances, by denom (`next_key`: the denom to continue from).
    fn balances_page(&self, addr: &Address, page: &Page) -> Result<(Vec<Coin>, PageResponse), Error> {
        coins_page(self, &keys::balances_of(addr), page)
    }

    /// A page of the supply, by denom.
    fn total_supply_page(&self, page: &Page) -> Result<(Vec<Coin>, PageResponse), Error> {
        coins_page(self, keys::SUPPLY_PREFIX, page)
    }

    /// A page of the denoms' metadata, by denom.
    fn denom_metadata_page(&self, page: &Page) -> Result<(Vec<DenomMetadata>, PageResponse), Error> {
        let (found, resp) = paginate(self, keys::METADATA_PREFIX, page)?;
        let list =
            found.iter().map(|(_, v)| borsh::from_slice(v).map_err(Error::internal)).collect::<Result<_, _>>()?;
        Ok((list, resp))
    }

    /// Module accounts that users may not send to by mistake.
    fn is_blocked(&self, addr: &Address) -> Result<bool, Error> {
        Ok(self.get_raw(&keys::blocked(addr))?.is_some())
    }
}
impl<S: StateRead + ?Sized> TokenRead for S {}

/// A page of `denom -> amount` entries under `prefix`.
fn coins_page(
    state: &(impl StateRead + ?Sized),
    prefix: &[u8],
    page: &Page,
) -> Result<(Vec<Coin>, PageResponse), Error> {
    let (found, resp) = paginate(state, prefix, page)?;
    let coins = found
        .into_iter()
        .map(|(k, v)| {
            let denom = String::from_utf8(k[prefix.len()..].to_vec()).map_err(Error::internal)?;
            Ok(Coin { denom, amount: borsh::from_slice(&v).map_err(Error::internal)? })
        })
        .collect::<Result<_, Error>>()?;
    Ok((coins, resp))
}

/// The raw writes of the token module's keys: private to the module. Other modules use the
/// abilities (abilities/), which keep balances and supply consistent.
pub(crate) trait TokenStore: StateWrite {
    fn set_params(&mut self, params: &Params) -> Result<(), Error> {
        self.put(keys::PARAMS.to_vec(), params)
    }

    fn set_blocked(&mut self, addr: &Address) -> Result<(), Error> {
        self.put_raw(keys::blocked(addr), vec![1])
    }

    fn set_denom_metadata(&mut self, meta: &DenomMetadata) -> Result<(), Error> {
        self.put(keys::metadata(&meta.base), meta)
    }

    fn set_balance(&mut self, addr: &Address, denom: &str, amount: u128) -> Result<(), Error> {
        if amount == 0 {
            self.delete_raw(keys::balance(addr, denom))
        } else {
            self.put(keys::balance(addr, denom), &amount)
        }
    }

    fn set_supply(&mut self, denom: &str, amount: u128) -> Result<(), Error> {
        if amount == 0 {
            self.delete_raw(keys::supply(denom))
        } else {
            self.put(keys::supply(denom), &amount)
        }
    }

    /// Takes `amount` from `from`; fails, writing nothing, if any denom falls short.
    fn sub_coins(&mut self, from: &Address, amount: &Coins) -> Result<(), Error> {
        let mut updates = Vec::new();
        for c in amount.iter() {
            let have = self.balance(from, &c.denom)?;
            let left = have.checked_sub(c.amount).ok_or_else(|| insufficient_funds(from, have, c.amount, &c.denom))?;
            updates.push((c.denom.as_str(), left));
        }
        for (denom, left) in updates {
            self.set_balance(from, denom, left)?;
        }
        self.emit(events::coin_spent(from, amount));
        Ok(())
    }

    /// Adds `amount` to `to`, creating its account on first receipt, as Cosmos SDK does.
    fn add_coins(&mut self, to: &Address, amount: &Coins) -> Result<(), Error> {
        let mut updates = Vec::new();
        for c in amount.iter() {
            let have = self.balance(to, &c.denom)?;
            let sum = have.checked_add(c.amount).ok_or_else(|| {
                Error::sdk(salus_sdk::SdkCode::InvalidCoins, format!("balance of {} would overflow", c.denom))
            })?;
            updates.push((c.denom.as_str(), sum));
        }
        for (denom, sum) in updates {
            self.set_balance(to, denom, sum)?;
        }
        self.ensure_account(to)?;
        self.emit(events::coin_received(to, amount));
        Ok(())
    }

    /// Creates coins in `to` and raises the supply: genesis balances, and [`crate::MintBurn::mint`]
    /// once it has checked the permission.
    fn mint_unchecked(&mut self, to: &Address, amount: &Coins) -> Result<(), Error> {
        for c in amount.iter() {
            let supply = self
                .supply(&c.denom)?
                .checked_add(c.amount)
                .ok_or_else(|| TokenError::SupplyMismatch.with(format!("supply of {} would overflow", c.denom)))?;
            self.set_supply(&c.denom, supply)?;
        }
        self.add_coins(to, amount)?;
        self.emit(events::coinbase(to, amount));
        Ok(())
    }
}

impl<S: StateWrite + ?Sized> TokenStore for S {}
