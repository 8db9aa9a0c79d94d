//! State access for modules, and the copy-on-write overlay that makes a failed message drop its
//! writes and its events together.

use std::collections::BTreeMap;

use borsh::{BorshDeserialize, BorshSerialize};
use salus_store::{KeyValues, Snapshot};

use crate::error::Error;
use crate::event::Event;
use crate::gas::GasMeter;

pub trait StateRead {
    fn get_raw(&self, key: &[u8]) -> Result<Option<Vec<u8>>, Error>;
    /// Every (key, value) whose key starts with `prefix`, in key order.
    fn prefix_raw(&self, prefix: &[u8]) -> Result<KeyValues, Error>;
    /// Every (key, value) under `prefix` with `from <= key < to`, in key order (`from` starts
    /// with `prefix`). Stores override it to skip what lies below `from`.
    fn range_raw(&self, prefix: &[u8], from: &[u8], to: &[u8]) -> Result<KeyValues, Error> {
        Ok(self.prefix_raw(prefix)?.into_iter().filter(|(k, _)| k.as_slice() >= from && k.as_slice() < to).collect())
    }

    /// A bounded range read: at most `limit` live (key, value) pairs under `prefix` with
    /// `from <= key < to` (`from` starts with `prefix`). Forward, the first `limit` in ascending
    /// key order; with `reverse`, the last `limit` in descending key order, starting just below
    /// `to`. Deleted keys are never returned nor counted. `limit == 0` returns nothing.
    ///
    /// On a store snapshot the walk stops after `limit` live entries, so it costs the page (plus
    /// the tombstones between its entries), not the prefix: use it for pages and for indexes
    /// read from one end. This default reads the whole range; stores override it.
    fn range_limit_raw(
        &self,
        prefix: &[u8],
        from: &[u8],
        to: &[u8],
        limit: usize,
        reverse: bool,
    ) -> Result<KeyValues, Error> {
        let mut all = self.range_raw(prefix, from, to)?;
        if reverse {
            all.reverse();
        }
        all.truncate(limit);
        Ok(all)
    }
}

pub trait StateWrite: StateRead {
    fn put_raw(&mut self, key: Vec<u8>, value: Vec<u8>) -> Result<(), Error>;
    fn delete_raw(&mut self, key: Vec<u8>) -> Result<(), Error>;
    fn emit(&mut self, event: Event);
    /// Charges gas for work other than state access (signature checks); free when unmetered.
    fn charge_gas(&self, _amount: u64, _what: &str) -> Result<(), Error> {
        Ok(())
    }
}

/// Typed reads of borsh-encoded records.
pub trait StateReadExt: StateRead {
    fn get<T: BorshDeserialize>(&self, key: &[u8]) -> Result<Option<T>, Error> {
        match self.get_raw(key)? {
            Some(bytes) => borsh::from_slice(&bytes).map(Some).map_err(Error::internal),
            None => Ok(None),
        }
    }

    fn prefix<T: BorshDeserialize>(&self, prefix: &[u8]) -> Result<Vec<(Vec<u8>, T)>, Error> {
        self.prefix_raw(prefix)?
            .into_iter()
            .map(|(k, v)| Ok((k, borsh::from_slice(&v).map_err(Error::internal)?)))
            .collect()
    }
}
impl<S: StateRead + ?Sized> StateReadExt for S {}

/// Typed writes of borsh-encoded records.
pub trait StateWriteExt: StateWrite {
    fn put<T: BorshSerialize>(&mut self, key: Vec<u8>, value: &T) -> Result<(), Error> {
        let bytes = borsh::to_vec(value).map_err(Error::internal)?;
        self.put_raw(key, bytes)
    }
}
impl<S: StateWrite + ?Sized> StateWriteExt for S {}

impl StateRead for Snapshot {
    fn get_raw(&self, key: &[u8]) -> Result<Option<Vec<u8>>, Error> {
        self.get(key).map_err(Error::internal)
    }

    fn prefix_raw(&self, prefix: &[u8]) -> Result<KeyValues, Error> {
        self.prefix(prefix).map_err(Error::internal)
    }

    fn range_raw(&self, prefix: &[u8], from: &[u8], to: &[u8]) -> Result<KeyValues, Error> {
        self.range(prefix, from, to).map_err(Error::internal)
    }

