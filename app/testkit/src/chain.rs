//! The in-process chain: fabricated block headers and votes, blocks finalized and committed
//! through the real App on a temporary real store, and after every block every module's
//! invariants and the supply accounting.

use bytes::Bytes;
use salus_node::app::params::{parse_gas_prices, TxLimits};
use salus_node::app::pipeline::TxOutcome;
use salus_node::app::query::NodeInfoCache;
use salus_node::app::App;
use salus_node::keyring::Key;
use salus_proto::Any;
use salus_sdk::module::{Misbehavior, VoteInfo};
use salus_sdk::{Address, BlockInfo};
use salus_store::Storage;

use crate::genesis::genesis_json;
use crate::keys::key;
use crate::tx::{sign, TxSpec};
use crate::CHAIN_ID;

pub struct TestChain {
    pub dir: tempfile::TempDir,
    pub app: App,
    pub height: u64,
    /// CometBFT's validator set by height (cons address, power): updates returned at H apply at H+2.
    pub sets: std::collections::BTreeMap<u64, Vec<([u8; 20], u64)>>,
    /// Validators whose votes are absent from the next blocks' last commit.
    pub absent: std::collections::BTreeSet<[u8; 20]>,
    /// Evidence CometBFT reports in the next block.
    pub evidence: Vec<Misbehavior>,
    /// Begin- and end-block events of the last block.
    pub block_events: Vec<salus_sdk::Event>,
    /// Validator updates of the last block.
    pub updates: Vec<salus_staking::ValidatorUpdate>,
    /// CometBFT's params as the last block changed them.
    pub consensus_updates: Option<salus_consensus::CometParams>,
}

impl TestChain {
    /// A chain whose genesis funds keys 1 and 2 with 1_000_000_000usalus each.
    pub fn new() -> Self {
        Self::with_genesis(&genesis_json(&[(&key(1), 1_000_000_000), (&key(2), 1_000_000_000)]))
    }

    /// A chain started from a typed genesis (see [`crate::GenesisBuilder`]).
    pub fn with_app_genesis(genesis: &salus_node::app::genesis::AppGenesis) -> Self {
        Self::with_genesis(&serde_json::to_string(genesis).expect("a genesis serializes"))
    }

    pub fn with_genesis(genesis: &str) -> Self {
        Self::with_block_limits(genesis, Default::default())
    }

