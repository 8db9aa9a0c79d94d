//! The decision engine: what a subject's consents decide for one access. Pure and deterministic:
//! it reads only its arguments (the block time comes in the request), and it charges gas
//! through `charge` for every node it evaluates.
//!
//! # What is asked
//!
//! Either a record (`record = Some(id)`; `classes` are the record's category commitments, the
//! labels are the record's, `data_time` is the record's time) or a data class (`record = None`,
//! `classes = [the class]`, the labels are those the asked data may bear, empty when unknown,
//! `data_period` is the asked timeframe, open for any).
//!
//! # Rules
//!
//! 1. A consent applies if its status is active and its period contains the request's time
//!    (start inclusive, end exclusive). If none applies, the outcome is no-consent.
//! 2. Within a consent, the base decision is the root: depth 0, path `[]`. A provision matches
//!    only if all its non-data conditions hold:
//!    - its period contains the time;
//!    - it lists no actors, or one of them matches: a reference alone matches the requester with
//!      that DID; a role and a reference match the requester with that DID, or a requester holding
//!      a live grant of that role (its period contains the time) from the organization the
//!      reference names. A role alone, in a permit, matches a requester holding a live grant of
//!      that role from the custodian of the record asked (anyone may give anyone a role, so a role
//!      permits only from the organization that holds the data or the one a consent names; for a
//!      data class question, which names no custodian, it permits nobody). A role alone, in a
//!      deny, matches a requester holding a live grant of that role from any organization: a deny
//!      errs toward refusing. Grants of a deactivated organization count for denies only. An AI
//!      model is an actor as any other DID is;
//!    - it lists no actions, or the action asked;
//!    - it lists no purposes, or the purpose asked.
//! 3. A provision that matches so covers the asked data `None < Partial < Full`: the least
//!    coverage over the data conditions it sets (none set: full).
//!    - records: the asked record among them is full, anything else none (a data class question
//!      is not about a record);
//!    - classes, and codes (two conditions, both compared with the asked classes): for a record,
//!      any common entry is full, else none; for a data class, every asked class among them is
//!      full, else partial (the asked data may hold what they list);
//!    - security labels (confidentiality and sensitivity together, as FHIR's securityLabel): for
//!      a record, any label in common is full, else none; for a data class, asked labels all among
//!      them are full, asked labels unknown (empty) or some among them partial, asked labels none
//!      among them none;
//!    - data period: for a record, its data time inside is full, outside none, unknown (records
//!      do not declare one yet) partial; for a data class, an asked timeframe inside is full, one
//!      overlapping or open partial, one disjoint none.
//! 4. The deepest match decides, within its branch. From a fully matching node, evaluation
//!    descends into each fully matching child, whose own result is the deepest match below it. An
//!    exception excepts only from its own parent, so sibling branches combine deny-overrides: if
//!    any child's result is deny, the first such decides; else the first child whose result is
//!    permit decides (with the obligations of every permitting child). A node none of whose
//!    children fully matches decides with its own decision.
//! 5. Obligations. A partially matching deny child of a node on the winning path (the node that
//!    decided and its ancestors, and the other permitting branches) adds, if the outcome is permit, an obligation to redact what that
//!    child lists (confidentiality, sensitivity, classes, codes), naming the consent, its version
//!    and the child's path. A partially matching deny child that lists none of those (partial only
//!    by its data period) counts as fully matching instead: a deny over a timeframe is not turned
//!    into an obligation. Provisions nested in a partially matching deny are not consulted (the
//!    obligation redacts more, never less). A partially matching permit is ignored: a permit for
//!    part of what is asked does not permit the whole.
//! 6. Across the applying consents, taken in id order: any deny decides deny (the lowest id's,
//!    with its path; evaluation stops there); else any permit decides permit (the lowest id's
//!    permitting consent and path), with the obligations of every permitting consent, in consent
//!    order; else (no consent applies) no-consent. Obligations never repeat: each names its
//!    consent and path, and every node is evaluated at most once.
//!
//! # Gas
//!
//! `charge(1)` is called before each node is evaluated: the base of every consent that applies,
//! and every provision whose conditions are checked (the children of fully matching nodes). An
//! error from `charge` aborts the decision with that error.

use std::collections::{BTreeMap, BTreeSet};

use salus_did::Did;
use salus_records::{Commitment, Confidentiality};
use salus_sdk::time::Time;
use salus_sdk::Error;

