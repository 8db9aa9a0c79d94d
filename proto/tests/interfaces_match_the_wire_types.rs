//! The interface declarations must describe exactly the bytes the Rust types put on the wire:
//! a fully populated message, decoded through the descriptor and encoded again, gives back the
//! same bytes (a wrong field number or type would lose or move a field).

use prost::Message;
use prost_reflect::{DescriptorPool, DynamicMessage};
use salus_proto::cosmos::auth::v1beta1 as auth;
use salus_proto::cosmos::bank::v1beta1 as bank;
use salus_proto::cosmos::base::abci::v1beta1 as abci;
use salus_proto::cosmos::base::node::v1beta1 as node;
use salus_proto::cosmos::base::query::v1beta1::{PageRequest, PageResponse};
use salus_proto::cosmos::base::tendermint::v1beta1 as cmt;
use salus_proto::cosmos::base::v1beta1::Coin;
use salus_proto::cosmos::tx::v1beta1 as tx;
use salus_proto::tendermint_proto::{abci as tm_abci, p2p};
use salus_proto::Any;

fn roundtrip<M: Message + prost::Name>(msg: &M) {
    let pool = DescriptorPool::decode(salus_proto::FILE_DESCRIPTOR_SET).unwrap();
    let name = M::full_name();
    let desc = pool.get_message_by_name(&name).unwrap_or_else(|| panic!("{name} is not declared"));
    let bytes = msg.encode_to_vec();
    let dynamic = DynamicMessage::decode(desc, bytes.as_slice()).unwrap();
    assert!(dynamic.unknown_fields().next().is_none(), "{name}: a field is not declared");
    assert_eq!(dynamic.encode_to_vec(), bytes, "{name}: the declaration differs from the wire type");
}

fn coin() -> Coin {
    Coin { denom: "usalus".into(), amount: "12".into() }
}
fn any() -> Any {
    Any { type_url: "/x".into(), value: vec![1, 2] }
}
fn page_req() -> Option<PageRequest> {
    Some(PageRequest { key: vec![1], offset: 2, limit: 3, count_total: true, reverse: true })
}
fn page() -> Option<PageResponse> {
    Some(PageResponse { next_key: vec![9], total: 4 })
}
fn metadata() -> bank::Metadata {
    bank::Metadata {
        description: "d".into(),
        denom_units: vec![bank::DenomUnit { denom: "u".into(), exponent: 6, aliases: vec!["a".into()] }],
        base: "b".into(),
        display: "s".into(),
        name: "n".into(),
        symbol: "S".into(),
        uri: "u".into(),
        uri_hash: "h".into(),
    }
}

#[test]
fn bank_messages() {
    roundtrip(&bank::QueryBalanceRequest { address: "a".into(), denom: "d".into() });
    roundtrip(&bank::QueryBalanceResponse { balance: Some(coin()) });
    roundtrip(&bank::QueryAllBalancesRequest { address: "a".into(), pagination: page_req(), resolve_denom: true });
    roundtrip(&bank::QueryAllBalancesResponse { balances: vec![coin(), coin()], pagination: page() });
    roundtrip(&bank::QuerySpendableBalancesRequest { address: "a".into(), pagination: page_req() });
    roundtrip(&bank::QuerySpendableBalancesResponse { balances: vec![coin()], pagination: page() });
    roundtrip(&bank::QueryTotalSupplyRequest { pagination: page_req() });
    roundtrip(&bank::QueryTotalSupplyResponse { supply: vec![coin()], pagination: page() });
    roundtrip(&bank::QuerySupplyOfRequest { denom: "d".into() });
    roundtrip(&bank::QuerySupplyOfResponse { amount: Some(coin()) });
    roundtrip(&bank::QueryDenomMetadataRequest { denom: "d".into() });
    roundtrip(&bank::QueryDenomMetadataResponse { metadata: Some(metadata()) });
    roundtrip(&bank::QueryDenomsMetadataRequest { pagination: page_req() });
    roundtrip(&bank::QueryDenomsMetadataResponse { metadatas: vec![metadata()], pagination: page() });
}

#[test]
fn auth_messages() {
    roundtrip(&auth::QueryAccountRequest { address: "a".into() });
    roundtrip(&auth::QueryAccountResponse { account: Some(any()) });
    roundtrip(&auth::BaseAccount { address: "a".into(), pub_key: Some(any()), account_number: 3, sequence: 4 });
}

