//! The voting-power view a stake-weighted tally needs (governance): the bonded set, each bonded
//! validator's tokens and shares, a voter's delegations and the total bonded stake. Read-only.

use salus_sdk::{Address, Dec, Error, StateRead};
use salus_token::TokenRead;

use crate::state::{bonded_pool, StakingRead};
use crate::types::{BondStatus, Delegation};

/// A validator of the bonded set, as a tally weighs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BondedValidator {
    pub operator: Address,
    pub tokens: u128,
    pub delegator_shares: Dec,
}

pub trait VotingPower: StateRead {
    /// The stake bonded in total: the bonded pool's balance of the bond denom.
    fn total_bonded_tokens(&self) -> Result<u128, Error> {
        let denom = self.staking_params()?.bond_denom;
        self.balance(&bonded_pool(), &denom)
    }

    /// The bonded validators, in the order of the last validator set (at most the set's size).
    fn bonded_validators(&self) -> Result<Vec<BondedValidator>, Error> {
        let mut out = Vec::new();
        for (operator, _) in self.last_powers()? {
            if let Some(v) = self.validator(&operator)?.filter(|v| v.status == BondStatus::Bonded) {
                out.push(BondedValidator { operator, tokens: v.tokens, delegator_shares: v.delegator_shares });
            }
        }
        Ok(out)
    }

    /// A voter's delegations (validator and shares), by validator.
    fn voter_delegations(&self, voter: &Address) -> Result<Vec<Delegation>, Error> {
        self.delegations_of(voter)
    }
}

impl<S: StateRead + ?Sized> VotingPower for S {}
