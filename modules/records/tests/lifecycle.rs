//! A record's life on a temporary real store: anchored by its custodian, superseded by its owner
//! with every version kept, erased (crypto-shredding) so that no locator or key id is left
//! anywhere in state; codes never reach state or events; a replayed proof, a deactivated DID, a
//! wrong version and an erased record are refused with their codes; an export starts again in
//! the same state.

mod support;

use salus_did::{DidError, DidModule, DidRead};
use salus_records::{Genesis, Params, RecordRead, RecordsError, RecordsModule, Status};
use salus_sdk::{Event, Module, Overlay, Page, StateRead};
use support::*;

type Wire = salus_proto::salus::records::v1::RecordContent;
type ContentChange = Box<dyn Fn(&mut Wire)>;
type GenesisChange = Box<dyn Fn(&mut Genesis)>;

fn records(e: RecordsError) -> (&'static str, u32) {
    ("records", e as u32)
}

fn did(e: DidError) -> (&'static str, u32) {
    ("did", e as u32)
}

fn hiv_content(n: u64) -> Wire {
    content(n, &[(LOINC, HIV_TEST)], &[(ACT_CODE, "HIV")], &["R"])
}

/// Every attribute of every event, as bytes.
fn event_bytes(events: &[Event]) -> Vec<u8> {
    events.iter().flat_map(|e| e.attributes.iter().flat_map(|(k, v)| [k.as_bytes(), v.as_bytes()].concat())).collect()
}

#[test]
fn a_record_is_anchored_superseded_and_erased_with_its_history_kept() {
    let mut chain = Chain::new(&Genesis::default());
    let (patient, hospital) = (Person::new(1), Person::new(2));
    let (p, h) = (chain.did(&patient), chain.did(&hospital));

    // The hospital, custodian, anchors the patient's record; a third account pays.
    let events = chain.act(&hospital, anchor(payer(), &p, &h, hiv_content(1))).unwrap();
    let e = events.iter().find(|e| e.kind == "record_anchored").expect("record_anchored");
    assert_eq!(
        e.attributes,
        vec![
            ("id".to_string(), "1".to_string()),
            ("version".into(), "1".into()),
            ("owner".into(), p.to_string()),
            ("custodian".into(), h.to_string()),
            ("actor".into(), h.to_string()),
            ("signer".into(), payer().to_string()),
        ]
    );
    let r = chain.snap().record(1).unwrap().unwrap();
    assert_eq!((r.id, &r.owner, &r.custodian, r.status, r.version), (1, &p, &h, Status::Active, 1));
    assert_eq!(r.current.locator.as_deref(), Some(locator(1).as_str()));
    assert_eq!(r.current.encryption.as_ref().unwrap().key_id, key_id(1));
    assert_eq!(r.current.categories, vec![commitment_key().commit(LOINC, HIV_TEST)]);
    assert_eq!(r.created, r.current.time);
    assert_eq!(chain.snap().next_record_id().unwrap(), 2);

    // The patient, owner, supersedes it twice; every version stays.
    chain.act(&patient, supersede(payer(), 1, 1, hiv_content(2))).unwrap();
    let events = chain.act(&patient, supersede(payer(), 1, 2, hiv_content(3))).unwrap();
    assert_eq!(events[0].kind, "record_superseded");
    assert_eq!(events[0].get("version"), Some("3"));
    assert_eq!(events[0].get("actor"), Some(p.as_str()));
    let snap = chain.snap();
    let r = snap.record(1).unwrap().unwrap();
    assert_eq!((r.version, r.current.version), (3, 3));
    let versions = snap.record_versions(1).unwrap();
    assert_eq!(versions.iter().map(|v| v.version).collect::<Vec<_>>(), vec![1, 2, 3]);
    assert_eq!(versions[0].locator.as_deref(), Some(locator(1).as_str()));
    let (page, resp) = snap.record_history_page(1, &Page { limit: 2, ..Page::first() }).unwrap();
    assert_eq!(page.iter().map(|v| v.version).collect::<Vec<_>>(), vec![1, 2]);
    assert_eq!(resp.next_key, 3u64.to_be_bytes().to_vec());
    let (owned, _) = snap.records_by_owner_page(&p, &Page::first()).unwrap();
    assert_eq!(owned.iter().map(|r| r.id).collect::<Vec<_>>(), vec![1]);
    let (held, _) = snap.records_by_custodian_page(&h, &Page::first()).unwrap();
    assert_eq!(held.len(), 1);
    assert!(snap.records_by_owner_page(&h, &Page::first()).unwrap().0.is_empty());

    // A stale version is refused.
    assert_eq!(
        code(chain.act(&hospital, supersede(payer(), 1, 2, hiv_content(4)))),
        records(RecordsError::WrongVersion)
    );

    // The hospital erases it: every version loses its locator and key id, hashes and commitments stay.
    let events = chain.act(&hospital, erase(payer(), 1)).unwrap();
    assert_eq!(events[0].kind, "record_erased");
    let snap = chain.snap();
    let r = snap.record(1).unwrap().unwrap();
    assert_eq!(r.status, Status::Erased);
    assert!(r.erased.is_some());
    for v in snap.record_versions(1).unwrap() {
        assert_eq!((v.locator, v.encryption), (None, None));
        assert!(v.content_hash.starts_with(SHA256_HEX_PREFIX));
        assert_eq!(v.categories, vec![commitment_key().commit(LOINC, HIV_TEST)]);
    }

    // An erased record never changes again, by anyone.
    assert_eq!(code(chain.act(&patient, supersede(payer(), 1, 3, hiv_content(5)))), records(RecordsError::Erased));
    assert_eq!(code(chain.act(&patient, erase(payer(), 1))), records(RecordsError::Erased));
    assert_eq!(code(chain.act(&patient, erase(payer(), 9))), records(RecordsError::NotFound));
}