#[test]
#[allow(deprecated)] // SimulateRequest.tx, AuthInfo.tip and Result.data are deprecated but still on the wire
fn tx_messages() {
    use salus_proto::cosmos::crypto::multisig::v1beta1::CompactBitArray;
    let single = tx::ModeInfo { sum: Some(tx::mode_info::Sum::Single(tx::mode_info::Single { mode: 1 })) };
    let multi = tx::ModeInfo {
        sum: Some(tx::mode_info::Sum::Multi(tx::mode_info::Multi {
            bitarray: Some(CompactBitArray { extra_bits_stored: 1, elems: vec![3] }),
            mode_infos: vec![single.clone()],
        })),
    };
    let body = tx::TxBody {
        messages: vec![any()],
        memo: "m".into(),
        timeout_height: 5,
        extension_options: vec![any()],
        non_critical_extension_options: vec![any()],
    };
    let auth_info = tx::AuthInfo {
        signer_infos: vec![
            tx::SignerInfo { public_key: Some(any()), mode_info: Some(single), sequence: 7 },
            tx::SignerInfo { public_key: None, mode_info: Some(multi), sequence: 8 },
        ],
        fee: Some(tx::Fee { amount: vec![coin()], gas_limit: 9, payer: "p".into(), granter: "g".into() }),
        tip: Some(tx::Tip { amount: vec![coin()], tipper: "t".into() }),
    };
    roundtrip(&body);
    roundtrip(&auth_info);
    roundtrip(&tx::TxRaw { body_bytes: vec![1], auth_info_bytes: vec![2], signatures: vec![vec![3]] });
    roundtrip(&tx::SignDoc { body_bytes: vec![1], auth_info_bytes: vec![2], chain_id: "c".into(), account_number: 4 });
    roundtrip(&tx::SimulateRequest {
        tx: Some(tx::Tx { body: Some(body), auth_info: Some(auth_info), signatures: vec![vec![1]] }),
        tx_bytes: vec![7],
    });
    roundtrip(&tx::SimulateResponse {
        gas_info: Some(abci::GasInfo { gas_wanted: 1, gas_used: 2 }),
        result: Some(abci::Result {
            data: vec![1],
            log: "l".into(),
            events: vec![tm_abci::Event {
                r#type: "t".into(),
                attributes: vec![tm_abci::EventAttribute { key: "k".into(), value: "v".into(), index: true }],
            }],
            msg_responses: vec![any()],
        }),
    });
}

#[test]
fn node_messages() {
    roundtrip(&node::ConfigResponse {
        minimum_gas_price: "1usalus".into(),
        pruning_keep_recent: "2".into(),
        pruning_interval: "3".into(),
        halt_height: 4,
    });
    roundtrip(&cmt::GetNodeInfoResponse {
        default_node_info: Some(p2p::DefaultNodeInfo {
            protocol_version: Some(p2p::ProtocolVersion { p2p: 1, block: 2, app: 3 }),
            default_node_id: "i".into(),
            listen_addr: "l".into(),
            network: "n".into(),
            version: "v".into(),
            channels: vec![1],
            moniker: "m".into(),
            other: Some(p2p::DefaultNodeInfoOther { tx_index: "on".into(), rpc_address: "r".into() }),
        }),
        application_version: Some(cmt::VersionInfo {
            name: "n".into(),
            app_name: "a".into(),
            version: "v".into(),
            git_commit: "g".into(),
            build_tags: "b".into(),
            go_version: "go".into(),
            build_deps: vec![cmt::Module { path: "p".into(), version: "v".into(), sum: "s".into() }],
            cosmos_sdk_version: "c".into(),
        }),
    });
}

mod staking_distribution_slashing {
    use super::*;
    use salus_proto::cosmos::base::v1beta1::DecCoin;
    use salus_proto::cosmos::distribution::v1beta1 as distr;
    use salus_proto::cosmos::slashing::v1beta1 as slashing;
    use salus_proto::cosmos::staking::v1beta1 as staking;
    use salus_proto::tendermint_proto::google::protobuf::{Duration, Timestamp};

