//! Fixed-point decimals with 18 fractional digits, as Cosmos SDK's `LegacyDec`: shares, rates and
//! reward fractions. No floats; products go through 256 bits so nothing wraps.

use std::fmt;

use borsh::{BorshDeserialize, BorshSerialize};
use salus_sdk::{Coin, Coins, Error, SdkCode};

/// 10^18: one whole unit in atomics.
pub const ONE: u128 = 1_000_000_000_000_000_000;

fn overflow(what: &str) -> Error {
    Error::sdk(SdkCode::InvalidRequest, format!("{what} overflows 128-bit fixed point"))
}

/// (a * b) / d, truncated, with a 256-bit intermediate; `None` if d is 0 or the result overflows.
pub fn mul_div(a: u128, b: u128, d: u128) -> Option<u128> {
    mul_div_rem(a, b, d).map(|(q, _)| q)
}

/// (a * b) / d rounded up.
pub fn mul_div_ceil(a: u128, b: u128, d: u128) -> Option<u128> {
    let (q, rem) = mul_div_rem(a, b, d)?;
    if rem == 0 {
        Some(q)
    } else {
        q.checked_add(1)
    }
}

/// Quotient and remainder of (a * b) / d.
fn mul_div_rem(a: u128, b: u128, d: u128) -> Option<(u128, u128)> {
    if d == 0 {
        return None;
    }
    if let Some(p) = a.checked_mul(b) {
        return Some((p / d, p % d));
    }
    let (hi, lo) = mul_wide(a, b);
    if hi >= d {
        return None;
    }
    // Long division of (hi, lo) by d, one bit at a time; hi < d keeps the quotient in 128 bits.
    let mut rem = hi;
    let mut q = 0u128;
    for i in (0..128).rev() {
        let carry = rem >> 127;
        rem = (rem << 1) | ((lo >> i) & 1);
        q <<= 1;
        if carry == 1 || rem >= d {
            rem = rem.wrapping_sub(d);
            q |= 1;
        }
    }
    Some((q, rem))
}

fn mul_wide(a: u128, b: u128) -> (u128, u128) {
    let mask = u64::MAX as u128;
    let (a_hi, a_lo) = (a >> 64, a & mask);
    let (b_hi, b_lo) = (b >> 64, b & mask);
    let ll = a_lo * b_lo;
    let lh = a_lo * b_hi;
    let hl = a_hi * b_lo;
    let hh = a_hi * b_hi;
    let mid = (ll >> 64) + (lh & mask) + (hl & mask);
    let lo = (ll & mask) | (mid << 64);
    let hi = hh + (lh >> 64) + (hl >> 64) + (mid >> 64);
    (hi, lo)
}

#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, BorshSerialize, BorshDeserialize)]
pub struct Dec(pub u128);

impl Dec {
    pub const ZERO: Dec = Dec(0);
    pub const ONE: Dec = Dec(ONE);

    pub fn from_int(n: u128) -> Result<Dec, Error> {
        n.checked_mul(ONE).map(Dec).ok_or_else(|| overflow("an amount"))
    }

    /// `percent`/100, for literals.
    pub const fn percent(p: u128) -> Dec {
        Dec(p * (ONE / 100))
    }

    pub fn is_zero(&self) -> bool {
        self.0 == 0
    }

    pub fn checked_add(self, o: Dec) -> Result<Dec, Error> {
        self.0.checked_add(o.0).map(Dec).ok_or_else(|| overflow("a sum"))
    }

    pub fn checked_sub(self, o: Dec) -> Result<Dec, Error> {
        self.0.checked_sub(o.0).map(Dec).ok_or_else(|| Error::internal("decimal subtraction below zero"))
    }

    pub fn saturating_sub(self, o: Dec) -> Dec {
        Dec(self.0.saturating_sub(o.0))
    }

    /// self * o, truncated.
    pub fn checked_mul(self, o: Dec) -> Result<Dec, Error> {
        mul_div(self.0, o.0, ONE).map(Dec).ok_or_else(|| overflow("a product"))
    }

    /// self * n.
    pub fn mul_int(self, n: u128) -> Result<Dec, Error> {
        self.0.checked_mul(n).map(Dec).ok_or_else(|| overflow("a product"))
    }

    /// self / o, truncated; an error if o is zero.
    pub fn quo(self, o: Dec) -> Result<Dec, Error> {
        mul_div(self.0, ONE, o.0).map(Dec).ok_or_else(|| overflow("a quotient"))
    }

