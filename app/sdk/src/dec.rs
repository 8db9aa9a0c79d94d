//! Fixed-point decimals with 18 fractional digits, as Cosmos SDK's `LegacyDec`: shares, rates and
//! reward fractions. No floats; products go through 256 bits so nothing wraps.

use std::fmt;

use crate::{Coin, Coins, Error, SdkCode};
use borsh::{BorshDeserialize, BorshSerialize};

mod u256;
pub use u256::U256;

/// 10^18: one whole unit in atomics.
pub const ONE: u128 = 1_000_000_000_000_000_000;

const ONE_WIDE: U256 = U256::from_u128(ONE);

fn overflow(what: &str) -> Error {
    Error::sdk(SdkCode::InvalidRequest, format!("{what} overflows 256-bit fixed point"))
}

/// (a * b) / d, truncated, through a 512-bit intermediate; `None` if d is 0 or the result does not
/// fit in 256 bits.
pub fn mul_div(a: U256, b: U256, d: U256) -> Option<U256> {
    U256::mul_div_rem(a, b, d).map(|(q, _)| q)
}

/// (a * b) / d rounded up.
pub fn mul_div_ceil(a: U256, b: U256, d: U256) -> Option<U256> {
    let (q, rem) = U256::mul_div_rem(a, b, d)?;
    if rem.is_zero() {
        Some(q)
    } else {
        q.checked_add(U256::from_u128(1))
    }
}

/// A non-negative decimal: atomics / 10^18, over 256 bits, so any `u128` amount of base units is
/// a `Dec` (`u128::MAX x 10^18 < 2^256`) and sums of real amounts have room to spare.
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, BorshSerialize, BorshDeserialize)]
pub struct Dec(U256);

impl Dec {
    pub const ZERO: Dec = Dec(U256::ZERO);
    pub const ONE: Dec = Dec(ONE_WIDE);
    /// The largest decimal (2^256 - 1 atomics).
    pub const MAX: Dec = Dec(U256::MAX);

    /// `n` whole units; every u128 fits.
    pub fn from_int(n: u128) -> Dec {
        let (hi, lo) = u256::mul_u128(n, ONE);
        Dec(U256::from_parts(hi, lo))
    }

    /// `percent`/100, for literals.
    pub const fn percent(p: u128) -> Dec {
        Dec(U256::from_u128(p * (ONE / 100)))
    }

    /// The decimal of `atomics` / 10^18.
    pub const fn from_atomics(atomics: U256) -> Dec {
        Dec(atomics)
    }

    /// Its value in units of 10^-18.
    pub const fn atomics(self) -> U256 {
        self.0
    }

    pub fn is_zero(&self) -> bool {
        self.0.is_zero()
    }

    pub fn checked_add(self, o: Dec) -> Result<Dec, Error> {
        self.0.checked_add(o.0).map(Dec).ok_or_else(|| overflow("a sum"))
    }

    /// self + o, capped at [`Dec::MAX`] (for block hooks, which must not fail on amounts).
    pub fn saturating_add(self, o: Dec) -> Dec {
        self.0.checked_add(o.0).map(Dec).unwrap_or(Dec::MAX)
    }

    pub fn checked_sub(self, o: Dec) -> Result<Dec, Error> {
        self.0.checked_sub(o.0).map(Dec).ok_or_else(|| Error::internal("decimal subtraction below zero"))
    }

    pub fn saturating_sub(self, o: Dec) -> Dec {
        Dec(self.0.saturating_sub(o.0))
    }

    /// self * o, truncated.
    pub fn checked_mul(self, o: Dec) -> Result<Dec, Error> {
        mul_div(self.0, o.0, ONE_WIDE).map(Dec).ok_or_else(|| overflow("a product"))
    }

    /// self * o, truncated, capped at [`Dec::MAX`].
    pub fn saturating_mul(self, o: Dec) -> Dec {
        mul_div(self.0, o.0, ONE_WIDE).map(Dec).unwrap_or(Dec::MAX)
    }

    /// self * n.
    pub fn mul_int(self, n: u128) -> Result<Dec, Error> {
        self.0.checked_mul(U256::from_u128(n)).map(Dec).ok_or_else(|| overflow("a product"))
    }

