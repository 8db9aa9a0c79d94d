//! What governance keeps: proposals, votes, deposits and tallies, as domain types, with their
//! `cosmos.gov.v1` and `v1beta1` forms.

use base64::Engine;
use borsh::{BorshDeserialize, BorshSerialize};
use salus_proto::cosmos::gov::{v1, v1beta1};
use salus_proto::Any;
use salus_sdk::{Address, Coins, Dec, Error, Time};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::GovError;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, BorshSerialize, BorshDeserialize)]
#[borsh(use_discriminant = true)]
#[repr(u8)]
pub enum ProposalStatus {
    DepositPeriod = 1,
    VotingPeriod = 2,
    Passed = 3,
    Rejected = 4,
    Failed = 5,
}

impl ProposalStatus {
    pub const ALL: [ProposalStatus; 5] = [
        ProposalStatus::DepositPeriod,
        ProposalStatus::VotingPeriod,
        ProposalStatus::Passed,
        ProposalStatus::Rejected,
        ProposalStatus::Failed,
    ];

    pub fn from_proto(n: i32) -> Option<Self> {
        Self::ALL.into_iter().find(|s| *s as i32 == n)
    }

    /// The Cosmos enum name, `PROPOSAL_STATUS_VOTING_PERIOD`.
    pub fn as_str(self) -> &'static str {
        v1::ProposalStatus::try_from(self as i32).map(|s| s.as_str_name()).unwrap_or("PROPOSAL_STATUS_UNSPECIFIED")
    }

    /// Reads `PROPOSAL_STATUS_VOTING_PERIOD`, `voting_period` or `VotingPeriod`.
    pub fn parse(s: &str) -> Option<Self> {
        let norm: String = s.chars().filter(|c| *c != '_').collect::<String>().to_ascii_lowercase();
        let norm = norm.strip_prefix("proposalstatus").unwrap_or(&norm).to_string();
        Self::ALL.into_iter().find(|st| {
            let name: String = st.as_str().chars().filter(|c| *c != '_').collect::<String>().to_ascii_lowercase();
            name.strip_prefix("proposalstatus") == Some(norm.as_str())
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, BorshSerialize, BorshDeserialize)]
#[borsh(use_discriminant = true)]
#[repr(u8)]
pub enum VoteOption {
    Yes = 1,
    Abstain = 2,
    No = 3,
    NoWithVeto = 4,
}

impl VoteOption {
    pub const ALL: [VoteOption; 4] = [VoteOption::Yes, VoteOption::Abstain, VoteOption::No, VoteOption::NoWithVeto];

    pub fn from_proto(n: i32) -> Result<Self, Error> {
        Self::ALL.into_iter().find(|o| *o as i32 == n).ok_or_else(|| {
            GovError::InvalidVote
                .with(format!("{n} is not a vote option: use yes (1), abstain (2), no (3) or no_with_veto (4)"))
        })
    }

    /// The Cosmos enum name, `VOTE_OPTION_YES`.
    pub fn as_str(self) -> &'static str {
        match self {
            VoteOption::Yes => "VOTE_OPTION_YES",
            VoteOption::Abstain => "VOTE_OPTION_ABSTAIN",
            VoteOption::No => "VOTE_OPTION_NO",
            VoteOption::NoWithVeto => "VOTE_OPTION_NO_WITH_VETO",
        }
    }

    /// Reads `yes`, `no`, `abstain`, `no_with_veto` (any case, with or without `VOTE_OPTION_`).
    pub fn parse(s: &str) -> Result<Self, Error> {
        let lower = s.trim().to_ascii_lowercase();
        let word = lower.strip_prefix("vote_option_").unwrap_or(&lower);
        match word.replace('-', "_").as_str() {
            "yes" => Ok(VoteOption::Yes),
            "abstain" => Ok(VoteOption::Abstain),
            "no" => Ok(VoteOption::No),
            "no_with_veto" | "nowithveto" | "veto" => Ok(VoteOption::NoWithVeto),
            _ => {
                Err(GovError::InvalidVote
                    .with(format!("`{s}` is not a vote option: use yes, no, abstain or no_with_veto")))
            }
        }
    }
}

/// One option of a (weighted) vote.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct WeightedOption {
    pub option: VoteOption,
    pub weight: Dec,
}

