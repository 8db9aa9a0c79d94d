//! The History query answers a page of versions at a time (Cosmos pagination), over a real store
//! holding more versions than one page.

use prost::Message;
use salus_did::proof::{sign_bytes, Proof};
use salus_did::query::{handle, HISTORY_PATH};
use salus_did::state::Operation;
use salus_did::{cli, handler, Did, DidMsg, PublicKey};
use salus_proto::cosmos::base::query::v1beta1::PageRequest;
use salus_proto::salus::did::v1 as pb;
use salus_sdk::{Address, BlockCtx, Overlay, SdkCode};
use salus_store::{Changes, Snapshot, Storage};

const CHAIN: &str = "salus-test-1";
const VERSIONS: u64 = 150;

fn sign(key: &ed25519_consensus::SigningKey, op: Operation, did: &Did, version: u64, doc: &pb::DidDocument) -> Proof {
    let vm = format!("{did}#key-1");
    let bytes = sign_bytes(op, CHAIN, did, version, Some(salus_did::document::hash_proto(doc)), &vm);
    Proof { verification_method: vm, signature: key.sign(&bytes).to_bytes().to_vec() }
}

/// A DID created and then updated until it has [`VERSIONS`] versions, all in one block.
fn chain() -> (tempfile::TempDir, Storage, Did) {
    let dir = tempfile::tempdir().unwrap();
    let storage = Storage::open(dir.path()).unwrap();
    storage.commit(storage.prepare(0, &Changes::new()).unwrap()).unwrap();
    let key = ed25519_consensus::SigningKey::from([1; 32]);
    let public = PublicKey::Ed25519(key.verification_key().to_bytes());
    let did = Did::from_key(&public);
    let ctx = BlockCtx {
        chain_id: CHAIN.into(),
        height: 1,
        time_secs: 1_800_000_000,
        time_nanos: 0,
        header: Default::default(),
    };
    let base = storage.snapshot(0);
    let mut block = Overlay::new(&base);
    let mut doc = cli::new_document(&public, false, &[], &[]).unwrap();
    let create = DidMsg::Create {
        signer: Address([9; 20]),
        document: doc.clone(),
        proof: sign(&key, Operation::Create, &did, 0, &doc),
    };
    handler::execute(&mut block, &ctx, &create).unwrap();
    for version in 1..VERSIONS {
        doc.also_known_as = vec![format!("https://v{version}.example")];
        let proof = sign(&key, Operation::Update, &did, version, &doc);
        let update = DidMsg::Update { signer: Address([9; 20]), document: doc.clone(), version, proof };
        handler::execute(&mut block, &ctx, &update).unwrap();
    }
    let (writes, _) = block.into_parts();
    storage.commit(storage.prepare(1, &writes).unwrap()).unwrap();
    (dir, storage, did)
}

fn history(
    snap: &Snapshot,
    did: &Did,
    pagination: Option<PageRequest>,
) -> Result<pb::QueryHistoryResponse, salus_sdk::Error> {
    let req = pb::QueryHistoryRequest { did: did.to_string(), pagination };
    let bytes = handle(snap, HISTORY_PATH, &req.encode_to_vec()).expect("the DID module's path")?;
    Ok(pb::QueryHistoryResponse::decode(bytes.as_slice()).unwrap())
}

#[test]
fn history_pages_through_every_version_once_in_either_order() {
    let (_d, storage, did) = chain();
    let snap = storage.snapshot(1);
    let all: Vec<u64> = (1..=VERSIONS).collect();

    // Without pagination: the first 100 versions, and where to go on.
    let first = history(&snap, &did, None).unwrap();
    let ids: Vec<u64> = first.versions.iter().map(|v| v.version_id).collect();
    assert_eq!(ids, all[..100].to_vec());
    assert_eq!(first.versions[1].operation, "update");
    assert_eq!(first.pagination.unwrap().next_key, 101u64.to_be_bytes().to_vec());

    for (limit, reverse) in [(1, false), (40, false), (40, true), (150, true), (1000, false)] {
        let (mut seen, mut key, mut pages) = (Vec::new(), Vec::new(), 0);
        loop {
            let page = PageRequest { key, limit, reverse, ..Default::default() };
            let r = history(&snap, &did, Some(page)).unwrap();
            seen.extend(r.versions.iter().map(|v| v.version_id));
            pages += 1;
            key = r.pagination.unwrap().next_key;
            if key.is_empty() {
                break;
            }
        }
        if reverse {
            seen.reverse();
        }
        assert_eq!(seen, all, "limit {limit}, reverse {reverse}");
        assert_eq!(pages, (VERSIONS as usize).div_ceil(limit as usize));
    }

    // Newest first by offset, counted.
    let page = PageRequest { offset: 10, limit: 3, count_total: true, reverse: true, ..Default::default() };
    let r = history(&snap, &did, Some(page)).unwrap();
    assert_eq!(r.versions.iter().map(|v| v.version_id).collect::<Vec<_>>(), vec![140, 139, 138]);
    assert_eq!(r.pagination.unwrap().total, VERSIONS);

    // Key and offset together are refused; an unknown DID is still not found.
    let both = PageRequest { key: 5u64.to_be_bytes().to_vec(), offset: 1, ..Default::default() };
    assert!(history(&snap, &did, Some(both)).unwrap_err().is(SdkCode::InvalidRequest));
    let other =
        Did::from_key(&PublicKey::Ed25519(ed25519_consensus::SigningKey::from([2; 32]).verification_key().to_bytes()));
    assert!(history(&snap, &other, None).unwrap_err().is(SdkCode::KeyNotFound));
    // A page past the last version is empty, not an error.
    let past = PageRequest { offset: 500, ..Default::default() };
    assert!(history(&snap, &did, Some(past)).unwrap().versions.is_empty());
}
