//! Parameters of staking, slashing and distribution; changed only through governance.
//! Durations are seconds of block time. A genesis may give some fields; the rest keep defaults.

use borsh::{BorshDeserialize, BorshSerialize};
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
