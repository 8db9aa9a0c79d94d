//! The CLI's side of the wire: CometBFT RPC, ABCI queries, and building, signing and broadcasting
//! standard Cosmos transactions.

use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};
use prost::Message;
use salus_proto::cosmos::auth::v1beta1 as auth;
use salus_proto::cosmos::base::node::v1beta1 as node;
use salus_proto::cosmos::tx::signing::v1beta1::SignMode;
use salus_proto::cosmos::tx::v1beta1::{self as txpb, mode_info, AuthInfo, Fee, ModeInfo, SignerInfo, TxBody, TxRaw};
use salus_proto::Any;
use salus_sdk::{tx, Address, Coins};
use tendermint_rpc::{Client, HttpClient};

use crate::app::params::{parse_gas_prices, GasPrice};
use crate::keyring::Key;

pub struct Rpc {
    pub url: String,
    client: HttpClient,
}

/// An ABCI query that the node answered with an error (modules' commands read it too).
pub use salus_sdk::cli::QueryError;

impl Rpc {
    pub fn new(url: &str) -> Result<Self> {
        let parsed: tendermint_rpc::HttpClientUrl =
            url.parse().map_err(|e| anyhow!("--node {url} is not a URL: {e}"))?;
        let client = HttpClient::builder(parsed)
            .compat_mode(tendermint_rpc::client::CompatMode::V0_38)
            .build()
            .map_err(|e| anyhow!("cannot create an RPC client for {url}: {e}"))?;
        Ok(Self { url: url.to_string(), client })
    }

    fn unreachable(&self, e: impl std::fmt::Display) -> anyhow::Error {
        anyhow!("cannot reach the node at {}: {e}\nIs it running? Start a local chain with `scripts/localnet.sh start`, or pass --node", self.url)
    }

    pub async fn query(
        &self,
        path: &str,
        data: Vec<u8>,
        height: u64,
        prove: bool,
    ) -> Result<tendermint_rpc::endpoint::abci_query::AbciQuery> {
        let h = if height == 0 { None } else { Some(tendermint::block::Height::try_from(height)?) };
        let r =
            self.client.abci_query(Some(path.to_string()), data, h, prove).await.map_err(|e| self.unreachable(e))?;
        if r.code.is_err() {
            return Err(QueryError { codespace: r.codespace.clone(), code: r.code.value(), log: r.log.clone() }.into());
        }
        Ok(r)
    }

    pub async fn query_value(&self, path: &str, data: Vec<u8>, height: u64) -> Result<Vec<u8>> {
        Ok(self.query(path, data, height, false).await?.value)
    }

