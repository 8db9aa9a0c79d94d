//! The only code that touches this module's keys. Other modules read validators and delegations
//! through [`StakingRead`].

use borsh::{BorshDeserialize, BorshSerialize};
use salus_sdk::{Address, Error, StateRead, StateReadExt, StateWrite, StateWriteExt};

use crate::keys;
use crate::params::{DistributionParams, SlashingParams, StakingParams};
use crate::types::{Delegation, Redelegation, SigningInfo, Time, UnbondingDelegation, Validator, ValidatorRewards};
use salus_sdk::dec::DecCoins;

pub fn bonded_pool() -> Address {
    crate::module::BONDED_POOL.address()
}

pub fn not_bonded_pool() -> Address {
    crate::module::NOT_BONDED_POOL.address()
}

pub fn distribution_account() -> Address {
    crate::module::DISTRIBUTION_ACCOUNT.address()
}

/// A past block, kept `historical_entries` deep for IBC: what a counterparty's light client of
/// this chain stores as its consensus state at that height (time, app hash, next validators hash).
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct HistoricalRecord {
    pub height: u64,
    pub time: Time,
    pub chain_id: String,
    /// The bonded set after the block, by operator, with power.
    pub validators: Vec<(Address, u64)>,
    /// The header's app hash: the state after the previous block.
    pub app_hash: Vec<u8>,
    /// The header's hash of the next block's validator set.
    pub next_validators_hash: Vec<u8>,
}

fn addr_at(key: &[u8], offset: usize) -> Result<Address, Error> {
    key.get(offset..offset + 20)
        .and_then(|b| b.try_into().ok())
        .map(Address)
        .ok_or_else(|| Error::internal("malformed staking index key"))
}

pub trait StakingRead: StateRead {
    fn staking_params(&self) -> Result<StakingParams, Error> {
        Ok(self.get(keys::STAKING_PARAMS)?.unwrap_or_default())
    }

    fn slashing_params(&self) -> Result<SlashingParams, Error> {
        Ok(self.get(keys::SLASHING_PARAMS)?.unwrap_or_default())
    }

    fn distribution_params(&self) -> Result<DistributionParams, Error> {
        Ok(self.get(keys::DISTRIBUTION_PARAMS)?.unwrap_or_default())
    }

    fn validator(&self, op: &Address) -> Result<Option<Validator>, Error> {
        self.get(&keys::validator(op))
    }

    /// Every validator, by operator address.
    fn validators(&self) -> Result<Vec<Validator>, Error> {
        Ok(self.prefix::<Validator>(keys::VALIDATOR_PREFIX)?.into_iter().map(|(_, v)| v).collect())
    }

    /// The `limit` validators with the most power that could be in the set (unjailed, power > 0),
    /// most power first, ties by operator: read from the front of the power index, so the cost
    /// is that of `limit` validators however many exist.
    fn top_validators(&self, limit: usize) -> Result<Vec<Validator>, Error> {
        let end = keys::prefix_end(keys::BY_POWER_PREFIX);
        let index = self.range_limit_raw(keys::BY_POWER_PREFIX, keys::BY_POWER_PREFIX, &end, limit, false)?;
        index
            .iter()
            .map(|(k, _)| {
                let op = keys::by_power_operator(k).ok_or_else(|| Error::internal("corrupt power index key"))?;
                self.validator(&op)?.ok_or_else(|| Error::internal("the power index names a missing validator"))
            })
            .collect()
    }

    fn validator_by_cons(&self, cons: &[u8; 20]) -> Result<Option<Validator>, Error> {
        match self.get::<Address>(&keys::by_cons(cons))? {
            Some(op) => self.validator(&op),
            None => Ok(None),
        }
    }

    /// The set CometBFT was last told about: (operator, power), by operator.
    fn last_powers(&self) -> Result<Vec<(Address, u64)>, Error> {
        self.prefix::<u64>(keys::LAST_POWER_PREFIX)?
            .into_iter()
            .map(|(k, p)| Ok((addr_at(&k, keys::LAST_POWER_PREFIX.len())?, p)))
            .collect()
    }

