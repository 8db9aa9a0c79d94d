//! Parameters of staking, slashing and distribution; changed only through governance, by the
//! Cosmos `MsgUpdateParams` of each (see [`crate::msgs`]), whose Cosmos `Params` map onto these
//! here. Durations are whole seconds of block time. A genesis may give some fields; the rest keep
//! defaults.

use borsh::{BorshDeserialize, BorshSerialize};
use salus_proto::cosmos::distribution::v1beta1 as distr;
use salus_proto::cosmos::slashing::v1beta1 as slashing;
use salus_proto::cosmos::staking::v1beta1 as staking;
use salus_proto::tendermint_proto::google::protobuf::Duration;
use salus_sdk::{Error, SdkCode};
use serde::{Deserialize, Serialize};

use salus_sdk::dec::Dec;

/// Tokens per unit of consensus power (Cosmos' `DefaultPowerReduction`).
pub const POWER_REDUCTION: u128 = 1_000_000;

/// The most validators a set may hold.
pub const MAX_SET_SIZE: u32 = 1000;

/// CometBFT refuses a validator set whose total power passes `i64::MAX / 8` (and the chain would
/// halt): each validator's power is capped so that a full set stays below it.
pub const MAX_VALIDATOR_POWER: u64 = (i64::MAX as u64 / 8) / MAX_SET_SIZE as u64;

fn invalid(msg: String) -> Error {
    Error::sdk(SdkCode::InvalidRequest, msg)
}

/// A Cosmos duration as whole seconds: Salus counts these params in seconds, so a negative or
/// fractional duration is refused rather than rounded.
fn whole_seconds(field: &str, d: Option<&Duration>) -> Result<u64, Error> {
    let d = d.ok_or_else(|| invalid(format!("{field} is missing: give every param (a duration like 1814400s)")))?;
    if d.seconds < 0 || d.nanos < 0 {
        return Err(invalid(format!("{field} is negative: give a positive duration")));
    }
    if d.nanos != 0 {
        return Err(invalid(format!(
            "{field} is {}s and {} ns: Salus counts it in whole seconds, give a whole number of seconds",
            d.seconds, d.nanos
        )));
    }
    Ok(d.seconds as u64)
}

fn duration(secs: u64) -> Option<Duration> {
    Some(Duration { seconds: i64::try_from(secs).unwrap_or(i64::MAX), nanos: 0 })
}

/// A Cosmos `LegacyDec` string, which every param must give (Cosmos refuses a nil one too).
fn required_dec(field: &str, s: &str) -> Result<Dec, Error> {
    if s.is_empty() {
        return Err(invalid(format!(
            "{field} is empty: give every param, a decimal as 18-place atomics (0.05 is 50000000000000000)"
        )));
    }
    Dec::from_proto(field, s)
}

