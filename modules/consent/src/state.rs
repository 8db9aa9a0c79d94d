//! `ConsentRead` and the crate-private `ConsentWrite`: the only code that touches the consent
//! module's keys.

use salus_did::Did;
use salus_proto::cosmos::base::query::v1beta1::PageResponse;
use salus_sdk::pagination::{paginate, Page};
use salus_sdk::{Error, StateRead, StateReadExt, StateWrite, StateWriteExt};

use crate::keys;
use crate::params::Params;
use crate::types::{AccessGrant, AuditEvent, Coding, Consent, RoleGrant};

fn decode<T: borsh::BorshDeserialize>(bytes: &[u8]) -> Result<T, Error> {
    borsh::from_slice(bytes).map_err(Error::internal)
}

fn bad_key() -> Error {
    Error::internal("a consent key does not end in an id")
}

pub trait ConsentRead: StateRead {
    fn consent_params(&self) -> Result<Params, Error> {
        Ok(self.get(keys::PARAMS)?.unwrap_or_default())
    }

    fn latest_consent_version(&self, id: u64) -> Result<Option<u64>, Error> {
        self.get(&keys::latest(id))
    }

    /// A consent at `version` (the latest if `None`).
    fn consent(&self, id: u64, version: Option<u64>) -> Result<Option<Consent>, Error> {
        let version = match version {
            Some(v) => v,
            None => match self.latest_consent_version(id)? {
                Some(v) => v,
                None => return Ok(None),
            },
        };
        self.get(&keys::version(id, version))
    }

    fn consent_history_page(&self, id: u64, page: &Page) -> Result<(Vec<Consent>, PageResponse), Error> {
        let (found, resp) = paginate(self, &keys::versions_of(id), page)?;
        Ok((found.iter().map(|(_, v)| decode(v)).collect::<Result<_, _>>()?, resp))
    }

    /// The ids of a subject's draft and active consents, in id order. Bounded: creating one
    /// refuses past `max_consents_per_subject`.
    fn subject_consent_ids(&self, subject: &Did) -> Result<Vec<u64>, Error> {
        self.prefix_raw(&keys::by_subject_of(subject))?
            .iter()
            .map(|(k, _)| keys::trailing_id(k).ok_or_else(bad_key))
            .collect()
    }

    /// The latest versions of a subject's draft and active consents, in id order: what a
    /// decision reads.
    fn subject_consents(&self, subject: &Did) -> Result<Vec<Consent>, Error> {
        let mut out = Vec::new();
        for id in self.subject_consent_ids(subject)? {
            out.extend(self.consent(id, None)?);
        }
        Ok(out)
    }

    fn subject_consents_page(&self, subject: &Did, page: &Page) -> Result<(Vec<Consent>, PageResponse), Error> {
        let (found, resp) = paginate(self, &keys::by_subject_of(subject), page)?;
        let mut out = Vec::new();
        for (k, _) in found {
            out.extend(self.consent(keys::trailing_id(&k).ok_or_else(bad_key)?, None)?);
        }
        Ok((out, resp))
    }

    fn role_grant(&self, member: &Did, role: &Coding, organization: &Did) -> Result<Option<RoleGrant>, Error> {
        self.get(&keys::role(member, role, organization))
    }

    /// The first `limit` grants of `role` to `member`, from any organization, in key order (read
    /// from the role index, which keeps no deleted keys to step over).
    fn role_grants_of(&self, member: &Did, role: &Coding, limit: usize) -> Result<Vec<RoleGrant>, Error> {
        let prefix = keys::role_index_of_any(member, role);
        let end = salus_sdk::pagination::prefix_end(&prefix);
        let found = self.range_limit_raw(&prefix, &prefix, &end, limit, false)?;
        found.iter().map(|(_, v)| decode(v)).collect()
    }

    /// A page of the member's grants, from the role index (same order and page keys as the
    /// grants: role hash, then organization), which keeps no deleted keys to step over.
    fn roles_page(&self, member: &Did, page: &Page) -> Result<(Vec<RoleGrant>, PageResponse), Error> {
        let (found, resp) = paginate(self, &keys::role_index_of(member), page)?;
        Ok((found.iter().map(|(_, v)| decode(v)).collect::<Result<_, _>>()?, resp))
    }

    fn audit_event(&self, id: u64) -> Result<Option<AuditEvent>, Error> {
        self.get(&keys::audit(id))
    }

    /// A page of audit events from an index whose keys end in audit ids.
    fn audit_page(&self, index: &[u8], page: &Page) -> Result<(Vec<AuditEvent>, PageResponse), Error> {
        let (found, resp) = paginate(self, index, page)?;
        let mut out = Vec::new();
        for (k, _) in found {
            out.extend(self.audit_event(keys::trailing_id(&k).ok_or_else(bad_key)?)?);
        }
        Ok((out, resp))
    }

    fn access_grant(&self, requester: &Did, record: u64) -> Result<Option<AccessGrant>, Error> {
        self.get(&keys::grant(requester, record))
    }

    fn next_consent_id(&self) -> Result<u64, Error> {
        Ok(self.get(keys::NEXT_CONSENT_ID)?.unwrap_or(1))
    }

    fn next_audit_id(&self) -> Result<u64, Error> {
        Ok(self.get(keys::NEXT_AUDIT_ID)?.unwrap_or(1))
    }
}
impl<S: StateRead + ?Sized> ConsentRead for S {}

/// The module's writes: private to it (other modules change consents only through messages).
pub(crate) trait ConsentWrite: StateWrite {
    fn set_consent_params(&mut self, params: &Params) -> Result<(), Error> {
        params.validate()?;
        self.put(keys::PARAMS.to_vec(), params)
    }

    /// Writes `consent` as its id's latest version; `listed` says whether the subject's index
    /// holds it (draft and active consents) or not (revoked ones).
    fn put_consent(&mut self, consent: &Consent, listed: bool) -> Result<(), Error> {
        self.put(keys::version(consent.id, consent.version), consent)?;
        self.put(keys::latest(consent.id), &consent.version)?;
        let index = keys::by_subject(&consent.terms.subject, consent.id);
        if listed {
            self.put_raw(index, vec![])
        } else {
            self.delete_raw(index)
        }
    }

    fn set_next_consent_id(&mut self, id: u64) -> Result<(), Error> {
        self.put(keys::NEXT_CONSENT_ID.to_vec(), &id)
    }

    fn put_role(&mut self, grant: &RoleGrant) -> Result<(), Error> {
        self.put(keys::role_index(&grant.member, &grant.role, &grant.organization), grant)?;
        self.put(keys::role(&grant.member, &grant.role, &grant.organization), grant)
    }

    fn delete_role(&mut self, member: &Did, role: &Coding, organization: &Did) -> Result<(), Error> {
        self.delete_raw(keys::role_index(member, role, organization))?;
        self.delete_raw(keys::role(member, role, organization))
    }

    fn delete_grant(&mut self, requester: &Did, record: u64) -> Result<(), Error> {
        self.delete_raw(keys::grant(requester, record))
    }

    fn put_grant(&mut self, grant: &AccessGrant) -> Result<(), Error> {
        self.put(keys::grant(&grant.requester, grant.record), grant)
    }

    fn set_next_audit_id(&mut self, id: u64) -> Result<(), Error> {
        self.put(keys::NEXT_AUDIT_ID.to_vec(), &id)
    }
}
impl<S: StateWrite + ?Sized> ConsentWrite for S {}