#[test]
fn an_erase_leaves_no_locator_or_key_id_in_state_and_codes_never_reach_it() {
    let mut chain = Chain::new(&Genesis::default());
    let (patient, vault) = (Person::new(1), Person::new(3));
    let (p, v) = (chain.did(&patient), chain.did(&vault));
    let mut events = chain.act(&patient, anchor(payer(), &p, &v, hiv_content(11))).unwrap();
    events.extend(chain.act(&vault, supersede(payer(), 1, 1, hiv_content(12))).unwrap());
    // A second record keeps its locator: the erase is of one record only.
    events.extend(chain.act(&patient, anchor(payer(), &p, &v, hiv_content(13))).unwrap());

    let secrets = [locator(11), key_id(11), locator(12), key_id(12)];
    let all = chain.everything();
    let found =
        |needle: &str| all.iter().any(|(k, v)| contains(k, needle.as_bytes()) || contains(v, needle.as_bytes()));
    for s in &secrets {
        assert!(found(s), "the scan finds {s} before the erase");
    }
    events.extend(chain.act(&patient, erase(payer(), 1)).unwrap());

    let all = chain.everything();
    let found =
        |needle: &str| all.iter().any(|(k, v)| contains(k, needle.as_bytes()) || contains(v, needle.as_bytes()));
    for s in &secrets {
        assert!(!found(s), "{s} is still in state after the erase");
    }
    assert!(found(&locator(13)) && found(&key_id(13)), "the other record is untouched");
    // No code, in clear, ever: not in state, not in an event.
    let events = event_bytes(&events);
    for code in [HIV_TEST, LOINC, "HIV", ACT_CODE] {
        assert!(!found(code), "{code} in state");
        assert!(!contains(&events, code.as_bytes()), "{code} in an event");
    }
    for s in [locator(11), key_id(11), locator(13)] {
        assert!(!contains(&events, s.as_bytes()), "{s} in an event");
    }
}

