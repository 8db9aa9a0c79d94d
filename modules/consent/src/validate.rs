//! Reading and checking a consent's terms (docs/consent.md). Protobuf input is parsed and checked
//! in one walk ([`terms_from_proto`]); terms that arrive as domain types (genesis, FHIR import)
//! are checked by [`validate_terms`], the same rules on the same field paths.
//!
//! The rules:
//! - `subject` is a did:salus DID; `status` is "draft" or "active" on input (a consent becomes
//!   "inactive" only by MsgRevokeConsent); `scope` is treatment, research or patient-privacy;
//!   `decision` is permit or deny; a period's start comes before its end when both are set.
//! - Provisions, all levels together, number at most `max_provisions`; they nest at most
//!   `max_depth` deep (top-level provisions are 1 deep); every list (provisions, actors, actions,
//!   purposes, labels, classes, codes, records) has at most `max_list_len` entries
//!   ([`ConsentError::TooLarge`]), and all lists but provisions hold at most
//!   [`Params::MAX_ENTRIES`] entries together. The walk checks depth before it descends, so a hostile message
//!   nested thousands deep is refused at `max_depth + 1`, never overflowing the stack.
//! - A provision is an exception to its parent: its decision is the opposite of its parent's
//!   (of the base decision for top-level ones).
//! - An actor has a role, a reference (a DID), or both. A role is a coding whose system and code
//!   are 1 to 128 printable ASCII characters without whitespace: no free text (no names).
//! - Actions, purposes (HL7 v3 PurposeOfUse, ai-training, ai-inference) and confidentiality
//!   codes (U, L, M, N, R, V) come from closed lists; sensitivity labels, classes and codes are
//!   32-byte commitments; record ids are non-zero; no list holds an entry twice.

use salus_did::Did;
use salus_proto::salus::consent::v1 as pb;
use salus_records::{Commitment, Confidentiality};
use salus_sdk::time::Time;
use salus_sdk::Error;

use crate::error::ConsentError;
use crate::params::Params;
use crate::proto;
use crate::types::{Action, Actor, Coding, Decision, Period, Provision, Purpose, RoleGrant, Scope, Status, Terms};

/// Longest role system or code, in bytes.
pub const MAX_CODING_BYTES: usize = 128;

const INVALID: ConsentError = ConsentError::InvalidConsent;

/// A value from input, quoted for an error message: escaped, and cut short.
fn shown(s: &str) -> String {
    const MAX: usize = 40;
    if s.chars().count() <= MAX {
        format!("{s:?}")
    } else {
        let cut: String = s.chars().take(MAX).collect();
        format!("{cut:?}...")
    }
}

fn names<T: Copy>(all: &[T], name: impl Fn(T) -> &'static str) -> String {
    all.iter().map(|v| name(*v)).collect::<Vec<_>>().join(", ")
}

pub fn parse_decision(s: &str) -> Option<Decision> {
    Decision::ALL.into_iter().find(|d| d.name() == s)
}

pub fn parse_status(s: &str) -> Option<Status> {
    Status::ALL.into_iter().find(|d| d.name() == s)
}

pub fn parse_scope(s: &str) -> Option<Scope> {
    Scope::ALL.into_iter().find(|d| d.name() == s)
}

pub fn parse_action(s: &str) -> Option<Action> {
    Action::ALL.into_iter().find(|d| d.name() == s)
}

/// A DID from input; a malformed one is `code` (the DID module's message, naming `field`).
pub fn did_from_proto(field: &str, s: &str, code: ConsentError) -> Result<Did, Error> {
    Did::parse(field, s).map_err(|e| code.with(e.message))
}

pub fn decision_from_name(field: &str, s: &str, code: ConsentError) -> Result<Decision, Error> {
    parse_decision(s).ok_or_else(|| code.with(format!("{field}: {} is not a decision: write permit or deny", shown(s))))
}

pub fn action_from_name(field: &str, s: &str, code: ConsentError) -> Result<Action, Error> {
    parse_action(s).ok_or_else(|| {
        code.with(format!("{field}: {} is not an action: one of {}", shown(s), names(&Action::ALL, Action::name)))
    })
}