    fn range_limit_raw(
        &self,
        prefix: &[u8],
        from: &[u8],
        to: &[u8],
        limit: usize,
        reverse: bool,
    ) -> Result<KeyValues, Error> {
        self.range_limit(prefix, from, to, limit, reverse).map_err(Error::internal)
    }
}

impl<S: StateRead + ?Sized> StateRead for &S {
    fn get_raw(&self, key: &[u8]) -> Result<Option<Vec<u8>>, Error> {
        (**self).get_raw(key)
    }

    fn prefix_raw(&self, prefix: &[u8]) -> Result<KeyValues, Error> {
        (**self).prefix_raw(prefix)
    }

    fn range_raw(&self, prefix: &[u8], from: &[u8], to: &[u8]) -> Result<KeyValues, Error> {
        (**self).range_raw(prefix, from, to)
    }

    fn range_limit_raw(
        &self,
        prefix: &[u8],
        from: &[u8],
        to: &[u8],
        limit: usize,
        reverse: bool,
    ) -> Result<KeyValues, Error> {
        (**self).range_limit_raw(prefix, from, to, limit, reverse)
    }
}

impl<S: StateRead + ?Sized> StateRead for &mut S {
    fn get_raw(&self, key: &[u8]) -> Result<Option<Vec<u8>>, Error> {
        (**self).get_raw(key)
    }

    fn prefix_raw(&self, prefix: &[u8]) -> Result<KeyValues, Error> {
        (**self).prefix_raw(prefix)
    }

    fn range_raw(&self, prefix: &[u8], from: &[u8], to: &[u8]) -> Result<KeyValues, Error> {
        (**self).range_raw(prefix, from, to)
    }

    fn range_limit_raw(
        &self,
        prefix: &[u8],
        from: &[u8],
        to: &[u8],
        limit: usize,
        reverse: bool,
    ) -> Result<KeyValues, Error> {
        (**self).range_limit_raw(prefix, from, to, limit, reverse)
    }
}

impl<S: StateWrite + ?Sized> StateWrite for &mut S {
    fn put_raw(&mut self, key: Vec<u8>, value: Vec<u8>) -> Result<(), Error> {
        (**self).put_raw(key, value)
    }

    fn delete_raw(&mut self, key: Vec<u8>) -> Result<(), Error> {
        (**self).delete_raw(key)
    }

    fn emit(&mut self, event: Event) {
        (**self).emit(event)
    }

    fn charge_gas(&self, amount: u64, what: &str) -> Result<(), Error> {
        (**self).charge_gas(amount, what)
    }
}

pub type Writes = BTreeMap<Vec<u8>, Option<Vec<u8>>>;

/// Moves the parts of a finished overlay (see [`Overlay::into_parts`]) into its parent.
pub fn apply(parent: &mut impl StateWrite, writes: Writes, events: Vec<Event>) -> Result<(), Error> {
    for (k, v) in writes {
        match v {
            Some(v) => parent.put_raw(k, v)?,
            None => parent.delete_raw(k)?,
        }
    }
    for e in events {
        parent.emit(e);
    }
    Ok(())
}

/// Writes and events on top of a read-only base. Nothing reaches the base until the owner takes
/// the overlay apart with [`Overlay::into_parts`] and applies it; dropping it discards both.
/// With a gas meter, every access is charged.
pub struct Overlay<'a> {
    base: &'a dyn StateRead,
    writes: Writes,
    events: Vec<Event>,
    gas: Option<&'a GasMeter>,
}

impl<'a> Overlay<'a> {
    pub fn new(base: &'a dyn StateRead) -> Self {
        Self { base, writes: Writes::new(), events: Vec::new(), gas: None }
    }

    /// Continues an earlier overlay's writes on the same base (the mempool's state between blocks).
    pub fn resume(base: &'a dyn StateRead, writes: Writes) -> Self {
        Self { base, writes, events: Vec::new(), gas: None }
    }

    pub fn metered(base: &'a dyn StateRead, gas: &'a GasMeter) -> Self {
        Self { base, writes: Writes::new(), events: Vec::new(), gas: Some(gas) }
    }

