//! Token genesis: parameters, balances and denomination metadata. Supply is derived from the
//! balances; if given, it must match.

use salus_sdk::{Address, Coin, Coins, Error, SdkCode, StateRead, StateReadExt, StateWrite};
use serde::{Deserialize, Serialize};

use crate::error::TokenError;
use crate::state::{DenomMetadata, TokenRead, TokenStore};
use crate::Params;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Genesis {
    #[serde(default)]
    pub params: Params,
    #[serde(default)]
    pub balances: Vec<GenesisBalance>,
    /// Optional; when present it must equal the sum of the balances.
    #[serde(default)]
    pub supply: Vec<JsonCoin>,
    #[serde(default)]
    pub denom_metadata: Vec<DenomMetadata>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisBalance {
    pub address: String,
    pub coins: Vec<JsonCoin>,
}

/// A coin as Cosmos JSON writes it: the amount is a decimal string.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonCoin {
    pub denom: String,
    pub amount: String,
}

impl From<&Coin> for JsonCoin {
    fn from(c: &Coin) -> Self {
        Self { denom: c.denom.clone(), amount: c.amount.to_string() }
    }
}

fn coins_of(list: &[JsonCoin]) -> Result<Coins, Error> {
    let parsed = list.iter().map(|c| format!("{}{}", c.amount, c.denom).parse()).collect::<Result<Vec<Coin>, _>>()?;
    Coins::new(parsed)
}

impl Genesis {
    /// Parsed balances in a defined order; rejects bad addresses, coins and duplicates.
    pub fn validated_balances(&self) -> Result<Vec<(Address, Coins)>, Error> {
        let mut out: Vec<(Address, Coins)> = Vec::with_capacity(self.balances.len());
        for (i, b) in self.balances.iter().enumerate() {
            let addr = Address::parse(&format!("token.balances[{i}].address"), &b.address)?;
            let coins = coins_of(&b.coins)
                .map_err(|e| Error::sdk(SdkCode::InvalidCoins, format!("token.balances[{i}].coins: {}", e.message)))?;
            out.push((addr, coins));
        }
        out.sort_by_key(|(addr, _)| *addr);
        for pair in out.windows(2) {
            if pair[0].0 == pair[1].0 {
                return Err(TokenError::DuplicateGenesis.with(format!("token.balances lists {} twice", pair[0].0)));
            }
        }
        Ok(out)
    }

    pub fn validate(&self) -> Result<(), Error> {
        self.params.validate()?;
        let balances = self.validated_balances()?;
        let total = Coins::checked_sum(balances.iter().map(|(_, c)| c))?;
        if !self.supply.is_empty() && coins_of(&self.supply)? != total {
            return Err(
                TokenError::SupplyMismatch.with(format!("token.supply does not equal the sum of balances ({total})"))
            );
        }
        for (i, m) in self.denom_metadata.iter().enumerate() {
            validate_metadata(m)
                .map_err(|e| TokenError::InvalidMetadata.with(format!("token.denom_metadata[{i}]: {}", e.message)))?;
        }
        Ok(())
    }

    /// Writes the genesis state. `module_accounts` may not receive user transfers.
    pub fn init(&self, state: &mut impl StateWrite, module_accounts: &[Address]) -> Result<(), Error> {
        self.validate()?;
        state.set_params(&self.params)?;
        for addr in module_accounts {
            state.set_blocked(addr)?;
        }
        for m in &self.denom_metadata {
            state.set_denom_metadata(m)?;
        }
        for (addr, coins) in self.validated_balances()? {
            state.mint_unchecked(&addr, &coins)?;
        }
        Ok(())
    }

    /// Every balance in state, by account, with the supply, params and metadata.
    pub fn export(state: &impl StateRead) -> Result<Self, Error> {
        let mut balances: Vec<GenesisBalance> = Vec::new();
        for (key, amount) in state.prefix::<u128>(crate::keys::BALANCE_PREFIX)? {
            let (addr, denom) = crate::keys::parse_balance(&key)
                .ok_or_else(|| Error::internal(format!("malformed balance key {}", hex_of(&key))))?;
            let coin = JsonCoin { denom, amount: amount.to_string() };
            match balances.last_mut() {
                Some(last) if last.address == addr.to_string() => last.coins.push(coin),
                _ => balances.push(GenesisBalance { address: addr.to_string(), coins: vec![coin] }),
            }
        }
        Ok(Genesis {
            params: state.params()?,
            balances,
            supply: state.total_supply()?.iter().map(JsonCoin::from).collect(),
            denom_metadata: state.all_denom_metadata()?,
        })
    }
}

fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn validate_metadata(m: &DenomMetadata) -> Result<(), Error> {
    salus_sdk::coin::validate_denom(&m.base)?;
    salus_sdk::coin::validate_denom(&m.display)?;
    let base_unit = m.denom_units.first().ok_or_else(|| Error::sdk(SdkCode::InvalidRequest, "denom_units is empty"))?;
    if base_unit.denom != m.base || base_unit.exponent != 0 {
        return Err(Error::sdk(SdkCode::InvalidRequest, "the first denom unit must be the base denom with exponent 0"));
    }
    for pair in m.denom_units.windows(2) {
        if pair[1].exponent <= pair[0].exponent {
            return Err(Error::sdk(SdkCode::InvalidRequest, "denom units must have increasing exponents"));
        }
    }
    if !m.denom_units.iter().any(|u| u.denom == m.display) {
        return Err(Error::sdk(
            SdkCode::InvalidRequest,
            format!("display denom {} is not one of the denom units", m.display),
        ));
    }
    Ok(())
}
