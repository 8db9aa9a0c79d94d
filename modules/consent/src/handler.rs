//! One function per message: the acting DID's proof first (salus_did::ActAsDid), then what that
//! DID may do, then the writes. Only the grantor updates a consent (while it still is the subject or
//! a controller of the subject's DID); the grantor or the subject revokes it; only the organization
//! that gave a role takes it back; any DID may ask for access, and every answer is logged.

use std::collections::BTreeSet;

use salus_did::{ActAsDid, Acting, Did, DidRead};
use salus_proto::salus::consent::v1 as pb;
use salus_records::RecordRead;
use salus_sdk::module::check_authority;
use salus_sdk::time::Time;
use salus_sdk::{Address, BlockCtx, Error, StateWrite};

use crate::audit;
use crate::error::ConsentError;
use crate::evaluate::{decide, Asked, HeldRoles, Request, Verdict};
use crate::events;
use crate::params::Params;
use crate::state::{ConsentRead, ConsentWrite};
use crate::types::{
    AccessGrant, Action, AuditEvent, Coding, Consent, Decision, Outcome, Period, Provision, Purpose, RoleGrant, Status,
    Terms,
};
use crate::validate::terms_from_proto;
use crate::ConsentMsg;

pub fn execute(state: &mut impl StateWrite, ctx: &BlockCtx, msg: &ConsentMsg) -> Result<(), Error> {
    match msg {
        ConsentMsg::Create { acting, terms, .. } => create(state, ctx, acting, terms),
        ConsentMsg::Update { acting, id, version, terms, .. } => update(state, ctx, acting, *id, *version, terms),
        ConsentMsg::Revoke { acting, id, version, .. } => revoke(state, ctx, acting, *id, *version),
        ConsentMsg::GrantRole { acting, member, role, period, .. } => {
            grant_role(state, ctx, acting, member, role, period)
        }
        ConsentMsg::RevokeRole { acting, member, role, .. } => revoke_role(state, ctx, acting, member, role),
        ConsentMsg::Access { acting, record, action, purpose, .. } => {
            access(state, ctx, acting, *record, *action, *purpose).map(|_| ())
        }
        ConsentMsg::UpdateParams { authority, params } => update_params(state, authority, params),
    }
}

fn update_params(state: &mut impl StateWrite, authority: &Address, params: &Params) -> Result<(), Error> {
    check_authority(authority)?;
    state.set_consent_params(params)?;
    state.emit(events::params_updated(authority, params));
    Ok(())
}

/// The grantor of a consent about `subject`: the subject itself, or a controller of its DID (a
/// guardian, a parent, a legal representative).
fn check_grantor(state: &impl StateWrite, grantor: &Did, subject: &Did) -> Result<(), Error> {
    let (_, doc) = state.active_document(subject)?;
    if grantor == subject || doc.controllers().contains(grantor) {
        return Ok(());
    }
    Err(ConsentError::NotAGrantor.with(format!(
        "{grantor} may not grant for {subject}: only the subject or a controller of its DID (a guardian) may; add the guardian as a controller of the subject's DID"
    )))
}

/// The records a consent names exist and are the subject's (a consent about another patient's
/// record would never be read).
fn check_records(state: &impl StateWrite, terms: &Terms) -> Result<(), Error> {
    let mut stack: Vec<&Provision> = terms.provisions.iter().collect();
    while let Some(p) = stack.pop() {
        for id in &p.records {
            match state.record(*id)? {
                Some(r) if r.owner == terms.subject => {}
                Some(_) => {
                    return Err(ConsentError::InvalidConsent.with(format!(
                        "record {id} is not {}'s: a consent names only its subject's records",
                        terms.subject
                    )))
                }
                None => return Err(ConsentError::NotFound.with(format!("record {id} does not exist"))),
            }
        }
        stack.extend(p.provisions.iter());
    }
    Ok(())
}

fn create(state: &mut impl StateWrite, ctx: &BlockCtx, acting: &Acting, terms: &pb::ConsentTerms) -> Result<(), Error> {
    let grantor = state.act_as(ctx, acting)?;
    let params = state.consent_params()?;
    let terms = terms_from_proto(terms, &params)?;
    check_grantor(state, &grantor, &terms.subject)?;
    check_records(state, &terms)?;
    let listed = state.subject_consent_ids(&terms.subject)?.len();
    if listed >= params.max_consents_per_subject as usize {
        return Err(ConsentError::TooLarge.with(format!(
            "{} already has {listed} draft or active consents, the most the params allow: revoke or update one instead",
            terms.subject
        )));
    }
    let id = state.next_consent_id()?;
    state.set_next_consent_id(id.checked_add(1).ok_or_else(|| Error::internal("consent id overflow"))?)?;
    let consent = Consent { id, version: 1, grantor, terms, time: Time::of(ctx), height: ctx.height };
    state.put_consent(&consent, true)?;
    state.emit(events::created(&consent));
    Ok(())
}

/// What changes a consent.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Change {
    Update,
    Revoke,
}

