//! Amounts of a denomination. Amounts are u128 with checked arithmetic: an overflow is an error,
//! never a wrap.

use std::fmt;
use std::str::FromStr;

use borsh::{BorshDeserialize, BorshSerialize};
use salus_proto::cosmos::base::v1beta1::Coin as ProtoCoin;

use crate::error::{Error, SdkCode};

fn invalid(msg: impl Into<String>) -> Error {
    Error::sdk(SdkCode::InvalidCoins, msg)
}

/// Checks a denomination against the Cosmos SDK rule: 3 to 128 characters, a letter first, then
/// letters, digits and `/ : . _ -`.
pub fn validate_denom(denom: &str) -> Result<(), Error> {
    let ok_len = (3..=128).contains(&denom.len());
    let mut chars = denom.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || "/:._-".contains(c));
    if ok_len && first_ok && rest_ok {
        Ok(())
    } else {
        Err(invalid(format!(
            "invalid denom `{denom}`: use 3-128 characters, a letter first, then letters, digits or / : . _ -"
        )))
    }
}

#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, BorshSerialize, BorshDeserialize)]
pub struct Coin {
    pub denom: String,
    pub amount: u128,
}

impl Coin {
    pub fn new(amount: u128, denom: impl Into<String>) -> Self {
        Self { denom: denom.into(), amount }
    }

    pub fn to_proto(&self) -> ProtoCoin {
        ProtoCoin { denom: self.denom.clone(), amount: self.amount.to_string() }
    }

    /// Parses a proto coin; the amount must be a non-negative integer that fits in u128.
    pub fn from_proto(c: &ProtoCoin) -> Result<Self, Error> {
        validate_denom(&c.denom)?;
        let amount = parse_amount(&c.amount, &c.denom)?;
        Ok(Self { denom: c.denom.clone(), amount })
    }
}

fn parse_amount(s: &str, denom: &str) -> Result<u128, Error> {
    if s.starts_with('-') {
        return Err(invalid(format!("negative amount {s}{denom}: amounts must be positive")));
    }
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid(format!("amount `{s}` of {denom} is not a whole number")));
    }
    s.parse::<u128>().map_err(|_| invalid(format!("amount {s}{denom} is too large (at most {})", u128::MAX)))
}

impl fmt::Display for Coin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.amount, self.denom)
    }
}

impl fmt::Debug for Coin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl FromStr for Coin {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        let s = s.trim();
        let split = s.find(|c: char| !c.is_ascii_digit() && c != '-').unwrap_or(s.len());
        let (amount, denom) = s.split_at(split);
        if amount.is_empty() {
            return Err(invalid(format!("`{s}` is not a coin: write an amount then a denom, e.g. 1000usalus")));
        }
        validate_denom(denom)?;
        Ok(Coin { denom: denom.to_string(), amount: parse_amount(amount, denom)? })
    }
}

/// A set of coins: sorted by denom, one entry per denom, every amount positive.
#[derive(Clone, Default, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Coins(Vec<Coin>);

impl Coins {
    pub fn empty() -> Self {
        Self(Vec::new())
    }

    /// Accepts coins in any order with positive amounts; merges nothing: duplicates are an error,
    /// as in Cosmos SDK.
    pub fn new(mut coins: Vec<Coin>) -> Result<Self, Error> {
        for c in &coins {
            if c.amount == 0 {
                return Err(invalid(format!("zero amount of {}: amounts must be positive", c.denom)));
            }
        }
        coins.sort_by(|a, b| a.denom.cmp(&b.denom));
        for pair in coins.windows(2) {
            if pair[0].denom == pair[1].denom {
                return Err(invalid(format!("duplicate denom {}", pair[0].denom)));
            }
        }
        Ok(Self(coins))
    }

    pub fn from_proto(coins: &[ProtoCoin]) -> Result<Self, Error> {
        Self::new(coins.iter().map(Coin::from_proto).collect::<Result<_, _>>()?)
    }

