//! Deterministic keys: account keys, consensus keys and genesis validators made from them.

use salus_node::keyring::Key;
use salus_proto::Any;

pub fn key(n: u8) -> Key {
    Key::from_secret(&format!("k{n}"), secp256k1::SecretKey::from_slice(&[n; 32]).unwrap())
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
