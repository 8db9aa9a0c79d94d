//! A consent as the chain keeps it, shaped like HL7 FHIR Consent R5 (docs/consent.md): a base
//! decision and nested provisions, each an exception to its parent. Codes that could reveal a
//! condition are [`Commitment`]s; the vocabularies kept in clear are closed lists.

use borsh::{BorshDeserialize, BorshSerialize};
use salus_did::Did;
use salus_records::Commitment;
pub use salus_records::Confidentiality;
use salus_sdk::time::Time;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, BorshSerialize, BorshDeserialize)]
pub enum Decision {
    Deny,
    Permit,
}

impl Decision {
    pub const ALL: [Decision; 2] = [Decision::Deny, Decision::Permit];

    pub fn name(self) -> &'static str {
        match self {
            Decision::Deny => "deny",
            Decision::Permit => "permit",
        }
    }

    pub fn opposite(self) -> Decision {
        match self {
            Decision::Deny => Decision::Permit,
            Decision::Permit => Decision::Deny,
        }
    }
}

/// FHIR R5 Consent.status, as far as a consent on chain can be: a grantor writes `draft` or
/// `active`; a revocation makes it `inactive`, for good.
#[derive(Clone, Copy, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub enum Status {
    Draft,
    Active,
    Inactive,
}

impl Status {
    pub const ALL: [Status; 3] = [Status::Draft, Status::Active, Status::Inactive];

    pub fn name(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Active => "active",
            Status::Inactive => "inactive",
        }
    }
}

/// FHIR R4 Consent.scope (R5: a category of http://terminology.hl7.org/CodeSystem/consentscope).
#[derive(Clone, Copy, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub enum Scope {
    Treatment,
    Research,
    PatientPrivacy,
}

impl Scope {
    pub const ALL: [Scope; 3] = [Scope::Treatment, Scope::Research, Scope::PatientPrivacy];

    pub fn name(self) -> &'static str {
        match self {
            Scope::Treatment => "treatment",
            Scope::Research => "research",
            Scope::PatientPrivacy => "patient-privacy",
        }
    }
}

/// http://terminology.hl7.org/CodeSystem/consentaction, and `compute` (running a model over the
/// data without disclosing it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, BorshSerialize, BorshDeserialize)]
pub enum Action {
    Access,
    Collect,
    Use,
    Disclose,
    Correct,
    Compute,
}

impl Action {
    pub const ALL: [Action; 6] =
        [Action::Access, Action::Collect, Action::Use, Action::Disclose, Action::Correct, Action::Compute];

    pub fn name(self) -> &'static str {
        match self {
            Action::Access => "access",
            Action::Collect => "collect",
            Action::Use => "use",
            Action::Disclose => "disclose",
            Action::Correct => "correct",
            Action::Compute => "compute",
        }
    }
}

/// A purpose of use: an HL7 v3 PurposeOfUse code (http://terminology.hl7.org/CodeSystem/v3-ActReason)
/// or one of Salus' AI purposes. A closed list, so nothing else can be written in its place.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, BorshSerialize, BorshDeserialize)]
pub struct Purpose(pub u8);

