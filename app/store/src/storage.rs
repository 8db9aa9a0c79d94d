//! Opening, reading, preparing and committing versions.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use anyhow::{anyhow, bail, Context, Result};
use borsh::BorshSerialize;
use jmt::{KeyHash, Sha256Jmt};
use rocksdb::{ColumnFamilyDescriptor, Options, WriteBatch, DB};
use sha2::Sha256;

use crate::keys::{self, route, Substore, IBC_ROOT_KEY};
use crate::tree::{node_db_key, preimage_db_key, TreeStore};
use crate::RootHash;

pub(crate) const CF_NODES: &str = "nodes";
pub(crate) const CF_VALUES: &str = "values";
pub(crate) const CF_PREIMAGES: &str = "preimages";
pub(crate) const CF_META: &str = "meta";
const META_LATEST: &[u8] = b"latest_version";

const TOMBSTONE: u8 = 0;
const PRESENT: u8 = 1;

/// Pending writes of one block: full state keys (with `ibc/` for the substore) to a value, or
/// `None` to delete. A BTreeMap, so iteration order (and so the tree) is deterministic.
pub type Changes = BTreeMap<Vec<u8>, Option<Vec<u8>>>;

/// (key, value) pairs in key order, as prefix scans return them.
pub type KeyValues = Vec<(Vec<u8>, Vec<u8>)>;

/// One change inside a substore: the key without its substore prefix, and the new value.
type SubstoreChange<'a> = (&'a [u8], Option<&'a Vec<u8>>);

/// A handle on the node's database. Cheap to clone; safe to share between the ABCI service and
/// query servers, which read committed versions only.
#[derive(Clone)]
pub struct Storage {
    db: Arc<DB>,
    /// Key prefixes (main substore) whose deleted keys keep no history: see
    /// [`Storage::without_history_under`].
    history_free: Arc<Vec<Vec<u8>>>,
}

/// A version whose roots are computed but which is not yet durable.
pub struct Prepared {
    pub version: u64,
    pub app_hash: RootHash,
    batch: WriteBatch,
}

/// A read-only view of one committed version.
#[derive(Clone)]
pub struct Snapshot {
    db: Arc<DB>,
    version: u64,
}

fn cf<'a>(db: &'a DB, name: &str) -> Result<&'a rocksdb::ColumnFamily> {
    db.cf_handle(name).ok_or_else(|| anyhow!("missing column family {name}"))
}

/// The value of `key` in `sub` as of `version`.
pub(crate) fn read_value(db: &DB, sub: Substore, key: &[u8], version: u64) -> Result<Option<Vec<u8>>> {
    let head = keys::value_key_head(sub, key);
    let mut it = db.raw_iterator_cf(cf(db, CF_VALUES)?);
    it.seek(keys::value_key(sub, key, version));
    if let (Some(raw), Some(val)) = (it.key(), it.value()) {
        if raw.len() == head.len() + 8 && raw.starts_with(&head) {
            return decode_stored(val);
        }
    }
    it.status()?;
    Ok(None)
}

fn decode_stored(val: &[u8]) -> Result<Option<Vec<u8>>> {
    match val.split_first() {
        Some((&PRESENT, rest)) => Ok(Some(rest.to_vec())),
        Some((&TOMBSTONE, _)) => Ok(None),
        _ => bail!("corrupt value record in the store"),
    }
}

/// Every live (key, value) under `prefix` in `sub` as of `version`, in key order.
fn scan_prefix(db: &DB, sub: Substore, prefix: &[u8], version: u64) -> Result<KeyValues> {
    scan_range(db, sub, prefix, prefix, None, version)
}

/// The live (key, value) pairs at `version` whose keys start with `prefix` and lie in
/// `from..to` (`to` unbounded when `None`); `from` must start with `prefix`. Keys are
/// substore-relative.
fn scan_range(
    db: &DB,
    sub: Substore,
    prefix: &[u8],
    from: &[u8],
    to: Option<&[u8]>,
    version: u64,
) -> Result<KeyValues> {
    scan_range_limit(db, sub, prefix, from, to, version, usize::MAX, false, None)
}

