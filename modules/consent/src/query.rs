//! Read-only queries (`/salus.consent.v1.Query/...`), served by ABCI query and gRPC alike. Every
//! list comes in pages; a decision reads what an access would (bounded by the params).

use prost::Message;
use salus_did::Did;
use salus_proto::salus::consent::v1 as pb;
use salus_records::{Commitment, RecordRead};
use salus_sdk::module::decode_request as decode;
use salus_sdk::pagination::Page;
use salus_sdk::time::stored_block_time;
use salus_sdk::{Error, SdkCode, StateRead};

use crate::audit::{pseudonym, window_start};
use crate::error::ConsentError;
use crate::evaluate::{decide, Asked, Request};
use crate::handler::{asked_record, decide_access, held_roles};
use crate::keys;
use crate::msgs::{parse_action, parse_purpose};
use crate::state::ConsentRead;
use crate::types::{Confidentiality, Outcome, RoleGrant};
use crate::validate::{coding_from_proto, period_from_proto, period_with, time_from_proto};

pub const CONSENT_PATH: &str = "/salus.consent.v1.Query/Consent";
pub const HISTORY_PATH: &str = "/salus.consent.v1.Query/History";
pub const BY_SUBJECT_PATH: &str = "/salus.consent.v1.Query/ConsentsBySubject";
pub const DECIDE_PATH: &str = "/salus.consent.v1.Query/Decide";
pub const AUDIT_BY_SUBJECT_PATH: &str = "/salus.consent.v1.Query/AuditBySubject";
pub const AUDIT_BY_REQUESTER_PATH: &str = "/salus.consent.v1.Query/AuditByRequester";
pub const DISCLOSURES_PATH: &str = "/salus.consent.v1.Query/Disclosures";
pub const ACCESS_GRANT_PATH: &str = "/salus.consent.v1.Query/AccessGrant";
pub const ROLES_PATH: &str = "/salus.consent.v1.Query/Roles";
pub const PARAMS_PATH: &str = "/salus.consent.v1.Query/Params";

pub fn handle(state: &impl StateRead, path: &str, request: &[u8]) -> Option<Result<Vec<u8>, Error>> {
    let result = match path {
        CONSENT_PATH => decode(request).and_then(|r| consent(state, r)).map(|r| r.encode_to_vec()),
        HISTORY_PATH => decode(request).and_then(|r| history(state, r)).map(|r| r.encode_to_vec()),
        BY_SUBJECT_PATH => decode(request).and_then(|r| by_subject(state, r)).map(|r| r.encode_to_vec()),
        DECIDE_PATH => decode(request).and_then(|r| decide_query(state, r)).map(|r| r.encode_to_vec()),
        AUDIT_BY_SUBJECT_PATH => decode(request).and_then(|r| audit_by_subject(state, r)).map(|r| r.encode_to_vec()),
        AUDIT_BY_REQUESTER_PATH => {
            decode(request).and_then(|r| audit_by_requester(state, r)).map(|r| r.encode_to_vec())
        }
        DISCLOSURES_PATH => decode(request).and_then(|r| disclosures(state, r)).map(|r| r.encode_to_vec()),
        ACCESS_GRANT_PATH => decode(request).and_then(|r| access_grant(state, r)).map(|r| r.encode_to_vec()),
        ROLES_PATH => decode(request).and_then(|r| roles(state, r)).map(|r| r.encode_to_vec()),
        PARAMS_PATH => {
            state.consent_params().map(|p| pb::QueryParamsResponse { params: Some(p.to_proto()) }.encode_to_vec())
        }
        _ => return None,
    };
    Some(result)
}

/// Pages of whole consents hold at most [`MAX_CONSENTS_PER_PAGE`]: one consent may be large (all
/// its provisions), so a page is bounded in bytes too.
pub const MAX_CONSENTS_PER_PAGE: usize = 50;

fn consent_page(req: Option<&salus_proto::cosmos::base::query::v1beta1::PageRequest>) -> Result<Page, Error> {
    let mut page = Page::from_request(req)?;
    page.limit = page.limit.min(MAX_CONSENTS_PER_PAGE);
    Ok(page)
}

fn consent(state: &impl StateRead, r: pb::QueryConsentRequest) -> Result<pb::QueryConsentResponse, Error> {
    let version = (r.version != 0).then_some(r.version);
    let c = state.consent(r.id, version)?.ok_or_else(|| match version {
        Some(v) => Error::sdk(SdkCode::KeyNotFound, format!("consent {} has no version {v}", r.id)),
        None => Error::sdk(SdkCode::KeyNotFound, format!("consent {} does not exist", r.id)),
    })?;
    Ok(pb::QueryConsentResponse { consent: Some(c.to_proto()) })
}

