//! FHIR Consent (R4 or R5) to [`Terms`]: what both versions share (the provisions' conditions).

use std::collections::BTreeSet;

use salus_did::Did;
use salus_records::{Commitment, CommitmentKey, Confidentiality};
use serde_json::Value;

use super::codes::{self, COMMITMENT_SYSTEM, CONFIDENTIALITY_SYSTEM, PARTICIPATION_TYPE_SYSTEM};
use super::json::{check_depth, coding, concept, single_coding, Obj};
use super::refs::RefMap;
use super::time::{parse_period_end, parse_period_start};
use super::{r4, r5, FhirCoding, FhirError, Result};
use crate::types::{Actor, Coding, Decision, Period, Provision, Status, Terms};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FhirVersion {
    R4,
    R5,
}

/// A consent read from FHIR: what to write on chain, who grants it, and the codings whose
/// commitments it holds (what `--vocabulary-out` writes, so that export can print them again).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Imported {
    pub version: FhirVersion,
    pub terms: Terms,
    pub grantor: Did,
    pub vocabulary: Vec<FhirCoding>,
}

/// Elements of R4 only, and of R5 only, that tell the versions apart.
const R4_ONLY: &[&str] = &["scope", "patient", "dateTime", "performer", "organization", "policy", "policyRule"];
const R5_ONLY: &[&str] = &[
    "subject",
    "date",
    "decision",
    "grantor",
    "grantee",
    "manager",
    "controller",
    "policyBasis",
    "policyText",
    "regulatoryBasis",
];

/// Reads a FHIR R4 or R5 Consent resource. R4 is told by its `scope`, `patient`, `dateTime`,
/// `policyRule` (and a single root `provision` object), R5 by `subject`, `date`, `decision`,
/// `grantor` (and a `provision` array).
pub fn import_consent(resource: &Value, refs: &RefMap, key: &CommitmentKey) -> Result<Imported> {
    check_depth(resource, "Consent")?;
    let o = Obj::of(resource, "Consent")?;
    match o.str("resourceType")? {
        Some("Consent") => {}
        Some(other) => {
            return Err(FhirError::new("Consent.resourceType", format!("is `{other}`: only a Consent can be imported")))
        }
        None => return Err(FhirError::new("Consent.resourceType", "is required (\"Consent\")")),
    }
    if let Some(id) = o.str("id")? {
        if id.len() > 64 || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.') {
            return Err(FhirError::new("Consent.id", "is not a FHIR id (1 to 64 of A-Z a-z 0-9 - .)"));
        }
    }
    let r4 = R4_ONLY.iter().find(|k| o.has(k)).or(if o.obj("provision").is_ok_and(|p| p.is_some()) {
        Some(&"provision")
    } else {
        None
    });
    let r5 = R5_ONLY.iter().find(|k| o.has(k)).or(if matches!(resource.get("provision"), Some(Value::Array(_))) {
        Some(&"provision")
    } else {
        None
    });
    let mut ctx = Ctx { refs, key, vocabulary: BTreeSet::new() };
    let (version, terms, grantor) = match (r4, r5) {
        (Some(a), Some(b)) => {
            return Err(FhirError::new(
                "Consent",
                format!("mixes FHIR R4 (`{a}`) and R5 (`{b}`) elements: write one version (R4 4.0.1 or R5 5.0.0)"),
            ))
        }
        (Some(_), None) => {
            let (t, g) = r4::import(&mut ctx, &o)?;
            (FhirVersion::R4, t, g)
        }
        (None, Some(_)) => {
            let (t, g) = r5::import(&mut ctx, &o)?;
            (FhirVersion::R5, t, g)
        }
        (None, None) => {
            return Err(FhirError::new(
                "Consent",
                "is neither FHIR R4 (patient, scope, policyRule) nor R5 (subject, decision): name the patient and the decision",
            ))
        }
    };
    Ok(Imported { version, terms, grantor, vocabulary: ctx.vocabulary.into_iter().collect() })
}

/// What an import carries along.
pub(super) struct Ctx<'a> {
    pub refs: &'a RefMap,
    pub key: &'a CommitmentKey,
    pub vocabulary: BTreeSet<FhirCoding>,
}

impl Ctx<'_> {
    /// A code's commitment: given as it is (`urn:salus:commitment`), or made under the key.
    fn commit(&mut self, path: &str, c: FhirCoding) -> Result<Commitment> {
        if c.system == COMMITMENT_SYSTEM {
            let bytes = hex::decode(&c.code).ok().filter(|b| b.len() == 32 && c.code.len() == 64);
            let bytes = bytes.ok_or_else(|| {
                FhirError::new(path, format!("a {COMMITMENT_SYSTEM} code is a commitment: 64 hex digits"))
            })?;
            let mut out = [0u8; 32];
            out.copy_from_slice(&bytes);
            return Ok(Commitment(out));
        }
        let commitment = self.key.commit(&c.system, &c.code);
        self.vocabulary.insert(c);
        Ok(commitment)
    }
}