pub fn purpose_from_code(field: &str, s: &str, code: ConsentError) -> Result<Purpose, Error> {
    Purpose::parse(s).ok_or_else(|| {
        code.with(format!(
            "{field}: {} is not an HL7 v3 PurposeOfUse code or ai-training/ai-inference (e.g. TREAT, ETREAT, HPAYMT, HOPERAT, HRESCH, PUBHLTH)",
            shown(s)
        ))
    })
}

pub fn confidentiality_from_name(field: &str, s: &str, code: ConsentError) -> Result<Confidentiality, Error> {
    Confidentiality::parse(s).ok_or_else(|| {
        code.with(format!(
            "{field}: {} is not an HL7 v3 Confidentiality code: one of {}",
            shown(s),
            names(&Confidentiality::ALL, Confidentiality::name)
        ))
    })
}

pub fn commitment_from_bytes(field: &str, bytes: &[u8], code: ConsentError) -> Result<Commitment, Error> {
    Commitment::from_bytes(field, bytes).map_err(|e| code.with(e.message))
}

/// A role coding's system and code: 1 to 128 printable ASCII characters, no whitespace.
pub fn check_coding(field: &str, c: &Coding, code: ConsentError) -> Result<(), Error> {
    for (part, value, example) in
        [("system", &c.system, "http://terminology.hl7.org/CodeSystem/v3-RoleCode"), ("code", &c.code, "PROV")]
    {
        let ok = !value.is_empty() && value.len() <= MAX_CODING_BYTES && value.bytes().all(|b| b.is_ascii_graphic());
        if !ok {
            return Err(code.with(format!(
                "{field}.{part}: a role's {part} is 1 to {MAX_CODING_BYTES} printable ASCII characters without spaces (e.g. {example}): no free text"
            )));
        }
    }
    Ok(())
}

/// A period whose start, when both ends are set, comes before its end.
pub fn check_period(field: &str, p: &Period, code: ConsentError) -> Result<(), Error> {
    if let (Some(start), Some(end)) = (p.start, p.end) {
        if start >= end {
            return Err(code.with(format!(
                "{field}: start {} must come before end {} (start inclusive, end exclusive; leave an end unset for an open period)",
                start.rfc3339(),
                end.rfc3339()
            )));
        }
    }
    Ok(())
}

/// A time a request asks about (Query/Decide): errors are [`ConsentError::InvalidRequest`].
pub fn time_from_proto(field: &str, t: &prost_types::Timestamp) -> Result<Time, Error> {
    proto::time_from_proto(field, t, ConsentError::InvalidRequest)
}

fn coding_with(field: &str, c: &pb::Coding, code: ConsentError) -> Result<Coding, Error> {
    let coding = Coding { system: c.system.clone(), code: c.code.clone() };
    check_coding(field, &coding, code)?;
    Ok(coding)
}

/// A period from input (unset: open at both ends), checked; `code` is the error to answer with.
pub fn period_with(field: &str, p: Option<&pb::Period>, code: ConsentError) -> Result<Period, Error> {
    let Some(p) = p else { return Ok(Period::default()) };
    let time = |end: &str, t: &Option<prost_types::Timestamp>| {
        t.as_ref().map(|t| proto::time_from_proto(&format!("{field}.{end}"), t, code)).transpose()
    };
    let period = Period { start: time("start", &p.start)?, end: time("end", &p.end)? };
    check_period(field, &period, code)?;
    Ok(period)
}

/// A role (MsgGrantRole, MsgRevokeRole): errors are [`ConsentError::InvalidRole`].
pub fn coding_from_proto(field: &str, c: &pb::Coding) -> Result<Coding, Error> {
    coding_with(field, c, ConsentError::InvalidRole)
}

/// A role grant's period (MsgGrantRole): errors are [`ConsentError::InvalidRole`]. Other inputs
/// use [`period_with`] and their own code.
pub fn period_from_proto(field: &str, p: Option<&pb::Period>) -> Result<Period, Error> {
    period_with(field, p, ConsentError::InvalidRole)
}