fn history(state: &impl StateRead, r: pb::QueryHistoryRequest) -> Result<pb::QueryHistoryResponse, Error> {
    if state.latest_consent_version(r.id)?.is_none() {
        return Err(Error::sdk(SdkCode::KeyNotFound, format!("consent {} does not exist", r.id)));
    }
    let (versions, page) = state.consent_history_page(r.id, &consent_page(r.pagination.as_ref())?)?;
    Ok(pb::QueryHistoryResponse { versions: versions.iter().map(|c| c.to_proto()).collect(), pagination: Some(page) })
}

fn by_subject(
    state: &impl StateRead,
    r: pb::QueryConsentsBySubjectRequest,
) -> Result<pb::QueryConsentsBySubjectResponse, Error> {
    let subject = Did::parse("subject", &r.subject)?;
    let (consents, page) = state.subject_consents_page(&subject, &consent_page(r.pagination.as_ref())?)?;
    Ok(pb::QueryConsentsBySubjectResponse {
        consents: consents.iter().map(|c| c.to_proto()).collect(),
        pagination: Some(page),
    })
}

fn commitments(field: &str, list: &[Vec<u8>]) -> Result<Vec<Commitment>, Error> {
    if list.len() > 256 {
        return Err(ConsentError::InvalidRequest.with(format!("{field}: at most 256 entries")));
    }
    list.iter().enumerate().map(|(i, c)| Commitment::from_bytes(&format!("{field}[{i}]"), c)).collect()
}

fn confidentiality(list: &[String]) -> Result<Vec<Confidentiality>, Error> {
    if list.len() > Confidentiality::ALL.len() {
        return Err(ConsentError::InvalidRequest.with("confidentiality: at most the 6 v3 Confidentiality codes"));
    }
    list.iter()
        .enumerate()
        .map(|(i, c)| {
            Confidentiality::parse(c).ok_or_else(|| {
                ConsentError::InvalidRequest
                    .with(format!("confidentiality[{i}]: `{c}` is not a v3 Confidentiality code (U, L, M, N, R, V)"))
            })
        })
        .collect()
}

/// What an access would be answered now (or at `time`), without logging it. Roles given in the
/// request are assumed besides those the requester holds on chain.
fn decide_query(state: &impl StateRead, r: pb::QueryDecideRequest) -> Result<pb::QueryDecideResponse, Error> {
    let requester = Did::parse("requester", &r.requester)?;
    let action = parse_action(&r.action)?;
    let purpose = parse_purpose(&r.purpose)?;
    let time = match &r.time {
        Some(t) => time_from_proto("time", t)?,
        None => stored_block_time(state),
    };
    let mut sensitivity = commitments("sensitivity_commitments", &r.sensitivity_commitments)?;
    let mut labels = confidentiality(&r.confidentiality)?;
    let (subject, asked, custodian) = if r.record != 0 {
        let (record, mut asked) = asked_record(state, r.record)?;
        if !r.subject.is_empty() && Did::parse("subject", &r.subject)? != record.owner {
            return Err(ConsentError::InvalidRequest.with(format!(
                "record {} is {}'s, not {}: leave subject empty or give its owner",
                r.record, record.owner, r.subject
            )));
        }
        asked.sensitivity.append(&mut sensitivity);
        asked.confidentiality.append(&mut labels);
        (record.owner, asked, Some(record.custodian))
    } else {
        let subject = Did::parse("subject", &r.subject)?;
        let class = Commitment::from_bytes("class_commitment", &r.class_commitment)
            .map_err(|e| Error { message: format!("{} (ask about a record, or a data class)", e.message), ..e })?;
        let asked = Asked {
            record: None,
            classes: vec![class],
            confidentiality: labels,
            sensitivity,
            data_time: None,
            data_period: period_with("data_period", r.data_period.as_ref(), ConsentError::InvalidRequest)?,
        };
        (subject, asked, None)
    };
    if r.roles.len() > 64 {
        return Err(ConsentError::InvalidRequest.with("roles: at most 64 assumed roles"));
    }
    let consents = state.subject_consents(&subject)?;
    let mut roles = held_roles(state, &requester, &consents, custodian.as_ref(), time)?;
    for (i, g) in r.roles.iter().enumerate() {
        let field = format!("roles[{i}]");
        let role = g
            .role
            .as_ref()
            .ok_or_else(|| ConsentError::InvalidRole.with(format!("{field}.role is missing")))
            .and_then(|c| coding_from_proto(&format!("{field}.role"), c))?;
        let assumed = RoleGrant {
            organization: Did::parse(&format!("{field}.organization"), &g.organization)?,
            member: requester.clone(),
            role,
            period: period_from_proto(&format!("{field}.period"), g.period.as_ref())?,
        };
        roles.add(&requester, &assumed, time, true);
    }
    let request = Request {
        requester: &requester,
        roles: &roles,
        action,
        purpose,
        time,
        asked: &asked,
        custodian: custodian.as_ref(),
    };
    let verdict = decide(&consents, &request, &mut |_| Ok(()))?;
    let (consent_id, consent_version) = verdict.consent.unwrap_or((0, 0));
    Ok(pb::QueryDecideResponse {
        decision: verdict.outcome.name().to_string(),
        consent_id,
        consent_version,
        provision_path: verdict.path,
        obligations: verdict.obligations.iter().map(|o| o.to_proto()).collect(),
        time: Some(crate::proto::timestamp(time)),
    })
}