/// The current version of a consent, still open to change, if the acting DID may make `change`:
/// an update only by its grantor while the grantor still is the subject or a controller of the
/// subject's DID (a guardian the patient removed loses its consents); a revocation by its grantor,
/// or by the subject itself (a patient can always withdraw a consent given on its behalf).
fn current(state: &impl StateWrite, actor: &Did, id: u64, version: u64, change: Change) -> Result<Consent, Error> {
    let c =
        state.consent(id, None)?.ok_or_else(|| ConsentError::NotFound.with(format!("consent {id} does not exist")))?;
    let subject = &c.terms.subject;
    let allowed = c.grantor == *actor || (change == Change::Revoke && actor == subject);
    if !allowed {
        let who = if change == Change::Revoke { "its grantor or its subject" } else { "its grantor" };
        return Err(ConsentError::Unauthorized
            .with(format!("consent {id} was granted by {}, not {actor}: only {who} may change it", c.grantor)));
    }
    if change == Change::Update {
        check_grantor(state, actor, subject)?;
    }
    if c.terms.status == Status::Inactive {
        return Err(ConsentError::Revoked
            .with(format!("consent {id} was revoked at version {}: create a new consent instead", c.version)));
    }
    if c.version != version {
        return Err(ConsentError::WrongVersion.with(format!(
            "consent {id} is at version {}, not {version}: query it again and give version {}",
            c.version, c.version
        )));
    }
    Ok(c)
}

fn update(
    state: &mut impl StateWrite,
    ctx: &BlockCtx,
    acting: &Acting,
    id: u64,
    version: u64,
    terms: &pb::ConsentTerms,
) -> Result<(), Error> {
    let grantor = state.act_as(ctx, acting)?;
    let old = current(state, &grantor, id, version, Change::Update)?;
    let terms = terms_from_proto(terms, &state.consent_params()?)?;
    if terms.subject != old.terms.subject {
        return Err(ConsentError::InvalidConsent.with(format!(
            "terms.subject: consent {id} is about {}; a consent never changes subject: create a new one",
            old.terms.subject
        )));
    }
    check_records(state, &terms)?;
    let consent = Consent { id, version: version + 1, grantor, terms, time: Time::of(ctx), height: ctx.height };
    state.put_consent(&consent, true)?;
    state.emit(events::updated(&consent));
    Ok(())
}

fn revoke(state: &mut impl StateWrite, ctx: &BlockCtx, acting: &Acting, id: u64, version: u64) -> Result<(), Error> {
    let actor = state.act_as(ctx, acting)?;
    let old = current(state, &actor, id, version, Change::Revoke)?;
    let terms = Terms { status: Status::Inactive, ..old.terms };
    // The grantor stays the consent's; the transaction's actor proof shows who revoked.
    let consent =
        Consent { id, version: version + 1, grantor: old.grantor, terms, time: Time::of(ctx), height: ctx.height };
    state.put_consent(&consent, false)?;
    state.emit(events::revoked(&consent));
    Ok(())
}

fn grant_role(
    state: &mut impl StateWrite,
    ctx: &BlockCtx,
    acting: &Acting,
    member: &Did,
    role: &Coding,
    period: &Period,
) -> Result<(), Error> {
    let organization = state.act_as(ctx, acting)?;
    state.active_document(member)?;
    let grant = RoleGrant { organization, member: member.clone(), role: role.clone(), period: *period };
    state.put_role(&grant)?;
    state.emit(events::role_granted(&grant));
    Ok(())
}

fn revoke_role(
    state: &mut impl StateWrite,
    ctx: &BlockCtx,
    acting: &Acting,
    member: &Did,
    role: &Coding,
) -> Result<(), Error> {
    let organization = state.act_as(ctx, acting)?;
    if state.role_grant(member, role, &organization)?.is_none() {
        return Err(ConsentError::NotFound.with(format!(
            "{organization} gave {member} no role {}|{}: only the organization that gave a role revokes it",
            role.system, role.code
        )));
    }
    state.delete_role(member, role, &organization)?;
    state.emit(events::role_revoked(&organization, member, role));
    Ok(())
}

/// The chain decides on the record's owner's consents, logs the decision and, on permit, stores
/// a grant that lasts `access_grant_secs`. A deny is a successful transaction: it is logged.
pub fn access(
    state: &mut impl StateWrite,
    ctx: &BlockCtx,
    acting: &Acting,
    record_id: u64,
    action: Action,
    purpose: Purpose,
) -> Result<AuditEvent, Error> {
    let requester = state.act_as(ctx, acting)?;
    let params = state.consent_params()?;
    let now = Time::of(ctx);
    let gas = params.provision_gas;
    let reader = &*state;
    let (record, verdict) = decide_access(reader, &requester, record_id, action, purpose, now, &mut |n| {
        reader.charge_gas(gas.saturating_mul(n), "consent provision")
    })?;
    let event = AuditEvent {
        id: 0,
        requester: requester.clone(),
        custodian: record.custodian.clone(),
        subject: [0; 16],
        record: record_id,
        action,
        purpose,
        outcome: verdict.outcome,
        consent: verdict.consent,
        path: verdict.path,
        obligations: verdict.obligations,
        time: now,
        height: ctx.height,
    };
    let id = audit::append(state, event.clone(), &record.owner)?;
    let event = AuditEvent { id, subject: audit::pseudonym(&record.owner), ..event };
    if event.outcome != Outcome::Permit {
        // A refusal ends whatever an earlier permit granted.
        state.delete_grant(&requester, record_id)?;
    }
    if let (Outcome::Permit, Some(consent)) = (event.outcome, event.consent) {
        state.put_grant(&AccessGrant {
            requester,
            record: record_id,
            action,
            purpose,
            expires: now.plus_secs(params.access_grant_secs),
            consent,
            obligations: event.obligations.clone(),
        })?;
    }
    state.emit(events::access_decided(&event));
    Ok(event)
}