/// A role grant (genesis in protobuf form): errors are [`ConsentError::InvalidRole`].
pub fn role_grant_from_proto(field: &str, g: &pb::RoleGrant) -> Result<RoleGrant, Error> {
    let code = ConsentError::InvalidRole;
    let role = g.role.as_ref().ok_or_else(|| code.with(format!("{field}.role: a role grant needs a role")))?;
    Ok(RoleGrant {
        organization: did_from_proto(&format!("{field}.organization"), &g.organization, code)?,
        member: did_from_proto(&format!("{field}.member"), &g.member, code)?,
        role: coding_with(&format!("{field}.role"), role, code)?,
        period: period_with(&format!("{field}.period"), g.period.as_ref(), code)?,
    })
}

/// Parses and checks a consent's terms as a grantor writes them (MsgCreateConsent,
/// MsgUpdateConsent): every rule of the module doc, and `status` is draft or active.
pub fn terms_from_proto(p: &pb::ConsentTerms, params: &Params) -> Result<Terms, Error> {
    let subject = did_from_proto("terms.subject", &p.subject, INVALID)?;
    let status = match parse_status(&p.status) {
        Some(s @ (Status::Draft | Status::Active)) => s,
        Some(Status::Inactive) => return Err(INVALID.with(
            "terms.status: a consent becomes inactive only by revoking it (MsgRevokeConsent); write draft or active",
        )),
        None => {
            return Err(
                INVALID.with(format!("terms.status: {} is not a status: write draft or active", shown(&p.status)))
            )
        }
    };
    let scope = parse_scope(&p.scope).ok_or_else(|| {
        INVALID.with(format!(
            "terms.scope: {} is not a scope: one of {}",
            shown(&p.scope),
            names(&Scope::ALL, Scope::name)
        ))
    })?;
    let decision = decision_from_name("terms.decision", &p.decision, INVALID)?;
    let period = period_with("terms.period", p.period.as_ref(), INVALID)?;
    let mut walk = Walk::new(params);
    let provisions = walk.parse("terms.provisions", &p.provisions, decision, 1)?;
    Ok(Terms { subject, status, scope, decision, period, provisions })
}

/// Checks terms that arrive as domain types (genesis, FHIR import): every rule of the module doc
/// but the status one (genesis keeps revoked, inactive versions; FHIR import refuses them itself).
pub fn validate_terms(terms: &Terms, params: &Params) -> Result<(), Error> {
    check_period("terms.period", &terms.period, INVALID)?;
    Walk::new(params).check("terms.provisions", &terms.provisions, terms.decision, 1)
}

/// The bounds of one walk over a provision tree and what it has counted so far.
struct Walk {
    max_provisions: usize,
    max_depth: usize,
    max_list_len: usize,
    count: usize,
    entries: usize,
}

impl Walk {
    fn new(params: &Params) -> Walk {
        // Params are validated against their ceilings; clamp anyway, so the recursion stays
        // bounded whatever the params say.
        let ceiling = Params::CEILING;
        Walk {
            max_provisions: params.max_provisions.min(ceiling.max_provisions) as usize,
            max_depth: params.max_depth.min(ceiling.max_depth) as usize,
            max_list_len: params.max_list_len.min(ceiling.max_list_len) as usize,
            count: 0,
            entries: 0,
        }
    }

    fn list_len(&self, field: &str, len: usize) -> Result<(), Error> {
        if len > self.max_list_len {
            return Err(ConsentError::TooLarge.with(format!(
                "{field}: {len} entries, at most {} (max_list_len): split the consent",
                self.max_list_len
            )));
        }
        Ok(())
    }

