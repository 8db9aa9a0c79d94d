//! Queries at the Cosmos gRPC paths of staking, distribution and slashing, answered with the
//! Cosmos protobuf types over a snapshot (served by ABCI query and gRPC alike). Lists come in pages
//! (`pagination`, see [`salus_sdk::pagination`]): up to 100 entries unless the request asks for
//! another limit (at most 1000), with `next_key` to continue from.

use prost::Message;
use salus_proto::cosmos::base::v1beta1::Coin as ProtoCoin;
use salus_proto::cosmos::distribution::v1beta1 as distr;
use salus_proto::cosmos::slashing::v1beta1 as slashing;
use salus_proto::cosmos::staking::v1beta1 as staking;
use salus_sdk::address::{decode_with_prefix, VALCONS_PREFIX};
use salus_sdk::{Address, Error, Page, SdkCode, StateRead};
use salus_token::TokenRead;

use crate::distribution::{pending_rewards, total_rewards};
use crate::msgs::ed25519_pubkey_any;
use crate::pages::{RedelegationFilter, StakingPages};
use crate::params::CosmosDistributionParams;
use crate::state::{bonded_pool, not_bonded_pool, StakingRead};
use crate::types::{BondStatus, Delegation, Redelegation, SigningInfo, UnbondingDelegation, Validator};

use salus_sdk::module::decode_request as decode;

fn not_found(what: String) -> Error {
    Error::sdk(SdkCode::KeyNotFound, what)
}

/// Answers `path` if it belongs to staking, distribution or slashing.
pub fn handle(state: &impl StateRead, path: &str, data: &[u8]) -> Option<Result<Vec<u8>, Error>> {
    let answer = match path {
        "/cosmos.staking.v1beta1.Query/Params" => params(state),
        "/cosmos.staking.v1beta1.Query/Pool" => pool(state),
        "/cosmos.staking.v1beta1.Query/Validators" => validators(state, data),
        "/cosmos.staking.v1beta1.Query/Validator" => validator(state, data),
        "/cosmos.staking.v1beta1.Query/ValidatorDelegations" => validator_delegations(state, data),
        "/cosmos.staking.v1beta1.Query/ValidatorUnbondingDelegations" => validator_unbondings(state, data),
        "/cosmos.staking.v1beta1.Query/Delegation" => delegation(state, data),
        "/cosmos.staking.v1beta1.Query/UnbondingDelegation" => unbonding_delegation(state, data),
        "/cosmos.staking.v1beta1.Query/DelegatorDelegations" => delegator_delegations(state, data),
        "/cosmos.staking.v1beta1.Query/DelegatorUnbondingDelegations" => delegator_unbondings(state, data),
        "/cosmos.staking.v1beta1.Query/Redelegations" => redelegations(state, data),
        "/cosmos.staking.v1beta1.Query/DelegatorValidators" => delegator_validators(state, data),
        "/cosmos.staking.v1beta1.Query/HistoricalInfo" => historical_info(state, data),
        "/cosmos.distribution.v1beta1.Query/Params" => distribution_params(state),
        "/cosmos.distribution.v1beta1.Query/ValidatorOutstandingRewards" => outstanding(state, data),
        "/cosmos.distribution.v1beta1.Query/ValidatorCommission" => commission(state, data),
        "/cosmos.distribution.v1beta1.Query/DelegationRewards" => delegation_rewards(state, data),
        "/cosmos.distribution.v1beta1.Query/DelegationTotalRewards" => delegation_total_rewards(state, data),
        "/cosmos.distribution.v1beta1.Query/DelegatorValidators" => distr_delegator_validators(state, data),
        "/cosmos.distribution.v1beta1.Query/DelegatorWithdrawAddress" => withdraw_address(state, data),
        "/cosmos.distribution.v1beta1.Query/CommunityPool" => community_pool(state),
        "/cosmos.slashing.v1beta1.Query/Params" => slashing_params(state),
        "/cosmos.slashing.v1beta1.Query/SigningInfo" => signing_info(state, data),
        "/cosmos.slashing.v1beta1.Query/SigningInfos" => signing_infos(state, data),
        _ => return None,
    };
    Some(answer)
}

