//! One function per message: checks against state, then writes.

use salus_proto::Any;
use salus_sdk::module::{check_authority, governance_authority};
use salus_sdk::{Address, BlockCtx, Coin, Coins, Dec, Error, MsgRouter, SdkCode, StateWrite, Time};
use salus_token::{Escrow, MintBurn, TokenRead, Transfer};

use crate::error::GovError;
use crate::events;
use crate::keys;
use crate::module::GOV_ACCOUNT;
use crate::msgs::GovMsg;
use crate::params::Params;
use crate::state::{GovRead, GovStore};
use crate::types::{Deposit, Proposal, ProposalStatus, StoredAny, TallyResult, Vote, WeightedOption};

pub fn execute(state: &mut impl StateWrite, ctx: &BlockCtx, router: &dyn MsgRouter, msg: &GovMsg) -> Result<(), Error> {
    match msg {
        GovMsg::SubmitProposal { proposer, messages, initial_deposit, metadata, title, summary, expedited, .. } => {
            let draft = Draft { proposer: *proposer, metadata, title, summary, expedited: *expedited };
            submit(state, ctx, router, &draft, messages, initial_deposit).map(|_| ())
        }
        GovMsg::Deposit { proposal_id, depositor, amount, .. } => {
            add_deposit(state, ctx, *proposal_id, depositor, amount).map(|_| ())
        }
        GovMsg::Vote { proposal_id, voter, options, metadata, .. } => {
            vote(state, *proposal_id, voter, options, metadata)
        }
        GovMsg::CancelProposal { proposal_id, proposer } => cancel(state, ctx, *proposal_id, proposer),
        GovMsg::UpdateParams { authority, params } => update_params(state, authority, params),
    }
}

/// What a proposal says besides its messages and deposit.
pub struct Draft<'a> {
    pub proposer: Address,
    pub metadata: &'a str,
    pub title: &'a str,
    pub summary: &'a str,
    pub expedited: bool,
}

/// Every message must name the governance account as its authority and be signed by it alone.
pub(crate) fn check_messages(router: &dyn MsgRouter, messages: &[Any]) -> Result<(), Error> {
    let gov = governance_authority();
    for (i, any) in messages.iter().enumerate() {
        let what = format!("message {i} ({})", any.type_url);
        let signers = router.signers(any).map_err(|e| {
            if e.is(SdkCode::TxDecode) && e.message.contains("does not route") {
                GovError::UnroutableProposalMsg.with(format!("{what} is not a message this chain routes"))
            } else {
                Error { message: format!("{what}: {}", e.message), ..e }
            }
        })?;
        match router.authority(any).map_err(|e| Error { message: format!("{what}: {}", e.message), ..e })? {
            None => {
                return Err(GovError::NoAuthority.with(format!(
                    "{what} names no authority: a proposal may only carry messages whose authority is the \
                     governance account {gov} (MsgUpdateParams, MsgCommunityPoolSpend, MsgSoftwareUpgrade, ...)"
                )))
            }
            Some(a) if a != gov => {
                return Err(GovError::InvalidSigner
                    .with(format!("{what} names the authority {a}; it must be the governance account {gov}")))
            }
            Some(_) => {}
        }
        if signers != [gov] {
            return Err(GovError::InvalidSigner
                .with(format!("{what}: expected the governance account {gov} as its only signer")));
        }
    }
    Ok(())
}

fn ratio_of(coins: &Coins, ratio: Dec) -> Result<Vec<Coin>, Error> {
    coins.iter().map(|c| Ok(Coin::new(ratio.mul_int(c.amount)?.truncate(), c.denom.clone()))).collect()
}

/// Every coin of a deposit must be of a denom the min deposit lists.
fn check_denoms(params: &Params, amount: &Coins) -> Result<(), Error> {
    if let Some(c) = amount.iter().find(|c| params.min_deposit.amount_of(&c.denom) == 0) {
        return Err(GovError::InvalidDepositDenom.with(format!(
            "{} is not a deposit denom: deposit {}",
            c.denom,
            params.min_deposit.iter().map(|c| c.denom.as_str()).collect::<Vec<_>>().join(" or ")
        )));
    }
    Ok(())
}

/// Whether `have` holds at least `need` in every denom of `need`.
fn covers(have: &Coins, need: &[Coin]) -> bool {
    need.iter().all(|c| have.amount_of(&c.denom) >= c.amount)
}

fn list(coins: &[Coin]) -> String {
    coins.iter().map(|c| format!("{}{}", c.amount, c.denom)).collect::<Vec<_>>().join(",")
}

