//! `--as <did> --key <key>` for every command whose message a DID performs: finds the key's
//! authentication method in the DID's document (or a controller's), takes the DID's next action
//! nonce from the chain and signs the message as [`crate::actor`] describes.

use anyhow::{anyhow, bail};
use clap::Args;
use prost::{Message, Name};
use salus_proto::salus::did::v1 as pb;
use salus_sdk::cli::{CliCtx, PubKey};
use salus_sdk::Address;

use crate::actor::{sign_bytes, unsigned_bytes};
use crate::cli::{find_method, public_key_of, resolve};
use crate::document::Relationship;
use crate::method::Did;
use crate::query::ACTION_NONCE_PATH;

/// Who acts, and who pays.
#[derive(Debug, Args, Clone)]
pub struct ActAs {
    /// The DID that acts (a patient, a clinician, an organization, an AI model).
    #[arg(long = "as", value_name = "DID")]
    pub did: String,
    /// Keyring key that signs for the DID: an authentication key of the DID or of one of its
    /// controllers.
    #[arg(long)]
    pub key: String,
    /// Keyring key (secp256k1) that signs the transaction and pays its fee [default: --key]. It
    /// need not control the DID: a hospital may pay for its patients.
    #[arg(long)]
    pub from: Option<String>,
}

impl ActAs {
    /// The account that pays and the keyring name that signs the transaction.
    pub fn payer(&self, ctx: &dyn CliCtx) -> anyhow::Result<(Address, String)> {
        match (&self.from, ctx.public_key(&self.key)?) {
            (Some(from), _) => Ok((ctx.key(from)?, from.clone())),
            (None, PubKey::Secp256k1(k)) => Ok((Address::from_secp256k1_pubkey(&k), self.key.clone())),
            (None, PubKey::Ed25519(_)) => bail!(
                "--key {} is an ed25519 key, which cannot sign transactions or pay fees: pass --from <secp256k1 key>",
                self.key
            ),
        }
    }

    pub fn parsed_did(&self) -> anyhow::Result<Did> {
        Did::parse("--as", &self.did).map_err(|e| anyhow!(e.message))
    }

    /// Fills `msg`'s actor proof: the DID acts with `--key`.
    pub fn sign<M: Message + Name + Clone>(
        &self,
        ctx: &dyn CliCtx,
        mut msg: M,
        actor: fn(&mut M) -> &mut Option<pb::ActorProof>,
    ) -> anyhow::Result<M> {
        let did = self.parsed_did()?;
        let vm = self.method(ctx, &did)?;
        let nonce = action_nonce(ctx, &did)?;
        *actor(&mut msg) =
            Some(pb::ActorProof { did: did.to_string(), verification_method: vm.clone(), nonce, signature: vec![] });
        let unsigned = unsigned_bytes(&msg, actor);
        let payload = sign_bytes(&ctx.chain_id()?, &did, nonce, &vm, &salus_proto::type_url::<M>(), &unsigned);
        let signature = ctx.sign(&self.key, &payload)?;
        if let Some(p) = actor(&mut msg).as_mut() {
            p.signature = signature;
        }
        Ok(msg)
    }

    /// The authentication method, of the DID or of a controller, whose key is `--key`.
    fn method(&self, ctx: &dyn CliCtx, did: &Did) -> anyhow::Result<String> {
        let key = public_key_of(ctx.public_key(&self.key)?);
        let (_, current) = resolve(ctx, did, None)?;
        if current.did_document_metadata.as_ref().is_some_and(|m| m.deactivated) {
            bail!("{did} is deactivated: a deactivated DID acts for nobody");
        }
        let doc = current.did_document.unwrap_or_default();
        if let Some(vm) = find_method(&doc, &key, Relationship::Authentication) {
            return Ok(vm);
        }
        for c in doc.controller.iter().filter(|c| **c != doc.id) {
            let controller = Did::parse("controller", c).map_err(|e| anyhow!(e.message))?;
            let (_, r) = resolve(ctx, &controller, None)?;
            if let Some(vm) = r.did_document.and_then(|d| find_method(&d, &key, Relationship::Authentication)) {
                return Ok(vm);
            }
        }
        bail!(
            "key `{}` is not an authentication key of {did} or of its controllers: act with a key the DID's document lists under authentication",
            self.key
        )
    }
}

/// The nonce the DID's next actor proof must carry.
pub fn action_nonce(ctx: &dyn CliCtx, did: &Did) -> anyhow::Result<u64> {
    let req = pb::QueryActionNonceRequest { did: did.to_string() };
    let bytes = ctx.query(ACTION_NONCE_PATH, req.encode_to_vec(), 0)?;
    Ok(pb::QueryActionNonceResponse::decode(bytes.as_slice())?.nonce)
}