    fn ts() -> Option<Timestamp> {
        Some(Timestamp { seconds: 5, nanos: 6 })
    }
    fn dec() -> DecCoin {
        DecCoin { denom: "usalus".into(), amount: "1500000000000000000".into() }
    }
    fn validator() -> staking::Validator {
        staking::Validator {
            operator_address: "v".into(),
            consensus_pubkey: Some(any()),
            jailed: true,
            status: 3,
            tokens: "10".into(),
            delegator_shares: "10000000000000000000".into(),
            description: Some(staking::Description {
                moniker: "m".into(),
                identity: "i".into(),
                website: "w".into(),
                security_contact: "s".into(),
                details: "d".into(),
            }),
            unbonding_height: 7,
            unbonding_time: ts(),
            commission: Some(staking::Commission {
                commission_rates: Some(staking::CommissionRates {
                    rate: "1".into(),
                    max_rate: "2".into(),
                    max_change_rate: "3".into(),
                }),
                update_time: ts(),
            }),
            min_self_delegation: "1".into(),
            unbonding_on_hold_ref_count: 2,
            unbonding_ids: vec![4, 5],
        }
    }

    #[test]
    fn staking_messages() {
        roundtrip(&staking::QueryValidatorsRequest { status: "BOND_STATUS_BONDED".into(), pagination: page_req() });
        roundtrip(&staking::QueryValidatorsResponse { validators: vec![validator()], pagination: page() });
        roundtrip(&staking::QueryParamsResponse {
            params: Some(staking::Params {
                unbonding_time: Some(Duration { seconds: 30, nanos: 1 }),
                max_validators: 1,
                max_entries: 2,
                historical_entries: 3,
                bond_denom: "usalus".into(),
                min_commission_rate: "4".into(),
            }),
        });
        let delegation = staking::DelegationResponse {
            delegation: Some(staking::Delegation {
                delegator_address: "d".into(),
                validator_address: "v".into(),
                shares: "9".into(),
            }),
            balance: Some(coin()),
        };
        roundtrip(&staking::QueryDelegatorDelegationsResponse {
            delegation_responses: vec![delegation],
            pagination: page(),
        });
        let entry = staking::UnbondingDelegationEntry {
            creation_height: 1,
            completion_time: ts(),
            initial_balance: "2".into(),
            balance: "3".into(),
            unbonding_id: 4,
            unbonding_on_hold_ref_count: 5,
        };
        roundtrip(&staking::QueryUnbondingDelegationResponse {
            unbond: Some(staking::UnbondingDelegation {
                delegator_address: "d".into(),
                validator_address: "v".into(),
                entries: vec![entry],
            }),
        });
        let red_entry = staking::RedelegationEntry {
            creation_height: 1,
            completion_time: ts(),
            initial_balance: "2".into(),
            shares_dst: "3".into(),
            unbonding_id: 4,
            unbonding_on_hold_ref_count: 5,
        };
        roundtrip(&staking::QueryRedelegationsResponse {
            redelegation_responses: vec![staking::RedelegationResponse {
                redelegation: Some(staking::Redelegation {
                    delegator_address: "d".into(),
                    validator_src_address: "s".into(),
                    validator_dst_address: "t".into(),
                    entries: vec![red_entry.clone()],
                }),
                entries: vec![staking::RedelegationEntryResponse {
                    redelegation_entry: Some(red_entry),
                    balance: "6".into(),
                }],
            }],
            pagination: page(),
        });
        roundtrip(&staking::QueryPoolResponse {
            pool: Some(staking::Pool { not_bonded_tokens: "1".into(), bonded_tokens: "2".into() }),
        });
    }

