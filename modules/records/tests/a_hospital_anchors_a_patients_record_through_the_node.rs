//! Records through the whole node (tx pipeline, module list, query router): a hospital account
//! pays for its patient's DID and for the records; the hospital's DID anchors as custodian, the
//! patient's supersedes and erases; a replayed actor proof is refused while the fee and sequence
//! stick; the queries page through history and an owner's records; after the erase no locator or
//! key id is left in the node's state, and no code ever reached it.

mod support;

use prost::Message;
use salus_did::DidError;
use salus_proto::cosmos::base::query::v1beta1::PageRequest;
use salus_proto::salus::records::v1 as pb;
use salus_records::query::{BY_OWNER_PATH, HISTORY_PATH, PARAMS_PATH, RECORD_PATH};
use salus_records::{Params, RecordsError};
use salus_sdk::{SdkCode, StateRead};
use salus_testkit::{assert_code, key, TestChain, CHAIN_ID};
use support::{anchor, contains, content, erase, key_id, locator, supersede, Person, Unsigned, HIV_TEST, LOINC};

fn nonce(chain: &TestChain, did: &salus_did::Did) -> u64 {
    use salus_did::DidRead;
    chain.snapshot().action_nonce(did).unwrap()
}

fn acted(chain: &TestChain, who: &Person, msg: Unsigned) -> salus_proto::Any {
    msg.sign(CHAIN_ID, &who.did(), who, nonce(chain, &who.did()))
}

fn record(chain: &TestChain, id: u64) -> pb::Record {
    let bytes = chain.query(RECORD_PATH, pb::QueryRecordRequest { id }.encode_to_vec()).unwrap();
    pb::QueryRecordResponse::decode(bytes.as_slice()).unwrap().record.unwrap()
}

#[test]
fn a_hospital_anchors_a_patients_record_and_the_patient_erases_it() {
    let hospital_account = key(1);
    let mut chain = TestChain::new();
    let (patient, hospital) = (Person::new(42), Person::new(43));
    for who in [&patient, &hospital] {
        let out = chain.exec(&hospital_account, who.create_did(CHAIN_ID, hospital_account.address).to_any());
        assert!(out.is_ok(), "{out:?}");
    }
    let (p, h) = (patient.did(), hospital.did());
    let payer = hospital_account.address;
    let hiv = |n| content(n, &[(LOINC, HIV_TEST)], &[], &["R"]);

    // The hospital anchors, as custodian.
    let first = acted(&chain, &hospital, anchor(payer, &p, &h, hiv(1)));
    let out = chain.exec(&hospital_account, first.clone());
    assert!(out.is_ok(), "{out:?}");
    let e = out.events.iter().find(|e| e.kind == "record_anchored").expect("record_anchored");
    assert_eq!((e.get("id"), e.get("actor"), e.get("owner")), (Some("1"), Some(h.as_str()), Some(p.as_str())));
    assert!(out.events.iter().any(|e| e.kind == "message" && e.get("module") == Some("records")), "{:?}", out.events);

    // The same proof in a new tx: refused, the fee and the sequence stick.
    let before = (chain.balance(&payer), chain.account(&payer).unwrap().1);
    let out = chain.exec(&hospital_account, first);
    assert_code(&out, "did", DidError::WrongNonce as u32);
    assert!(chain.balance(&payer) < before.0);
    assert_eq!(chain.account(&payer).unwrap().1, before.1 + 1);

    // The patient supersedes it; a stranger DID cannot.
    for n in 2..=4 {
        let out = chain.exec(&hospital_account, acted(&chain, &patient, supersede(payer, 1, n - 1, hiv(n))));
        assert!(out.is_ok(), "{out:?}");
    }
    let stranger = Person::new(44);
    chain.exec(&hospital_account, stranger.create_did(CHAIN_ID, payer).to_any());
    let out = chain.exec(&hospital_account, acted(&chain, &stranger, supersede(payer, 1, 4, hiv(5))));
    assert_code(&out, "records", RecordsError::Unauthorized as u32);

    // Queries: the record, its history a page at a time, the owner's records, the params.
    let r = record(&chain, 1);
    assert_eq!((r.status.as_str(), r.current.as_ref().unwrap().version), ("active", 4));
    assert_eq!(r.current.as_ref().unwrap().locator, locator(4));
    let page = |key: Vec<u8>| {
        let req =
            pb::QueryHistoryRequest { id: 1, pagination: Some(PageRequest { key, limit: 3, ..Default::default() }) };
        pb::QueryHistoryResponse::decode(chain.query(HISTORY_PATH, req.encode_to_vec()).unwrap().as_slice()).unwrap()
    };
    let first_page = page(vec![]);
    assert_eq!(first_page.versions.iter().map(|v| v.version).collect::<Vec<_>>(), vec![1, 2, 3]);
    let next = first_page.pagination.unwrap().next_key;
    let second = page(next);
    assert_eq!(second.versions.iter().map(|v| v.version).collect::<Vec<_>>(), vec![4]);
    assert!(second.pagination.unwrap().next_key.is_empty());
    let req = pb::QueryRecordsByOwnerRequest { owner: p.to_string(), pagination: None };
    let owned =
        pb::QueryRecordsByOwnerResponse::decode(chain.query(BY_OWNER_PATH, req.encode_to_vec()).unwrap().as_slice())
            .unwrap();
    assert_eq!(owned.records.iter().map(|r| r.id).collect::<Vec<_>>(), vec![1]);
    let params = pb::QueryParamsResponse::decode(chain.query(PARAMS_PATH, vec![]).unwrap().as_slice()).unwrap();
    assert_eq!(Params::from_proto(&params.params.unwrap()), Params::default());
    let missing = chain.query(RECORD_PATH, pb::QueryRecordRequest { id: 9 }.encode_to_vec()).unwrap_err();
    assert!(missing.is(SdkCode::KeyNotFound), "{missing:?}");
    let zero = chain.query(RECORD_PATH, pb::QueryRecordRequest { id: 0 }.encode_to_vec()).unwrap_err();
    assert!(zero.is(SdkCode::InvalidRequest), "{zero:?}");

    // The patient erases it: nothing of where or how it was stored is left in the node's state.
    let secrets: Vec<String> = (1..=4).flat_map(|n| [locator(n), key_id(n)]).collect();
    let scan = |chain: &TestChain| chain.snapshot().prefix_raw(b"").unwrap();
    let all = scan(&chain);
    assert!(secrets.iter().all(|s| all.iter().any(|(_, v)| contains(v, s.as_bytes()))));
    let out = chain.exec(&hospital_account, acted(&chain, &patient, erase(payer, 1)));
    assert!(out.is_ok(), "{out:?}");
    let all = scan(&chain);
    for s in &secrets {
        assert!(!all.iter().any(|(k, v)| contains(k, s.as_bytes()) || contains(v, s.as_bytes())), "{s} is in state");
    }
    for code in [HIV_TEST, LOINC] {
        assert!(
            !all.iter().any(|(k, v)| contains(k, code.as_bytes()) || contains(v, code.as_bytes())),
            "{code} in state"
        );
    }
    let r = record(&chain, 1);
    assert_eq!(r.status, "erased");
    assert!(r.erased.is_some() && r.current.as_ref().unwrap().locator.is_empty());
    let out = chain.exec(&hospital_account, acted(&chain, &hospital, supersede(payer, 1, 4, hiv(6))));
    assert_code(&out, "records", RecordsError::Erased as u32);
}
