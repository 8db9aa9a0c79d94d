//! Genesis sections `staking`, `slashing` and `distribution`. A new chain has only their
//! parameters: validators join through gentxs (the node's `genutil` section), as in Cosmos. An
//! exported chain (`salusd genesis export`) also carries every record of the three modules, in
//! the shape of Cosmos' x/staking, x/slashing and x/distribution genesis where the records match:
//! validators, delegations, unbonding delegations, redelegations and the last validator set;
//! signing infos and missed blocks; rewards, community pool and withdraw addresses.
//!
//! The export is for a chain that starts again at height 1, so heights of the old chain are set
//! to 0 as Cosmos' `--for-zero-height` does (creation heights of unbonding and redelegation
//! entries, validators' unbonding heights, signing infos' start heights): an infraction on the
//! new chain comes after every entry that exists at its genesis.
//!
//! Each section is checked on its own ([`validate`]), then against the sections before it as
//! they are written (a delegation to a validator the section does not list, a signing info's
//! missed blocks), and the node checks the invariants once every module has written its section
//! (pools against the token balances, rewards against the distribution account).

use std::collections::{BTreeMap, BTreeSet};

use salus_sdk::address::VALCONS_PREFIX;
use salus_sdk::json;

/// The largest block counter (height, index offset) a genesis may carry: CometBFT's heights are
/// i64, so nothing above it is reachable, and every later `+ 1` stays far from overflowing.
pub const MAX_COUNTER: u64 = i64::MAX as u64;
use salus_sdk::{Address, Coin, Coins, Error, SdkCode, StateRead, StateWrite};
use serde::{Deserialize, Serialize};

use crate::keys;
use crate::params::{DistributionParams, SlashingParams, StakingParams};
use crate::state::{StakingRead, StakingWrite};
use crate::types::{
    consensus_address, BondStatus, CommissionRates, Delegation, Description, Redelegation, RedelegationEntry,
    SigningInfo, Time, UnbondingDelegation, UnbondingEntry, Validator, ValidatorRewards,
};
use salus_sdk::dec::{Dec, DecCoins};

/// The ed25519 consensus key's type URL, as Cosmos JSON names it.
pub const ED25519_TYPE: &str = "/cosmos.crypto.ed25519.PubKey";

fn invalid(msg: String) -> Error {
    Error::sdk(SdkCode::InvalidRequest, msg)
}