    /// A chain whose consensus params set these block limits.
    pub fn with_block_limits(genesis: &str, limits: salus_node::app::params::BlockLimits) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let app = open_app(dir.path());
        let mut chain = TestChain {
            dir,
            app,
            height: 0,
            sets: Default::default(),
            absent: Default::default(),
            evidence: Vec::new(),
            block_events: Vec::new(),
            updates: Vec::new(),
            consensus_updates: None,
        };
        let g = chain.app.init_chain(CHAIN_ID, 1, Self::time(0), genesis.as_bytes(), limits).unwrap();
        let set: Vec<_> =
            g.validator_updates.iter().map(|u| (salus_staking::types::consensus_address(&u.pubkey), u.power)).collect();
        chain.sets.insert(1, set.clone());
        chain.sets.insert(2, set);
        chain.check_invariants();
        chain
    }

    /// The validator set CometBFT uses at `height`.
    pub fn set_at(&self, height: u64) -> Vec<([u8; 20], u64)> {
        self.sets.range(..=height).next_back().map(|(_, s)| s.clone()).unwrap_or_default()
    }

    /// The power CometBFT gives a validator now (0 if it is not in the set).
    pub fn comet_power(&self, cons: &[u8; 20]) -> u64 {
        self.set_at(self.height + 1).iter().find(|(c, _)| c == cons).map_or(0, |(_, p)| *p)
    }

    fn block_info(&mut self) -> BlockInfo {
        let votes = if self.height == 0 {
            Vec::new()
        } else {
            self.set_at(self.height)
                .into_iter()
                .map(|(cons, power)| VoteInfo { cons_address: cons, power, signed: !self.absent.contains(&cons) })
                .collect()
        };
        // Fabricated as the votes are: a hash of the set that signs the block after this one (not
        // CometBFT's Merkle hash of the validators, which needs their public keys).
        let mut next = <sha2::Sha256 as sha2::Digest>::new();
        for (cons, power) in self.set_at(self.height + 2) {
            sha2::Digest::update(&mut next, cons);
            sha2::Digest::update(&mut next, power.to_be_bytes());
        }
        let next_validators_hash = sha2::Digest::finalize(next).to_vec();
        BlockInfo { votes, misbehavior: std::mem::take(&mut self.evidence), next_validators_hash }
    }

    fn supply(&self) -> u128 {
        use salus_token::TokenRead;
        self.app.query_handle().snapshot_at(0).unwrap().supply("usalus").unwrap()
    }

    /// Every module's invariants (the module list's), checked after every block.
    pub fn check_invariants(&self) {
        let snap = self.app.query_handle().snapshot_at(0).unwrap();
        salus_node::app::modules::check_invariants(&snap)
            .unwrap_or_else(|e| panic!("at height {}: {}", self.height, e.message));
    }

    pub fn blocks(&mut self, n: usize) {
        for _ in 0..n {
            self.block(Vec::new());
        }
    }

    /// Blocks are one second apart.
    pub fn time(height: u64) -> tendermint::Time {
        tendermint::Time::from_unix_timestamp(1_800_000_000 + height as i64, 0).unwrap()
    }

    /// Finalizes and commits one block, then checks that supply moved only by minting and
    /// slashing and that every staking invariant holds.
    pub fn block(&mut self, txs: Vec<Vec<u8>>) -> Vec<TxOutcome> {
        let before = self.supply();
        let (outcomes, hash) = self.finalize(txs);
        self.app.commit().unwrap();
        assert_eq!(self.app.last_committed().unwrap().unwrap().1, hash);
        let amount = |e: &salus_sdk::Event| -> u128 {
            e.get("amount").map_or(0, |a| a.trim_end_matches("usalus").parse().unwrap_or(0))
        };
        let events = self.block_events.iter().chain(outcomes.iter().flat_map(|o| &o.events));
        let (mut minted, mut burned) = (0u128, 0u128);
        for e in events {
            match e.kind.as_str() {
                "mint" => minted += amount(e),
                "burn" => burned += amount(e),
                _ => {}
            }
        }
        assert_eq!(self.supply(), before + minted - burned, "supply moved other than by minting and slashing");
        self.check_invariants();
        outcomes
    }

    pub fn finalize(&mut self, txs: Vec<Vec<u8>>) -> (Vec<TxOutcome>, [u8; 32]) {
        self.height += 1;
        let info = self.block_info();
        let txs: Vec<Bytes> = txs.into_iter().map(Bytes::from).collect();
        let f = self.app.finalize_block(self.height, Self::time(self.height), &txs, &info).unwrap();
        if !f.validator_updates.is_empty() {
            let mut set = self.set_at(self.height + 1);
            for u in &f.validator_updates {
                let cons = salus_staking::types::consensus_address(&u.pubkey);
                set.retain(|(c, _)| *c != cons);
                if u.power > 0 {
                    set.push((cons, u.power));
                }
            }
            set.sort();
            self.sets.insert(self.height + 2, set);
        }
        self.block_events = f.events;
        self.updates = f.validator_updates;
        self.consensus_updates = f.consensus_updates;
        (f.outcomes, f.app_hash)
    }

    pub fn app_hash(&self) -> [u8; 32] {
        self.app.last_committed().unwrap().unwrap().1
    }

    pub fn query(&self, path: &str, data: Vec<u8>) -> Result<Vec<u8>, salus_sdk::Error> {
        let cache: NodeInfoCache = Default::default();
        self.app.query_handle().query(path, &data, 0, false, &cache).map(|a| a.value)
    }

    pub fn balance(&self, addr: &Address) -> u128 {
        use prost::Message;
        let req = salus_proto::cosmos::bank::v1beta1::QueryBalanceRequest {
            address: addr.to_string(),
            denom: "usalus".into(),
        };
        let bytes = self.query("/cosmos.bank.v1beta1.Query/Balance", req.encode_to_vec()).unwrap();
        let resp = salus_proto::cosmos::bank::v1beta1::QueryBalanceResponse::decode(bytes.as_slice()).unwrap();
        resp.balance.unwrap().amount.parse().unwrap()
    }

    /// (account number, sequence)
    pub fn account(&self, addr: &Address) -> Option<(u64, u64)> {
        use prost::Message;
        let req = salus_proto::cosmos::auth::v1beta1::QueryAccountRequest { address: addr.to_string() };
        let bytes = self.query("/cosmos.auth.v1beta1.Query/Account", req.encode_to_vec()).ok()?;
        let resp = salus_proto::cosmos::auth::v1beta1::QueryAccountResponse::decode(bytes.as_slice()).unwrap();
        let base =
            salus_proto::cosmos::auth::v1beta1::BaseAccount::decode(resp.account.unwrap().value.as_slice()).unwrap();
        Some((base.account_number, base.sequence))
    }
}