/// The smallest byte string greater than every string that starts with `prefix`, or `None` when
/// there is none (`prefix` is all 0xFF).
fn prefix_successor(prefix: &[u8]) -> Option<Vec<u8>> {
    let mut out = prefix.to_vec();
    while let Some(last) = out.pop() {
        if last != 0xFF {
            out.push(last + 1);
            return Some(out);
        }
    }
    None
}

/// The newest live value of `key` not newer than `version`, leaving `it` somewhere among the
/// entries of `key`.
fn live_value(it: &mut rocksdb::DBRawIterator, sub: Substore, key: &[u8], version: u64) -> Result<Option<Vec<u8>>> {
    it.seek(keys::value_key(sub, key, version));
    if let (Some(raw), Some(val)) = (it.key(), it.value()) {
        if let Some((found, _)) = keys::decode_value_key(raw) {
            if found == key {
                return decode_stored(val);
            }
        }
    }
    it.status()?;
    Ok(None)
}

/// Like [`scan_range`], but stops after `limit` live pairs, walks from `to` down to `from` when
/// `reverse`, and leaves out `skip` (without counting it). Tombstoned keys are stepped over
/// without counting, so a page costs its live entries plus the deleted keys between them.
#[allow(clippy::too_many_arguments)]
fn scan_range_limit(
    db: &DB,
    sub: Substore,
    prefix: &[u8],
    from: &[u8],
    to: Option<&[u8]>,
    version: u64,
    limit: usize,
    reverse: bool,
    skip: Option<&[u8]>,
) -> Result<KeyValues> {
    let mut out = Vec::new();
    if limit == 0 || to.is_some_and(|to| to <= from) {
        return Ok(out);
    }
    let scan = keys::value_scan_prefix(sub, prefix);
    let mut it = db.raw_iterator_cf(cf(db, CF_VALUES)?);
    if !reverse {
        it.seek(keys::value_scan_prefix(sub, from));
        while let Some(raw) = it.key() {
            if !raw.starts_with(&scan) {
                break;
            }
            let (key, _) = keys::decode_value_key(raw).ok_or_else(|| anyhow!("corrupt key in the store"))?;
            if to.is_some_and(|to| key.as_slice() >= to) {
                break;
            }
            if skip != Some(key.as_slice()) {
                if let Some(v) = live_value(&mut it, sub, &key, version)? {
                    out.push((key.clone(), v));
                    if out.len() == limit {
                        break;
                    }
                }
            }
            let mut next = keys::value_key_head(sub, &key);
            next.extend_from_slice(&[0xFF; 9]);
            it.seek(&next);
        }
    } else {
        // Every stored version of a key below `to` sorts below the head of `to`; without `to`,
        // below the successor of the scan prefix.
        let upper = match to {
            Some(to) => Some(keys::value_key_head(sub, to)),
            None => prefix_successor(&scan),
        };
        match &upper {
            Some(upper) => {
                it.seek_for_prev(upper);
                if it.key().is_some_and(|raw| raw >= upper.as_slice()) {
                    it.prev();
                }
            }
            None => it.seek_to_last(),
        }
        while let Some(raw) = it.key() {
            if !raw.starts_with(&scan) {
                break;
            }
            let (key, _) = keys::decode_value_key(raw).ok_or_else(|| anyhow!("corrupt key in the store"))?;
            if key.as_slice() < from {
                break;
            }
            if skip != Some(key.as_slice()) {
                if let Some(v) = live_value(&mut it, sub, &key, version)? {
                    out.push((key.clone(), v));
                    if out.len() == limit {
                        break;
                    }
                }
            }
            // The last entry below every version of this key: the previous key's oldest version.
            it.seek_for_prev(keys::value_key_head(sub, &key));
        }
    }
    it.status()?;
    Ok(out)
}

