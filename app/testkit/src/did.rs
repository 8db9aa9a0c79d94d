//! DIDs that act: [`DidActor`] creates its `did:salus` (an ed25519 key, paid for by any account)
//! and signs the actor proofs of messages it performs (docs/did-method.md, "Acting as a DID").

use prost::{Message, Name};
use salus_did::actor::{sign_bytes, unsigned_bytes};
use salus_did::proof::{sign_bytes as op_sign_bytes, Proof};
use salus_did::state::Operation;
use salus_did::{cli, Did, DidMsg, PublicKey};
use salus_node::app::pipeline::TxOutcome;
use salus_proto::salus::did::v1 as pb;
use salus_proto::Any;

use crate::{Key, TestChain, CHAIN_ID};

pub struct DidActor {
    pub sk: ed25519_consensus::SigningKey,
    pub did: Did,
}

impl DidActor {
    /// The DID of the ed25519 key made from `seed` (not yet on chain).
    pub fn new(seed: u8) -> Self {
        let sk = ed25519_consensus::SigningKey::from([seed; 32]);
        let did = Did::from_key(&PublicKey::Ed25519(sk.verification_key().to_bytes()));
        DidActor { sk, did }
    }

    pub fn public_key(&self) -> PublicKey {
        PublicKey::Ed25519(self.sk.verification_key().to_bytes())
    }

    /// Its only verification method, with every relationship.
    pub fn method(&self) -> String {
        self.did.url("key-1")
    }

    /// `MsgCreateDid` of this DID, controlled by itself and `controllers`, paid by `payer`.
    pub fn create_msg(&self, payer: &Key, controllers: &[&Did]) -> Any {
        let controllers: Vec<String> = controllers.iter().map(|d| d.to_string()).collect();
        let doc = cli::new_document(&self.public_key(), false, &[], &controllers).expect("a valid new document");
        let vm = self.method();
        let payload =
            op_sign_bytes(Operation::Create, CHAIN_ID, &self.did, 0, Some(salus_did::document::hash_proto(&doc)), &vm);
        let proof = Proof { verification_method: vm, signature: self.sk.sign(&payload).to_bytes().to_vec() };
        DidMsg::Create { signer: payer.address, document: doc, proof }.to_any()
    }

    /// Creates the DID on `chain`; panics if the chain refuses.
    pub fn create(&self, chain: &mut TestChain, payer: &Key, controllers: &[&Did]) {
        let out = chain.exec(payer, self.create_msg(payer, controllers));
        assert!(out.is_ok(), "creating {}: {out:?}", self.did);
    }

    /// `msg` with its actor proof by this DID's key at `nonce`, acting as `did` (itself, or a DID
    /// it controls), for chain `chain_id`.
    pub fn sign_as<M: Message + Name + Clone>(
        &self,
        did: &Did,
        chain_id: &str,
        nonce: u64,
        mut msg: M,
        actor: fn(&mut M) -> &mut Option<pb::ActorProof>,
    ) -> M {
        let vm = self.method();
        *actor(&mut msg) =
            Some(pb::ActorProof { did: did.to_string(), verification_method: vm.clone(), nonce, signature: vec![] });
        let payload =
            sign_bytes(chain_id, did, nonce, &vm, &salus_proto::type_url::<M>(), &unsigned_bytes(&msg, actor));
        if let Some(p) = actor(&mut msg).as_mut() {
            p.signature = self.sk.sign(&payload).to_bytes().to_vec();
        }
        msg
    }

    /// `msg` signed as this DID with its next nonce on `chain`.
    pub fn act<M: Message + Name + Clone>(
        &self,
        chain: &TestChain,
        msg: M,
        actor: fn(&mut M) -> &mut Option<pb::ActorProof>,
    ) -> M {
        self.sign_as(&self.did, CHAIN_ID, action_nonce(chain, &self.did), msg, actor)
    }

    /// Signs `msg` as this DID and runs it, paid by `payer`, in a block.
    pub fn exec<M: Message + Name + Clone>(
        &self,
        chain: &mut TestChain,
        payer: &Key,
        msg: M,
        actor: fn(&mut M) -> &mut Option<pb::ActorProof>,
    ) -> TxOutcome {
        let msg = self.act(chain, msg, actor);
        chain.exec(payer, salus_proto::to_any(&msg))
    }
}

/// The DID's next action nonce.
pub fn action_nonce(chain: &TestChain, did: &Did) -> u64 {
    let req = pb::QueryActionNonceRequest { did: did.to_string() };
    let bytes = chain.query(salus_did::query::ACTION_NONCE_PATH, req.encode_to_vec()).expect("action nonce query");
    pb::QueryActionNonceResponse::decode(bytes.as_slice()).expect("action nonce answer").nonce
}