pub fn open_app(path: &std::path::Path) -> App {
    let limits = TxLimits { min_gas_prices: parse_gas_prices("0.001usalus").unwrap(), ..Default::default() };
    App::new(Storage::open(path).unwrap(), limits).unwrap()
}

impl TestChain {
    pub fn spec(&self, from: &Key) -> TxSpec {
        let (account_number, sequence) = self.account(&from.address).expect("signer account exists");
        TxSpec {
            chain_id: CHAIN_ID.into(),
            account_number,
            sequence,
            gas: 200_000,
            fee: "200usalus".parse().unwrap(),
            memo: String::new(),
            timeout_height: 0,
        }
    }
}

/// Staking helpers: signed staking txs and reads of staking state.
impl TestChain {
    /// A valid tx spec for `from` with enough gas for any staking message.
    pub fn staking_spec(&self, from: &Key) -> TxSpec {
        TxSpec { gas: 600_000, fee: "600usalus".parse().unwrap(), ..self.spec(from) }
    }

    /// Signs `msg` from `from` with [`TestChain::staking_spec`] and runs it in a block.
    pub fn exec(&mut self, from: &Key, msg: Any) -> TxOutcome {
        let tx = sign(from, vec![msg], &self.staking_spec(from));
        self.block(vec![tx]).remove(0)
    }

    pub fn snapshot(&self) -> salus_store::Snapshot {
        self.app.query_handle().snapshot_at(0).unwrap()
    }

    pub fn validator(&self, operator: &Address) -> salus_staking::types::Validator {
        use salus_staking::StakingRead;
        self.snapshot().validator(operator).unwrap().expect("validator exists")
    }

    pub fn signing_info(&self, cons: &[u8; 20]) -> salus_staking::types::SigningInfo {
        use salus_staking::StakingRead;
        self.snapshot().signing_info(cons).unwrap().expect("signing info exists")
    }

    pub fn unbonding(&self, del: &Address, val: &Address) -> Option<salus_staking::types::UnbondingDelegation> {
        use salus_staking::StakingRead;
        self.snapshot().unbonding(del, val).unwrap()
    }

    /// What a delegation is worth in tokens now (0 if there is none).
    pub fn delegated(&self, del: &Address, val: &Address) -> u128 {
        use salus_staking::StakingRead;
        let snap = self.snapshot();
        match snap.delegation(del, val).unwrap() {
            Some(d) => snap.validator(val).unwrap().unwrap().tokens_for(d.shares).unwrap(),
            None => 0,
        }
    }

    /// A delegation's unpaid rewards in usalus, decimal.
    pub fn pending_rewards(&self, del: &Address, val: &Address) -> salus_staking::Dec {
        salus_staking::distribution::pending_rewards(&self.snapshot(), del, val).unwrap().amount_of("usalus")
    }
}