    fn delegation(&self, del: &Address, val: &Address) -> Result<Option<Delegation>, Error> {
        self.get(&keys::delegation(del, val))
    }

    fn delegations_of(&self, del: &Address) -> Result<Vec<Delegation>, Error> {
        Ok(self.prefix::<Delegation>(&keys::delegations_of(del))?.into_iter().map(|(_, d)| d).collect())
    }

    fn delegations_to(&self, val: &Address) -> Result<Vec<Delegation>, Error> {
        let prefix = keys::delegations_to(val);
        let mut out = Vec::new();
        for (k, _) in self.prefix_raw(&prefix)? {
            let del = addr_at(&k, prefix.len())?;
            if let Some(d) = self.delegation(&del, val)? {
                out.push(d);
            }
        }
        Ok(out)
    }

    fn unbonding(&self, del: &Address, val: &Address) -> Result<Option<UnbondingDelegation>, Error> {
        self.get(&keys::unbonding(del, val))
    }

    fn unbondings_of(&self, del: &Address) -> Result<Vec<UnbondingDelegation>, Error> {
        Ok(self.prefix::<UnbondingDelegation>(&keys::unbondings_of(del))?.into_iter().map(|(_, u)| u).collect())
    }

    /// Every unbonding delegation, by delegator then validator.
    fn all_unbondings(&self) -> Result<Vec<UnbondingDelegation>, Error> {
        Ok(self.prefix::<UnbondingDelegation>(keys::UNBONDING_PREFIX)?.into_iter().map(|(_, u)| u).collect())
    }

    fn unbondings_from(&self, val: &Address) -> Result<Vec<UnbondingDelegation>, Error> {
        let prefix = keys::unbondings_from(val);
        let mut out = Vec::new();
        for (k, _) in self.prefix_raw(&prefix)? {
            if let Some(u) = self.unbonding(&addr_at(&k, prefix.len())?, val)? {
                out.push(u);
            }
        }
        Ok(out)
    }

    fn redelegation(&self, del: &Address, src: &Address, dst: &Address) -> Result<Option<Redelegation>, Error> {
        self.get(&keys::redelegation(del, src, dst))
    }

    fn redelegations_of(&self, del: &Address) -> Result<Vec<Redelegation>, Error> {
        Ok(self.prefix::<Redelegation>(&keys::redelegations_of(del))?.into_iter().map(|(_, r)| r).collect())
    }

    fn redelegations_from(&self, src: &Address) -> Result<Vec<Redelegation>, Error> {
        let prefix = keys::redelegations_from(src);
        let mut out = Vec::new();
        for (k, _) in self.prefix_raw(&prefix)? {
            let (del, dst) = (addr_at(&k, prefix.len())?, addr_at(&k, prefix.len() + 20)?);
            if let Some(r) = self.redelegation(&del, src, &dst)? {
                out.push(r);
            }
        }
        Ok(out)
    }

    fn historical(&self, height: u64) -> Result<Option<HistoricalRecord>, Error> {
        self.get(&keys::historical(height))
    }

    fn signing_info(&self, cons: &[u8; 20]) -> Result<Option<SigningInfo>, Error> {
        self.get(&keys::signing_info(cons))
    }

    fn signing_infos(&self) -> Result<Vec<SigningInfo>, Error> {
        Ok(self.prefix::<SigningInfo>(keys::SIGNING_INFO_PREFIX)?.into_iter().map(|(_, s)| s).collect())
    }

    fn missed(&self, cons: &[u8; 20], index: u64) -> Result<bool, Error> {
        Ok(self.get_raw(&keys::missed(cons, index))?.is_some())
    }

    fn validator_rewards(&self, val: &Address) -> Result<ValidatorRewards, Error> {
        Ok(self.get(&keys::rewards(val))?.unwrap_or_default())
    }

    /// The validator's reward-per-share when this delegation last settled.
    fn reward_start(&self, del: &Address, val: &Address) -> Result<DecCoins, Error> {
        Ok(self.get(&keys::reward_start(del, val))?.unwrap_or_default())
    }

    fn community_pool(&self) -> Result<DecCoins, Error> {
        Ok(self.get(keys::COMMUNITY_POOL)?.unwrap_or_default())
    }

