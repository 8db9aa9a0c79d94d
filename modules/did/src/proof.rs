//! Operation proofs: the bytes a DID key signs, binding the chain, the DID, the version replaced
//! and the new document, so a proof is good for exactly one operation on one chain.

use prost::Message;
use salus_proto::salus::did::v1 as pb;

use crate::method::Did;
use crate::state::Operation;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proof {
    /// The DID URL of the signing verification method.
    pub verification_method: String,
    pub signature: Vec<u8>,
}

impl Proof {
    pub fn to_proto(&self) -> pb::DidProof {
        pb::DidProof { verification_method: self.verification_method.clone(), signature: self.signature.clone() }
    }
}

/// The protobuf-encoded [`pb::SignPayload`] of an operation.
pub fn sign_bytes(
    operation: Operation,
    chain_id: &str,
    did: &Did,
    version: u64,
    document_hash: Option<[u8; 32]>,
    verification_method: &str,
) -> Vec<u8> {
    pb::SignPayload {
        operation: operation.name().to_string(),
        chain_id: chain_id.to_string(),
        did: did.to_string(),
        version,
        document_hash: document_hash.map(|h| h.to_vec()).unwrap_or_default(),
        verification_method: verification_method.to_string(),
    }
    .encode_to_vec()
}