/// The options of a vote: each at most once, weights positive and adding up to exactly 1.
pub fn check_options(options: &[WeightedOption]) -> Result<(), Error> {
    if options.is_empty() {
        return Err(GovError::InvalidVote.with("a vote needs at least one option"));
    }
    if options.len() > VoteOption::ALL.len() {
        return Err(GovError::InvalidVote.with("a vote lists each option at most once"));
    }
    let mut total = Dec::ZERO;
    for (i, o) in options.iter().enumerate() {
        if options[..i].iter().any(|p| p.option == o.option) {
            return Err(
                GovError::InvalidVote.with(format!("{} appears twice: list each option once", o.option.as_str()))
            );
        }
        if o.weight.is_zero() || o.weight > Dec::ONE {
            return Err(GovError::InvalidVote
                .with(format!("the weight of {} must be above 0 and at most 1", o.option.as_str())));
        }
        total = total.checked_add(o.weight)?;
    }
    if total != Dec::ONE {
        return Err(GovError::InvalidVote.with(format!("the weights add up to {total}; they must add up to 1")));
    }
    Ok(())
}

pub fn options_to_v1(options: &[WeightedOption]) -> Vec<v1::WeightedVoteOption> {
    options.iter().map(|o| v1::WeightedVoteOption { option: o.option as i32, weight: o.weight.to_string() }).collect()
}

/// v1beta1's weights are `LegacyDec` on the wire: the atomics' decimal string.
pub fn options_to_v1beta1(options: &[WeightedOption]) -> Vec<v1beta1::WeightedVoteOption> {
    options
        .iter()
        .map(|o| v1beta1::WeightedVoteOption { option: o.option as i32, weight: o.weight.to_proto() })
        .collect()
}

/// An `Any` kept in state (a proposal's message).
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct StoredAny {
    pub type_url: String,
    pub value: Vec<u8>,
}

impl StoredAny {
    pub fn of(any: &Any) -> Self {
        Self { type_url: any.type_url.clone(), value: any.value.clone() }
    }

    pub fn to_any(&self) -> Any {
        Any { type_url: self.type_url.clone(), value: self.value.clone() }
    }
}

impl Serialize for StoredAny {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct Json<'a> {
            type_url: &'a str,
            value: String,
        }
        Json { type_url: &self.type_url, value: base64::engine::general_purpose::STANDARD.encode(&self.value) }
            .serialize(s)
    }
}

impl<'de> Deserialize<'de> for StoredAny {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Json {
            type_url: String,
            value: String,
        }
        let j = Json::deserialize(d)?;
        let value = base64::engine::general_purpose::STANDARD
            .decode(&j.value)
            .map_err(|e| serde::de::Error::custom(format!("message value is not base64: {e}")))?;
        Ok(Self { type_url: j.type_url, value })
    }
}

/// The votes of a tally, in tokens.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct TallyResult {
    pub yes: u128,
    pub abstain: u128,
    pub no: u128,
    pub no_with_veto: u128,
}

impl TallyResult {
    pub fn to_v1(self) -> v1::TallyResult {
        v1::TallyResult {
            yes_count: self.yes.to_string(),
            abstain_count: self.abstain.to_string(),
            no_count: self.no.to_string(),
            no_with_veto_count: self.no_with_veto.to_string(),
        }
    }

