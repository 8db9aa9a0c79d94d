//! Signature checks already passed in CheckTx, so FinalizeBlock does not repeat them. The key
//! covers everything a verification depends on: the tx bytes (through their hash, which covers
//! body, auth info and signatures) and each signer's account number and public key. A block that
//! gives a signer another account number than the mempool did therefore misses the cache and
//! verifies, as a validator that never saw the tx would: the outcome never depends on the cache.
//! Bounded, evicting the oldest.

use std::collections::{BTreeSet, VecDeque};

use sha2::{Digest, Sha256};

pub struct SigCache {
    set: BTreeSet<[u8; 32]>,
    order: VecDeque<[u8; 32]>,
    capacity: usize,
}

impl SigCache {
    pub fn new(capacity: usize) -> Self {
        Self { set: BTreeSet::new(), order: VecDeque::new(), capacity }
    }

    /// The cache key of a verification.
    pub fn key<'a>(tx_hash: &[u8; 32], signers: impl Iterator<Item = (u64, &'a [u8])>) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(tx_hash);
        for (number, pubkey) in signers {
            h.update(number.to_be_bytes());
            h.update((pubkey.len() as u32).to_be_bytes());
            h.update(pubkey);
        }
        h.finalize().into()
    }

    pub fn contains(&self, hash: &[u8; 32]) -> bool {
        self.set.contains(hash)
    }

    pub fn insert(&mut self, hash: [u8; 32]) {
        if self.capacity == 0 || !self.set.insert(hash) {
            return;
        }
        self.order.push_back(hash);
        while self.order.len() > self.capacity {
            if let Some(old) = self.order.pop_front() {
                self.set.remove(&old);
            }
        }
    }
}