impl Storage {
    /// Opens (or creates) the store at `path`.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let mut opts = Options::default();
        opts.create_if_missing(true);
        opts.create_missing_column_families(true);
        let cfs = [CF_NODES, CF_VALUES, CF_PREIMAGES, CF_META]
            .into_iter()
            .map(|name| ColumnFamilyDescriptor::new(name, Options::default()));
        let db = DB::open_cf_descriptors(&opts, path, cfs)
            .with_context(|| format!("opening the state database at {}", path.display()))?;
        Ok(Self { db: Arc::new(db), history_free: Arc::default() })
    }

    /// The last committed version, or `None` for a new store.
    pub fn latest_version(&self) -> Result<Option<u64>> {
        let raw = self.db.get_cf(cf(&self.db, CF_META)?, META_LATEST)?;
        raw.map(|b| Ok(u64::from_be_bytes(b.as_slice().try_into().map_err(|_| anyhow!("corrupt latest version"))?)))
            .transpose()
    }

    /// A read-only view of `version` (which must be committed).
    pub fn snapshot(&self, version: u64) -> Snapshot {
        Snapshot { db: self.db.clone(), version }
    }

    /// The root of one substore's tree at `version`.
    pub fn root(&self, sub: Substore, version: u64) -> Result<RootHash> {
        let reader = TreeStore { db: &self.db, sub };
        Ok(Sha256Jmt::new(&reader).get_root_hash(version)?.0)
    }

    /// The app hash (main root) at `version`.
    pub fn app_hash(&self, version: u64) -> Result<RootHash> {
        self.root(Substore::Main, version)
    }

    /// Deleting a key under one of `prefixes` erases every version of it instead of recording a
    /// deletion, so scans under those prefixes never step over keys deleted long ago (the store
    /// otherwise keeps them, and a scan pays for each). For indexes that are read at the latest
    /// height only and rewritten as they change. The app hash is unaffected: the tree records the
    /// deletion. The price is paid at past heights: such a key reads as absent once it has been
    /// deleted, and a proof at a past height that needs its value (its own, or a non-membership
    /// proof whose neighbour it is) fails. Proofs at the latest height and in the ibc substore
    /// are unaffected.
    pub fn without_history_under(mut self, prefixes: &[&[u8]]) -> Self {
        self.history_free = Arc::new(prefixes.iter().map(|p| p.to_vec()).collect());
        self
    }

    /// Computes the roots of `version` from the previous version plus `changes`, and the write
    /// batch that makes it durable. Writes nothing.
    pub fn prepare(&self, version: u64, changes: &Changes) -> Result<Prepared> {
        match self.latest_version()? {
            Some(latest) if version != latest + 1 => {
                bail!("cannot prepare version {version}: the store is at version {latest}")
            }
            None if version != 0 => bail!("a new store starts at version 0, not {version}"),
            _ => {}
        }
        let mut batch = WriteBatch::default();
        let mut per_sub: BTreeMap<Substore, Vec<SubstoreChange>> = BTreeMap::new();
        for (key, value) in changes {
            let (sub, inner) = route(key);
            if sub == Substore::Main && inner == IBC_ROOT_KEY {
                bail!("the key `ibc` is reserved for the ibc substore root");
            }
            per_sub.entry(sub).or_default().push((inner, value.as_ref()));
        }

        let ibc_root =
            self.put_tree(&mut batch, Substore::Ibc, version, per_sub.remove(&Substore::Ibc).unwrap_or_default())?;
        let mut main = per_sub.remove(&Substore::Main).unwrap_or_default();
        let ibc_root_vec = ibc_root.to_vec();
        let ibc_changed = version == 0 || self.root(Substore::Ibc, version - 1)? != ibc_root;
        if ibc_changed {
            main.push((IBC_ROOT_KEY, Some(&ibc_root_vec)));
        }
        let app_hash = self.put_tree(&mut batch, Substore::Main, version, main)?;
        batch.put_cf(cf(&self.db, CF_META)?, META_LATEST, version.to_be_bytes());
        Ok(Prepared { version, app_hash, batch })
    }

    fn put_tree(
        &self,
        batch: &mut WriteBatch,
        sub: Substore,
        version: u64,
        changes: Vec<SubstoreChange>,
    ) -> Result<RootHash> {
        let values_cf = cf(&self.db, CF_VALUES)?;
        let preimages_cf = cf(&self.db, CF_PREIMAGES)?;
        let nodes_cf = cf(&self.db, CF_NODES)?;
        let mut set = Vec::with_capacity(changes.len());
        for (key, value) in changes {
            let key_hash = KeyHash::with::<Sha256>(key);
            let mut stored = Vec::with_capacity(value.map_or(1, |v| v.len() + 1));
            match value {
                Some(v) => {
                    stored.push(PRESENT);
                    stored.extend_from_slice(v);
                }
                None => stored.push(TOMBSTONE),
            }
            if value.is_none() && sub == Substore::Main && self.history_free.iter().any(|p| key.starts_with(p)) {
                self.erase_history(batch, values_cf, sub, key)?;
            } else {
                batch.put_cf(values_cf, keys::value_key(sub, key, version), stored);
            }
            batch.put_cf(preimages_cf, preimage_db_key(sub, &key_hash), key);
            set.push((key_hash, value.cloned()));
        }
        let reader = TreeStore { db: &self.db, sub };
        let (root, update) = Sha256Jmt::new(&reader).put_value_set(set, version)?;
        for (node_key, node) in update.node_batch.nodes() {
            let mut bytes = Vec::new();
            node.serialize(&mut bytes)?;
            batch.put_cf(nodes_cf, node_db_key(sub, node_key), bytes);
        }
        Ok(root.0)
    }

    /// Deletes every stored version of `key`.
    fn erase_history(
        &self,
        batch: &mut WriteBatch,
        values_cf: &rocksdb::ColumnFamily,
        sub: Substore,
        key: &[u8],
    ) -> Result<()> {
        let head = keys::value_key_head(sub, key);
        let mut it = self.db.raw_iterator_cf(values_cf);
        it.seek(&head);
        while let Some(raw) = it.key() {
            if !(raw.len() == head.len() + 8 && raw.starts_with(&head)) {
                break;
            }
            batch.delete_cf(values_cf, raw);
            it.next();
        }
        it.status()?;
        Ok(())
    }

    /// Makes a prepared version durable in one atomic write.
    pub fn commit(&self, prepared: Prepared) -> Result<()> {
        let mut opts = rocksdb::WriteOptions::default();
        opts.set_sync(true);
        self.db.write_opt(prepared.batch, &opts)?;
        Ok(())
    }

    pub(crate) fn db(&self) -> &DB {
        &self.db
    }
}

