//! Accounts: numbers, sequences and public keys. The tx pipeline is their only writer.

use borsh::{BorshDeserialize, BorshSerialize};

use crate::address::Address;
use crate::error::Error;
use crate::error::SdkCode;
use crate::state::{StateRead, StateReadExt, StateWrite, StateWriteExt};
use serde::{Deserialize, Serialize};

pub const NAME: &str = "auth";

#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Account {
    pub address: Address,
    pub number: u64,
    pub sequence: u64,
    /// The compressed secp256k1 key, known once the account has signed.
    pub pubkey: Option<Vec<u8>>,
}

pub mod keys {
    use crate::address::Address;

    /// The tx pipeline's limits ([`super::AuthParams`]).
    pub const PARAMS: &[u8] = b"auth/params";

    pub fn account(addr: &Address) -> Vec<u8> {
        [b"auth/account/".as_slice(), addr.as_bytes()].concat()
    }
    pub const ACCOUNT_PREFIX: &[u8] = b"auth/account/";
    pub const NEXT_ACCOUNT_NUMBER: &[u8] = b"auth/next_account_number";
}

pub trait AuthRead: StateRead {
    fn account(&self, addr: &Address) -> Result<Option<Account>, Error> {
        self.get(&keys::account(addr))
    }

    fn accounts(&self) -> Result<Vec<Account>, Error> {
        Ok(self.prefix::<Account>(keys::ACCOUNT_PREFIX)?.into_iter().map(|(_, a)| a).collect())
    }

    /// The number the next new account gets.
    fn next_account_number(&self) -> Result<u64, Error> {
        Ok(self.get(keys::NEXT_ACCOUNT_NUMBER)?.unwrap_or(0))
    }
}
impl<S: StateRead + ?Sized> AuthRead for S {}

pub trait AuthWrite: StateWrite {
    fn set_account(&mut self, account: &Account) -> Result<(), Error> {
        self.put(keys::account(&account.address), account)
    }

    /// Sets the number the next new account gets (genesis, after writing exported accounts).
    fn set_next_account_number(&mut self, number: u64) -> Result<(), Error> {
        self.put(keys::NEXT_ACCOUNT_NUMBER.to_vec(), &number)
    }

    /// The account at `addr`, created with the next account number if it does not exist yet
    /// (as Cosmos SDK does when an address first receives funds).
    fn ensure_account(&mut self, addr: &Address) -> Result<Account, Error> {
        if let Some(a) = self.account(addr)? {
            return Ok(a);
        }
        let number: u64 = self.get(keys::NEXT_ACCOUNT_NUMBER)?.unwrap_or(0);
        let next = number.checked_add(1).ok_or_else(|| Error::internal("account numbers are exhausted"))?;
        self.put(keys::NEXT_ACCOUNT_NUMBER.to_vec(), &next)?;
        let account = Account { address: *addr, number, sequence: 0, pubkey: None };
        self.set_account(&account)?;
        Ok(account)
    }
}
impl<S: StateWrite + ?Sized> AuthWrite for S {}

/// The tx pipeline's consensus limits: genesis `auth.params`, kept in state and changed only by
/// governance (`salus.auth.v1.MsgUpdateParams`). Every validator uses the same values; they
/// bound what a tx may cost before any gas is charged.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, BorshSerialize, BorshDeserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AuthParams {
    pub max_memo_characters: u64,
    pub max_tx_bytes: u64,
    pub max_gas_per_tx: u64,
    pub max_msgs_per_tx: u64,
}

impl Default for AuthParams {
    fn default() -> Self {
        Self { max_memo_characters: 256, max_tx_bytes: 1024 * 1024, max_gas_per_tx: 100_000_000, max_msgs_per_tx: 100 }
    }
}

/// CometBFT's own cap on a block's bytes (100 MiB): no tx can be larger.
pub const MAX_TX_BYTES_CAP: u64 = 100 * 1024 * 1024;
/// Caps that keep a tx's pre-gas work bounded whatever governance sets.
pub const MAX_MEMO_CHARACTERS_CAP: u64 = 64 * 1024;
pub const MAX_MSGS_PER_TX_CAP: u64 = 10_000;
/// What governance may set the tx size and gas limits to ([`AuthParams::check_governable`]).
pub const MIN_GOVERNABLE_TX_BYTES: u64 = 16 * 1024;
pub const MIN_GOVERNABLE_TX_GAS: u64 = 1_000_000;
pub const MAX_GOVERNABLE_TX_GAS: u64 = 10_000_000_000;

impl AuthParams {
    pub fn validate(&self) -> Result<(), Error> {
        let bounded = [
            ("max_memo_characters", self.max_memo_characters, MAX_MEMO_CHARACTERS_CAP),
            ("max_tx_bytes", self.max_tx_bytes, MAX_TX_BYTES_CAP),
            ("max_gas_per_tx", self.max_gas_per_tx, i64::MAX as u64),
            ("max_msgs_per_tx", self.max_msgs_per_tx, MAX_MSGS_PER_TX_CAP),
        ];
        for (name, value, cap) in bounded {
            if value == 0 || value > cap {
                return Err(Error::sdk(
                    SdkCode::InvalidRequest,
                    format!("auth.params.{name} must be between 1 and {cap}, not {value}"),
                ));
            }
        }
        Ok(())
    }

    /// What governance may not go below or above, besides [`AuthParams::validate`]'s bounds: a
    /// tx big enough for a vote or a proposal must still fit, and one tx's work stays bounded
    /// (simulation meters with `max_gas_per_tx`). A genesis author is trusted with the rest.
    pub fn check_governable(&self) -> Result<(), Error> {
        let ranges = [
            ("max_tx_bytes", self.max_tx_bytes, MIN_GOVERNABLE_TX_BYTES, MAX_TX_BYTES_CAP),
            ("max_gas_per_tx", self.max_gas_per_tx, MIN_GOVERNABLE_TX_GAS, MAX_GOVERNABLE_TX_GAS),
        ];
        for (name, value, min, max) in ranges {
            if value < min || value > max {
                return Err(Error::sdk(
                    SdkCode::InvalidRequest,
                    format!("auth.params.{name} may be set by governance between {min} and {max}, not {value}"),
                ));
            }
        }
        Ok(())
    }

    pub fn to_proto(&self) -> salus_proto::salus::auth::v1::Params {
        salus_proto::salus::auth::v1::Params {
            max_memo_characters: self.max_memo_characters,
            max_tx_bytes: self.max_tx_bytes,
            max_gas_per_tx: self.max_gas_per_tx,
            max_msgs_per_tx: self.max_msgs_per_tx,
        }
    }

    pub fn from_proto(p: &salus_proto::salus::auth::v1::Params) -> Self {
        Self {
            max_memo_characters: p.max_memo_characters,
            max_tx_bytes: p.max_tx_bytes,
            max_gas_per_tx: p.max_gas_per_tx,
            max_msgs_per_tx: p.max_msgs_per_tx,
        }
    }
}

/// The tx limits as state holds them (the defaults before genesis).
pub trait AuthParamsRead: StateRead {
    fn auth_params(&self) -> Result<AuthParams, Error> {
        Ok(self.get(keys::PARAMS)?.unwrap_or_default())
    }
}
impl<S: StateRead + ?Sized> AuthParamsRead for S {}

/// Writing the tx limits: genesis and governance only.
pub trait AuthParamsWrite: StateWrite {
    fn set_auth_params(&mut self, params: &AuthParams) -> Result<(), Error> {
        self.put(keys::PARAMS.to_vec(), params)
    }
}
impl<S: StateWrite + ?Sized> AuthParamsWrite for S {}
