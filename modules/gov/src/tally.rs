//! The tally, as Cosmos x/gov v1 counts it: by bonded stake. A validator's vote carries the
//! shares of its delegators who did not vote; a delegator who votes carries its own shares, and
//! those are deducted from its validators'.

use std::collections::BTreeMap;

use salus_sdk::{Address, Dec, Error, SdkCode, StateRead};
use salus_staking::abilities::VotingPower;

use crate::params::Params;
use crate::types::{Proposal, TallyResult, Vote, VoteOption, WeightedOption};

/// What a tally decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub passes: bool,
    /// Whether the deposits are burned (veto, or quorum missed, per params).
    pub burn: bool,
    pub result: TallyResult,
}

struct Counted {
    tokens: u128,
    shares: Dec,
    deducted: Dec,
    vote: Option<Vec<WeightedOption>>,
}

#[derive(Default)]
struct Sums {
    by_option: [Dec; 4],
    total: Dec,
}

impl Sums {
    fn add(&mut self, power: Dec, options: &[WeightedOption]) -> Result<(), Error> {
        for o in options {
            let i = VoteOption::ALL.iter().position(|x| *x == o.option).unwrap_or(0);
            self.by_option[i] = self.by_option[i].checked_add(power.checked_mul(o.weight)?)?;
        }
        self.total = self.total.checked_add(power)?;
        Ok(())
    }

    fn of(&self, option: VoteOption) -> Dec {
        self.by_option[VoteOption::ALL.iter().position(|x| *x == option).unwrap_or(0)]
    }
}

/// The tokens `shares` of a validator stand for.
fn power(shares: Dec, tokens: u128, total_shares: Dec) -> Result<Dec, Error> {
    if total_shares.is_zero() {
        return Ok(Dec::ZERO);
    }
    shares.mul_int(tokens)?.quo(total_shares)
}

/// Counts `votes` (a proposal's) against the bonded set as `state` holds it now.
fn count(state: &impl StateRead, votes: &[Vote]) -> Result<(Sums, u128), Error> {
    let mut validators: BTreeMap<Address, Counted> = state
        .bonded_validators()?
        .into_iter()
        .map(|v| {
            (v.operator, Counted { tokens: v.tokens, shares: v.delegator_shares, deducted: Dec::ZERO, vote: None })
        })
        .collect();
    let mut sums = Sums::default();
    for vote in votes {
        // A validator votes with its operator address.
        if let Some(v) = validators.get_mut(&vote.voter) {
            v.vote = Some(vote.options.clone());
        }
        for d in state.voter_delegations(&vote.voter)? {
            if let Some(v) = validators.get_mut(&d.validator) {
                v.deducted = v.deducted.checked_add(d.shares)?;
                sums.add(power(d.shares, v.tokens, v.shares)?, &vote.options)?;
            }
        }
    }
    for v in validators.values() {
        if let Some(options) = &v.vote {
            let remaining = v.shares.saturating_sub(v.deducted);
            sums.add(power(remaining, v.tokens, v.shares)?, options)?;
        }
    }
    Ok((sums, state.total_bonded_tokens()?))
}

fn result_of(sums: &Sums) -> TallyResult {
    TallyResult {
        yes: sums.of(VoteOption::Yes).truncate(),
        abstain: sums.of(VoteOption::Abstain).truncate(),
        no: sums.of(VoteOption::No).truncate(),
        no_with_veto: sums.of(VoteOption::NoWithVeto).truncate(),
    }
}

/// The current counts of a proposal in its voting period (the live tally query).
pub fn current(state: &impl StateRead, votes: &[Vote]) -> Result<TallyResult, Error> {
    Ok(result_of(&count(state, votes)?.0))
}

/// Decides a proposal at the end of its voting period.
pub fn decide(state: &impl StateRead, proposal: &Proposal, votes: &[Vote], params: &Params) -> Result<Outcome, Error> {
    let (sums, bonded) = count(state, votes)?;
    let result = result_of(&sums);
    let fail = |burn| Ok(Outcome { passes: false, burn, result });
    if bonded == 0 {
        return fail(false);
    }
    let turnout = sums.total.quo(Dec::from_int(bonded))?;
    if turnout < params.quorum {
        return fail(params.burn_vote_quorum);
    }
    let abstain = sums.of(VoteOption::Abstain);
    let non_abstain = sums.total.saturating_sub(abstain);
    if non_abstain.is_zero() {
        return fail(false);
    }
    if sums.of(VoteOption::NoWithVeto).quo(sums.total)? > params.veto_threshold {
        return fail(params.burn_vote_veto);
    }
    if sums.of(VoteOption::Yes).quo(non_abstain)? > params.threshold(proposal.expedited) {
        return Ok(Outcome { passes: true, burn: false, result });
    }
    fail(false)
}

/// An arithmetic failure of the tally, as a proposal's outcome records it.
pub fn overflow(e: &Error) -> Error {
    Error::sdk(SdkCode::InvalidRequest, format!("the tally could not be computed: {}", e.message))
}
