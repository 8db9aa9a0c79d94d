//! The module's messages as domain types, decoded from the Cosmos staking, slashing and
//! distribution protos so wallets and explorers work unchanged.
//!
//! Governance only (their `authority` must be the governance module's account, which also signs):
//! each module's `MsgUpdateParams` and distribution's `MsgCommunityPoolSpend`. Staking's and
//! slashing's Cosmos `Params` map field for field onto [`StakingParams`] and [`SlashingParams`]
//! (durations in whole seconds). Distribution's Cosmos `Params` hold `community_tax` and
//! `withdraw_addr_enabled` only ([`CosmosDistributionParams`]); Salus' inflation params, which are
//! x/mint's in Cosmos, keep their values, so that Cosmos clients and governance UIs build the
//! message unchanged.

use prost::Message;
use salus_proto::cosmos::base::v1beta1::Coin as ProtoCoin;
use salus_proto::cosmos::distribution::v1beta1 as distr;
use salus_proto::cosmos::slashing::v1beta1 as slashing;
use salus_proto::cosmos::staking::v1beta1 as staking;
use salus_proto::Any;
use salus_sdk::module::{is_type, type_url};
use salus_sdk::{Address, Coin, Error, Msg, SdkCode};

use crate::error::StakingError;
use crate::params::{CosmosDistributionParams, SlashingParams, StakingParams};
use crate::types::{CommissionRates, Description};
use salus_sdk::dec::Dec;

pub const ED25519_PUBKEY_URL: &str = "/cosmos.crypto.ed25519.PubKey";

/// Description fields left as this string keep their value (Cosmos' `DoNotModifyDesc`).
pub const DO_NOT_MODIFY: &str = "[do-not-modify]";

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StakingMsg {
    CreateValidator {
        operator: Address,
        pubkey: [u8; 32],
        description: Description,
        commission: CommissionRates,
        min_self_delegation: u128,
        value: Coin,
    },
    EditValidator {
        operator: Address,
        /// Fields equal to [`DO_NOT_MODIFY`] keep their value.
        description: Description,
        commission_rate: Option<Dec>,
        min_self_delegation: Option<u128>,
    },
    Delegate {
        delegator: Address,
        validator: Address,
        amount: Coin,
    },
    Undelegate {
        delegator: Address,
        validator: Address,
        amount: Coin,
    },
    Redelegate {
        delegator: Address,
        src: Address,
        dst: Address,
        amount: Coin,
    },
    CancelUnbonding {
        delegator: Address,
        validator: Address,
        amount: Coin,
        creation_height: u64,
    },
    Unjail {
        operator: Address,
    },
    WithdrawReward {
        delegator: Address,
        validator: Address,
    },
    WithdrawCommission {
        operator: Address,
    },
    SetWithdrawAddress {
        delegator: Address,
        withdraw_address: Address,
    },
    FundCommunityPool {
        depositor: Address,
        amount: salus_sdk::Coins,
    },
    /// Governance only (`cosmos.staking.v1beta1.MsgUpdateParams`).
    UpdateStakingParams {
        authority: Address,
        params: StakingParams,
    },
    /// Governance only (`cosmos.slashing.v1beta1.MsgUpdateParams`).
    UpdateSlashingParams {
        authority: Address,
        params: SlashingParams,
    },
    /// Governance only (`cosmos.distribution.v1beta1.MsgUpdateParams`): the inflation params
    /// keep their values.
    UpdateDistributionParams {
        authority: Address,
        params: CosmosDistributionParams,
    },
    /// Governance only (`cosmos.distribution.v1beta1.MsgCommunityPoolSpend`): pays `amount` from
    /// the community pool.
    CommunityPoolSpend {
        authority: Address,
        recipient: Address,
        amount: salus_sdk::Coins,
    },
}

use salus_sdk::module::decode_any as decode;

fn coin(field: &str, c: Option<ProtoCoin>) -> Result<Coin, Error> {
    let c = c.ok_or_else(|| StakingError::BadAmount.with(format!("{field} is missing: give an amount")))?;
    Coin::from_proto(&c).map_err(|e| Error { message: format!("{field}: {}", e.message), ..e })
}

fn required_params<P>(p: Option<P>) -> Result<P, Error> {
    p.ok_or_else(|| Error::sdk(SdkCode::InvalidRequest, "params is missing: give every param of the module"))
}

