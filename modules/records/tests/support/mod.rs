//! What the records tests share: patients and custodians with ed25519 DIDs, actor proofs signed
//! as [`salus_did::actor`] describes, record contents, and a store-level chain that runs the DID
//! and records modules' messages each in its own block (decoded from their `Any`, checked without
//! state, then executed, as the tx pipeline does); a refused message commits nothing.

#![allow(dead_code)]

use prost::{Message, Name};
use salus_did::proof::{sign_bytes as did_sign_bytes, Proof};
use salus_did::state::Operation;
use salus_did::{Did, DidModule, DidMsg, DidRead, PublicKey};
use salus_proto::salus::did::v1::ActorProof;
use salus_proto::salus::records::v1 as pb;
use salus_proto::Any;
use salus_records::{CommitmentKey, RecordsModule};
use salus_sdk::module::NoRouter;
use salus_sdk::{Address, BlockCtx, Error, Event, Module, Msg, Overlay, StateRead};
use salus_store::Storage;

pub const CHAIN: &str = "salus-test-1";
pub const SHA256_HEX_PREFIX: &str = "1220";

/// A DID made from an ed25519 key: `#key-1` authenticates it.
#[derive(Clone)]
pub struct Person(pub ed25519_consensus::SigningKey);

impl Person {
    pub fn new(seed: u8) -> Self {
        Person(ed25519_consensus::SigningKey::from([seed; 32]))
    }
    pub fn public(&self) -> PublicKey {
        PublicKey::Ed25519(self.0.verification_key().to_bytes())
    }
    pub fn did(&self) -> Did {
        Did::from_key(&self.public())
    }
    pub fn vm(&self) -> String {
        self.did().url("key-1")
    }
    pub fn sign(&self, bytes: &[u8]) -> Vec<u8> {
        self.0.sign(bytes).to_bytes().to_vec()
    }

    /// The create of this person's DID, paid by `payer`.
    pub fn create_did(&self, chain_id: &str, payer: Address) -> DidMsg {
        let doc = salus_did::cli::new_document(&self.public(), false, &[], &[]).unwrap();
        let hash = salus_did::document::hash_proto(&doc);
        let signature = self.sign(&did_sign_bytes(Operation::Create, chain_id, &self.did(), 0, Some(hash), &self.vm()));
        DidMsg::Create { signer: payer, document: doc, proof: Proof { verification_method: self.vm(), signature } }
    }

    /// The deactivation of this person's DID at `version`.
    pub fn deactivate_did(&self, chain_id: &str, payer: Address, version: u64) -> DidMsg {
        let signature =
            self.sign(&did_sign_bytes(Operation::Deactivate, chain_id, &self.did(), version, None, &self.vm()));
        DidMsg::Deactivate {
            signer: payer,
            did: self.did(),
            version,
            proof: Proof { verification_method: self.vm(), signature },
        }
    }
}

/// `msg` with an actor proof claiming `did`, signed by `key` (normally `did`'s own key) with
/// `nonce`.
pub fn act_as<M: Message + Name + Clone>(
    chain_id: &str,
    did: &Did,
    key: &Person,
    nonce: u64,
    mut msg: M,
    actor: fn(&mut M) -> &mut Option<ActorProof>,
) -> M {
    let vm = did.url("key-1");
    *actor(&mut msg) =
        Some(ActorProof { did: did.to_string(), verification_method: vm.clone(), nonce, signature: vec![] });
    let unsigned = salus_did::actor::unsigned_bytes(&msg, actor);
    let payload = salus_did::actor::sign_bytes(chain_id, did, nonce, &vm, &salus_proto::type_url::<M>(), &unsigned);
    if let Some(p) = actor(&mut msg).as_mut() {
        p.signature = key.sign(&payload);
    }
    msg
}

/// A record message (anchor, supersede or erase) before its actor proof.
#[derive(Clone, Debug)]
pub enum Unsigned {
    Anchor(pb::MsgAnchorRecord),
    Supersede(pb::MsgSupersedeRecord),
    Erase(pb::MsgEraseRecord),
}

impl Unsigned {
    /// Signed as `did` by `key`, with `nonce`.
    pub fn sign(self, chain_id: &str, did: &Did, key: &Person, nonce: u64) -> Any {
        match self {
            Unsigned::Anchor(m) => salus_proto::to_any(&act_as(chain_id, did, key, nonce, m, |m| &mut m.actor)),
            Unsigned::Supersede(m) => salus_proto::to_any(&act_as(chain_id, did, key, nonce, m, |m| &mut m.actor)),
            Unsigned::Erase(m) => salus_proto::to_any(&act_as(chain_id, did, key, nonce, m, |m| &mut m.actor)),
        }
    }
}

pub fn anchor(payer: Address, owner: &Did, custodian: &Did, content: pb::RecordContent) -> Unsigned {
    Unsigned::Anchor(pb::MsgAnchorRecord {
        signer: payer.to_string(),
        actor: None,
        owner: owner.to_string(),
        custodian: custodian.to_string(),
        content: Some(content),
    })
}

pub fn supersede(payer: Address, id: u64, version: u64, content: pb::RecordContent) -> Unsigned {
    Unsigned::Supersede(pb::MsgSupersedeRecord {
        signer: payer.to_string(),
        actor: None,
        id,
        version,
        content: Some(content),
    })
}