    pub fn to_proto(&self) -> Vec<ProtoCoin> {
        self.0.iter().map(Coin::to_proto).collect()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Coin> {
        self.0.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn amount_of(&self, denom: &str) -> u128 {
        self.0.iter().find(|c| c.denom == denom).map_or(0, |c| c.amount)
    }

    /// The sum of two sets; an overflow is an error. Both are sorted, so this is one linear merge.
    pub fn checked_add(&self, other: &Coins) -> Result<Coins, Error> {
        let (a, b) = (&self.0, &other.0);
        let mut out = Vec::with_capacity(a.len() + b.len());
        let (mut i, mut j) = (0, 0);
        while i < a.len() && j < b.len() {
            match a[i].denom.cmp(&b[j].denom) {
                std::cmp::Ordering::Less => {
                    out.push(a[i].clone());
                    i += 1;
                }
                std::cmp::Ordering::Greater => {
                    out.push(b[j].clone());
                    j += 1;
                }
                std::cmp::Ordering::Equal => {
                    let amount = a[i]
                        .amount
                        .checked_add(b[j].amount)
                        .ok_or_else(|| invalid(format!("sum of {} overflows", a[i].denom)))?;
                    out.push(Coin::new(amount, a[i].denom.clone()));
                    i += 1;
                    j += 1;
                }
            }
        }
        out.extend_from_slice(&a[i..]);
        out.extend_from_slice(&b[j..]);
        Ok(Coins(out))
    }

    /// The sum of many sets in O(n log d) for n coins of d distinct denoms in all (adding them
    /// one by one would copy the running total each time: quadratic in the number of denoms).
    pub fn checked_sum<'a>(sets: impl IntoIterator<Item = &'a Coins>) -> Result<Coins, Error> {
        let mut sums: std::collections::BTreeMap<&str, u128> = std::collections::BTreeMap::new();
        for c in sets.into_iter().flat_map(|c| c.0.iter()) {
            let sum = sums.entry(c.denom.as_str()).or_default();
            *sum = sum.checked_add(c.amount).ok_or_else(|| invalid(format!("sum of {} overflows", c.denom)))?;
        }
        Ok(Coins(sums.into_iter().map(|(denom, amount)| Coin::new(amount, denom)).collect()))
    }

    /// How many denoms the set holds.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// The first denom, in denom order, whose amount differs between the two sets, with both
    /// amounts (0 where absent); `None` if they are equal.
    pub fn first_difference(&self, other: &Coins) -> Option<(String, u128, u128)> {
        let (a, b) = (&self.0, &other.0);
        let (mut i, mut j) = (0, 0);
        loop {
            match (a.get(i), b.get(j)) {
                (Some(x), Some(y)) if x.denom == y.denom => {
                    if x.amount != y.amount {
                        return Some((x.denom.clone(), x.amount, y.amount));
                    }
                    i += 1;
                    j += 1;
                }
                (Some(x), Some(y)) if x.denom < y.denom => return Some((x.denom.clone(), x.amount, 0)),
                (_, Some(y)) => return Some((y.denom.clone(), 0, y.amount)),
                (Some(x), None) => return Some((x.denom.clone(), x.amount, 0)),
                (None, None) => return None,
            }
        }
    }
}

impl fmt::Display for Coins {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.0.iter().map(|c| c.to_string()).collect();
        f.write_str(&parts.join(","))
    }
}

impl fmt::Debug for Coins {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl FromStr for Coins {
    type Err = Error;
    /// Parses `100usalus,5uatom`.
    fn from_str(s: &str) -> Result<Self, Error> {
        if s.trim().is_empty() {
            return Ok(Coins::empty());
        }
        Coins::new(s.split(',').map(str::parse).collect::<Result<_, _>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_display_and_rules() {
        let c: Coins = "5uatom,100usalus".parse().unwrap();
        assert_eq!(c.to_string(), "5uatom,100usalus");
        assert_eq!(c.amount_of("usalus"), 100);
        assert!("0usalus".parse::<Coins>().is_err());
        assert!("-5usalus".parse::<Coins>().is_err());
        assert!("1usalus,2usalus".parse::<Coins>().is_err());
        assert!("10".parse::<Coin>().is_err());
        assert!("10u".parse::<Coin>().is_err());
        assert!("400000000000000000000000000000000000000000usalus"
            .parse::<Coin>()
            .unwrap_err()
            .message
            .contains("too large"));
        assert!(Coin::from_proto(&ProtoCoin { denom: "usalus".into(), amount: "-1".into() }).is_err());
        assert!(Coin::from_proto(&ProtoCoin { denom: "usalus".into(), amount: "1.5".into() }).is_err());
    }

    #[test]
    fn checked_add_overflows_into_an_error() {
        let a = Coins::new(vec![Coin::new(u128::MAX, "usalus")]).unwrap();
        let b = Coins::new(vec![Coin::new(1, "usalus")]).unwrap();
        assert!(a.checked_add(&b).is_err());
        let c = Coins::new(vec![Coin::new(1, "uatom")]).unwrap();
        assert_eq!(b.checked_add(&c).unwrap().to_string(), "1uatom,1usalus");
        assert_eq!(c.checked_add(&b).unwrap().to_string(), "1uatom,1usalus");
        let d: Coins = "2uatom,3ufoo".parse().unwrap();
        assert_eq!(d.checked_add(&b.checked_add(&c).unwrap()).unwrap().to_string(), "3uatom,3ufoo,1usalus");
    }

    #[test]
    fn a_sum_of_many_sets_merges_denoms_and_overflows_into_an_error() {
        let sets: Vec<Coins> =
            ["5usalus", "1uatom,2usalus", "7ubtc", "1uatom"].iter().map(|s| s.parse().unwrap()).collect();
        assert_eq!(Coins::checked_sum(&sets).unwrap().to_string(), "2uatom,7ubtc,7usalus");
        assert_eq!(Coins::checked_sum(&[]).unwrap(), Coins::empty());
        let max = Coins::new(vec![Coin::new(u128::MAX, "usalus")]).unwrap();
        assert!(Coins::checked_sum([&max, &sets[0]]).is_err());
    }

    #[test]
    fn the_first_difference_names_the_denom_and_both_amounts() {
        let a: Coins = "1uatom,5usalus".parse().unwrap();
        let b: Coins = "1uatom,4usalus,2uzzz".parse().unwrap();
        assert_eq!(a.first_difference(&b), Some(("usalus".to_string(), 5, 4)));
        assert_eq!(a.first_difference(&a), None);
    }
}
