//! `salusd tx staking|distribution|slashing ...` and `salusd query staking|distribution|slashing
//! ...`: the three modules' [`ModuleCli`]s. The node supplies keys, signing and transport; this
//! file says what each command means, and how much gas its txs ask for.

use clap::{Args, Subcommand};
use prost::Message;
use salus_proto::cosmos::distribution::v1beta1 as distr;
use salus_proto::cosmos::slashing::v1beta1 as slashing;
use salus_proto::cosmos::staking::v1beta1 as staking;
use salus_proto::Any;
use salus_sdk::address::{decode_with_prefix, VALCONS_PREFIX};
use salus_sdk::cli::{self, CliCtx, GasPolicy, ModuleCli, QueryAnswer, TxRequest};
use salus_sdk::pagination::PageArgs;
use salus_sdk::{Address, Coin, Error, Module, SdkCode};

use crate::msgs::{StakingMsg, DO_NOT_MODIFY};
use crate::types::{CommissionRates, Description};
use salus_sdk::dec::Dec;

#[derive(Debug, Clone, Args)]
pub struct DescriptionArgs {
    /// The validator's public name.
    #[arg(long)]
    pub moniker: Option<String>,
    /// Identity signature (e.g. a Keybase key id).
    #[arg(long)]
    pub identity: Option<String>,
    #[arg(long)]
    pub website: Option<String>,
    /// An email for security contact.
    #[arg(long)]
    pub security_contact: Option<String>,
    #[arg(long)]
    pub details: Option<String>,
}

impl DescriptionArgs {
    fn to_description(&self, unset: &str) -> Description {
        let f = |o: &Option<String>| o.clone().unwrap_or_else(|| unset.to_string());
        Description {
            moniker: f(&self.moniker),
            identity: f(&self.identity),
            website: f(&self.website),
            security_contact: f(&self.security_contact),
            details: f(&self.details),
        }
    }
}

/// What a new validator declares (create-validator and gentx).
#[derive(Debug, Clone, Args)]
pub struct ValidatorArgs {
    /// The node's ed25519 consensus key, base64 (default: --home's config/priv_validator_key.json).
    #[arg(long)]
    pub pubkey: Option<String>,
    #[command(flatten)]
    pub description: DescriptionArgs,
    /// Commission rate, e.g. 0.10.
    #[arg(long, default_value = "0.10")]
    pub commission_rate: String,
    /// The highest commission rate ever allowed.
    #[arg(long, default_value = "0.20")]
    pub commission_max_rate: String,
    /// The most the rate may change in one edit (one edit per 24h).
    #[arg(long, default_value = "0.01")]
    pub commission_max_change_rate: String,
    /// Below this self-delegation the validator is jailed.
    #[arg(long, default_value = "1")]
    pub min_self_delegation: String,
}

impl ValidatorArgs {
    /// The `MsgCreateValidator` for `operator` bonding `amount`.
    pub fn to_msg(
        &self,
        operator: Address,
        amount: &str,
        node_pubkey: impl Fn() -> anyhow::Result<[u8; 32]>,
    ) -> anyhow::Result<StakingMsg> {
        let e = |e: Error| anyhow::anyhow!(e.message);
        let mut description = self.description.to_description("");
        description.moniker = description.moniker.trim().to_string();
        if description.moniker.is_empty() {
            anyhow::bail!("--moniker is required: name the validator");
        }
        let pubkey = match &self.pubkey {
            Some(p) => parse_pubkey(p).map_err(e)?,
            None => node_pubkey()?,
        };
        Ok(StakingMsg::CreateValidator {
            operator,
            pubkey,
            description,
            commission: CommissionRates {
                rate: Dec::parse("--commission-rate", &self.commission_rate).map_err(e)?,
                max_rate: Dec::parse("--commission-max-rate", &self.commission_max_rate).map_err(e)?,
                max_change_rate: Dec::parse("--commission-max-change-rate", &self.commission_max_change_rate)
                    .map_err(e)?,
            },
            min_self_delegation: whole("min-self-delegation", &self.min_self_delegation).map_err(e)?,
            value: coin("amount", amount).map_err(e)?,
        })
    }
}

