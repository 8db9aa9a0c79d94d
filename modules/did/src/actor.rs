//! Acting as a DID: the one mechanism every module uses for messages a DID performs (a patient
//! anchoring a record, a grantor changing a consent, a clinician asking for access). The
//! transaction's signer only pays; the DID acts through an [`ActorProof`] by an authentication
//! method of its own current document or of a controller's, over the chain id, the DID's action
//! nonce and the whole message. See docs/did-method.md, "Acting as a DID".

use prost::{Message, Name};
use salus_proto::salus::did::v1 as pb;
use salus_sdk::{Error, SdkCode};

use crate::error::DidError;
use crate::method::{Did, DidUrl};

/// Gas for checking an actor proof's signature (as a DID operation proof).
pub const ACT_VERIFY_GAS: u64 = crate::handler::PROOF_VERIFY_GAS;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActorProof {
    pub did: Did,
    pub verification_method: DidUrl,
    pub nonce: u64,
    pub signature: Vec<u8>,
}

/// A decoded message's actor: the proof, and the bytes it must have signed (the message with the
/// proof's signature left empty), taken when the message is decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Acting {
    pub proof: ActorProof,
    pub type_url: String,
    pub unsigned: Vec<u8>,
}

impl ActorProof {
    pub fn from_proto(p: &pb::ActorProof) -> Result<Self, Error> {
        let did = Did::parse("actor.did", &p.did)?;
        let verification_method = DidUrl::parse("actor.verification_method", &p.verification_method)?;
        if p.signature.is_empty() {
            return Err(DidError::InvalidProof
                .with("actor.signature is empty: sign the message as the DID (`--as <did> --key <key>`)"));
        }
        Ok(ActorProof { did, verification_method, nonce: p.nonce, signature: p.signature.clone() })
    }

    pub fn to_proto(&self) -> pb::ActorProof {
        pb::ActorProof {
            did: self.did.to_string(),
            verification_method: self.verification_method.to_string(),
            nonce: self.nonce,
            signature: self.signature.clone(),
        }
    }
}

impl Acting {
    /// The actor of `msg`, whose proof `actor` points at. `unsigned` is the message's canonical
    /// encoding with the signature empty: what a client signs after building the message the same
    /// way.
    pub fn of<M: Message + Name + Clone>(
        msg: &M,
        actor: fn(&mut M) -> &mut Option<pb::ActorProof>,
    ) -> Result<Self, Error> {
        let mut copy = msg.clone();
        let slot = actor(&mut copy);
        let proof = slot.as_ref().ok_or_else(|| {
            DidError::InvalidProof.with("actor is missing: a DID acts in this message (`--as <did> --key <key>`)")
        })?;
        let proof = ActorProof::from_proto(proof)?;
        if let Some(p) = slot.as_mut() {
            p.signature.clear();
        }
        Ok(Acting { proof, type_url: salus_proto::type_url::<M>(), unsigned: copy.encode_to_vec() })
    }

    pub fn did(&self) -> &Did {
        &self.proof.did
    }
}

/// The bytes the actor's key signs.
pub fn sign_bytes(
    chain_id: &str,
    did: &Did,
    nonce: u64,
    verification_method: &str,
    type_url: &str,
    unsigned: &[u8],
) -> Vec<u8> {
    pb::ActSignPayload {
        chain_id: chain_id.to_string(),
        did: did.to_string(),
        nonce,
        verification_method: verification_method.to_string(),
        type_url: type_url.to_string(),
        message: unsigned.to_vec(),
    }
    .encode_to_vec()
}

/// The canonical unsigned encoding a client signs: `msg` with the actor's signature empty.
pub fn unsigned_bytes<M: Message + Clone>(msg: &M, actor: fn(&mut M) -> &mut Option<pb::ActorProof>) -> Vec<u8> {
    let mut copy = msg.clone();
    if let Some(p) = actor(&mut copy).as_mut() {
        p.signature.clear();
    }
    copy.encode_to_vec()
}

pub(crate) fn nonce_overflow(did: &Did) -> Error {
    Error::sdk(SdkCode::Internal, format!("{did}: action nonce overflow"))
}