    /// Before descending into a list of provisions `depth` deep: the depth bound, the list's
    /// length, and the running count of provisions with the whole list.
    fn enter(&mut self, field: &str, len: usize, depth: usize) -> Result<(), Error> {
        if len == 0 {
            return Ok(());
        }
        if depth > self.max_depth {
            return Err(ConsentError::TooLarge.with(format!(
                "{field}: provisions nest at most {} deep (max_depth), these would be {depth} deep",
                self.max_depth
            )));
        }
        self.list_len(field, len)?;
        self.count = self.count.saturating_add(len);
        if self.count > self.max_provisions {
            return Err(ConsentError::TooLarge.with(format!(
                "{field}: more than {} provisions in all levels together (max_provisions): split the consent",
                self.max_provisions
            )));
        }
        Ok(())
    }

    /// A provision's condition entries, added to the consent's.
    fn add_entries(&mut self, field: &str, p: &Provision) -> Result<(), Error> {
        let own = p.actors.len()
            + p.actions.len()
            + p.purposes.len()
            + p.confidentiality.len()
            + p.sensitivity.len()
            + p.classes.len()
            + p.codes.len()
            + p.records.len();
        self.entries = self.entries.saturating_add(own);
        if self.entries > Params::MAX_ENTRIES as usize {
            return Err(ConsentError::TooLarge.with(format!(
                "{field}: more than {} entries in all the consent's lists together: split the consent",
                Params::MAX_ENTRIES
            )));
        }
        Ok(())
    }

    fn parse(
        &mut self,
        field: &str,
        list: &[pb::Provision],
        parent: Decision,
        depth: usize,
    ) -> Result<Vec<Provision>, Error> {
        self.enter(field, list.len(), depth)?;
        let mut out = Vec::with_capacity(list.len());
        for (i, p) in list.iter().enumerate() {
            let field = format!("{field}[{i}]");
            let mut provision = self.provision_own(&field, p)?;
            self.check_own(&field, &provision, parent)?;
            self.add_entries(&field, &provision)?;
            provision.provisions =
                self.parse(&format!("{field}.provisions"), &p.provisions, provision.decision, depth + 1)?;
            out.push(provision);
        }
        Ok(out)
    }

    /// A provision's own fields (its nested provisions are left empty), lists bounded before
    /// they are read.
    fn provision_own(&self, field: &str, p: &pb::Provision) -> Result<Provision, Error> {
        let decision = decision_from_name(&format!("{field}.decision"), &p.decision, INVALID)?;
        let period = period_with(&format!("{field}.period"), p.period.as_ref(), INVALID)?;
        let data_period = period_with(&format!("{field}.data_period"), p.data_period.as_ref(), INVALID)?;
        let actors = self.list(field, "actors", &p.actors, |f, a| {
            let role = a.role.as_ref().map(|r| coding_with(&format!("{f}.role"), r, INVALID)).transpose()?;
            let reference = (!a.reference.is_empty())
                .then(|| did_from_proto(&format!("{f}.reference"), &a.reference, INVALID))
                .transpose()?;
            Ok(Actor { role, reference })
        })?;
        let actions = self.list(field, "actions", &p.actions, |f, s| action_from_name(f, s, INVALID))?;
        let purposes = self.list(field, "purposes", &p.purposes, |f, s| purpose_from_code(f, s, INVALID))?;
        let confidentiality =
            self.list(field, "confidentiality", &p.confidentiality, |f, s| confidentiality_from_name(f, s, INVALID))?;
        let commit = |f: &str, b: &Vec<u8>| commitment_from_bytes(f, b, INVALID);
        let sensitivity = self.list(field, "sensitivity_commitments", &p.sensitivity_commitments, commit)?;
        let classes = self.list(field, "class_commitments", &p.class_commitments, commit)?;
        let codes = self.list(field, "code_commitments", &p.code_commitments, commit)?;
        self.list_len(&format!("{field}.records"), p.records.len())?;
        Ok(Provision {
            decision,
            period,
            actors,
            actions,
            purposes,
            confidentiality,
            sensitivity,
            classes,
            codes,
            data_period,
            records: p.records.clone(),
            provisions: vec![],
        })
    }