    /// self * num / den, truncated (exchange rates between tokens and shares).
    pub fn mul_ratio(self, num: u128, den: u128) -> Result<Dec, Error> {
        mul_div(self.0, num, den).map(Dec).ok_or_else(|| overflow("a ratio"))
    }

    /// The whole part.
    pub fn truncate(self) -> u128 {
        self.0 / ONE
    }

    /// Parses `0.05` or `1`; at most 18 fractional digits.
    pub fn parse(field: &str, s: &str) -> Result<Dec, Error> {
        let bad = || {
            Error::sdk(
                SdkCode::InvalidRequest,
                format!("{field}: `{s}` is not a decimal like 0.05 (at most 18 decimals)"),
            )
        };
        let (int, frac) = s.trim().split_once('.').unwrap_or((s.trim(), ""));
        if (int.is_empty() && frac.is_empty())
            || frac.len() > 18
            || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
        {
            return Err(bad());
        }
        let int: u128 = if int.is_empty() { 0 } else { int.parse().map_err(|_| bad())? };
        let frac_val: u128 = if frac.is_empty() { 0 } else { frac.parse::<u128>().map_err(|_| bad())? };
        let frac_atomics = frac_val * 10u128.pow(18 - frac.len() as u32);
        int.checked_mul(ONE).and_then(|v| v.checked_add(frac_atomics)).map(Dec).ok_or_else(bad)
    }

    /// Cosmos protobuf encodes `LegacyDec` as the decimal string of its atomics (`50000000000000000`
    /// for 0.05); JSON and CLI use the dotted form. Both are accepted here.
    pub fn from_proto(field: &str, s: &str) -> Result<Dec, Error> {
        if s.is_empty() {
            return Ok(Dec::ZERO);
        }
        if s.contains('.') {
            return Dec::parse(field, s);
        }
        s.parse::<u128>().map(Dec).map_err(|_| {
            Error::sdk(
                SdkCode::InvalidRequest,
                format!("{field}: `{s}` is not a protobuf decimal (atomics, 18 places)"),
            )
        })
    }

    pub fn to_proto(self) -> String {
        self.0.to_string()
    }
}

impl fmt::Display for Dec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:018}", self.0 / ONE, self.0 % ONE)
    }
}

impl fmt::Debug for Dec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl serde::Serialize for Dec {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> serde::Deserialize<'de> for Dec {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <String as serde::Deserialize>::deserialize(d)?;
        Dec::parse("decimal", &s).map_err(|e| serde::de::Error::custom(e.message))
    }
}

/// Decimal amounts of several denoms, sorted by denom, no zero entries (Cosmos `DecCoins`).
#[derive(Clone, Default, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct DecCoins(Vec<(String, Dec)>);

