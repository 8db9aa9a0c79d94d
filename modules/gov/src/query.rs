//! The `cosmos.gov.v1.Query` and `cosmos.gov.v1beta1.Query` services. Every list is paginated;
//! filters walk the index that narrows most (voter, then depositor, then status).

use prost::Message;
use salus_proto::cosmos::base::query::v1beta1::{PageRequest, PageResponse};
use salus_proto::cosmos::gov::{v1, v1beta1};
use salus_sdk::module::decode_request;
use salus_sdk::pagination::{paginate, paginate_filtered, Page};
use salus_sdk::{Address, Error, SdkCode, StateRead};

use crate::error::GovError;
use crate::keys;
use crate::state::GovRead;
use crate::tally;
use crate::types::{Deposit, Proposal, ProposalStatus, TallyResult, Vote};

/// The most votes a live tally query counts: past it, wait for the final tally.
pub const MAX_LIVE_TALLY_VOTES: usize = 10_000;

pub fn handle(state: &impl StateRead, path: &str, req: &[u8]) -> Option<Result<Vec<u8>, Error>> {
    let (service, method) = path.strip_prefix('/')?.split_once('/')?;
    let v1 = match service {
        "cosmos.gov.v1.Query" => true,
        "cosmos.gov.v1beta1.Query" => false,
        _ => return None,
    };
    Some(if v1 { handle_v1(state, method, req) } else { handle_v1beta1(state, method, req) })
}

fn unknown(method: &str) -> Error {
    Error::sdk(SdkCode::UnknownRequest, format!("the gov module has no query {method}"))
}

fn proposal_or_err(state: &impl StateRead, id: u64) -> Result<Proposal, Error> {
    if id == 0 {
        return Err(Error::sdk(SdkCode::InvalidRequest, "proposal id can not be 0"));
    }
    state.proposal_header(id)?.ok_or_else(|| GovError::UnknownProposal.with(format!("proposal {id} doesn't exist")))
}

/// A proposal with its messages.
fn full_proposal_or_err(state: &impl StateRead, id: u64) -> Result<Proposal, Error> {
    let mut p = proposal_or_err(state, id)?;
    p.messages = state.proposal_messages(id)?;
    Ok(p)
}

fn address(field: &str, s: &str) -> Result<Option<Address>, Error> {
    if s.is_empty() {
        Ok(None)
    } else {
        Address::parse(field, s).map(Some)
    }
}

fn decode_all<T: borsh::BorshDeserialize>(found: Vec<(Vec<u8>, Vec<u8>)>) -> Result<Vec<T>, Error> {
    found.iter().map(|(_, v)| borsh::from_slice(v).map_err(Error::internal)).collect()
}

/// One page of proposals, filtered as `QueryProposalsRequest` asks.
pub fn proposals_page(
    state: &impl StateRead,
    status: i32,
    voter: &str,
    depositor: &str,
    pagination: Option<&PageRequest>,
) -> Result<(Vec<Proposal>, PageResponse), Error> {
    let page = Page::from_request(pagination)?;
    let status = match status {
        0 => None,
        n => Some(
            ProposalStatus::from_proto(n)
                .ok_or_else(|| Error::sdk(SdkCode::InvalidRequest, format!("{n} is not a proposal status")))?,
        ),
    };
    let voter = address("voter", voter)?;
    let depositor = address("depositor", depositor)?;
    let fits = |p: &Proposal| -> Result<bool, Error> {
        Ok(status.is_none_or(|s| p.status == s)
            && match voter {
                Some(v) => state.vote(p.id, &v)?.is_some(),
                None => true,
            }
            && match depositor {
                Some(d) => state.deposit(p.id, &d)?.is_some(),
                None => true,
            })
    };
    let index = match (voter, depositor, status) {
        (Some(v), _, _) => Some(keys::by_voter_of(&v)),
        (None, Some(d), _) => Some(keys::by_depositor_of(&d)),
        (None, None, Some(s)) => Some(keys::by_status_of(s as u8)),
        (None, None, None) => None,
    };
    let Some(index) = index else {
        let (found, resp) = paginate(state, keys::PROPOSAL_PREFIX, &page)?;
        let mut proposals: Vec<Proposal> = decode_all(found)?;
        for p in &mut proposals {
            p.messages = state.proposal_messages(p.id)?;
        }
        return Ok((proposals, resp));
    };
    let mut out = Vec::new();
    let (found, resp) = paginate_filtered(state, &index, &page, |key, _| {
        let Some(p) = keys::queue_id(key).map(|id| state.proposal_header(id)).transpose()?.flatten() else {
            return Ok(false);
        };
        let keep = fits(&p)?;
        if keep {
            out.push((key.to_vec(), p));
        }
        Ok(keep)
    })?;
    // `paginate_filtered` may look past the page; keep the proposals of the keys it returned.
    let proposals =
        found.iter().filter_map(|(k, _)| out.iter().find(|(key, _)| key == k).map(|(_, p)| p.clone())).collect();
    Ok((proposals, resp))
}

