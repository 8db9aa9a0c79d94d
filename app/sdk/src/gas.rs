//! Gas metering. Costs follow Cosmos SDK's KV store defaults so that gas estimates look familiar.

use std::cell::Cell;

use crate::error::{Error, SdkCode};

#[derive(Clone, Copy, Debug)]
pub struct GasCosts {
    pub read_flat: u64,
    pub read_per_byte: u64,
    pub write_flat: u64,
    pub write_per_byte: u64,
    pub delete: u64,
    pub iter_next_flat: u64,
    pub tx_size_per_byte: u64,
    pub secp256k1_verify: u64,
}

impl Default for GasCosts {
    fn default() -> Self {
        Self {
            read_flat: 1000,
            read_per_byte: 3,
            write_flat: 2000,
            write_per_byte: 30,
            delete: 1000,
            iter_next_flat: 30,
            tx_size_per_byte: 10,
            secp256k1_verify: 1000,
        }
    }
}

/// Counts gas against a limit. Shared by reference within one transaction.
#[derive(Debug)]
pub struct GasMeter {
    limit: u64,
    used: Cell<u64>,
    pub costs: GasCosts,
}

impl GasMeter {
    pub fn new(limit: u64) -> Self {
        Self { limit, used: Cell::new(0), costs: GasCosts::default() }
    }

    /// A meter for work with no limit (genesis, block hooks).
    pub fn infinite() -> Self {
        Self::new(u64::MAX)
    }

    pub fn limit(&self) -> u64 {
        self.limit
    }

    pub fn used(&self) -> u64 {
        self.used.get()
    }

    pub fn consume(&self, amount: u64, what: &str) -> Result<(), Error> {
        let used = self.used.get().saturating_add(amount);
        self.used.set(used);
        if used > self.limit {
            return Err(Error::sdk(
                SdkCode::OutOfGas,
                format!("out of gas in location: {what}; gasWanted: {}, gasUsed: {used}: raise --gas", self.limit),
            ));
        }
        Ok(())
    }
}
