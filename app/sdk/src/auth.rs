//! Accounts: numbers, sequences and public keys. The tx pipeline is their only writer.

use borsh::{BorshDeserialize, BorshSerialize};

use crate::address::Address;
use crate::error::Error;
use crate::state::{StateRead, StateReadExt, StateWrite, StateWriteExt};

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
