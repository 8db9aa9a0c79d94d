//! Governance parameters (`cosmos.gov.v1.Params`); changed only by a proposal's
//! `MsgUpdateParams`. Durations are seconds of block time.

use borsh::{BorshDeserialize, BorshSerialize};
use salus_proto::cosmos::gov::v1 as proto;
use salus_proto::tendermint_proto::google::protobuf::Duration;
use salus_sdk::{Address, Coins, Dec, Error, SdkCode};
use serde::{Deserialize, Serialize};

/// The most denoms a deposit parameter may list (each deposit is checked against each).
pub const MAX_DEPOSIT_DENOMS: usize = 16;

fn invalid(msg: String) -> Error {
    Error::sdk(SdkCode::InvalidRequest, msg)
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, BorshSerialize, BorshDeserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Params {
    /// What a proposal's deposits must reach for its voting period to start.
    #[serde(with = "salus_sdk::json::coins")]
    pub min_deposit: Coins,
    /// How long a proposal may wait for its deposit before it is deleted.
    pub max_deposit_period_secs: u64,
    pub voting_period_secs: u64,
    /// The share of bonded stake that must vote.
    pub quorum: Dec,
    /// The share of non-abstaining votes that must be Yes.
    pub threshold: Dec,
    /// The share of votes that, as NoWithVeto, rejects the proposal and burns its deposit.
    pub veto_threshold: Dec,
    /// The share of the min deposit a proposal must bring when it is submitted.
    pub min_initial_deposit_ratio: Dec,
    /// The share of each deposit a cancelled proposal loses.
    pub proposal_cancel_ratio: Dec,
    /// Where cancellation fees go; `None` (`""` in JSON) burns them.
    #[serde(with = "optional_address")]
    pub proposal_cancel_dest: Option<Address>,
    pub expedited_voting_period_secs: u64,
    pub expedited_threshold: Dec,
    #[serde(with = "salus_sdk::json::coins")]
    pub expedited_min_deposit: Coins,
    /// Burn the deposits of a proposal that misses quorum.
    pub burn_vote_quorum: bool,
    /// Burn the deposits of a proposal that never reaches its voting period.
    pub burn_proposal_deposit_prevote: bool,
    /// Burn the deposits of a vetoed proposal.
    pub burn_vote_veto: bool,
    /// The share of the min deposit every later deposit must be at least.
    pub min_deposit_ratio: Dec,
}

impl Default for Params {
    fn default() -> Self {
        let usalus = |n: u128| Coins::new(vec![salus_sdk::Coin::new(n, salus_sdk::BASE_DENOM)]).expect("one coin");
        Self {
            min_deposit: usalus(10_000_000),
            max_deposit_period_secs: 2 * 24 * 3600,
            voting_period_secs: 2 * 24 * 3600,
            quorum: Dec::parse("quorum", "0.334").expect("constant"),
            threshold: Dec::percent(50),
            veto_threshold: Dec::parse("veto_threshold", "0.334").expect("constant"),
            min_initial_deposit_ratio: Dec::percent(25),
            proposal_cancel_ratio: Dec::percent(50),
            proposal_cancel_dest: None,
            expedited_voting_period_secs: 24 * 3600,
            expedited_threshold: Dec::parse("expedited_threshold", "0.667").expect("constant"),
            expedited_min_deposit: usalus(50_000_000),
            burn_vote_quorum: false,
            burn_proposal_deposit_prevote: false,
            burn_vote_veto: true,
            min_deposit_ratio: Dec::percent(1),
        }
    }
}

impl Params {
    /// Cosmos x/gov v1's checks (`Params.ValidateBasic`), and a cap on the deposit denoms.
    pub fn validate(&self) -> Result<(), Error> {
        for (name, coins) in
            [("min_deposit", &self.min_deposit), ("expedited_min_deposit", &self.expedited_min_deposit)]
        {
            if coins.is_empty() {
                return Err(invalid(format!("gov.params.{name} must not be empty")));
            }
            if coins.len() > MAX_DEPOSIT_DENOMS {
                return Err(invalid(format!("gov.params.{name} lists more than {MAX_DEPOSIT_DENOMS} denoms")));
            }
        }
        for c in self.min_deposit.iter() {
            if self.expedited_min_deposit.amount_of(&c.denom) <= c.amount {
                return Err(invalid(format!(
                    "gov.params.expedited_min_deposit must be greater than min_deposit in every denom ({})",
                    c.denom
                )));
            }
        }
        if self.expedited_min_deposit.len() != self.min_deposit.len() {
            return Err(invalid("gov.params.expedited_min_deposit must list the denoms of min_deposit".into()));
        }
        for (name, secs) in [
            ("max_deposit_period", self.max_deposit_period_secs),
            ("voting_period", self.voting_period_secs),
            ("expedited_voting_period", self.expedited_voting_period_secs),
        ] {
            if secs == 0 {
                return Err(invalid(format!("gov.params.{name} must be positive")));
            }
            if secs > i64::MAX as u64 / 2 {
                return Err(invalid(format!("gov.params.{name} is too long")));
            }
        }
        if self.expedited_voting_period_secs >= self.voting_period_secs {
            return Err(invalid("gov.params.expedited_voting_period must be shorter than voting_period".into()));
        }
        for (name, ratio, zero_ok) in [
            ("quorum", self.quorum, true),
            ("threshold", self.threshold, false),
            ("veto_threshold", self.veto_threshold, false),
            ("expedited_threshold", self.expedited_threshold, false),
            ("min_initial_deposit_ratio", self.min_initial_deposit_ratio, true),
            ("proposal_cancel_ratio", self.proposal_cancel_ratio, true),
            ("min_deposit_ratio", self.min_deposit_ratio, true),
        ] {
            if ratio > Dec::ONE || (!zero_ok && ratio.is_zero()) {
                let range = if zero_ok { "between 0 and 1" } else { "above 0 and at most 1" };
                return Err(invalid(format!("gov.params.{name} must be {range}, not {ratio}")));
            }
        }
        if self.expedited_threshold <= self.threshold {
            return Err(invalid("gov.params.expedited_threshold must be greater than threshold".into()));
        }
        Ok(())
    }

    pub fn voting_period(&self, expedited: bool) -> u64 {
        if expedited {
            self.expedited_voting_period_secs
        } else {
            self.voting_period_secs
        }
    }

    pub fn min_deposit(&self, expedited: bool) -> &Coins {
        if expedited {
            &self.expedited_min_deposit
        } else {
            &self.min_deposit
        }
    }

    pub fn threshold(&self, expedited: bool) -> Dec {
        if expedited {
            self.expedited_threshold
        } else {
            self.threshold
        }
    }

    pub fn to_proto(&self) -> proto::Params {
        let duration = |secs: u64| Some(Duration { seconds: secs as i64, nanos: 0 });
        proto::Params {
            min_deposit: self.min_deposit.to_proto(),
            max_deposit_period: duration(self.max_deposit_period_secs),
            voting_period: duration(self.voting_period_secs),
            quorum: self.quorum.to_string(),
            threshold: self.threshold.to_string(),
            veto_threshold: self.veto_threshold.to_string(),
            min_initial_deposit_ratio: self.min_initial_deposit_ratio.to_string(),
            proposal_cancel_ratio: self.proposal_cancel_ratio.to_string(),
            proposal_cancel_dest: self.proposal_cancel_dest.map(|a| a.to_string()).unwrap_or_default(),
            expedited_voting_period: duration(self.expedited_voting_period_secs),
            expedited_threshold: self.expedited_threshold.to_string(),
            expedited_min_deposit: self.expedited_min_deposit.to_proto(),
            burn_vote_quorum: self.burn_vote_quorum,
            burn_proposal_deposit_prevote: self.burn_proposal_deposit_prevote,
            burn_vote_veto: self.burn_vote_veto,
            min_deposit_ratio: self.min_deposit_ratio.to_string(),
        }
    }

    /// Reads `cosmos.gov.v1.Params` as `MsgUpdateParams` carries it (decimals as `0.5`, whole
    /// seconds); [`Params::validate`] runs after.
    pub fn from_proto(p: &proto::Params) -> Result<Self, Error> {
        let secs = |field: &str, d: &Option<Duration>| -> Result<u64, Error> {
            match d {
                Some(d) if d.nanos == 0 && d.seconds > 0 => Ok(d.seconds as u64),
                _ => Err(invalid(format!("params.{field} must be a positive whole number of seconds, e.g. 172800s"))),
            }
        };
        let dec = |field: &str, s: &str| Dec::parse(&format!("params.{field}"), s);
        let dest = if p.proposal_cancel_dest.is_empty() {
            None
        } else {
            Some(Address::parse("params.proposal_cancel_dest", &p.proposal_cancel_dest)?)
        };
        Ok(Self {
            min_deposit: Coins::from_proto(&p.min_deposit)?,
            max_deposit_period_secs: secs("max_deposit_period", &p.max_deposit_period)?,
            voting_period_secs: secs("voting_period", &p.voting_period)?,
            quorum: dec("quorum", &p.quorum)?,
            threshold: dec("threshold", &p.threshold)?,
            veto_threshold: dec("veto_threshold", &p.veto_threshold)?,
            min_initial_deposit_ratio: dec("min_initial_deposit_ratio", &p.min_initial_deposit_ratio)?,
            proposal_cancel_ratio: dec("proposal_cancel_ratio", &p.proposal_cancel_ratio)?,
            proposal_cancel_dest: dest,
            expedited_voting_period_secs: secs("expedited_voting_period", &p.expedited_voting_period)?,
            expedited_threshold: dec("expedited_threshold", &p.expedited_threshold)?,
            expedited_min_deposit: Coins::from_proto(&p.expedited_min_deposit)?,
            burn_vote_quorum: p.burn_vote_quorum,
            burn_proposal_deposit_prevote: p.burn_proposal_deposit_prevote,
            burn_vote_veto: p.burn_vote_veto,
            min_deposit_ratio: dec("min_deposit_ratio", &p.min_deposit_ratio)?,
        })
    }
}

/// An optional address as JSON `""` (none) or a bech32 string.
mod optional_address {
    use salus_sdk::Address;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(a: &Option<Address>, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&a.map(|a| a.to_string()).unwrap_or_default())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Address>, D::Error> {
        let text = String::deserialize(d)?;
        if text.is_empty() {
            return Ok(None);
        }
        Address::parse("proposal_cancel_dest", &text).map(Some).map_err(|e| serde::de::Error::custom(e.message))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_valid_and_round_trip_through_the_cosmos_proto_and_json() {
        let p = Params::default();
        p.validate().unwrap();
        assert_eq!(Params::from_proto(&p.to_proto()).unwrap(), p);
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(serde_json::from_str::<Params>(&json).unwrap(), p);
        assert!(json.contains(r#""min_deposit":[{"denom":"usalus","amount":"10000000"}]"#), "{json}");
    }

    #[test]
    fn params_that_x_gov_refuses_are_refused() {
        type Edit = Box<dyn Fn(&mut Params)>;
        let cases: Vec<(&str, Edit)> = vec![
            ("min_deposit", Box::new(|p| p.min_deposit = Coins::empty())),
            ("expedited_min_deposit", Box::new(|p| p.expedited_min_deposit = p.min_deposit.clone())),
            ("voting_period", Box::new(|p| p.voting_period_secs = 0)),
            ("expedited_voting_period", Box::new(|p| p.expedited_voting_period_secs = p.voting_period_secs)),
            ("threshold", Box::new(|p| p.threshold = Dec::ZERO)),
            ("quorum", Box::new(|p| p.quorum = Dec::from_int(2))),
            ("expedited_threshold", Box::new(|p| p.expedited_threshold = p.threshold)),
            ("proposal_cancel_ratio", Box::new(|p| p.proposal_cancel_ratio = Dec::from_int(2))),
            ("max_deposit_period", Box::new(|p| p.max_deposit_period_secs = u64::MAX)),
        ];
        for (field, edit) in cases {
            let mut p = Params::default();
            edit(&mut p);
            let e = p.validate().unwrap_err();
            assert!(e.message.contains(field), "{field}: {e}");
        }
        let mut fractional = Params::default().to_proto();
        fractional.voting_period = Some(Duration { seconds: 10, nanos: 5 });
        assert!(Params::from_proto(&fractional).unwrap_err().message.contains("whole number of seconds"));
    }
}