    #[test]
    fn distribution_and_slashing_messages() {
        #[allow(deprecated)]
        roundtrip(&distr::QueryParamsResponse {
            params: Some(distr::Params {
                community_tax: "1".into(),
                base_proposer_reward: "2".into(),
                bonus_proposer_reward: "3".into(),
                withdraw_addr_enabled: true,
            }),
        });
        roundtrip(&distr::QueryDelegationTotalRewardsResponse {
            rewards: vec![distr::DelegationDelegatorReward { validator_address: "v".into(), reward: vec![dec()] }],
            total: vec![dec()],
        });
        roundtrip(&distr::QueryValidatorCommissionResponse {
            commission: Some(distr::ValidatorAccumulatedCommission { commission: vec![dec()] }),
        });
        roundtrip(&distr::QueryValidatorOutstandingRewardsResponse {
            rewards: Some(distr::ValidatorOutstandingRewards { rewards: vec![dec()] }),
        });
        roundtrip(&distr::QueryCommunityPoolResponse { pool: vec![dec()] });
        roundtrip(&slashing::QueryParamsResponse {
            params: Some(slashing::Params {
                signed_blocks_window: 1,
                min_signed_per_window: b"5".to_vec(),
                downtime_jail_duration: Some(Duration { seconds: 2, nanos: 3 }),
                slash_fraction_double_sign: b"6".to_vec(),
                slash_fraction_downtime: b"7".to_vec(),
            }),
        });
        roundtrip(&slashing::QuerySigningInfosResponse {
            info: vec![slashing::ValidatorSigningInfo {
                address: "c".into(),
                start_height: 1,
                index_offset: 2,
                jailed_until: ts(),
                tombstoned: true,
                missed_blocks_counter: 3,
            }],
            pagination: page(),
        });
    }
}

#[test]
fn did_history_pages() {
    use salus_proto::salus::did::v1 as did;
    roundtrip(&did::QueryHistoryRequest { did: "did:salus:x".into(), pagination: page_req() });
    let version = did::DidVersionInfo {
        version_id: 2,
        operation: "update".into(),
        time: Some(prost_types::Timestamp { seconds: 5, nanos: 6 }),
        height: 7,
        document_hash: vec![8; 32],
    };
    roundtrip(&did::QueryHistoryResponse { versions: vec![version], pagination: page() });
}

#[test]
fn salus_params_updates() {
    use salus_proto::salus::{did::v1 as did, token::v1 as token};
    let did_params =
        did::Params { max_verification_methods: 1, max_services: 2, max_controllers: 3, max_document_bytes: 4 };
    roundtrip(&did::QueryParamsResponse { params: Some(did_params) });
    roundtrip(&did::MsgUpdateParams { authority: "a".into(), params: Some(did_params) });
    roundtrip(&did::MsgUpdateParamsResponse {});
    let token_params = token::Params { send_enabled: true, max_multi_send_outputs: 5, max_denoms_per_transfer: 6 };
    roundtrip(&token::MsgUpdateParams { authority: "a".into(), params: Some(token_params) });
    roundtrip(&token::MsgUpdateParamsResponse {});
}

#[test]
fn public_keys() {
    use salus_proto::cosmos::crypto::{ed25519, secp256k1};
    roundtrip(&secp256k1::PubKey { key: vec![2; 33] });
    roundtrip(&ed25519::PubKey { key: vec![7; 32] });
}

#[test]
fn bank_tx_messages() {
    roundtrip(&bank::MsgSend { from_address: "f".into(), to_address: "t".into(), amount: vec![coin(), coin()] });
    roundtrip(&bank::MsgSendResponse {});
    roundtrip(&bank::MsgMultiSend {
        inputs: vec![bank::Input { address: "i".into(), coins: vec![coin()] }],
        outputs: vec![bank::Output { address: "o".into(), coins: vec![coin(), coin()] }],
    });
    roundtrip(&bank::MsgMultiSendResponse {});
}

mod staking_distribution_slashing_tx {
    use super::*;
    use salus_proto::cosmos::distribution::v1beta1 as distr;
    use salus_proto::cosmos::slashing::v1beta1 as slashing;
    use salus_proto::cosmos::staking::v1beta1 as staking;
    use salus_proto::tendermint_proto::google::protobuf::Timestamp;

    fn description() -> Option<staking::Description> {
        Some(staking::Description {
            moniker: "m".into(),
            identity: "i".into(),
            website: "w".into(),
            security_contact: "s".into(),
            details: "d".into(),
        })
    }