// ---- staking ----

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StakingGenesis {
    #[serde(default)]
    pub params: StakingParams,
    /// The sum of `last_validator_powers`.
    #[serde(default, with = "json::string")]
    pub last_total_power: u64,
    /// The set CometBFT was last told about.
    #[serde(default)]
    pub last_validator_powers: Vec<LastValidatorPower>,
    #[serde(default)]
    pub validators: Vec<GenesisValidator>,
    #[serde(default)]
    pub delegations: Vec<GenesisDelegation>,
    #[serde(default)]
    pub unbonding_delegations: Vec<GenesisUnbonding>,
    #[serde(default)]
    pub redelegations: Vec<GenesisRedelegation>,
    /// Written by an export: the validator set is in the section, not in gentxs.
    #[serde(default)]
    pub exported: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LastValidatorPower {
    /// `salusvaloper1...`
    pub address: String,
    #[serde(with = "json::string")]
    pub power: u64,
}

/// A key as Cosmos JSON writes an `Any` of a public key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonPubKey {
    #[serde(rename = "@type")]
    pub type_url: String,
    /// base64
    pub key: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisValidator {
    pub operator_address: String,
    pub consensus_pubkey: JsonPubKey,
    pub jailed: bool,
    /// `BOND_STATUS_BONDED`, `BOND_STATUS_UNBONDING` or `BOND_STATUS_UNBONDED`.
    pub status: String,
    #[serde(with = "json::string")]
    pub tokens: u128,
    pub delegator_shares: Dec,
    pub description: GenesisDescription,
    #[serde(with = "json::string")]
    pub unbonding_height: u64,
    #[serde(with = "json::rfc3339")]
    pub unbonding_time: Time,
    pub commission: GenesisCommission,
    #[serde(with = "json::string")]
    pub min_self_delegation: u128,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct GenesisDescription {
    pub moniker: String,
    pub identity: String,
    pub website: String,
    pub security_contact: String,
    pub details: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisCommission {
    pub commission_rates: GenesisCommissionRates,
    #[serde(with = "json::rfc3339")]
    pub update_time: Time,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisCommissionRates {
    pub rate: Dec,
    pub max_rate: Dec,
    pub max_change_rate: Dec,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisDelegation {
    pub delegator_address: String,
    pub validator_address: String,
    pub shares: Dec,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisUnbonding {
    pub delegator_address: String,
    pub validator_address: String,
    pub entries: Vec<GenesisUnbondingEntry>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisUnbondingEntry {
    #[serde(with = "json::string")]
    pub creation_height: u64,
    #[serde(with = "json::rfc3339")]
    pub completion_time: Time,
    #[serde(with = "json::string")]
    pub initial_balance: u128,
    #[serde(with = "json::string")]
    pub balance: u128,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisRedelegation {
    pub delegator_address: String,
    pub validator_src_address: String,
    pub validator_dst_address: String,
    pub entries: Vec<GenesisRedelegationEntry>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisRedelegationEntry {
    #[serde(with = "json::string")]
    pub creation_height: u64,
    #[serde(with = "json::rfc3339")]
    pub completion_time: Time,
    #[serde(with = "json::string")]
    pub initial_balance: u128,
    pub shares_dst: Dec,
}

fn status_of(field: &str, s: &str) -> Result<BondStatus, Error> {
    [BondStatus::Bonded, BondStatus::Unbonding, BondStatus::Unbonded]
        .into_iter()
        .find(|b| b.proto_name() == s)
        .ok_or_else(|| {
            invalid(format!(
                "{field}: `{s}` is not a bond status (BOND_STATUS_BONDED, BOND_STATUS_UNBONDING, BOND_STATUS_UNBONDED)"
            ))
        })
}

fn ed25519_of(field: &str, k: &JsonPubKey) -> Result<[u8; 32], Error> {
    use base64::Engine;
    if k.type_url != ED25519_TYPE {
        return Err(invalid(format!("{field}: key type `{}` is not supported: use {ED25519_TYPE}", k.type_url)));
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(&k.key)
        .map_err(|_| invalid(format!("{field}.key is not base64")))?;
    let key: [u8; 32] =
        bytes.try_into().map_err(|_| invalid(format!("{field}.key does not hold a 32-byte ed25519 key")))?;
    ed25519_consensus::VerificationKey::try_from(key)
        .map_err(|_| invalid(format!("{field}.key is not a valid ed25519 point")))?;
    Ok(key)
}

fn pubkey_json(key: &[u8; 32]) -> JsonPubKey {
    use base64::Engine;
    JsonPubKey { type_url: ED25519_TYPE.into(), key: base64::engine::general_purpose::STANDARD.encode(key) }
}

impl GenesisValidator {
    pub fn parse(&self, field: &str) -> Result<Validator, Error> {
        let d = &self.description;
        let c = &self.commission.commission_rates;
        let v = Validator {
            operator: Address::parse_valoper(&format!("{field}.operator_address"), &self.operator_address)?,
            consensus_pubkey: ed25519_of(&format!("{field}.consensus_pubkey"), &self.consensus_pubkey)?,
            jailed: self.jailed,
            status: status_of(&format!("{field}.status"), &self.status)?,
            tokens: self.tokens,
            delegator_shares: self.delegator_shares,
            description: Description {
                moniker: d.moniker.clone(),
                identity: d.identity.clone(),
                website: d.website.clone(),
                security_contact: d.security_contact.clone(),
                details: d.details.clone(),
            },
            unbonding_height: self.unbonding_height,
            unbonding_time: self.unbonding_time,
            commission: CommissionRates { rate: c.rate, max_rate: c.max_rate, max_change_rate: c.max_change_rate },
            commission_update_time: self.commission.update_time,
            min_self_delegation: self.min_self_delegation,
        };
        v.description.validate_lengths().map_err(|e| invalid(format!("{field}.description: {}", e.message)))?;
        v.commission.validate().map_err(|e| invalid(format!("{field}.commission: {}", e.message)))?;
        if v.tokens == 0 && v.delegator_shares.is_zero() && v.status == BondStatus::Unbonded {
            return Err(invalid(format!(
                "{field}: an unbonded validator without tokens or shares would have been removed"
            )));
        }
        Ok(v)
    }

    pub fn of(v: &Validator) -> Self {
        let d = &v.description;
        GenesisValidator {
            operator_address: v.operator.to_valoper(),
            consensus_pubkey: pubkey_json(&v.consensus_pubkey),
            jailed: v.jailed,
            status: v.status.proto_name().into(),
            tokens: v.tokens,
            delegator_shares: v.delegator_shares,
            description: GenesisDescription {
                moniker: d.moniker.clone(),
                identity: d.identity.clone(),
                website: d.website.clone(),
                security_contact: d.security_contact.clone(),
                details: d.details.clone(),
            },
            // A new chain counts heights from 1 again.
            unbonding_height: 0,
            unbonding_time: v.unbonding_time,
            commission: GenesisCommission {
                commission_rates: GenesisCommissionRates {
                    rate: v.commission.rate,
                    max_rate: v.commission.max_rate,
                    max_change_rate: v.commission.max_change_rate,
                },
                update_time: v.commission_update_time,
            },
            min_self_delegation: v.min_self_delegation,
        }
    }
}

/// The staking section's records, parsed and checked against each other.
pub struct StakingRecords {
    pub validators: Vec<Validator>,
    pub last_powers: Vec<(Address, u64)>,
    pub delegations: Vec<Delegation>,
    pub unbondings: Vec<UnbondingDelegation>,
    pub redelegations: Vec<Redelegation>,
}

impl StakingGenesis {
    pub fn records(&self) -> Result<StakingRecords, Error> {
        self.params.validate()?;
        let mut validators = Vec::with_capacity(self.validators.len());
        let mut by_op: BTreeMap<Address, usize> = BTreeMap::new();
        let mut cons_seen: BTreeSet<[u8; 20]> = BTreeSet::new();
        for (i, g) in self.validators.iter().enumerate() {
            let field = format!("staking.validators[{i}]");
            let v = g.parse(&field)?;
            if by_op.insert(v.operator, i).is_some() {
                return Err(invalid(format!("{field}: {} is listed twice", g.operator_address)));
            }
            if !cons_seen.insert(v.cons_address()) {
                return Err(invalid(format!("{field}: its consensus key is another validator's too")));
            }
            validators.push(v);
        }

        let mut last_powers = Vec::with_capacity(self.last_validator_powers.len());
        let mut total: u64 = 0;
        let mut in_set = BTreeSet::new();
        for (i, p) in self.last_validator_powers.iter().enumerate() {
            let field = format!("staking.last_validator_powers[{i}]");
            let op = Address::parse_valoper(&format!("{field}.address"), &p.address)?;
            let Some(&vi) = by_op.get(&op) else {
                return Err(invalid(format!("{field}: {} is not in staking.validators", p.address)));
            };
            if validators[vi].status != BondStatus::Bonded {
                return Err(invalid(format!("{field}: {} is in the last set but not bonded", p.address)));
            }
            if p.power == 0 || p.power > crate::params::MAX_VALIDATOR_POWER {
                return Err(invalid(format!(
                    "{field}: power must be between 1 and {}",
                    crate::params::MAX_VALIDATOR_POWER
                )));
            }
            if !in_set.insert(op) {
                return Err(invalid(format!("{field}: {} is listed twice", p.address)));
            }
            total = total.saturating_add(p.power);
            last_powers.push((op, p.power));
        }
        if total != self.last_total_power {
            return Err(invalid(format!(
                "staking.last_total_power is {} but last_validator_powers add up to {total}",
                self.last_total_power
            )));
        }
        for v in &validators {
            if v.status == BondStatus::Bonded && !in_set.contains(&v.operator) {
                return Err(invalid(format!(
                    "staking.validators: {} is bonded but not in last_validator_powers",
                    v.operator.to_valoper()
                )));
            }
        }
        if !validators.is_empty() && last_powers.is_empty() {
            return Err(invalid(
                "staking.validators are given but last_validator_powers is empty: the chain would start without a validator set"
                    .into(),
            ));
        }

        let mut delegations = Vec::with_capacity(self.delegations.len());
        let mut shares: BTreeMap<Address, Dec> = BTreeMap::new();
        let mut pairs = BTreeSet::new();
        for (i, g) in self.delegations.iter().enumerate() {
            let field = format!("staking.delegations[{i}]");
            let del = Address::parse(&format!("{field}.delegator_address"), &g.delegator_address)?;
            let val = Address::parse_valoper(&format!("{field}.validator_address"), &g.validator_address)?;
            if !by_op.contains_key(&val) {
                return Err(invalid(format!(
                    "{field}: delegation to {}, which is not in staking.validators",
                    g.validator_address
                )));
            }
            if g.shares.is_zero() {
                return Err(invalid(format!("{field}: shares must be positive")));
            }
            if !pairs.insert((del, val)) {
                return Err(invalid(format!(
                    "{field}: {} to {} is listed twice",
                    g.delegator_address, g.validator_address
                )));
            }
            let sum = shares.entry(val).or_insert(Dec::ZERO);
            *sum = sum.checked_add(g.shares).map_err(|e| invalid(format!("{field}: {}", e.message)))?;
            delegations.push(Delegation { delegator: del, validator: val, shares: g.shares });
        }
        for v in &validators {
            let held = shares.get(&v.operator).copied().unwrap_or(Dec::ZERO);
            if held != v.delegator_shares {
                return Err(invalid(format!(
                    "staking: delegations to {} hold {held} shares but the validator issued {}",
                    v.operator.to_valoper(),
                    v.delegator_shares
                )));
            }
        }

        let mut unbondings = Vec::with_capacity(self.unbonding_delegations.len());
        let mut pairs = BTreeSet::new();
        for (i, g) in self.unbonding_delegations.iter().enumerate() {
            let field = format!("staking.unbonding_delegations[{i}]");
            let del = Address::parse(&format!("{field}.delegator_address"), &g.delegator_address)?;
            // An unbonding may outlive its validator.
            let val = Address::parse_valoper(&format!("{field}.validator_address"), &g.validator_address)?;
            if !pairs.insert((del, val)) {
                return Err(invalid(format!(
                    "{field}: {} from {} is listed twice",
                    g.delegator_address, g.validator_address
                )));
            }
            if g.entries.is_empty() {
                return Err(invalid(format!("{field}: no entries")));
            }
            let mut entries = Vec::with_capacity(g.entries.len());
            for (j, e) in g.entries.iter().enumerate() {
                if e.balance > e.initial_balance {
                    return Err(invalid(format!("{field}.entries[{j}]: balance is more than initial_balance")));
                }
                entries.push(UnbondingEntry {
                    creation_height: e.creation_height,
                    completion_time: e.completion_time,
                    initial_balance: e.initial_balance,
                    balance: e.balance,
                });
            }
            unbondings.push(UnbondingDelegation { delegator: del, validator: val, entries });
        }

        let mut redelegations = Vec::with_capacity(self.redelegations.len());
        let mut triples = BTreeSet::new();
        for (i, g) in self.redelegations.iter().enumerate() {
            let field = format!("staking.redelegations[{i}]");
            let del = Address::parse(&format!("{field}.delegator_address"), &g.delegator_address)?;
            let src = Address::parse_valoper(&format!("{field}.validator_src_address"), &g.validator_src_address)?;
            let dst = Address::parse_valoper(&format!("{field}.validator_dst_address"), &g.validator_dst_address)?;
            if src == dst {
                return Err(invalid(format!("{field}: source and destination are the same validator")));
            }
            if !triples.insert((del, src, dst)) {
                return Err(invalid(format!("{field}: listed twice")));
            }
            if g.entries.is_empty() {
                return Err(invalid(format!("{field}: no entries")));
            }
            let entries = g
                .entries
                .iter()
                .map(|e| RedelegationEntry {
                    creation_height: e.creation_height,
                    completion_time: e.completion_time,
                    initial_balance: e.initial_balance,
                    shares_dst: e.shares_dst,
                })
                .collect();
            redelegations.push(Redelegation { delegator: del, src, dst, entries });
        }
        Ok(StakingRecords { validators, last_powers, delegations, unbondings, redelegations })
    }

    pub fn validate(&self) -> Result<(), Error> {
        self.records().map(|_| ())
    }

    /// Writes params and records, with the indexes and queues they imply.
    pub fn init(&self, state: &mut impl StateWrite) -> Result<(), Error> {
        let r = self.records()?;
        state.set_staking_params(&self.params)?;
        for v in &r.validators {
            state.set_validator(v)?;
            if v.status == BondStatus::Unbonding {
                state.put_raw(keys::validator_queue(v.unbonding_time, &v.operator), Vec::new())?;
            }
        }
        for (op, power) in &r.last_powers {
            state.set_last_power(op, *power)?;
        }
        for d in &r.delegations {
            state.set_delegation(d)?;
        }
        for u in &r.unbondings {
            state.set_unbonding(u)?;
            for e in &u.entries {
                state.put_raw(keys::unbonding_queue(e.completion_time, &u.delegator, &u.validator), Vec::new())?;
            }
        }
        for rd in &r.redelegations {
            state.set_redelegation(rd)?;
            for e in &rd.entries {
                state.put_raw(
                    keys::redelegation_queue(e.completion_time, &rd.delegator, &rd.src, &rd.dst),
                    Vec::new(),
                )?;
            }
        }
        Ok(())
    }

    /// Params and every record, heights set to 0 for a chain that starts at 1.
    pub fn export(state: &impl StateRead) -> Result<Self, Error> {
        let last = state.last_powers()?;
        let unbonding_delegations = state
            .all_unbondings()?
            .iter()
            .map(|u| GenesisUnbonding {
                delegator_address: u.delegator.to_string(),
                validator_address: u.validator.to_valoper(),
                entries: u
                    .entries
                    .iter()
                    .map(|e| GenesisUnbondingEntry {
                        creation_height: 0,
                        completion_time: e.completion_time,
                        initial_balance: e.initial_balance,
                        balance: e.balance,
                    })
                    .collect(),
            })
            .collect();
        let redelegations = state
            .all_redelegations()?
            .iter()
            .map(|r| GenesisRedelegation {
                delegator_address: r.delegator.to_string(),
                validator_src_address: r.src.to_valoper(),
                validator_dst_address: r.dst.to_valoper(),
                entries: r
                    .entries
                    .iter()
                    .map(|e| GenesisRedelegationEntry {
                        creation_height: 0,
                        completion_time: e.completion_time,
                        initial_balance: e.initial_balance,
                        shares_dst: e.shares_dst,
                    })
                    .collect(),
            })
            .collect();
        let validators = state.validators()?;
        Ok(StakingGenesis {
            params: state.staking_params()?,
            last_total_power: last.iter().map(|(_, p)| *p).fold(0u64, u64::saturating_add),
            last_validator_powers: last
                .iter()
                .map(|(op, power)| LastValidatorPower { address: op.to_valoper(), power: *power })
                .collect(),
            exported: !validators.is_empty(),
            validators: validators.iter().map(GenesisValidator::of).collect(),
            delegations: state
                .all_delegations()?
                .iter()
                .map(|d| GenesisDelegation {
                    delegator_address: d.delegator.to_string(),
                    validator_address: d.validator.to_valoper(),
                    shares: d.shares,
                })
                .collect(),
            unbonding_delegations,
            redelegations,
        })
    }
}

// ---- slashing ----

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlashingGenesis {
    #[serde(default)]
    pub params: SlashingParams,
    #[serde(default)]
    pub signing_infos: Vec<GenesisSigningInfo>,
    #[serde(default)]
    pub missed_blocks: Vec<GenesisMissedBlocks>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisSigningInfo {
    /// `salusvalcons1...`
    pub address: String,
    pub validator_signing_info: GenesisSigningInfoBody,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisSigningInfoBody {
    pub address: String,
    #[serde(with = "json::string")]
    pub start_height: u64,
    #[serde(with = "json::string")]
    pub index_offset: u64,
    #[serde(with = "json::rfc3339")]
    pub jailed_until: Time,
    pub tombstoned: bool,
    #[serde(with = "json::string")]
    pub missed_blocks_counter: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisMissedBlocks {
    pub address: String,
    pub missed_blocks: Vec<GenesisMissedBlock>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisMissedBlock {
    #[serde(with = "json::string")]
    pub index: u64,
    pub missed: bool,
}

fn valcons(field: &str, s: &str) -> Result<[u8; 20], Error> {
    salus_sdk::address::decode_with_prefix(s, VALCONS_PREFIX)
        .map(|a| a.0)
        .map_err(|e| invalid(format!("{field}: {}", e.message)))
}

/// A missed block of a signing window: (consensus address, index in the window).
pub type MissedBlock = ([u8; 20], u64);

impl SlashingGenesis {
    pub fn records(&self) -> Result<(Vec<SigningInfo>, Vec<MissedBlock>), Error> {
        self.params.validate()?;
        let mut infos = Vec::with_capacity(self.signing_infos.len());
        let mut seen = BTreeSet::new();
        for (i, g) in self.signing_infos.iter().enumerate() {
            let field = format!("slashing.signing_infos[{i}]");
            let cons = valcons(&format!("{field}.address"), &g.address)?;
            let b = &g.validator_signing_info;
            if !b.address.is_empty() && valcons(&format!("{field}.validator_signing_info.address"), &b.address)? != cons
            {
                return Err(invalid(format!("{field}: validator_signing_info.address is not {}", g.address)));
            }
            if !seen.insert(cons) {
                return Err(invalid(format!("{field}: {} is listed twice", g.address)));
            }
            // Block counters, as CometBFT's heights: far from overflowing in any later block.
            for (name, value) in [("start_height", b.start_height), ("index_offset", b.index_offset)] {
                if value > MAX_COUNTER {
                    return Err(invalid(format!("{field}: {name} {value} is above {MAX_COUNTER}")));
                }
            }
            if b.missed_blocks_counter > self.params.signed_blocks_window {
                return Err(invalid(format!(
                    "{field}: missed_blocks_counter {} is above the signed blocks window ({})",
                    b.missed_blocks_counter, self.params.signed_blocks_window
                )));
            }
            infos.push(SigningInfo {
                cons_address: cons,
                start_height: b.start_height,
                index_offset: b.index_offset,
                jailed_until: b.jailed_until,
                tombstoned: b.tombstoned,
                missed_blocks_counter: b.missed_blocks_counter,
            });
        }
        let mut missed = Vec::new();
        let mut listed = BTreeSet::new();
        for (i, g) in self.missed_blocks.iter().enumerate() {
            let field = format!("slashing.missed_blocks[{i}]");
            let cons = valcons(&format!("{field}.address"), &g.address)?;
            if !seen.contains(&cons) {
                return Err(invalid(format!("{field}: {} has no signing info", g.address)));
            }
            if !listed.insert(cons) {
                return Err(invalid(format!("{field}: {} is listed twice", g.address)));
            }
            let mut indexes = BTreeSet::new();
            for (j, m) in g.missed_blocks.iter().enumerate() {
                if m.index >= self.params.signed_blocks_window {
                    return Err(invalid(format!(
                        "{field}.missed_blocks[{j}]: index {} is outside the signed blocks window ({})",
                        m.index, self.params.signed_blocks_window
                    )));
                }
                if !indexes.insert(m.index) {
                    return Err(invalid(format!("{field}.missed_blocks[{j}]: index {} is listed twice", m.index)));
                }
                if m.missed {
                    missed.push((cons, m.index));
                }
            }
        }
        // Each counter is the number of blocks its bitmap marks missed, as the chain keeps it.
        for info in &infos {
            let marked = missed.iter().filter(|(c, _)| *c == info.cons_address).count() as u64;
            if marked != info.missed_blocks_counter {
                return Err(invalid(format!(
                    "slashing.signing_infos: {} counts {} missed blocks but missed_blocks marks {marked}",
                    crate::slashing::cons_bech32(&info.cons_address),
                    info.missed_blocks_counter
                )));
            }
        }
        Ok((infos, missed))
    }

    pub fn validate(&self) -> Result<(), Error> {
        self.records().map(|_| ())
    }

    pub fn init(&self, state: &mut impl StateWrite) -> Result<(), Error> {
        let (infos, missed) = self.records()?;
        state.set_slashing_params(&self.params)?;
        for s in &infos {
            state.set_signing_info(s)?;
        }
        for (cons, index) in &missed {
            state.set_missed(cons, *index, true)?;
        }
        Ok(())
    }

    /// Params, every signing info (start heights set to 0) and every missed block.
    pub fn export(state: &impl StateRead) -> Result<Self, Error> {
        let signing_infos = state
            .signing_infos()?
            .iter()
            .map(|s| {
                let address = salus_sdk::Address(s.cons_address).to_bech32(VALCONS_PREFIX);
                GenesisSigningInfo {
                    address: address.clone(),
                    validator_signing_info: GenesisSigningInfoBody {
                        address,
                        start_height: 0,
                        index_offset: s.index_offset,
                        jailed_until: s.jailed_until,
                        tombstoned: s.tombstoned,
                        missed_blocks_counter: s.missed_blocks_counter,
                    },
                }
            })
            .collect();
        let mut missed_blocks: Vec<GenesisMissedBlocks> = Vec::new();
        for (cons, index) in state.all_missed()? {
            let address = salus_sdk::Address(cons).to_bech32(VALCONS_PREFIX);
            let block = GenesisMissedBlock { index, missed: true };
            match missed_blocks.last_mut() {
                Some(last) if last.address == address => last.missed_blocks.push(block),
                _ => missed_blocks.push(GenesisMissedBlocks { address, missed_blocks: vec![block] }),
            }
        }
        Ok(SlashingGenesis { params: state.slashing_params()?, signing_infos, missed_blocks })
    }
}

// ---- distribution ----

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DistributionGenesis {
    #[serde(default)]
    pub params: DistributionParams,
    #[serde(default)]
    pub fee_pool: FeePool,
    #[serde(default)]
    pub delegator_withdraw_infos: Vec<WithdrawInfo>,
    /// Per validator: its reward-per-share accumulator, unpaid commission and what it holds.
    #[serde(default)]
    pub validator_rewards: Vec<GenesisValidatorRewards>,
    /// Per delegation: the accumulator when it last settled.
    #[serde(default)]
    pub delegator_starting_infos: Vec<GenesisStartingInfo>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeePool {
    #[serde(default)]
    pub community_pool: Vec<JsonDecCoin>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonDecCoin {
    pub denom: String,
    pub amount: Dec,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WithdrawInfo {
    pub delegator_address: String,
    pub withdraw_address: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisValidatorRewards {
    pub validator_address: String,
    #[serde(default)]
    pub reward_per_share: Vec<JsonDecCoin>,
    #[serde(default)]
    pub commission: Vec<JsonDecCoin>,
    #[serde(default)]
    pub outstanding: Vec<JsonDecCoin>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisStartingInfo {
    pub delegator_address: String,
    pub validator_address: String,
    #[serde(default)]
    pub reward_per_share: Vec<JsonDecCoin>,
}

fn dec_coins_json(c: &DecCoins) -> Vec<JsonDecCoin> {
    c.iter().map(|(denom, amount)| JsonDecCoin { denom: denom.to_string(), amount }).collect()
}

fn dec_coins_of(field: &str, list: &[JsonDecCoin]) -> Result<DecCoins, Error> {
    let mut out = DecCoins::default();
    let mut denoms = BTreeSet::new();
    for (i, c) in list.iter().enumerate() {
        let bad = |why: String| invalid(format!("{field}[{i}]: {why}"));
        salus_sdk::coin::validate_denom(&c.denom).map_err(|e| bad(e.message))?;
        if c.amount.is_zero() {
            return Err(bad(format!("zero amount of {}: amounts must be positive", c.denom)));
        }
        if !denoms.insert(c.denom.as_str()) {
            return Err(bad(format!("{} is listed twice", c.denom)));
        }
        let unit = DecCoins::from_coins(&Coins::new(vec![Coin::new(1, c.denom.clone())])?);
        let one = unit.mul_dec(c.amount).map_err(|e| bad(e.message))?;
        out = out.add(&one).map_err(|e| bad(e.message))?;
    }
    Ok(out)
}

/// The distribution section's records, parsed.
pub struct DistributionRecords {
    pub community_pool: DecCoins,
    pub withdraw: Vec<(Address, Address)>,
    pub rewards: Vec<(Address, ValidatorRewards)>,
    pub starts: Vec<(Address, Address, DecCoins)>,
}

impl DistributionGenesis {
    pub fn records(&self) -> Result<DistributionRecords, Error> {
        self.params.validate()?;
        let community_pool = dec_coins_of("distribution.fee_pool.community_pool", &self.fee_pool.community_pool)?;
        let mut withdraw = Vec::new();
        let mut seen = BTreeSet::new();
        for (i, w) in self.delegator_withdraw_infos.iter().enumerate() {
            let field = format!("distribution.delegator_withdraw_infos[{i}]");
            let del = Address::parse(&format!("{field}.delegator_address"), &w.delegator_address)?;
            let to = Address::parse(&format!("{field}.withdraw_address"), &w.withdraw_address)?;
            if !seen.insert(del) {
                return Err(invalid(format!("{field}: {} is listed twice", w.delegator_address)));
            }
            withdraw.push((del, to));
        }
        let mut rewards = Vec::new();
        let mut seen = BTreeSet::new();
        for (i, r) in self.validator_rewards.iter().enumerate() {
            let field = format!("distribution.validator_rewards[{i}]");
            let val = Address::parse_valoper(&format!("{field}.validator_address"), &r.validator_address)?;
            if !seen.insert(val) {
                return Err(invalid(format!("{field}: {} is listed twice", r.validator_address)));
            }
            let rec = ValidatorRewards {
                reward_per_share: dec_coins_of(&format!("{field}.reward_per_share"), &r.reward_per_share)?,
                commission: dec_coins_of(&format!("{field}.commission"), &r.commission)?,
                outstanding: dec_coins_of(&format!("{field}.outstanding"), &r.outstanding)?,
            };
            if rec.commission.sub(&rec.outstanding).map(|over| !over.is_empty()).unwrap_or(false) {
                return Err(invalid(format!("{field}: commission is more than outstanding")));
            }
            rewards.push((val, rec));
        }
        let mut starts = Vec::new();
        let mut seen = BTreeSet::new();
        for (i, s) in self.delegator_starting_infos.iter().enumerate() {
            let field = format!("distribution.delegator_starting_infos[{i}]");
            let del = Address::parse(&format!("{field}.delegator_address"), &s.delegator_address)?;
            let val = Address::parse_valoper(&format!("{field}.validator_address"), &s.validator_address)?;
            if !seen.insert((del, val)) {
                return Err(invalid(format!("{field}: listed twice")));
            }
            starts.push((del, val, dec_coins_of(&format!("{field}.reward_per_share"), &s.reward_per_share)?));
        }
        Ok(DistributionRecords { community_pool, withdraw, rewards, starts })
    }

    pub fn validate(&self) -> Result<(), Error> {
        self.records().map(|_| ())
    }

    /// Writes params and records. Staking's section is written first, so rewards and starting
    /// infos are checked against its validators and delegations here.
    pub fn init(&self, state: &mut impl StateWrite) -> Result<(), Error> {
        let r = self.records()?;
        state.set_distribution_params(&self.params)?;
        if !r.community_pool.is_empty() {
            state.set_community_pool(&r.community_pool)?;
        }
        for (del, to) in &r.withdraw {
            state.set_withdraw_address(del, to)?;
        }
        for (val, rec) in &r.rewards {
            if state.validator(val)?.is_none() {
                return Err(invalid(format!(
                    "distribution.validator_rewards: {} is not in staking.validators",
                    val.to_valoper()
                )));
            }
            state.set_validator_rewards(val, rec)?;
        }
        for (del, val, start) in &r.starts {
            if state.delegation(del, val)?.is_none() {
                return Err(invalid(format!(
                    "distribution.delegator_starting_infos: {del} has no delegation to {} in staking.delegations",
                    val.to_valoper()
                )));
            }
            state.set_reward_start(del, val, start)?;
        }
        Ok(())
    }

    pub fn export(state: &impl StateRead) -> Result<Self, Error> {
        Ok(DistributionGenesis {
            params: state.distribution_params()?,
            fee_pool: FeePool { community_pool: dec_coins_json(&state.community_pool()?) },
            delegator_withdraw_infos: state
                .all_withdraw_addresses()?
                .iter()
                .map(|(del, to)| WithdrawInfo { delegator_address: del.to_string(), withdraw_address: to.to_string() })
                .collect(),
            validator_rewards: state
                .all_validator_rewards()?
                .iter()
                .map(|(val, r)| GenesisValidatorRewards {
                    validator_address: val.to_valoper(),
                    reward_per_share: dec_coins_json(&r.reward_per_share),
                    commission: dec_coins_json(&r.commission),
                    outstanding: dec_coins_json(&r.outstanding),
                })
                .collect(),
            delegator_starting_infos: state
                .all_reward_starts()?
                .iter()
                .map(|(del, val, start)| GenesisStartingInfo {
                    delegator_address: del.to_string(),
                    validator_address: val.to_valoper(),
                    reward_per_share: dec_coins_json(start),
                })
                .collect(),
        })
    }
}

/// CometBFT's address of a consensus key, upper-case hex as genesis.json writes it.
pub fn comet_address(pubkey: &[u8; 32]) -> String {
    consensus_address(pubkey).iter().map(|b| format!("{b:02X}")).collect()
}