/// A `LegacyDec` that Cosmos' slashing `Params` carry as bytes: the UTF-8 of the decimal string
/// (atomics, as gogoproto and cosmjs write it).
fn required_dec_bytes(field: &str, b: &[u8]) -> Result<Dec, Error> {
    let s = std::str::from_utf8(b)
        .map_err(|_| invalid(format!("{field} is not UTF-8: give the decimal's atomics as a string's bytes")))?;
    required_dec(field, s)
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, BorshSerialize, BorshDeserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StakingParams {
    /// How long undelegated and redelegated stake stays slashable before it is released.
    pub unbonding_time_secs: u64,
    /// The size of the active validator set.
    pub max_validators: u32,
    /// Unbonding or redelegation entries one delegator may have in flight per pair.
    pub max_entries: u32,
    /// Historical headers kept for IBC (Hermes requires a non-zero value).
    pub historical_entries: u32,
    pub bond_denom: String,
    pub min_commission_rate: Dec,
}

impl Default for StakingParams {
    fn default() -> Self {
        Self {
            unbonding_time_secs: 21 * 24 * 3600,
            max_validators: 100,
            max_entries: 7,
            historical_entries: 10_000,
            bond_denom: salus_sdk::BASE_DENOM.into(),
            min_commission_rate: Dec::ZERO,
        }
    }
}

impl StakingParams {
    pub fn validate(&self) -> Result<(), Error> {
        if self.unbonding_time_secs == 0 {
            return Err(invalid("staking.params.unbonding_time_secs must be positive".into()));
        }
        if self.max_validators == 0 || self.max_entries == 0 || self.historical_entries == 0 {
            return Err(invalid(
                "staking.params: max_validators, max_entries and historical_entries must be positive".into(),
            ));
        }
        if self.max_validators > MAX_SET_SIZE {
            return Err(invalid(format!("staking.params.max_validators must be at most {MAX_SET_SIZE}")));
        }
        salus_sdk::coin::validate_denom(&self.bond_denom)?;
        if self.min_commission_rate > Dec::ONE {
            return Err(invalid("staking.params.min_commission_rate must be at most 1".into()));
        }
        Ok(())
    }

    /// Cosmos' staking `Params`, every field given.
    pub fn from_proto(p: &staking::Params) -> Result<Self, Error> {
        Ok(Self {
            unbonding_time_secs: whole_seconds("params.unbonding_time", p.unbonding_time.as_ref())?,
            max_validators: p.max_validators,
            max_entries: p.max_entries,
            historical_entries: p.historical_entries,
            bond_denom: p.bond_denom.clone(),
            min_commission_rate: required_dec("params.min_commission_rate", &p.min_commission_rate)?,
        })
    }

    pub fn to_proto(&self) -> staking::Params {
        staking::Params {
            unbonding_time: duration(self.unbonding_time_secs),
            max_validators: self.max_validators,
            max_entries: self.max_entries,
            historical_entries: self.historical_entries,
            bond_denom: self.bond_denom.clone(),
            min_commission_rate: self.min_commission_rate.to_proto(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, BorshSerialize, BorshDeserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SlashingParams {
    /// Blocks over which liveness is measured.
    pub signed_blocks_window: u64,
    /// The share of the window a validator must sign.
    pub min_signed_per_window: Dec,
    pub downtime_jail_duration_secs: u64,
    pub slash_fraction_double_sign: Dec,
    pub slash_fraction_downtime: Dec,
}

impl Default for SlashingParams {
    fn default() -> Self {
        Self {
            signed_blocks_window: 100,
            min_signed_per_window: Dec::percent(50),
            downtime_jail_duration_secs: 600,
            slash_fraction_double_sign: Dec::percent(5),
            slash_fraction_downtime: Dec::percent(1),
        }
    }
}

impl SlashingParams {
    pub fn validate(&self) -> Result<(), Error> {
        if self.signed_blocks_window == 0 {
            return Err(invalid("slashing.params.signed_blocks_window must be positive".into()));
        }
        for (name, d) in [
            ("min_signed_per_window", self.min_signed_per_window),
            ("slash_fraction_double_sign", self.slash_fraction_double_sign),
            ("slash_fraction_downtime", self.slash_fraction_downtime),
        ] {
            if d > Dec::ONE {
                return Err(invalid(format!("slashing.params.{name} must be between 0 and 1")));
            }
        }
        Ok(())
    }

    /// Cosmos' slashing `Params`, every field given.
    pub fn from_proto(p: &slashing::Params) -> Result<Self, Error> {
        let signed_blocks_window = u64::try_from(p.signed_blocks_window)
            .map_err(|_| invalid("params.signed_blocks_window is negative: give a positive number of blocks".into()))?;
        Ok(Self {
            signed_blocks_window,
            min_signed_per_window: required_dec_bytes("params.min_signed_per_window", &p.min_signed_per_window)?,
            downtime_jail_duration_secs: whole_seconds(
                "params.downtime_jail_duration",
                p.downtime_jail_duration.as_ref(),
            )?,
            slash_fraction_double_sign: required_dec_bytes(
                "params.slash_fraction_double_sign",
                &p.slash_fraction_double_sign,
            )?,
            slash_fraction_downtime: required_dec_bytes("params.slash_fraction_downtime", &p.slash_fraction_downtime)?,
        })
    }

    pub fn to_proto(&self) -> slashing::Params {
        slashing::Params {
            signed_blocks_window: i64::try_from(self.signed_blocks_window).unwrap_or(i64::MAX),
            min_signed_per_window: self.min_signed_per_window.to_proto().into_bytes(),
            downtime_jail_duration: duration(self.downtime_jail_duration_secs),
            slash_fraction_double_sign: self.slash_fraction_double_sign.to_proto().into_bytes(),
            slash_fraction_downtime: self.slash_fraction_downtime.to_proto().into_bytes(),
        }
    }

    /// The most blocks of the window a validator may miss before it is jailed.
    pub fn max_missed(&self) -> Result<u64, Error> {
        let min_signed =
            Dec::from_int(self.signed_blocks_window as u128).checked_mul(self.min_signed_per_window)?.truncate();
        Ok(self.signed_blocks_window - min_signed.min(self.signed_blocks_window as u128) as u64)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, BorshSerialize, BorshDeserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DistributionParams {
    /// The share of fees and inflation that goes to the community pool.
    pub community_tax: Dec,
    /// Yearly inflation of the bond denom's supply, minted block by block.
    pub inflation_rate: Dec,
    /// Blocks a year at the expected block time; a block mints supply x rate / blocks_per_year.
    pub blocks_per_year: u64,
    pub withdraw_addr_enabled: bool,
}

impl Default for DistributionParams {
    fn default() -> Self {
        Self {
            community_tax: Dec::percent(2),
            inflation_rate: Dec::percent(7),
            blocks_per_year: 6_311_520,
            withdraw_addr_enabled: true,
        }
    }
}

impl DistributionParams {
    pub fn validate(&self) -> Result<(), Error> {
        if self.community_tax > Dec::ONE {
            return Err(invalid("distribution.params.community_tax must be between 0 and 1".into()));
        }
        if self.inflation_rate > Dec::ONE {
            return Err(invalid("distribution.params.inflation_rate must be between 0 and 1".into()));
        }
        if self.blocks_per_year == 0 {
            return Err(invalid("distribution.params.blocks_per_year must be positive".into()));
        }
        Ok(())
    }
}

/// What `cosmos.distribution.v1beta1.MsgUpdateParams` sets: the fields of Cosmos' distribution
/// `Params` that Salus has. Salus' inflation (`inflation_rate`, `blocks_per_year`: x/mint's params
/// in Cosmos, which has no such fields in distribution's) is not among them and keeps its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CosmosDistributionParams {
    pub community_tax: Dec,
    pub withdraw_addr_enabled: bool,
}

impl CosmosDistributionParams {
    /// Cosmos' distribution `Params`. `base_proposer_reward` and `bonus_proposer_reward`
    /// (deprecated; Salus pays no proposer reward) may be empty or zero, as the params query
    /// answers them.
    pub fn from_proto(p: &distr::Params) -> Result<Self, Error> {
        #[allow(deprecated)]
        for (field, value) in [
            ("params.base_proposer_reward", &p.base_proposer_reward),
            ("params.bonus_proposer_reward", &p.bonus_proposer_reward),
        ] {
            if !value.is_empty() && !Dec::from_proto(field, value)?.is_zero() {
                return Err(invalid(format!(
                    "{field} is {value}: Salus pays no proposer reward, give 0 (or leave it empty)"
                )));
            }
        }
        Ok(Self {
            community_tax: required_dec("params.community_tax", &p.community_tax)?,
            withdraw_addr_enabled: p.withdraw_addr_enabled,
        })
    }

    pub fn to_proto(&self) -> distr::Params {
        #[allow(deprecated)] // Salus has no proposer reward; the fields stay zero for old clients
        distr::Params {
            community_tax: self.community_tax.to_proto(),
            base_proposer_reward: "0".into(),
            bonus_proposer_reward: "0".into(),
            withdraw_addr_enabled: self.withdraw_addr_enabled,
        }
    }

    /// `current` with these fields set; its inflation fields as they are.
    pub fn apply(&self, current: &DistributionParams) -> DistributionParams {
        DistributionParams {
            community_tax: self.community_tax,
            withdraw_addr_enabled: self.withdraw_addr_enabled,
            ..current.clone()
        }
    }

    pub fn of(p: &DistributionParams) -> Self {
        Self { community_tax: p.community_tax, withdraw_addr_enabled: p.withdraw_addr_enabled }
    }
}