pub fn submit(
    state: &mut impl StateWrite,
    ctx: &BlockCtx,
    router: &dyn MsgRouter,
    draft: &Draft,
    messages: &[Any],
    initial_deposit: &Coins,
) -> Result<u64, Error> {
    let params = state.gov_params()?;
    check_messages(router, messages)?;
    check_denoms(&params, initial_deposit)?;
    let initial_min = ratio_of(params.min_deposit(draft.expedited), params.min_initial_deposit_ratio)?;
    if !params.min_initial_deposit_ratio.is_zero() && !covers(initial_deposit, &initial_min) {
        return Err(GovError::MinDepositTooSmall.with(format!(
            "the initial deposit {} is below {} ({} of the min deposit): deposit more with the proposal",
            if initial_deposit.is_empty() { "(none)".to_string() } else { initial_deposit.to_string() },
            list(&initial_min),
            params.min_initial_deposit_ratio
        )));
    }
    let id = state.next_proposal_id()?;
    let next = id.checked_add(1).ok_or_else(|| GovError::InvalidProposal.with("no proposal ids are left"))?;
    state.set_next_proposal_id(next)?;
    let now = Time::of(ctx);
    let proposal = Proposal {
        id,
        messages: messages.iter().map(StoredAny::of).collect(),
        status: ProposalStatus::DepositPeriod,
        final_tally: TallyResult::default(),
        submit_time: now,
        deposit_end_time: now.plus_secs(params.max_deposit_period_secs),
        total_deposit: Coins::empty(),
        voting_start_time: None,
        voting_end_time: None,
        metadata: draft.metadata.to_string(),
        title: draft.title.to_string(),
        summary: draft.summary.to_string(),
        proposer: draft.proposer,
        expedited: draft.expedited,
        failed_reason: String::new(),
    };
    state.create_proposal(&proposal)?;
    state.enqueue(keys::INACTIVE_QUEUE, proposal.deposit_end_time, id)?;
    let urls: Vec<String> = messages.iter().map(|m| m.type_url.clone()).collect();
    state.emit(events::submit_proposal(id, &draft.proposer, &urls));
    if !initial_deposit.is_empty() {
        add_deposit(state, ctx, id, &draft.proposer, initial_deposit)?;
    }
    Ok(id)
}

/// Adds a deposit; returns whether it started the voting period.
pub fn add_deposit(
    state: &mut impl StateWrite,
    ctx: &BlockCtx,
    id: u64,
    depositor: &Address,
    amount: &Coins,
) -> Result<bool, Error> {
    let mut proposal = state
        .proposal_header(id)?
        .ok_or_else(|| GovError::UnknownProposal.with(format!("proposal {id} does not exist")))?;
    if !proposal.in_deposit_period() && !proposal.in_voting_period() {
        return Err(GovError::InactiveProposal.with(format!("proposal {id} has ended: it takes no more deposits")));
    }
    let params = state.gov_params()?;
    check_denoms(&params, amount)?;
    if !params.min_deposit_ratio.is_zero() {
        let thresholds = ratio_of(params.min_deposit(proposal.expedited), params.min_deposit_ratio)?;
        if !thresholds.iter().any(|t| amount.amount_of(&t.denom) >= t.amount) {
            return Err(GovError::MinDepositTooSmall
                .with(format!("received {amount} but need at least one of the following: {}", list(&thresholds))));
        }
    }
    state.escrow(depositor, &GOV_ACCOUNT, amount)?;
    proposal.total_deposit = proposal.total_deposit.checked_add(amount)?;
    let mut record = state.deposit(id, depositor)?.unwrap_or(Deposit {
        proposal_id: id,
        depositor: *depositor,
        amount: Coins::empty(),
    });
    record.amount = record.amount.checked_add(amount)?;
    state.set_deposit(&record)?;
    state.emit(events::proposal_deposit(id, depositor, amount));
    let min: Vec<Coin> = params.min_deposit(proposal.expedited).iter().cloned().collect();
    let activates = proposal.in_deposit_period() && covers(&proposal.total_deposit, &min);
    if activates {
        let now = Time::of(ctx);
        let end = now.plus_secs(params.voting_period(proposal.expedited));
        state.dequeue(keys::INACTIVE_QUEUE, proposal.deposit_end_time, id)?;
        state.enqueue(keys::ACTIVE_QUEUE, end, id)?;
        proposal.voting_start_time = Some(now);
        proposal.voting_end_time = Some(end);
        proposal.status = ProposalStatus::VotingPeriod;
        state.emit(events::voting_period_start(id));
    }
    state.set_proposal(&proposal)?;
    Ok(activates)
}

fn vote(
    state: &mut impl StateWrite,
    id: u64,
    voter: &Address,
    options: &[WeightedOption],
    metadata: &str,
) -> Result<(), Error> {
    let proposal = state
        .proposal_header(id)?
        .ok_or_else(|| GovError::UnknownProposal.with(format!("proposal {id} does not exist")))?;
    if !proposal.in_voting_period() {
        return Err(GovError::InactiveProposal.with(format!(
            "proposal {id} is not in its voting period ({}): votes are taken only then",
            proposal.status.as_str()
        )));
    }
    let vote = Vote { proposal_id: id, voter: *voter, options: options.to_vec(), metadata: metadata.to_string() };
    state.set_vote(&vote)?;
    state.emit(events::proposal_vote(id, voter, options));
    Ok(())
}