/// The subject, status and the rest of a consent's top level, as the two versions give them.
pub(super) fn status(path: &str, code: &str) -> Result<Status> {
    match code {
        "draft" => Ok(Status::Draft),
        "active" => Ok(Status::Active),
        "inactive" => Err(FhirError::new(
            path,
            "an inactive consent never applies and the chain writes no inactive consent: import the consents that are active, then revoke one on chain (salusd tx consent revoke <id>)",
        )),
        other => Err(FhirError::new(
            path,
            format!("status `{other}` cannot be written on chain: only draft and active consents can be imported"),
        )),
    }
}

pub(super) fn period(o: &Obj) -> Result<Period> {
    o.only(&["start", "end"], &[])?;
    let start = o.str("start")?.map(|s| parse_period_start(&o.at("start"), s)).transpose()?;
    let end = o.str("end")?.map(|s| parse_period_end(&o.at("end"), s)).transpose()?;
    match (start, end) {
        (None, None) => Err(FhirError::new(&o.path, "an empty period says nothing: remove it or give start or end")),
        (Some(s), Some(e)) if e <= s => Err(FhirError::new(&o.path, "ends before it starts")),
        _ => Ok(Period { start, end }),
    }
}

pub(super) fn opt_period(o: &Obj, key: &str) -> Result<Period> {
    Ok(o.obj(key)?.map(|p| period(&p)).transpose()?.unwrap_or_default())
}

/// A category: LOINC 59284-0 (Patient Consent), or a consentscope coding (R5's scope; in R4 it
/// must agree with `scope`). Returns the scope codings found.
pub(super) fn category_scopes(c: &Obj) -> Result<Vec<(String, crate::types::Scope)>> {
    let mut scopes = vec![];
    for (i, coding) in concept(c)?.into_iter().enumerate() {
        let path = format!("{}.coding[{i}]", c.path);
        if coding.system == codes::LOINC_SYSTEM && coding.code == codes::PATIENT_CONSENT {
            continue;
        }
        if coding.system == codes::CONSENT_SCOPE_SYSTEM {
            let scope = codes::scope_code(&coding.code).ok_or_else(|| {
                FhirError::new(
                    &path,
                    format!(
                        "scope `{}` cannot be written on chain: use treatment, research or patient-privacy",
                        coding.code
                    ),
                )
            })?;
            scopes.push((path, scope));
            continue;
        }
        return Err(FhirError::new(
            path,
            format!(
                "category `{}|{}` is not kept on chain: a consent's category is LOINC {} (Patient Consent) or its scope ({}); remove it",
                coding.system,
                coding.code,
                codes::PATIENT_CONSENT,
                codes::CONSENT_SCOPE_SYSTEM
            ),
        ));
    }
    Ok(scopes)
}

/// Elements of an R4 provision and of an R5 one.
const R4_PROVISION: &[&str] = &[
    "type",
    "period",
    "actor",
    "action",
    "securityLabel",
    "purpose",
    "class",
    "code",
    "dataPeriod",
    "data",
    "provision",
];
const R5_PROVISION: &[&str] = &[
    "period",
    "actor",
    "action",
    "securityLabel",
    "purpose",
    "documentType",
    "resourceType",
    "code",
    "dataPeriod",
    "data",
    "provision",
];

/// Most nesting a provision may have here (the chain's params bound it further).
const MAX_PROVISION_DEPTH: usize = 16;

