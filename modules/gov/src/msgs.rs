//! Governance messages as domain types, decoded from `cosmos.gov.v1` and `cosmos.gov.v1beta1`.

use salus_proto::cosmos::gov::{v1, v1beta1};
use salus_proto::Any;
use salus_sdk::module::{decode_any, is_type, type_url};
use salus_sdk::{Address, Coins, Dec, Error, Msg, SdkCode};

use crate::error::GovError;
use crate::params::Params;
use crate::types::{check_options, options_to_v1, options_to_v1beta1, VoteOption, WeightedOption};

/// Cosmos x/gov's caps (`MaxMetadataLen`, `MaxTitleLen`, `MaxSummaryLen`), in bytes.
pub const MAX_METADATA_LEN: usize = 255;
pub const MAX_TITLE_LEN: usize = 255;
pub const MAX_SUMMARY_LEN: usize = 10_200;
/// The most messages one proposal may carry.
pub const MAX_PROPOSAL_MESSAGES: usize = 100;

/// Which protobuf message a governance message came as, so that `message.action` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wire {
    V1,
    V1Weighted,
    V1beta1,
    V1beta1Weighted,
}

#[derive(Clone, Debug, PartialEq)]
pub enum GovMsg {
    SubmitProposal {
        proposer: Address,
        messages: Vec<Any>,
        initial_deposit: Coins,
        metadata: String,
        title: String,
        summary: String,
        expedited: bool,
        wire: Wire,
    },
    Deposit {
        proposal_id: u64,
        depositor: Address,
        amount: Coins,
        wire: Wire,
    },
    Vote {
        proposal_id: u64,
        voter: Address,
        options: Vec<WeightedOption>,
        metadata: String,
        wire: Wire,
    },
    CancelProposal {
        proposal_id: u64,
        proposer: Address,
    },
    UpdateParams {
        authority: Address,
        params: Params,
    },
}

fn single(option: i32) -> Result<Vec<WeightedOption>, Error> {
    Ok(vec![WeightedOption { option: VoteOption::from_proto(option)?, weight: Dec::ONE }])
}

fn weighted(list: Vec<(i32, String)>, legacy: bool) -> Result<Vec<WeightedOption>, Error> {
    if list.len() > VoteOption::ALL.len() {
        return Err(GovError::InvalidVote.with("a vote lists each option at most once"));
    }
    list.into_iter()
        .map(|(option, weight)| {
            let weight = if legacy {
                Dec::from_proto("options.weight", &weight)?
            } else {
                Dec::parse("options.weight", &weight)?
            };
            Ok(WeightedOption { option: VoteOption::from_proto(option)?, weight })
        })
        .collect()
}

fn too_long(what: &str, len: usize, max: usize, code: GovError) -> Result<(), Error> {
    if len > max {
        return Err(code.with(format!("{what} is {len} bytes; the limit is {max}: shorten it")));
    }
    Ok(())
}

impl GovMsg {
    pub fn type_urls() -> Vec<String> {
        vec![
            type_url::<v1::MsgSubmitProposal>(),
            type_url::<v1::MsgDeposit>(),
            type_url::<v1::MsgVote>(),
            type_url::<v1::MsgVoteWeighted>(),
            type_url::<v1::MsgCancelProposal>(),
            type_url::<v1::MsgUpdateParams>(),
            type_url::<v1beta1::MsgSubmitProposal>(),
            type_url::<v1beta1::MsgDeposit>(),
            type_url::<v1beta1::MsgVote>(),
            type_url::<v1beta1::MsgVoteWeighted>(),
        ]
    }

