//! One function per message: checks against state, then writes. Authority over a DID comes from
//! its proof alone; the tx signer only pays. The params change only by governance.

use salus_proto::salus::did::v1 as pb;
use salus_sdk::module::check_authority;
use salus_sdk::{Address, BlockCtx, Error, StateWrite};

use crate::document::{hash_proto, Document, Relationship, VerificationMethod};
use crate::error::DidError;
use crate::events;
use crate::method::{Did, DidUrl};
use crate::params::Params;
use crate::proof::{sign_bytes, Proof};
use crate::state::{DidMeta, DidRead, DidVersion, DidWrite, Operation, Timestamp};
use crate::DidMsg;

/// Gas for checking one proof signature (as Cosmos charges a secp256k1 verification).
pub const PROOF_VERIFY_GAS: u64 = 1000;

pub fn execute(state: &mut impl StateWrite, ctx: &BlockCtx, msg: &DidMsg) -> Result<(), Error> {
    match msg {
        DidMsg::Create { signer, document, proof } => create(state, ctx, signer, document, proof),
        DidMsg::Update { signer, document, version, proof } => update(state, ctx, signer, document, *version, proof),
        DidMsg::Deactivate { signer, did, version, proof } => deactivate(state, ctx, signer, did, *version, proof),
        DidMsg::UpdateParams { authority, params } => update_params(state, authority, params),
    }
}

/// Governance's params update: it binds every create and update from the next message on.
/// Documents already written stay as they are, even if over a lowered bound (DID Core documents
/// are never rewritten by the chain); an exported genesis holds them to the method's rules, not to
/// these bounds, so it still starts a chain.
fn update_params(state: &mut impl StateWrite, authority: &Address, params: &Params) -> Result<(), Error> {
    check_authority(authority)?;
    state.set_did_params(params)?;
    state.emit(events::params_updated(authority, params));
    Ok(())
}

fn now(ctx: &BlockCtx) -> Timestamp {
    Timestamp { secs: ctx.time_secs, nanos: ctx.time_nanos }
}

fn create(
    state: &mut impl StateWrite,
    ctx: &BlockCtx,
    signer: &Address,
    proto: &pb::DidDocument,
    proof: &Proof,
) -> Result<(), Error> {
    let doc = Document::from_proto(proto, &state.did_params()?)?;
    if let Some(meta) = state.did_meta(&doc.id)? {
        let why = if meta.deactivated {
            "it was deactivated, and a deactivated DID is never created again: create a new DID with a new key"
        } else {
            "update it with `salusd tx did ...` instead"
        };
        return Err(DidError::AlreadyExists.with(format!("{} already exists: {why}", doc.id)));
    }
    let method = doc.method(&proof.verification_method).ok_or_else(|| {
        DidError::UnknownVerificationMethod.with(format!(
            "proof.verification_method `{}` is not a verificationMethod of the new document",
            proof.verification_method
        ))
    })?;
    let derived = Did::from_key(&method.key);
    if derived != doc.id {
        return Err(DidError::IdNotDerivedFromKey.with(format!(
            "{} is not the DID of the key that signed the proof ({derived} is): a did:salus id is derived from its creating key",
            doc.id
        )));
    }
    check_controllers(state, &doc)?;
    let payload = sign_bytes(Operation::Create, &ctx.chain_id, &doc.id, 0, Some(hash_proto(proto)), &method.id);
    verify(state, method, &payload, proof, &ctx.chain_id, 0)?;

    let meta = DidMeta { version: 1, created: now(ctx), deactivated: false };
    let did = doc.id.clone();
    state.put_did_version(
        &did,
        &meta,
        &DidVersion { document: doc, operation: Operation::Create, time: now(ctx), height: ctx.height },
    )?;
    state.emit(events::created(&did, 1, signer));
    Ok(())
}

