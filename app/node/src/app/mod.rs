//! The Salus application: block lifecycle over the store, the tx pipeline and the query router.
//! Owned by a single task (tower-abci's split service); no locks.

pub mod abci;
pub mod genesis;
pub mod info;
pub mod modules;
pub mod params;
pub mod pipeline;
pub mod proposal;
pub mod query;
pub mod sigcache;
pub mod upgrades;

use anyhow::{anyhow, bail, Context, Result};
use salus_sdk::state::{apply, Writes};
use salus_sdk::{BlockCtx, Event, HeaderHashes, Overlay, StateRead, StateWrite};
use salus_sdk::{BlockInfo, ValidatorUpdate};
use salus_store::{Prepared, Snapshot, Storage};

use self::genesis::AppGenesis;
use self::params::{BlockLimits, TxLimits};
use self::pipeline::{run_tx, BlockGas, Mode, TxOutcome};
use self::sigcache::SigCache;
use salus_consensus::{CometParams, ConsensusWrite};

const CHAIN_ID_KEY: &[u8] = b"node/chain_id";
/// The tx pipeline's consensus limits (genesis `auth.params`).
pub const AUTH_PARAMS_KEY: &[u8] = salus_sdk::auth::keys::PARAMS;
/// CometBFT's block limits, as InitChain gave them.
const BLOCK_LIMITS_KEY: &[u8] = b"node/block_limits";
/// The time of the last block (seconds, nanoseconds), so CheckTx and simulation judge
/// time-bound rules (jail time, commission changes) by the chain's clock, not the wall clock.
use salus_sdk::time::BLOCK_TIME_KEY;

/// Facts about the node that queries report (not consensus).
#[derive(Clone, Debug, Default)]
pub struct NodeFacts {
    pub version: String,
}

pub struct App {
    storage: Storage,
    committed: Snapshot,
    chain_id: String,
    limits: TxLimits,
    block_limits: BlockLimits,
    /// The block executed by FinalizeBlock, made durable by Commit.
    pending: Option<Prepared>,
    /// What txs accepted into the mempool since the last commit have written.
    mempool: Writes,
    mempool_height: u64,
    /// The last committed block's time (CheckTx's clock), and the pending block's.
    block_time: (i64, u32),
    pending_time: (i64, u32),
    sigs: SigCache,
    /// This binary's upgrade handlers ([`upgrades::handlers`]).
    upgrade_handlers: Vec<(&'static str, upgrades::Migration)>,
}

/// Read-only access for queries from other tasks (gRPC).
#[derive(Clone)]
pub struct QueryHandle {
    pub storage: Storage,
    pub limits: TxLimits,
}

impl App {
    /// The consensus part of `limits` (everything but the minimum gas prices) is replaced by what
    /// state holds once genesis has run.
    pub fn new(storage: Storage, mut limits: TxLimits) -> Result<Self> {
        // Indexes rewritten at every change and read only at the latest height: their deleted
        // keys keep no history, so reading the validator set, a subject's consents or a role's
        // grants does not slow down as validators come and go and consents and roles end.
        let history_free: Vec<&[u8]> = [
            salus_staking::keys::HISTORY_FREE_PREFIXES,
            salus_consent::keys::HISTORY_FREE_PREFIXES,
            salus_ibc::keys::HISTORY_FREE_PREFIXES,
        ]
        .concat();
        let storage = storage.without_history_under(&history_free);
        let version = storage.latest_version()?.unwrap_or(0);
        let committed = storage.snapshot(version);
        let chain_id = stored_chain_id(&committed);
        let committed_time = stored_block_time(&committed);
        load_consensus_limits(&mut limits, &committed)?;
        let block_limits = stored_block_limits(&committed)?;
        Ok(Self {
            storage,
            committed,
            chain_id: chain_id.unwrap_or_default(),
            limits,
            block_limits,
            pending: None,
            mempool: Writes::new(),
            mempool_height: version + 1,
            block_time: committed_time,
            pending_time: (0, 0),
            sigs: SigCache::new(100_000),
            upgrade_handlers: upgrades::handlers(),
        })
    }

