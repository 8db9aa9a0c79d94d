//! A small consensus driver: builds genesis, fabricates block headers, finalizes and commits
//! blocks through the real App on a temporary real store.

#![allow(dead_code)]

use bytes::Bytes;
use salus_node::app::params::{parse_gas_prices, TxLimits};
use salus_node::app::pipeline::TxOutcome;
use salus_node::app::query::NodeInfoCache;
use salus_node::app::App;
use salus_node::client::{sign_tx, GasSetting, TxParams};
use salus_node::keyring::Key;
use salus_proto::Any;
use salus_sdk::{Address, Coins};
use salus_staking::{BlockInfo, Misbehavior, VoteInfo};
use salus_store::Storage;

pub const CHAIN_ID: &str = "salus-test-1";

pub fn key(n: u8) -> Key {
    Key::from_secret(&format!("k{n}"), secp256k1::SecretKey::from_slice(&[n; 32]).unwrap())
}

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
}

/// A genesis validator: an operator key, its node's ed25519 consensus key, the stake it bonds.
pub struct GenesisValidator {
    pub operator: Key,
    pub consensus: ed25519_consensus::SigningKey,
    pub stake: u128,
}

impl GenesisValidator {
    pub fn new(n: u8, stake: u128) -> Self {
        Self { operator: key(n), consensus: consensus_key(n), stake }
    }

    pub fn cons_address(&self) -> [u8; 20] {
        salus_staking::types::consensus_address(&self.consensus.verification_key().to_bytes())
    }

    pub fn valoper(&self) -> String {
        self.operator.address.to_valoper()
    }
}

pub fn consensus_key(n: u8) -> ed25519_consensus::SigningKey {
    ed25519_consensus::SigningKey::from([n.wrapping_add(100); 32])
}

/// The `MsgCreateValidator` of a genesis validator (or of one joining later).
pub fn create_validator_msg(operator: &Key, consensus: &ed25519_consensus::SigningKey, stake: u128) -> Any {
    use salus_staking::types::{CommissionRates, Description};
    salus_staking::StakingMsg::CreateValidator {
        operator: operator.address,
        pubkey: consensus.verification_key().to_bytes(),
        description: Description { moniker: format!("v-{}", operator.name), ..Default::default() },
        commission: CommissionRates {
            rate: salus_staking::Dec::percent(10),
            max_rate: salus_staking::Dec::percent(20),
            max_change_rate: salus_staking::Dec::percent(1),
        },
        min_self_delegation: 1,
        value: salus_sdk::Coin::new(stake, "usalus"),
    }
    .to_any()
}

/// What a genesis validator's operator holds beyond its stake, for fees.
pub const OPERATOR_SPARE: u128 = 10_000_000;

/// A genesis with funded accounts, validators made by gentxs, and `params` (JSON merged into
/// app_state, e.g. short slashing windows).
pub fn staking_genesis(funded: &[(&Key, u128)], validators: &[GenesisValidator], params: serde_json::Value) -> String {
    use base64::Engine;
    let mut all: Vec<(&Key, u128)> = funded.to_vec();
    for v in validators {
        all.push((&v.operator, v.stake + OPERATOR_SPARE));
    }
    let mut genesis: serde_json::Value = serde_json::from_str(&genesis_json(&all)).unwrap();
    let gen_txs: Vec<String> = validators
        .iter()
        .map(|v| {
            let spec = TxSpec {
                chain_id: CHAIN_ID.into(),
                account_number: 0,
                sequence: 0,
                gas: 300_000,
                fee: Coins::empty(),
                memo: String::new(),
                timeout_height: 0,
            };
            let tx = sign(&v.operator, vec![create_validator_msg(&v.operator, &v.consensus, v.stake)], &spec);
            base64::engine::general_purpose::STANDARD.encode(tx)
        })
        .collect();
    genesis["genutil"] = serde_json::json!({ "gen_txs": gen_txs });
    if let serde_json::Value::Object(extra) = params {
        for (k, v) in extra {
            genesis[k] = v;
        }
    }
    genesis.to_string()
}

