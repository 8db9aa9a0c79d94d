//! `salusd tx token ...` and `salusd query token ...`: the module's [`ModuleCli`]. The node
//! supplies keys, signing and transport; this file says what each command means.

use clap::Subcommand;
use prost::Message;
use salus_proto::cosmos::bank::v1beta1 as bank;
use salus_sdk::cli::{self, CliCtx, ModuleCli, QueryAnswer, TxRequest};
use salus_sdk::pagination::PageArgs;
use salus_sdk::{Address, Coins, Error, Module};

use crate::msgs::TokenMsg;

#[derive(Debug, Subcommand)]
pub enum TxCmd {
    /// Send coins from a key (name or address in the keyring) to an address.
    Send {
        /// Key name or address that signs and pays.
        from: String,
        /// Recipient address (salus1...).
        to: String,
        /// Coins, e.g. 1000usalus or 10usalus,5uatom.
        amount: String,
    },
    /// Send the same coins from one key to several addresses in one message.
    #[command(name = "multi-send")]
    MultiSend {
        /// Key name or address that signs and pays.
        from: String,
        /// Two or more recipient addresses, then the coins each receives.
        #[arg(num_args = 2.., required = true, value_name = "TO_ADDRESS... AMOUNT")]
        to_and_amount: Vec<String>,
        /// Divide the amount between the recipients instead of sending it to each.
        #[arg(long)]
        split: bool,
    },
}

impl TxCmd {
    pub fn from_key(&self) -> &str {
        match self {
            TxCmd::Send { from, .. } | TxCmd::MultiSend { from, .. } => from,
        }
    }

