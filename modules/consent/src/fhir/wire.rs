//! What the chain's queries answer (`salus.consent.v1` Consent, AuditEvent) back to domain
//! types, for export: the same checks [`crate::validate`] makes, but a revoked (inactive) consent
//! is read as it is, and the ceilings of the params bound its size (whatever the chain's params
//! were when it was written).

use salus_proto::salus::consent::v1 as pb;
use salus_sdk::Error;

use crate::error::ConsentError;
use crate::params::Params;
use crate::proto::time_from_proto;
use crate::types::{AuditEvent, Consent, Obligation, Outcome, Status};
use crate::validate::{
    action_from_name, commitment_from_bytes, confidentiality_from_name, did_from_proto, purpose_from_code,
    terms_from_proto,
};

const BAD: ConsentError = ConsentError::InvalidRequest;

/// A consent as `Query/Consent` answers it.
pub fn consent_from_proto(c: &pb::Consent) -> Result<Consent, Error> {
    let mut terms = c.terms.clone().ok_or_else(|| BAD.with("consent: no terms in the answer"))?;
    let inactive = terms.status == Status::Inactive.name();
    if inactive {
        terms.status = Status::Active.name().to_string();
    }
    let mut terms = terms_from_proto(&terms, &Params::CEILING)?;
    if inactive {
        terms.status = Status::Inactive;
    }
    let time = c.time.as_ref().ok_or_else(|| BAD.with("consent.time: unset in the answer"))?;
    Ok(Consent {
        id: c.id,
        version: c.version,
        grantor: did_from_proto("consent.grantor", &c.grantor, BAD)?,
        terms,
        time: time_from_proto("consent.time", time, BAD)?,
        height: c.height,
    })
}

fn outcome(s: &str) -> Result<Outcome, Error> {
    [Outcome::Permit, Outcome::Deny, Outcome::NoConsent]
        .into_iter()
        .find(|o| o.name() == s)
        .ok_or_else(|| BAD.with(format!("audit event: outcome `{s}` is not permit, deny or no-consent")))
}

fn obligation(field: &str, o: &pb::Obligation) -> Result<Obligation, Error> {
    let commitments = |name: &str, list: &[Vec<u8>]| {
        list.iter()
            .enumerate()
            .map(|(i, b)| commitment_from_bytes(&format!("{field}.{name}[{i}]"), b, BAD))
            .collect::<Result<Vec<_>, _>>()
    };
    Ok(Obligation {
        confidentiality: o
            .confidentiality
            .iter()
            .enumerate()
            .map(|(i, s)| confidentiality_from_name(&format!("{field}.confidentiality[{i}]"), s, BAD))
            .collect::<Result<_, _>>()?,
        sensitivity: commitments("sensitivity_commitments", &o.sensitivity_commitments)?,
        classes: commitments("class_commitments", &o.class_commitments)?,
        codes: commitments("code_commitments", &o.code_commitments)?,
        consent_id: o.consent_id,
        consent_version: o.consent_version,
        path: o.provision_path.clone(),
    })
}

/// An audit event as `Query/AuditBySubject` answers it.
pub fn audit_event_from_proto(e: &pb::AuditEvent) -> Result<AuditEvent, Error> {
    let field = format!("audit event {}", e.id);
    let subject: [u8; 16] = hex::decode(&e.subject)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| BAD.with(format!("{field}: subject is not a 16-byte hex pseudonym")))?;
    let time = e.time.as_ref().ok_or_else(|| BAD.with(format!("{field}: time unset")))?;
    Ok(AuditEvent {
        id: e.id,
        requester: did_from_proto(&format!("{field}.requester"), &e.requester, BAD)?,
        custodian: did_from_proto(&format!("{field}.custodian"), &e.custodian, BAD)?,
        subject,
        record: e.record,
        action: action_from_name(&format!("{field}.action"), &e.action, BAD)?,
        purpose: purpose_from_code(&format!("{field}.purpose"), &e.purpose, BAD)?,
        outcome: outcome(&e.outcome)?,
        consent: (e.consent_id != 0).then_some((e.consent_id, e.consent_version)),
        path: e.provision_path.clone(),
        obligations: e
            .obligations
            .iter()
            .enumerate()
            .map(|(i, o)| obligation(&format!("{field}.obligations[{i}]"), o))
            .collect::<Result<_, _>>()?,
        time: time_from_proto(&format!("{field}.time"), time, BAD)?,
        height: e.height,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fhir::tests::on_chain;
    use crate::types::{Action, Confidentiality, Purpose};

    #[test]
    fn consents_and_audit_events_read_back_from_what_queries_answer() {
        let mut c = on_chain("restricted-labels-r5.json", 3);
        assert_eq!(consent_from_proto(&c.to_proto()).unwrap(), c);
        c.terms.status = Status::Inactive;
        assert_eq!(consent_from_proto(&c.to_proto()).unwrap(), c);
        let e = AuditEvent {
            id: 9,
            requester: c.grantor.clone(),
            custodian: c.terms.subject.clone(),
            subject: crate::audit::pseudonym(&c.terms.subject),
            record: 42,
            action: Action::Compute,
            purpose: Purpose::parse("ai-inference").unwrap(),
            outcome: Outcome::Permit,
            consent: Some((3, 1)),
            path: vec![0, 0],
            obligations: vec![Obligation {
                confidentiality: vec![Confidentiality::R],
                sensitivity: c.terms.provisions[0].sensitivity.clone(),
                classes: vec![],
                codes: c.terms.provisions[0].codes.clone(),
                consent_id: 3,
                consent_version: 1,
                path: vec![0],
            }],
            time: c.time,
            height: 4,
        };
        assert_eq!(audit_event_from_proto(&e.to_proto()).unwrap(), e);
        let none = AuditEvent { outcome: Outcome::NoConsent, consent: None, path: vec![], obligations: vec![], ..e };
        assert_eq!(audit_event_from_proto(&none.to_proto()).unwrap(), none);
    }
}
