//! `RecordRead` and the crate-private `RecordWrite`: the only code that touches the records
//! module's keys. Other modules (consent) ask [`RecordRead::record`]; they change records only
//! through messages.

use salus_did::Did;
use salus_proto::cosmos::base::query::v1beta1::PageResponse;
use salus_sdk::pagination::{paginate, Page};
use salus_sdk::{Error, StateRead, StateReadExt, StateWrite, StateWriteExt};

use crate::keys;
use crate::params::Params;
use crate::types::{Record, RecordMeta, RecordVersion};

fn missing_version(id: u64, version: u64) -> Error {
    Error::internal(format!("record {id} has no version {version}"))
}

/// A record without its versions.
pub(crate) fn record_meta(state: &(impl StateRead + ?Sized), id: u64) -> Result<Option<RecordMeta>, Error> {
    state.get(&keys::record(id))
}

pub trait RecordRead: StateRead {
    fn records_params(&self) -> Result<Params, Error> {
        Ok(self.get(keys::PARAMS)?.unwrap_or_default())
    }

    /// The id the next anchored record gets (1 on a new chain).
    fn next_record_id(&self) -> Result<u64, Error> {
        Ok(self.get(keys::NEXT_ID)?.unwrap_or(1))
    }

    /// The record with its current version; `None` if no record has this id.
    fn record(&self, id: u64) -> Result<Option<Record>, Error> {
        let Some(meta) = record_meta(self, id)? else { return Ok(None) };
        let current = self.record_version(id, meta.version)?.ok_or_else(|| missing_version(id, meta.version))?;
        Ok(Some(meta.with(current)))
    }

    /// One version (from 1) of a record.
    fn record_version(&self, id: u64, version: u64) -> Result<Option<RecordVersion>, Error> {
        self.get(&keys::version(id, version))
    }

    /// Every version, oldest first (at most `max_versions`, which an erase rewrites).
    fn record_versions(&self, id: u64) -> Result<Vec<RecordVersion>, Error> {
        Ok(self.prefix::<RecordVersion>(&keys::versions_of(id))?.into_iter().map(|(_, v)| v).collect())
    }

    /// A page of a record's versions, oldest first (newest first with `reverse`); `next_key` is
    /// the 8-byte big-endian version number to continue from.
    fn record_history_page(&self, id: u64, page: &Page) -> Result<(Vec<RecordVersion>, PageResponse), Error> {
        let (found, resp) = paginate(self, &keys::versions_of(id), page)?;
        let versions =
            found.into_iter().map(|(_, v)| borsh::from_slice(&v).map_err(Error::internal)).collect::<Result<_, _>>()?;
        Ok((versions, resp))
    }

    /// A page of the records `owner` owns, by id; `next_key` is the 8-byte big-endian id.
    fn records_by_owner_page(&self, owner: &Did, page: &Page) -> Result<(Vec<Record>, PageResponse), Error> {
        self.indexed_page(&keys::by_owner_of(owner), page)
    }

    /// A page of the records `custodian` holds, by id; `next_key` is the 8-byte big-endian id.
    fn records_by_custodian_page(&self, custodian: &Did, page: &Page) -> Result<(Vec<Record>, PageResponse), Error> {
        self.indexed_page(&keys::by_custodian_of(custodian), page)
    }

    #[doc(hidden)]
    fn indexed_page(&self, prefix: &[u8], page: &Page) -> Result<(Vec<Record>, PageResponse), Error> {
        let (found, resp) = paginate(self, prefix, page)?;
        let mut records = Vec::with_capacity(found.len());
        for (k, _) in found {
            let id = keys::parse_tail(&k).ok_or_else(|| Error::internal("bad records index key"))?;
            records.push(self.record(id)?.ok_or_else(|| Error::internal(format!("index names no record {id}")))?);
        }
        Ok((records, resp))
    }
}
impl<S: StateRead + ?Sized> RecordRead for S {}

/// The module's writes: private to it (other modules change records only through messages).
pub(crate) trait RecordWrite: StateWrite {
    fn set_records_params(&mut self, params: &Params) -> Result<(), Error> {
        params.validate()?;
        self.put(keys::PARAMS.to_vec(), params)
    }

    fn set_next_record_id(&mut self, id: u64) -> Result<(), Error> {
        self.put(keys::NEXT_ID.to_vec(), &id)
    }

    fn put_record_meta(&mut self, meta: &RecordMeta) -> Result<(), Error> {
        self.put(keys::record(meta.id), meta)
    }

    fn put_record_version(&mut self, id: u64, v: &RecordVersion) -> Result<(), Error> {
        self.put(keys::version(id, v.version), v)
    }

    /// The owner and custodian index entries of a new record.
    fn index_record(&mut self, meta: &RecordMeta) -> Result<(), Error> {
        self.put_raw(keys::by_owner(&meta.owner, meta.id), Vec::new())?;
        self.put_raw(keys::by_custodian(&meta.custodian, meta.id), Vec::new())
    }
}
impl<S: StateWrite + ?Sized> RecordWrite for S {}
