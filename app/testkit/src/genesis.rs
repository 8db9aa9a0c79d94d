//! Typed genesis builders: funded accounts, validators joining by gentx, and any section edited
//! as the typed struct the node parses, instead of JSON written by hand.

use base64::Engine;
use salus_node::app::genesis::AppGenesis;
use salus_node::keyring::Key;
use salus_sdk::{Address, Coins};
use salus_token::genesis::{GenesisBalance, JsonCoin};

use crate::keys::{create_validator_msg, GenesisValidator};
use crate::tx::{sign, TxSpec};
use crate::CHAIN_ID;

/// What a genesis validator's operator holds beyond its stake, for fees.
pub const OPERATOR_SPARE: u128 = 10_000_000;

/// Builds an [`AppGenesis`]: start from the defaults, fund accounts, add validators, edit sections.
#[derive(Clone, Debug, Default)]
pub struct GenesisBuilder {
    genesis: AppGenesis,
}

impl GenesisBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Gives `address` `amount` usalus at genesis.
    pub fn fund(mut self, address: &Address, amount: u128) -> Self {
        self.genesis.token.balances.push(GenesisBalance {
            address: address.to_string(),
            coins: vec![JsonCoin { denom: "usalus".into(), amount: amount.to_string() }],
        });
        self
    }

    /// Funds the validator's operator with its stake and [`OPERATOR_SPARE`], and adds the gentx
    /// that bonds the stake.
    pub fn validator(self, v: &GenesisValidator) -> Self {
        let mut this = self.fund(&v.operator.address, v.stake + OPERATOR_SPARE);
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
        this.genesis.genutil.gen_txs.push(base64::engine::general_purpose::STANDARD.encode(tx));
        this
    }

    /// Edits any section, typed: `.edit(|g| g.slashing.params.signed_blocks_window = 10)`.
    pub fn edit(mut self, change: impl FnOnce(&mut AppGenesis)) -> Self {
        change(&mut self.genesis);
        self
    }

    pub fn build(self) -> AppGenesis {
        self.genesis
    }

    pub fn json(&self) -> String {
        serde_json::to_string(&self.genesis).expect("a genesis serializes")
    }
}

/// A genesis with funded accounts, validators made by gentxs, and `sections` (JSON objects that
/// replace whole sections of app_state, e.g. short slashing windows).
pub fn staking_genesis(
    funded: &[(&Key, u128)],
    validators: &[GenesisValidator],
    sections: serde_json::Value,
) -> String {
    let mut builder = funded.iter().fold(GenesisBuilder::new(), |b, (k, amount)| b.fund(&k.address, *amount));
    builder = validators.iter().fold(builder, |b, v| b.validator(v));
    let mut genesis: serde_json::Value = serde_json::from_str(&builder.json()).unwrap();
    if let serde_json::Value::Object(extra) = sections {
        for (k, v) in extra {
            genesis[k] = v;
        }
    }
    genesis.to_string()
}

/// A genesis that funds these accounts and keeps every default.
pub fn genesis_json(funded: &[(&Key, u128)]) -> String {
    funded.iter().fold(GenesisBuilder::new(), |b, (k, amount)| b.fund(&k.address, *amount)).json()
}
