//! The Jellyfish Merkle Tree of one substore, read from RocksDB.

use anyhow::{anyhow, Result};
use borsh::BorshSerialize;
use jmt::storage::{HasPreimage, LeafNode, Node, NodeKey, TreeReader};
use jmt::{KeyHash, OwnedValue, Version};
use rocksdb::DB;

use crate::keys::Substore;
use crate::storage::{read_value, CF_NODES, CF_PREIMAGES};

pub(crate) struct TreeStore<'a> {
    pub db: &'a DB,
    pub sub: Substore,
}

pub(crate) fn node_db_key(sub: Substore, node_key: &NodeKey) -> Vec<u8> {
    let mut out = vec![sub.byte()];
    node_key.serialize(&mut out).expect("writing to a Vec cannot fail");
    out
}

pub(crate) fn preimage_db_key(sub: Substore, key_hash: &KeyHash) -> Vec<u8> {
    let mut out = Vec::with_capacity(33);
    out.push(sub.byte());
    out.extend_from_slice(&key_hash.0);
    out
}

impl TreeReader for TreeStore<'_> {
    fn get_node_option(&self, node_key: &NodeKey) -> Result<Option<Node>> {
        let cf = self.db.cf_handle(CF_NODES).ok_or_else(|| anyhow!("missing column family {CF_NODES}"))?;
        match self.db.get_pinned_cf(cf, node_db_key(self.sub, node_key))? {
            Some(bytes) => Ok(Some(borsh::from_slice(&bytes)?)),
            None => Ok(None),
        }
    }

    fn get_value_option(&self, max_version: Version, key_hash: KeyHash) -> Result<Option<OwnedValue>> {
        match self.preimage(key_hash)? {
            Some(key) => read_value(self.db, self.sub, &key, max_version),
            None => Ok(None),
        }
    }

    fn get_rightmost_leaf(&self) -> Result<Option<(NodeKey, LeafNode)>> {
        // Only jmt's state-sync restore asks for this; Salus does not restore trees that way.
        Err(anyhow!("rightmost-leaf lookup is not supported by the Salus store"))
    }
}

impl HasPreimage for TreeStore<'_> {
    fn preimage(&self, key_hash: KeyHash) -> Result<Option<Vec<u8>>> {
        let cf = self.db.cf_handle(CF_PREIMAGES).ok_or_else(|| anyhow!("missing column family {CF_PREIMAGES}"))?;
        Ok(self.db.get_cf(cf, preimage_db_key(self.sub, &key_hash))?)
    }
}
