//! The module's records, borsh-encoded in state. Query responses convert them to the Cosmos
//! protobuf types (query.rs).

use borsh::{BorshDeserialize, BorshSerialize};
use salus_sdk::{Address, Error};
use sha2::{Digest, Sha256};

use crate::error::StakingError;
use crate::params::{MAX_VALIDATOR_POWER, POWER_REDUCTION};
use salus_sdk::dec::{Dec, DecCoins};
pub use salus_sdk::time::Time;

/// The far future: how long a double-signer stays jailed.
pub const FOREVER: Time = Time { secs: 253_402_300_799, nanos: 0 };

#[derive(Clone, Copy, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub enum BondStatus {
    Unbonded,
    Unbonding,
    Bonded,
}

impl BondStatus {
    /// The `cosmos.staking.v1beta1.BondStatus` number.
    pub fn proto(self) -> i32 {
        match self {
            BondStatus::Unbonded => 1,
            BondStatus::Unbonding => 2,
            BondStatus::Bonded => 3,
        }
    }

    pub fn proto_name(self) -> &'static str {
        match self {
            BondStatus::Unbonded => "BOND_STATUS_UNBONDED",
            BondStatus::Unbonding => "BOND_STATUS_UNBONDING",
            BondStatus::Bonded => "BOND_STATUS_BONDED",
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Description {
    pub moniker: String,
    pub identity: String,
    pub website: String,
    pub security_contact: String,
    pub details: String,
}

impl Description {
    pub fn validate(&self) -> Result<(), Error> {
        self.validate_lengths()?;
        if self.moniker.trim().is_empty() {
            return Err(
                StakingError::InvalidDescription.with("description.moniker is empty: give the validator a name")
            );
        }
        Ok(())
    }

    /// Cosmos' length caps, which an edit must respect too (a validator record is read every time
    /// the set is chosen; an unbounded one would make that cost grow).
    pub fn validate_lengths(&self) -> Result<(), Error> {
        let limits = [
            ("moniker", &self.moniker, 70),
            ("identity", &self.identity, 3000),
            ("website", &self.website, 140),
            ("security_contact", &self.security_contact, 140),
            ("details", &self.details, 280),
        ];
        for (name, value, max) in limits {
            if value.chars().count() > max {
                return Err(StakingError::InvalidDescription
                    .with(format!("description.{name} is longer than {max} characters: shorten it")));
            }
        }
        Ok(())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct CommissionRates {
    pub rate: Dec,
    pub max_rate: Dec,
    pub max_change_rate: Dec,
}

impl CommissionRates {
    pub fn validate(&self) -> Result<(), Error> {
        let e = StakingError::InvalidCommission;
        if self.max_rate > Dec::ONE {
            return Err(e.with("commission max rate cannot be more than 100%"));
        }
        if self.rate > self.max_rate {
            return Err(e.with("commission rate cannot be more than the max rate"));
        }
        if self.max_change_rate > self.max_rate {
            return Err(e.with("commission max change rate cannot be more than the max rate"));
        }
        Ok(())
    }
}

#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Validator {
    pub operator: Address,
    /// The ed25519 consensus key CometBFT signs with.
    pub consensus_pubkey: [u8; 32],
    pub jailed: bool,
    pub status: BondStatus,
    pub tokens: u128,
    pub delegator_shares: Dec,
    pub description: Description,
    pub unbonding_height: u64,
    pub unbonding_time: Time,
    pub commission: CommissionRates,
    pub commission_update_time: Time,
    pub min_self_delegation: u128,
}

/// CometBFT's address of an ed25519 key: the first 20 bytes of its SHA-256.
pub fn consensus_address(pubkey: &[u8; 32]) -> [u8; 20] {
    let mut out = [0u8; 20];
    out.copy_from_slice(&Sha256::digest(pubkey)[..20]);
    out
}

impl Validator {
    pub fn cons_address(&self) -> [u8; 20] {
        consensus_address(&self.consensus_pubkey)
    }

    /// Consensus power: whole multiples of the power reduction.
    pub fn power(&self) -> u64 {
        (self.tokens / POWER_REDUCTION).min(u128::from(MAX_VALIDATOR_POWER)) as u64
    }

    /// Power counted for the validator set: zero when jailed.
    pub fn potential_power(&self) -> u64 {
        if self.jailed {
            0
        } else {
            self.power()
        }
    }

    /// Until when stake leaving this validator now stays slashable for what the validator did
    /// (Cosmos' `getBeginInfo`): a bonded validator's for the unbonding time from now, an
    /// unbonding one's until its own unbonding completes, an unbonded one's not at all (`None`).
    pub fn slashable_until(&self, now: Time, unbonding_secs: u64) -> Option<Time> {
        match self.status {
            BondStatus::Bonded => Some(now.plus_secs(unbonding_secs)),
            BondStatus::Unbonding => Some(self.unbonding_time),
            BondStatus::Unbonded => None,
        }
    }

    /// Shares a deposit of `tokens` buys at the current exchange rate.
    pub fn shares_for(&self, tokens: u128) -> Result<Dec, Error> {
        if self.tokens == 0 {
            if !self.delegator_shares.is_zero() {
                return Err(StakingError::InsufficientShares
                    .with("the validator has lost all its tokens to slashing: delegations to it are not possible"));
            }
            return Ok(Dec::from_int(tokens));
        }
        self.delegator_shares.mul_ratio(tokens, self.tokens)
    }

    /// Tokens that `shares` are worth, truncated.
    pub fn tokens_for(&self, shares: Dec) -> Result<u128, Error> {
        if self.delegator_shares.is_zero() {
            return Ok(0);
        }
        salus_sdk::dec::mul_div(shares.atomics(), self.tokens.into(), self.delegator_shares.atomics())
            .and_then(salus_sdk::dec::U256::to_u128)
            .ok_or_else(|| Error::internal("share value overflow"))
    }

    /// Shares worth `tokens`, rounded up so a request for tokens never takes fewer shares than due.
    pub fn shares_worth(&self, tokens: u128) -> Result<Dec, Error> {
        if self.tokens == 0 {
            return Err(StakingError::InsufficientShares.with("the validator has no tokens left"));
        }
        salus_sdk::dec::mul_div_ceil(self.delegator_shares.atomics(), tokens.into(), self.tokens.into())
            .map(Dec::from_atomics)
            .ok_or_else(|| Error::internal("share value overflow"))
    }
}

#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Delegation {
    pub delegator: Address,
    pub validator: Address,
    pub shares: Dec,
}

#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct UnbondingEntry {
    pub creation_height: u64,
    pub completion_time: Time,
    pub initial_balance: u128,
    pub balance: u128,
}

#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct UnbondingDelegation {
    pub delegator: Address,
    pub validator: Address,
    pub entries: Vec<UnbondingEntry>,
}