    pub fn into_parts(self) -> (Writes, Vec<Event>) {
        (self.writes, self.events)
    }

    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// Takes the events emitted so far, keeping the writes.
    pub fn take_events(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.events)
    }

    /// The base's pairs with this overlay's writes applied, charged as one iteration.
    fn merged<'w>(
        &self,
        base: KeyValues,
        writes: impl Iterator<Item = (&'w Vec<u8>, &'w Option<Vec<u8>>)>,
    ) -> Result<KeyValues, Error> {
        let mut merged: BTreeMap<Vec<u8>, Vec<u8>> = base.into_iter().collect();
        for (k, v) in writes {
            match v {
                Some(v) => merged.insert(k.clone(), v.clone()),
                None => merged.remove(k),
            };
        }
        let merged: KeyValues = merged.into_iter().collect();
        self.charge_iteration(&merged)?;
        Ok(merged)
    }

    /// Charges one iteration over `pairs`, as [`Overlay::merged`] does.
    fn charge_iteration(&self, pairs: &KeyValues) -> Result<(), Error> {
        if let Some(g) = self.gas {
            let bytes: u64 = pairs.iter().map(|(k, v)| (k.len() + v.len()) as u64).sum();
            let cost = g.costs.read_flat + g.costs.iter_next_flat * pairs.len() as u64 + g.costs.read_per_byte * bytes;
            self.charge(cost, "IterNextFlat")?;
        }
        Ok(())
    }

    fn charge(&self, amount: u64, what: &str) -> Result<(), Error> {
        match self.gas {
            Some(g) => g.consume(amount, what),
            None => Ok(()),
        }
    }
}

impl StateRead for Overlay<'_> {
    fn get_raw(&self, key: &[u8]) -> Result<Option<Vec<u8>>, Error> {
        let value = match self.writes.get(key) {
            Some(v) => v.clone(),
            None => self.base.get_raw(key)?,
        };
        if let Some(g) = self.gas {
            let bytes = (key.len() + value.as_ref().map_or(0, Vec::len)) as u64;
            self.charge(g.costs.read_flat + g.costs.read_per_byte * bytes, "ReadFlat")?;
        }
        Ok(value)
    }

    fn prefix_raw(&self, prefix: &[u8]) -> Result<KeyValues, Error> {
        let base = self.base.prefix_raw(prefix)?;
        let writes = self.writes.range(prefix.to_vec()..).take_while(|(k, _)| k.starts_with(prefix));
        self.merged(base, writes)
    }

    fn range_raw(&self, prefix: &[u8], from: &[u8], to: &[u8]) -> Result<KeyValues, Error> {
        if from >= to {
            return Ok(Vec::new());
        }
        let base = self.base.range_raw(prefix, from, to)?;
        let writes = self.writes.range(from.to_vec()..to.to_vec()).filter(|(k, _)| k.starts_with(prefix));
        self.merged(base, writes)
    }

    /// The overlay's writes in the range, merged with a page of the base that is long enough
    /// for the overlay's deletions not to shorten it; charged for the pairs returned only.
    fn range_limit_raw(
        &self,
        prefix: &[u8],
        from: &[u8],
        to: &[u8],
        limit: usize,
        reverse: bool,
    ) -> Result<KeyValues, Error> {
        if from >= to || limit == 0 {
            return Ok(Vec::new());
        }
        let writes: Vec<(&Vec<u8>, &Option<Vec<u8>>)> =
            self.writes.range(from.to_vec()..to.to_vec()).filter(|(k, _)| k.starts_with(prefix)).collect();
        let deleted = writes.iter().filter(|(_, v)| v.is_none()).count();
        // Each deletion hides at most one base pair, so `limit + deleted` base pairs leave at
        // least `limit` (or the whole base range) once the writes are applied; a base pair past
        // the last one fetched always sorts after those.
        let base = self.base.range_limit_raw(prefix, from, to, limit.saturating_add(deleted), reverse)?;
        let mut merged: BTreeMap<Vec<u8>, Vec<u8>> = base.into_iter().collect();
        for (k, v) in writes {
            match v {
                Some(v) => merged.insert(k.clone(), v.clone()),
                None => merged.remove(k),
            };
        }
        let page: KeyValues = if reverse {
            merged.into_iter().rev().take(limit).collect()
        } else {
            merged.into_iter().take(limit).collect()
        };
        self.charge_iteration(&page)?;
        Ok(page)
    }
}

