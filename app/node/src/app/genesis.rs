//! The node's own sections of genesis.json (`auth`, `genutil`); the module sections and the
//! struct that holds them all ([`AppGenesis`]) come from the module list (modules.rs).

use base64::Engine;
use salus_sdk::auth::{Account, AuthRead, AuthWrite};
use salus_sdk::{Address, Error, SdkCode, StateRead, StateWrite};
use serde::{Deserialize, Serialize};

pub use super::modules::AppGenesis;
use super::params::AuthParams;

/// The tx pipeline's limits and, in an exported chain, every account. A genesis without
/// The largest account number or sequence a genesis may carry.
pub const MAX_COUNTER: u64 = i64::MAX as u64;

/// `accounts` numbers its accounts as the token balances create them (in address order).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthGenesis {
    #[serde(default)]
    pub params: AuthParams,
    #[serde(default)]
    pub accounts: Vec<GenesisAccount>,
}

/// An account as Cosmos' `BaseAccount` JSON has it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisAccount {
    pub address: String,
    /// Known once the account has signed.
    #[serde(default)]
    pub pub_key: Option<GenesisPubKey>,
    #[serde(with = "salus_sdk::json::string")]
    pub account_number: u64,
    #[serde(with = "salus_sdk::json::string")]
    pub sequence: u64,
}

/// A compressed secp256k1 key, as Cosmos JSON writes its `Any`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisPubKey {
    #[serde(rename = "@type")]
    pub type_url: String,
    /// base64 of the 33-byte compressed key.
    pub key: String,
}

pub const SECP256K1_TYPE: &str = "/cosmos.crypto.secp256k1.PubKey";

fn invalid(msg: String) -> Error {
    Error::sdk(SdkCode::InvalidRequest, msg)
}

impl GenesisAccount {
    pub fn of(a: &Account) -> Self {
        GenesisAccount {
            address: a.address.to_string(),
            pub_key: a.pubkey.as_ref().map(|k| GenesisPubKey {
                type_url: SECP256K1_TYPE.into(),
                key: base64::engine::general_purpose::STANDARD.encode(k),
            }),
            account_number: a.number,
            sequence: a.sequence,
        }
    }

    pub fn parse(&self, field: &str) -> Result<Account, Error> {
        let address = Address::parse(&format!("{field}.address"), &self.address)?;
        let pubkey = match &self.pub_key {
            None => None,
            Some(k) => {
                if k.type_url != SECP256K1_TYPE {
                    return Err(invalid(format!(
                        "{field}.pub_key: type `{}` is not supported: use {SECP256K1_TYPE}",
                        k.type_url
                    )));
                }
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(&k.key)
                    .map_err(|_| invalid(format!("{field}.pub_key.key is not base64")))?;
                if bytes.len() != 33 || secp256k1::PublicKey::from_slice(&bytes).is_err() {
                    return Err(invalid(format!("{field}.pub_key.key is not a compressed secp256k1 key")));
                }
                if Address::from_secp256k1_pubkey(&bytes) != address {
                    return Err(invalid(format!("{field}.pub_key is not the key of {}", self.address)));
                }
                Some(bytes)
            }
        };
        Ok(Account { address, number: self.account_number, sequence: self.sequence, pubkey })
    }
}

impl AuthGenesis {
    /// The accounts, checked: valid addresses and keys, no address or number twice.
    pub fn accounts(&self) -> Result<Vec<Account>, Error> {
        let mut out = Vec::with_capacity(self.accounts.len());
        let (mut addresses, mut numbers) = (std::collections::BTreeSet::new(), std::collections::BTreeSet::new());
        for (i, g) in self.accounts.iter().enumerate() {
            let field = format!("auth.accounts[{i}]");
            let a = g.parse(&field)?;
            if !addresses.insert(a.address) {
                return Err(invalid(format!("{field}: {} is listed twice", g.address)));
            }
            if !numbers.insert(a.number) {
                return Err(invalid(format!("{field}: account number {} is another account's too", a.number)));
            }
            // As CometBFT's heights: no count a chain reaches, and every later `+ 1` is safe.
            for (name, value) in [("account_number", a.number), ("sequence", a.sequence)] {
                if value > MAX_COUNTER {
                    return Err(invalid(format!("{field}: {name} {value} is above {MAX_COUNTER}")));
                }
            }
            out.push(a);
        }
        Ok(out)
    }

    pub fn validate(&self) -> Result<(), Error> {
        self.params.validate()?;
        self.accounts().map(|_| ())
    }

    /// Writes the accounts before the modules' sections (whose balances would otherwise create
    /// them), and moves the next account number past every one of them. Writes nothing without
    /// accounts, so such a genesis inits as it always has.
    pub fn init_accounts(&self, state: &mut impl StateWrite) -> Result<(), Error> {
        let accounts = self.accounts()?;
        let Some(max) = accounts.iter().map(|a| a.number).max() else { return Ok(()) };
        for a in &accounts {
            state.set_account(a)?;
        }
        let next = max
            .checked_add(1)
            .ok_or_else(|| invalid("auth.accounts: an account number is too large".into()))?
            .max(state.next_account_number()?);
        state.set_next_account_number(next)
    }

    /// The params given and every account in `state`.
    pub fn export(state: &impl StateRead, params: AuthParams) -> Result<Self, Error> {
        Ok(AuthGenesis { params, accounts: state.accounts()?.iter().map(GenesisAccount::of).collect() })
    }
}

/// Signed genesis transactions (`salusd genesis gentx`), collected by `salusd genesis collect-gentxs`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenUtil {
    /// Each a base64 `TxRaw` holding one `MsgCreateValidator`.
    #[serde(default)]
    pub gen_txs: Vec<String>,
}

impl GenUtil {
    pub fn decoded(&self) -> Result<Vec<Vec<u8>>, Error> {
        self.gen_txs
            .iter()
            .enumerate()
            .map(|(i, t)| {
                base64::engine::general_purpose::STANDARD.decode(t).map_err(|_| {
                    Error::sdk(
                        SdkCode::InvalidRequest,
                        format!("genutil.gen_txs[{i}] is not base64: re-run collect-gentxs"),
                    )
                })
            })
            .collect()
    }
}

impl AppGenesis {
    pub fn from_json(bytes: &[u8]) -> Result<Self, Error> {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Ok(Self::default());
        }
        serde_json::from_slice(bytes)
            .map_err(|e| Error::sdk(SdkCode::InvalidRequest, format!("genesis app_state does not parse: {e}")))
    }
}
