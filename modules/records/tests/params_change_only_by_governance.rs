//! The records params change only by governance: `salus.records.v1.MsgUpdateParams` names the
//! governance module's account as its authority and signer; an account that signs it as its own
//! authority is refused (`sdk` 4) with nothing changed, a proposal of invalid params is refused at
//! submission as genesis refuses them, and a passed proposal's params bind the next message.

mod support;

use prost::Message;
use salus_proto::salus::records::v1 as pb;
use salus_records::{Genesis, Params, RecordsError, RecordsModule, RecordsMsg};
use salus_sdk::module::governance_authority;
use salus_sdk::{Address, Module, Msg, SdkCode};
use salus_testkit::{assert_code, gov_test_chain, key, submit_proposal_msg, TestChain, CHAIN_ID};
use support::{anchor, content, supersede, Chain, Person, Unsigned};

fn update(authority: Address, params: Params) -> RecordsMsg {
    RecordsMsg::UpdateParams { authority, params }
}

fn two_versions() -> Params {
    Params { max_versions: 2, ..Params::default() }
}

#[test]
fn the_update_names_the_governance_account_as_signer_and_authority_and_round_trips() {
    let msg = update(governance_authority(), two_versions());
    assert_eq!(msg.signers(), vec![governance_authority()]);
    assert_eq!(msg.authority(), Some(governance_authority()));
    assert_eq!(msg.acting(), None);
    assert_eq!(msg.type_url(), "/salus.records.v1.MsgUpdateParams");
    assert!(RecordsModule::type_urls().contains(&msg.type_url()));
    assert_eq!(RecordsModule::decode(&msg.to_any(), &()).unwrap(), msg);
    let bare =
        salus_proto::to_any(&pb::MsgUpdateParams { authority: governance_authority().to_string(), params: None });
    let e = RecordsModule::decode(&bare, &()).unwrap_err();
    assert_eq!((e.codespace, e.code), ("records", RecordsError::InvalidParams as u32));
}

#[test]
fn invalid_params_are_refused_as_genesis_refuses_them_and_others_are_unauthorized() {
    let mut chain = Chain::new(&Genesis::default());
    for bad in [
        Params { max_versions: 0, ..Params::default() },
        Params { max_commitments: 257, ..Params::default() },
        Params { max_content_hash_len: 10, ..Params::default() },
    ] {
        let by_genesis =
            RecordsModule::validate_genesis(&Genesis { params: bad.clone(), ..Genesis::default() }).unwrap_err();
        let e = chain.run(&update(governance_authority(), bad).to_any()).unwrap_err();
        assert_eq!((e.codespace, e.code), (by_genesis.codespace, by_genesis.code));
        assert_eq!(e.code, RecordsError::InvalidParams as u32);
    }
    for who in [Address([9; 20]), Address::module("distribution")] {
        let e = chain.run(&update(who, two_versions()).to_any()).unwrap_err();
        assert!(e.is(SdkCode::Unauthorized) && e.message.contains("invalid authority"), "{e}");
    }
    use salus_records::RecordRead;
    assert_eq!(chain.snap().records_params().unwrap(), Params::default());
}

fn acted(chain: &TestChain, who: &Person, msg: Unsigned) -> salus_proto::Any {
    use salus_did::DidRead;
    msg.sign(CHAIN_ID, &who.did(), who, chain.snapshot().action_nonce(&who.did()).unwrap())
}

#[test]
fn a_passed_proposal_sets_the_params_that_the_next_message_meets() {
    let (mut chain, validators) = gov_test_chain();
    let user = key(1);

    // A user signing the update as its own authority: refused, nothing changed.
    let out = chain.exec(&user, update(user.address, two_versions()).to_any());
    assert_code(&out, "sdk", SdkCode::Unauthorized as u32);
    // A proposal of invalid params is refused when it is submitted.
    let bad = update(governance_authority(), Params { max_versions: 0, ..Params::default() });
    let out = chain.exec(&user, submit_proposal_msg(vec![bad.to_any()]));
    assert_code(&out, "records", RecordsError::InvalidParams as u32);

    chain.pass_proposal(&validators, vec![update(governance_authority(), two_versions()).to_any()]);
    let answer = chain.query(salus_records::query::PARAMS_PATH, vec![]).unwrap();
    let params = pb::QueryParamsResponse::decode(answer.as_slice()).unwrap().params.unwrap();
    assert_eq!(Params::from_proto(&params), two_versions());
    let e = chain.block_events.iter().find(|e| e.kind == "update_params" && e.get("module") == Some("records"));
    assert_eq!(e.and_then(|e| e.get("max_versions")), Some("2"), "{:?}", chain.block_events);

    // The next supersede past two versions is refused.
    let patient = Person::new(42);
    assert!(chain.exec(&user, patient.create_did(CHAIN_ID, user.address).to_any()).is_ok());
    let p = patient.did();
    let c = |n| content(n, &[], &[], &[]);
    assert!(chain.exec(&user, acted(&chain, &patient, anchor(user.address, &p, &p, c(1)))).is_ok());
    assert!(chain.exec(&user, acted(&chain, &patient, supersede(user.address, 1, 1, c(2)))).is_ok());
    let out = chain.exec(&user, acted(&chain, &patient, supersede(user.address, 1, 2, c(3))));
    assert_code(&out, "records", RecordsError::TooManyVersions as u32);
}