pub fn validator_proto(v: &Validator) -> staking::Validator {
    staking::Validator {
        operator_address: v.operator.to_valoper(),
        consensus_pubkey: Some(ed25519_pubkey_any(&v.consensus_pubkey)),
        jailed: v.jailed,
        status: v.status.proto(),
        tokens: v.tokens.to_string(),
        delegator_shares: v.delegator_shares.to_proto(),
        description: Some(staking::Description {
            moniker: v.description.moniker.clone(),
            identity: v.description.identity.clone(),
            website: v.description.website.clone(),
            security_contact: v.description.security_contact.clone(),
            details: v.description.details.clone(),
        }),
        unbonding_height: v.unbonding_height as i64,
        unbonding_time: Some(v.unbonding_time.to_proto()),
        commission: Some(staking::Commission {
            commission_rates: Some(staking::CommissionRates {
                rate: v.commission.rate.to_proto(),
                max_rate: v.commission.max_rate.to_proto(),
                max_change_rate: v.commission.max_change_rate.to_proto(),
            }),
            update_time: Some(v.commission_update_time.to_proto()),
        }),
        min_self_delegation: v.min_self_delegation.to_string(),
        unbonding_on_hold_ref_count: 0,
        unbonding_ids: Vec::new(),
    }
}

fn bond_coin(state: &impl StateRead, amount: u128) -> Result<ProtoCoin, Error> {
    Ok(ProtoCoin { denom: state.staking_params()?.bond_denom, amount: amount.to_string() })
}

fn delegation_response(state: &impl StateRead, d: &Delegation) -> Result<staking::DelegationResponse, Error> {
    let tokens = match state.validator(&d.validator)? {
        Some(v) => v.tokens_for(d.shares)?,
        None => 0,
    };
    Ok(staking::DelegationResponse {
        delegation: Some(staking::Delegation {
            delegator_address: d.delegator.to_string(),
            validator_address: d.validator.to_valoper(),
            shares: d.shares.to_proto(),
        }),
        balance: Some(bond_coin(state, tokens)?),
    })
}

fn unbonding_proto(u: &UnbondingDelegation) -> staking::UnbondingDelegation {
    staking::UnbondingDelegation {
        delegator_address: u.delegator.to_string(),
        validator_address: u.validator.to_valoper(),
        entries: u
            .entries
            .iter()
            .map(|e| staking::UnbondingDelegationEntry {
                creation_height: e.creation_height as i64,
                completion_time: Some(e.completion_time.to_proto()),
                initial_balance: e.initial_balance.to_string(),
                balance: e.balance.to_string(),
                unbonding_id: 0,
                unbonding_on_hold_ref_count: 0,
            })
            .collect(),
    }
}

fn redelegation_response(state: &impl StateRead, r: &Redelegation) -> Result<staking::RedelegationResponse, Error> {
    let dst = state.validator(&r.dst)?;
    let entries: Vec<staking::RedelegationEntry> = r
        .entries
        .iter()
        .map(|e| staking::RedelegationEntry {
            creation_height: e.creation_height as i64,
            completion_time: Some(e.completion_time.to_proto()),
            initial_balance: e.initial_balance.to_string(),
            shares_dst: e.shares_dst.to_proto(),
            unbonding_id: 0,
            unbonding_on_hold_ref_count: 0,
        })
        .collect();
    let mut responses = Vec::new();
    for (e, proto) in r.entries.iter().zip(&entries) {
        let balance = match &dst {
            Some(v) => v.tokens_for(e.shares_dst)?,
            None => 0,
        };
        responses.push(staking::RedelegationEntryResponse {
            redelegation_entry: Some(proto.clone()),
            balance: balance.to_string(),
        });
    }
    Ok(staking::RedelegationResponse {
        redelegation: Some(staking::Redelegation {
            delegator_address: r.delegator.to_string(),
            validator_src_address: r.src.to_valoper(),
            validator_dst_address: r.dst.to_valoper(),
            entries,
        }),
        entries: responses,
    })
}

