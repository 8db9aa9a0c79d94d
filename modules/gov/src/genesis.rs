//! Governance genesis: params, the next proposal id, the constitution, and the proposals,
//! deposits and votes of a chain that is exported and started again. The governance account's
//! balance (token genesis) must equal the live deposits; the invariants check it at InitChain.

use std::collections::BTreeSet;

use salus_sdk::module::{GenesisCtx, ModuleAccount};
use salus_sdk::{Address, Coins, Error, StateRead, StateReadExt, StateWrite, Time};
use serde::{Deserialize, Serialize};

use crate::error::GovError;
use crate::keys;
use crate::params::Params;
use crate::state::{GovRead, GovStore};
use crate::types::{
    check_options, Deposit, Proposal, ProposalStatus, StoredAny, TallyResult, Vote, VoteOption, WeightedOption,
};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Genesis {
    #[serde(with = "salus_sdk::json::string")]
    pub starting_proposal_id: u64,
    pub params: Params,
    pub constitution: String,
    pub proposals: Vec<GenesisProposal>,
    pub deposits: Vec<GenesisDeposit>,
    pub votes: Vec<GenesisVote>,
}

impl Default for Genesis {
    fn default() -> Self {
        Self {
            starting_proposal_id: 1,
            params: Params::default(),
            constitution: String::new(),
            proposals: Vec::new(),
            deposits: Vec::new(),
            votes: Vec::new(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisProposal {
    #[serde(with = "salus_sdk::json::string")]
    pub id: u64,
    pub messages: Vec<StoredAny>,
    /// `PROPOSAL_STATUS_DEPOSIT_PERIOD`, ...
    pub status: String,
    pub final_tally: GenesisTally,
    #[serde(with = "salus_sdk::json::rfc3339")]
    pub submit_time: Time,
    #[serde(with = "salus_sdk::json::rfc3339")]
    pub deposit_end_time: Time,
    #[serde(with = "salus_sdk::json::coins")]
    pub total_deposit: Coins,
    #[serde(default, with = "optional_time")]
    pub voting_start_time: Option<Time>,
    #[serde(default, with = "optional_time")]
    pub voting_end_time: Option<Time>,
    pub metadata: String,
    pub title: String,
    pub summary: String,
    pub proposer: String,
    pub expedited: bool,
    pub failed_reason: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisTally {
    #[serde(with = "salus_sdk::json::string")]
    pub yes: u128,
    #[serde(with = "salus_sdk::json::string")]
    pub abstain: u128,
    #[serde(with = "salus_sdk::json::string")]
    pub no: u128,
    #[serde(with = "salus_sdk::json::string")]
    pub no_with_veto: u128,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisDeposit {
    #[serde(with = "salus_sdk::json::string")]
    pub proposal_id: u64,
    pub depositor: String,
    #[serde(with = "salus_sdk::json::coins")]
    pub amount: Coins,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisVote {
    #[serde(with = "salus_sdk::json::string")]
    pub proposal_id: u64,
    pub voter: String,
    pub options: Vec<GenesisOption>,
    #[serde(default)]
    pub metadata: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisOption {
    /// `VOTE_OPTION_YES`, ...
    pub option: String,
    pub weight: salus_sdk::Dec,
}

mod optional_time {
    use salus_sdk::Time;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &Option<Time>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => s.serialize_some(&t.rfc3339()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Time>, D::Error> {
        match Option::<String>::deserialize(d)? {
            None => Ok(None),
            Some(text) => Time::parse_rfc3339(&text)
                .map(Some)
                .ok_or_else(|| serde::de::Error::custom(format!("`{text}` is not an RFC 3339 UTC time"))),
        }
    }
}

fn bad(msg: String) -> Error {
    GovError::InvalidGenesis.with(msg)
}

/// The checked records of a genesis.
struct Records {
    proposals: Vec<Proposal>,
    deposits: Vec<Deposit>,
    votes: Vec<Vote>,
}

impl GenesisProposal {
    fn to_domain(&self, i: usize) -> Result<Proposal, Error> {
        let field = format!("gov.proposals[{i}]");
        let status = ProposalStatus::parse(&self.status)
            .ok_or_else(|| bad(format!("{field}.status `{}` is not a proposal status", self.status)))?;
        let live = matches!(status, ProposalStatus::DepositPeriod | ProposalStatus::VotingPeriod);
        if status == ProposalStatus::VotingPeriod
            && (self.voting_start_time.is_none() || self.voting_end_time.is_none())
        {
            return Err(bad(format!("{field} is in its voting period without voting start and end times")));
        }
        if status == ProposalStatus::DepositPeriod
            && (self.voting_start_time.is_some() || self.voting_end_time.is_some())
        {
            return Err(bad(format!("{field} is in its deposit period but has voting times")));
        }
        if live && !self.failed_reason.is_empty() {
            return Err(bad(format!("{field} has not ended but has a failed_reason")));
        }
        Ok(Proposal {
            id: self.id,
            messages: self.messages.clone(),
            status,
            final_tally: TallyResult {
                yes: self.final_tally.yes,
                abstain: self.final_tally.abstain,
                no: self.final_tally.no,
                no_with_veto: self.final_tally.no_with_veto,
            },
            submit_time: self.submit_time,
            deposit_end_time: self.deposit_end_time,
            total_deposit: self.total_deposit.clone(),
            voting_start_time: self.voting_start_time,
            voting_end_time: self.voting_end_time,
            metadata: self.metadata.clone(),
            title: self.title.clone(),
            summary: self.summary.clone(),
            proposer: Address::parse(&format!("{field}.proposer"), &self.proposer)?,
            expedited: self.expedited,
            failed_reason: self.failed_reason.clone(),
        })
    }

    fn of(p: &Proposal) -> Self {
        Self {
            id: p.id,
            messages: p.messages.clone(),
            status: p.status.as_str().to_string(),
            final_tally: GenesisTally {
                yes: p.final_tally.yes,
                abstain: p.final_tally.abstain,
                no: p.final_tally.no,
                no_with_veto: p.final_tally.no_with_veto,
            },
            submit_time: p.submit_time,
            deposit_end_time: p.deposit_end_time,
            total_deposit: p.total_deposit.clone(),
            voting_start_time: p.voting_start_time,
            voting_end_time: p.voting_end_time,
            metadata: p.metadata.clone(),
            title: p.title.clone(),
            summary: p.summary.clone(),
            proposer: p.proposer.to_string(),
            expedited: p.expedited,
            failed_reason: p.failed_reason.clone(),
        }
    }
}

impl Genesis {
    fn records(&self) -> Result<Records, Error> {
        self.params.validate()?;
        if self.starting_proposal_id == 0 || self.starting_proposal_id == u64::MAX {
            return Err(bad("gov.starting_proposal_id must be between 1 and 2^64-2".into()));
        }
        let mut ids = BTreeSet::new();
        let mut proposals = Vec::with_capacity(self.proposals.len());
        for (i, g) in self.proposals.iter().enumerate() {
            let p = g.to_domain(i)?;
            if p.id == 0 || p.id >= self.starting_proposal_id {
                return Err(bad(format!("gov.proposals[{i}].id {} must be below starting_proposal_id", p.id)));
            }
            if !ids.insert(p.id) {
                return Err(bad(format!("gov.proposals[{i}].id {} appears twice", p.id)));
            }
            proposals.push(p);
        }
        let status_of = |id: u64| proposals.iter().find(|p| p.id == id).map(|p| p.status);
        let mut deposits: Vec<Deposit> = Vec::with_capacity(self.deposits.len());
        let mut seen = BTreeSet::new();
        for (i, d) in self.deposits.iter().enumerate() {
            let depositor = Address::parse(&format!("gov.deposits[{i}].depositor"), &d.depositor)?;
            if !matches!(status_of(d.proposal_id), Some(ProposalStatus::DepositPeriod | ProposalStatus::VotingPeriod)) {
                return Err(bad(format!("gov.deposits[{i}] is for proposal {}, which is not live", d.proposal_id)));
            }
            if d.amount.is_empty() || !seen.insert((d.proposal_id, depositor)) {
                return Err(bad(format!("gov.deposits[{i}] is empty or repeats a depositor")));
            }
            deposits.push(Deposit { proposal_id: d.proposal_id, depositor, amount: d.amount.clone() });
        }
        for p in proposals
            .iter()
            .filter(|p| matches!(p.status, ProposalStatus::DepositPeriod | ProposalStatus::VotingPeriod))
        {
            let sum = Coins::checked_sum(deposits.iter().filter(|d| d.proposal_id == p.id).map(|d| &d.amount))?;
            if sum != p.total_deposit {
                return Err(bad(format!(
                    "proposal {}'s total_deposit {} is not the sum of its deposits {sum}",
                    p.id, p.total_deposit
                )));
            }
        }
        let mut votes = Vec::with_capacity(self.votes.len());
        let mut seen = BTreeSet::new();
        for (i, v) in self.votes.iter().enumerate() {
            let voter = Address::parse(&format!("gov.votes[{i}].voter"), &v.voter)?;
            if status_of(v.proposal_id) != Some(ProposalStatus::VotingPeriod) {
                return Err(bad(format!("gov.votes[{i}] is for proposal {}, which is not voting", v.proposal_id)));
            }
            if !seen.insert((v.proposal_id, voter)) {
                return Err(bad(format!("gov.votes[{i}] repeats a voter")));
            }
            let options = v
                .options
                .iter()
                .map(|o| Ok(WeightedOption { option: VoteOption::parse(&o.option)?, weight: o.weight }))
                .collect::<Result<Vec<_>, Error>>()?;
            check_options(&options).map_err(|e| bad(format!("gov.votes[{i}]: {}", e.message)))?;
            votes.push(Vote { proposal_id: v.proposal_id, voter, options, metadata: v.metadata.clone() });
        }
        Ok(Records { proposals, deposits, votes })
    }

    pub fn validate(&self) -> Result<(), Error> {
        self.records().map(|_| ())
    }

    pub fn init(&self, state: &mut impl StateWrite, ctx: &GenesisCtx) -> Result<(), Error> {
        let records = self.records()?;
        if let Some(dest) = self.params.proposal_cancel_dest {
            if ctx.module_accounts.iter().map(ModuleAccount::address).any(|a| a == dest) {
                return Err(bad(format!("gov.params.proposal_cancel_dest {dest} is a module account")));
            }
        }
        state.set_gov_params(&self.params)?;
        state.set_next_proposal_id(self.starting_proposal_id)?;
        if !self.constitution.is_empty() {
            state.set_constitution(&self.constitution)?;
        }
        for p in &records.proposals {
            state.create_proposal(p)?;
            match (p.status, p.voting_end_time) {
                (ProposalStatus::DepositPeriod, _) => state.enqueue(keys::INACTIVE_QUEUE, p.deposit_end_time, p.id)?,
                (ProposalStatus::VotingPeriod, Some(end)) => state.enqueue(keys::ACTIVE_QUEUE, end, p.id)?,
                _ => {}
            }
        }
        for d in &records.deposits {
            state.set_deposit(d)?;
        }
        for v in &records.votes {
            state.set_vote(v)?;
        }
        Ok(())
    }

    pub fn export(state: &impl StateRead) -> Result<Self, Error> {
        let mut proposals: Vec<Proposal> =
            state.prefix::<Proposal>(keys::PROPOSAL_PREFIX)?.into_iter().map(|(_, p)| p).collect();
        for p in &mut proposals {
            p.messages = state.proposal_messages(p.id)?;
        }
        let deposits = state.prefix::<Deposit>(keys::DEPOSIT_PREFIX)?.into_iter().map(|(_, d)| d);
        let votes = state.prefix::<Vote>(keys::VOTE_PREFIX)?.into_iter().map(|(_, v)| v);
        Ok(Self {
            starting_proposal_id: state.next_proposal_id()?,
            params: state.gov_params()?,
            constitution: state.constitution()?,
            proposals: proposals.iter().map(GenesisProposal::of).collect(),
            deposits: deposits
                .map(|d| GenesisDeposit {
                    proposal_id: d.proposal_id,
                    depositor: d.depositor.to_string(),
                    amount: d.amount,
                })
                .collect(),
            votes: votes
                .map(|v| GenesisVote {
                    proposal_id: v.proposal_id,
                    voter: v.voter.to_string(),
                    options: v
                        .options
                        .iter()
                        .map(|o| GenesisOption { option: o.option.as_str().to_string(), weight: o.weight })
                        .collect(),
                    metadata: v.metadata,
                })
                .collect(),
        })
    }
}