    /// The message this command sends, signed by `from`.
    pub fn to_msg(&self, from: Address) -> Result<TokenMsg, Error> {
        match self {
            TxCmd::Send { to, amount, .. } => {
                Ok(TokenMsg::Send { from, to: Address::parse("to address", to)?, amount: amount.parse()? })
            }
            TxCmd::MultiSend { to_and_amount, split, .. } => {
                let (amount, tos) = to_and_amount.split_last().expect("clap requires two or more values");
                let amount: Coins = amount.parse()?;
                let recipients = tos.iter().map(|t| Address::parse("to address", t)).collect::<Result<Vec<_>, _>>()?;
                let n = recipients.len() as u128;
                let each = if *split {
                    Coins::new(
                        amount
                            .iter()
                            .map(|c| salus_sdk::Coin::new(c.amount / n, c.denom.clone()))
                            .filter(|c| c.amount > 0)
                            .collect(),
                    )?
                } else {
                    amount
                };
                let mut total = Coins::empty();
                for _ in &recipients {
                    total = total.checked_add(&each)?;
                }
                Ok(TokenMsg::MultiSend {
                    inputs: vec![(from, total)],
                    outputs: recipients.into_iter().map(|r| (r, each.clone())).collect(),
                })
            }
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum QueryCmd {
    /// The balance of one denom held by an address.
    Balance { address: String, denom: String },
    /// The balances held by an address, by denom (a page at a time: --limit, --page-key with
    /// the next_key printed, --offset, --count-total, --reverse).
    Balances {
        address: String,
        #[command(flatten)]
        page: PageArgs,
    },
    /// Total supply of the denoms (a page at a time), or of one.
    Supply {
        denom: Option<String>,
        #[command(flatten)]
        page: PageArgs,
    },
    /// Metadata of the denoms (a page at a time), or of one.
    #[command(name = "denom-metadata")]
    DenomMetadata {
        denom: Option<String>,
        #[command(flatten)]
        page: PageArgs,
    },
}

/// A query as a gRPC method path and a protobuf request.
pub struct QueryRequest {
    pub path: &'static str,
    pub data: Vec<u8>,
}

impl QueryCmd {
    pub fn request(&self) -> Result<QueryRequest, Error> {
        let (path, data) = match self {
            QueryCmd::Balance { address, denom } => {
                Address::parse("address", address)?;
                (
                    "/cosmos.bank.v1beta1.Query/Balance",
                    bank::QueryBalanceRequest { address: address.clone(), denom: denom.clone() }.encode_to_vec(),
                )
            }
            QueryCmd::Balances { address, page } => {
                Address::parse("address", address)?;
                let pagination = Some(page.to_request()?);
                (
                    "/cosmos.bank.v1beta1.Query/AllBalances",
                    bank::QueryAllBalancesRequest { address: address.clone(), pagination, ..Default::default() }
                        .encode_to_vec(),
                )
            }
            QueryCmd::Supply { denom: Some(d), .. } => {
                ("/cosmos.bank.v1beta1.Query/SupplyOf", bank::QuerySupplyOfRequest { denom: d.clone() }.encode_to_vec())
            }
            QueryCmd::Supply { denom: None, page } => (
                "/cosmos.bank.v1beta1.Query/TotalSupply",
                bank::QueryTotalSupplyRequest { pagination: Some(page.to_request()?) }.encode_to_vec(),
            ),
            QueryCmd::DenomMetadata { denom: Some(d), .. } => (
                "/cosmos.bank.v1beta1.Query/DenomMetadata",
                bank::QueryDenomMetadataRequest { denom: d.clone() }.encode_to_vec(),
            ),
            QueryCmd::DenomMetadata { denom: None, page } => (
                "/cosmos.bank.v1beta1.Query/DenomsMetadata",
                bank::QueryDenomsMetadataRequest { pagination: Some(page.to_request()?) }.encode_to_vec(),
            ),
        };
        Ok(QueryRequest { path, data })
    }

    /// Decodes the response of [`Self::request`] into Cosmos JSON.
    pub fn response_json(&self, bytes: &[u8]) -> anyhow::Result<serde_json::Value> {
        fn json<M: Message + Default + serde::Serialize>(b: &[u8]) -> anyhow::Result<serde_json::Value> {
            Ok(serde_json::to_value(M::decode(b)?)?)
        }
        let mut v = match self {
            QueryCmd::Balance { .. } => json::<bank::QueryBalanceResponse>(bytes),
            QueryCmd::Balances { .. } => json::<bank::QueryAllBalancesResponse>(bytes),
            QueryCmd::Supply { denom: Some(_), .. } => json::<bank::QuerySupplyOfResponse>(bytes),
            QueryCmd::Supply { denom: None, .. } => json::<bank::QueryTotalSupplyResponse>(bytes),
            QueryCmd::DenomMetadata { denom: Some(_), .. } => json::<bank::QueryDenomMetadataResponse>(bytes),
            QueryCmd::DenomMetadata { denom: None, .. } => json::<bank::QueryDenomsMetadataResponse>(bytes),
        }?;
        salus_sdk::pagination::fill_page_json(&mut v);
        Ok(v)
    }
}

impl ModuleCli for crate::TokenModule {
    fn tx_command() -> Option<clap::Command> {
        Some(cli::command::<TxCmd>(Self::NAME, "Token transfers (cosmos.bank.v1beta1 messages)"))
    }

    fn query_command() -> Option<clap::Command> {
        Some(cli::command::<QueryCmd>(Self::NAME, "Balances, supply and denom metadata"))
    }

    fn tx(matches: &clap::ArgMatches, ctx: &dyn CliCtx) -> anyhow::Result<TxRequest> {
        let cmd: TxCmd = cli::parse(matches)?;
        let from = ctx.key(cmd.from_key())?;
        let msg = cmd.to_msg(from).map_err(|e| anyhow::anyhow!(e.message))?;
        Ok(TxRequest { signer: cmd.from_key().to_string(), msgs: vec![msg.to_any()] })
    }

    fn query(matches: &clap::ArgMatches, ctx: &dyn CliCtx) -> anyhow::Result<QueryAnswer> {
        let cmd: QueryCmd = cli::parse(matches)?;
        let req = cmd.request().map_err(|e| anyhow::anyhow!(e.message))?;
        let bytes = ctx.query(req.path, req.data, ctx.height())?;
        Ok(QueryAnswer::json(cmd.response_json(&bytes)?))
    }
}