fn int(field: &str, s: &str) -> Result<u128, Error> {
    s.parse::<u128>()
        .map_err(|_| Error::sdk(SdkCode::InvalidRequest, format!("{field}: `{s}` is not a whole number of tokens")))
}

fn description(d: Option<staking::Description>) -> Description {
    let d = d.unwrap_or_default();
    Description {
        moniker: d.moniker,
        identity: d.identity,
        website: d.website,
        security_contact: d.security_contact,
        details: d.details,
    }
}

fn description_proto(d: &Description) -> staking::Description {
    staking::Description {
        moniker: d.moniker.clone(),
        identity: d.identity.clone(),
        website: d.website.clone(),
        security_contact: d.security_contact.clone(),
        details: d.details.clone(),
    }
}

/// The ed25519 consensus key in an `Any`.
pub fn ed25519_pubkey(any: Option<&Any>) -> Result<[u8; 32], Error> {
    let any = any.ok_or_else(|| {
        StakingError::ValidatorPubKeyTypeNotSupported.with("pubkey is missing: give the node's ed25519 consensus key")
    })?;
    if any.type_url != ED25519_PUBKEY_URL {
        return Err(StakingError::ValidatorPubKeyTypeNotSupported.with(format!(
            "consensus key type {} is not supported: use an ed25519 key ({ED25519_PUBKEY_URL})",
            any.type_url
        )));
    }
    let pk = salus_proto::cosmos::crypto::ed25519::PubKey::decode(any.value.as_slice())
        .map_err(|e| Error::sdk(SdkCode::TxDecode, format!("ed25519 pubkey does not decode: {e}")))?;
    let key: [u8; 32] = pk.key.as_slice().try_into().map_err(|_| {
        StakingError::ValidatorPubKeyTypeNotSupported.with(format!("an ed25519 key has 32 bytes, not {}", pk.key.len()))
    })?;
    ed25519_consensus::VerificationKey::try_from(key).map_err(|_| {
        StakingError::ValidatorPubKeyTypeNotSupported.with("the consensus key is not a valid ed25519 point")
    })?;
    Ok(key)
}

pub fn ed25519_pubkey_any(key: &[u8; 32]) -> Any {
    salus_proto::to_any(&salus_proto::cosmos::crypto::ed25519::PubKey { key: key.to_vec() })
}

impl StakingMsg {
    /// The type URLs of the staking module's messages.
    pub fn staking_type_urls() -> Vec<String> {
        vec![
            type_url::<staking::MsgCreateValidator>(),
            type_url::<staking::MsgEditValidator>(),
            type_url::<staking::MsgDelegate>(),
            type_url::<staking::MsgUndelegate>(),
            type_url::<staking::MsgBeginRedelegate>(),
            type_url::<staking::MsgCancelUnbondingDelegation>(),
            type_url::<staking::MsgUpdateParams>(),
        ]
    }

    /// The type URLs of the slashing module's messages.
    pub fn slashing_type_urls() -> Vec<String> {
        vec![type_url::<slashing::MsgUnjail>(), type_url::<slashing::MsgUpdateParams>()]
    }

    /// The type URLs of the distribution module's messages.
    pub fn distribution_type_urls() -> Vec<String> {
        vec![
            type_url::<distr::MsgWithdrawDelegatorReward>(),
            type_url::<distr::MsgWithdrawValidatorCommission>(),
            type_url::<distr::MsgSetWithdrawAddress>(),
            type_url::<distr::MsgFundCommunityPool>(),
            type_url::<distr::MsgUpdateParams>(),
            type_url::<distr::MsgCommunityPoolSpend>(),
        ]
    }