impl DecCoins {
    pub fn from_coins(c: &Coins) -> Result<Self, Error> {
        let mut out = Vec::new();
        for coin in c.iter() {
            out.push((coin.denom.clone(), Dec::from_int(coin.amount)?));
        }
        Ok(DecCoins(out))
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, Dec)> {
        self.0.iter().map(|(d, a)| (d.as_str(), *a))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn amount_of(&self, denom: &str) -> Dec {
        self.0.iter().find(|(d, _)| d == denom).map(|(_, a)| *a).unwrap_or_default()
    }

    fn merge(&self, o: &DecCoins, f: impl Fn(Dec, Dec) -> Result<Dec, Error>) -> Result<DecCoins, Error> {
        let mut denoms: Vec<&str> = self.0.iter().chain(&o.0).map(|(d, _)| d.as_str()).collect();
        denoms.sort_unstable();
        denoms.dedup();
        let mut out = Vec::new();
        for d in denoms {
            let v = f(self.amount_of(d), o.amount_of(d))?;
            if !v.is_zero() {
                out.push((d.to_string(), v));
            }
        }
        Ok(DecCoins(out))
    }

    pub fn add(&self, o: &DecCoins) -> Result<DecCoins, Error> {
        self.merge(o, Dec::checked_add)
    }

    /// self - o; an error if any denom would go negative.
    pub fn sub(&self, o: &DecCoins) -> Result<DecCoins, Error> {
        self.merge(o, Dec::checked_sub)
    }

    /// self - o, flooring every denom at zero.
    pub fn saturating_sub(&self, o: &DecCoins) -> DecCoins {
        self.merge(o, |a, b| Ok(a.saturating_sub(b))).expect("saturating subtraction cannot fail")
    }

    fn map(&self, f: impl Fn(Dec) -> Result<Dec, Error>) -> Result<DecCoins, Error> {
        let mut out = Vec::new();
        for (d, a) in &self.0 {
            let v = f(*a)?;
            if !v.is_zero() {
                out.push((d.clone(), v));
            }
        }
        Ok(DecCoins(out))
    }

    pub fn mul_dec(&self, x: Dec) -> Result<DecCoins, Error> {
        self.map(|a| a.checked_mul(x))
    }

    pub fn quo_dec(&self, x: Dec) -> Result<DecCoins, Error> {
        self.map(|a| a.quo(x))
    }

    pub fn mul_ratio(&self, num: u128, den: u128) -> Result<DecCoins, Error> {
        self.map(|a| a.mul_ratio(num, den))
    }

    /// The whole coins, and the fractional change left over.
    pub fn truncate(&self) -> Result<(Coins, DecCoins), Error> {
        let whole: Vec<Coin> =
            self.0.iter().filter(|(_, a)| a.truncate() > 0).map(|(d, a)| Coin::new(a.truncate(), d.clone())).collect();
        let whole = Coins::new(whole)?;
        let change = self.sub(&DecCoins::from_coins(&whole)?)?;
        Ok((whole, change))
    }

    pub fn to_proto(&self) -> Vec<salus_proto::cosmos::base::v1beta1::DecCoin> {
        self.0
            .iter()
            .map(|(d, a)| salus_proto::cosmos::base::v1beta1::DecCoin { denom: d.clone(), amount: a.to_proto() })
            .collect()
    }
}

impl fmt::Display for DecCoins {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.0.iter().map(|(d, a)| format!("{a}{d}")).collect();
        f.write_str(&parts.join(","))
    }
}

impl fmt::Debug for DecCoins {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mul_div_matches_exact_arithmetic_beyond_128_bits() {
        assert_eq!(mul_div(6, 7, 3), Some(14));
        let big = u128::MAX / 3;
        assert_eq!(mul_div(big, 1 << 100, 1 << 100), Some(big));
        assert_eq!(mul_div(big, 10u128.pow(18), 10u128.pow(18)), Some(big));
        assert_eq!(mul_div(u128::MAX, u128::MAX, u128::MAX), Some(u128::MAX));
        assert_eq!(mul_div(u128::MAX, 2, 1), None);
        assert_eq!(mul_div(1, 1, 0), None);
        // (2^127 + 1) * 6 / 4 = 3 * 2^126 + 1 (truncated from 1.5)
        assert_eq!(mul_div((1 << 127) + 1, 6, 4), Some(3 * (1u128 << 126) + 1));
        assert_eq!(mul_div_ceil((1 << 127) + 1, 6, 4), Some(3 * (1u128 << 126) + 2));
        assert_eq!(mul_div_ceil(6, 7, 3), Some(14));
        assert_eq!(mul_div_ceil(7, 1, 2), Some(4));
    }

    #[test]
    fn decimals_parse_print_and_truncate() {
        let d = Dec::parse("rate", "0.05").unwrap();
        assert_eq!(d.to_string(), "0.050000000000000000");
        assert_eq!(d.to_proto(), "50000000000000000");
        assert_eq!(Dec::from_proto("rate", "50000000000000000").unwrap(), d);
        assert_eq!(Dec::from_proto("rate", "0.05").unwrap(), d);
        assert!(Dec::parse("rate", "1.2.3").is_err());
        assert!(Dec::parse("rate", "-1").is_err());
        assert_eq!(Dec::from_int(10).unwrap().checked_mul(d).unwrap(), Dec::parse("x", "0.5").unwrap());
        assert_eq!(Dec::from_int(1).unwrap().quo(Dec::from_int(3).unwrap()).unwrap().0, ONE / 3);
        let coins: Coins = "7usalus".parse().unwrap();
        let half = DecCoins::from_coins(&coins).unwrap().mul_dec(Dec::percent(50)).unwrap();
        let (whole, change) = half.truncate().unwrap();
        assert_eq!(whole.to_string(), "3usalus");
        assert_eq!(change.amount_of("usalus"), Dec::percent(50));
    }
}
