//! Read-only queries over a snapshot, answering the Cosmos bank query service. Served by ABCI
//! query and gRPC alike.

use prost::Message;
use salus_proto::cosmos::bank::v1beta1 as bank;
use salus_sdk::{Address, Coin, Error, Page, SdkCode, StateRead};

use crate::state::{DenomMetadata, TokenRead};

use salus_sdk::module::decode_request as decode;

/// Answers `path` with protobuf `request` bytes; `None` if the path is not the token module's.
pub fn handle(state: &impl StateRead, path: &str, request: &[u8]) -> Option<Result<Vec<u8>, Error>> {
    let result = match path {
        "/cosmos.bank.v1beta1.Query/Balance" => {
            decode(request).and_then(|r| balance(state, r)).map(|r| r.encode_to_vec())
        }
        "/cosmos.bank.v1beta1.Query/AllBalances" => {
            decode(request).and_then(|r| all_balances(state, r)).map(|r| r.encode_to_vec())
        }
        "/cosmos.bank.v1beta1.Query/SpendableBalances" => decode::<bank::QuerySpendableBalancesRequest>(request)
            .and_then(|r| {
                let all = bank::QueryAllBalancesRequest {
                    address: r.address,
                    pagination: r.pagination,
                    ..Default::default()
                };
                all_balances(state, all)
            })
            .map(|r| {
                bank::QuerySpendableBalancesResponse { balances: r.balances, pagination: r.pagination }.encode_to_vec()
            }),
        "/cosmos.bank.v1beta1.Query/SupplyOf" => {
            decode(request).and_then(|r| supply_of(state, r)).map(|r| r.encode_to_vec())
        }
        "/cosmos.bank.v1beta1.Query/TotalSupply" => {
            decode(request).and_then(|r| total_supply(state, r)).map(|r| r.encode_to_vec())
        }
        "/cosmos.bank.v1beta1.Query/DenomMetadata" => {
            decode(request).and_then(|r| denom_metadata(state, r)).map(|r| r.encode_to_vec())
        }
        "/cosmos.bank.v1beta1.Query/DenomsMetadata" => {
            decode(request).and_then(|r| denoms_metadata(state, r)).map(|r| r.encode_to_vec())
        }
        _ => return None,
    };
    Some(result)
}

pub fn balance(state: &impl StateRead, req: bank::QueryBalanceRequest) -> Result<bank::QueryBalanceResponse, Error> {
    let addr = Address::parse("address", &req.address)?;
    salus_sdk::coin::validate_denom(&req.denom)?;
    let amount = state.balance(&addr, &req.denom)?;
    Ok(bank::QueryBalanceResponse { balance: Some(Coin::new(amount, req.denom).to_proto()) })
}

pub fn all_balances(
    state: &impl StateRead,
    req: bank::QueryAllBalancesRequest,
) -> Result<bank::QueryAllBalancesResponse, Error> {
    let addr = Address::parse("address", &req.address)?;
    let (coins, pagination) = state.balances_page(&addr, &Page::from_request(req.pagination.as_ref())?)?;
    let balances = coins.iter().map(Coin::to_proto).collect();
    Ok(bank::QueryAllBalancesResponse { pagination: Some(pagination), balances })
}

pub fn supply_of(
    state: &impl StateRead,
    req: bank::QuerySupplyOfRequest,
) -> Result<bank::QuerySupplyOfResponse, Error> {
    salus_sdk::coin::validate_denom(&req.denom)?;
    let amount = state.supply(&req.denom)?;
    Ok(bank::QuerySupplyOfResponse { amount: Some(Coin::new(amount, req.denom).to_proto()) })
}

pub fn total_supply(
    state: &impl StateRead,
    req: bank::QueryTotalSupplyRequest,
) -> Result<bank::QueryTotalSupplyResponse, Error> {
    let (coins, pagination) = state.total_supply_page(&Page::from_request(req.pagination.as_ref())?)?;
    let supply = coins.iter().map(Coin::to_proto).collect();
    Ok(bank::QueryTotalSupplyResponse { pagination: Some(pagination), supply })
}

pub fn to_proto_metadata(m: &DenomMetadata) -> bank::Metadata {
    bank::Metadata {
        description: m.description.clone(),
        denom_units: m
            .denom_units
            .iter()
            .map(|u| bank::DenomUnit { denom: u.denom.clone(), exponent: u.exponent, aliases: u.aliases.clone() })
            .collect(),
        base: m.base.clone(),
        display: m.display.clone(),
        name: m.name.clone(),
        symbol: m.symbol.clone(),
        uri: m.uri.clone(),
        uri_hash: m.uri_hash.clone(),
    }
}

pub fn denom_metadata(
    state: &impl StateRead,
    req: bank::QueryDenomMetadataRequest,
) -> Result<bank::QueryDenomMetadataResponse, Error> {
    let meta = state.denom_metadata(&req.denom)?.ok_or_else(|| {
        Error::sdk(
            SdkCode::KeyNotFound,
            format!(
                "client metadata for denom {} not found: list known denoms with `salusd query token denom-metadata`",
                req.denom
            ),
        )
    })?;
    Ok(bank::QueryDenomMetadataResponse { metadata: Some(to_proto_metadata(&meta)) })
}

pub fn denoms_metadata(
    state: &impl StateRead,
    req: bank::QueryDenomsMetadataRequest,
) -> Result<bank::QueryDenomsMetadataResponse, Error> {
    let (found, pagination) = state.denom_metadata_page(&Page::from_request(req.pagination.as_ref())?)?;
    let metadatas = found.iter().map(to_proto_metadata).collect();
    Ok(bank::QueryDenomsMetadataResponse { pagination: Some(pagination), metadatas })
}