pub fn genesis_json(funded: &[(&Key, u128)]) -> String {
    let balances: Vec<_> = funded
        .iter()
        .map(|(k, amt)| serde_json::json!({"address": k.address.to_string(), "coins": [{"denom": "usalus", "amount": amt.to_string()}]}))
        .collect();
    serde_json::json!({ "token": { "balances": balances } }).to_string()
}

impl TestChain {
    /// A chain whose genesis funds keys 1 and 2 with 1_000_000_000usalus each.
    pub fn new() -> Self {
        Self::with_genesis(&genesis_json(&[(&key(1), 1_000_000_000), (&key(2), 1_000_000_000)]))
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
        BlockInfo { votes, misbehavior: std::mem::take(&mut self.evidence) }
    }

    fn supply(&self) -> u128 {
        use salus_token::TokenRead;
        self.app.query_handle().snapshot_at(0).unwrap().supply("usalus").unwrap()
    }

    /// The staking invariants, checked after every block.
    pub fn check_invariants(&self) {
        let snap = self.app.query_handle().snapshot_at(0).unwrap();
        salus_staking::invariants::check(&snap).unwrap_or_else(|e| panic!("at height {}: {}", self.height, e.message));
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

/// Options for a signed tx; defaults are a valid tx for key `from` at its current sequence.
pub struct TxSpec {
    pub chain_id: String,
    pub account_number: u64,
    pub sequence: u64,
    pub gas: u64,
    pub fee: Coins,
    pub memo: String,
    pub timeout_height: u64,
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

pub fn sign(from: &Key, msgs: Vec<Any>, s: &TxSpec) -> Vec<u8> {
    let params = TxParams {
        chain_id: s.chain_id.clone(),
        gas: GasSetting::Fixed(s.gas),
        fees: Some(s.fee.clone()),
        gas_prices: None,
        memo: s.memo.clone(),
        timeout_height: s.timeout_height,
        account_number: Some(s.account_number),
        sequence: Some(s.sequence),
    };
    sign_tx(from, msgs, &params, s.gas, &s.fee, s.account_number, s.sequence)
}

pub fn send_msg(from: &Address, to: &Address, amount: &str) -> Any {
    salus_proto::to_any(&salus_proto::cosmos::bank::v1beta1::MsgSend {
        from_address: from.to_string(),
        to_address: to.to_string(),
        amount: vec![salus_proto::cosmos::base::v1beta1::Coin { denom: "usalus".into(), amount: amount.into() }],
    })
}

/// Runs `tx` through CheckTx and through a block; both must reject it with the same code, the
/// block must hash as the same block without the tx would, and the log must be short. Returns
/// the log.
pub fn rejected(chain: &mut TestChain, tx: Vec<u8>, codespace: &str, code: u32) -> String {
    let checked = chain.app.check_tx(&tx, false);
    assert_code(&checked, codespace, code);
    let (out, with_tx) = chain.finalize(vec![tx]);
    assert_code(&out[0], codespace, code);
    chain.height -= 1;
    let (_, without) = chain.finalize(Vec::new());
    chain.app.commit().unwrap();
    assert_eq!(with_tx, without, "a rejected tx changed state");
    let max = salus_node::app::pipeline::MAX_LOG_BYTES;
    assert!(out[0].log.len() <= max, "a log of {} bytes", out[0].log.len());
    out[0].log.clone()
}

pub fn assert_code(o: &TxOutcome, codespace: &str, code: u32) {
    assert_eq!((o.codespace, o.code), (codespace, code), "unexpected outcome: {o:?}");
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

pub fn usalus(amount: u128) -> salus_sdk::Coin {
    salus_sdk::Coin::new(amount, "usalus")
}