use crate::error::ConsentError;
use crate::params::Params;
use crate::types::{
    Action, Actor, Coding, Consent, Decision, Obligation, Outcome, Period, Provision, ProvisionPath, Purpose,
    RoleGrant, Status,
};

/// The data an access asks for (module doc: "What is asked").
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Asked {
    pub record: Option<u64>,
    pub classes: Vec<Commitment>,
    pub confidentiality: Vec<Confidentiality>,
    pub sensitivity: Vec<Commitment>,
    /// A record's time.
    pub data_time: Option<Time>,
    /// A data class question's timeframe (open: any).
    pub data_period: Period,
}

/// One access to decide.
#[derive(Clone, Copy, Debug)]
pub struct Request<'a> {
    pub requester: &'a Did,
    /// The requester's live role grants.
    pub roles: &'a HeldRoles,
    pub action: Action,
    pub purpose: Purpose,
    /// The block time (or the time a Decide query asks about).
    pub time: Time,
    pub asked: &'a Asked,
    /// The custodian of the record asked (none for a data class question): the organization whose
    /// roles a role-only actor means (anyone can give a role, so a role counts only from the party
    /// that holds the data, or from the organization an actor names).
    pub custodian: Option<&'a Did>,
}

/// The requester's role grants live at a decision's time, as role actors look them up: by role,
/// then by the organization that gave it. Each organization is marked active or not: a
/// deactivated organization's grants count for denies only.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HeldRoles {
    from: BTreeMap<Coding, BTreeMap<Did, bool>>,
    /// Roles a role-only deny matches: held from some organization, or assumed so.
    anywhere: BTreeSet<Coding>,
}

impl HeldRoles {
    /// Every grant of `requester` live at `time`, each organization active.
    pub fn of(requester: &Did, grants: &[RoleGrant], time: Time) -> HeldRoles {
        let mut held = HeldRoles::default();
        for g in grants {
            held.add(requester, g, time, true);
        }
        held
    }

    /// Adds `grant` if it is the requester's and live at `time`; `organization_active` says
    /// whether the organization that gave it is active.
    pub fn add(&mut self, requester: &Did, grant: &RoleGrant, time: Time, organization_active: bool) {
        if grant.member != *requester || !grant.period.contains(time) {
            return;
        }
        self.anywhere.insert(grant.role.clone());
        let active = self.from.entry(grant.role.clone()).or_default().entry(grant.organization.clone()).or_default();
        *active |= organization_active;
    }

    /// Counts `role` as held from some organization without naming it: what a reader assumes
    /// when the requester has more grants of that role than it reads (a deny then matches).
    pub fn assume_held_somewhere(&mut self, role: Coding) {
        self.anywhere.insert(role);
    }

    fn given_by(&self, role: &Coding, organization: &Did, decision: Decision) -> bool {
        match self.from.get(role).and_then(|orgs| orgs.get(organization)) {
            Some(active) => *active || decision == Decision::Deny,
            None => false,
        }
    }

    fn somewhere(&self, role: &Coding) -> bool {
        self.anywhere.contains(role)
    }
}

/// What the consents decide.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    pub outcome: Outcome,
    /// The consent (id, version) that decided; none for no-consent.
    pub consent: Option<(u64, u64)>,
    /// The provision that decided, as child indexes from the consent's top level (empty: the base
    /// decision, or no-consent).
    pub path: ProvisionPath,
    /// What a permit obliges (always empty for deny and no-consent).
    pub obligations: Vec<Obligation>,
}

impl Verdict {
    pub fn no_consent() -> Verdict {
        Verdict { outcome: Outcome::NoConsent, consent: None, path: vec![], obligations: vec![] }
    }
}

/// How much of the asked data a provision's data conditions cover.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Coverage {
    None,
    Partial,
    Full,
}