impl StateWrite for Overlay<'_> {
    fn put_raw(&mut self, key: Vec<u8>, value: Vec<u8>) -> Result<(), Error> {
        if let Some(g) = self.gas {
            let bytes = (key.len() + value.len()) as u64;
            self.charge(g.costs.write_flat + g.costs.write_per_byte * bytes, "WriteFlat")?;
        }
        self.writes.insert(key, Some(value));
        Ok(())
    }

    fn delete_raw(&mut self, key: Vec<u8>) -> Result<(), Error> {
        if let Some(g) = self.gas {
            self.charge(g.costs.delete, "Delete")?;
        }
        self.writes.insert(key, None);
        Ok(())
    }

    fn emit(&mut self, event: Event) {
        self.events.push(event);
    }

    fn charge_gas(&self, amount: u64, what: &str) -> Result<(), Error> {
        self.charge(amount, what)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use salus_store::{Changes, Storage};

    fn store() -> (tempfile::TempDir, Storage) {
        let dir = tempfile::tempdir().unwrap();
        let s = Storage::open(dir.path()).unwrap();
        let mut c = Changes::new();
        c.insert(b"k/1".to_vec(), Some(b"a".to_vec()));
        c.insert(b"k/2".to_vec(), Some(b"b".to_vec()));
        s.commit(s.prepare(0, &c).unwrap()).unwrap();
        (dir, s)
    }

    #[test]
    fn a_dropped_overlay_leaves_the_parent_untouched() {
        let (_d, s) = store();
        let snap = s.snapshot(0);
        let mut block = Overlay::new(&snap);
        {
            let mut msg = Overlay::new(&block);
            msg.put_raw(b"k/3".to_vec(), b"c".to_vec()).unwrap();
            msg.emit(Event::new("lost"));
        }
        assert_eq!(block.get_raw(b"k/3").unwrap(), None);
        assert!(block.events().is_empty());
        let mut msg = Overlay::new(&block);
        msg.delete_raw(b"k/1".to_vec()).unwrap();
        msg.put_raw(b"k/0".to_vec(), b"z".to_vec()).unwrap();
        msg.emit(Event::new("kept"));
        let (writes, events) = msg.into_parts();
        apply(&mut block, writes, events).unwrap();
        let keys: Vec<_> = block.prefix_raw(b"k/").unwrap().into_iter().map(|(k, _)| k).collect();
        assert_eq!(keys, vec![b"k/0".to_vec(), b"k/2".to_vec()]);
        assert_eq!(block.events().len(), 1);
    }

    /// A store with `q/00` .. `q/19` (value = the number), of which 3, 4, 5 and 17 are deleted at
    /// version 1, plus neighbours outside the prefix.
    fn paged_store() -> (tempfile::TempDir, Storage) {
        let dir = tempfile::tempdir().unwrap();
        let s = Storage::open(dir.path()).unwrap();
        let mut c = Changes::new();
        for i in 0..20u8 {
            c.insert(format!("q/{i:02}").into_bytes(), Some(vec![i]));
        }
        c.insert(b"p/99".to_vec(), Some(vec![99]));
        c.insert(b"r/00".to_vec(), Some(vec![98]));
        s.commit(s.prepare(0, &c).unwrap()).unwrap();
        let mut c = Changes::new();
        for i in [3u8, 4, 5, 17] {
            c.insert(format!("q/{i:02}").into_bytes(), None);
        }
        s.commit(s.prepare(1, &c).unwrap()).unwrap();
        (dir, s)
    }

    fn numbers(page: KeyValues) -> Vec<u8> {
        page.into_iter().map(|(_, v)| v[0]).collect()
    }

    /// What a bounded read must return: the unbounded range, reversed if asked, cut at `limit`.
    fn expected(state: &dyn StateRead, from: &[u8], to: &[u8], limit: usize, reverse: bool) -> Vec<u8> {
        let mut all = numbers(state.range_raw(b"q/", from, to).unwrap());
        if reverse {
            all.reverse();
        }
        all.truncate(limit);
        all
    }

    #[test]
    fn a_bounded_range_on_a_snapshot_skips_tombstones() {
        let (_d, s) = paged_store();
        let snap = s.snapshot(1);
        assert_eq!(numbers(snap.range_limit_raw(b"q/", b"q/", b"q0", 4, false).unwrap()), vec![0, 1, 2, 6]);
        assert_eq!(numbers(snap.range_limit_raw(b"q/", b"q/", b"q0", 3, true).unwrap()), vec![19, 18, 16]);
        assert_eq!(numbers(snap.range_limit_raw(b"q/", b"q/06", b"q/09", 9, true).unwrap()), vec![8, 7, 6]);
        // Through a reference, as modules hold their state.
        let by_ref: &dyn StateRead = &&snap;
        assert_eq!(numbers(by_ref.range_limit_raw(b"q/", b"q/", b"q0", 2, true).unwrap()), vec![19, 18]);
    }

    #[test]
    fn a_bounded_range_on_an_overlay_merges_its_writes_without_losing_length() {
        let (_d, s) = paged_store();
        let snap = s.snapshot(1);
        let mut block = Overlay::new(&snap);
        // Deletions at the head and the tail of the base, insertions in the gaps and outside.
        for i in [0u8, 1, 2, 6, 19, 18] {
            block.delete_raw(format!("q/{i:02}").into_bytes()).unwrap();
        }
        block.put_raw(b"q/04".to_vec(), vec![40]).unwrap();
        block.put_raw(b"q/20".to_vec(), vec![20]).unwrap();
        block.put_raw(b"q/08".to_vec(), vec![80]).unwrap();
        block.put_raw(b"r/01".to_vec(), vec![97]).unwrap();
        let mut msg = Overlay::new(&block);
        msg.delete_raw(b"q/07".to_vec()).unwrap();
        msg.delete_raw(b"q/20".to_vec()).unwrap();
        msg.put_raw(b"q/03".to_vec(), vec![30]).unwrap();
        msg.delete_raw(b"q/99".to_vec()).unwrap();
        assert_eq!(numbers(block.range_limit_raw(b"q/", b"q/", b"q0", 3, false).unwrap()), vec![40, 7, 80]);
        assert_eq!(numbers(block.range_limit_raw(b"q/", b"q/", b"q0", 3, true).unwrap()), vec![20, 16, 15]);
        assert_eq!(numbers(msg.range_limit_raw(b"q/", b"q/", b"q0", 3, false).unwrap()), vec![30, 40, 80]);
        assert_eq!(numbers(msg.range_limit_raw(b"q/", b"q/", b"q0", 2, true).unwrap()), vec![16, 15]);
        // Every window and limit agrees with the unbounded read.
        let bounds: Vec<Vec<u8>> =
            (0..22u8).map(|i| format!("q/{i:02}").into_bytes()).chain([b"q/".to_vec(), b"q0".to_vec()]).collect();
        for state in [&snap as &dyn StateRead, &block, &msg] {
            for from in bounds.iter().filter(|b| b.as_slice() != b"q0") {
                for to in &bounds {
                    for limit in [0, 1, 2, 3, 5, 8, 30] {
                        for reverse in [false, true] {
                            let got = numbers(state.range_limit_raw(b"q/", from, to, limit, reverse).unwrap());
                            assert_eq!(
                                got,
                                expected(state, from, to, limit, reverse),
                                "{from:?}..{to:?} {limit} {reverse}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn a_bounded_range_on_a_metered_overlay_is_charged_for_its_page_only() {
        let (_d, s) = paged_store();
        let snap = s.snapshot(1);
        let meter = GasMeter::new(1_000_000);
        let ov = Overlay::metered(&snap, &meter);
        let page = ov.range_limit_raw(b"q/", b"q/", b"q0", 2, false).unwrap();
        let c = &meter.costs;
        let bytes: u64 = page.iter().map(|(k, v)| (k.len() + v.len()) as u64).sum();
        assert_eq!(page.len(), 2);
        assert_eq!(meter.used(), c.read_flat + 2 * c.iter_next_flat + bytes * c.read_per_byte);
        let before = meter.used();
        ov.range_raw(b"q/", b"q/", b"q0").unwrap();
        assert_eq!(meter.used() - before, c.read_flat + 16 * c.iter_next_flat + 16 * 5 * c.read_per_byte);
    }

    #[test]
    fn metered_overlays_run_out_of_gas() {
        let (_d, s) = store();
        let snap = s.snapshot(0);
        let meter = GasMeter::new(2500);
        let mut ov = Overlay::metered(&snap, &meter);
        ov.get_raw(b"k/1").unwrap();
        let err = ov.put_raw(b"k/9".to_vec(), vec![0; 10]).unwrap_err();
        assert!(err.is(crate::error::SdkCode::OutOfGas));
        assert!(meter.used() > meter.limit());
    }
}
