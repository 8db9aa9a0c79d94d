//! Typed state keys of the token module. Addresses are fixed 20 bytes, so
//! `balance/<addr><denom>` keeps one account's balances together and in denom order.

use salus_sdk::Address;

pub const BALANCE_PREFIX: &[u8] = b"token/balance/";
pub const SUPPLY_PREFIX: &[u8] = b"token/supply/";
pub const METADATA_PREFIX: &[u8] = b"token/denom/";
pub const BLOCKED_PREFIX: &[u8] = b"token/blocked/";
pub const PARAMS: &[u8] = b"token/params";

pub fn balances_of(addr: &Address) -> Vec<u8> {
    [BALANCE_PREFIX, addr.as_bytes()].concat()
}

pub fn balance(addr: &Address, denom: &str) -> Vec<u8> {
    [BALANCE_PREFIX, addr.as_bytes(), denom.as_bytes()].concat()
}

/// Splits a balance key into (address, denom).
pub fn parse_balance(key: &[u8]) -> Option<(Address, String)> {
    let rest = key.strip_prefix(BALANCE_PREFIX)?;
    let addr: [u8; 20] = rest.get(..20)?.try_into().ok()?;
    let denom = String::from_utf8(rest[20..].to_vec()).ok()?;
    Some((Address(addr), denom))
}

pub fn supply(denom: &str) -> Vec<u8> {
    [SUPPLY_PREFIX, denom.as_bytes()].concat()
}

pub fn metadata(denom: &str) -> Vec<u8> {
    [METADATA_PREFIX, denom.as_bytes()].concat()
}

pub fn blocked(addr: &Address) -> Vec<u8> {
    [BLOCKED_PREFIX, addr.as_bytes()].concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn balance_keys_sort_by_account_then_denom_and_parse_back() {
        let a = Address([1; 20]);
        let b = Address([2; 20]);
        let mut keys = vec![balance(&b, "uatom"), balance(&a, "usalus"), balance(&a, "uatom")];
        keys.sort();
        assert_eq!(keys, vec![balance(&a, "uatom"), balance(&a, "usalus"), balance(&b, "uatom")]);
        assert!(balance(&a, "usalus").starts_with(&balances_of(&a)));
        assert!(!balance(&b, "usalus").starts_with(&balances_of(&a)));
        assert_eq!(parse_balance(&balance(&a, "usalus")), Some((a, "usalus".to_string())));
    }
}