#[derive(Debug, Subcommand)]
pub enum StakingTxCmd {
    /// Make a key's account a validator, bonding its own stake to the node's consensus key.
    #[command(name = "create-validator")]
    CreateValidator {
        /// Key name or address of the operator (signs, pays and self-delegates).
        from: String,
        /// Self-delegation, e.g. 100000000usalus.
        #[arg(long)]
        amount: String,
        #[command(flatten)]
        validator: ValidatorArgs,
    },
    /// Change a validator's description, commission rate (once per 24h) or minimum self-delegation.
    #[command(name = "edit-validator")]
    EditValidator {
        /// Key name or address of the operator.
        from: String,
        #[command(flatten)]
        description: DescriptionArgs,
        #[arg(long)]
        commission_rate: Option<String>,
        #[arg(long)]
        min_self_delegation: Option<String>,
    },
    /// Bond tokens to a validator.
    Delegate {
        /// Key name or address of the delegator.
        from: String,
        /// Validator operator address (salusvaloper1...).
        validator: String,
        /// e.g. 1000000usalus.
        amount: String,
    },
    /// Start unbonding tokens from a validator; they arrive after the unbonding period.
    Unbond { from: String, validator: String, amount: String },
    /// Move bonded tokens from one validator to another at once.
    Redelegate {
        from: String,
        /// Source validator (salusvaloper1...).
        src_validator: String,
        /// Destination validator (salusvaloper1...).
        dst_validator: String,
        amount: String,
    },
    /// Return tokens that are unbonding to the validator they came from.
    #[command(name = "cancel-unbond")]
    CancelUnbond {
        from: String,
        validator: String,
        amount: String,
        /// The height the unbonding began (see `query staking unbonding-delegation`).
        creation_height: u64,
    },
}