    /// The whole part of `self x n` (a fraction of an amount, e.g. a slash): never fails; when
    /// `self` is at most 1 the result is at most `n`.
    pub fn mul_int_truncate(self, n: u128) -> u128 {
        mul_div(self.0, U256::from_u128(n), ONE_WIDE).and_then(U256::to_u128).unwrap_or(u128::MAX)
    }

    /// self / o, truncated; an error if o is zero.
    pub fn quo(self, o: Dec) -> Result<Dec, Error> {
        mul_div(self.0, ONE_WIDE, o.0).map(Dec).ok_or_else(|| overflow("a quotient"))
    }

    /// self * num / den, truncated (exchange rates between tokens and shares).
    pub fn mul_ratio(self, num: u128, den: u128) -> Result<Dec, Error> {
        mul_div(self.0, U256::from_u128(num), U256::from_u128(den)).map(Dec).ok_or_else(|| overflow("a ratio"))
    }

    /// The whole part, capped at `u128::MAX` (no amount of coins is larger; callers that pay
    /// the whole part keep the rest, see [`DecCoins::truncate`]).
    pub fn truncate(self) -> u128 {
        self.whole().to_u128().unwrap_or(u128::MAX)
    }

    fn whole(self) -> U256 {
        self.0.div_rem(ONE_WIDE).map(|(q, _)| q).unwrap_or_default()
    }