/// Decides an access (module doc: "Rules"). `consents` are the subject's consents at their latest
/// versions; the order they come in does not matter (they are taken in id order).
pub fn decide(
    consents: &[Consent],
    req: &Request,
    charge: &mut dyn FnMut(u64) -> Result<(), Error>,
) -> Result<Verdict, Error> {
    let mut order: Vec<&Consent> = consents.iter().collect();
    order.sort_by_key(|c| (c.id, c.version));
    let mut permit: Option<Verdict> = None;
    for consent in order {
        if consent.terms.status != Status::Active || !consent.terms.period.contains(req.time) {
            continue;
        }
        let result = evaluate(consent, req, charge)?;
        let at = Some((consent.id, consent.version));
        match result.decision {
            Decision::Deny => {
                return Ok(Verdict { outcome: Outcome::Deny, consent: at, path: result.path, obligations: vec![] })
            }
            Decision::Permit => match &mut permit {
                None => {
                    permit = Some(Verdict {
                        outcome: Outcome::Permit,
                        consent: at,
                        path: result.path,
                        obligations: result.obligations,
                    });
                }
                Some(first) => first.obligations.extend(result.obligations),
            },
        }
    }
    Ok(permit.unwrap_or_else(Verdict::no_consent))
}

/// What one node decides, with the path below it and the obligations of the nodes on that path.
struct NodeResult {
    decision: Decision,
    path: ProvisionPath,
    obligations: Vec<Obligation>,
}

/// One consent's decision: its base decision and provisions, deepest match first.
fn evaluate(
    consent: &Consent,
    req: &Request,
    charge: &mut dyn FnMut(u64) -> Result<(), Error>,
) -> Result<NodeResult, Error> {
    charge(1)?;
    let mut path = Vec::new();
    let mut result = descend(consent, req, charge, consent.terms.decision, &consent.terms.provisions, 0, &mut path)?;
    if result.decision == Decision::Deny {
        result.obligations.clear();
    }
    Ok(result)
}

/// The result of a fully matching node (`decision`, `depth`, at `path`) with `children`.
fn descend(
    consent: &Consent,
    req: &Request,
    charge: &mut dyn FnMut(u64) -> Result<(), Error>,
    decision: Decision,
    children: &[Provision],
    depth: usize,
    path: &mut ProvisionPath,
) -> Result<NodeResult, Error> {
    // Stored consents were validated (depth <= max_depth <= its ceiling); refuse anything deeper
    // rather than recurse without bound.
    if depth >= Params::CEILING.max_depth as usize && !children.is_empty() {
        return Err(ConsentError::TooLarge.with(format!(
            "consent {}: provisions nest deeper than {}",
            consent.id,
            Params::CEILING.max_depth
        )));
    }
    let mut obligations = Vec::new();
    let mut permit: Option<NodeResult> = None;
    for (i, child) in children.iter().enumerate() {
        charge(1)?;
        let mut coverage = if matches_conditions(child, req) { coverage(child, req.asked) } else { Coverage::None };
        let redacts = !(child.confidentiality.is_empty()
            && child.sensitivity.is_empty()
            && child.classes.is_empty()
            && child.codes.is_empty());
        if coverage == Coverage::Partial && child.decision == Decision::Deny && !redacts {
            coverage = Coverage::Full;
        }
        let index = u32::try_from(i).unwrap_or(u32::MAX);
        match coverage {
            Coverage::None => {}
            Coverage::Partial => {
                if child.decision == Decision::Deny {
                    let mut at = path.clone();
                    at.push(index);
                    obligations.push(Obligation {
                        confidentiality: child.confidentiality.clone(),
                        sensitivity: child.sensitivity.clone(),
                        classes: child.classes.clone(),
                        codes: child.codes.clone(),
                        consent_id: consent.id,
                        consent_version: consent.version,
                        path: at,
                    });
                } else {
                    // A permit covering part of what is asked permits nothing, but the denies
                    // nested in it still speak: one that decides in its subtree denies.
                    path.push(index);
                    let result = descend(consent, req, charge, child.decision, &child.provisions, depth + 1, path);
                    path.pop();
                    let result = result?;
                    if result.decision == Decision::Deny {
                        return Ok(NodeResult { obligations: vec![], ..result });
                    }
                }
            }
            Coverage::Full => {
                path.push(index);
                let result = descend(consent, req, charge, child.decision, &child.provisions, depth + 1, path);
                path.pop();
                let result = result?;
                match result.decision {
                    // An exception excepts only from its own parent: among sibling branches, a
                    // deny overrides (the first one decides; the rest cannot change that).
                    Decision::Deny => return Ok(NodeResult { obligations: vec![], ..result }),
                    Decision::Permit => match &mut permit {
                        None => permit = Some(result),
                        Some(first) => first.obligations.extend(result.obligations),
                    },
                }
            }
        }
    }
    Ok(match permit {
        Some(mut p) => {
            obligations.append(&mut p.obligations);
            NodeResult { obligations, ..p }
        }
        None => NodeResult { decision, path: path.clone(), obligations },
    })
}