/// The HL7 v3 PurposeOfUse codes Salus knows, then its own.
pub const HL7_PURPOSES: &[&str] = &[
    "PurposeOfUse",
    "HMARKT",
    "HOPERAT",
    "CAREMGT",
    "DONAT",
    "FRAUD",
    "GOV",
    "HACCRED",
    "HCOMPL",
    "HDECD",
    "HDIRECT",
    "HDM",
    "HLEGAL",
    "HOUTCOMS",
    "HPRGRP",
    "HQUALIMP",
    "HSYSADMIN",
    "LABELING",
    "METAMGT",
    "MEMADMIN",
    "MILCDM",
    "PATADMIN",
    "PATSFTY",
    "PERFMSR",
    "RECORDMGT",
    "SYSDEV",
    "HTEST",
    "TRAIN",
    "HPAYMT",
    "CLMATTCH",
    "COVAUTH",
    "COVERAGE",
    "ELIGDTRM",
    "ELIGVER",
    "ENROLLM",
    "MILDCRG",
    "REMITADV",
    "HRESCH",
    "BIORCH",
    "CLINTRCH",
    "CLINTRCHNPC",
    "CLINTRCHPC",
    "PRECLINTRCH",
    "DSRCH",
    "POARCH",
    "TRANSRCH",
    "PATRQT",
    "FAMRQT",
    "PWATRNY",
    "SUPNWK",
    "PUBHLTH",
    "DISASTER",
    "THREAT",
    "TREAT",
    "CLINTRL",
    "COC",
    "ETREAT",
    "BTG",
    "ERTREAT",
    "POPHLTH",
];

/// Salus' purposes for AI services, system https://salus.health/fhir/CodeSystem/purpose-of-use.
pub const SALUS_PURPOSES: &[&str] = &["ai-training", "ai-inference"];

impl Purpose {
    pub fn parse(code: &str) -> Option<Purpose> {
        HL7_PURPOSES.iter().chain(SALUS_PURPOSES).position(|c| *c == code).map(|i| Purpose(i as u8))
    }

    pub fn code(self) -> &'static str {
        HL7_PURPOSES.iter().chain(SALUS_PURPOSES).nth(self.0 as usize).copied().unwrap_or("")
    }

    /// Whether it is one of Salus' own (not HL7's).
    pub fn is_salus(self) -> bool {
        self.0 as usize >= HL7_PURPOSES.len()
    }

    /// HIPAA 45 CFR 164.528(a)(1)(i): disclosures to carry out treatment, payment and health care
    /// operations need no accounting.
    pub fn is_tpo(self) -> bool {
        matches!(
            self.code(),
            "TREAT"
                | "ETREAT"
                | "BTG"
                | "ERTREAT"
                | "CLINTRL"
                | "COC"
                | "POPHLTH"
                | "HPAYMT"
                | "CLMATTCH"
                | "COVAUTH"
                | "COVERAGE"
                | "ELIGDTRM"
                | "ELIGVER"
                | "ENROLLM"
                | "MILDCRG"
                | "REMITADV"
                | "HOPERAT"
                | "CAREMGT"
                | "DONAT"
                | "FRAUD"
                | "GOV"
                | "HACCRED"
                | "HCOMPL"
                | "HDECD"
                | "HDIRECT"
                | "HDM"
                | "HLEGAL"
                | "HOUTCOMS"
                | "HPRGRP"
                | "HQUALIMP"
                | "HSYSADMIN"
                | "LABELING"
                | "METAMGT"
                | "MEMADMIN"
                | "MILCDM"
                | "PATADMIN"
                | "PATSFTY"
                | "PERFMSR"
                | "RECORDMGT"
                | "SYSDEV"
                | "HTEST"
                | "TRAIN"
        )
    }
}

/// A coded role (FHIR Coding without display): e.g.
/// http://terminology.hl7.org/CodeSystem/v3-RoleCode|PROV, or a Salus role such as an AI model's.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, BorshSerialize, BorshDeserialize)]
pub struct Coding {
    pub system: String,
    pub code: String,
}

/// Either end open; start inclusive, end exclusive.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Period {
    pub start: Option<Time>,
    pub end: Option<Time>,
}

impl Period {
    pub fn contains(&self, t: Time) -> bool {
        self.start.is_none_or(|s| s <= t) && self.end.is_none_or(|e| t < e)
    }

    pub fn is_open(&self) -> bool {
        self.start.is_none() && self.end.is_none()
    }
}

/// Who a provision is about. At least one of the two is set.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Actor {
    pub role: Option<Coding>,
    pub reference: Option<Did>,
}

