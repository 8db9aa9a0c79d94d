//! The DID params change only by governance: `salus.did.v1.MsgUpdateParams` names the governance
//! module's account as its authority and signer; any other authority is refused with nothing
//! written, invalid params are refused as genesis refuses them, and stored params bind the next
//! create or update. Documents written under looser params stay, and an export of them still
//! validates as a genesis.

use salus_did::proof::{sign_bytes, Proof};
use salus_did::state::{DidRead, Operation};
use salus_did::{cli, DidError, DidModule, DidMsg, Genesis, Params, PublicKey};
use salus_proto::salus::did::v1 as pb;
use salus_sdk::module::{governance_authority, NoRouter};
use salus_sdk::{Address, BlockCtx, Error, Event, Module, Msg, Overlay, SdkCode};
use salus_store::{Changes, Storage};

const CHAIN: &str = "salus-test-1";

struct Chain {
    _dir: tempfile::TempDir,
    storage: Storage,
    height: u64,
}

impl Chain {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let storage = Storage::open(dir.path()).unwrap();
        storage.commit(storage.prepare(0, &Changes::new()).unwrap()).unwrap();
        Chain { _dir: dir, storage, height: 0 }
    }

    fn snap(&self) -> salus_store::Snapshot {
        self.storage.snapshot(self.height)
    }

    /// Runs `msg` through the module's `execute` (no `validate_basic`: the handler must check on
    /// its own) and commits it; a refusal must leave no write and no event.
    fn run(&mut self, msg: &DidMsg) -> Result<Vec<Event>, Error> {
        let snap = self.snap();
        let mut one = Overlay::new(&snap);
        let ctx = BlockCtx {
            chain_id: CHAIN.into(),
            height: self.height + 1,
            time_secs: 1_800_000_000 + self.height as i64,
            time_nanos: 0,
            header: Default::default(),
        };
        let result = DidModule::execute(&mut one, &ctx, &NoRouter, msg);
        let (writes, events) = one.into_parts();
        if let Err(e) = result {
            assert!(writes.is_empty(), "a refused {} wrote {} keys", msg.type_url(), writes.len());
            assert!(events.is_empty(), "a refused {} emitted {events:?}", msg.type_url());
            return Err(e);
        }
        self.height += 1;
        self.storage.commit(self.storage.prepare(self.height, &writes).unwrap()).unwrap();
        Ok(events)
    }
}

struct Ed(ed25519_consensus::SigningKey);

impl Ed {
    fn new(seed: u8) -> Self {
        Ed(ed25519_consensus::SigningKey::from([seed; 32]))
    }
    fn public(&self) -> PublicKey {
        PublicKey::Ed25519(self.0.verification_key().to_bytes())
    }
}

/// A create of `key`'s DID with `services` services.
fn create(key: &Ed, services: usize) -> DidMsg {
    let services: Vec<String> = (0..services).map(|i| format!("s{i}=Svc=https://h.example/{i}")).collect();
    let doc = cli::new_document(&key.public(), false, &services, &[]).unwrap();
    let did = salus_did::Did::parse("id", &doc.id).unwrap();
    let vm = format!("{did}#key-1");
    let payload = sign_bytes(Operation::Create, CHAIN, &did, 0, Some(salus_did::document::hash_proto(&doc)), &vm);
    let signature = key.0.sign(&payload).to_bytes().to_vec();
    DidMsg::Create { signer: Address([9; 20]), document: doc, proof: Proof { verification_method: vm, signature } }
}

fn update(authority: Address, params: Params) -> DidMsg {
    DidMsg::UpdateParams { authority, params }
}

fn one_service() -> Params {
    Params { max_services: 1, ..Params::default() }
}

