//! Domain types to their protobuf form (`salus.consent.v1`), for queries, events and genesis
//! export. Reading protobuf input (what a message or a query carries) is [`crate::validate`]'s
//! job: it parses and checks in one go. Times are `google.protobuf.Timestamp`s; a timestamp read
//! from input must be normalized (nanos 0 to 999,999,999), as the protobuf spec requires.

use salus_proto::salus::consent::v1 as pb;
use salus_records::{Commitment, Confidentiality};
use salus_sdk::time::Time;
use salus_sdk::Error;

use crate::error::ConsentError;
use crate::types::{AccessGrant, Actor, AuditEvent, Coding, Consent, Obligation, Period, Provision, RoleGrant, Terms};

/// What an obligation asks (the only one there is): redact.
pub const REDACT: &str = "redact";

/// A block time as a protobuf timestamp.
pub fn timestamp(t: Time) -> prost_types::Timestamp {
    // Time keeps nanos below 10^9 (block times and parsed input are normalized), so they fit i32.
    prost_types::Timestamp { seconds: t.secs, nanos: t.nanos.min(999_999_999) as i32 }
}

/// A protobuf timestamp read from input: nanos must be 0 to 999,999,999 (a normalized
/// timestamp); `code` is the error to answer with (the message names `field`).
pub fn time_from_proto(field: &str, t: &prost_types::Timestamp, code: ConsentError) -> Result<Time, Error> {
    if !(0..1_000_000_000).contains(&t.nanos) {
        return Err(code.with(format!(
            "{field}: nanos must be 0 to 999999999 (a normalized google.protobuf.Timestamp), not {}",
            t.nanos
        )));
    }
    Ok(Time { secs: t.seconds, nanos: t.nanos as u32 })
}

fn commitments(cs: &[Commitment]) -> Vec<Vec<u8>> {
    cs.iter().map(|c| c.0.to_vec()).collect()
}

fn confidentiality(cs: &[Confidentiality]) -> Vec<String> {
    cs.iter().map(|c| c.name().to_string()).collect()
}

impl Period {
    /// Unset when both ends are open (what an unset `Period` reads back as).
    pub fn to_proto(&self) -> Option<pb::Period> {
        (!self.is_open()).then(|| pb::Period { start: self.start.map(timestamp), end: self.end.map(timestamp) })
    }
}

impl Coding {
    pub fn to_proto(&self) -> pb::Coding {
        pb::Coding { system: self.system.clone(), code: self.code.clone() }
    }
}

impl Actor {
    pub fn to_proto(&self) -> pb::Actor {
        pb::Actor {
            role: self.role.as_ref().map(Coding::to_proto),
            reference: self.reference.as_ref().map(|d| d.to_string()).unwrap_or_default(),
        }
    }
}

impl Provision {
    /// Recursive: only for provisions that passed [`crate::validate::validate_terms`] (their
    /// depth is bounded by the params).
    pub fn to_proto(&self) -> pb::Provision {
        pb::Provision {
            decision: self.decision.name().to_string(),
            period: self.period.to_proto(),
            actors: self.actors.iter().map(Actor::to_proto).collect(),
            actions: self.actions.iter().map(|a| a.name().to_string()).collect(),
            purposes: self.purposes.iter().map(|p| p.code().to_string()).collect(),
            confidentiality: confidentiality(&self.confidentiality),
            sensitivity_commitments: commitments(&self.sensitivity),
            class_commitments: commitments(&self.classes),
            code_commitments: commitments(&self.codes),
            data_period: self.data_period.to_proto(),
            records: self.records.clone(),
            provisions: self.provisions.iter().map(Provision::to_proto).collect(),
        }
    }
}

impl Terms {
    pub fn to_proto(&self) -> pb::ConsentTerms {
        pb::ConsentTerms {
            subject: self.subject.to_string(),
            status: self.status.name().to_string(),
            scope: self.scope.name().to_string(),
            decision: self.decision.name().to_string(),
            period: self.period.to_proto(),
            provisions: self.provisions.iter().map(Provision::to_proto).collect(),
        }
    }
}

impl Consent {
    pub fn to_proto(&self) -> pb::Consent {
        pb::Consent {
            id: self.id,
            version: self.version,
            grantor: self.grantor.to_string(),
            terms: Some(self.terms.to_proto()),
            time: Some(timestamp(self.time)),
            height: self.height,
        }
    }
}

impl RoleGrant {
    pub fn to_proto(&self) -> pb::RoleGrant {
        pb::RoleGrant {
            organization: self.organization.to_string(),
            member: self.member.to_string(),
            role: Some(self.role.to_proto()),
            period: self.period.to_proto(),
        }
    }
}

impl Obligation {
    pub fn to_proto(&self) -> pb::Obligation {
        pb::Obligation {
            code: REDACT.to_string(),
            confidentiality: confidentiality(&self.confidentiality),
            sensitivity_commitments: commitments(&self.sensitivity),
            class_commitments: commitments(&self.classes),
            code_commitments: commitments(&self.codes),
            consent_id: self.consent_id,
            consent_version: self.consent_version,
            provision_path: self.path.clone(),
        }
    }
}

impl AuditEvent {
    pub fn to_proto(&self) -> pb::AuditEvent {
        let (consent_id, consent_version) = self.consent.unwrap_or((0, 0));
        pb::AuditEvent {
            id: self.id,
            requester: self.requester.to_string(),
            custodian: self.custodian.to_string(),
            subject: hex::encode(self.subject),
            record: self.record,
            action: self.action.name().to_string(),
            purpose: self.purpose.code().to_string(),
            outcome: self.outcome.name().to_string(),
            consent_id,
            consent_version,
            provision_path: self.path.clone(),
            obligations: self.obligations.iter().map(Obligation::to_proto).collect(),
            time: Some(timestamp(self.time)),
            height: self.height,
        }
    }
}

impl AccessGrant {
    pub fn to_proto(&self) -> pb::AccessGrant {
        pb::AccessGrant {
            requester: self.requester.to_string(),
            record: self.record,
            action: self.action.name().to_string(),
            purpose: self.purpose.code().to_string(),
            expires: Some(timestamp(self.expires)),
            consent_id: self.consent.0,
            consent_version: self.consent.1,
            obligations: self.obligations.iter().map(Obligation::to_proto).collect(),
        }
    }
}