    pub fn decode(any: &Any) -> Result<Self, Error> {
        let valoper = Address::parse_valoper;
        Ok(match any.type_url.as_str() {
            u if is_type::<staking::MsgCreateValidator>(u) => {
                #[allow(deprecated)] // delegator_address is deprecated but still sent by older clients
                let m: staking::MsgCreateValidator = decode(any)?;
                #[allow(deprecated)]
                let delegator_address = m.delegator_address.clone();
                let operator = valoper("validator_address", &m.validator_address)?;
                if !delegator_address.is_empty() && Address::parse("delegator_address", &delegator_address)? != operator
                {
                    return Err(Error::sdk(
                        SdkCode::InvalidAddress,
                        "delegator_address must be the operator's account address, or empty",
                    ));
                }
                let c = m.commission.unwrap_or_default();
                StakingMsg::CreateValidator {
                    operator,
                    pubkey: ed25519_pubkey(m.pubkey.as_ref())?,
                    description: description(m.description),
                    commission: CommissionRates {
                        rate: Dec::from_proto("commission.rate", &c.rate)?,
                        max_rate: Dec::from_proto("commission.max_rate", &c.max_rate)?,
                        max_change_rate: Dec::from_proto("commission.max_change_rate", &c.max_change_rate)?,
                    },
                    min_self_delegation: int("min_self_delegation", &m.min_self_delegation)?,
                    value: coin("value", m.value)?,
                }
            }
            u if is_type::<staking::MsgEditValidator>(u) => {
                let m: staking::MsgEditValidator = decode(any)?;
                let mut d = description(m.description);
                for f in [&mut d.moniker, &mut d.identity, &mut d.website, &mut d.security_contact, &mut d.details] {
                    if f.is_empty() {
                        // Cosmos clients send the marker; an absent description means "unchanged" too.
                        *f = DO_NOT_MODIFY.to_string();
                    }
                }
                StakingMsg::EditValidator {
                    operator: valoper("validator_address", &m.validator_address)?,
                    description: d,
                    commission_rate: (!m.commission_rate.is_empty())
                        .then(|| Dec::from_proto("commission_rate", &m.commission_rate))
                        .transpose()?,
                    min_self_delegation: (!m.min_self_delegation.is_empty())
                        .then(|| int("min_self_delegation", &m.min_self_delegation))
                        .transpose()?,
                }
            }
            u if is_type::<staking::MsgDelegate>(u) => {
                let m: staking::MsgDelegate = decode(any)?;
                StakingMsg::Delegate {
                    delegator: Address::parse("delegator_address", &m.delegator_address)?,
                    validator: valoper("validator_address", &m.validator_address)?,
                    amount: coin("amount", m.amount)?,
                }
            }
            u if is_type::<staking::MsgUndelegate>(u) => {
                let m: staking::MsgUndelegate = decode(any)?;
                StakingMsg::Undelegate {
                    delegator: Address::parse("delegator_address", &m.delegator_address)?,
                    validator: valoper("validator_address", &m.validator_address)?,
                    amount: coin("amount", m.amount)?,
                }
            }
            u if is_type::<staking::MsgBeginRedelegate>(u) => {
                let m: staking::MsgBeginRedelegate = decode(any)?;
                StakingMsg::Redelegate {
                    delegator: Address::parse("delegator_address", &m.delegator_address)?,
                    src: valoper("validator_src_address", &m.validator_src_address)?,
                    dst: valoper("validator_dst_address", &m.validator_dst_address)?,
                    amount: coin("amount", m.amount)?,
                }
            }
            u if is_type::<staking::MsgCancelUnbondingDelegation>(u) => {
                let m: staking::MsgCancelUnbondingDelegation = decode(any)?;
                StakingMsg::CancelUnbonding {
                    delegator: Address::parse("delegator_address", &m.delegator_address)?,
                    validator: valoper("validator_address", &m.validator_address)?,
                    amount: coin("amount", m.amount)?,
                    creation_height: u64::try_from(m.creation_height).map_err(|_| {
                        StakingError::BadAmount.with("creation_height must be the positive height of the unbonding")
                    })?,
                }
            }
            u if is_type::<slashing::MsgUnjail>(u) => {
                let m: slashing::MsgUnjail = decode(any)?;
                StakingMsg::Unjail { operator: valoper("validator_addr", &m.validator_addr)? }
            }
            u if is_type::<distr::MsgWithdrawDelegatorReward>(u) => {
                let m: distr::MsgWithdrawDelegatorReward = decode(any)?;
                StakingMsg::WithdrawReward {
                    delegator: Address::parse("delegator_address", &m.delegator_address)?,
                    validator: valoper("validator_address", &m.validator_address)?,
                }
            }
            u if is_type::<distr::MsgWithdrawValidatorCommission>(u) => {
                let m: distr::MsgWithdrawValidatorCommission = decode(any)?;
                StakingMsg::WithdrawCommission { operator: valoper("validator_address", &m.validator_address)? }
            }
            u if is_type::<distr::MsgSetWithdrawAddress>(u) => {
                let m: distr::MsgSetWithdrawAddress = decode(any)?;
                StakingMsg::SetWithdrawAddress {
                    delegator: Address::parse("delegator_address", &m.delegator_address)?,
                    withdraw_address: Address::parse("withdraw_address", &m.withdraw_address)?,
                }
            }
            u if is_type::<distr::MsgFundCommunityPool>(u) => {
                let m: distr::MsgFundCommunityPool = decode(any)?;
                StakingMsg::FundCommunityPool {
                    depositor: Address::parse("depositor", &m.depositor)?,
                    amount: salus_sdk::Coins::from_proto(&m.amount)?,
                }
            }
            u if is_type::<staking::MsgUpdateParams>(u) => {
                let m: staking::MsgUpdateParams = decode(any)?;
                StakingMsg::UpdateStakingParams {
                    authority: Address::parse("authority", &m.authority)?,
                    params: StakingParams::from_proto(&required_params(m.params)?)?,
                }
            }
            u if is_type::<slashing::MsgUpdateParams>(u) => {
                let m: slashing::MsgUpdateParams = decode(any)?;
                StakingMsg::UpdateSlashingParams {
                    authority: Address::parse("authority", &m.authority)?,
                    params: SlashingParams::from_proto(&required_params(m.params)?)?,
                }
            }
            u if is_type::<distr::MsgUpdateParams>(u) => {
                let m: distr::MsgUpdateParams = decode(any)?;
                StakingMsg::UpdateDistributionParams {
                    authority: Address::parse("authority", &m.authority)?,
                    params: CosmosDistributionParams::from_proto(&required_params(m.params)?)?,
                }
            }
            u if is_type::<distr::MsgCommunityPoolSpend>(u) => {
                let m: distr::MsgCommunityPoolSpend = decode(any)?;
                StakingMsg::CommunityPoolSpend {
                    authority: Address::parse("authority", &m.authority)?,
                    recipient: Address::parse("recipient", &m.recipient)?,
                    amount: salus_sdk::Coins::from_proto(&m.amount)?,
                }
            }
            other => {
                return Err(Error::sdk(SdkCode::UnknownRequest, format!("the staking module does not handle {other}")))
            }
        })
    }

