//! `DidRead` and the crate-private `DidWrite`: the only code that touches the DID module's keys. Other modules ask
//! [`DidRead::resolve`] and [`DidRead::active_document`].

use borsh::{BorshDeserialize, BorshSerialize};
use salus_proto::cosmos::base::query::v1beta1::PageResponse;
use salus_sdk::pagination::{paginate, Page};
use salus_sdk::{Error, SdkCode, StateRead, StateReadExt, StateWrite, StateWriteExt};

use crate::document::Document;
use crate::error::DidError;
use crate::keys;
use crate::method::Did;
use crate::params::Params;

/// Block time: seconds and nanoseconds since the Unix epoch.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Timestamp {
    pub secs: i64,
    pub nanos: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub enum Operation {
    Create,
    Update,
    Deactivate,
}

impl Operation {
    pub fn name(self) -> &'static str {
        match self {
            Operation::Create => "create",
            Operation::Update => "update",
            Operation::Deactivate => "deactivate",
        }
    }
}

/// What a DID is now.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct DidMeta {
    /// The latest version; versions count from 1.
    pub version: u64,
    pub created: Timestamp,
    pub deactivated: bool,
}

/// One version of a DID, kept forever so every version stays resolvable.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct DidVersion {
    pub document: Document,
    pub operation: Operation,
    pub time: Timestamp,
    pub height: u64,
}

/// DID Core document metadata of one resolved version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentMetadata {
    pub created: Timestamp,
    /// Absent for the first version.
    pub updated: Option<Timestamp>,
    pub version_id: u64,
    pub next_version_id: Option<u64>,
    pub next_update: Option<Timestamp>,
    pub deactivated: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolved {
    pub document: Document,
    pub metadata: DocumentMetadata,
}

pub trait DidRead: StateRead {
    fn did_params(&self) -> Result<Params, Error> {
        Ok(self.get(keys::PARAMS)?.unwrap_or_default())
    }

    fn did_meta(&self, did: &Did) -> Result<Option<DidMeta>, Error> {
        self.get(&keys::meta(did))
    }

    fn did_version(&self, did: &Did, version: u64) -> Result<Option<DidVersion>, Error> {
        self.get(&keys::version(did, version))
    }

    /// Every version, oldest first.
    fn did_history(&self, did: &Did) -> Result<Vec<(u64, DidVersion)>, Error> {
        self.prefix::<DidVersion>(&keys::versions_of(did))?
            .into_iter()
            .map(|(k, v)| Ok((keys::parse_version(&k).ok_or_else(|| Error::internal("bad DID version key"))?, v)))
            .collect()
    }

    /// A page of the versions, oldest first (newest first with `reverse`); `next_key` is the
    /// 8-byte big-endian version number to continue from.
    fn did_history_page(&self, did: &Did, page: &Page) -> Result<(Vec<(u64, DidVersion)>, PageResponse), Error> {
        let (found, resp) = paginate(self, &keys::versions_of(did), page)?;
        let versions = found
            .into_iter()
            .map(|(k, v)| {
                let version = keys::parse_version(&k).ok_or_else(|| Error::internal("bad DID version key"))?;
                Ok((version, borsh::from_slice(&v).map_err(Error::internal)?))
            })
            .collect::<Result<_, Error>>()?;
        Ok((versions, resp))
    }

    /// The document of `version` (latest if `None`) with its metadata; `None` if the DID or the
    /// version does not exist.
    fn resolve(&self, did: &Did, version: Option<u64>) -> Result<Option<Resolved>, Error> {
        let Some(meta) = self.did_meta(did)? else { return Ok(None) };
        let version_id = version.unwrap_or(meta.version);
        let Some(this) = self.did_version(did, version_id)? else { return Ok(None) };
        let next = if version_id < meta.version { self.did_version(did, version_id + 1)? } else { None };
        Ok(Some(Resolved {
            metadata: DocumentMetadata {
                created: meta.created,
                updated: (this.operation != Operation::Create).then_some(this.time),
                version_id,
                next_version_id: next.as_ref().map(|_| version_id + 1),
                next_update: next.map(|n| n.time),
                deactivated: meta.deactivated,
            },
            document: this.document,
        }))
    }

    /// The nonce the DID's next actor proof carries (0 before its first action).
    fn action_nonce(&self, did: &Did) -> Result<u64, Error> {
        Ok(self.get(&keys::nonce(did))?.unwrap_or(0))
    }

    /// The current document of a DID that exists and is not deactivated.
    fn active_document(&self, did: &Did) -> Result<(DidMeta, Document), Error> {
        let meta = self
            .did_meta(did)?
            .ok_or_else(|| DidError::NotFound.with(format!("{did} does not exist on this chain: create it first")))?;
        if meta.deactivated {
            return Err(DidError::Deactivated.with(format!(
                "{did} was deactivated at version {}; a deactivated DID can never change again",
                meta.version
            )));
        }
        let current = self
            .did_version(did, meta.version)?
            .ok_or_else(|| Error::sdk(SdkCode::Internal, format!("{did} has no version {}", meta.version)))?;
        Ok((meta, current.document))
    }
}
impl<S: StateRead + ?Sized> DidRead for S {}

/// The module's writes: private to it (other modules change DIDs only through messages).
pub(crate) trait DidWrite: StateWrite {
    fn set_did_params(&mut self, params: &Params) -> Result<(), Error> {
        params.validate()?;
        self.put(keys::PARAMS.to_vec(), params)
    }

    /// Records `record` as the DID's next version.
    fn put_did_version(&mut self, did: &Did, meta: &DidMeta, record: &DidVersion) -> Result<(), Error> {
        self.put(keys::version(did, meta.version), record)?;
        self.put(keys::meta(did), meta)
    }
}
impl<S: StateWrite + ?Sized> DidWrite for S {}