    pub fn decode(any: &Any) -> Result<Self, Error> {
        let u = any.type_url.as_str();
        if is_type::<v1::MsgSubmitProposal>(u) {
            let m = decode_any::<v1::MsgSubmitProposal>(any)?;
            if m.messages.len() > MAX_PROPOSAL_MESSAGES {
                return Err(GovError::TooManyMessages.with(format!(
                    "the proposal carries {} messages; the limit is {MAX_PROPOSAL_MESSAGES}: split it",
                    m.messages.len()
                )));
            }
            return Ok(GovMsg::SubmitProposal {
                proposer: Address::parse("proposer", &m.proposer)?,
                messages: m.messages,
                initial_deposit: Coins::from_proto(&m.initial_deposit)?,
                metadata: m.metadata,
                title: m.title,
                summary: m.summary,
                expedited: m.expedited,
                wire: Wire::V1,
            });
        }
        if is_type::<v1beta1::MsgSubmitProposal>(u) {
            let m = decode_any::<v1beta1::MsgSubmitProposal>(any)?;
            let content = m.content.unwrap_or_default();
            if !is_type::<v1beta1::TextProposal>(&content.type_url) {
                return Err(GovError::InvalidProposalContent.with(format!(
                    "v1beta1 proposals may only be text proposals, not {}: send cosmos.gov.v1.MsgSubmitProposal \
                     with the messages to run",
                    if content.type_url.is_empty() { "an empty content" } else { content.type_url.as_str() }
                )));
            }
            let text = decode_any::<v1beta1::TextProposal>(&content)?;
            return Ok(GovMsg::SubmitProposal {
                proposer: Address::parse("proposer", &m.proposer)?,
                messages: Vec::new(),
                initial_deposit: Coins::from_proto(&m.initial_deposit)?,
                metadata: String::new(),
                title: text.title,
                summary: text.description,
                expedited: false,
                wire: Wire::V1beta1,
            });
        }
        if is_type::<v1::MsgDeposit>(u) {
            let m = decode_any::<v1::MsgDeposit>(any)?;
            return Ok(GovMsg::Deposit {
                proposal_id: m.proposal_id,
                depositor: Address::parse("depositor", &m.depositor)?,
                amount: Coins::from_proto(&m.amount)?,
                wire: Wire::V1,
            });
        }
        if is_type::<v1beta1::MsgDeposit>(u) {
            let m = decode_any::<v1beta1::MsgDeposit>(any)?;
            return Ok(GovMsg::Deposit {
                proposal_id: m.proposal_id,
                depositor: Address::parse("depositor", &m.depositor)?,
                amount: Coins::from_proto(&m.amount)?,
                wire: Wire::V1beta1,
            });
        }
        if is_type::<v1::MsgVote>(u) {
            let m = decode_any::<v1::MsgVote>(any)?;
            return Ok(GovMsg::Vote {
                proposal_id: m.proposal_id,
                voter: Address::parse("voter", &m.voter)?,
                options: single(m.option)?,
                metadata: m.metadata,
                wire: Wire::V1,
            });
        }
        if is_type::<v1beta1::MsgVote>(u) {
            let m = decode_any::<v1beta1::MsgVote>(any)?;
            return Ok(GovMsg::Vote {
                proposal_id: m.proposal_id,
                voter: Address::parse("voter", &m.voter)?,
                options: single(m.option)?,
                metadata: String::new(),
                wire: Wire::V1beta1,
            });
        }
        if is_type::<v1::MsgVoteWeighted>(u) {
            let m = decode_any::<v1::MsgVoteWeighted>(any)?;
            return Ok(GovMsg::Vote {
                proposal_id: m.proposal_id,
                voter: Address::parse("voter", &m.voter)?,
                options: weighted(m.options.into_iter().map(|o| (o.option, o.weight)).collect(), false)?,
                metadata: m.metadata,
                wire: Wire::V1Weighted,
            });
        }
        if is_type::<v1beta1::MsgVoteWeighted>(u) {
            let m = decode_any::<v1beta1::MsgVoteWeighted>(any)?;
            return Ok(GovMsg::Vote {
                proposal_id: m.proposal_id,
                voter: Address::parse("voter", &m.voter)?,
                options: weighted(m.options.into_iter().map(|o| (o.option, o.weight)).collect(), true)?,
                metadata: String::new(),
                wire: Wire::V1beta1Weighted,
            });
        }
        if is_type::<v1::MsgCancelProposal>(u) {
            let m = decode_any::<v1::MsgCancelProposal>(any)?;
            return Ok(GovMsg::CancelProposal {
                proposal_id: m.proposal_id,
                proposer: Address::parse("proposer", &m.proposer)?,
            });
        }
        if is_type::<v1::MsgUpdateParams>(u) {
            let m = decode_any::<v1::MsgUpdateParams>(any)?;
            let params = m.params.ok_or_else(|| {
                Error::sdk(SdkCode::InvalidRequest, "params are missing: give every field of cosmos.gov.v1.Params")
            })?;
            return Ok(GovMsg::UpdateParams {
                authority: Address::parse("authority", &m.authority)?,
                params: Params::from_proto(&params)?,
            });
        }
        Err(Error::sdk(SdkCode::UnknownRequest, format!("the gov module does not handle {u}")))
    }