/// A nested provision (an exception to its parent): its decision is `decision`.
pub(super) fn provision(
    ctx: &mut Ctx,
    o: &Obj,
    version: FhirVersion,
    decision: Decision,
    depth: usize,
) -> Result<Provision> {
    if depth > MAX_PROVISION_DEPTH {
        return Err(FhirError::new(&o.path, format!("provisions nest deeper than {MAX_PROVISION_DEPTH} levels")));
    }
    match version {
        FhirVersion::R4 => {
            o.only(R4_PROVISION, &[])?;
            let t = o.str("type")?.ok_or_else(|| {
                FhirError::new(
                    o.at("type"),
                    format!(
                        "is required in a nested provision: it is an exception to its parent, so `{}`",
                        decision.name()
                    ),
                )
            })?;
            match codes::decision_code(t) {
                Some(d) if d == decision => {}
                Some(d) => {
                    return Err(FhirError::new(
                        o.at("type"),
                        format!(
                            "is `{}` under a `{}`: a nested provision is an exception to its parent and must be `{}` (decisions alternate level by level)",
                            d.name(),
                            d.name(),
                            decision.name()
                        ),
                    ))
                }
                None => return Err(FhirError::new(o.at("type"), "must be permit or deny")),
            }
        }
        FhirVersion::R5 => o.only(
            R5_PROVISION,
            &[
                ("expression", "a computable expression cannot be evaluated on chain: state the conditions as codes"),
                ("type", "R5 provisions have no type (each is an exception to its parent): remove it"),
            ],
        )?,
    }
    let mut p = Provision::any(decision);
    p.period = opt_period(o, "period")?;
    p.data_period = opt_period(o, "dataPeriod")?;
    for a in o.objs("actor")? {
        p.actors.push(actor(ctx, &a, version)?);
    }
    for a in o.objs("action")? {
        let c = single_coding(&a)?;
        let action = codes::action(&a.path, &c.system, &c.code)?;
        push_unique(&a.path, &mut p.actions, action)?;
    }
    for l in o.objs("securityLabel")? {
        let c = coding(&l)?;
        if c.system == CONFIDENTIALITY_SYSTEM {
            let conf = Confidentiality::parse(&c.code).ok_or_else(|| {
                FhirError::new(
                    &l.path,
                    format!("`{}` is not an HL7 v3 Confidentiality code (U, L, M, N, R, V)", c.code),
                )
            })?;
            push_unique(&l.path, &mut p.confidentiality, conf)?;
        } else {
            let commitment = ctx.commit(&l.path, c)?;
            push_unique(&l.path, &mut p.sensitivity, commitment)?;
        }
    }
    for u in o.objs("purpose")? {
        let c = coding(&u)?;
        let purpose = codes::purpose(&u.path, &c.system, &c.code)?;
        push_unique(&u.path, &mut p.purposes, purpose)?;
    }
    let class_keys: &[&str] = match version {
        FhirVersion::R4 => &["class"],
        FhirVersion::R5 => &["documentType", "resourceType"],
    };
    for key in class_keys {
        for c in o.objs(key)? {
            let coding = coding(&c)?;
            let commitment = ctx.commit(&c.path, coding)?;
            push_unique(&c.path, &mut p.classes, commitment)?;
        }
    }
    for c in o.objs("code")? {
        for (i, coding) in concept(&c)?.into_iter().enumerate() {
            let path = format!("{}.coding[{i}]", c.path);
            let commitment = ctx.commit(&path, coding)?;
            push_unique(&path, &mut p.codes, commitment)?;
        }
    }
    for d in o.objs("data")? {
        d.only(&["meaning", "reference"], &[])?;
        match d.req_str("meaning")? {
            "instance" => {}
            other => {
                return Err(FhirError::new(
                    d.at("meaning"),
                    format!(
                        "`{other}` cannot be evaluated on chain (the chain does not follow links between records): only `instance` (the record itself); list the related records one by one"
                    ),
                ))
            }
        }
        let r = d.obj("reference")?.ok_or_else(|| FhirError::new(d.at("reference"), "is required"))?;
        let id = ctx.refs.record(&r)?;
        push_unique(&d.path, &mut p.records, id)?;
    }
    // Commitments are opaque: their order says nothing, and R5 splits classes in two lists.
    p.sensitivity.sort();
    p.classes.sort();
    p.codes.sort();
    for n in o.objs("provision")? {
        p.provisions.push(provision(ctx, &n, version, decision.opposite(), depth + 1)?);
    }
    Ok(p)
}

fn push_unique<T: PartialEq>(path: &str, list: &mut Vec<T>, item: T) -> Result<()> {
    if list.contains(&item) {
        return Err(FhirError::new(path, "repeats an earlier entry of the same list: remove it"));
    }
    list.push(item);
    Ok(())
}

/// An actor: a DID, a role, or both (a role in an organization). R4 requires both elements; its
/// role IRCP/PRCP (the actor receives the data) is no role condition.
fn actor(ctx: &mut Ctx, a: &Obj, version: FhirVersion) -> Result<Actor> {
    a.only(&["role", "reference"], &[])?;
    let role = match a.obj("role")? {
        None if version == FhirVersion::R4 => {
            return Err(FhirError::new(a.at("role"), "is required in R4 (e.g. v3-ParticipationType IRCP)"))
        }
        None => None,
        Some(r) => {
            let c = single_coding(&r)?;
            if codes::is_recipient_participation(&c.system, &c.code) {
                None
            } else if c.system == PARTICIPATION_TYPE_SYSTEM {
                return Err(FhirError::new(
                    r.path,
                    format!(
                        "participation `{}` cannot be evaluated on chain: an actor is who receives the data (IRCP, PRCP) or holds a role (e.g. v3-RoleCode)",
                        c.code
                    ),
                ));
            } else {
                Some(Coding { system: c.system, code: c.code })
            }
        }
    };
    let reference = match a.obj("reference")? {
        None if version == FhirVersion::R4 => return Err(FhirError::new(a.at("reference"), "is required in R4")),
        None => None,
        Some(r) => Some(ctx.refs.did(&r)?),
    };
    if role.is_none() && reference.is_none() {
        return Err(FhirError::new(&a.path, "an actor needs a reference (who) or a role"));
    }
    Ok(Actor { role, reference })
}