/// What the record's owner's consents decide for `requester` doing `action` for `purpose` on
/// record `record_id` at `time`: what an access takes, and what keeps its grant live.
pub fn decide_access(
    state: &impl salus_sdk::StateRead,
    requester: &Did,
    record_id: u64,
    action: Action,
    purpose: Purpose,
    time: Time,
    charge: &mut dyn FnMut(u64) -> Result<(), Error>,
) -> Result<(salus_records::Record, Verdict), Error> {
    let (record, asked) = asked_record(state, record_id)?;
    let consents = state.subject_consents(&record.owner)?;
    let roles = held_roles(state, requester, &consents, Some(&record.custodian), time)?;
    let request =
        Request { requester, roles: &roles, action, purpose, time, asked: &asked, custodian: Some(&record.custodian) };
    let verdict = decide(&consents, &request, charge)?;
    Ok((record, verdict))
}

/// How many of a requester's grants of one role a role-only deny reads; past that, the role
/// counts as held (the deny applies), so nobody can make a decision read without bound by giving
/// the requester grants.
pub const SOMEWHERE_READS: usize = 8;

/// The requester's role grants, live at `time`, that the consents' actors could name. A role and
/// the organization an actor names, or (a role alone, in a permit) the record's custodian: one
/// point read per distinct pair. A role alone in a deny: the first [`SOMEWHERE_READS`] grants of
/// that role from any organization, and the role counts as held if there are more. Everything is
/// bounded by the params; nothing grows with the grants the requester was given.
pub fn held_roles(
    state: &impl salus_sdk::StateRead,
    requester: &Did,
    consents: &[Consent],
    custodian: Option<&Did>,
    time: Time,
) -> Result<HeldRoles, Error> {
    let mut from = BTreeSet::new();
    let mut somewhere = BTreeSet::new();
    for c in consents.iter().filter(|c| c.terms.status == Status::Active) {
        let mut stack: Vec<&Provision> = c.terms.provisions.iter().collect();
        while let Some(p) = stack.pop() {
            for a in &p.actors {
                let Some(role) = &a.role else { continue };
                match (&a.reference, p.decision) {
                    (Some(org), _) => {
                        from.insert((role, org));
                    }
                    (None, Decision::Deny) => {
                        somewhere.insert(role);
                    }
                    (None, Decision::Permit) => {
                        if let Some(custodian) = custodian {
                            from.insert((role, custodian));
                        }
                    }
                }
            }
            stack.extend(p.provisions.iter());
        }
    }
    let mut held = HeldRoles::default();
    let mut active = std::collections::BTreeMap::new();
    for (role, org) in from {
        if let Some(grant) = state.role_grant(requester, role, org)? {
            let org_active = match active.get(org) {
                Some(a) => *a,
                None => {
                    let a = state.did_meta(org)?.is_some_and(|m| !m.deactivated);
                    active.insert(org, a);
                    a
                }
            };
            held.add(requester, &grant, time, org_active);
        }
    }
    for role in somewhere {
        let grants = state.role_grants_of(requester, role, SOMEWHERE_READS + 1)?;
        // A deactivated organization's grant still counts for a deny: no activity check needed.
        for g in grants.iter().take(SOMEWHERE_READS) {
            held.add(requester, g, time, false);
        }
        if grants.len() > SOMEWHERE_READS {
            held.assume_held_somewhere(role.clone());
        }
    }
    Ok(held)
}

/// A live record and what a decision knows of its data.
pub fn asked_record(state: &impl salus_sdk::StateRead, id: u64) -> Result<(salus_records::Record, Asked), Error> {
    let record = state.record(id)?.ok_or_else(|| ConsentError::NotFound.with(format!("record {id} does not exist")))?;
    if record.status == salus_records::types::Status::Erased {
        return Err(ConsentError::NotFound.with(format!("record {id} was erased: nothing is left to access")));
    }
    let current = &record.current;
    let asked = Asked {
        record: Some(id),
        classes: current.categories.clone(),
        confidentiality: current.confidentiality.clone(),
        sensitivity: current.sensitivity.clone(),
        // Records declare no clinical time (the anchoring time is not the data's).
        data_time: None,
        data_period: Period::default(),
    };
    Ok((record, asked))
}
