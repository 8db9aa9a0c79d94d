//! Limits of the tx pipeline and the node-local minimum gas prices.

use std::fmt;
use std::str::FromStr;

use borsh::{BorshDeserialize, BorshSerialize};

/// A gas price as a fixed-point decimal with 18 fractional digits (no floats in fee math).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GasPrice {
    pub denom: String,
    /// The price times 10^18.
    pub atto: u128,
}

const ATTO: u128 = 1_000_000_000_000_000_000;

impl GasPrice {
    /// ceil(price * gas), in whole units of the denom.
    pub fn fee_for(&self, gas: u64) -> u128 {
        let product = self.atto.saturating_mul(gas as u128);
        product / ATTO + u128::from(!product.is_multiple_of(ATTO))
    }
}

impl FromStr for GasPrice {
    type Err = String;
    /// Parses `0.025usalus`.
    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let split = s
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .ok_or_else(|| format!("`{s}` has no denom: write e.g. 0.025usalus"))?;
        let (num, denom) = s.split_at(split);
        salus_sdk::coin::validate_denom(denom).map_err(|e| e.message)?;
        let (int, frac) = num.split_once('.').unwrap_or((num, ""));
        if int.is_empty() && frac.is_empty()
            || frac.len() > 18
            || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
        {
            return Err(format!("`{s}` is not a decimal gas price: write e.g. 0.025usalus"));
        }
        let int: u128 = if int.is_empty() { 0 } else { int.parse().map_err(|_| format!("`{s}` is too large"))? };
        let frac_val: u128 = if frac.is_empty() {
            0
        } else {
            frac.parse::<u128>().map_err(|_| format!("`{s}` is malformed"))? * 10u128.pow(18 - frac.len() as u32)
        };
        let atto =
            int.checked_mul(ATTO).and_then(|v| v.checked_add(frac_val)).ok_or_else(|| format!("`{s}` is too large"))?;
        Ok(GasPrice { denom: denom.to_string(), atto })
    }
}

impl fmt::Display for GasPrice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let int = self.atto / ATTO;
        let frac = self.atto % ATTO;
        if frac == 0 {
            write!(f, "{int}.000000000000000000{}", self.denom)
        } else {
            write!(f, "{int}.{frac:018}{}", self.denom)
        }
    }
}

/// Parses a comma-separated list of gas prices, `0.025usalus,0.1uatom`.
pub fn parse_gas_prices(s: &str) -> Result<Vec<GasPrice>, String> {
    s.split(',').map(str::trim).filter(|p| !p.is_empty()).map(str::parse).collect()
}

pub use salus_sdk::auth::AuthParams;

/// CometBFT's block limits (consensus params `block.max_bytes` and `block.max_gas`), as InitChain
/// gave them. `max_gas` -1 means unlimited, as in CometBFT.
#[derive(Clone, Copy, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct BlockLimits {
    pub max_bytes: i64,
    pub max_gas: i64,
}

impl Default for BlockLimits {
    /// What `salusd init` writes into genesis.
    fn default() -> Self {
        Self { max_bytes: 4 * 1024 * 1024, max_gas: 500_000_000 }
    }
}

impl BlockLimits {
    /// The block gas limit, if there is one.
    pub fn gas(&self) -> Option<u64> {
        u64::try_from(self.max_gas).ok()
    }
}

/// The tx pipeline's limits: the consensus ones, from state, and the validator-local minimum gas
/// prices, from app.toml.
#[derive(Clone, Debug, Default)]
pub struct TxLimits {
    pub auth: AuthParams,
    /// What the modules check while decoding (the token module's transfer size caps).
    pub decode: super::modules::DecodeLimits,
    /// Validator-local, checked in CheckTx only.
    pub min_gas_prices: Vec<GasPrice>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gas_prices_parse_and_round_up() {
        let p: GasPrice = "0.025usalus".parse().unwrap();
        assert_eq!(p.fee_for(200_000), 5000);
        assert_eq!(p.fee_for(1), 1);
        assert_eq!(p.fee_for(0), 0);
        let whole: GasPrice = "2usalus".parse().unwrap();
        assert_eq!(whole.fee_for(3), 6);
        assert_eq!(p.to_string(), "0.025000000000000000usalus");
        assert!("usalus".parse::<GasPrice>().is_err());
        assert!("0.025".parse::<GasPrice>().is_err());
        assert!("1.2.3usalus".parse::<GasPrice>().is_err());
        assert_eq!(parse_gas_prices("0.1usalus, 1uatom").unwrap().len(), 2);
    }
}