    pub fn to_v1beta1(self) -> v1beta1::TallyResult {
        v1beta1::TallyResult {
            yes: self.yes.to_string(),
            abstain: self.abstain.to_string(),
            no: self.no.to_string(),
            no_with_veto: self.no_with_veto.to_string(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Proposal {
    pub id: u64,
    pub messages: Vec<StoredAny>,
    pub status: ProposalStatus,
    /// Zero until the voting period ends; the final counts after.
    pub final_tally: TallyResult,
    pub submit_time: Time,
    pub deposit_end_time: Time,
    pub total_deposit: Coins,
    pub voting_start_time: Option<Time>,
    pub voting_end_time: Option<Time>,
    pub metadata: String,
    pub title: String,
    pub summary: String,
    pub proposer: Address,
    pub expedited: bool,
    /// Why a passed proposal's messages failed (the failing message and its error).
    pub failed_reason: String,
}

fn ts(t: Time) -> Option<salus_proto::tendermint_proto::google::protobuf::Timestamp> {
    Some(t.to_proto())
}

impl Proposal {
    pub fn to_v1(&self) -> v1::Proposal {
        v1::Proposal {
            id: self.id,
            messages: self.messages.iter().map(StoredAny::to_any).collect(),
            status: self.status as i32,
            final_tally_result: Some(self.final_tally.to_v1()),
            submit_time: ts(self.submit_time),
            deposit_end_time: ts(self.deposit_end_time),
            total_deposit: self.total_deposit.to_proto(),
            voting_start_time: self.voting_start_time.and_then(ts),
            voting_end_time: self.voting_end_time.and_then(ts),
            metadata: self.metadata.clone(),
            title: self.title.clone(),
            summary: self.summary.clone(),
            proposer: self.proposer.to_string(),
            expedited: self.expedited,
            failed_reason: self.failed_reason.clone(),
        }
    }

    /// The v1beta1 form: a proposal without messages is a `TextProposal` (title, summary as its
    /// description); a proposal of exactly one message shows that message as its content; one of
    /// several messages shows a `TextProposal` too (v1beta1 cannot hold several; query v1).
    pub fn to_v1beta1(&self) -> v1beta1::Proposal {
        let content = match self.messages.as_slice() {
            [one] => one.to_any(),
            _ => salus_proto::to_any(&v1beta1::TextProposal {
                title: self.title.clone(),
                description: self.summary.clone(),
            }),
        };
        v1beta1::Proposal {
            proposal_id: self.id,
            content: Some(content),
            status: self.status as i32,
            final_tally_result: Some(self.final_tally.to_v1beta1()),
            submit_time: ts(self.submit_time),
            deposit_end_time: ts(self.deposit_end_time),
            total_deposit: self.total_deposit.to_proto(),
            voting_start_time: self.voting_start_time.and_then(ts),
            voting_end_time: self.voting_end_time.and_then(ts),
        }
    }

    pub fn in_deposit_period(&self) -> bool {
        self.status == ProposalStatus::DepositPeriod
    }

    pub fn in_voting_period(&self) -> bool {
        self.status == ProposalStatus::VotingPeriod
    }
}

#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Vote {
    pub proposal_id: u64,
    pub voter: Address,
    pub options: Vec<WeightedOption>,
    pub metadata: String,
}

impl Vote {
    pub fn to_v1(&self) -> v1::Vote {
        v1::Vote {
            proposal_id: self.proposal_id,
            voter: self.voter.to_string(),
            options: options_to_v1(&self.options),
            metadata: self.metadata.clone(),
        }
    }

    #[allow(deprecated)]
    pub fn to_v1beta1(&self) -> v1beta1::Vote {
        // The deprecated single `option` is set when the vote has exactly one option, as Cosmos does.
        let option = match self.options.as_slice() {
            [one] => one.option as i32,
            _ => 0,
        };
        v1beta1::Vote {
            proposal_id: self.proposal_id,
            voter: self.voter.to_string(),
            option,
            options: options_to_v1beta1(&self.options),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Deposit {
    pub proposal_id: u64,
    pub depositor: Address,
    pub amount: Coins,
}

impl Deposit {
    pub fn to_v1(&self) -> v1::Deposit {
        v1::Deposit {
            proposal_id: self.proposal_id,
            depositor: self.depositor.to_string(),
            amount: self.amount.to_proto(),
        }
    }

    pub fn to_v1beta1(&self) -> v1beta1::Deposit {
        v1beta1::Deposit {
            proposal_id: self.proposal_id,
            depositor: self.depositor.to_string(),
            amount: self.amount.to_proto(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opt(option: VoteOption, w: &str) -> WeightedOption {
        WeightedOption { option, weight: Dec::parse("w", w).unwrap() }
    }

    #[test]
    fn vote_options_must_be_distinct_positive_and_add_up_to_one() {
        check_options(&[opt(VoteOption::Yes, "1")]).unwrap();
        check_options(&[opt(VoteOption::Yes, "0.6"), opt(VoteOption::No, "0.4")]).unwrap();
        for bad in [
            vec![],
            vec![opt(VoteOption::Yes, "0.5")],
            vec![opt(VoteOption::Yes, "0.5"), opt(VoteOption::Yes, "0.5")],
            vec![opt(VoteOption::Yes, "0"), opt(VoteOption::No, "1")],
            vec![opt(VoteOption::Yes, "0.7"), opt(VoteOption::No, "0.4")],
        ] {
            assert_eq!(check_options(&bad).unwrap_err().code, GovError::InvalidVote as u32, "{bad:?}");
        }
    }

    #[test]
    fn names_parse_back() {
        for s in ProposalStatus::ALL {
            assert_eq!(ProposalStatus::parse(s.as_str()), Some(s));
        }
        assert_eq!(ProposalStatus::parse("voting_period"), Some(ProposalStatus::VotingPeriod));
        assert_eq!(ProposalStatus::parse("passed"), Some(ProposalStatus::Passed));
        assert_eq!(ProposalStatus::parse("nonsense"), None);
        for o in VoteOption::ALL {
            assert_eq!(VoteOption::parse(o.as_str()).unwrap(), o);
        }
        assert_eq!(VoteOption::parse("no_with_veto").unwrap(), VoteOption::NoWithVeto);
        assert!(VoteOption::parse("maybe").is_err());
    }
}