#[test]
fn a_replayed_proof_a_forged_one_and_a_deactivated_did_are_refused() {
    let mut chain = Chain::new(&Genesis::default());
    let (patient, hospital, stranger) = (Person::new(1), Person::new(2), Person::new(4));
    let (p, h) = (chain.did(&patient), chain.did(&hospital));
    chain.did(&stranger);

    let first = anchor(payer(), &p, &h, hiv_content(1)).sign(CHAIN, &p, &patient, chain.nonce(&p));
    chain.run(&first).unwrap();
    // The same proof again: its nonce is spent.
    assert_eq!(code(chain.run(&first)), did(DidError::WrongNonce));
    // A proof for another chain.
    let other = supersede(payer(), 1, 1, hiv_content(2)).sign("another-chain", &p, &patient, chain.nonce(&p));
    assert_eq!(code(chain.run(&other)), did(DidError::InvalidProof));
    // The stranger signs as the patient with its own key.
    let forged = supersede(payer(), 1, 1, hiv_content(2)).sign(CHAIN, &p, &stranger, chain.nonce(&p));
    assert_eq!(code(chain.run(&forged)), did(DidError::InvalidProof));
    // The stranger as itself: not a party.
    assert_eq!(
        code(chain.act(&stranger, supersede(payer(), 1, 1, hiv_content(2)))),
        records(RecordsError::Unauthorized)
    );
    assert_eq!(code(chain.act(&stranger, erase(payer(), 1))), records(RecordsError::Unauthorized));
    let s = stranger.did();
    assert_eq!(
        code(chain.act(&stranger, anchor(payer(), &p, &h, hiv_content(3)))),
        records(RecordsError::Unauthorized)
    );
    assert_eq!(chain.nonce(&s), 0, "a refused message spends no nonce");
    assert_eq!(chain.snap().record(1).unwrap().unwrap().version, 1);

    // A deactivated custodian acts for nobody, and nobody anchors a record naming it.
    chain.run(&hospital.deactivate_did(CHAIN, payer(), 1).to_any()).unwrap();
    assert_eq!(code(chain.act(&hospital, supersede(payer(), 1, 1, hiv_content(4)))), did(DidError::Deactivated));
    assert_eq!(code(chain.act(&patient, anchor(payer(), &p, &h, hiv_content(5)))), did(DidError::Deactivated));
    // The owner still supersedes and erases its record.
    chain.act(&patient, supersede(payer(), 1, 1, hiv_content(6))).unwrap();
    chain.act(&patient, erase(payer(), 1)).unwrap();
}

#[test]
fn a_record_reaches_max_versions_and_then_only_erases() {
    let params = Params { max_versions: 3, ..Params::default() };
    let mut chain = Chain::new(&Genesis { params, ..Genesis::default() });
    let patient = Person::new(1);
    let p = chain.did(&patient);
    chain.act(&patient, anchor(payer(), &p, &p, hiv_content(1))).unwrap();
    chain.act(&patient, supersede(payer(), 1, 1, hiv_content(2))).unwrap();
    chain.act(&patient, supersede(payer(), 1, 2, hiv_content(3))).unwrap();
    let e = chain.act(&patient, supersede(payer(), 1, 3, hiv_content(4))).unwrap_err();
    assert_eq!((e.codespace, e.code), records(RecordsError::TooManyVersions));
    assert!(e.message.contains("anchor a new record"), "{}", e.message);
    chain.act(&patient, erase(payer(), 1)).unwrap();
}

#[test]
fn bad_content_is_refused_and_spends_nothing() {
    let mut chain = Chain::new(&Genesis::default());
    let patient = Person::new(1);
    let p = chain.did(&patient);
    let with = |change: &dyn Fn(&mut Wire)| {
        let mut c = hiv_content(1);
        change(&mut c);
        anchor(payer(), &p, &p, c)
    };
    let cases: Vec<(ContentChange, RecordsError)> = vec![
        (Box::new(|c| c.content_hash = "not-a-hash".into()), RecordsError::InvalidContentHash),
        (Box::new(|c| c.content_hash = "0003484956".into()), RecordsError::InvalidContentHash),
        (Box::new(|c| c.size = 0), RecordsError::InvalidContent),
        (Box::new(|c| c.locator = "data:text/plain,HIV".into()), RecordsError::InvalidLocator),
        (Box::new(|c| c.locator = "https://u:pw@vault.example/o".into()), RecordsError::InvalidLocator),
        (Box::new(|c| c.encryption = None), RecordsError::InvalidEncryption),
        (Box::new(|c| c.encryption.as_mut().unwrap().algorithm = "ROT13".into()), RecordsError::InvalidEncryption),
        (Box::new(|c| c.encryption.as_mut().unwrap().key_id = "a key".into()), RecordsError::InvalidEncryption),
        (Box::new(|c| c.category_commitments = vec![b"75622-1".to_vec()]), RecordsError::InvalidCommitment),
        (Box::new(|c| c.category_commitments.push(c.category_commitments[0].clone())), RecordsError::InvalidCommitment),
        (Box::new(|c| c.confidentiality = vec!["HIV".into()]), RecordsError::InvalidLabel),
        (
            Box::new(|c| c.sensitivity_commitments = (0..17u8).map(|i| vec![i; 32]).collect()),
            RecordsError::TooManyCommitments,
        ),
    ];
    for (change, expected) in cases {
        let e = chain.act(&patient, with(&*change)).unwrap_err();
        assert_eq!((e.codespace, e.code), records(expected), "{}", e.message);
    }
    assert_eq!(chain.nonce(&p), 0);
    assert_eq!(chain.snap().next_record_id().unwrap(), 1);
}

