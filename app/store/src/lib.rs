//! salus-store: the versioned, provable state of a Salus chain.
//!
//! Two Jellyfish Merkle Trees on one RocksDB: the `main` tree and the `ibc` substore. The ibc
//! root is written into the main tree under the key `ibc`, so the app hash (the main root)
//! commits to both. Versions are block heights; every committed version can be read and proven
//! until it is pruned. The store knows nothing about modules.

mod keys;
mod proof;
mod storage;
mod tree;

pub use keys::{route, Substore, IBC_PREFIX, IBC_ROOT_KEY};
pub use proof::{proof_specs, ProvenValue};
pub use storage::{Changes, KeyValues, Prepared, Snapshot, Storage};

/// A 32-byte Merkle root.
pub type RootHash = [u8; 32];