fn params(state: &impl StateRead) -> Result<Vec<u8>, Error> {
    Ok(staking::QueryParamsResponse { params: Some(state.staking_params()?.to_proto()) }.encode_to_vec())
}

fn pool(state: &impl StateRead) -> Result<Vec<u8>, Error> {
    let denom = state.staking_params()?.bond_denom;
    Ok(staking::QueryPoolResponse {
        pool: Some(staking::Pool {
            not_bonded_tokens: state.balance(&not_bonded_pool(), &denom)?.to_string(),
            bonded_tokens: state.balance(&bonded_pool(), &denom)?.to_string(),
        }),
    }
    .encode_to_vec())
}

fn valoper(field: &str, s: &str) -> Result<Address, Error> {
    Address::parse_valoper(field, s)
}

fn find_validator(state: &impl StateRead, field: &str, s: &str) -> Result<Validator, Error> {
    let op = valoper(field, s)?;
    state
        .validator(&op)?
        .ok_or_else(|| not_found(format!("validator {s} not found: list them with `salusd query staking validators`")))
}

/// A `BOND_STATUS_...` name, or none for an empty string.
fn bond_status(name: &str) -> Result<Option<BondStatus>, Error> {
    if name.is_empty() {
        return Ok(None);
    }
    [BondStatus::Bonded, BondStatus::Unbonding, BondStatus::Unbonded]
        .into_iter()
        .find(|s| s.proto_name() == name)
        .map(Some)
        .ok_or_else(|| {
            Error::sdk(
                SdkCode::InvalidRequest,
                format!(
                    "invalid validator status {name}: give BOND_STATUS_BONDED, BOND_STATUS_UNBONDING or \
                     BOND_STATUS_UNBONDED, or none for every validator"
                ),
            )
        })
}

fn validators(state: &impl StateRead, data: &[u8]) -> Result<Vec<u8>, Error> {
    let req: staking::QueryValidatorsRequest = decode(data)?;
    let status = bond_status(&req.status)?;
    let (found, pagination) = state.validators_page(&Page::from_request(req.pagination.as_ref())?, status)?;
    let validators = found.iter().map(validator_proto).collect();
    Ok(staking::QueryValidatorsResponse { pagination: Some(pagination), validators }.encode_to_vec())
}

fn validator(state: &impl StateRead, data: &[u8]) -> Result<Vec<u8>, Error> {
    let req: staking::QueryValidatorRequest = decode(data)?;
    let v = find_validator(state, "validator_addr", &req.validator_addr)?;
    Ok(staking::QueryValidatorResponse { validator: Some(validator_proto(&v)) }.encode_to_vec())
}

fn validator_delegations(state: &impl StateRead, data: &[u8]) -> Result<Vec<u8>, Error> {
    let req: staking::QueryValidatorDelegationsRequest = decode(data)?;
    let op = valoper("validator_addr", &req.validator_addr)?;
    let (found, pagination) = state.delegations_to_page(&op, &Page::from_request(req.pagination.as_ref())?)?;
    let list = found.iter().map(|d| delegation_response(state, d)).collect::<Result<Vec<_>, _>>()?;
    Ok(staking::QueryValidatorDelegationsResponse { pagination: Some(pagination), delegation_responses: list }
        .encode_to_vec())
}