fn votes_page(state: &impl StateRead, id: u64, p: Option<&PageRequest>) -> Result<(Vec<Vote>, PageResponse), Error> {
    proposal_or_err(state, id)?;
    let (found, resp) = paginate(state, &keys::votes_of(id), &Page::from_request(p)?)?;
    Ok((decode_all(found)?, resp))
}

fn deposits_page(
    state: &impl StateRead,
    id: u64,
    p: Option<&PageRequest>,
) -> Result<(Vec<Deposit>, PageResponse), Error> {
    proposal_or_err(state, id)?;
    let (found, resp) = paginate(state, &keys::deposits_of(id), &Page::from_request(p)?)?;
    Ok((decode_all(found)?, resp))
}

fn vote_of(state: &impl StateRead, id: u64, voter: &str) -> Result<Vote, Error> {
    proposal_or_err(state, id)?;
    let voter = Address::parse("voter", voter)?;
    state
        .vote(id, &voter)?
        .ok_or_else(|| Error::sdk(SdkCode::KeyNotFound, format!("voter {voter} has not voted on proposal {id}")))
}

fn deposit_of(state: &impl StateRead, id: u64, depositor: &str) -> Result<Deposit, Error> {
    proposal_or_err(state, id)?;
    let depositor = Address::parse("depositor", depositor)?;
    state.deposit(id, &depositor)?.ok_or_else(|| {
        Error::sdk(SdkCode::KeyNotFound, format!("depositor {depositor} has not deposited on proposal {id}"))
    })
}

/// The final tally of an ended proposal, the live one of a proposal in its voting period.
pub fn tally_of(state: &impl StateRead, id: u64) -> Result<TallyResult, Error> {
    let p = proposal_or_err(state, id)?;
    match p.status {
        ProposalStatus::DepositPeriod => Ok(TallyResult::default()),
        ProposalStatus::VotingPeriod => {
            let prefix = keys::votes_of(id);
            let end = salus_sdk::pagination::prefix_end(&prefix);
            let read = state.range_limit_raw(&prefix, &prefix, &end, MAX_LIVE_TALLY_VOTES + 1, false)?;
            if read.len() > MAX_LIVE_TALLY_VOTES {
                return Err(Error::sdk(
                    SdkCode::InvalidRequest,
                    format!(
                        "proposal {id} has more than {MAX_LIVE_TALLY_VOTES} votes: a live tally is not served; \
                         the final tally is kept when voting ends"
                    ),
                ));
            }
            tally::current(state, &decode_all::<Vote>(read)?)
        }
        _ => Ok(p.final_tally),
    }
}

fn handle_v1(state: &impl StateRead, method: &str, req: &[u8]) -> Result<Vec<u8>, Error> {
    Ok(match method {
        "Constitution" => v1::QueryConstitutionResponse { constitution: state.constitution()? }.encode_to_vec(),
        "Params" => {
            let r: v1::QueryParamsRequest = decode_request(req)?;
            let params = state.gov_params()?.to_proto();
            #[allow(deprecated)]
            let mut resp = v1::QueryParamsResponse { params: Some(params.clone()), ..Default::default() };
            #[allow(deprecated)]
            match r.params_type.as_str() {
                "deposit" => {
                    resp.deposit_params = Some(v1::DepositParams {
                        min_deposit: params.min_deposit.clone(),
                        max_deposit_period: params.max_deposit_period,
                    })
                }
                "voting" => resp.voting_params = Some(v1::VotingParams { voting_period: params.voting_period }),
                "tallying" => {
                    resp.tally_params = Some(v1::TallyParams {
                        quorum: params.quorum.clone(),
                        threshold: params.threshold.clone(),
                        veto_threshold: params.veto_threshold.clone(),
                    })
                }
                _ => {}
            }
            resp.encode_to_vec()
        }
        "Proposal" => {
            let r: v1::QueryProposalRequest = decode_request(req)?;
            v1::QueryProposalResponse { proposal: Some(full_proposal_or_err(state, r.proposal_id)?.to_v1()) }
                .encode_to_vec()
        }
        "Proposals" => {
            let r: v1::QueryProposalsRequest = decode_request(req)?;
            let (list, page) = proposals_page(state, r.proposal_status, &r.voter, &r.depositor, r.pagination.as_ref())?;
            v1::QueryProposalsResponse { proposals: list.iter().map(Proposal::to_v1).collect(), pagination: Some(page) }
                .encode_to_vec()
        }
        "Vote" => {
            let r: v1::QueryVoteRequest = decode_request(req)?;
            v1::QueryVoteResponse { vote: Some(vote_of(state, r.proposal_id, &r.voter)?.to_v1()) }.encode_to_vec()
        }
        "Votes" => {
            let r: v1::QueryVotesRequest = decode_request(req)?;
            let (list, page) = votes_page(state, r.proposal_id, r.pagination.as_ref())?;
            v1::QueryVotesResponse { votes: list.iter().map(Vote::to_v1).collect(), pagination: Some(page) }
                .encode_to_vec()
        }
        "Deposit" => {
            let r: v1::QueryDepositRequest = decode_request(req)?;
            v1::QueryDepositResponse { deposit: Some(deposit_of(state, r.proposal_id, &r.depositor)?.to_v1()) }
                .encode_to_vec()
        }
        "Deposits" => {
            let r: v1::QueryDepositsRequest = decode_request(req)?;
            let (list, page) = deposits_page(state, r.proposal_id, r.pagination.as_ref())?;
            v1::QueryDepositsResponse { deposits: list.iter().map(Deposit::to_v1).collect(), pagination: Some(page) }
                .encode_to_vec()
        }
        "TallyResult" => {
            let r: v1::QueryTallyResultRequest = decode_request(req)?;
            v1::QueryTallyResultResponse { tally: Some(tally_of(state, r.proposal_id)?.to_v1()) }.encode_to_vec()
        }
        other => return Err(unknown(other)),
    })
}