    pub fn to_any(&self) -> Any {
        let addr = |a: &Address| a.to_string();
        let val = |a: &Address| a.to_valoper();
        match self {
            StakingMsg::CreateValidator { operator, pubkey, description, commission, min_self_delegation, value } =>
            {
                #[allow(deprecated)]
                salus_proto::to_any(&staking::MsgCreateValidator {
                    description: Some(description_proto(description)),
                    commission: Some(staking::CommissionRates {
                        rate: commission.rate.to_proto(),
                        max_rate: commission.max_rate.to_proto(),
                        max_change_rate: commission.max_change_rate.to_proto(),
                    }),
                    min_self_delegation: min_self_delegation.to_string(),
                    delegator_address: String::new(),
                    validator_address: val(operator),
                    pubkey: Some(ed25519_pubkey_any(pubkey)),
                    value: Some(value.to_proto()),
                })
            }
            StakingMsg::EditValidator { operator, description, commission_rate, min_self_delegation } => {
                salus_proto::to_any(&staking::MsgEditValidator {
                    description: Some(description_proto(description)),
                    validator_address: val(operator),
                    commission_rate: commission_rate.map(Dec::to_proto).unwrap_or_default(),
                    min_self_delegation: min_self_delegation.map(|m| m.to_string()).unwrap_or_default(),
                })
            }
            StakingMsg::Delegate { delegator, validator, amount } => salus_proto::to_any(&staking::MsgDelegate {
                delegator_address: addr(delegator),
                validator_address: val(validator),
                amount: Some(amount.to_proto()),
            }),
            StakingMsg::Undelegate { delegator, validator, amount } => salus_proto::to_any(&staking::MsgUndelegate {
                delegator_address: addr(delegator),
                validator_address: val(validator),
                amount: Some(amount.to_proto()),
            }),
            StakingMsg::Redelegate { delegator, src, dst, amount } => {
                salus_proto::to_any(&staking::MsgBeginRedelegate {
                    delegator_address: addr(delegator),
                    validator_src_address: val(src),
                    validator_dst_address: val(dst),
                    amount: Some(amount.to_proto()),
                })
            }
            StakingMsg::CancelUnbonding { delegator, validator, amount, creation_height } => {
                salus_proto::to_any(&staking::MsgCancelUnbondingDelegation {
                    delegator_address: addr(delegator),
                    validator_address: val(validator),
                    amount: Some(amount.to_proto()),
                    creation_height: *creation_height as i64,
                })
            }
            StakingMsg::Unjail { operator } => {
                salus_proto::to_any(&slashing::MsgUnjail { validator_addr: val(operator) })
            }
            StakingMsg::WithdrawReward { delegator, validator } => {
                salus_proto::to_any(&distr::MsgWithdrawDelegatorReward {
                    delegator_address: addr(delegator),
                    validator_address: val(validator),
                })
            }
            StakingMsg::WithdrawCommission { operator } => {
                salus_proto::to_any(&distr::MsgWithdrawValidatorCommission { validator_address: val(operator) })
            }
            StakingMsg::SetWithdrawAddress { delegator, withdraw_address } => {
                salus_proto::to_any(&distr::MsgSetWithdrawAddress {
                    delegator_address: addr(delegator),
                    withdraw_address: addr(withdraw_address),
                })
            }
            StakingMsg::FundCommunityPool { depositor, amount } => salus_proto::to_any(&distr::MsgFundCommunityPool {
                amount: amount.to_proto(),
                depositor: addr(depositor),
            }),
            StakingMsg::UpdateStakingParams { authority, params } => salus_proto::to_any(&staking::MsgUpdateParams {
                authority: addr(authority),
                params: Some(params.to_proto()),
            }),
            StakingMsg::UpdateSlashingParams { authority, params } => salus_proto::to_any(&slashing::MsgUpdateParams {
                authority: addr(authority),
                params: Some(params.to_proto()),
            }),
            StakingMsg::UpdateDistributionParams { authority, params } => {
                salus_proto::to_any(&distr::MsgUpdateParams {
                    authority: addr(authority),
                    params: Some(params.to_proto()),
                })
            }
            StakingMsg::CommunityPoolSpend { authority, recipient, amount } => {
                salus_proto::to_any(&distr::MsgCommunityPoolSpend {
                    authority: addr(authority),
                    recipient: addr(recipient),
                    amount: amount.to_proto(),
                })
            }
        }
    }