    pub fn to_any(&self) -> Any {
        use salus_proto::to_any;
        match self {
            GovMsg::SubmitProposal {
                proposer,
                messages,
                initial_deposit,
                metadata,
                title,
                summary,
                expedited,
                wire,
            } => match wire {
                Wire::V1beta1 | Wire::V1beta1Weighted => to_any(&v1beta1::MsgSubmitProposal {
                    content: Some(to_any(&v1beta1::TextProposal {
                        title: title.clone(),
                        description: summary.clone(),
                    })),
                    initial_deposit: initial_deposit.to_proto(),
                    proposer: proposer.to_string(),
                }),
                _ => to_any(&v1::MsgSubmitProposal {
                    messages: messages.clone(),
                    initial_deposit: initial_deposit.to_proto(),
                    proposer: proposer.to_string(),
                    metadata: metadata.clone(),
                    title: title.clone(),
                    summary: summary.clone(),
                    expedited: *expedited,
                }),
            },
            GovMsg::Deposit { proposal_id, depositor, amount, wire } => match wire {
                Wire::V1beta1 | Wire::V1beta1Weighted => to_any(&v1beta1::MsgDeposit {
                    proposal_id: *proposal_id,
                    depositor: depositor.to_string(),
                    amount: amount.to_proto(),
                }),
                _ => to_any(&v1::MsgDeposit {
                    proposal_id: *proposal_id,
                    depositor: depositor.to_string(),
                    amount: amount.to_proto(),
                }),
            },
            GovMsg::Vote { proposal_id, voter, options, metadata, wire } => {
                let first = options.first().map_or(0, |o| o.option as i32);
                match wire {
                    Wire::V1 => to_any(&v1::MsgVote {
                        proposal_id: *proposal_id,
                        voter: voter.to_string(),
                        option: first,
                        metadata: metadata.clone(),
                    }),
                    Wire::V1Weighted => to_any(&v1::MsgVoteWeighted {
                        proposal_id: *proposal_id,
                        voter: voter.to_string(),
                        options: options_to_v1(options),
                        metadata: metadata.clone(),
                    }),
                    Wire::V1beta1 => {
                        to_any(&v1beta1::MsgVote { proposal_id: *proposal_id, voter: voter.to_string(), option: first })
                    }
                    Wire::V1beta1Weighted => to_any(&v1beta1::MsgVoteWeighted {
                        proposal_id: *proposal_id,
                        voter: voter.to_string(),
                        options: options_to_v1beta1(options),
                    }),
                }
            }
            GovMsg::CancelProposal { proposal_id, proposer } => {
                to_any(&v1::MsgCancelProposal { proposal_id: *proposal_id, proposer: proposer.to_string() })
            }
            GovMsg::UpdateParams { authority, params } => {
                to_any(&v1::MsgUpdateParams { authority: authority.to_string(), params: Some(params.to_proto()) })
            }
        }
    }
}

impl Msg for GovMsg {
    fn type_url(&self) -> String {
        let beta = |w: &Wire| matches!(w, Wire::V1beta1 | Wire::V1beta1Weighted);
        match self {
            GovMsg::SubmitProposal { wire, .. } if beta(wire) => type_url::<v1beta1::MsgSubmitProposal>(),
            GovMsg::SubmitProposal { .. } => type_url::<v1::MsgSubmitProposal>(),
            GovMsg::Deposit { wire, .. } if beta(wire) => type_url::<v1beta1::MsgDeposit>(),
            GovMsg::Deposit { .. } => type_url::<v1::MsgDeposit>(),
            GovMsg::Vote { wire: Wire::V1, .. } => type_url::<v1::MsgVote>(),
            GovMsg::Vote { wire: Wire::V1Weighted, .. } => type_url::<v1::MsgVoteWeighted>(),
            GovMsg::Vote { wire: Wire::V1beta1, .. } => type_url::<v1beta1::MsgVote>(),
            GovMsg::Vote { wire: Wire::V1beta1Weighted, .. } => type_url::<v1beta1::MsgVoteWeighted>(),
            GovMsg::CancelProposal { .. } => type_url::<v1::MsgCancelProposal>(),
            GovMsg::UpdateParams { .. } => type_url::<v1::MsgUpdateParams>(),
        }
    }

    fn validate_basic(&self) -> Result<(), Error> {
        match self {
            GovMsg::SubmitProposal { messages, metadata, title, summary, .. } => {
                if title.trim().is_empty() {
                    return Err(GovError::InvalidProposalContent.with("the proposal title cannot be empty"));
                }
                if summary.trim().is_empty() {
                    return Err(GovError::InvalidProposalContent.with("the proposal summary cannot be empty"));
                }
                too_long("the title", title.len(), MAX_TITLE_LEN, GovError::InvalidProposalContent)?;
                too_long("the summary", summary.len(), MAX_SUMMARY_LEN, GovError::SummaryTooLong)?;
                too_long("the metadata", metadata.len(), MAX_METADATA_LEN, GovError::MetadataTooLong)?;
                if let Some(i) = messages.iter().position(|m| m.type_url.is_empty()) {
                    return Err(GovError::InvalidProposalMsg.with(format!("message {i} has no type URL")));
                }
                Ok(())
            }
            GovMsg::Deposit { amount, .. } => {
                if amount.is_empty() {
                    return Err(Error::sdk(SdkCode::InvalidCoins, "the deposit is empty: deposit e.g. 1000000usalus"));
                }
                Ok(())
            }
            GovMsg::Vote { options, metadata, .. } => {
                check_options(options)?;
                too_long("the metadata", metadata.len(), MAX_METADATA_LEN, GovError::MetadataTooLong)
            }
            GovMsg::CancelProposal { .. } => Ok(()),
            GovMsg::UpdateParams { params, .. } => params.validate(),
        }
    }

    fn signers(&self) -> Vec<Address> {
        match self {
            GovMsg::SubmitProposal { proposer, .. } | GovMsg::CancelProposal { proposer, .. } => vec![*proposer],
            GovMsg::Deposit { depositor, .. } => vec![*depositor],
            GovMsg::Vote { voter, .. } => vec![*voter],
            GovMsg::UpdateParams { authority, .. } => vec![*authority],
        }
    }

    fn authority(&self) -> Option<Address> {
        match self {
            GovMsg::UpdateParams { authority, .. } => Some(*authority),
            _ => None,
        }
    }
}
