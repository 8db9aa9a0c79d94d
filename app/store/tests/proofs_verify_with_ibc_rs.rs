//! Existence and non-existence proofs from the store verify against the committed app hash with
//! ibc-rs's own `MerkleProof` verifier, in both layers.

use ibc_core_commitment_types::commitment::CommitmentProofBytes;
use ibc_core_commitment_types::merkle::{MerklePath, MerkleProof};
use ibc_core_commitment_types::specs::ProofSpecs;
use ibc_core_host_types::path::PathBytes;
use ibc_proto::ibc::core::commitment::v1::MerkleRoot;
use ibc_proto::ics23::HostFunctionsManager;
use salus_store::{proof_specs, Changes, Storage};

fn specs(n: usize) -> ProofSpecs {
    let raw: Vec<ibc_proto::ics23::ProofSpec> = proof_specs().into_iter().take(n).collect();
    ProofSpecs::try_from(raw).expect("valid specs")
}

fn path(parts: &[&[u8]]) -> MerklePath {
    MerklePath::new(parts.iter().map(PathBytes::from_bytes).collect())
}

fn committed_store() -> (tempfile::TempDir, Storage, [u8; 32]) {
    let dir = tempfile::tempdir().unwrap();
    let storage = Storage::open(dir.path()).unwrap();
    let mut genesis = Changes::new();
    genesis.insert(b"token/balance/alice".to_vec(), Some(b"100".to_vec()));
    genesis.insert(b"ibc/clients/07-tendermint-0/clientState".to_vec(), Some(b"client".to_vec()));
    storage.commit(storage.prepare(0, &genesis).unwrap()).unwrap();
    let mut block1 = Changes::new();
    block1.insert(b"token/balance/bob".to_vec(), Some(b"7".to_vec()));
    block1.insert(b"ibc/connections/connection-0".to_vec(), Some(b"conn".to_vec()));
    let prepared = storage.prepare(1, &block1).unwrap();
    let app_hash = prepared.app_hash;
    storage.commit(prepared).unwrap();
    assert_eq!(storage.app_hash(1).unwrap(), app_hash);
    (dir, storage, app_hash)
}

/// Goes through the wire form a counterparty receives (`CommitmentProofBytes`).
fn merkle_proof(proofs: Vec<ics23::CommitmentProof>) -> MerkleProof {
    let bytes = CommitmentProofBytes::try_from(MerkleProof { proofs }).unwrap();
    MerkleProof::try_from(&bytes).unwrap()
}

#[test]
fn ibc_substore_key_existence_verifies_through_both_layers() {
    let (_dir, storage, app_hash) = committed_store();
    let proven = storage.get_with_proof(b"ibc/connections/connection-0", 1).unwrap();
    assert_eq!(proven.value.as_deref(), Some(&b"conn"[..]));
    let proof = merkle_proof(proven.proofs);
    let root = MerkleRoot { hash: app_hash.to_vec() };
    proof
        .verify_membership::<HostFunctionsManager>(
            &specs(2),
            root.clone(),
            path(&[b"ibc", b"connections/connection-0"]),
            b"conn".to_vec(),
            0,
        )
        .expect("membership verifies");
    // The same proof does not verify a different value.
    assert!(proof
        .verify_membership::<HostFunctionsManager>(
            &specs(2),
            root,
            path(&[b"ibc", b"connections/connection-0"]),
            b"forged".to_vec(),
            0
        )
        .is_err());
}

#[test]
fn ibc_substore_key_absence_verifies_through_both_layers() {
    let (_dir, storage, app_hash) = committed_store();
    let proven = storage.get_with_proof(b"ibc/connections/connection-9", 1).unwrap();
    assert_eq!(proven.value, None);
    let proof = merkle_proof(proven.proofs);
    let root = MerkleRoot { hash: app_hash.to_vec() };
    proof
        .verify_non_membership::<HostFunctionsManager>(
            &specs(2),
            root.clone(),
            path(&[b"ibc", b"connections/connection-9"]),
        )
        .expect("non-membership verifies");
    // An absence proof for one key says nothing about a key that exists.
    assert!(proof
        .verify_non_membership::<HostFunctionsManager>(&specs(2), root, path(&[b"ibc", b"connections/connection-0"]))
        .is_err());
}

#[test]
fn main_tree_key_existence_and_absence_verify() {
    let (_dir, storage, app_hash) = committed_store();
    let root = MerkleRoot { hash: app_hash.to_vec() };
    let present = storage.get_with_proof(b"token/balance/bob", 1).unwrap();
    assert_eq!(present.value.as_deref(), Some(&b"7"[..]));
    merkle_proof(present.proofs)
        .verify_membership::<HostFunctionsManager>(
            &specs(1),
            root.clone(),
            path(&[b"token/balance/bob"]),
            b"7".to_vec(),
            0,
        )
        .expect("membership verifies");
    let absent = storage.get_with_proof(b"token/balance/carol", 1).unwrap();
    assert_eq!(absent.value, None);
    merkle_proof(absent.proofs)
        .verify_non_membership::<HostFunctionsManager>(&specs(1), root, path(&[b"token/balance/carol"]))
        .expect("non-membership verifies");
}

#[test]
fn proofs_at_an_older_height_verify_against_that_height() {
    let (_dir, storage, _) = committed_store();
    let old_root = MerkleRoot { hash: storage.app_hash(0).unwrap().to_vec() };
    let proven = storage.get_with_proof(b"token/balance/bob", 0).unwrap();
    assert_eq!(proven.value, None, "bob was funded at height 1");
    merkle_proof(proven.proofs)
        .verify_non_membership::<HostFunctionsManager>(&specs(1), old_root, path(&[b"token/balance/bob"]))
        .expect("absence at height 0 verifies");
}
