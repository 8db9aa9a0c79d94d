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
use salus_store::Storage;

pub const CHAIN_ID: &str = "salus-test-1";

pub fn key(n: u8) -> Key {
    Key::from_secret(&format!("k{n}"), secp256k1::SecretKey::from_slice(&[n; 32]).unwrap())
}

pub struct TestChain {
    pub dir: tempfile::TempDir,
    pub app: App,
    pub height: u64,
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
        let dir = tempfile::tempdir().unwrap();
        let app = open_app(dir.path());
        let mut chain = TestChain { dir, app, height: 0 };
        chain.app.init_chain(CHAIN_ID, 1, genesis.as_bytes()).unwrap();
        chain
    }

    pub fn time(height: u64) -> tendermint::Time {
        tendermint::Time::from_unix_timestamp(1_800_000_000 + height as i64, 0).unwrap()
    }

    /// Finalizes and commits one block.
    pub fn block(&mut self, txs: Vec<Vec<u8>>) -> Vec<TxOutcome> {
        let (outcomes, hash) = self.finalize(txs);
        self.app.commit().unwrap();
        assert_eq!(self.app.last_committed().unwrap().unwrap().1, hash);
        outcomes
    }

    pub fn finalize(&mut self, txs: Vec<Vec<u8>>) -> (Vec<TxOutcome>, [u8; 32]) {
        self.height += 1;
        let txs: Vec<Bytes> = txs.into_iter().map(Bytes::from).collect();
        self.app.finalize_block(self.height, Self::time(self.height), &txs).unwrap()
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

pub fn assert_code(o: &TxOutcome, codespace: &str, code: u32) {
    assert_eq!((o.codespace, o.code), (codespace, code), "unexpected outcome: {o:?}");
}