    #[test]
    #[allow(deprecated)] // MsgCreateValidator.delegator_address is deprecated but still on the wire
    fn staking_tx_messages() {
        let ed25519 = salus_proto::to_any(&salus_proto::cosmos::crypto::ed25519::PubKey { key: vec![7; 32] });
        roundtrip(&staking::MsgCreateValidator {
            description: description(),
            commission: Some(staking::CommissionRates {
                rate: "1".into(),
                max_rate: "2".into(),
                max_change_rate: "3".into(),
            }),
            min_self_delegation: "4".into(),
            delegator_address: "d".into(),
            validator_address: "v".into(),
            pubkey: Some(ed25519),
            value: Some(coin()),
        });
        roundtrip(&staking::MsgCreateValidatorResponse {});
        roundtrip(&staking::MsgEditValidator {
            description: description(),
            validator_address: "v".into(),
            commission_rate: "5".into(),
            min_self_delegation: "6".into(),
        });
        roundtrip(&staking::MsgEditValidatorResponse {});
        roundtrip(&staking::MsgDelegate {
            delegator_address: "d".into(),
            validator_address: "v".into(),
            amount: Some(coin()),
        });
        roundtrip(&staking::MsgDelegateResponse {});
        roundtrip(&staking::MsgBeginRedelegate {
            delegator_address: "d".into(),
            validator_src_address: "s".into(),
            validator_dst_address: "t".into(),
            amount: Some(coin()),
        });
        roundtrip(&staking::MsgBeginRedelegateResponse { completion_time: Some(Timestamp { seconds: 5, nanos: 6 }) });
        roundtrip(&staking::MsgUndelegate {
            delegator_address: "d".into(),
            validator_address: "v".into(),
            amount: Some(coin()),
        });
        roundtrip(&staking::MsgUndelegateResponse {
            completion_time: Some(Timestamp { seconds: 5, nanos: 6 }),
            amount: Some(coin()),
        });
        roundtrip(&staking::MsgCancelUnbondingDelegation {
            delegator_address: "d".into(),
            validator_address: "v".into(),
            amount: Some(coin()),
            creation_height: 9,
        });
        roundtrip(&staking::MsgCancelUnbondingDelegationResponse {});
        roundtrip(&staking::MsgUpdateParams {
            authority: "a".into(),
            params: Some(staking::Params {
                unbonding_time: Some(salus_proto::tendermint_proto::google::protobuf::Duration {
                    seconds: 30,
                    nanos: 1,
                }),
                max_validators: 1,
                max_entries: 2,
                historical_entries: 3,
                bond_denom: "usalus".into(),
                min_commission_rate: "4".into(),
            }),
        });
        roundtrip(&staking::MsgUpdateParamsResponse {});
    }

    #[test]
    fn distribution_and_slashing_tx_messages() {
        roundtrip(&distr::MsgSetWithdrawAddress { delegator_address: "d".into(), withdraw_address: "w".into() });
        roundtrip(&distr::MsgSetWithdrawAddressResponse {});
        roundtrip(&distr::MsgWithdrawDelegatorReward { delegator_address: "d".into(), validator_address: "v".into() });
        roundtrip(&distr::MsgWithdrawDelegatorRewardResponse { amount: vec![coin(), coin()] });
        roundtrip(&distr::MsgWithdrawValidatorCommission { validator_address: "v".into() });
        roundtrip(&distr::MsgWithdrawValidatorCommissionResponse { amount: vec![coin()] });
        roundtrip(&distr::MsgFundCommunityPool { amount: vec![coin()], depositor: "d".into() });
        roundtrip(&distr::MsgFundCommunityPoolResponse {});
        roundtrip(&slashing::MsgUnjail { validator_addr: "v".into() });
        roundtrip(&slashing::MsgUnjailResponse {});
        #[allow(deprecated)]
        roundtrip(&distr::MsgUpdateParams {
            authority: "a".into(),
            params: Some(distr::Params {
                community_tax: "1".into(),
                base_proposer_reward: "2".into(),
                bonus_proposer_reward: "3".into(),
                withdraw_addr_enabled: true,
            }),
        });
        roundtrip(&distr::MsgUpdateParamsResponse {});
        roundtrip(&distr::MsgCommunityPoolSpend {
            authority: "a".into(),
            recipient: "r".into(),
            amount: vec![coin(), coin()],
        });
        roundtrip(&distr::MsgCommunityPoolSpendResponse {});
        roundtrip(&slashing::MsgUpdateParams {
            authority: "a".into(),
            params: Some(slashing::Params {
                signed_blocks_window: 1,
                min_signed_per_window: b"5".to_vec(),
                downtime_jail_duration: Some(salus_proto::tendermint_proto::google::protobuf::Duration {
                    seconds: 2,
                    nanos: 3,
                }),
                slash_fraction_double_sign: b"6".to_vec(),
                slash_fraction_downtime: b"7".to_vec(),
            }),
        });
        roundtrip(&slashing::MsgUpdateParamsResponse {});
    }
}