pub fn erase(payer: Address, id: u64) -> Unsigned {
    Unsigned::Erase(pb::MsgEraseRecord { signer: payer.to_string(), actor: None, id })
}

/// The patient's commitment key in these tests.
pub fn commitment_key() -> CommitmentKey {
    CommitmentKey([7; 32])
}

/// A version's payload: a sha2-256 multihash of `n`, a locator and key id that name `n`, the
/// category and sensitivity codes committed with [`commitment_key`].
pub fn content(
    n: u64,
    categories: &[(&str, &str)],
    sensitivity: &[(&str, &str)],
    confidentiality: &[&str],
) -> pb::RecordContent {
    use sha2::Digest;
    let key = commitment_key();
    let digest = sha2::Sha256::digest(n.to_be_bytes());
    pb::RecordContent {
        content_hash: format!("{SHA256_HEX_PREFIX}{}", hex::encode(digest)),
        size: 1000 + n,
        locator: locator(n),
        encryption: Some(pb::Encryption { algorithm: "AES-256-GCM".into(), key_id: key_id(n) }),
        category_commitments: categories.iter().map(|(s, c)| key.commit(s, c).0.to_vec()).collect(),
        confidentiality: confidentiality.iter().map(|c| c.to_string()).collect(),
        sensitivity_commitments: sensitivity.iter().map(|(s, c)| key.commit(s, c).0.to_vec()).collect(),
    }
}

pub fn locator(n: u64) -> String {
    format!("https://vault.example/objects/obj-{n:06}-x")
}

pub fn key_id(n: u64) -> String {
    format!("kms:dek-{n:06}-x")
}

pub const LOINC: &str = "http://loinc.org";
pub const HIV_TEST: &str = "75622-1";
pub const ACT_CODE: &str = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

/// A store whose every block runs one message.
pub struct Chain {
    _dir: tempfile::TempDir,
    pub storage: Storage,
    pub height: u64,
}

pub fn payer() -> Address {
    Address([9; 20])
}

impl Chain {
    /// A chain with the records genesis `genesis` (the DID section empty).
    pub fn new(genesis: &salus_records::Genesis) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let storage = Storage::open(dir.path()).unwrap();
        let empty = storage.snapshot(0);
        let mut block = Overlay::new(&empty);
        RecordsModule::init_genesis(&mut block, &Default::default(), genesis).unwrap();
        let (writes, _) = block.into_parts();
        storage.commit(storage.prepare(0, &writes).unwrap()).unwrap();
        Chain { _dir: dir, storage, height: 0 }
    }

    pub fn snap(&self) -> salus_store::Snapshot {
        self.storage.snapshot(self.height)
    }

    pub fn ctx(&self) -> BlockCtx {
        BlockCtx {
            chain_id: CHAIN.into(),
            height: self.height + 1,
            time_secs: 1_800_000_000 + self.height as i64 * 5,
            time_nanos: 0,
            header: Default::default(),
        }
    }

    /// Decodes `any` with the module that routes it, checks it without state and runs it in the
    /// next block. A refusal (at any step) commits nothing.
    pub fn run(&mut self, any: &Any) -> Result<Vec<Event>, Error> {
        let snap = self.snap();
        let mut one = Overlay::new(&snap);
        let ctx = self.ctx();
        let result = if RecordsModule::type_urls().contains(&any.type_url) {
            RecordsModule::decode(any, &()).and_then(|m| {
                m.validate_basic()?;
                RecordsModule::execute(&mut one, &ctx, &NoRouter, &m)
            })
        } else {
            DidModule::decode(any, &()).and_then(|m| {
                m.validate_basic()?;
                DidModule::execute(&mut one, &ctx, &NoRouter, &m)
            })
        };
        let (writes, events) = one.into_parts();
        // As the tx pipeline does: a failed message's overlay (the nonce its proof spent
        // included) is dropped.
        result?;
        self.height += 1;
        self.storage.commit(self.storage.prepare(self.height, &writes).unwrap()).unwrap();
        Ok(events)
    }

    pub fn did(&mut self, who: &Person) -> Did {
        self.run(&who.create_did(CHAIN, payer()).to_any()).expect("the DID is created");
        who.did()
    }

    pub fn nonce(&self, did: &Did) -> u64 {
        self.snap().action_nonce(did).unwrap()
    }

    /// `msg` acted by `who` as its own DID, with its next nonce.
    pub fn act(&mut self, who: &Person, msg: Unsigned) -> Result<Vec<Event>, Error> {
        let any = msg.sign(CHAIN, &who.did(), who, self.nonce(&who.did()));
        self.run(&any)
    }

    /// Every (key, value) of the store.
    pub fn everything(&self) -> Vec<(Vec<u8>, Vec<u8>)> {
        self.snap().prefix_raw(b"").unwrap()
    }
}

/// The refusal's (codespace, code).
pub fn code(r: Result<Vec<Event>, Error>) -> (&'static str, u32) {
    match r {
        Ok(events) => panic!("expected a refusal, got {events:?}"),
        Err(e) => (e.codespace, e.code),
    }
}

/// Whether `needle` occurs in `hay`.
pub fn contains(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}