    /// (account number, sequence), or `None` if the account does not exist.
    pub async fn account(&self, addr: &Address) -> Result<Option<(u64, u64)>> {
        let req = auth::QueryAccountRequest { address: addr.to_string() };
        match self.query_value("/cosmos.auth.v1beta1.Query/Account", req.encode_to_vec(), 0).await {
            Ok(bytes) => {
                let resp = auth::QueryAccountResponse::decode(bytes.as_slice())?;
                let any = resp.account.ok_or_else(|| anyhow!("account response is empty"))?;
                let base = auth::BaseAccount::decode(any.value.as_slice())?;
                Ok(Some((base.account_number, base.sequence)))
            }
            Err(e) if e.downcast_ref::<QueryError>().is_some_and(QueryError::is_not_found) => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub async fn min_gas_prices(&self) -> Result<Vec<GasPrice>> {
        let bytes = self
            .query_value("/cosmos.base.node.v1beta1.Service/Config", node::ConfigRequest::default().encode_to_vec(), 0)
            .await?;
        let resp = node::ConfigResponse::decode(bytes.as_slice())?;
        parse_gas_prices(&resp.minimum_gas_price).map_err(|e| anyhow!("node reports a bad minimum gas price: {e}"))
    }

    pub async fn simulate(&self, tx_bytes: Vec<u8>) -> Result<u64> {
        let req = txpb::SimulateRequest { tx_bytes, ..Default::default() };
        let bytes = self
            .query_value("/cosmos.tx.v1beta1.Service/Simulate", req.encode_to_vec(), 0)
            .await
            .context("simulating the tx (for --gas auto)")?;
        let resp = txpb::SimulateResponse::decode(bytes.as_slice())?;
        Ok(resp.gas_info.map(|g| g.gas_used).unwrap_or(0))
    }

    pub async fn status(&self) -> Result<tendermint_rpc::endpoint::status::Response> {
        self.client.status().await.map_err(|e| self.unreachable(e))
    }

    pub async fn broadcast_sync(&self, tx: Vec<u8>) -> Result<tendermint_rpc::endpoint::broadcast::tx_sync::Response> {
        self.client.broadcast_tx_sync(tx).await.map_err(|e| self.unreachable(e))
    }

    pub async fn tx(&self, hash: [u8; 32]) -> Result<Option<tendermint_rpc::endpoint::tx::Response>> {
        let h = tendermint::Hash::Sha256(hash);
        match self.client.tx(h, false).await {
            Ok(r) => Ok(Some(r)),
            Err(e) if e.to_string().contains("not found") => Ok(None),
            Err(e) => Err(self.unreachable(e)),
        }
    }

    /// Waits until the tx is in a committed block.
    pub async fn wait_for_tx(
        &self,
        hash: [u8; 32],
        timeout: Duration,
    ) -> Result<tendermint_rpc::endpoint::tx::Response> {
        let start = Instant::now();
        loop {
            if let Some(r) = self.tx(hash).await? {
                return Ok(r);
            }
            if start.elapsed() > timeout {
                bail!(
                    "tx {} was accepted but not committed within {}s: check later with `salusd query tx {}`",
                    hex::encode_upper(hash),
                    timeout.as_secs(),
                    hex::encode_upper(hash)
                );
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }
}

/// How much gas to ask for.
#[derive(Clone, Debug)]
pub enum GasSetting {
    Fixed(u64),
    /// Simulate and multiply by the adjustment.
    Auto {
        adjustment_percent: u64,
    },
}

/// Everything about a tx but its messages.
#[derive(Clone, Debug)]
pub struct TxParams {
    pub chain_id: String,
    pub gas: GasSetting,
    pub fees: Option<Coins>,
    pub gas_prices: Option<Vec<GasPrice>>,
    pub memo: String,
    pub timeout_height: u64,
    pub account_number: Option<u64>,
    pub sequence: Option<u64>,
}

/// Encodes and signs a tx with SIGN_MODE_DIRECT.
pub fn sign_tx(
    key: &Key,
    messages: Vec<Any>,
    p: &TxParams,
    gas_limit: u64,
    fee: &Coins,
    account_number: u64,
    sequence: u64,
) -> Vec<u8> {
    let body = TxBody { messages, memo: p.memo.clone(), timeout_height: p.timeout_height, ..Default::default() };
    let auth_info = AuthInfo {
        signer_infos: vec![SignerInfo {
            public_key: Some(tx::secp256k1_pubkey_any(&key.pubkey)),
            mode_info: Some(ModeInfo {
                sum: Some(mode_info::Sum::Single(mode_info::Single { mode: SignMode::Direct as i32 })),
            }),
            sequence,
        }],
        fee: Some(Fee { amount: fee.to_proto(), gas_limit, payer: String::new(), granter: String::new() }),
        ..Default::default()
    };
    let body_bytes = body.encode_to_vec();
    let auth_info_bytes = auth_info.encode_to_vec();
    let sign_bytes = tx::sign_doc_bytes(&body_bytes, &auth_info_bytes, &p.chain_id, account_number);
    let signature = tx::sign_secp256k1(&key.secret, &sign_bytes);
    TxRaw { body_bytes, auth_info_bytes, signatures: vec![signature] }.encode_to_vec()
}

/// The gas a simulation's probe fee is priced at (the fee's size hardly changes the gas).
const SIMULATION_GAS_GUESS: u64 = 200_000;

/// Resolves gas and fees (simulating for `--gas auto`) and signs.
pub async fn build_tx(rpc: &Rpc, key: &Key, messages: Vec<Any>, p: &TxParams) -> Result<Vec<u8>> {
    let (number, sequence) = match (p.account_number, p.sequence) {
        (Some(n), Some(s)) => (n, s),
        (n, s) => {
            let (an, seq) = rpc.account(&key.address).await?.ok_or_else(|| {
                anyhow!("account {} does not exist on chain yet: send it some tokens first", key.address)
            })?;
            (n.unwrap_or(an), s.unwrap_or(seq))
        }
    };
    if p.fees.is_some() && p.gas_prices.is_some() {
        bail!("give either --fees or --gas-prices, not both");
    }
    let prices = match (&p.fees, &p.gas_prices) {
        (Some(_), _) => Vec::new(),
        (None, Some(prices)) => prices.clone(),
        (None, None) => rpc.min_gas_prices().await?,
    };
    let gas_limit = match p.gas {
        GasSetting::Fixed(g) => g,
        GasSetting::Auto { adjustment_percent } => {
            // Simulate with a fee like the one that will be paid, so its transfer is metered too.
            let probe_fee = match &p.fees {
                Some(f) => f.clone(),
                None => fee_from_prices(&prices, SIMULATION_GAS_GUESS)?,
            };
            let probe = sign_tx(key, messages.clone(), p, 0, &probe_fee, number, sequence);
            let used = rpc.simulate(probe).await?;
            let adjusted = used.saturating_mul(adjustment_percent) / 100;
            eprintln!("estimated gas: {used}, using {adjusted}");
            adjusted.max(1)
        }
    };
    let fee = match &p.fees {
        Some(f) => f.clone(),
        None => fee_from_prices(&prices, gas_limit)?,
    };
    Ok(sign_tx(key, messages, p, gas_limit, &fee, number, sequence))
}

fn fee_from_prices(prices: &[GasPrice], gas: u64) -> Result<Coins> {
    match prices.first() {
        None => Ok(Coins::empty()),
        Some(price) => {
            let amount = price.fee_for(gas);
            if amount == 0 {
                return Ok(Coins::empty());
            }
            Coins::new(vec![salus_sdk::Coin::new(amount, price.denom.clone())]).map_err(|e| anyhow!(e.message))
        }
    }
}