fn cancel(state: &mut impl StateWrite, ctx: &BlockCtx, id: u64, sender: &Address) -> Result<(), Error> {
    let proposal = state
        .proposal_header(id)?
        .ok_or_else(|| GovError::UnknownProposal.with(format!("proposal {id} does not exist")))?;
    if proposal.proposer != *sender {
        return Err(GovError::InvalidProposer
            .with(format!("{sender} is not the proposer of proposal {id}: only {} may cancel it", proposal.proposer)));
    }
    if !proposal.in_deposit_period() && !proposal.in_voting_period() {
        return Err(GovError::InactiveProposal.with(format!("proposal {id} has ended and cannot be cancelled")));
    }
    let now = Time::of(ctx);
    if proposal.voting_end_time.is_some_and(|end| end < now) {
        return Err(GovError::VotingPeriodEnded.with(format!("the voting period of proposal {id} has ended")));
    }
    let params = state.gov_params()?;
    charge_deposits(state, id, params.proposal_cancel_ratio, params.proposal_cancel_dest)?;
    state.dequeue(keys::INACTIVE_QUEUE, proposal.deposit_end_time, id)?;
    if let Some(end) = proposal.voting_end_time {
        state.dequeue(keys::ACTIVE_QUEUE, end, id)?;
    }
    state.delete_votes(id)?;
    state.delete_proposal(&proposal)?;
    state.emit(events::cancel_proposal(id, sender));
    Ok(())
}

fn update_params(state: &mut impl StateWrite, authority: &Address, params: &Params) -> Result<(), Error> {
    check_authority(authority)?;
    params.validate()?;
    check_cancel_dest(state, params)?;
    state.set_gov_params(params)?;
    state.emit(events::update_params(authority));
    Ok(())
}

/// Cancellation fees are paid to an account users could send to: never a module account.
pub fn check_cancel_dest(state: &impl salus_sdk::StateRead, params: &Params) -> Result<(), Error> {
    if let Some(dest) = params.proposal_cancel_dest {
        if state.is_blocked(&dest)? {
            return Err(Error::sdk(
                SdkCode::InvalidRequest,
                format!(
                    "gov.params.proposal_cancel_dest {dest} is a module account: name a user account or \"\" to burn"
                ),
            ));
        }
    }
    Ok(())
}

/// Charges `ratio` of every deposit (to `dest`, or burned), refunds the rest and deletes them.
fn charge_deposits(state: &mut impl StateWrite, id: u64, ratio: Dec, dest: Option<Address>) -> Result<(), Error> {
    let mut fees = Coins::empty();
    for d in state.deposits_of(id)? {
        let fee = Coins::new(ratio_of(&d.amount, ratio)?.into_iter().filter(|c| c.amount > 0).collect())?;
        let refund = subtract(&d.amount, &fee)?;
        state.release(&GOV_ACCOUNT, &d.depositor, &refund)?;
        fees = fees.checked_add(&fee)?;
        state.delete_deposit(&d)?;
    }
    if !fees.is_empty() {
        match dest {
            Some(to) => state.transfer(&GOV_ACCOUNT.address(), &to, &fees)?,
            None => state.burn(&GOV_ACCOUNT, &fees)?,
        }
    }
    Ok(())
}

/// `a - b` for `b` within `a`, denom by denom.
fn subtract(a: &Coins, b: &Coins) -> Result<Coins, Error> {
    let left = a
        .iter()
        .map(|c| {
            c.amount
                .checked_sub(b.amount_of(&c.denom))
                .map(|n| Coin::new(n, c.denom.clone()))
                .ok_or_else(|| Error::internal("a fee above its deposit"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Coins::new(left.into_iter().filter(|c| c.amount > 0).collect())
}

/// Gives every deposit of a proposal back and deletes them.
pub fn refund_deposits(state: &mut impl StateWrite, id: u64) -> Result<(), Error> {
    for d in state.deposits_of(id)? {
        state.release(&GOV_ACCOUNT, &d.depositor, &d.amount)?;
        state.delete_deposit(&d)?;
    }
    Ok(())
}

/// Burns every deposit of a proposal and deletes them.
pub fn burn_deposits(state: &mut impl StateWrite, id: u64) -> Result<(), Error> {
    let deposits = state.deposits_of(id)?;
    let total = Coins::checked_sum(deposits.iter().map(|d| &d.amount))?;
    if !total.is_empty() {
        state.burn(&GOV_ACCOUNT, &total)?;
    }
    for d in deposits {
        state.delete_deposit(&d)?;
    }
    Ok(())
}