    fn list<T, U>(
        &self,
        field: &str,
        name: &str,
        items: &[T],
        parse: impl Fn(&str, &T) -> Result<U, Error>,
    ) -> Result<Vec<U>, Error> {
        let field = format!("{field}.{name}");
        self.list_len(&field, items.len())?;
        items.iter().enumerate().map(|(i, item)| parse(&format!("{field}[{i}]"), item)).collect()
    }

    fn check(&mut self, field: &str, list: &[Provision], parent: Decision, depth: usize) -> Result<(), Error> {
        self.enter(field, list.len(), depth)?;
        for (i, p) in list.iter().enumerate() {
            let field = format!("{field}[{i}]");
            self.check_own(&field, p, parent)?;
            self.add_entries(&field, p)?;
            self.check(&format!("{field}.provisions"), &p.provisions, p.decision, depth + 1)?;
        }
        Ok(())
    }

    /// The rules on a provision's own fields (not on its nested provisions).
    fn check_own(&self, field: &str, p: &Provision, parent: Decision) -> Result<(), Error> {
        if p.decision != parent.opposite() {
            return Err(INVALID.with(format!(
                "{field}.decision: {} under {}: a provision is an exception to its parent (the base decision for top-level provisions), so it must be {}",
                p.decision.name(),
                parent.name(),
                parent.opposite().name()
            )));
        }
        check_period(&format!("{field}.period"), &p.period, INVALID)?;
        check_period(&format!("{field}.data_period"), &p.data_period, INVALID)?;
        let lists: [(&str, usize); 8] = [
            ("actors", p.actors.len()),
            ("actions", p.actions.len()),
            ("purposes", p.purposes.len()),
            ("confidentiality", p.confidentiality.len()),
            ("sensitivity_commitments", p.sensitivity.len()),
            ("class_commitments", p.classes.len()),
            ("code_commitments", p.codes.len()),
            ("records", p.records.len()),
        ];
        for (name, len) in lists {
            self.list_len(&format!("{field}.{name}"), len)?;
        }
        for (i, a) in p.actors.iter().enumerate() {
            let f = format!("{field}.actors[{i}]");
            match (&a.role, &a.reference) {
                (None, None) => {
                    return Err(INVALID.with(format!(
                        "{f}: an actor needs a role, a reference (a DID), or both (a role in an organization)"
                    )))
                }
                (Some(role), _) => check_coding(&format!("{f}.role"), role, INVALID)?,
                (None, Some(_)) => {}
            }
        }
        if let Some(i) = p.records.iter().position(|r| *r == 0) {
            return Err(INVALID.with(format!("{field}.records[{i}]: record ids start at 1")));
        }
        no_duplicates(
            &format!("{field}.actors"),
            &p.actors.iter().map(|a| (&a.role, &a.reference)).collect::<Vec<_>>(),
        )?;
        no_duplicates(&format!("{field}.actions"), &p.actions)?;
        no_duplicates(&format!("{field}.purposes"), &p.purposes)?;
        no_duplicates(&format!("{field}.confidentiality"), &p.confidentiality)?;
        no_duplicates(&format!("{field}.sensitivity_commitments"), &p.sensitivity)?;
        no_duplicates(&format!("{field}.class_commitments"), &p.classes)?;
        no_duplicates(&format!("{field}.code_commitments"), &p.codes)?;
        no_duplicates(&format!("{field}.records"), &p.records)?;
        Ok(())
    }
}

/// Refuses a list that holds an entry twice, naming the first entry that repeats an earlier one.
/// Sorts (n log n): lists reach `max_list_len` entries.
fn no_duplicates<T: Ord>(field: &str, items: &[T]) -> Result<(), Error> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|a, b| items[*a].cmp(&items[*b]).then(a.cmp(b)));
    let repeat =
        order.windows(2).filter(|w| items[w[0]] == items[w[1]]).map(|w| (w[1], w[0])).min_by_key(|(later, _)| *later);
    if let Some((later, earlier)) = repeat {
        return Err(INVALID.with(format!("{field}[{later}]: the same as {field}[{earlier}]: list each entry once")));
    }
    Ok(())
}

#[cfg(test)]
#[path = "validate_tests.rs"]
mod tests;
