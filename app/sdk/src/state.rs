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
        if let Some(g) = self.gas {
            let bytes: u64 = merged.iter().map(|(k, v)| (k.len() + v.len()) as u64).sum();
            let cost = g.costs.read_flat + g.costs.iter_next_flat * merged.len() as u64 + g.costs.read_per_byte * bytes;
            self.charge(cost, "IterNextFlat")?;
        }
        Ok(merged.into_iter().collect())
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