/// Reflection describes every Msg service Salus executes, method by method, with the request
/// and response types cosmos-sdk-proto names, and the public keys found inside Anys.
#[test]
fn msg_services_and_public_keys_are_declared() {
    let pool = DescriptorPool::decode(salus_proto::FILE_DESCRIPTOR_SET).unwrap();
    let services: &[(&str, &[&str])] = &[
        ("cosmos.bank.v1beta1.Msg", &["Send", "MultiSend"]),
        (
            "cosmos.staking.v1beta1.Msg",
            &[
                "CreateValidator",
                "EditValidator",
                "Delegate",
                "BeginRedelegate",
                "Undelegate",
                "CancelUnbondingDelegation",
                "UpdateParams",
            ],
        ),
        (
            "cosmos.distribution.v1beta1.Msg",
            &[
                "SetWithdrawAddress",
                "WithdrawDelegatorReward",
                "WithdrawValidatorCommission",
                "FundCommunityPool",
                "UpdateParams",
                "CommunityPoolSpend",
            ],
        ),
        ("cosmos.slashing.v1beta1.Msg", &["Unjail", "UpdateParams"]),
        ("salus.did.v1.Msg", &["CreateDid", "UpdateDid", "DeactivateDid", "UpdateParams"]),
        ("salus.token.v1.Msg", &["UpdateParams"]),
        ("cosmos.consensus.v1.Msg", &["UpdateParams"]),
        ("salus.auth.v1.Msg", &["UpdateParams"]),
        ("cosmos.gov.v1.Msg", &["SubmitProposal", "Vote", "VoteWeighted", "Deposit", "UpdateParams", "CancelProposal"]),
        ("cosmos.gov.v1beta1.Msg", &["SubmitProposal", "Vote", "VoteWeighted", "Deposit"]),
        ("cosmos.upgrade.v1beta1.Msg", &["SoftwareUpgrade", "CancelUpgrade"]),
    ];
    for (name, methods) in services {
        let service = pool.get_service_by_name(name).unwrap_or_else(|| panic!("{name} is not declared"));
        let package = service.package_name().to_owned();
        for method in *methods {
            let m = service
                .methods()
                .find(|m| m.name() == *method)
                .unwrap_or_else(|| panic!("{name}/{method} is not declared"));
            assert_eq!(m.input().full_name(), format!("{package}.Msg{method}"), "{name}/{method} request");
            assert_eq!(m.output().full_name(), format!("{package}.Msg{method}Response"), "{name}/{method} response");
        }
    }
    for name in ["cosmos.crypto.secp256k1.PubKey", "cosmos.crypto.ed25519.PubKey"] {
        assert!(pool.get_message_by_name(name).is_some(), "{name} is not declared");
    }
}

#[test]
fn consensus_and_tx_limit_updates() {
    use salus_proto::tendermint_proto::google::protobuf::Duration;
    use salus_proto::tendermint_proto::types as tm;
    roundtrip(&salus_proto::consensus::v1::MsgUpdateParams {
        authority: "salus1gov".into(),
        block: Some(tm::BlockParams { max_bytes: 4_194_304, max_gas: 500_000_000 }),
        evidence: Some(tm::EvidenceParams {
            max_age_num_blocks: 100_000,
            max_age_duration: Some(Duration { seconds: 172_800, nanos: 5 }),
            max_bytes: 1_048_576,
        }),
        validator: Some(tm::ValidatorParams { pub_key_types: vec!["ed25519".into()] }),
        abci: Some(tm::AbciParams { vote_extensions_enable_height: 7 }),
    });
    roundtrip(&salus_proto::salus::auth::v1::MsgUpdateParams {
        authority: "salus1gov".into(),
        params: Some(salus_proto::salus::auth::v1::Params {
            max_memo_characters: 1,
            max_tx_bytes: 2,
            max_gas_per_tx: 3,
            max_msgs_per_tx: 4,
        }),
    });
}