fn validator_unbondings(state: &impl StateRead, data: &[u8]) -> Result<Vec<u8>, Error> {
    let req: staking::QueryValidatorUnbondingDelegationsRequest = decode(data)?;
    let op = valoper("validator_addr", &req.validator_addr)?;
    let (found, pagination) = state.unbondings_from_page(&op, &Page::from_request(req.pagination.as_ref())?)?;
    let list = found.iter().map(unbonding_proto).collect();
    Ok(staking::QueryValidatorUnbondingDelegationsResponse { pagination: Some(pagination), unbonding_responses: list }
        .encode_to_vec())
}

fn delegation(state: &impl StateRead, data: &[u8]) -> Result<Vec<u8>, Error> {
    let req: staking::QueryDelegationRequest = decode(data)?;
    let del = Address::parse("delegator_addr", &req.delegator_addr)?;
    let val = valoper("validator_addr", &req.validator_addr)?;
    let d = state.delegation(&del, &val)?.ok_or_else(|| {
        not_found(format!("delegation with delegator {del} not found for validator {}", req.validator_addr))
    })?;
    Ok(staking::QueryDelegationResponse { delegation_response: Some(delegation_response(state, &d)?) }.encode_to_vec())
}

fn unbonding_delegation(state: &impl StateRead, data: &[u8]) -> Result<Vec<u8>, Error> {
    let req: staking::QueryUnbondingDelegationRequest = decode(data)?;
    let del = Address::parse("delegator_addr", &req.delegator_addr)?;
    let val = valoper("validator_addr", &req.validator_addr)?;
    let u = state.unbonding(&del, &val)?.ok_or_else(|| {
        not_found(format!("unbonding delegation with delegator {del} not found for validator {}", req.validator_addr))
    })?;
    Ok(staking::QueryUnbondingDelegationResponse { unbond: Some(unbonding_proto(&u)) }.encode_to_vec())
}

fn delegator_delegations(state: &impl StateRead, data: &[u8]) -> Result<Vec<u8>, Error> {
    let req: staking::QueryDelegatorDelegationsRequest = decode(data)?;
    let del = Address::parse("delegator_addr", &req.delegator_addr)?;
    let (found, pagination) = state.delegations_of_page(&del, &Page::from_request(req.pagination.as_ref())?)?;
    let list = found.iter().map(|d| delegation_response(state, d)).collect::<Result<Vec<_>, _>>()?;
    Ok(staking::QueryDelegatorDelegationsResponse { pagination: Some(pagination), delegation_responses: list }
        .encode_to_vec())
}

fn delegator_unbondings(state: &impl StateRead, data: &[u8]) -> Result<Vec<u8>, Error> {
    let req: staking::QueryDelegatorUnbondingDelegationsRequest = decode(data)?;
    let del = Address::parse("delegator_addr", &req.delegator_addr)?;
    let (found, pagination) = state.unbondings_of_page(&del, &Page::from_request(req.pagination.as_ref())?)?;
    let list = found.iter().map(unbonding_proto).collect();
    Ok(staking::QueryDelegatorUnbondingDelegationsResponse { pagination: Some(pagination), unbonding_responses: list }
        .encode_to_vec())
}

fn redelegations(state: &impl StateRead, data: &[u8]) -> Result<Vec<u8>, Error> {
    let req: staking::QueryRedelegationsRequest = decode(data)?;
    let optional = |field: &str, s: &str| -> Result<Option<Address>, Error> {
        if s.is_empty() {
            Ok(None)
        } else {
            valoper(field, s).map(Some)
        }
    };
    let src = optional("src_validator_addr", &req.src_validator_addr)?;
    let dst = optional("dst_validator_addr", &req.dst_validator_addr)?;
    let delegator = match req.delegator_addr.as_str() {
        "" => None,
        s => Some(Address::parse("delegator_addr", s)?),
    };
    let which = RedelegationFilter { delegator: delegator.as_ref(), src: src.as_ref(), dst: dst.as_ref() };
    let (found, pagination) = state.redelegations_page(which, &Page::from_request(req.pagination.as_ref())?)?;
    let list = found.iter().map(|r| redelegation_response(state, r)).collect::<Result<Vec<_>, _>>()?;
    Ok(staking::QueryRedelegationsResponse { pagination: Some(pagination), redelegation_responses: list }
        .encode_to_vec())
}

