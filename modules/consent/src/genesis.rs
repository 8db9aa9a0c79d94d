//! Consent genesis: the params, and everything an exported chain must keep (every version of
//! every consent, the role grants, the audit log and the live access grants). Entries are the
//! module's stored encoding in base64 (`salusd query consent ...` shows them readable); `init`
//! checks every consent's terms as a message would be checked, and every id.

use base64::Engine;
use borsh::{BorshDeserialize, BorshSerialize};
use salus_sdk::{Error, StateRead, StateWrite, StateWriteExt};
use serde::{Deserialize, Serialize};

use crate::error::ConsentError;
use crate::keys;
use crate::params::Params;
use crate::state::{ConsentRead, ConsentWrite};
use crate::types::{AccessGrant, AuditEvent, Consent, RoleGrant, Status};
use crate::validate::validate_terms;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Genesis {
    pub params: Params,
    #[serde(with = "salus_sdk::json::string")]
    pub next_consent_id: u64,
    #[serde(with = "salus_sdk::json::string")]
    pub next_audit_id: u64,
    /// Every version of every consent, by id then version.
    pub consents: Vec<String>,
    pub roles: Vec<String>,
    pub audit: Vec<String>,
    pub grants: Vec<String>,
    /// The accounting-of-disclosures index (hex keys below `consent/disclosure/`): it is built
    /// from the subject's DID, which audit events do not hold.
    pub disclosures: Vec<String>,
}

impl Default for Genesis {
    fn default() -> Self {
        Self {
            params: Params::default(),
            next_consent_id: 1,
            next_audit_id: 1,
            consents: vec![],
            roles: vec![],
            audit: vec![],
            grants: vec![],
            disclosures: vec![],
        }
    }
}

fn invalid(m: String) -> Error {
    ConsentError::InvalidGenesis.with(format!("consent genesis: {m}"))
}

fn encode<T: BorshSerialize>(v: &T) -> Result<String, Error> {
    Ok(base64::engine::general_purpose::STANDARD.encode(borsh::to_vec(v).map_err(Error::internal)?))
}

fn decode_all<T: BorshDeserialize>(field: &str, list: &[String]) -> Result<Vec<T>, Error> {
    list.iter()
        .enumerate()
        .map(|(i, s)| {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(s)
                .map_err(|e| invalid(format!("{field}[{i}] is not base64: {e}")))?;
            borsh::from_slice(&bytes).map_err(|e| invalid(format!("{field}[{i}] does not decode: {e}")))
        })
        .collect()
}

struct Decoded {
    consents: Vec<Consent>,
    roles: Vec<RoleGrant>,
    audit: Vec<AuditEvent>,
    grants: Vec<AccessGrant>,
    disclosures: Vec<Vec<u8>>,
}

impl Genesis {
    fn decoded(&self) -> Result<Decoded, Error> {
        self.params.validate()?;
        let consents: Vec<Consent> = decode_all("consents", &self.consents)?;
        for (i, c) in consents.iter().enumerate() {
            // Written under the params in force then: held to the ceilings, not today's params.
            validate_terms(&c.terms, &Params::CEILING).map_err(|e| {
                invalid(format!("consents[{i}] (consent {} version {}): {}", c.id, c.version, e.message))
            })?;
            let expected = match i.checked_sub(1).map(|j| &consents[j]) {
                Some(prev) if prev.id == c.id => prev.version + 1,
                Some(prev) if c.id <= prev.id => return Err(invalid(format!("consents[{i}]: ids must increase"))),
                _ => 1,
            };
            if c.id == 0 || c.id >= self.next_consent_id || c.version != expected {
                return Err(invalid(format!(
                    "consents[{i}]: consent {} version {} (expected version {expected}, ids 1 to next_consent_id - 1)",
                    c.id, c.version
                )));
            }
        }
        let audit: Vec<AuditEvent> = decode_all("audit", &self.audit)?;
        for (i, e) in audit.iter().enumerate() {
            if e.id == 0 || e.id >= self.next_audit_id || (i > 0 && e.id <= audit[i - 1].id) {
                return Err(invalid(format!("audit[{i}]: ids must increase from 1, below next_audit_id")));
            }
        }
        if self.next_consent_id == 0 || self.next_audit_id == 0 {
            return Err(invalid("next ids start at 1".into()));
        }
        let mut disclosures = Vec::new();
        for (i, k) in self.disclosures.iter().enumerate() {
            let key = hex::decode(k).map_err(|e| invalid(format!("disclosures[{i}] is not hex: {e}")))?;
            let id = keys::trailing_id(&key).unwrap_or(0);
            // <prefix><16-byte pseudonym>/<8-byte time><8-byte id>, of an accountable event.
            let well_formed = key.len() == keys::DISCLOSURE_PREFIX.len() + 16 + 1 + 16
                && key.starts_with(keys::DISCLOSURE_PREFIX)
                && audit
                    .binary_search_by_key(&id, |e| e.id)
                    .is_ok_and(|j| key.starts_with(&keys::disclosures_of(&audit[j].subject)));
            if !well_formed {
                return Err(invalid(format!("disclosures[{i}] is not the key of a logged event's disclosure")));
            }
            disclosures.push(key);
        }
        Ok(Decoded {
            consents,
            roles: decode_all("roles", &self.roles)?,
            audit,
            grants: decode_all("grants", &self.grants)?,
            disclosures,
        })
    }

    pub fn validate(&self) -> Result<(), Error> {
        self.decoded().map(|_| ())
    }

    pub fn init(&self, state: &mut impl StateWrite) -> Result<(), Error> {
        let d = self.decoded()?;
        state.set_consent_params(&self.params)?;
        state.set_next_consent_id(self.next_consent_id)?;
        state.set_next_audit_id(self.next_audit_id)?;
        for c in &d.consents {
            state.put_consent(c, c.terms.status != Status::Inactive)?;
        }
        for g in &d.roles {
            state.put_role(g)?;
        }
        for e in &d.audit {
            state.put(keys::audit(e.id), e)?;
            state.put_raw(keys::audit_by_subject(&e.subject, e.id), vec![])?;
            state.put_raw(keys::audit_by_requester(&e.requester, e.id), vec![])?;
        }
        for k in &d.disclosures {
            state.put_raw(k.clone(), vec![])?;
        }
        for g in &d.grants {
            state.put_grant(g)?;
        }
        Ok(())
    }

    pub fn export(state: &impl StateRead) -> Result<Self, Error> {
        let all = |prefix: &[u8]| state.prefix_raw(prefix);
        let consents = all(keys::VERSION_PREFIX)?
            .iter()
            .map(|(_, v)| borsh::from_slice::<Consent>(v).map_err(Error::internal).and_then(|c| encode(&c)))
            .collect::<Result<_, _>>()?;
        let raw = |prefix: &[u8]| -> Result<Vec<String>, Error> {
            Ok(all(prefix)?.iter().map(|(_, v)| base64::engine::general_purpose::STANDARD.encode(v)).collect())
        };
        Ok(Self {
            params: state.consent_params()?,
            next_consent_id: state.next_consent_id()?,
            next_audit_id: state.next_audit_id()?,
            consents,
            roles: raw(keys::ROLE_PREFIX)?,
            audit: raw(keys::AUDIT_PREFIX)?,
            grants: raw(keys::GRANT_PREFIX)?,
            disclosures: all(keys::DISCLOSURE_PREFIX)?.iter().map(|(k, _)| hex::encode(k)).collect(),
        })
    }
}