impl Snapshot {
    pub fn version(&self) -> u64 {
        self.version
    }

    /// The value of a full state key (with `ibc/` for the substore).
    pub fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>> {
        let (sub, inner) = route(key);
        read_value(&self.db, sub, inner, self.version)
    }

    /// The live (key, value) pairs whose keys start with `prefix` and lie in `from..to`, in key
    /// order. Unlike [`Snapshot::prefix`] it never visits keys below `from`, so a queue read from
    /// its head does not pay for every entry it ever held.
    pub fn range(&self, prefix: &[u8], from: &[u8], to: &[u8]) -> Result<KeyValues> {
        let (sub, inner) = route(prefix);
        if !from.starts_with(prefix) {
            return Err(anyhow!("a range must start inside its prefix"));
        }
        let (_, from_inner) = route(from);
        let (to_sub, to_inner) = route(to);
        let to_inner = (to_sub == sub).then_some(to_inner);
        let mut found = scan_range(&self.db, sub, inner, from_inner, to_inner, self.version)?;
        if sub == Substore::Ibc {
            for (k, _) in found.iter_mut() {
                k.splice(0..0, keys::IBC_PREFIX.iter().copied());
            }
        } else {
            found.retain(|(k, _)| k.as_slice() != IBC_ROOT_KEY);
        }
        Ok(found)
    }

