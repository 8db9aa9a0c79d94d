//! Transactions whose signatures were verified in CheckTx, so FinalizeBlock does not verify them
//! again. Keyed by tx hash: the hash covers the signed bytes and the signatures, and an account's
//! number and key cannot change once set, so a hit means the same verification would pass.
//! Bounded, evicting the oldest.

use std::collections::{BTreeSet, VecDeque};

pub struct SigCache {
    set: BTreeSet<[u8; 32]>,
    order: VecDeque<[u8; 32]>,
    capacity: usize,
}

impl SigCache {
    pub fn new(capacity: usize) -> Self {
        Self { set: BTreeSet::new(), order: VecDeque::new(), capacity }
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