fn handle_v1beta1(state: &impl StateRead, method: &str, req: &[u8]) -> Result<Vec<u8>, Error> {
    Ok(match method {
        "Params" => {
            let r: v1beta1::QueryParamsRequest = decode_request(req)?;
            let p = state.gov_params()?;
            let mut resp = v1beta1::QueryParamsResponse::default();
            let secs = |s: u64| {
                Some(salus_proto::tendermint_proto::google::protobuf::Duration { seconds: s as i64, nanos: 0 })
            };
            match r.params_type.as_str() {
                "deposit" => {
                    resp.deposit_params = Some(v1beta1::DepositParams {
                        min_deposit: p.min_deposit.to_proto(),
                        max_deposit_period: secs(p.max_deposit_period_secs),
                    })
                }
                "voting" => {
                    resp.voting_params = Some(v1beta1::VotingParams { voting_period: secs(p.voting_period_secs) })
                }
                // LegacyDec on the wire: the atomics' decimal string, as bytes.
                "tallying" => {
                    resp.tally_params = Some(v1beta1::TallyParams {
                        quorum: p.quorum.to_proto().into_bytes(),
                        threshold: p.threshold.to_proto().into_bytes(),
                        veto_threshold: p.veto_threshold.to_proto().into_bytes(),
                    })
                }
                other => {
                    return Err(Error::sdk(
                        SdkCode::InvalidRequest,
                        format!("`{other}` is not a params type: ask for deposit, voting or tallying"),
                    ))
                }
            }
            resp.encode_to_vec()
        }
        "Proposal" => {
            let r: v1beta1::QueryProposalRequest = decode_request(req)?;
            v1beta1::QueryProposalResponse { proposal: Some(full_proposal_or_err(state, r.proposal_id)?.to_v1beta1()) }
                .encode_to_vec()
        }
        "Proposals" => {
            let r: v1beta1::QueryProposalsRequest = decode_request(req)?;
            let (list, page) = proposals_page(state, r.proposal_status, &r.voter, &r.depositor, r.pagination.as_ref())?;
            v1beta1::QueryProposalsResponse {
                proposals: list.iter().map(Proposal::to_v1beta1).collect(),
                pagination: Some(page),
            }
            .encode_to_vec()
        }
        "Vote" => {
            let r: v1beta1::QueryVoteRequest = decode_request(req)?;
            v1beta1::QueryVoteResponse { vote: Some(vote_of(state, r.proposal_id, &r.voter)?.to_v1beta1()) }
                .encode_to_vec()
        }
        "Votes" => {
            let r: v1beta1::QueryVotesRequest = decode_request(req)?;
            let (list, page) = votes_page(state, r.proposal_id, r.pagination.as_ref())?;
            v1beta1::QueryVotesResponse { votes: list.iter().map(Vote::to_v1beta1).collect(), pagination: Some(page) }
                .encode_to_vec()
        }
        "Deposit" => {
            let r: v1beta1::QueryDepositRequest = decode_request(req)?;
            v1beta1::QueryDepositResponse {
                deposit: Some(deposit_of(state, r.proposal_id, &r.depositor)?.to_v1beta1()),
            }
            .encode_to_vec()
        }
        "Deposits" => {
            let r: v1beta1::QueryDepositsRequest = decode_request(req)?;
            let (list, page) = deposits_page(state, r.proposal_id, r.pagination.as_ref())?;
            v1beta1::QueryDepositsResponse {
                deposits: list.iter().map(Deposit::to_v1beta1).collect(),
                pagination: Some(page),
            }
            .encode_to_vec()
        }
        "TallyResult" => {
            let r: v1beta1::QueryTallyResultRequest = decode_request(req)?;
            v1beta1::QueryTallyResultResponse { tally: Some(tally_of(state, r.proposal_id)?.to_v1beta1()) }
                .encode_to_vec()
        }
        other => return Err(unknown(other)),
    })
}