    /// At most `limit` live (full key, value) pairs whose keys start with `prefix` and lie in
    /// `from..to`: the first `limit` in ascending key order, or with `reverse` the last `limit`
    /// in descending key order (from just below `to` down to `from`). `from` must start with
    /// `prefix`; a `to` in another substore (or past it) leaves the range open at the top.
    ///
    /// The walk stops after `limit` live pairs, so it costs what it returns plus the deleted keys
    /// (tombstones, which the versioned store keeps) that lie between them, never the whole
    /// prefix. `limit == 0` returns nothing.
    pub fn range_limit(&self, prefix: &[u8], from: &[u8], to: &[u8], limit: usize, reverse: bool) -> Result<KeyValues> {
        let (sub, inner) = route(prefix);
        if !from.starts_with(prefix) {
            return Err(anyhow!("a range must start inside its prefix"));
        }
        let (_, from_inner) = route(from);
        let (to_sub, to_inner) = route(to);
        let to_inner = (to_sub == sub).then_some(to_inner);
        let skip = (sub == Substore::Main).then_some(IBC_ROOT_KEY);
        let mut found =
            scan_range_limit(&self.db, sub, inner, from_inner, to_inner, self.version, limit, reverse, skip)?;
        if sub == Substore::Ibc {
            for (k, _) in found.iter_mut() {
                k.splice(0..0, keys::IBC_PREFIX.iter().copied());
            }
        }
        Ok(found)
    }