    /// The fractional part in atomics (below 10^18).
    fn frac(self) -> u128 {
        self.0.div_rem(ONE_WIDE).and_then(|(_, r)| r.to_u128()).unwrap_or_default()
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
        let int = if int.is_empty() { U256::ZERO } else { U256::parse_decimal(int).ok_or_else(bad)? };
        let frac_val: u128 = if frac.is_empty() { 0 } else { frac.parse::<u128>().map_err(|_| bad())? };
        let frac_atomics = U256::from_u128(frac_val * 10u128.pow(18 - frac.len() as u32));
        int.checked_mul(ONE_WIDE).and_then(|v| v.checked_add(frac_atomics)).map(Dec).ok_or_else(bad)
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
        U256::parse_decimal(s).map(Dec).ok_or_else(|| {
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
        write!(f, "{}.{:018}", self.whole(), self.frac())
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
    /// Every coin amount is a decimal: this cannot fail.
    pub fn from_coins(c: &Coins) -> Self {
        DecCoins(c.iter().map(|coin| (coin.denom.clone(), Dec::from_int(coin.amount))).collect())
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

    /// self + o, every denom capped at [`Dec::MAX`] (for block hooks, which must not fail on
    /// amounts; sums of real coins never come near it).
    pub fn saturating_add(&self, o: &DecCoins) -> DecCoins {
        self.merge(o, |a, b| Ok(a.saturating_add(b))).expect("saturating addition cannot fail")
    }

    /// Every denom of self, at most what `cap` holds of it.
    pub fn min_each(&self, cap: &DecCoins) -> DecCoins {
        DecCoins(
            self.0.iter().map(|(d, a)| (d.clone(), (*a).min(cap.amount_of(d)))).filter(|(_, a)| !a.is_zero()).collect(),
        )
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
        let change = self.sub(&DecCoins::from_coins(&whole))?;
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

    fn w(v: u128) -> U256 {
        U256::from_u128(v)
    }

    #[test]
    fn mul_div_matches_exact_arithmetic_beyond_128_bits() {
        assert_eq!(mul_div(w(6), w(7), w(3)), Some(w(14)));
        let big = w(u128::MAX / 3);
        assert_eq!(mul_div(big, w(1 << 100), w(1 << 100)), Some(big));
        assert_eq!(mul_div(big, ONE_WIDE, ONE_WIDE), Some(big));
        assert_eq!(mul_div(w(u128::MAX), w(u128::MAX), w(u128::MAX)), Some(w(u128::MAX)));
        assert_eq!(mul_div(U256::MAX, U256::MAX, U256::MAX), Some(U256::MAX));
        assert_eq!(mul_div(U256::MAX, w(2), w(1)), None);
        assert_eq!(mul_div(w(1), w(1), U256::ZERO), None);
        // (2^127 + 1) * 6 / 4 = 3 * 2^126 + 1 (truncated from 1.5)
        assert_eq!(mul_div(w((1 << 127) + 1), w(6), w(4)), Some(w(3 * (1u128 << 126) + 1)));
        assert_eq!(mul_div_ceil(w((1 << 127) + 1), w(6), w(4)), Some(w(3 * (1u128 << 126) + 2)));
        assert_eq!(mul_div_ceil(w(6), w(7), w(3)), Some(w(14)));
        assert_eq!(mul_div_ceil(w(7), w(1), w(2)), Some(w(4)));
        assert_eq!(mul_div_ceil(U256::MAX, w(3), w(3)), Some(U256::MAX));
    }

    #[test]
    fn decimals_parse_print_and_truncate() {
        let d = Dec::parse("rate", "0.05").unwrap();
        assert_eq!(d.to_string(), "0.050000000000000000");
        assert_eq!(d.to_proto(), "50000000000000000");
        assert_eq!(Dec::from_proto("rate", "50000000000000000").unwrap(), d);
        assert_eq!(Dec::from_proto("rate", "0.05").unwrap(), d);
        assert_eq!(Dec::ONE.to_string(), "1.000000000000000000");
        assert_eq!(Dec::ONE.to_proto(), "1000000000000000000");
        assert_eq!(Dec::ZERO.to_string(), "0.000000000000000000");
        assert!(Dec::parse("rate", "1.2.3").is_err());
        assert!(Dec::parse("rate", "-1").is_err());
        assert!(Dec::parse("rate", "1.0000000000000000001").is_err(), "19 decimals");
        assert!(Dec::from_proto("rate", "12x").is_err());
        assert_eq!(Dec::from_int(10).checked_mul(d).unwrap(), Dec::parse("x", "0.5").unwrap());
        assert_eq!(Dec::from_int(1).quo(Dec::from_int(3)).unwrap().atomics(), w(ONE / 3));
        let coins: Coins = "7usalus".parse().unwrap();
        let half = DecCoins::from_coins(&coins).mul_dec(Dec::percent(50)).unwrap();
        let (whole, change) = half.truncate().unwrap();
        assert_eq!(whole.to_string(), "3usalus");
        assert_eq!(change.amount_of("usalus"), Dec::percent(50));
    }

    #[test]
    fn every_u128_amount_is_a_decimal_and_round_trips() {
        // This overflowed the 128-bit fixed point above about 3.4e20 units and halted the chain.
        let max = Dec::from_int(u128::MAX);
        assert_eq!(max.truncate(), u128::MAX);
        assert_eq!(max.to_string(), format!("{}.000000000000000000", u128::MAX));
        assert_eq!(max.to_proto(), format!("{}000000000000000000", u128::MAX));
        assert_eq!(Dec::from_proto("x", &max.to_proto()).unwrap(), max);
        assert_eq!(Dec::parse("x", &max.to_string()).unwrap(), max);
        let just_over_old_limit = u128::MAX / ONE + 1;
        assert_eq!(Dec::from_int(just_over_old_limit).truncate(), just_over_old_limit);
        // Values that fitted before print exactly as before.
        let old_max = Dec::from_atomics(w(u128::MAX));
        assert_eq!(old_max.to_proto(), u128::MAX.to_string());
        assert_eq!(old_max.to_string(), format!("{}.{:018}", u128::MAX / ONE, u128::MAX % ONE));
        // The largest decimal prints, parses and truncates to the largest amount.
        let top = Dec::MAX;
        assert_eq!(Dec::from_proto("x", &top.to_proto()).unwrap(), top);
        assert_eq!(Dec::parse("x", &top.to_string()).unwrap(), top);
        assert_eq!(top.truncate(), u128::MAX, "capped: no coin amount is larger");
        assert!(Dec::from_proto("x", &format!("{}0", top.to_proto())).is_err());
    }

    #[test]
    fn arithmetic_at_the_extremes() {
        let max = Dec::from_int(u128::MAX);
        let half = Dec::from_int(u128::MAX / 2);
        // Sums of two u128 amounts, products with rates, ratios and quotients of full amounts.
        let sum = half.checked_add(half).unwrap();
        assert_eq!(sum.truncate(), u128::MAX - 1);
        assert_eq!(max.checked_add(max).unwrap().checked_sub(max).unwrap(), max);
        assert_eq!(max.checked_mul(Dec::ONE).unwrap(), max);
        assert_eq!(max.checked_mul(Dec::percent(2)).unwrap().truncate(), u128::MAX / 50);
        assert_eq!(max.mul_ratio(1, 3).unwrap().truncate(), u128::MAX / 3);
        assert_eq!(max.mul_ratio(u128::MAX, u128::MAX).unwrap(), max);
        assert_eq!(max.quo(Dec::ONE).unwrap(), max);
        // A full amount over the smallest share: 2^128 x 10^36 atomics still fits.
        let per_share = max.quo(Dec::from_atomics(w(1))).unwrap();
        assert_eq!(per_share.saturating_mul(Dec::from_atomics(w(1))), max);
        assert!(per_share.quo(Dec::from_atomics(w(1))).is_err(), "beyond 2^256: an error, never a wrap");
        assert!(Dec::MAX.checked_add(Dec::from_atomics(w(1))).is_err());
        assert_eq!(Dec::MAX.saturating_add(Dec::ONE), Dec::MAX);
        assert_eq!(Dec::MAX.saturating_mul(Dec::from_int(2)), Dec::MAX);
        assert!(Dec::MAX.checked_mul(Dec::from_int(2)).is_err());
        assert!(Dec::ONE.quo(Dec::ZERO).is_err());
        assert!(Dec::ONE.checked_sub(max).is_err());
        assert_eq!(Dec::ONE.saturating_sub(max), Dec::ZERO);
        // Fractions of amounts (slashes) never fail and never exceed the amount.
        assert_eq!(Dec::percent(5).mul_int_truncate(u128::MAX), u128::MAX / 20);
        assert_eq!(Dec::ONE.mul_int_truncate(u128::MAX), u128::MAX);
        assert_eq!(Dec::MAX.mul_int_truncate(u128::MAX), u128::MAX, "capped");
        assert_eq!(Dec::parse("x", "0.3").unwrap().mul_int_truncate(10), 3);
    }

    #[test]
    fn dec_coins_of_the_largest_amounts() {
        let coins: Coins = format!("{}aeth,{}usalus", u128::MAX, u128::MAX / 2).parse().unwrap();
        let d = DecCoins::from_coins(&coins);
        let twice = d.add(&d).unwrap();
        assert_eq!(twice.sub(&d).unwrap(), d);
        let (whole, change) = d.truncate().unwrap();
        assert_eq!(whole, coins);
        assert!(change.is_empty());
        // The whole part of a sum beyond u128 is paid up to u128::MAX; the rest stays as change.
        let (whole, change) = twice.truncate().unwrap();
        assert_eq!(whole.amount_of("aeth"), u128::MAX);
        assert_eq!(change.amount_of("aeth"), Dec::from_int(u128::MAX));
        assert_eq!(DecCoins::from_coins(&whole).add(&change).unwrap(), twice);
        let top = DecCoins(vec![("aeth".into(), Dec::MAX)]);
        assert_eq!(top.saturating_add(&d).amount_of("aeth"), Dec::MAX);
        assert_eq!(top.saturating_add(&d).amount_of("usalus"), Dec::from_int(u128::MAX / 2));
        assert!(top.add(&d).is_err());
        assert_eq!(twice.min_each(&d), d);
        assert_eq!(d.min_each(&DecCoins::default()), DecCoins::default());
        // Borsh: 32 bytes of atomics per decimal.
        assert_eq!(borsh::to_vec(&Dec::ONE).unwrap().len(), 32);
        let bytes = borsh::to_vec(&twice).unwrap();
        assert_eq!(borsh::from_slice::<DecCoins>(&bytes).unwrap(), twice);
    }
}