    /// The Cosmos module a message belongs to, for `message.module`.
    pub fn module(&self) -> &'static str {
        match self {
            StakingMsg::Unjail { .. } | StakingMsg::UpdateSlashingParams { .. } => "slashing",
            StakingMsg::WithdrawReward { .. }
            | StakingMsg::WithdrawCommission { .. }
            | StakingMsg::SetWithdrawAddress { .. }
            | StakingMsg::FundCommunityPool { .. }
            | StakingMsg::UpdateDistributionParams { .. }
            | StakingMsg::CommunityPoolSpend { .. } => "distribution",
            _ => "staking",
        }
    }
}

fn positive(field: &str, c: &Coin) -> Result<(), Error> {
    if c.amount == 0 {
        return Err(StakingError::BadAmount.with(format!("{field} must be positive")));
    }
    Ok(())
}

impl Msg for StakingMsg {
    fn type_url(&self) -> String {
        match self {
            StakingMsg::CreateValidator { .. } => type_url::<staking::MsgCreateValidator>(),
            StakingMsg::EditValidator { .. } => type_url::<staking::MsgEditValidator>(),
            StakingMsg::Delegate { .. } => type_url::<staking::MsgDelegate>(),
            StakingMsg::Undelegate { .. } => type_url::<staking::MsgUndelegate>(),
            StakingMsg::Redelegate { .. } => type_url::<staking::MsgBeginRedelegate>(),
            StakingMsg::CancelUnbonding { .. } => type_url::<staking::MsgCancelUnbondingDelegation>(),
            StakingMsg::Unjail { .. } => type_url::<slashing::MsgUnjail>(),
            StakingMsg::WithdrawReward { .. } => type_url::<distr::MsgWithdrawDelegatorReward>(),
            StakingMsg::WithdrawCommission { .. } => type_url::<distr::MsgWithdrawValidatorCommission>(),
            StakingMsg::SetWithdrawAddress { .. } => type_url::<distr::MsgSetWithdrawAddress>(),
            StakingMsg::FundCommunityPool { .. } => type_url::<distr::MsgFundCommunityPool>(),
            StakingMsg::UpdateStakingParams { .. } => type_url::<staking::MsgUpdateParams>(),
            StakingMsg::UpdateSlashingParams { .. } => type_url::<slashing::MsgUpdateParams>(),
            StakingMsg::UpdateDistributionParams { .. } => type_url::<distr::MsgUpdateParams>(),
            StakingMsg::CommunityPoolSpend { .. } => type_url::<distr::MsgCommunityPoolSpend>(),
        }
    }

