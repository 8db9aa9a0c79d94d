//! The end of a block: proposals whose deposit period or voting period ended by the block's
//! time, read from queues ordered by end time, so a block pays only for what ends in it.
//!
//! Nothing here fails on what users sent: a tally that cannot be computed rejects the proposal,
//! and a passed proposal's failing message fails the proposal, not the block.

use salus_sdk::{BlockCtx, Error, MsgRouter, Overlay, SdkCode, StateWrite, Time};

use crate::events;
use crate::handler::{burn_deposits, check_messages, refund_deposits};
use crate::keys;
use crate::state::{GovRead, GovStore};
use crate::tally;
use crate::types::{Proposal, ProposalStatus};

pub fn end_block(state: &mut impl StateWrite, ctx: &BlockCtx, router: &dyn MsgRouter) -> Result<(), Error> {
    let now = Time::of(ctx);
    let params = state.gov_params()?;
    for (key, id) in state.due(keys::INACTIVE_QUEUE, now)? {
        state.delete_raw(key)?;
        let Some(proposal) = state.proposal_header(id)?.filter(|p| p.in_deposit_period()) else { continue };
        if params.burn_proposal_deposit_prevote {
            burn_deposits(state, id)?;
        } else {
            refund_deposits(state, id)?;
        }
        state.delete_proposal(&proposal)?;
        state.emit(events::inactive_proposal(id));
    }
    for (key, id) in state.due(keys::ACTIVE_QUEUE, now)? {
        state.delete_raw(key)?;
        let Some(mut proposal) = state.proposal_header(id)?.filter(|p| p.in_voting_period()) else { continue };
        let votes = state.votes_of(id)?;
        let outcome = tally::decide(&*state, &proposal, &votes, &params);
        let (passes, burn, result, log) = match outcome {
            Ok(o) => (o.passes, o.burn, o.result, String::new()),
            // The store failed: stop rather than decide differently from the other nodes.
            Err(e) if e.is(SdkCode::Internal) => return Err(e),
            Err(e) => (false, false, Default::default(), tally::overflow(&e).message),
        };
        // A failed expedited proposal becomes a regular one: its deposits stay for that vote.
        let converts = !passes && proposal.expedited && log.is_empty();
        if !converts {
            if burn {
                burn_deposits(state, id)?;
            } else {
                refund_deposits(state, id)?;
            }
        }
        proposal.final_tally = result;
        let (kind, log) = if passes {
            match run_messages(state, ctx, router, &proposal)? {
                Ok(()) => {
                    proposal.status = ProposalStatus::Passed;
                    ("proposal_passed", String::new())
                }
                Err(reason) => {
                    proposal.status = ProposalStatus::Failed;
                    proposal.failed_reason = reason.clone();
                    ("proposal_failed", reason)
                }
            }
        } else if converts {
            let start = proposal.voting_start_time.unwrap_or(now);
            let regular_end = start.plus_secs(params.voting_period_secs);
            proposal.expedited = false;
            proposal.voting_end_time = Some(regular_end);
            state.enqueue(keys::ACTIVE_QUEUE, regular_end, id)?;
            ("expedited_proposal_rejected", String::new())
        } else {
            proposal.status = ProposalStatus::Rejected;
            ("proposal_rejected", log)
        };
        if !converts {
            state.delete_votes(id)?;
        }
        state.set_proposal(&proposal)?;
        state.emit(events::active_proposal(id, kind, &log));
    }
    Ok(())
}

/// Runs a passed proposal's messages in order, as the governance account: all of them, or, if
/// one fails, none (the reason names it). The messages are checked again as at submission (a
/// proposal from genesis was never submitted). Only a store failure is an error of the block.
fn run_messages(
    state: &mut impl StateWrite,
    ctx: &BlockCtx,
    router: &dyn MsgRouter,
    proposal: &Proposal,
) -> Result<Result<(), String>, Error> {
    let messages: Vec<_> = state.proposal_messages(proposal.id)?.iter().map(|m| m.to_any()).collect();
    match check_messages(router, &messages) {
        Err(e) if e.is(SdkCode::Internal) => return Err(e),
        Err(e) => return Ok(Err(format!("the proposal's messages are refused: {e}"))),
        Ok(()) => {}
    }
    let mut all = Overlay::new(&*state);
    for (i, any) in messages.iter().enumerate() {
        match router.execute(&mut all, ctx, any) {
            Err(e) if e.is(SdkCode::Internal) => return Err(e),
            Err(e) => return Ok(Err(format!("message {i} ({}) failed: {e}", any.type_url))),
            Ok(()) => {}
        }
    }
    let (writes, events) = all.into_parts();
    salus_sdk::state::apply(state, writes, events)?;
    Ok(Ok(()))
}

/// Whether a proposal is still waiting in a queue (for invariants and tests).
pub fn is_queued(state: &impl GovRead, p: &Proposal) -> Result<bool, Error> {
    let key = match (p.status, p.voting_end_time) {
        (ProposalStatus::DepositPeriod, _) => keys::queue_entry(keys::INACTIVE_QUEUE, p.deposit_end_time, p.id),
        (ProposalStatus::VotingPeriod, Some(end)) => keys::queue_entry(keys::ACTIVE_QUEUE, end, p.id),
        _ => return Ok(false),
    };
    Ok(state.get_raw(&key)?.is_some())
}
