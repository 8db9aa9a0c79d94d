//! `ActAsDid`: checks a message's [`Acting`] and spends the DID's nonce. Modules call it first in
//! every handler of a message a DID performs, and then check what that DID may do.

use salus_sdk::{BlockCtx, Error, StateWrite, StateWriteExt};

use crate::actor::{nonce_overflow, sign_bytes, Acting, ACT_VERIFY_GAS};
use crate::document::Relationship;
use crate::error::DidError;
use crate::keys;
use crate::method::Did;
use crate::state::DidRead;

pub trait ActAsDid: StateWrite {
    /// The DID that acts, once its proof checks: the DID exists and is active, the method is an
    /// authentication method of its current document or of an active controller's, the nonce is
    /// the DID's next one and the signature verifies over this chain's sign bytes. Spends the
    /// nonce. A deactivated DID acts for nobody.
    fn act_as(&mut self, ctx: &BlockCtx, acting: &Acting) -> Result<Did, Error> {
        let proof = &acting.proof;
        let did = &proof.did;
        let (_, current) = self.active_document(did)?;
        let signer_did = &proof.verification_method.did;
        let owner = if signer_did == did {
            current
        } else {
            if !current.controllers().contains(signer_did) {
                return Err(DidError::Unauthorized.with(format!(
                    "{signer_did} neither is nor controls {did}: sign with an authentication key of {did} or of a controller"
                )));
            }
            self.active_document(signer_did)
                .map_err(|e| DidError::ControllerNotFound.with(format!("controller {signer_did}: {}", e.message)))?
                .1
        };
        let method_id = proof.verification_method.to_string();
        let method = owner.method_for(Relationship::Authentication, &method_id).ok_or_else(|| {
            DidError::Unauthorized.with(format!(
                "{method_id} is not an authentication method of {signer_did}'s current document: act with one that is"
            ))
        })?;
        let expected = self.action_nonce(did)?;
        if proof.nonce != expected {
            return Err(DidError::WrongNonce.with(format!(
                "actor.nonce is {}, but {did}'s next action nonce is {expected}: sign again with nonce {expected}",
                proof.nonce
            )));
        }
        self.charge_gas(ACT_VERIFY_GAS, "did actor proof verify")?;
        let payload = sign_bytes(&ctx.chain_id, did, proof.nonce, &method_id, &acting.type_url, &acting.unsigned);
        method.key.verify(&payload, &proof.signature).map_err(|why| {
            DidError::InvalidProof.with(format!(
                "actor proof by {method_id} does not verify: {why}. It must sign this exact message for chain-id {} and nonce {}",
                ctx.chain_id, proof.nonce
            ))
        })?;
        let next = expected.checked_add(1).ok_or_else(|| nonce_overflow(did))?;
        self.put(keys::nonce(did), &next)?;
        Ok(did.clone())
    }
}
impl<S: StateWrite + ?Sized> ActAsDid for S {}