#[test]
fn an_export_starts_a_new_chain_in_the_same_state() {
    let mut chain = Chain::new(&Genesis::default());
    let (patient, hospital) = (Person::new(1), Person::new(2));
    let (p, h) = (chain.did(&patient), chain.did(&hospital));
    chain.act(&hospital, anchor(payer(), &p, &h, hiv_content(1))).unwrap();
    chain.act(&patient, supersede(payer(), 1, 1, hiv_content(2))).unwrap();
    chain.act(&patient, anchor(payer(), &p, &p, content(3, &[], &[], &[]))).unwrap();
    chain.act(&patient, erase(payer(), 2)).unwrap();

    let snap = chain.snap();
    let dids = DidModule::export_genesis(&snap).unwrap();
    let exported = RecordsModule::export_genesis(&snap).unwrap();
    RecordsModule::validate_genesis(&exported).unwrap();
    assert_eq!(exported.next_record_id, 3);
    let json = serde_json::to_string(&exported).unwrap();
    let back: Genesis = serde_json::from_str(&json).unwrap();
    assert_eq!(back, exported);

    let dir = tempfile::tempdir().unwrap();
    let storage = salus_store::Storage::open(dir.path()).unwrap();
    let empty = storage.snapshot(0);
    let mut fresh = Overlay::new(&empty);
    DidModule::init_genesis(&mut fresh, &Default::default(), &dids).unwrap();
    RecordsModule::init_genesis(&mut fresh, &Default::default(), &back).unwrap();
    let records_of = |s: &dyn StateRead| s.prefix_raw(b"records/").unwrap();
    assert_eq!(records_of(&fresh), records_of(&snap), "every records key and value is the same");

    // A records section without its DIDs does not start.
    let mut no_dids = Overlay::new(&empty);
    let e = RecordsModule::init_genesis(&mut no_dids, &Default::default(), &back).unwrap_err();
    assert_eq!((e.codespace, e.code), records(RecordsError::InvalidGenesis));
    assert!(snap.did_meta(&p).unwrap().is_some());
}

#[test]
fn a_genesis_is_checked_as_messages_are() {
    let mut chain = Chain::new(&Genesis::default());
    let patient = Person::new(1);
    let p = chain.did(&patient);
    chain.act(&patient, anchor(payer(), &p, &p, hiv_content(1))).unwrap();
    chain.act(&patient, supersede(payer(), 1, 1, hiv_content(2))).unwrap();
    let good = RecordsModule::export_genesis(&chain.snap()).unwrap();
    let broken: Vec<(&str, GenesisChange)> = vec![
        ("next id", Box::new(|g| g.next_record_id = 1)),
        ("a bad hash", Box::new(|g| g.records[0].versions[1].content_hash = "HIV".into())),
        ("a code as commitment", Box::new(|g| g.records[0].versions[0].category_commitments = vec!["75622-1".into()])),
        ("versions from 2", Box::new(|g| g.records[0].versions.remove(0).version = 9)),
        ("active without locator", Box::new(|g| g.records[0].versions[0].locator = None)),
        (
            "erased with a locator",
            Box::new(|g| {
                g.records[0].status = "erased".into();
                g.records[0].erased = Some(g.records[0].versions[1].time);
            }),
        ),
        ("an unknown status", Box::new(|g| g.records[0].status = "deleted".into())),
        ("a bad owner", Box::new(|g| g.records[0].owner = "patient-42".into())),
        ("id 0", Box::new(|g| g.records[0].id = 0)),
    ];
    for (what, change) in broken {
        let mut g = good.clone();
        change(&mut g);
        assert!(RecordsModule::validate_genesis(&g).is_err(), "{what} is accepted");
    }
    RecordsModule::validate_genesis(&good).unwrap();
}