    /// Replaces this binary's upgrade handlers: what a test does to play the new binary.
    pub fn set_upgrade_handlers(&mut self, handlers: Vec<(&'static str, upgrades::Migration)>) {
        self.upgrade_handlers = handlers;
    }

    pub fn query_handle(&self) -> QueryHandle {
        QueryHandle { storage: self.storage.clone(), limits: self.limits.clone() }
    }

    /// The last committed height and app hash (`None` before genesis).
    pub fn last_committed(&self) -> Result<Option<(u64, [u8; 32])>> {
        match self.storage.latest_version()? {
            Some(v) => Ok(Some((v, self.storage.app_hash(v)?))),
            None => Ok(None),
        }
    }

    /// Writes genesis as version 0: every module's section, then the gentxs, then the first
    /// validator set, which it returns for CometBFT. A repeated InitChain (the node stopped
    /// before block 1) returns the stored hash and set.
    pub fn init_chain(
        &mut self,
        chain_id: &str,
        initial_height: u64,
        genesis_time: tendermint::Time,
        app_state: &[u8],
        consensus_params: impl Into<CometParams>,
    ) -> Result<Genesis> {
        let comet: CometParams = consensus_params.into();
        let block_limits = BlockLimits { max_bytes: comet.block_max_bytes, max_gas: comet.block_max_gas };
        if let Some((0, hash)) = self.last_committed()? {
            let snap = self.storage.snapshot(0);
            let validator_updates = modules::validator_set(&snap).map_err(|e| anyhow!(e.message))?;
            return Ok(Genesis { app_hash: hash, validator_updates });
        }
        if let Some((h, _)) = self.last_committed()? {
            bail!("InitChain called on a store already at height {h}: start from a fresh home");
        }
        if initial_height != 1 {
            bail!("genesis initial_height must be 1 (got {initial_height})");
        }
        if block_limits.max_bytes <= 0 || block_limits.max_gas < -1 {
            bail!(
                "genesis consensus_params.block: max_bytes must be positive and max_gas -1 or more (got {} and {})",
                block_limits.max_bytes,
                block_limits.max_gas
            );
        }
        comet.check_supported().map_err(|e| anyhow!("genesis consensus_params: {}", e.message))?;
        let genesis = AppGenesis::from_json(app_state).map_err(|e| anyhow!("{}", e.message))?;
        genesis.auth.validate().map_err(|e| anyhow!("invalid genesis: {}", e.message))?;
        let empty = self.storage.snapshot(0);
        let mut state = Overlay::new(&empty);
        state.put_raw(CHAIN_ID_KEY.to_vec(), chain_id.as_bytes().to_vec()).map_err(|e| anyhow!(e))?;
        // An exported chain's accounts keep their numbers: written before the balances make them.
        genesis.auth.init_accounts(&mut state).map_err(|e| anyhow!("invalid genesis: {}", e.message))?;
        genesis.init(&mut state).map_err(|e| anyhow!("invalid genesis: {}", e.message))?;
        salus_sdk::StateWriteExt::put(&mut state, AUTH_PARAMS_KEY.to_vec(), &genesis.auth.params)
            .map_err(|e| anyhow!(e.message))?;
        salus_sdk::StateWriteExt::put(&mut state, BLOCK_LIMITS_KEY.to_vec(), &block_limits)
            .map_err(|e| anyhow!(e.message))?;
        state.set_comet_params(&comet).map_err(|e| anyhow!(e.message))?;
        // Gentxs meet the genesis' own limits, not the defaults.
        load_consensus_limits(&mut self.limits, &state)?;
        self.block_limits = block_limits;
        let ctx = BlockCtx { height: 0, ..self.block_ctx_for(chain_id, 0, genesis_time) };
        for (i, tx) in genesis.genutil.decoded().map_err(|e| anyhow!(e.message))?.iter().enumerate() {
            let o = run_tx(&mut state, tx, Mode::Deliver, &ctx, &self.limits, &mut self.sigs, None);
            if !o.is_ok() {
                bail!("genutil.gen_txs[{i}] failed ({} code {}): {}", o.codespace, o.code, o.log);
            }
        }
        let validator_updates = modules::end_genesis(&mut state, &ctx).map_err(|e| anyhow!(e.message))?;
        // The sections must agree with each other (pools and token balances, rewards and the
        // distribution account; an exported chain's records) as after any block.
        modules::check_invariants(&state).map_err(|e| anyhow!("invalid genesis: {}", e.message))?;
        let (writes, _) = state.into_parts();
        let prepared = self.storage.prepare(0, &writes)?;
        let hash = prepared.app_hash;
        self.storage.commit(prepared)?;
        self.chain_id = chain_id.to_string();
        self.committed = self.storage.snapshot(0);
        load_consensus_limits(&mut self.limits, &self.committed)?;
        self.block_limits = stored_block_limits(&self.committed)?;
        Ok(Genesis { app_hash: hash, validator_updates })
    }

    /// Every module's state at the latest committed height, as a genesis a new chain starts from
    /// (`salusd genesis export`). Only the latest height can be exported: the validator set's
    /// indexes keep no history of their deleted keys (see `Storage::without_history_under`).
    pub fn export(&self, height: Option<u64>) -> Result<Exported> {
        let Some((latest, app_hash)) = self.last_committed()? else {
            bail!("the store holds no committed state yet: nothing to export");
        };
        if let Some(h) = height.filter(|h| *h != latest) {
            bail!(
                "cannot export height {h}: only the latest committed height ({latest}) can be exported, \
                 because the store keeps no history of the validator set (staking/last_power) at older heights"
            );
        }
        let snap = self.storage.snapshot(latest);
        let auth = genesis::AuthGenesis::export(&snap, self.limits.auth.clone()).map_err(|e| anyhow!(e.message))?;
        let app_state = AppGenesis::export(&snap, auth).map_err(|e| anyhow!("exporting: {}", e.message))?;
        let validators = modules::validator_set(&snap).map_err(|e| anyhow!(e.message))?;
        Ok(Exported {
            height: latest,
            app_hash,
            chain_id: stored_chain_id(&snap).unwrap_or_default(),
            block_time: stored_block_time(&snap),
            block_limits: stored_block_limits(&snap)?,
            comet_params: salus_consensus::ConsensusRead::comet_params(&snap).map_err(|e| anyhow!(e.message))?,
            app_state,
            validators,
        })
    }

    fn block_ctx(&self, height: u64, time: tendermint::Time) -> BlockCtx {
        self.block_ctx_for(&self.chain_id, height, time)
    }

    fn block_ctx_for(&self, chain_id: &str, height: u64, time: tendermint::Time) -> BlockCtx {
        let (time_secs, time_nanos) = unix_parts(time);
        BlockCtx { chain_id: chain_id.to_string(), height, time_secs, time_nanos, header: Default::default() }
    }

    /// Executes a block (begin-block hooks, txs, end-block hooks) and computes its app hash;
    /// nothing is durable until [`App::commit`].
    pub fn finalize_block(
        &mut self,
        height: u64,
        time: tendermint::Time,
        txs: &[bytes::Bytes],
        info: &BlockInfo,
    ) -> Result<Finalized> {
        let expected = self.committed.version() + 1;
        if height != expected {
            bail!(
                "FinalizeBlock for height {height}, but the app is at {}: the store and CometBFT disagree",
                expected - 1
            );
        }
        let header = HeaderHashes {
            app_hash: self.storage.app_hash(expected - 1)?.to_vec(),
            next_validators_hash: info.next_validators_hash.clone(),
        };
        let ctx = BlockCtx { header, ..self.block_ctx(height, time) };
        let mut block = Overlay::new(&self.committed);
        // Nothing of the block is written if this binary may not execute it.
        if let Err(upgrades::UpgradeNeeded(why)) = upgrades::before_block(&mut block, height, &self.upgrade_handlers)
            .map_err(|e| anyhow!("upgrade at {height}: {}", e.message))?
        {
            tracing::error!("{why}");
            bail!("{why}");
        }
        salus_sdk::StateWriteExt::put(&mut block, BLOCK_TIME_KEY.to_vec(), &(ctx.time_secs, ctx.time_nanos))
            .map_err(|e| anyhow!(e.message))?;
        // Block hooks fail only if the store does; the node stops rather than diverge.
        modules::begin_block(&mut block, &ctx, info).map_err(|e| anyhow!("begin block {height}: {}", e.message))?;
        let mut events = block.take_events();
        let mut outcomes = Vec::with_capacity(txs.len());
        let mut gas = self.block_limits.gas().map(|limit| BlockGas { limit, used: 0 });
        for tx in txs {
            outcomes.push(run_tx(&mut block, tx, Mode::Deliver, &ctx, &self.limits, &mut self.sigs, gas.as_mut()));
        }
        let before_end = block.events().len();
        let validator_updates = modules::end_block(&mut block, &ctx, &modules::AppRouter::new(&self.limits.decode))
            .map_err(|e| anyhow!("end block {height}: {}", e.message))?;
        // CometBFT's params a passed proposal changed: CometBFT applies them from the next block,
        // and so do the block limits the node checks proposals and blocks against.
        let consensus_updates = block.take_pending().map_err(|e| anyhow!(e.message))?;
        if let Some(p) = &consensus_updates {
            let limits = BlockLimits { max_bytes: p.block_max_bytes, max_gas: p.block_max_gas };
            salus_sdk::StateWriteExt::put(&mut block, BLOCK_LIMITS_KEY.to_vec(), &limits)
                .map_err(|e| anyhow!(e.message))?;
        }
        let (writes, all_events) = block.into_parts();
        events.extend(all_events.into_iter().skip(before_end));
        let prepared = self.storage.prepare(height, &writes).context("computing the app hash")?;
        let app_hash = prepared.app_hash;
        self.pending = Some(prepared);
        self.pending_time = (ctx.time_secs, ctx.time_nanos);
        Ok(Finalized { outcomes, app_hash, validator_updates, events, consensus_updates })
    }

    /// Makes the finalized block durable in one atomic write.
    pub fn commit(&mut self) -> Result<u64> {
        let prepared = self.pending.take().ok_or_else(|| anyhow!("Commit without FinalizeBlock"))?;
        let height = prepared.version;
        self.storage.commit(prepared)?;
        self.committed = self.storage.snapshot(height);
        // Small reads a block, so the stateless checks and the block limits follow params the
        // block changed.
        load_consensus_limits(&mut self.limits, &self.committed)?;
        self.block_limits = stored_block_limits(&self.committed)?;
        self.block_time = self.pending_time;
        self.mempool.clear();
        self.mempool_height = height + 1;
        Ok(height)
    }

    /// CheckTx: runs the tx on the mempool's state (committed state plus txs accepted since).
    pub fn check_tx(&mut self, tx: &[u8], recheck: bool) -> TxOutcome {
        let (time_secs, time_nanos) = self.block_time;
        let ctx = BlockCtx {
            chain_id: self.chain_id.clone(),
            height: self.mempool_height,
            time_secs,
            time_nanos,
            header: Default::default(),
        };
        let mut mempool = Overlay::resume(&self.committed, std::mem::take(&mut self.mempool));
        let mode = if recheck { Mode::Recheck } else { Mode::Check };
        // A refused tx never enters the mempool, so nothing it did (not even its fee and
        // sequence bump, which a failed message keeps in a block) may reach the mempool's state.
        let mut this_tx = Overlay::new(&mempool);
        // A tx that wants more gas than a block holds can never be included (CometBFT drops it):
        // refuse it here, before its sequence bump reaches the mempool's state.
        let mut block_gas = self.block_limits.gas().map(|limit| BlockGas { limit, used: 0 });
        let outcome = run_tx(&mut this_tx, tx, mode, &ctx, &self.limits, &mut self.sigs, block_gas.as_mut());
        let (writes, _) = this_tx.into_parts();
        if outcome.is_ok() {
            apply(&mut mempool, writes, Vec::new()).expect("an unmetered overlay accepts every write");
        }
        self.mempool = mempool.into_parts().0;
        outcome
    }

    pub fn chain_id(&self) -> &str {
        &self.chain_id
    }

    pub fn limits(&self) -> &TxLimits {
        &self.limits
    }

    pub fn block_limits(&self) -> BlockLimits {
        self.block_limits
    }
}

/// A chain's state as a genesis: [`App::export`].
pub struct Exported {
    pub height: u64,
    pub app_hash: [u8; 32],
    pub chain_id: String,
    /// The exported block's time (0 at genesis).
    pub block_time: (i64, u32),
    pub block_limits: BlockLimits,
    /// CometBFT's params as the chain last set them (genesis or governance).
    pub comet_params: CometParams,
    pub app_state: AppGenesis,
    /// CometBFT's validator set, as the module list reports it.
    pub validators: Vec<ValidatorUpdate>,
}

/// What InitChain returns to CometBFT.
pub struct Genesis {
    pub app_hash: [u8; 32],
    pub validator_updates: Vec<ValidatorUpdate>,
}

/// What FinalizeBlock returns to CometBFT.
pub struct Finalized {
    pub outcomes: Vec<TxOutcome>,
    pub app_hash: [u8; 32],
    pub validator_updates: Vec<ValidatorUpdate>,
    /// Begin- and end-block events (rewards, slashes, completed unbondings).
    pub events: Vec<Event>,
    /// CometBFT's params as a passed proposal changed them in this block.
    pub consensus_updates: Option<CometParams>,
}

impl From<BlockLimits> for CometParams {
    /// CometBFT's defaults with these block limits (the test kit's chains).
    fn from(b: BlockLimits) -> Self {
        CometParams::with_block(b.max_bytes, b.max_gas)
    }
}

/// A CometBFT time as (seconds, nanoseconds) since the Unix epoch, the form state keeps.
pub fn unix_parts(t: tendermint::Time) -> (i64, u32) {
    let unix = t.unix_timestamp_nanos();
    (unix.div_euclid(1_000_000_000) as i64, unix.rem_euclid(1_000_000_000) as u32)
}

/// The time of the last committed block (0 before the first).
pub fn stored_block_time(state: &impl StateRead) -> (i64, u32) {
    let t = salus_sdk::time::stored_block_time(state);
    (t.secs, t.nanos)
}

/// Replaces the consensus part of `limits` (the tx limits and the transfer caps) with what
/// `state` holds, once genesis has written them.
pub fn load_consensus_limits(limits: &mut TxLimits, state: &impl StateRead) -> Result<()> {
    if let Some(auth) = salus_sdk::StateReadExt::get(state, AUTH_PARAMS_KEY).map_err(|e| anyhow!(e.message))? {
        limits.auth = auth;
    }
    limits.decode = modules::DecodeLimits::load(state).map_err(|e| anyhow!(e.message))?;
    Ok(())
}

/// CometBFT's block limits as InitChain gave them (the defaults before genesis).
pub fn stored_block_limits(state: &impl StateRead) -> Result<BlockLimits> {
    let stored = salus_sdk::StateReadExt::get(state, BLOCK_LIMITS_KEY).map_err(|e| anyhow!(e.message))?;
    Ok(stored.unwrap_or_default())
}

/// The chain id recorded at genesis.
pub fn stored_chain_id(state: &impl StateRead) -> Option<String> {
    state.get_raw(CHAIN_ID_KEY).ok().flatten().map(|b| String::from_utf8_lossy(&b).into_owned())
}