    /// Every (full key, value) whose key starts with `prefix`, in key order.
    pub fn prefix(&self, prefix: &[u8]) -> Result<KeyValues> {
        let (sub, inner) = route(prefix);
        let mut found = scan_prefix(&self.db, sub, inner, self.version)?;
        if sub == Substore::Ibc {
            for (k, _) in found.iter_mut() {
                k.splice(0..0, keys::IBC_PREFIX.iter().copied());
            }
        } else if inner.is_empty() || keys::IBC_PREFIX.starts_with(inner) || inner.starts_with(IBC_ROOT_KEY) {
            // The main tree's `ibc` entry is the substore root, not state.
            found.retain(|(k, _)| k.as_slice() != IBC_ROOT_KEY);
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn changes(items: &[(&[u8], Option<&[u8]>)]) -> Changes {
        items.iter().map(|(k, v)| (k.to_vec(), v.map(|v| v.to_vec()))).collect()
    }

    #[test]
    fn a_range_reads_only_its_live_keys_at_its_version() {
        let dir = tempfile::tempdir().unwrap();
        let s = Storage::open(dir.path()).unwrap();
        let put = |k: &[u8]| (k.to_vec(), Some(b"v".to_vec()));
        let v0: Changes = [put(b"q/1"), put(b"q/2"), put(b"q/3"), put(b"q/4"), put(b"r/1")].into_iter().collect();
        s.commit(s.prepare(0, &v0).unwrap()).unwrap();
        s.commit(s.prepare(1, &changes(&[(b"q/2", None)])).unwrap()).unwrap();
        let keys = |v: u64, from: &[u8], to: &[u8]| -> Vec<Vec<u8>> {
            s.snapshot(v).range(b"q/", from, to).unwrap().into_iter().map(|(k, _)| k).collect()
        };
        assert_eq!(keys(1, b"q/1", b"q/4"), vec![b"q/1".to_vec(), b"q/3".to_vec()]);
        assert_eq!(keys(0, b"q/2", b"q/4"), vec![b"q/2".to_vec(), b"q/3".to_vec()]);
        assert_eq!(keys(1, b"q/", b"z"), vec![b"q/1".to_vec(), b"q/3".to_vec(), b"q/4".to_vec()]);
    }

    #[test]
    fn a_limited_range_counts_live_keys_only_in_either_direction() {
        let dir = tempfile::tempdir().unwrap();
        let s = Storage::open(dir.path()).unwrap();
        let mut v0 = Changes::new();
        for i in 0..10u8 {
            v0.insert(vec![b'q', b'/', i], Some(vec![i]));
        }
        // Neighbours on both sides of the prefix, and a key with the prefix and a zero byte.
        v0.insert(b"p/9".to_vec(), Some(b"x".to_vec()));
        v0.insert(b"r/0".to_vec(), Some(b"x".to_vec()));
        s.commit(s.prepare(0, &v0).unwrap()).unwrap();
        // Tombstones at 1, 2, 3 and 8; 9 rewritten.
        let v1 = changes(&[
            (b"q/\x01", None),
            (b"q/\x02", None),
            (b"q/\x03", None),
            (b"q/\x08", None),
            (b"q/\x09", Some(b"n")),
        ]);
        s.commit(s.prepare(1, &v1).unwrap()).unwrap();
        let at = |v: u64, from: &[u8], to: &[u8], limit: usize, reverse: bool| -> Vec<(u8, Vec<u8>)> {
            s.snapshot(v)
                .range_limit(b"q/", from, to, limit, reverse)
                .unwrap()
                .into_iter()
                .map(|(k, v)| (k[2], v))
                .collect()
        };
        let keys = |page: Vec<(u8, Vec<u8>)>| page.into_iter().map(|(k, _)| k).collect::<Vec<_>>();
        assert_eq!(keys(at(1, b"q/", b"q0", 3, false)), vec![0, 4, 5]);
        assert_eq!(keys(at(1, b"q/\x04", b"q0", 100, false)), vec![4, 5, 6, 7, 9]);
        assert_eq!(keys(at(1, b"q/", b"q0", 3, true)), vec![9, 7, 6]);
        assert_eq!(keys(at(1, b"q/", b"q/\x05", 3, true)), vec![4, 0]);
        assert_eq!(keys(at(1, b"q/\x01", b"q/\x07", 100, true)), vec![6, 5, 4]);
        // An open top (`to` past the main substore) and the older version.
        assert_eq!(keys(at(1, b"q/", b"ibc/", 2, true)), vec![9, 7]);
        assert_eq!(keys(at(0, b"q/", b"q0", 4, true)), vec![9, 8, 7, 6]);
        assert_eq!(keys(at(0, b"q/", b"q0", 4, false)), vec![0, 1, 2, 3]);
        // Values are those of the version read.
        assert_eq!(at(1, b"q/\x09", b"q0", 1, false), vec![(9, b"n".to_vec())]);
        assert_eq!(at(0, b"q/\x09", b"q0", 1, true), vec![(9, vec![9])]);
        // Nothing for a zero limit or an empty range.
        assert!(at(1, b"q/", b"q0", 0, false).is_empty());
        assert!(at(1, b"q/\x05", b"q/\x05", 5, true).is_empty());
        // The whole prefix, both ways, is the unlimited range.
        let all = s.snapshot(1).range(b"q/", b"q/", b"q0").unwrap();
        let mut back = s.snapshot(1).range_limit(b"q/", b"q/", b"q0", usize::MAX, true).unwrap();
        back.reverse();
        assert_eq!(back, all);
        assert_eq!(s.snapshot(1).range_limit(b"q/", b"q/", b"q0", usize::MAX, false).unwrap(), all);
        assert!(s.snapshot(1).range_limit(b"q/", b"p/", b"q0", 1, false).is_err());
    }

    #[test]
    fn a_limited_range_skips_the_ibc_root_and_reads_the_substore() {
        let dir = tempfile::tempdir().unwrap();
        let s = Storage::open(dir.path()).unwrap();
        let c = changes(&[(b"a", Some(b"1")), (b"ibc/x/1", Some(b"2")), (b"ibc/x/2", Some(b"3")), (b"z", Some(b"4"))]);
        s.commit(s.prepare(0, &c).unwrap()).unwrap();
        let keys = |prefix: &[u8], reverse: bool| -> Vec<Vec<u8>> {
            let page = s.snapshot(0).range_limit(prefix, prefix, b"\xff", 10, reverse).unwrap();
            page.into_iter().map(|(k, _)| k).collect()
        };
        assert_eq!(keys(b"", false), vec![b"a".to_vec(), b"z".to_vec()]);
        assert_eq!(keys(b"", true), vec![b"z".to_vec(), b"a".to_vec()]);
        assert_eq!(keys(b"ibc/x/", true), vec![b"ibc/x/2".to_vec(), b"ibc/x/1".to_vec()]);
        let first = s.snapshot(0).range_limit(b"", b"", b"\xff", 1, false).unwrap();
        assert_eq!(first, vec![(b"a".to_vec(), b"1".to_vec())]);
    }

    #[test]
    fn a_deleted_key_under_a_history_free_prefix_leaves_nothing_for_scans_to_step_over() {
        let dir = tempfile::tempdir().unwrap();
        let s = Storage::open(dir.path()).unwrap().without_history_under(&[b"idx/"]);
        let put = |k: &[u8]| (k.to_vec(), Some(b"v".to_vec()));
        s.commit(s.prepare(0, &[put(b"idx/1"), put(b"idx/2"), put(b"other/1")].into_iter().collect()).unwrap())
            .unwrap();
        s.commit(s.prepare(1, &changes(&[(b"idx/1", None), (b"other/1", None)])).unwrap()).unwrap();
        let raw_entries = |prefix: &[u8]| {
            let scan = keys::value_scan_prefix(Substore::Main, prefix);
            let mut it = s.db.raw_iterator_cf(cf(&s.db, CF_VALUES).unwrap());
            it.seek(&scan);
            let mut n = 0;
            while it.key().is_some_and(|k| k.starts_with(&scan)) {
                n += 1;
                it.next();
            }
            n
        };
        assert_eq!(raw_entries(b"idx/"), 1, "idx/1's versions are gone; idx/2 stays");
        assert_eq!(raw_entries(b"other/"), 2, "elsewhere a deletion is recorded beside the old version");
        let latest = s.snapshot(1);
        assert_eq!(latest.get(b"idx/1").unwrap(), None);
        assert_eq!(latest.prefix(b"idx/").unwrap(), vec![(b"idx/2".to_vec(), b"v".to_vec())]);
        assert_eq!(s.snapshot(0).get(b"other/1").unwrap(), Some(b"v".to_vec()), "history kept elsewhere");
        // The tree recorded the deletion: the app hash is that of a store with history.
        let plain = tempfile::tempdir().unwrap();
        let p = Storage::open(plain.path()).unwrap();
        p.commit(p.prepare(0, &[put(b"idx/1"), put(b"idx/2"), put(b"other/1")].into_iter().collect()).unwrap())
            .unwrap();
        p.commit(p.prepare(1, &changes(&[(b"idx/1", None), (b"other/1", None)])).unwrap()).unwrap();
        assert_eq!(p.app_hash(1).unwrap(), s.app_hash(1).unwrap());
    }

    #[test]
    fn every_committed_version_stays_readable() {
        let dir = tempfile::tempdir().unwrap();
        let s = Storage::open(dir.path()).unwrap();
        assert_eq!(s.latest_version().unwrap(), None);
        s.commit(s.prepare(0, &changes(&[(b"a", Some(b"1")), (b"b", Some(b"x"))])).unwrap()).unwrap();
        s.commit(s.prepare(1, &changes(&[(b"a", Some(b"2")), (b"b", None)])).unwrap()).unwrap();
        s.commit(s.prepare(2, &Changes::new()).unwrap()).unwrap();
        assert_eq!(s.latest_version().unwrap(), Some(2));
        assert_eq!(s.snapshot(0).get(b"a").unwrap(), Some(b"1".to_vec()));
        assert_eq!(s.snapshot(0).get(b"b").unwrap(), Some(b"x".to_vec()));
        assert_eq!(s.snapshot(1).get(b"a").unwrap(), Some(b"2".to_vec()));
        assert_eq!(s.snapshot(1).get(b"b").unwrap(), None);
        assert_eq!(s.snapshot(2).get(b"a").unwrap(), Some(b"2".to_vec()));
        // An empty block keeps the previous root.
        assert_eq!(s.app_hash(1).unwrap(), s.app_hash(2).unwrap());
        assert_ne!(s.app_hash(0).unwrap(), s.app_hash(1).unwrap());
    }

    #[test]
    fn prefix_scans_see_the_requested_version_only() {
        let dir = tempfile::tempdir().unwrap();
        let s = Storage::open(dir.path()).unwrap();
        s.commit(s.prepare(0, &changes(&[(b"p/1", Some(b"a")), (b"p/2", Some(b"b")), (b"q/1", Some(b"c"))])).unwrap())
            .unwrap();
        s.commit(s.prepare(1, &changes(&[(b"p/1", None), (b"p/3", Some(b"d")), (b"p/\x00", Some(b"z"))])).unwrap())
            .unwrap();
        let at0 = s.snapshot(0).prefix(b"p/").unwrap();
        assert_eq!(at0, vec![(b"p/1".to_vec(), b"a".to_vec()), (b"p/2".to_vec(), b"b".to_vec())]);
        let at1 = s.snapshot(1).prefix(b"p/").unwrap();
        assert_eq!(
            at1,
            vec![
                (b"p/\x00".to_vec(), b"z".to_vec()),
                (b"p/2".to_vec(), b"b".to_vec()),
                (b"p/3".to_vec(), b"d".to_vec())
            ]
        );
    }

    #[test]
    fn ibc_keys_live_in_the_substore_and_move_the_app_hash() {
        let dir = tempfile::tempdir().unwrap();
        let s = Storage::open(dir.path()).unwrap();
        s.commit(s.prepare(0, &changes(&[(b"x", Some(b"1"))])).unwrap()).unwrap();
        let before = s.app_hash(0).unwrap();
        let ibc_before = s.root(Substore::Ibc, 0).unwrap();
        s.commit(s.prepare(1, &changes(&[(b"ibc/clients/a", Some(b"c"))])).unwrap()).unwrap();
        assert_ne!(s.root(Substore::Ibc, 1).unwrap(), ibc_before);
        assert_ne!(s.app_hash(1).unwrap(), before);
        assert_eq!(s.snapshot(1).get(b"ibc/clients/a").unwrap(), Some(b"c".to_vec()));
        assert_eq!(s.snapshot(1).get(b"clients/a").unwrap(), None);
        assert_eq!(s.snapshot(1).prefix(b"ibc/").unwrap(), vec![(b"ibc/clients/a".to_vec(), b"c".to_vec())]);
        assert_eq!(s.snapshot(1).prefix(b"").unwrap(), vec![(b"x".to_vec(), b"1".to_vec())]);
    }

    #[test]
    fn versions_must_follow_one_another_and_the_ibc_root_key_is_reserved() {
        let dir = tempfile::tempdir().unwrap();
        let s = Storage::open(dir.path()).unwrap();
        assert!(s.prepare(1, &Changes::new()).is_err());
        s.commit(s.prepare(0, &Changes::new()).unwrap()).unwrap();
        assert!(s.prepare(2, &Changes::new()).is_err());
        assert!(s.prepare(1, &changes(&[(b"ibc", Some(b"x"))])).is_err());
    }

    #[test]
    fn an_uncommitted_preparation_changes_nothing_and_reopening_keeps_the_hash() {
        let dir = tempfile::tempdir().unwrap();
        let hash = {
            let s = Storage::open(dir.path()).unwrap();
            s.commit(s.prepare(0, &changes(&[(b"a", Some(b"1"))])).unwrap()).unwrap();
            let _dropped = s.prepare(1, &changes(&[(b"a", Some(b"2"))])).unwrap();
            s.app_hash(0).unwrap()
        };
        let s = Storage::open(dir.path()).unwrap();
        assert_eq!(s.latest_version().unwrap(), Some(0));
        assert_eq!(s.app_hash(0).unwrap(), hash);
        assert_eq!(s.snapshot(0).get(b"a").unwrap(), Some(b"1".to_vec()));
        // Preparing the same version again gives the same root.
        let again = s.prepare(1, &changes(&[(b"a", Some(b"2"))])).unwrap();
        s.commit(again).unwrap();
        assert_eq!(s.snapshot(1).get(b"a").unwrap(), Some(b"2".to_vec()));
    }
}
