//! The token params change only by governance: `salus.token.v1.MsgUpdateParams` names the
//! governance module's account as its authority and signer; any other authority is refused with
//! nothing written, invalid params are refused as genesis refuses them, and stored params bind:
//! lowered caps refuse a transfer at decoding once the limits are reloaded from state (as the node
//! does at every Commit), and `send_enabled` switches transfers off and governance back on.

use salus_proto::salus::token::v1 as pb;
use salus_proto::Any;
use salus_sdk::module::NoRouter;
use salus_sdk::module::{governance_authority, GenesisCtx};
use salus_sdk::{Address, BlockCtx, Coins, Error, Event, Module, Msg, Overlay, SdkCode};
use salus_store::Storage;
use salus_token::genesis::{GenesisBalance, JsonCoin};
use salus_token::{Genesis, Params, TokenError, TokenModule, TokenMsg, TokenRead, FEE_COLLECTOR};

fn alice() -> Address {
    Address([1; 20])
}

fn bob() -> Address {
    Address([2; 20])
}

/// A committed store, one message a block.
struct Chain {
    _dir: tempfile::TempDir,
    storage: Storage,
    height: u64,
}

impl Chain {
    /// Alice holds 1000usalus.
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let storage = Storage::open(dir.path()).unwrap();
        let genesis = Genesis {
            balances: vec![GenesisBalance {
                address: alice().to_string(),
                coins: vec![JsonCoin { denom: "usalus".into(), amount: "1000".into() }],
            }],
            ..Genesis::default()
        };
        let base = storage.snapshot(0);
        let mut state = Overlay::new(&base);
        let ctx = GenesisCtx { module_accounts: vec![FEE_COLLECTOR] };
        TokenModule::init_genesis(&mut state, &ctx, &genesis).unwrap();
        let (writes, _) = state.into_parts();
        storage.commit(storage.prepare(0, &writes).unwrap()).unwrap();
        Chain { _dir: dir, storage, height: 0 }
    }

    fn snap(&self) -> salus_store::Snapshot {
        self.storage.snapshot(self.height)
    }

    /// The caps decoding uses, as the node reloads them at Commit.
    fn limits(&self) -> Params {
        TokenModule::decode_limits(&self.snap()).unwrap()
    }

    /// Runs `msg` through the module's `execute` (no `validate_basic`: the handler must check on
    /// its own) and commits it; a refusal must leave no write and no event, and commits nothing.
    fn run(&mut self, msg: &TokenMsg) -> Result<Vec<Event>, Error> {
        let snap = self.snap();
        let mut one = Overlay::new(&snap);
        let ctx = BlockCtx {
            chain_id: "salus-test-1".into(),
            height: self.height + 1,
            time_secs: 0,
            time_nanos: 0,
            header: Default::default(),
        };
        let result = TokenModule::execute(&mut one, &ctx, &NoRouter, msg);
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

fn update(authority: Address, params: Params) -> TokenMsg {
    TokenMsg::UpdateParams { authority, params }
}

fn lowered() -> Params {
    Params { send_enabled: true, max_multi_send_outputs: 2, max_denoms_per_transfer: 3 }
}

fn multi_send(outputs: usize) -> Any {
    let each = Coins::new(vec![salus_sdk::Coin::new(1, "usalus")]).unwrap();
    let total = Coins::new(vec![salus_sdk::Coin::new(outputs as u128, "usalus")]).unwrap();
    TokenMsg::MultiSend {
        inputs: vec![(alice(), total)],
        outputs: (0..outputs).map(|_| (bob(), each.clone())).collect(),
    }
    .to_any()
}

#[test]
fn the_update_names_the_governance_account_as_signer_and_authority_and_round_trips() {
    let msg = update(governance_authority(), lowered());
    assert_eq!(msg.signers(), vec![governance_authority()]);
    assert_eq!(msg.authority(), Some(governance_authority()));
    assert_eq!(msg.type_url(), "/salus.token.v1.MsgUpdateParams");
    assert!(TokenModule::type_urls().contains(&msg.type_url()), "the module routes it");
    assert!(TokenModule::SERVICES.contains(&"salus.token.v1.Msg"));
    let any = msg.to_any();
    assert_eq!(any.type_url, msg.type_url());
    assert_eq!(TokenModule::decode(&any, &Params::default()).unwrap(), msg);
    // Transfers name no authority.
    let send = TokenMsg::Send { from: alice(), to: bob(), amount: "1usalus".parse().unwrap() };
    assert_eq!(send.authority(), None);

    // Every param must be given.
    let bare =
        salus_proto::to_any(&pb::MsgUpdateParams { authority: governance_authority().to_string(), params: None });
    let e = TokenModule::decode(&bare, &Params::default()).unwrap_err();
    assert!(e.is(SdkCode::InvalidRequest) && e.message.contains("params is missing"), "{e}");
    let bad_authority =
        salus_proto::to_any(&pb::MsgUpdateParams { authority: "gov".into(), params: Some(lowered().to_proto()) });
    assert!(TokenModule::decode(&bad_authority, &Params::default()).unwrap_err().is(SdkCode::InvalidAddress));
}

#[test]
fn an_authority_other_than_governance_is_refused_and_changes_nothing() {
    let mut chain = Chain::new();
    for who in [alice(), FEE_COLLECTOR.address(), Address::module("distribution")] {
        let e = chain.run(&update(who, lowered())).unwrap_err();
        assert!(e.is(SdkCode::Unauthorized), "{e}");
        assert!(e.message.contains("invalid authority") && e.message.contains(&who.to_string()), "{}", e.message);
        assert!(e.message.contains(&governance_authority().to_string()), "names the expected authority");
    }
    assert_eq!(chain.snap().params().unwrap(), Params::default());
    assert_eq!(chain.limits(), Params::default());
}

#[test]
fn invalid_params_are_refused_as_genesis_refuses_them() {
    let mut chain = Chain::new();
    for bad in [
        Params { max_multi_send_outputs: 0, ..Params::default() },
        Params { max_denoms_per_transfer: 0, ..Params::default() },
    ] {
        let genesis = Genesis { params: bad.clone(), ..Genesis::default() };
        let by_genesis = TokenModule::validate_genesis(&genesis).unwrap_err();
        let msg = update(governance_authority(), bad);
        let by_message = msg.validate_basic().unwrap_err();
        assert_eq!((by_message.codespace, by_message.code), (by_genesis.codespace, by_genesis.code));
        assert!(by_message.is(SdkCode::InvalidRequest), "{by_message}");
        // The handler checks them too, whoever skipped validate_basic.
        assert!(chain.run(&msg).unwrap_err().is(SdkCode::InvalidRequest));
    }
    assert_eq!(chain.snap().params().unwrap(), Params::default());
}

#[test]
fn lowered_caps_are_stored_and_refuse_a_transfer_at_decoding_once_reloaded() {
    let mut chain = Chain::new();
    let three = multi_send(3);
    TokenModule::decode(&three, &chain.limits()).expect("3 outputs are within the default cap");

    let events = chain.run(&update(governance_authority(), lowered())).unwrap();
    let e = events.iter().find(|e| e.kind == "update_params").expect("an update_params event");
    assert_eq!(e.get("module"), Some("token"));
    assert_eq!(e.get("authority"), Some(governance_authority().to_string().as_str()));
    assert_eq!(e.get("max_multi_send_outputs"), Some("2"));
    assert_eq!(chain.snap().params().unwrap(), lowered());

    let limits = chain.limits();
    assert_eq!(limits, lowered());
    let err = TokenModule::decode(&three, &limits).unwrap_err();
    assert_eq!((err.codespace, err.code), ("token", TokenError::TooManyOutputs as u32), "{}", err.message);
    let two = TokenModule::decode(&multi_send(2), &limits).unwrap();
    chain.run(&two).unwrap();
    assert_eq!(chain.snap().balance(&bob(), "usalus").unwrap(), 2);

    let denoms: Coins = "1uaaa,1ubbb,1uccc,1uddd".parse().unwrap();
    let four_denoms = TokenMsg::Send { from: alice(), to: bob(), amount: denoms }.to_any();
    let err = TokenModule::decode(&four_denoms, &limits).unwrap_err();
    assert_eq!(err.code, TokenError::TooManyDenoms as u32, "{}", err.message);
}

#[test]
fn governance_switches_transfers_off_and_back_on() {
    let mut chain = Chain::new();
    let send = TokenMsg::Send { from: alice(), to: bob(), amount: "5usalus".parse().unwrap() };
    chain.run(&update(governance_authority(), Params { send_enabled: false, ..Params::default() })).unwrap();
    let e = chain.run(&send).unwrap_err();
    assert_eq!((e.codespace, e.code), ("token", TokenError::SendDisabled as u32), "{}", e.message);
    assert_eq!(chain.snap().balance(&bob(), "usalus").unwrap(), 0);

    // The update is not a transfer: it runs while transfers are off.
    chain.run(&update(governance_authority(), Params::default())).unwrap();
    chain.run(&send).unwrap();
    assert_eq!(chain.snap().balance(&bob(), "usalus").unwrap(), 5);
}