/// A rule: when every condition it sets matches (an empty list matches anything), `decision`
/// applies, unless a nested provision (an exception) matches too.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Provision {
    pub decision: Decision,
    pub period: Period,
    pub actors: Vec<Actor>,
    pub actions: Vec<Action>,
    pub purposes: Vec<Purpose>,
    pub confidentiality: Vec<Confidentiality>,
    pub sensitivity: Vec<Commitment>,
    pub classes: Vec<Commitment>,
    pub codes: Vec<Commitment>,
    pub data_period: Period,
    pub records: Vec<u64>,
    pub provisions: Vec<Provision>,
}

impl Provision {
    /// A provision that matches everything.
    pub fn any(decision: Decision) -> Provision {
        Provision {
            decision,
            period: Period::default(),
            actors: vec![],
            actions: vec![],
            purposes: vec![],
            confidentiality: vec![],
            sensitivity: vec![],
            classes: vec![],
            codes: vec![],
            data_period: Period::default(),
            records: vec![],
            provisions: vec![],
        }
    }

    /// This provision and every one nested in it.
    pub fn count(&self) -> usize {
        1 + self.provisions.iter().map(Provision::count).sum::<usize>()
    }

    /// 1 for a provision without nested ones.
    pub fn depth(&self) -> usize {
        1 + self.provisions.iter().map(Provision::depth).max().unwrap_or(0)
    }

    pub fn has_data_conditions(&self) -> bool {
        !(self.confidentiality.is_empty()
            && self.sensitivity.is_empty()
            && self.classes.is_empty()
            && self.codes.is_empty()
            && self.records.is_empty()
            && self.data_period.is_open())
    }
}

/// What a grantor writes.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Terms {
    pub subject: Did,
    pub status: Status,
    pub scope: Scope,
    /// The base decision: permit (opt-in) or deny (opt-out).
    pub decision: Decision,
    /// When the consent applies at all.
    pub period: Period,
    pub provisions: Vec<Provision>,
}

/// One version of a consent.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Consent {
    pub id: u64,
    pub version: u64,
    pub grantor: Did,
    pub terms: Terms,
    pub time: Time,
    pub height: u64,
}

/// A role an organization gives a member.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct RoleGrant {
    pub organization: Did,
    pub member: Did,
    pub role: Coding,
    pub period: Period,
}

/// Where in a consent a decision came from: child indexes from the top level; empty is the
/// base decision.
pub type ProvisionPath = Vec<u32>;

/// What a permit obliges the requester to do with the data: redact what bears these labels or
/// classes (a nested deny covered part of what was asked).
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Obligation {
    pub confidentiality: Vec<Confidentiality>,
    pub sensitivity: Vec<Commitment>,
    pub classes: Vec<Commitment>,
    pub codes: Vec<Commitment>,
    pub consent_id: u64,
    pub consent_version: u64,
    pub path: ProvisionPath,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub enum Outcome {
    Permit,
    Deny,
    NoConsent,
}

impl Outcome {
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Permit => "permit",
            Outcome::Deny => "deny",
            Outcome::NoConsent => "no-consent",
        }
    }
}

/// One decision on the audit log. `subject` is the subject's pseudonym ([`crate::audit::pseudonym`]),
/// never its DID.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct AuditEvent {
    pub id: u64,
    pub requester: Did,
    pub custodian: Did,
    pub subject: [u8; 16],
    pub record: u64,
    pub action: Action,
    pub purpose: Purpose,
    pub outcome: Outcome,
    /// The consent and provision that decided (none for no-consent).
    pub consent: Option<(u64, u64)>,
    pub path: ProvisionPath,
    pub obligations: Vec<Obligation>,
    pub time: Time,
    pub height: u64,
}

/// A live access grant: what a permit lets the requester do with a record, until `expires`.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct AccessGrant {
    pub requester: Did,
    pub record: u64,
    pub action: Action,
    pub purpose: Purpose,
    pub expires: Time,
    pub consent: (u64, u64),
    pub obligations: Vec<Obligation>,
}