fn update(
    state: &mut impl StateWrite,
    ctx: &BlockCtx,
    signer: &Address,
    proto: &pb::DidDocument,
    version: u64,
    proof: &Proof,
) -> Result<(), Error> {
    let did = Did::parse("document.id", &proto.id)?;
    let (meta, current) = current_version(state, &did, version)?;
    let method = authorize(state, &current, proof)?;
    let doc = Document::from_proto(proto, &state.did_params()?)?;
    check_controllers(state, &doc)?;
    let payload = sign_bytes(Operation::Update, &ctx.chain_id, &did, version, Some(hash_proto(proto)), &method.id);
    verify(state, &method, &payload, proof, &ctx.chain_id, version)?;

    let meta = DidMeta { version: version + 1, ..meta };
    state.put_did_version(
        &did,
        &meta,
        &DidVersion { document: doc, operation: Operation::Update, time: now(ctx), height: ctx.height },
    )?;
    state.emit(events::updated(&did, meta.version, &method.id, signer));
    Ok(())
}

fn deactivate(
    state: &mut impl StateWrite,
    ctx: &BlockCtx,
    signer: &Address,
    did: &Did,
    version: u64,
    proof: &Proof,
) -> Result<(), Error> {
    let (meta, current) = current_version(state, did, version)?;
    let method = authorize(state, &current, proof)?;
    let payload = sign_bytes(Operation::Deactivate, &ctx.chain_id, did, version, None, &method.id);
    verify(state, &method, &payload, proof, &ctx.chain_id, version)?;

    let meta = DidMeta { version: version + 1, deactivated: true, ..meta };
    state.put_did_version(
        did,
        &meta,
        &DidVersion {
            document: Document::deactivated(did.clone()),
            operation: Operation::Deactivate,
            time: now(ctx),
            height: ctx.height,
        },
    )?;
    state.emit(events::deactivated(did, meta.version, &method.id, signer));
    Ok(())
}

/// The DID's current document, if it is active and at `version`.
fn current_version(state: &impl StateWrite, did: &Did, version: u64) -> Result<(DidMeta, Document), Error> {
    let (meta, current) = state.active_document(did)?;
    if meta.version != version {
        return Err(DidError::WrongVersion.with(format!(
            "{did} is at version {}, not {version}: resolve it again and sign for version {}",
            meta.version, meta.version
        )));
    }
    Ok((meta, current))
}

/// The verification method that may change `current`: a capabilityInvocation method of the DID
/// itself (if it controls itself) or of a controller's current document.
fn authorize(state: &impl StateWrite, current: &Document, proof: &Proof) -> Result<VerificationMethod, Error> {
    let url = DidUrl::parse("proof.verification_method", &proof.verification_method)?;
    let controllers = current.controllers();
    if !controllers.contains(&url.did) {
        return Err(DidError::Unauthorized.with(format!(
            "{} is not a controller of {} (controllers: {}): sign with a controller's key",
            url.did,
            current.id,
            controllers.iter().map(Did::as_str).collect::<Vec<_>>().join(", ")
        )));
    }
    let owner = if url.did == current.id {
        current.clone()
    } else {
        state
            .active_document(&url.did)
            .map_err(|e| DidError::ControllerNotFound.with(format!("controller {}: {}", url.did, e.message)))?
            .1
    };
    let method = owner.method(&proof.verification_method).ok_or_else(|| {
        DidError::UnknownVerificationMethod.with(format!(
            "{} is not in the current document of {}: the key was removed or never added",
            proof.verification_method, url.did
        ))
    })?;
    if owner.method_for(Relationship::CapabilityInvocation, &method.id).is_none() {
        return Err(DidError::Unauthorized.with(format!(
            "{} is not a capabilityInvocation method of {}: only those may change the DID",
            method.id, url.did
        )));
    }
    Ok(method.clone())
}

fn check_controllers(state: &impl StateWrite, doc: &Document) -> Result<(), Error> {
    for (i, c) in doc.controller.iter().enumerate() {
        if *c != doc.id {
            state
                .active_document(c)
                .map_err(|e| DidError::ControllerNotFound.with(format!("controller[{i}]: {}", e.message)))?;
        }
    }
    Ok(())
}

fn verify(
    state: &impl StateWrite,
    method: &VerificationMethod,
    payload: &[u8],
    proof: &Proof,
    chain_id: &str,
    version: u64,
) -> Result<(), Error> {
    state.charge_gas(PROOF_VERIFY_GAS, "did proof verify")?;
    method.key.verify(payload, &proof.signature).map_err(|why| {
        DidError::InvalidProof.with(format!(
            "proof by {} does not verify: {why}. It must sign this operation for chain-id {chain_id}, version {version} and this exact document",
            method.id
        ))
    })
}