    /// Where a delegator's rewards (and an operator's commission) are paid: itself unless set.
    fn withdraw_address(&self, del: &Address) -> Result<Address, Error> {
        Ok(self.get(&keys::withdraw_address(del))?.unwrap_or(*del))
    }

    /// Every delegation, by delegator then validator (for genesis export).
    fn all_delegations(&self) -> Result<Vec<Delegation>, Error> {
        Ok(self.prefix::<Delegation>(keys::DELEGATION_PREFIX)?.into_iter().map(|(_, d)| d).collect())
    }

    /// Every redelegation, by delegator, source, destination (for genesis export).
    fn all_redelegations(&self) -> Result<Vec<Redelegation>, Error> {
        Ok(self.prefix::<Redelegation>(keys::REDELEGATION_PREFIX)?.into_iter().map(|(_, r)| r).collect())
    }

    /// Every missed block of every signing window: (consensus address, index), in order.
    fn all_missed(&self) -> Result<Vec<([u8; 20], u64)>, Error> {
        let at = keys::MISSED_PREFIX.len();
        self.prefix_raw(keys::MISSED_PREFIX)?
            .into_iter()
            .map(|(k, _)| {
                let cons: [u8; 20] = k
                    .get(at..at + 20)
                    .and_then(|b| b.try_into().ok())
                    .ok_or_else(|| Error::internal("bad missed key"))?;
                let index: [u8; 8] = k
                    .get(at + 20..)
                    .and_then(|b| b.try_into().ok())
                    .ok_or_else(|| Error::internal("bad missed key"))?;
                Ok((cons, u64::from_be_bytes(index)))
            })
            .collect()
    }

    /// Every validator's reward records, by operator.
    fn all_validator_rewards(&self) -> Result<Vec<(Address, ValidatorRewards)>, Error> {
        self.prefix::<ValidatorRewards>(keys::REWARDS_PREFIX)?
            .into_iter()
            .map(|(k, r)| Ok((addr_at(&k, keys::REWARDS_PREFIX.len())?, r)))
            .collect()
    }

    /// Every delegation's reward start: (delegator, validator, accumulator).
    fn all_reward_starts(&self) -> Result<Vec<(Address, Address, DecCoins)>, Error> {
        let at = keys::REWARD_START_PREFIX.len();
        self.prefix::<DecCoins>(keys::REWARD_START_PREFIX)?
            .into_iter()
            .map(|(k, s)| Ok((addr_at(&k, at)?, addr_at(&k, at + 20)?, s)))
            .collect()
    }

    /// Every withdraw address that differs from its delegator: (delegator, withdraw address).
    fn all_withdraw_addresses(&self) -> Result<Vec<(Address, Address)>, Error> {
        self.prefix::<Address>(keys::WITHDRAW_ADDRESS_PREFIX)?
            .into_iter()
            .map(|(k, to)| Ok((addr_at(&k, keys::WITHDRAW_ADDRESS_PREFIX.len())?, to)))
            .collect()
    }
}
impl<S: StateRead + ?Sized> StakingRead for S {}

pub trait StakingWrite: StateWrite {
    fn set_staking_params(&mut self, p: &StakingParams) -> Result<(), Error> {
        self.put(keys::STAKING_PARAMS.to_vec(), p)
    }

    fn set_slashing_params(&mut self, p: &SlashingParams) -> Result<(), Error> {
        self.put(keys::SLASHING_PARAMS.to_vec(), p)
    }

    fn set_distribution_params(&mut self, p: &DistributionParams) -> Result<(), Error> {
        self.put(keys::DISTRIBUTION_PARAMS.to_vec(), p)
    }

    /// Writes the record and keeps the power index in step with it.
    fn set_validator(&mut self, v: &Validator) -> Result<(), Error> {
        let before = self.validator(&v.operator)?.map_or(0, |old| old.potential_power());
        let after = v.potential_power();
        if before != after {
            if before > 0 {
                self.delete_raw(keys::by_power(before, &v.operator))?;
            }
            if after > 0 {
                self.put_raw(keys::by_power(after, &v.operator), Vec::new())?;
            }
        }
        self.put(keys::validator(&v.operator), v)?;
        self.put(keys::by_cons(&v.cons_address()), &v.operator)
    }