    fn validate_basic(&self) -> Result<(), Error> {
        match self {
            StakingMsg::CreateValidator { description, commission, min_self_delegation, value, .. } => {
                description.validate()?;
                commission.validate()?;
                positive("value", value)?;
                if *min_self_delegation == 0 {
                    return Err(
                        StakingError::SelfDelegationBelowMinimum.with("min_self_delegation must be positive (e.g. 1)")
                    );
                }
                if value.amount < *min_self_delegation {
                    return Err(StakingError::SelfDelegationBelowMinimum.with(format!(
                        "the self-delegation {value} is below min_self_delegation {min_self_delegation}: bond more"
                    )));
                }
                Ok(())
            }
            StakingMsg::EditValidator { description, commission_rate, min_self_delegation, .. } => {
                description.validate_lengths()?;
                if commission_rate.is_some_and(|r| r > Dec::ONE) {
                    return Err(StakingError::InvalidCommission.with("commission rate cannot be more than 100%"));
                }
                if *min_self_delegation == Some(0) {
                    return Err(StakingError::MinSelfDelegationDecreased.with("min_self_delegation must be positive"));
                }
                Ok(())
            }
            StakingMsg::Delegate { amount, .. } | StakingMsg::Undelegate { amount, .. } => positive("amount", amount),
            StakingMsg::Redelegate { src, dst, amount, .. } => {
                if src == dst {
                    return Err(StakingError::SelfRedelegation
                        .with("cannot redelegate to the same validator: pick another destination"));
                }
                positive("amount", amount)
            }
            StakingMsg::CancelUnbonding { amount, creation_height, .. } => {
                if *creation_height == 0 {
                    return Err(StakingError::BadAmount.with("creation_height must be the height the unbonding began"));
                }
                positive("amount", amount)
            }
            StakingMsg::FundCommunityPool { amount, .. } => {
                if amount.is_empty() {
                    return Err(StakingError::BadAmount.with("amount is empty: give the coins to fund the pool with"));
                }
                Ok(())
            }
            // As genesis checks them.
            StakingMsg::UpdateStakingParams { params, .. } => params.validate(),
            StakingMsg::UpdateSlashingParams { params, .. } => params.validate(),
            // With the inflation fields at any valid value (the handler checks the merged params).
            StakingMsg::UpdateDistributionParams { params, .. } => {
                params.apply(&crate::params::DistributionParams::default()).validate()
            }
            StakingMsg::CommunityPoolSpend { amount, .. } => {
                if amount.is_empty() {
                    return Err(StakingError::BadAmount.with("amount is empty: give the coins to pay from the pool"));
                }
                Ok(())
            }
            StakingMsg::Unjail { .. }
            | StakingMsg::WithdrawReward { .. }
            | StakingMsg::WithdrawCommission { .. }
            | StakingMsg::SetWithdrawAddress { .. } => Ok(()),
        }
    }

    fn signers(&self) -> Vec<Address> {
        match self {
            StakingMsg::CreateValidator { operator, .. }
            | StakingMsg::EditValidator { operator, .. }
            | StakingMsg::Unjail { operator }
            | StakingMsg::WithdrawCommission { operator } => vec![*operator],
            StakingMsg::Delegate { delegator, .. }
            | StakingMsg::Undelegate { delegator, .. }
            | StakingMsg::Redelegate { delegator, .. }
            | StakingMsg::CancelUnbonding { delegator, .. }
            | StakingMsg::WithdrawReward { delegator, .. }
            | StakingMsg::SetWithdrawAddress { delegator, .. } => vec![*delegator],
            StakingMsg::FundCommunityPool { depositor, .. } => vec![*depositor],
            StakingMsg::UpdateStakingParams { authority, .. }
            | StakingMsg::UpdateSlashingParams { authority, .. }
            | StakingMsg::UpdateDistributionParams { authority, .. }
            | StakingMsg::CommunityPoolSpend { authority, .. } => vec![*authority],
        }
    }

    fn authority(&self) -> Option<Address> {
        match self {
            StakingMsg::UpdateStakingParams { authority, .. }
            | StakingMsg::UpdateSlashingParams { authority, .. }
            | StakingMsg::UpdateDistributionParams { authority, .. }
            | StakingMsg::CommunityPoolSpend { authority, .. } => Some(*authority),
            _ => None,
        }
    }
}