fn delegator_validators(state: &impl StateRead, data: &[u8]) -> Result<Vec<u8>, Error> {
    let req: staking::QueryDelegatorValidatorsRequest = decode(data)?;
    let del = Address::parse("delegator_addr", &req.delegator_addr)?;
    let (found, pagination) = state.delegations_of_page(&del, &Page::from_request(req.pagination.as_ref())?)?;
    let mut list = Vec::with_capacity(found.len());
    for d in found {
        if let Some(v) = state.validator(&d.validator)? {
            list.push(validator_proto(&v));
        }
    }
    Ok(staking::QueryDelegatorValidatorsResponse { pagination: Some(pagination), validators: list }.encode_to_vec())
}

fn historical_info(state: &impl StateRead, data: &[u8]) -> Result<Vec<u8>, Error> {
    let req: staking::QueryHistoricalInfoRequest = decode(data)?;
    let height = u64::try_from(req.height).unwrap_or(0);
    let h = state.historical(height)?.ok_or_else(|| {
        not_found(format!("historical info for height {} not found (pruned or not reached)", req.height))
    })?;
    let mut valset = Vec::new();
    for (op, _) in &h.validators {
        if let Some(v) = state.validator(op)? {
            valset.push(validator_proto(&v));
        }
    }
    let header = salus_proto::tendermint_proto::types::Header {
        chain_id: h.chain_id.clone(),
        height: h.height as i64,
        time: Some(h.time.to_proto()),
        app_hash: h.app_hash.clone(),
        next_validators_hash: h.next_validators_hash.clone(),
        ..Default::default()
    };
    Ok(staking::QueryHistoricalInfoResponse { hist: Some(staking::HistoricalInfo { header: Some(header), valset }) }
        .encode_to_vec())
}

fn distribution_params(state: &impl StateRead) -> Result<Vec<u8>, Error> {
    let p = CosmosDistributionParams::of(&state.distribution_params()?);
    Ok(distr::QueryParamsResponse { params: Some(p.to_proto()) }.encode_to_vec())
}

fn outstanding(state: &impl StateRead, data: &[u8]) -> Result<Vec<u8>, Error> {
    let req: distr::QueryValidatorOutstandingRewardsRequest = decode(data)?;
    let v = find_validator(state, "validator_address", &req.validator_address)?;
    let r = state.validator_rewards(&v.operator)?;
    Ok(distr::QueryValidatorOutstandingRewardsResponse {
        rewards: Some(distr::ValidatorOutstandingRewards { rewards: r.outstanding.to_proto() }),
    }
    .encode_to_vec())
}

fn commission(state: &impl StateRead, data: &[u8]) -> Result<Vec<u8>, Error> {
    let req: distr::QueryValidatorCommissionRequest = decode(data)?;
    let v = find_validator(state, "validator_address", &req.validator_address)?;
    let r = state.validator_rewards(&v.operator)?;
    Ok(distr::QueryValidatorCommissionResponse {
        commission: Some(distr::ValidatorAccumulatedCommission { commission: r.commission.to_proto() }),
    }
    .encode_to_vec())
}

fn delegation_rewards(state: &impl StateRead, data: &[u8]) -> Result<Vec<u8>, Error> {
    let req: distr::QueryDelegationRewardsRequest = decode(data)?;
    let del = Address::parse("delegator_address", &req.delegator_address)?;
    let v = find_validator(state, "validator_address", &req.validator_address)?;
    if state.delegation(&del, &v.operator)?.is_none() {
        return Err(not_found(format!("{del} has no delegation to {}", req.validator_address)));
    }
    Ok(distr::QueryDelegationRewardsResponse { rewards: pending_rewards(state, &del, &v.operator)?.to_proto() }
        .encode_to_vec())
}