fn audit_response(
    page: (Vec<crate::types::AuditEvent>, salus_proto::cosmos::base::query::v1beta1::PageResponse),
) -> pb::QueryAuditResponse {
    pb::QueryAuditResponse { events: page.0.iter().map(|e| e.to_proto()).collect(), pagination: Some(page.1) }
}

fn audit_by_subject(
    state: &impl StateRead,
    r: pb::QueryAuditBySubjectRequest,
) -> Result<pb::QueryAuditResponse, Error> {
    let subject = Did::parse("subject", &r.subject)?;
    let page = Page::from_request(r.pagination.as_ref())?;
    Ok(audit_response(state.audit_page(&keys::audit_by_subject_of(&pseudonym(&subject)), &page)?))
}

fn audit_by_requester(
    state: &impl StateRead,
    r: pb::QueryAuditByRequesterRequest,
) -> Result<pb::QueryAuditResponse, Error> {
    let requester = Did::parse("requester", &r.requester)?;
    let page = Page::from_request(r.pagination.as_ref())?;
    Ok(audit_response(state.audit_page(&keys::audit_by_requester_of(&requester), &page)?))
}

/// The accounting of disclosures: the index holds only accountable permits, by time, so the
/// window (six years before the queried block's time) is one range of it. Pages go by key.
fn disclosures(state: &impl StateRead, r: pb::QueryDisclosuresRequest) -> Result<pb::QueryAuditResponse, Error> {
    let subject = Did::parse("subject", &r.subject)?;
    let p = pseudonym(&subject);
    let mut page = Page::from_request(r.pagination.as_ref())?;
    if page.count_total {
        return Err(ConsentError::InvalidRequest.with(
            "pagination.count_total: the accounting of disclosures cannot count its window: walk it by next_key",
        ));
    }
    if page.offset > 0 {
        return Err(ConsentError::InvalidRequest
            .with("pagination.offset: the accounting of disclosures pages by key: continue from next_key"));
    }
    let from = window_start(stored_block_time(state));
    let prefix = keys::disclosures_of(&p);
    let start = keys::disclosure_time(&p, from)[prefix.len()..].to_vec();
    if !page.reverse && page.key < start {
        page.key = start;
    }
    let (events, resp) = state.audit_page(&prefix, &page)?;
    // Newest first, a page may reach below the window: what lies there is not listed.
    let events = events.into_iter().filter(|e| e.time.secs >= from).collect();
    Ok(audit_response((events, resp)))
}

fn access_grant(state: &impl StateRead, r: pb::QueryAccessGrantRequest) -> Result<pb::QueryAccessGrantResponse, Error> {
    let requester = Did::parse("requester", &r.requester)?;
    let now = stored_block_time(state);
    // Live while unexpired and while the consents, decided again now, still permit it the same
    // way: the same consent at the same version, with the same obligations. So a revocation, an
    // update, a new deny, a role taken back, an organization deactivated, a period ended or the
    // record erased ends every grant it touches at once, with no scan.
    let grant = match state.access_grant(&requester, r.record)? {
        Some(g) if now < g.expires && record_live(state, r.record)? => {
            let (_, verdict) = decide_access(state, &requester, r.record, g.action, g.purpose, now, &mut |_| Ok(()))?;
            let same = verdict.outcome == Outcome::Permit
                && verdict.consent == Some(g.consent)
                && verdict.obligations == g.obligations;
            same.then_some(g)
        }
        _ => None,
    };
    Ok(pb::QueryAccessGrantResponse { grant: grant.map(|g| g.to_proto()) })
}

fn record_live(state: &impl StateRead, id: u64) -> Result<bool, Error> {
    Ok(state.record(id)?.is_some_and(|r| r.status == salus_records::types::Status::Active))
}

fn roles(state: &impl StateRead, r: pb::QueryRolesRequest) -> Result<pb::QueryRolesResponse, Error> {
    let member = Did::parse("member", &r.member)?;
    let (roles, page) = state.roles_page(&member, &Page::from_request(r.pagination.as_ref())?)?;
    Ok(pb::QueryRolesResponse { roles: roles.iter().map(|g| g.to_proto()).collect(), pagination: Some(page) })
}