/// Rule 2: period, actors, actions, purposes.
pub fn matches_conditions(p: &Provision, req: &Request) -> bool {
    p.period.contains(req.time)
        && (p.actors.is_empty() || p.actors.iter().any(|a| actor_matches(a, p.decision, req)))
        && (p.actions.is_empty() || p.actions.contains(&req.action))
        && (p.purposes.is_empty() || p.purposes.contains(&req.purpose))
}

/// Whether `actor` is the requester, in a provision deciding `decision`: by DID, or by a live
/// role (rule 2).
pub fn actor_matches(actor: &Actor, decision: Decision, req: &Request) -> bool {
    if actor.reference.as_ref() == Some(req.requester) {
        return true;
    }
    let Some(role) = &actor.role else { return false };
    match (&actor.reference, decision, req.custodian) {
        (Some(named), _, _) => req.roles.given_by(role, named, decision),
        (None, Decision::Deny, _) => req.roles.somewhere(role),
        (None, Decision::Permit, Some(custodian)) => req.roles.given_by(role, custodian, decision),
        (None, Decision::Permit, None) => false,
    }
}

/// Rule 3: how much of the asked data a provision's data conditions cover.
pub fn coverage(p: &Provision, asked: &Asked) -> Coverage {
    let mut c = Coverage::Full;
    let record = asked.record.is_some();
    if !p.records.is_empty() {
        c = c.min(match asked.record {
            Some(id) if p.records.contains(&id) => Coverage::Full,
            _ => Coverage::None,
        });
    }
    for list in [&p.classes, &p.codes] {
        if list.is_empty() {
            continue;
        }
        c = c.min(if record {
            if asked.classes.iter().any(|a| list.contains(a)) {
                Coverage::Full
            } else {
                Coverage::None
            }
        } else if !asked.classes.is_empty() && asked.classes.iter().all(|a| list.contains(a)) {
            Coverage::Full
        } else {
            Coverage::Partial
        });
    }
    if !(p.confidentiality.is_empty() && p.sensitivity.is_empty()) {
        let asked_count = asked.confidentiality.len() + asked.sensitivity.len();
        let among = asked.confidentiality.iter().filter(|l| p.confidentiality.contains(l)).count()
            + asked.sensitivity.iter().filter(|l| p.sensitivity.contains(l)).count();
        c = c.min(if record {
            if among > 0 {
                Coverage::Full
            } else {
                Coverage::None
            }
        } else if asked_count == 0 {
            Coverage::Partial
        } else if among == asked_count {
            Coverage::Full
        } else if among > 0 {
            Coverage::Partial
        } else {
            Coverage::None
        });
    }
    if !p.data_period.is_open() {
        c = c.min(if record {
            match asked.data_time {
                Some(t) if p.data_period.contains(t) => Coverage::Full,
                Some(_) => Coverage::None,
                // A record that says nothing of its data's time may hold data of any time.
                None => Coverage::Partial,
            }
        } else if asked.data_period.is_open() {
            Coverage::Partial
        } else if inside(&asked.data_period, &p.data_period) {
            Coverage::Full
        } else if overlaps(&asked.data_period, &p.data_period) {
            Coverage::Partial
        } else {
            Coverage::None
        });
    }
    c
}

/// Whether `a` lies within `b` (an open end of `b` bounds nothing; an open end of `a` lies within
/// `b` only where `b` is open too).
fn inside(a: &Period, b: &Period) -> bool {
    let start = match (a.start, b.start) {
        (_, None) => true,
        (None, Some(_)) => false,
        (Some(a), Some(b)) => a >= b,
    };
    let end = match (a.end, b.end) {
        (_, None) => true,
        (None, Some(_)) => false,
        (Some(a), Some(b)) => a <= b,
    };
    start && end
}

/// Whether two half-open periods share a point in time.
fn overlaps(a: &Period, b: &Period) -> bool {
    let before = |start: Option<Time>, end: Option<Time>| match (start, end) {
        (Some(s), Some(e)) => s < e,
        _ => true,
    };
    before(a.start, b.end) && before(b.start, a.end)
}

#[cfg(test)]
#[path = "evaluate_tests.rs"]
mod tests;