fn delegation_total_rewards(state: &impl StateRead, data: &[u8]) -> Result<Vec<u8>, Error> {
    let req: distr::QueryDelegationTotalRewardsRequest = decode(data)?;
    let del = Address::parse("delegator_address", &req.delegator_address)?;
    let mut total = salus_sdk::dec::DecCoins::default();
    let mut rewards = Vec::new();
    for (val, r) in total_rewards(state, &del)? {
        total = total.add(&r)?;
        rewards.push(distr::DelegationDelegatorReward { validator_address: val.to_valoper(), reward: r.to_proto() });
    }
    Ok(distr::QueryDelegationTotalRewardsResponse { rewards, total: total.to_proto() }.encode_to_vec())
}

fn distr_delegator_validators(state: &impl StateRead, data: &[u8]) -> Result<Vec<u8>, Error> {
    let req: distr::QueryDelegatorValidatorsRequest = decode(data)?;
    let del = Address::parse("delegator_address", &req.delegator_address)?;
    let validators = state.delegations_of(&del)?.iter().map(|d| d.validator.to_valoper()).collect();
    Ok(distr::QueryDelegatorValidatorsResponse { validators }.encode_to_vec())
}

fn withdraw_address(state: &impl StateRead, data: &[u8]) -> Result<Vec<u8>, Error> {
    let req: distr::QueryDelegatorWithdrawAddressRequest = decode(data)?;
    let del = Address::parse("delegator_address", &req.delegator_address)?;
    Ok(distr::QueryDelegatorWithdrawAddressResponse { withdraw_address: state.withdraw_address(&del)?.to_string() }
        .encode_to_vec())
}

fn community_pool(state: &impl StateRead) -> Result<Vec<u8>, Error> {
    Ok(distr::QueryCommunityPoolResponse { pool: state.community_pool()?.to_proto() }.encode_to_vec())
}

fn slashing_params(state: &impl StateRead) -> Result<Vec<u8>, Error> {
    Ok(slashing::QueryParamsResponse { params: Some(state.slashing_params()?.to_proto()) }.encode_to_vec())
}

fn signing_info_proto(s: &SigningInfo) -> slashing::ValidatorSigningInfo {
    slashing::ValidatorSigningInfo {
        address: Address(s.cons_address).to_bech32(VALCONS_PREFIX),
        start_height: s.start_height as i64,
        index_offset: s.index_offset as i64,
        jailed_until: Some(s.jailed_until.to_proto()),
        tombstoned: s.tombstoned,
        missed_blocks_counter: s.missed_blocks_counter as i64,
    }
}

fn signing_info(state: &impl StateRead, data: &[u8]) -> Result<Vec<u8>, Error> {
    let req: slashing::QuerySigningInfoRequest = decode(data)?;
    let cons = decode_with_prefix(&req.cons_address, VALCONS_PREFIX)
        .map_err(|e| Error::sdk(SdkCode::InvalidAddress, format!("cons_address: {}", e.message)))?;
    let info = state
        .signing_info(&cons.0)?
        .ok_or_else(|| not_found(format!("signing info of {} not found: it was never bonded", req.cons_address)))?;
    Ok(slashing::QuerySigningInfoResponse { val_signing_info: Some(signing_info_proto(&info)) }.encode_to_vec())
}

fn signing_infos(state: &impl StateRead, data: &[u8]) -> Result<Vec<u8>, Error> {
    let req: slashing::QuerySigningInfosRequest = decode(data)?;
    let (found, pagination) = state.signing_infos_page(&Page::from_request(req.pagination.as_ref())?)?;
    let info = found.iter().map(signing_info_proto).collect();
    Ok(slashing::QuerySigningInfosResponse { pagination: Some(pagination), info }.encode_to_vec())
}