#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct RedelegationEntry {
    pub creation_height: u64,
    pub completion_time: Time,
    pub initial_balance: u128,
    pub shares_dst: Dec,
}

#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Redelegation {
    pub delegator: Address,
    pub src: Address,
    pub dst: Address,
    pub entries: Vec<RedelegationEntry>,
}

/// Liveness of one consensus address (`cosmos.slashing.v1beta1.ValidatorSigningInfo`).
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct SigningInfo {
    pub cons_address: [u8; 20],
    pub start_height: u64,
    pub index_offset: u64,
    pub jailed_until: Time,
    pub tombstoned: bool,
    pub missed_blocks_counter: u64,
}

/// A validator's share of rewards (`distribution` records, kept per validator).
#[derive(Clone, Debug, Default, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct ValidatorRewards {
    /// Cumulative delegator rewards per whole share since the validator was created.
    pub reward_per_share: DecCoins,
    /// Commission not yet withdrawn.
    pub commission: DecCoins,
    /// Everything allocated to this validator and not yet paid out (commission included).
    pub outstanding: DecCoins,
}

pub use salus_sdk::module::{BlockInfo, Misbehavior, ValidatorUpdate, VoteInfo};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::MAX_SET_SIZE;

    #[test]
    fn a_full_set_of_the_largest_validators_stays_within_cometbft_total_power() {
        let v = |tokens: u128| Validator {
            operator: Address([1; 20]),
            consensus_pubkey: [2; 32],
            jailed: false,
            status: BondStatus::Bonded,
            tokens,
            delegator_shares: Dec::ZERO,
            description: Description::default(),
            unbonding_height: 0,
            unbonding_time: Time::default(),
            commission: CommissionRates { rate: Dec::ZERO, max_rate: Dec::ONE, max_change_rate: Dec::ONE },
            commission_update_time: Time::default(),
            min_self_delegation: 1,
        };
        assert_eq!(v(5_999_999).power(), 5);
        let largest = v(u128::MAX).power();
        assert_eq!(largest, MAX_VALIDATOR_POWER);
        let total = u128::from(largest) * u128::from(MAX_SET_SIZE);
        assert!(total <= (i64::MAX / 8) as u128, "CometBFT's MaxTotalVotingPower");
    }
}
