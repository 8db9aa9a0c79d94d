//! The DID messages as domain types, decoded from salus.did.v1: the DID operations, and the
//! governance-only params update.

use salus_proto::salus::did::v1 as pb;
use salus_proto::Any;
use salus_sdk::module::{decode_any, is_type, type_url};
use salus_sdk::{Address, Error, Msg, SdkCode};

use crate::error::DidError;
use crate::method::{Did, DidUrl};
use crate::params::Params;
use crate::proof::Proof;

/// `signer` signs the transaction and pays; the proof carries the authority over the DID. The
/// document stays in its wire form until the handler checks it against the chain's params.
#[derive(Clone, Debug, PartialEq)]
pub enum DidMsg {
    Create {
        signer: Address,
        document: pb::DidDocument,
        proof: Proof,
    },
    Update {
        signer: Address,
        document: pb::DidDocument,
        version: u64,
        proof: Proof,
    },
    Deactivate {
        signer: Address,
        did: Did,
        version: u64,
        proof: Proof,
    },
    /// Governance only: `authority` must be the governance module's account.
    UpdateParams {
        authority: Address,
        params: Params,
    },
}

fn proof(p: Option<pb::DidProof>) -> Result<Proof, Error> {
    let p = p.ok_or_else(|| DidError::InvalidProof.with("proof is missing: sign the operation with a DID key"))?;
    Ok(Proof { verification_method: p.verification_method, signature: p.signature })
}

fn document(d: Option<pb::DidDocument>) -> Result<pb::DidDocument, Error> {
    d.ok_or_else(|| DidError::InvalidDocument.with("document is missing"))
}

impl DidMsg {
    /// The type URLs this module routes.
    pub fn type_urls() -> Vec<String> {
        vec![
            type_url::<pb::MsgCreateDid>(),
            type_url::<pb::MsgUpdateDid>(),
            type_url::<pb::MsgDeactivateDid>(),
            type_url::<pb::MsgUpdateParams>(),
        ]
    }

    pub fn decode(any: &Any) -> Result<Self, Error> {
        match any.type_url.as_str() {
            u if is_type::<pb::MsgCreateDid>(u) => {
                let m = decode_any::<pb::MsgCreateDid>(any)?;
                Ok(DidMsg::Create {
                    signer: Address::parse("signer", &m.signer)?,
                    document: document(m.document)?,
                    proof: proof(m.proof)?,
                })
            }
            u if is_type::<pb::MsgUpdateDid>(u) => {
                let m = decode_any::<pb::MsgUpdateDid>(any)?;
                Ok(DidMsg::Update {
                    signer: Address::parse("signer", &m.signer)?,
                    document: document(m.document)?,
                    version: m.version,
                    proof: proof(m.proof)?,
                })
            }
            u if is_type::<pb::MsgDeactivateDid>(u) => {
                let m = decode_any::<pb::MsgDeactivateDid>(any)?;
                Ok(DidMsg::Deactivate {
                    signer: Address::parse("signer", &m.signer)?,
                    did: Did::parse("did", &m.did)?,
                    version: m.version,
                    proof: proof(m.proof)?,
                })
            }
            u if is_type::<pb::MsgUpdateParams>(u) => {
                let m = decode_any::<pb::MsgUpdateParams>(any)?;
                let p =
                    m.params.ok_or_else(|| DidError::InvalidParams.with("params is missing: give every DID param"))?;
                Ok(DidMsg::UpdateParams {
                    authority: Address::parse("authority", &m.authority)?,
                    params: Params::from_proto(&p),
                })
            }
            other => Err(Error::sdk(SdkCode::UnknownRequest, format!("the did module does not handle {other}"))),
        }
    }

    pub fn to_any(&self) -> Any {
        match self {
            DidMsg::Create { signer, document, proof } => salus_proto::to_any(&pb::MsgCreateDid {
                signer: signer.to_string(),
                document: Some(document.clone()),
                proof: Some(proof.to_proto()),
            }),
            DidMsg::Update { signer, document, version, proof } => salus_proto::to_any(&pb::MsgUpdateDid {
                signer: signer.to_string(),
                document: Some(document.clone()),
                version: *version,
                proof: Some(proof.to_proto()),
            }),
            DidMsg::Deactivate { signer, did, version, proof } => salus_proto::to_any(&pb::MsgDeactivateDid {
                signer: signer.to_string(),
                did: did.to_string(),
                version: *version,
                proof: Some(proof.to_proto()),
            }),
            DidMsg::UpdateParams { authority, params } => salus_proto::to_any(&pb::MsgUpdateParams {
                authority: authority.to_string(),
                params: Some(params.to_proto()),
            }),
        }
    }

    /// The proof of a DID operation; `None` for the params update.
    pub fn proof(&self) -> Option<&Proof> {
        match self {
            DidMsg::Create { proof, .. } | DidMsg::Update { proof, .. } | DidMsg::Deactivate { proof, .. } => {
                Some(proof)
            }
            DidMsg::UpdateParams { .. } => None,
        }
    }
}

impl Msg for DidMsg {
    fn type_url(&self) -> String {
        match self {
            DidMsg::Create { .. } => type_url::<pb::MsgCreateDid>(),
            DidMsg::Update { .. } => type_url::<pb::MsgUpdateDid>(),
            DidMsg::Deactivate { .. } => type_url::<pb::MsgDeactivateDid>(),
            DidMsg::UpdateParams { .. } => type_url::<pb::MsgUpdateParams>(),
        }
    }

    fn validate_basic(&self) -> Result<(), Error> {
        let (did, proof) = match self {
            DidMsg::Create { document, proof, .. } | DidMsg::Update { document, proof, .. } => {
                (Did::parse("document.id", &document.id)?, proof)
            }
            DidMsg::Deactivate { did, proof, .. } => (did.clone(), proof),
            // As genesis checks them.
            DidMsg::UpdateParams { params, .. } => return params.validate(),
        };
        if let DidMsg::Create { document, proof, .. } = self {
            DidUrl::parse("proof.verification_method", &proof.verification_method)?;
            if !proof.verification_method.starts_with(&format!("{}#", document.id)) {
                return Err(DidError::Unauthorized.with(
                    "proof.verification_method: a DID is created with a key of its own document, not another DID's",
                ));
            }
        }
        if let DidMsg::Update { version: 0, .. } | DidMsg::Deactivate { version: 0, .. } = self {
            return Err(DidError::WrongVersion
                .with(format!("version is 0: give the version of {did} you are replacing (resolve it to see)")));
        }
        DidUrl::parse("proof.verification_method", &proof.verification_method)?;
        if proof.signature.is_empty() {
            return Err(DidError::InvalidProof.with("proof.signature is empty"));
        }
        Ok(())
    }

    fn signers(&self) -> Vec<Address> {
        match self {
            DidMsg::Create { signer, .. } | DidMsg::Update { signer, .. } | DidMsg::Deactivate { signer, .. } => {
                vec![*signer]
            }
            DidMsg::UpdateParams { authority, .. } => vec![*authority],
        }
    }

    fn authority(&self) -> Option<Address> {
        match self {
            DidMsg::UpdateParams { authority, .. } => Some(*authority),
            DidMsg::Create { .. } | DidMsg::Update { .. } | DidMsg::Deactivate { .. } => None,
        }
    }
}
