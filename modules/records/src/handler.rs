//! One function per message: the acting DID's proof first (it spends the DID's nonce), then what
//! that DID may do, then the checks against state and params, then the writes. Only a record's
//! owner or its custodian changes it; the tx signer only pays. The params change only by
//! governance.

use salus_did::{ActAsDid, Acting, Did, DidRead};
use salus_sdk::module::check_authority;
use salus_sdk::time::Time;
use salus_sdk::{Address, BlockCtx, Error, StateWrite};

use crate::error::RecordsError;
use crate::events;
use crate::params::Params;
use crate::state::{record_meta, RecordRead, RecordWrite};
use crate::types::{Content, Record, RecordMeta, RecordVersion, Status};
use crate::RecordsMsg;

/// Gas for rewriting one version at erase (on top of the store's read and write costs).
pub const ERASE_VERSION_GAS: u64 = 1000;

pub fn execute(state: &mut impl StateWrite, ctx: &BlockCtx, msg: &RecordsMsg) -> Result<(), Error> {
    match msg {
        RecordsMsg::Anchor { signer, acting, owner, custodian, content } => {
            anchor(state, ctx, signer, acting, owner, custodian, content)
        }
        RecordsMsg::Supersede { signer, acting, id, version, content } => {
            supersede(state, ctx, signer, acting, *id, *version, content)
        }
        RecordsMsg::Erase { signer, acting, id } => erase(state, ctx, signer, acting, *id),
        RecordsMsg::UpdateParams { authority, params } => update_params(state, authority, params),
    }
}

/// Governance's params update: it binds every version written from the next message on.
/// Versions already written stay as they are; a record with more versions than a lowered
/// `max_versions` can no longer be superseded, and can still be erased.
fn update_params(state: &mut impl StateWrite, authority: &Address, params: &Params) -> Result<(), Error> {
    check_authority(authority)?;
    state.set_records_params(params)?;
    state.emit(events::params_updated(authority, params));
    Ok(())
}

/// `did` exists and is active; a DID error names the field.
fn check_active(state: &impl StateWrite, field: &str, did: &Did) -> Result<(), Error> {
    state.active_document(did).map(|_| ()).map_err(|e| Error { message: format!("{field}: {}", e.message), ..e })
}

fn anchor(
    state: &mut impl StateWrite,
    ctx: &BlockCtx,
    signer: &Address,
    acting: &Acting,
    owner: &Did,
    custodian: &Did,
    content: &Content,
) -> Result<(), Error> {
    let actor = state.act_as(ctx, acting)?;
    if actor != *owner && actor != *custodian {
        return Err(RecordsError::Unauthorized.with(format!(
            "{actor} acts, but a record is anchored by its owner ({owner}) or its custodian ({custodian}): act as one of them"
        )));
    }
    content.validate(&state.records_params()?)?;
    check_active(state, "owner", owner)?;
    check_active(state, "custodian", custodian)?;

    let id = state.next_record_id()?;
    let next = id.checked_add(1).ok_or_else(|| Error::internal("record id overflow"))?;
    let now = Time::of(ctx);
    let meta = RecordMeta {
        id,
        owner: owner.clone(),
        custodian: custodian.clone(),
        status: Status::Active,
        version: 1,
        created: now,
        erased: None,
    };
    let first = RecordVersion::of(1, content, now, ctx.height);
    state.put_record_version(id, &first)?;
    state.put_record_meta(&meta)?;
    state.index_record(&meta)?;
    state.set_next_record_id(next)?;
    state.emit(events::anchored(&meta.with(first), &actor, signer));
    Ok(())
}

/// The record `id`, which `actor` may change: it exists, `actor` is its owner or custodian, and
/// it is not erased.
fn changeable(state: &impl StateWrite, actor: &Did, id: u64) -> Result<RecordMeta, Error> {
    let meta = record_meta(state, id)?.ok_or_else(|| {
        RecordsError::NotFound
            .with(format!("record {id} does not exist: check the id (`salusd query records by-owner <did>`)"))
    })?;
    if *actor != meta.owner && *actor != meta.custodian {
        return Err(RecordsError::Unauthorized.with(format!(
            "{actor} is neither the owner ({}) nor the custodian ({}) of record {id}: only they change it",
            meta.owner, meta.custodian
        )));
    }
    if meta.status == Status::Erased {
        return Err(RecordsError::Erased
            .with(format!("record {id} was erased; an erased record never changes again: anchor a new record")));
    }
    Ok(meta)
}

fn supersede(
    state: &mut impl StateWrite,
    ctx: &BlockCtx,
    signer: &Address,
    acting: &Acting,
    id: u64,
    version: u64,
    content: &Content,
) -> Result<(), Error> {
    let actor = state.act_as(ctx, acting)?;
    let meta = changeable(state, &actor, id)?;
    if meta.version != version {
        return Err(RecordsError::WrongVersion.with(format!(
            "record {id} is at version {}, not {version}: supersede version {}",
            meta.version, meta.version
        )));
    }
    let params = state.records_params()?;
    if meta.version >= u64::from(params.max_versions) {
        return Err(RecordsError::TooManyVersions.with(format!(
            "record {id} has {} versions, the most a record may have ({}): anchor a new record for the next version",
            meta.version, params.max_versions
        )));
    }
    content.validate(&params)?;

    let next = RecordVersion::of(meta.version + 1, content, Time::of(ctx), ctx.height);
    let meta = RecordMeta { version: next.version, ..meta };
    state.put_record_version(id, &next)?;
    state.put_record_meta(&meta)?;
    state.emit(events::superseded(&meta.with(next), &actor, signer));
    Ok(())
}

/// Crypto-shredding: every version loses its locator and encryption metadata (its content hash
/// and commitments stay), and the record is erased for good. The keys are destroyed off chain.
fn erase(state: &mut impl StateWrite, ctx: &BlockCtx, signer: &Address, acting: &Acting, id: u64) -> Result<(), Error> {
    let actor = state.act_as(ctx, acting)?;
    let meta = changeable(state, &actor, id)?;
    let mut current = None;
    // At most `max_versions` (ceiling 1000) versions: supersede refuses past it.
    for version in 1..=meta.version {
        state.charge_gas(ERASE_VERSION_GAS, "records erase version")?;
        let v = state
            .record_version(id, version)?
            .ok_or_else(|| Error::internal(format!("record {id} has no version {version}")))?;
        let shredded = v.shredded();
        state.put_record_version(id, &shredded)?;
        current = Some(shredded);
    }
    let current = current.ok_or_else(|| Error::internal(format!("record {id} has no versions")))?;
    let meta = RecordMeta { status: Status::Erased, erased: Some(Time::of(ctx)), ..meta };
    state.put_record_meta(&meta)?;
    let record: Record = meta.with(current);
    state.emit(events::erased(&record, &actor, signer));
    Ok(())
}
