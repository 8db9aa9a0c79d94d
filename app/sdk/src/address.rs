//! 20-byte account addresses, bech32-encoded with the `salus` prefix.

use std::fmt;
use std::str::FromStr;

use bech32::{Bech32, Hrp};
use borsh::{BorshDeserialize, BorshSerialize};
use ripemd::Ripemd160;
use sha2::{Digest, Sha256};

use crate::error::{Error, SdkCode};
use crate::BECH32_PREFIX;

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, BorshSerialize, BorshDeserialize)]
pub struct Address(pub [u8; 20]);

impl Address {
    /// The address of a secp256k1 public key (33-byte compressed): RIPEMD160(SHA256(key)).
    pub fn from_secp256k1_pubkey(compressed: &[u8]) -> Self {
        let sha = Sha256::digest(compressed);
        Address(Ripemd160::digest(sha).into())
    }

    /// The address of a module account: the first 20 bytes of SHA256(name), as Cosmos SDK does.
    pub fn module(name: &str) -> Self {
        let hash = Sha256::digest(name.as_bytes());
        let mut out = [0u8; 20];
        out.copy_from_slice(&hash[..20]);
        Address(out)
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Parses a bech32 `salus1...` address, naming the field in the error.
    pub fn parse(field: &str, s: &str) -> Result<Self, Error> {
        s.parse().map_err(|e: Error| Error::sdk(SdkCode::InvalidAddress, format!("{field}: {}", e.message)))
    }

    /// Parses a validator operator address (`salusvaloper1...`), naming the field in the error.
    pub fn parse_valoper(field: &str, s: &str) -> Result<Self, Error> {
        decode_with_prefix(s, VALOPER_PREFIX)
            .map_err(|e| Error::sdk(SdkCode::InvalidAddress, format!("{field}: {}", e.message)))
    }

    /// The bech32 form under another prefix (`salusvaloper`, `salusvalcons`).
    pub fn to_bech32(&self, prefix: &str) -> String {
        let hrp = Hrp::parse(prefix).expect("prefixes are static and valid");
        bech32::encode::<Bech32>(hrp, &self.0).expect("20 bytes always encode")
    }

    /// The validator operator form of this address.
    pub fn to_valoper(&self) -> String {
        self.to_bech32(VALOPER_PREFIX)
    }
}

/// Bech32 prefix of validator operator addresses.
pub const VALOPER_PREFIX: &str = "salusvaloper";
/// Bech32 prefix of validator consensus addresses.
pub const VALCONS_PREFIX: &str = "salusvalcons";

/// Decodes a 20-byte bech32 address that must carry `prefix`.
pub fn decode_with_prefix(s: &str, prefix: &str) -> Result<Address, Error> {
    let bad = |why: String| Error::sdk(SdkCode::InvalidAddress, why);
    if s.is_empty() {
        return Err(bad(format!("empty address: give a bech32 address starting with {prefix}1")));
    }
    let (hrp, data) = bech32::decode(s).map_err(|e| bad(format!("`{s}` is not a valid bech32 address: {e}")))?;
    if hrp.as_str() != prefix {
        return Err(bad(format!(
            "`{s}` has prefix `{}`; this field takes addresses starting with `{prefix}1`",
            hrp.as_str()
        )));
    }
    let bytes: [u8; 20] =
        data.try_into().map_err(|d: Vec<u8>| bad(format!("`{s}` holds {} bytes; an address holds 20", d.len())))?;
    Ok(Address(bytes))
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hrp = Hrp::parse(BECH32_PREFIX).expect("static prefix is valid");
        let s = bech32::encode::<Bech32>(hrp, &self.0).map_err(|_| fmt::Error)?;
        f.write_str(&s)
    }
}

impl fmt::Debug for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Address({self})")
    }
}

impl FromStr for Address {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        let bad = |why: String| Error::sdk(SdkCode::InvalidAddress, why);
        if s.is_empty() {
            return Err(bad("empty address: give a bech32 address starting with salus1".into()));
        }
        let (hrp, data) = bech32::decode(s).map_err(|e| bad(format!("`{s}` is not a valid bech32 address: {e}")))?;
        if hrp.as_str() != BECH32_PREFIX {
            return Err(bad(format!(
                "`{s}` has prefix `{}`; Salus addresses start with `{BECH32_PREFIX}1`",
                hrp.as_str()
            )));
        }
        let bytes: [u8; 20] = data
            .try_into()
            .map_err(|d: Vec<u8>| bad(format!("`{s}` holds {} bytes; an account address holds 20", d.len())))?;
        Ok(Address(bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bech32_round_trip_and_errors() {
        let a = Address([7; 20]);
        let s = a.to_string();
        assert!(s.starts_with("salus1"));
        assert_eq!(s.parse::<Address>().unwrap(), a);
        assert!("cosmos1qypqxpq9qcrsszg2pvxq6rs0zqg3yyc5lzv7xu"
            .parse::<Address>()
            .unwrap_err()
            .message
            .contains("prefix"));
        assert!("salus1xyz".parse::<Address>().is_err());
        assert_eq!("".parse::<Address>().unwrap_err().code, SdkCode::InvalidAddress as u32);
        let op = a.to_valoper();
        assert!(op.starts_with("salusvaloper1"));
        assert_eq!(Address::parse_valoper("validator", &op).unwrap(), a);
        assert!(Address::parse_valoper("validator", &s).unwrap_err().message.contains("salusvaloper1"));
    }

    #[test]
    fn module_addresses_are_stable() {
        assert_eq!(Address::module("fee_collector"), Address::module("fee_collector"));
        assert_ne!(Address::module("fee_collector"), Address::module("bonded_tokens_pool"));
    }
}