#[test]
fn the_update_names_the_governance_account_as_signer_and_authority_and_round_trips() {
    let msg = update(governance_authority(), one_service());
    assert_eq!(msg.signers(), vec![governance_authority()]);
    assert_eq!(msg.authority(), Some(governance_authority()));
    assert_eq!(msg.proof(), None);
    assert_eq!(msg.type_url(), "/salus.did.v1.MsgUpdateParams");
    assert!(DidModule::type_urls().contains(&msg.type_url()), "the module routes it");
    let any = msg.to_any();
    assert_eq!(DidModule::decode(&any, &()).unwrap(), msg);
    assert_eq!(create(&Ed::new(1), 0).authority(), None, "a DID operation names no authority");

    let bare =
        salus_proto::to_any(&pb::MsgUpdateParams { authority: governance_authority().to_string(), params: None });
    let e = DidModule::decode(&bare, &()).unwrap_err();
    assert_eq!((e.codespace, e.code), ("did", DidError::InvalidParams as u32), "{}", e.message);
}

#[test]
fn an_authority_other_than_governance_is_refused_and_changes_nothing() {
    let mut chain = Chain::new();
    for who in [Address([9; 20]), Address::module("distribution")] {
        let e = chain.run(&update(who, one_service())).unwrap_err();
        assert!(e.is(SdkCode::Unauthorized), "{e}");
        assert!(e.message.contains("invalid authority"), "{}", e.message);
    }
    assert_eq!(chain.snap().did_params().unwrap(), Params::default());
    chain.run(&create(&Ed::new(1), 2)).expect("two services are still allowed");
}

#[test]
fn invalid_params_are_refused_as_genesis_refuses_them() {
    let mut chain = Chain::new();
    for bad in [
        Params { max_verification_methods: 0, ..Params::default() },
        Params { max_services: 0, ..Params::default() },
        Params { max_controllers: 0, ..Params::default() },
        Params { max_document_bytes: 511, ..Params::default() },
    ] {
        let by_genesis = DidModule::validate_genesis(&Genesis { params: bad.clone(), dids: Vec::new() }).unwrap_err();
        let msg = update(governance_authority(), bad);
        let by_message = msg.validate_basic().unwrap_err();
        assert_eq!((by_message.codespace, by_message.code), (by_genesis.codespace, by_genesis.code));
        assert_eq!(by_message.code, DidError::InvalidParams as u32, "{}", by_message.message);
        let by_handler = chain.run(&msg).unwrap_err();
        assert_eq!(by_handler.code, DidError::InvalidParams as u32, "{}", by_handler.message);
    }
    assert_eq!(chain.snap().did_params().unwrap(), Params::default());
}

#[test]
fn lowered_bounds_bind_the_next_create_and_an_export_of_older_documents_still_validates() {
    let mut chain = Chain::new();
    let early = create(&Ed::new(1), 2);
    chain.run(&early).unwrap();

    let events = chain.run(&update(governance_authority(), one_service())).unwrap();
    let e = events.iter().find(|e| e.kind == "update_params").expect("an update_params event");
    assert_eq!(e.get("module"), Some("did"));
    assert_eq!(e.get("max_services"), Some("1"));
    assert_eq!(chain.snap().did_params().unwrap(), one_service());

    let err = chain.run(&create(&Ed::new(2), 2)).unwrap_err();
    assert_eq!((err.codespace, err.code), ("did", DidError::DocumentTooLarge as u32), "{}", err.message);
    chain.run(&create(&Ed::new(3), 1)).expect("one service is within the new bound");

    // The DID written before keeps its two services, and an export still starts a chain.
    let DidMsg::Create { document, .. } = &early else { unreachable!() };
    let did = salus_did::Did::parse("id", &document.id).unwrap();
    assert_eq!(chain.snap().resolve(&did, None).unwrap().unwrap().document.to_proto().service.len(), 2);
    let exported = Genesis::export(&chain.snap()).unwrap();
    assert_eq!(exported.params, one_service());
    assert_eq!(exported.dids.len(), 2);
    DidModule::validate_genesis(&exported).expect("an export validates whatever the params were lowered to");
}
