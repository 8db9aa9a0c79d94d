//! Serde helpers for genesis JSON in Cosmos' conventions: numbers as decimal strings, times as
//! RFC 3339 UTC. Use with `#[serde(with = "salus_sdk::json::string")]`.

/// A number as a decimal string (`"42"`); a bare JSON number is accepted too.
pub mod string {
    use serde::{Deserialize, Deserializer, Serializer};
    use std::fmt::Display;
    use std::str::FromStr;

    pub fn serialize<T: Display, S: Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(v)
    }

    pub fn deserialize<'de, T, D>(d: D) -> Result<T, D::Error>
    where
        T: FromStr,
        T::Err: Display,
        D: Deserializer<'de>,
    {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum StrOrNum {
            S(String),
            N(u64),
        }
        let text = match StrOrNum::deserialize(d)? {
            StrOrNum::S(s) => s,
            StrOrNum::N(n) => n.to_string(),
        };
        text.parse().map_err(|e| serde::de::Error::custom(format!("`{text}` is not a number: {e}")))
    }
}

/// A block time as RFC 3339 UTC (`2026-01-02T03:04:05.000000006Z`).
pub mod rfc3339 {
    use crate::time::Time;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &Time, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&t.rfc3339())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Time, D::Error> {
        let text = String::deserialize(d)?;
        Time::parse_rfc3339(&text).ok_or_else(|| {
            serde::de::Error::custom(format!("`{text}` is not an RFC 3339 UTC time like 2026-01-02T03:04:05Z"))
        })
    }
}

/// Coins as Cosmos JSON writes them: `[{"denom": "usalus", "amount": "10"}]`, checked on the
/// way in as `Coins::new` checks them (positive, no duplicate denoms).
pub mod coins {
    use crate::coin::{Coin, Coins};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct JsonCoin {
        denom: String,
        amount: String,
    }

    pub fn serialize<S: Serializer>(c: &Coins, s: S) -> Result<S::Ok, S::Error> {
        let list: Vec<JsonCoin> =
            c.iter().map(|c| JsonCoin { denom: c.denom.clone(), amount: c.amount.to_string() }).collect();
        list.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Coins, D::Error> {
        let list = Vec::<JsonCoin>::deserialize(d)?;
        let parsed = list
            .iter()
            .map(|c| format!("{}{}", c.amount, c.denom).parse::<Coin>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| serde::de::Error::custom(e.message))?;
        Coins::new(parsed).map_err(|e| serde::de::Error::custom(e.message))
    }
}