#[derive(Debug, Subcommand)]
pub enum DistributionTxCmd {
    /// Withdraw a delegation's rewards (and, with --commission, the validator's commission).
    #[command(name = "withdraw-rewards")]
    WithdrawRewards {
        /// Key name or address of the delegator.
        from: String,
        /// Validator operator address (salusvaloper1...).
        validator: String,
        /// Also withdraw the commission (the key must be the validator's operator).
        #[arg(long)]
        commission: bool,
    },
    /// Have rewards (and commission) paid to another address.
    #[command(name = "set-withdraw-addr")]
    SetWithdrawAddr {
        /// Key name or address of the delegator.
        from: String,
        /// Where rewards go from now on (salus1...).
        withdraw_address: String,
    },
    /// Give coins to the community pool.
    #[command(name = "fund-community-pool")]
    FundCommunityPool {
        /// Key name or address that gives.
        from: String,
        /// e.g. 1000000usalus.
        amount: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum SlashingTxCmd {
    /// Bring a jailed validator back once its jail time is over.
    Unjail {
        /// Key name or address of the operator.
        from: String,
    },
}

/// Any of the three groups' tx commands.
pub enum TxCmd<'a> {
    Staking(&'a StakingTxCmd),
    Distribution(&'a DistributionTxCmd),
    Slashing(&'a SlashingTxCmd),
}

fn coin(field: &str, s: &str) -> Result<Coin, Error> {
    s.parse().map_err(|e: Error| Error { message: format!("{field}: {}", e.message), ..e })
}

fn valoper(field: &str, s: &str) -> Result<Address, Error> {
    Address::parse_valoper(field, s)
}

fn whole(field: &str, s: &str) -> Result<u128, Error> {
    s.parse().map_err(|_| Error::sdk(SdkCode::InvalidRequest, format!("--{field}: `{s}` is not a whole number")))
}

/// Parses a base64 ed25519 public key.
pub fn parse_pubkey(s: &str) -> Result<[u8; 32], Error> {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(s.trim())
        .map_err(|_| Error::sdk(SdkCode::InvalidPubKey, "--pubkey is not base64"))?;
    bytes.try_into().map_err(|_| Error::sdk(SdkCode::InvalidPubKey, "--pubkey must be a 32-byte ed25519 key"))
}

impl TxCmd<'_> {
    pub fn from_key(&self) -> &str {
        match self {
            TxCmd::Staking(c) => match c {
                StakingTxCmd::CreateValidator { from, .. }
                | StakingTxCmd::EditValidator { from, .. }
                | StakingTxCmd::Delegate { from, .. }
                | StakingTxCmd::Unbond { from, .. }
                | StakingTxCmd::Redelegate { from, .. }
                | StakingTxCmd::CancelUnbond { from, .. } => from,
            },
            TxCmd::Distribution(
                DistributionTxCmd::WithdrawRewards { from, .. }
                | DistributionTxCmd::SetWithdrawAddr { from, .. }
                | DistributionTxCmd::FundCommunityPool { from, .. },
            ) => from,
            TxCmd::Slashing(SlashingTxCmd::Unjail { from }) => from,
        }
    }

    /// The messages this command sends, signed by `from`. `node_pubkey` reads the consensus key
    /// of the node home when `--pubkey` is not given.
    pub fn to_msgs(
        &self,
        from: Address,
        node_pubkey: impl Fn() -> anyhow::Result<[u8; 32]>,
    ) -> anyhow::Result<Vec<Any>> {
        let e = |e: Error| anyhow::anyhow!(e.message);
        let msg = match self {
            TxCmd::Staking(StakingTxCmd::CreateValidator { amount, validator, .. }) => {
                validator.to_msg(from, amount, node_pubkey)?
            }
            TxCmd::Staking(StakingTxCmd::EditValidator {
                description, commission_rate, min_self_delegation, ..
            }) => StakingMsg::EditValidator {
                operator: from,
                description: description.to_description(DO_NOT_MODIFY),
                commission_rate: commission_rate
                    .as_deref()
                    .map(|r| Dec::parse("--commission-rate", r))
                    .transpose()
                    .map_err(e)?,
                min_self_delegation: min_self_delegation
                    .as_deref()
                    .map(|m| whole("min-self-delegation", m))
                    .transpose()
                    .map_err(e)?,
            },
            TxCmd::Staking(StakingTxCmd::Delegate { validator, amount, .. }) => StakingMsg::Delegate {
                delegator: from,
                validator: valoper("validator", validator).map_err(e)?,
                amount: coin("amount", amount).map_err(e)?,
            },
            TxCmd::Staking(StakingTxCmd::Unbond { validator, amount, .. }) => StakingMsg::Undelegate {
                delegator: from,
                validator: valoper("validator", validator).map_err(e)?,
                amount: coin("amount", amount).map_err(e)?,
            },
            TxCmd::Staking(StakingTxCmd::Redelegate { src_validator, dst_validator, amount, .. }) => {
                StakingMsg::Redelegate {
                    delegator: from,
                    src: valoper("source validator", src_validator).map_err(e)?,
                    dst: valoper("destination validator", dst_validator).map_err(e)?,
                    amount: coin("amount", amount).map_err(e)?,
                }
            }
            TxCmd::Staking(StakingTxCmd::CancelUnbond { validator, amount, creation_height, .. }) => {
                StakingMsg::CancelUnbonding {
                    delegator: from,
                    validator: valoper("validator", validator).map_err(e)?,
                    amount: coin("amount", amount).map_err(e)?,
                    creation_height: *creation_height,
                }
            }
            TxCmd::Distribution(DistributionTxCmd::WithdrawRewards { validator, commission, .. }) => {
                let validator = valoper("validator", validator).map_err(e)?;
                let mut msgs = vec![StakingMsg::WithdrawReward { delegator: from, validator }.to_any()];
                if *commission {
                    if validator != from {
                        anyhow::bail!(
                            "--commission: {from} is not the operator of {}; only the operator withdraws commission",
                            validator.to_valoper()
                        );
                    }
                    msgs.push(StakingMsg::WithdrawCommission { operator: validator }.to_any());
                }
                return Ok(msgs);
            }
            TxCmd::Distribution(DistributionTxCmd::SetWithdrawAddr { withdraw_address, .. }) => {
                StakingMsg::SetWithdrawAddress {
                    delegator: from,
                    withdraw_address: Address::parse("withdraw address", withdraw_address).map_err(e)?,
                }
            }
            TxCmd::Distribution(DistributionTxCmd::FundCommunityPool { amount, .. }) => StakingMsg::FundCommunityPool {
                depositor: from,
                amount: amount.parse().map_err(|x: Error| anyhow::anyhow!("amount: {}", x.message))?,
            },
            TxCmd::Slashing(SlashingTxCmd::Unjail { .. }) => StakingMsg::Unjail { operator: from },
        };
        Ok(vec![msg.to_any()])
    }
}

#[derive(Debug, Subcommand)]
pub enum StakingQueryCmd {
    /// Validators by operator address, or those of one status (a page at a time: --limit,
    /// --page-key with the next_key printed, --offset, --count-total, --reverse).
    Validators {
        /// bonded, unbonding or unbonded.
        #[arg(long, value_parser = ["bonded", "unbonding", "unbonded"])]
        status: Option<String>,
        #[command(flatten)]
        page: PageArgs,
    },
    /// One validator by operator address.
    Validator { validator: String },
    /// A delegator's delegation to one validator.
    Delegation { delegator: String, validator: String },
    /// A delegator's delegations (a page at a time).
    Delegations {
        delegator: String,
        #[command(flatten)]
        page: PageArgs,
    },
    /// The delegations to a validator (a page at a time).
    #[command(name = "delegations-to")]
    DelegationsTo {
        validator: String,
        #[command(flatten)]
        page: PageArgs,
    },
    /// A delegator's unbonding entries with one validator.
    #[command(name = "unbonding-delegation")]
    UnbondingDelegation { delegator: String, validator: String },
    /// A delegator's unbonding delegations (a page at a time).
    #[command(name = "unbonding-delegations")]
    UnbondingDelegations {
        delegator: String,
        #[command(flatten)]
        page: PageArgs,
    },
    /// A delegator's redelegations in flight (a page at a time).
    Redelegations {
        delegator: String,
        #[command(flatten)]
        page: PageArgs,
    },
    /// Bonded and not-bonded tokens.
    Pool,
    /// Staking parameters.
    Params,
    /// The header time and validator set recorded at a height.
    #[command(name = "historical-info")]
    HistoricalInfo { height: u64 },
}

#[derive(Debug, Subcommand)]
pub enum DistributionQueryCmd {
    /// A delegator's unpaid rewards from every validator, or from one.
    Rewards { delegator: String, validator: Option<String> },
    /// A validator's unpaid commission.
    Commission { validator: String },
    /// Everything allocated to a validator and not yet paid (commission included).
    #[command(name = "outstanding-rewards")]
    OutstandingRewards { validator: String },
    /// The community pool.
    #[command(name = "community-pool")]
    CommunityPool,
    /// Distribution parameters.
    Params,
}

#[derive(Debug, Subcommand)]
pub enum SlashingQueryCmd {
    /// Liveness of one validator, by consensus address (salusvalcons1...) or operator address
    /// (salusvaloper1...).
    #[command(name = "signing-info")]
    SigningInfo { address: String },
    /// Liveness of the validators that were ever bonded, by consensus address (a page at a time).
    #[command(name = "signing-infos")]
    SigningInfos {
        #[command(flatten)]
        page: PageArgs,
    },
    /// Slashing parameters.
    Params,
}

/// Any of the three groups' query commands.
pub enum QueryCmd<'a> {
    Staking(&'a StakingQueryCmd),
    Distribution(&'a DistributionQueryCmd),
    Slashing(&'a SlashingQueryCmd),
}

/// A query as a gRPC method path and a protobuf request.
pub struct QueryRequest {
    pub path: &'static str,
    pub data: Vec<u8>,
}

fn req(path: &'static str, m: impl Message) -> QueryRequest {
    QueryRequest { path, data: m.encode_to_vec() }
}

fn check_acc(s: &str) -> Result<String, Error> {
    Address::parse("delegator", s).map(|a| a.to_string())
}

fn check_val(s: &str) -> Result<String, Error> {
    valoper("validator", s).map(|a| a.to_valoper())
}

/// The `salusvalcons1...` address of a consensus key.
pub fn cons_address_of(pubkey: &[u8; 32]) -> String {
    Address(crate::types::consensus_address(pubkey)).to_bech32(VALCONS_PREFIX)
}

impl QueryCmd<'_> {
    /// A `salusvaloper1...` the command was given where a consensus address is asked for: the
    /// validator is looked up first, then asked for with its consensus address.
    pub fn operator_for_cons_address(&self) -> Option<&str> {
        match self {
            QueryCmd::Slashing(SlashingQueryCmd::SigningInfo { address })
                if address.starts_with(salus_sdk::address::VALOPER_PREFIX) =>
            {
                Some(address)
            }
            _ => None,
        }
    }

    pub fn request(&self) -> Result<QueryRequest, Error> {
        use DistributionQueryCmd as D;
        use SlashingQueryCmd as Sl;
        use StakingQueryCmd as S;
        Ok(match self {
            QueryCmd::Staking(c) => match c {
                S::Validators { status, page } => req(
                    "/cosmos.staking.v1beta1.Query/Validators",
                    staking::QueryValidatorsRequest {
                        status: status
                            .as_ref()
                            .map(|s| format!("BOND_STATUS_{}", s.to_uppercase()))
                            .unwrap_or_default(),
                        pagination: Some(page.to_request()?),
                    },
                ),
                S::Validator { validator } => req(
                    "/cosmos.staking.v1beta1.Query/Validator",
                    staking::QueryValidatorRequest { validator_addr: check_val(validator)? },
                ),
                S::Delegation { delegator, validator } => req(
                    "/cosmos.staking.v1beta1.Query/Delegation",
                    staking::QueryDelegationRequest {
                        delegator_addr: check_acc(delegator)?,
                        validator_addr: check_val(validator)?,
                    },
                ),
                S::Delegations { delegator, page } => req(
                    "/cosmos.staking.v1beta1.Query/DelegatorDelegations",
                    staking::QueryDelegatorDelegationsRequest {
                        delegator_addr: check_acc(delegator)?,
                        pagination: Some(page.to_request()?),
                    },
                ),
                S::DelegationsTo { validator, page } => req(
                    "/cosmos.staking.v1beta1.Query/ValidatorDelegations",
                    staking::QueryValidatorDelegationsRequest {
                        validator_addr: check_val(validator)?,
                        pagination: Some(page.to_request()?),
                    },
                ),
                S::UnbondingDelegation { delegator, validator } => req(
                    "/cosmos.staking.v1beta1.Query/UnbondingDelegation",
                    staking::QueryUnbondingDelegationRequest {
                        delegator_addr: check_acc(delegator)?,
                        validator_addr: check_val(validator)?,
                    },
                ),
                S::UnbondingDelegations { delegator, page } => req(
                    "/cosmos.staking.v1beta1.Query/DelegatorUnbondingDelegations",
                    staking::QueryDelegatorUnbondingDelegationsRequest {
                        delegator_addr: check_acc(delegator)?,
                        pagination: Some(page.to_request()?),
                    },
                ),
                S::Redelegations { delegator, page } => req(
                    "/cosmos.staking.v1beta1.Query/Redelegations",
                    staking::QueryRedelegationsRequest {
                        delegator_addr: check_acc(delegator)?,
                        pagination: Some(page.to_request()?),
                        ..Default::default()
                    },
                ),
                S::Pool => req("/cosmos.staking.v1beta1.Query/Pool", staking::QueryPoolRequest {}),
                S::Params => req("/cosmos.staking.v1beta1.Query/Params", staking::QueryParamsRequest {}),
                S::HistoricalInfo { height } => req(
                    "/cosmos.staking.v1beta1.Query/HistoricalInfo",
                    staking::QueryHistoricalInfoRequest { height: *height as i64 },
                ),
            },
            QueryCmd::Distribution(c) => match c {
                D::Rewards { delegator, validator: Some(v) } => req(
                    "/cosmos.distribution.v1beta1.Query/DelegationRewards",
                    distr::QueryDelegationRewardsRequest {
                        delegator_address: check_acc(delegator)?,
                        validator_address: check_val(v)?,
                    },
                ),
                D::Rewards { delegator, validator: None } => req(
                    "/cosmos.distribution.v1beta1.Query/DelegationTotalRewards",
                    distr::QueryDelegationTotalRewardsRequest { delegator_address: check_acc(delegator)? },
                ),
                D::Commission { validator } => req(
                    "/cosmos.distribution.v1beta1.Query/ValidatorCommission",
                    distr::QueryValidatorCommissionRequest { validator_address: check_val(validator)? },
                ),
                D::OutstandingRewards { validator } => req(
                    "/cosmos.distribution.v1beta1.Query/ValidatorOutstandingRewards",
                    distr::QueryValidatorOutstandingRewardsRequest { validator_address: check_val(validator)? },
                ),
                D::CommunityPool => {
                    req("/cosmos.distribution.v1beta1.Query/CommunityPool", distr::QueryCommunityPoolRequest {})
                }
                D::Params => req("/cosmos.distribution.v1beta1.Query/Params", distr::QueryParamsRequest {}),
            },
            QueryCmd::Slashing(c) => match c {
                Sl::SigningInfo { address } => {
                    decode_with_prefix(address, VALCONS_PREFIX)?;
                    req(
                        "/cosmos.slashing.v1beta1.Query/SigningInfo",
                        slashing::QuerySigningInfoRequest { cons_address: address.clone() },
                    )
                }
                Sl::SigningInfos { page } => req(
                    "/cosmos.slashing.v1beta1.Query/SigningInfos",
                    slashing::QuerySigningInfosRequest { pagination: Some(page.to_request()?) },
                ),
                Sl::Params => req("/cosmos.slashing.v1beta1.Query/Params", slashing::QueryParamsRequest {}),
            },
        })
    }

    /// Decodes the response of [`Self::request`] into Cosmos JSON, decimals written as decimals.
    pub fn response_json(&self, bytes: &[u8]) -> anyhow::Result<serde_json::Value> {
        fn json<M: Message + Default + serde::Serialize>(b: &[u8]) -> anyhow::Result<serde_json::Value> {
            Ok(serde_json::to_value(M::decode(b)?)?)
        }
        use DistributionQueryCmd as D;
        use SlashingQueryCmd as Sl;
        use StakingQueryCmd as S;
        let mut v = match self {
            QueryCmd::Staking(c) => match c {
                S::Validators { .. } => json::<staking::QueryValidatorsResponse>(bytes),
                S::Validator { .. } => json::<staking::QueryValidatorResponse>(bytes),
                S::Delegation { .. } => json::<staking::QueryDelegationResponse>(bytes),
                S::Delegations { .. } => json::<staking::QueryDelegatorDelegationsResponse>(bytes),
                S::DelegationsTo { .. } => json::<staking::QueryValidatorDelegationsResponse>(bytes),
                S::UnbondingDelegation { .. } => json::<staking::QueryUnbondingDelegationResponse>(bytes),
                S::UnbondingDelegations { .. } => json::<staking::QueryDelegatorUnbondingDelegationsResponse>(bytes),
                S::Redelegations { .. } => json::<staking::QueryRedelegationsResponse>(bytes),
                S::Pool => json::<staking::QueryPoolResponse>(bytes),
                S::Params => json::<staking::QueryParamsResponse>(bytes),
                S::HistoricalInfo { .. } => json::<staking::QueryHistoricalInfoResponse>(bytes),
            },
            QueryCmd::Distribution(c) => match c {
                D::Rewards { validator: Some(_), .. } => json::<distr::QueryDelegationRewardsResponse>(bytes),
                D::Rewards { validator: None, .. } => json::<distr::QueryDelegationTotalRewardsResponse>(bytes),
                D::Commission { .. } => json::<distr::QueryValidatorCommissionResponse>(bytes),
                D::OutstandingRewards { .. } => json::<distr::QueryValidatorOutstandingRewardsResponse>(bytes),
                D::CommunityPool => json::<distr::QueryCommunityPoolResponse>(bytes),
                D::Params => json::<distr::QueryParamsResponse>(bytes),
            },
            QueryCmd::Slashing(c) => match c {
                Sl::SigningInfo { .. } => json::<slashing::QuerySigningInfoResponse>(bytes),
                Sl::SigningInfos { .. } => json::<slashing::QuerySigningInfosResponse>(bytes),
                Sl::Params => json::<slashing::QueryParamsResponse>(bytes),
            },
        }?;
        let dec_coins = matches!(self, QueryCmd::Distribution(_));
        readable_decimals(&mut v, dec_coins);
        salus_sdk::pagination::fill_page_json(&mut v);
        Ok(v)
    }
}

/// Protobuf carries decimals as 18-place atomics (and slashing's as base64 bytes of them); people
/// read `0.050000000000000000`.
fn readable_decimals(v: &mut serde_json::Value, dec_coins: bool) {
    const DEC_FIELDS: [&str; 8] = [
        "delegatorShares",
        "shares",
        "rate",
        "maxRate",
        "maxChangeRate",
        "minCommissionRate",
        "sharesDst",
        "communityTax",
    ];
    const DEC_BYTES: [&str; 3] = ["minSignedPerWindow", "slashFractionDoubleSign", "slashFractionDowntime"];
    match v {
        serde_json::Value::Object(map) => {
            for (k, val) in map.iter_mut() {
                if let serde_json::Value::String(s) = val {
                    if DEC_FIELDS.contains(&k.as_str()) || (dec_coins && k == "amount") {
                        if let Ok(d) = Dec::from_proto(k, s) {
                            *s = d.to_string();
                        }
                    } else if DEC_BYTES.contains(&k.as_str()) {
                        use base64::Engine;
                        let raw = base64::engine::general_purpose::STANDARD.decode(s.as_bytes()).unwrap_or_default();
                        if let Ok(d) = Dec::from_proto(k, &String::from_utf8_lossy(&raw)) {
                            *s = d.to_string();
                        }
                    }
                } else {
                    readable_decimals(val, dec_coins);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(|i| readable_decimals(i, dec_coins)),
        _ => {}
    }
}

/// Staking, distribution and slashing messages write more state than a transfer, and pay out
/// rewards that accrue between simulation and block: simulate, and ask for half as much again.
const GAS: GasPolicy = GasPolicy::Auto { adjustment_percent: 150 };

/// A tx of any of the three groups: the messages, signed by the command's key.
fn tx_request(ctx: &dyn CliCtx, cmd: TxCmd<'_>) -> anyhow::Result<TxRequest> {
    let from = ctx.key(cmd.from_key())?;
    let msgs = cmd.to_msgs(from, || ctx.consensus_pubkey())?;
    Ok(TxRequest { signer: cmd.from_key().to_string(), msgs })
}

/// Runs a query of any of the three groups. An operator address where a consensus address is
/// asked for (signing-info): the validator is looked up first, then asked for by its consensus
/// address.
fn query(ctx: &dyn CliCtx, cmd: QueryCmd<'_>) -> anyhow::Result<QueryAnswer> {
    let height = ctx.height();
    let by_cons;
    let cmd = match cmd.operator_for_cons_address() {
        Some(operator) => {
            let validator = StakingQueryCmd::Validator { validator: operator.to_string() };
            let req = QueryCmd::Staking(&validator).request().map_err(|e| anyhow::anyhow!(e.message))?;
            let bytes = ctx.query(req.path, req.data, height)?;
            let v = staking::QueryValidatorResponse::decode(bytes.as_slice())?;
            let pubkey = crate::msgs::ed25519_pubkey(v.validator.and_then(|v| v.consensus_pubkey).as_ref())
                .map_err(|e| anyhow::anyhow!(e.message))?;
            by_cons = SlashingQueryCmd::SigningInfo { address: cons_address_of(&pubkey) };
            QueryCmd::Slashing(&by_cons)
        }
        None => cmd,
    };
    let req = cmd.request().map_err(|e| anyhow::anyhow!(e.message))?;
    let bytes = ctx.query(req.path, req.data, height)?;
    Ok(QueryAnswer::json(cmd.response_json(&bytes)?))
}

impl ModuleCli for crate::StakingModule {
    const GAS: GasPolicy = GAS;

    fn tx_command() -> Option<clap::Command> {
        Some(cli::command::<StakingTxCmd>(Self::NAME, "Validators and delegations (cosmos.staking.v1beta1 messages)"))
    }

    fn query_command() -> Option<clap::Command> {
        Some(cli::command::<StakingQueryCmd>(
            Self::NAME,
            "Validators, delegations, unbondings, the pool and staking parameters",
        ))
    }

    fn tx(matches: &clap::ArgMatches, ctx: &dyn CliCtx) -> anyhow::Result<TxRequest> {
        tx_request(ctx, TxCmd::Staking(&cli::parse(matches)?))
    }

    fn query(matches: &clap::ArgMatches, ctx: &dyn CliCtx) -> anyhow::Result<QueryAnswer> {
        query(ctx, QueryCmd::Staking(&cli::parse(matches)?))
    }
}

impl ModuleCli for crate::DistributionModule {
    const GAS: GasPolicy = GAS;

    fn tx_command() -> Option<clap::Command> {
        Some(cli::command::<DistributionTxCmd>(
            Self::NAME,
            "Rewards and commission (cosmos.distribution.v1beta1 messages)",
        ))
    }

    fn query_command() -> Option<clap::Command> {
        Some(cli::command::<DistributionQueryCmd>(
            Self::NAME,
            "Rewards, commission, the community pool and distribution parameters",
        ))
    }

    fn tx(matches: &clap::ArgMatches, ctx: &dyn CliCtx) -> anyhow::Result<TxRequest> {
        tx_request(ctx, TxCmd::Distribution(&cli::parse(matches)?))
    }

    fn query(matches: &clap::ArgMatches, ctx: &dyn CliCtx) -> anyhow::Result<QueryAnswer> {
        query(ctx, QueryCmd::Distribution(&cli::parse(matches)?))
    }
}

impl ModuleCli for crate::SlashingModule {
    const GAS: GasPolicy = GAS;

    fn tx_command() -> Option<clap::Command> {
        Some(cli::command::<SlashingTxCmd>(Self::NAME, "Unjailing (cosmos.slashing.v1beta1 messages)"))
    }

    fn query_command() -> Option<clap::Command> {
        Some(cli::command::<SlashingQueryCmd>(
            Self::NAME,
            "Validators' liveness (signing info) and slashing parameters",
        ))
    }

    fn tx(matches: &clap::ArgMatches, ctx: &dyn CliCtx) -> anyhow::Result<TxRequest> {
        tx_request(ctx, TxCmd::Slashing(&cli::parse(matches)?))
    }

    fn query(matches: &clap::ArgMatches, ctx: &dyn CliCtx) -> anyhow::Result<QueryAnswer> {
        query(ctx, QueryCmd::Slashing(&cli::parse(matches)?))
    }
}