    fn remove_validator(&mut self, v: &Validator) -> Result<(), Error> {
        if let Some(stored) = self.validator(&v.operator)?.filter(|s| s.potential_power() > 0) {
            self.delete_raw(keys::by_power(stored.potential_power(), &v.operator))?;
        }
        self.delete_raw(keys::validator(&v.operator))?;
        self.delete_raw(keys::by_cons(&v.cons_address()))?;
        self.delete_raw(keys::rewards(&v.operator))
    }

    fn set_last_power(&mut self, op: &Address, power: u64) -> Result<(), Error> {
        if power == 0 {
            self.delete_raw(keys::last_power(op))
        } else {
            self.put(keys::last_power(op), &power)
        }
    }

    fn set_delegation(&mut self, d: &Delegation) -> Result<(), Error> {
        self.put(keys::delegation(&d.delegator, &d.validator), d)?;
        self.put_raw(keys::delegation_by_val(&d.validator, &d.delegator), Vec::new())
    }

    fn remove_delegation(&mut self, del: &Address, val: &Address) -> Result<(), Error> {
        self.delete_raw(keys::delegation(del, val))?;
        self.delete_raw(keys::delegation_by_val(val, del))?;
        self.delete_raw(keys::reward_start(del, val))
    }

    /// Stores the record, or removes it once it has no entries left.
    fn set_unbonding(&mut self, u: &UnbondingDelegation) -> Result<(), Error> {
        if u.entries.is_empty() {
            self.delete_raw(keys::unbonding(&u.delegator, &u.validator))?;
            return self.delete_raw(keys::unbonding_by_val(&u.validator, &u.delegator));
        }
        self.put(keys::unbonding(&u.delegator, &u.validator), u)?;
        self.put_raw(keys::unbonding_by_val(&u.validator, &u.delegator), Vec::new())
    }

    fn set_redelegation(&mut self, r: &Redelegation) -> Result<(), Error> {
        if r.entries.is_empty() {
            self.delete_raw(keys::redelegation(&r.delegator, &r.src, &r.dst))?;
            return self.delete_raw(keys::redelegation_by_src(&r.src, &r.delegator, &r.dst));
        }
        self.put(keys::redelegation(&r.delegator, &r.src, &r.dst), r)?;
        self.put_raw(keys::redelegation_by_src(&r.src, &r.delegator, &r.dst), Vec::new())
    }

    fn set_historical(&mut self, h: &HistoricalRecord) -> Result<(), Error> {
        self.put(keys::historical(h.height), h)
    }

    fn set_signing_info(&mut self, s: &SigningInfo) -> Result<(), Error> {
        self.put(keys::signing_info(&s.cons_address), s)
    }

    fn set_missed(&mut self, cons: &[u8; 20], index: u64, missed: bool) -> Result<(), Error> {
        if missed {
            self.put_raw(keys::missed(cons, index), vec![1])
        } else {
            self.delete_raw(keys::missed(cons, index))
        }
    }

    fn clear_missed(&mut self, cons: &[u8; 20]) -> Result<(), Error> {
        for (k, _) in self.prefix_raw(&keys::missed_of(cons))? {
            self.delete_raw(k)?;
        }
        Ok(())
    }

    fn set_validator_rewards(&mut self, val: &Address, r: &ValidatorRewards) -> Result<(), Error> {
        self.put(keys::rewards(val), r)
    }

    fn set_reward_start(&mut self, del: &Address, val: &Address, start: &DecCoins) -> Result<(), Error> {
        self.put(keys::reward_start(del, val), start)
    }

    fn set_community_pool(&mut self, pool: &DecCoins) -> Result<(), Error> {
        self.put(keys::COMMUNITY_POOL.to_vec(), pool)
    }

    fn set_withdraw_address(&mut self, del: &Address, to: &Address) -> Result<(), Error> {
        if del == to {
            self.delete_raw(keys::withdraw_address(del))
        } else {
            self.put(keys::withdraw_address(del), to)
        }
    }
}
impl<S: StateWrite + ?Sized> StakingWrite for S {}
