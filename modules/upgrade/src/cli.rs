//! `salusd query upgrade ...` and `salusd tx upgrade software-upgrade | cancel-software-upgrade`:
//! shortcuts that submit a governance proposal carrying the upgrade message (an upgrade is only
//! ever scheduled by a passed proposal).

use clap::Subcommand;
use prost::Message;
use salus_proto::cosmos::gov::v1 as gov;
use salus_proto::cosmos::upgrade::v1beta1 as proto;
use salus_proto::Any;
use salus_sdk::cli::{self, CliCtx, GasPolicy, ModuleCli, QueryAnswer, TxRequest};
use salus_sdk::module::governance_authority;
use salus_sdk::{Coins, Module};

use crate::{Plan, UpgradeModule, UpgradeMsg};

#[derive(Debug, Subcommand)]
pub enum TxCmd {
    /// Submit a governance proposal that schedules a software upgrade at a height.
    #[command(name = "software-upgrade")]
    SoftwareUpgrade {
        /// Key name or address that submits the proposal and pays its deposit.
        from: String,
        /// The plan's name: the one the new binary's upgrade handler has.
        name: String,
        /// The height at which every node must run the new binary (well past the voting end).
        #[arg(long)]
        upgrade_height: u64,
        /// Where operators get the new binary (a URL, a release tag).
        #[arg(long, default_value = "")]
        upgrade_info: String,
        #[command(flatten)]
        proposal: ProposalArgs,
    },
    /// Submit a governance proposal that cancels the scheduled upgrade.
    #[command(name = "cancel-software-upgrade")]
    CancelSoftwareUpgrade {
        /// Key name or address that submits the proposal and pays its deposit.
        from: String,
        #[command(flatten)]
        proposal: ProposalArgs,
    },
}

/// What the proposal says besides its message.
#[derive(Debug, clap::Args)]
pub struct ProposalArgs {
    /// The proposal's title.
    #[arg(long)]
    title: String,
    /// The proposal's summary.
    #[arg(long)]
    summary: String,
    /// The initial deposit, e.g. 10000000usalus (the min deposit starts the vote at once).
    #[arg(long)]
    deposit: String,
    /// Metadata (a URL or a hash of a longer text).
    #[arg(long, default_value = "")]
    metadata: String,
    /// Vote on it in the shorter expedited period, at the higher threshold.
    #[arg(long)]
    expedited: bool,
}

impl ProposalArgs {
    fn submit(&self, proposer: &str, message: Any) -> anyhow::Result<Any> {
        let deposit: Coins = self
            .deposit
            .parse()
            .map_err(|e: salus_sdk::Error| anyhow::anyhow!("--deposit: {}: write e.g. 10000000usalus", e.message))?;
        Ok(salus_proto::to_any(&gov::MsgSubmitProposal {
            messages: vec![message],
            initial_deposit: deposit.to_proto(),
            proposer: proposer.to_string(),
            metadata: self.metadata.clone(),
            title: self.title.clone(),
            summary: self.summary.clone(),
            expedited: self.expedited,
        }))
    }
}

#[derive(Debug, Subcommand)]
pub enum QueryCmd {
    /// The scheduled upgrade plan, if any.
    Plan,
    /// The height at which an upgrade ran (0 if it never did).
    Applied { name: String },
    /// The governance account: the authority of upgrades and of every MsgUpdateParams.
    Authority,
}

impl ModuleCli for UpgradeModule {
    const GAS: GasPolicy = GasPolicy::Auto { adjustment_percent: 150 };

    fn tx_command() -> Option<clap::Command> {
        Some(cli::command::<TxCmd>(Self::NAME, "Software upgrades, proposed to governance"))
    }

    fn query_command() -> Option<clap::Command> {
        Some(cli::command::<QueryCmd>(Self::NAME, "The scheduled and the applied upgrade plans"))
    }

    fn tx(matches: &clap::ArgMatches, ctx: &dyn CliCtx) -> anyhow::Result<TxRequest> {
        let cmd: TxCmd = cli::parse(matches)?;
        let authority = governance_authority();
        let (from, proposal, message) = match &cmd {
            TxCmd::SoftwareUpgrade { from, name, upgrade_height, upgrade_info, proposal } => {
                let plan = Plan { name: name.clone(), height: *upgrade_height, info: upgrade_info.clone() };
                plan.validate().map_err(|e| anyhow::anyhow!(e.message))?;
                (from, proposal, UpgradeMsg::SoftwareUpgrade { authority, plan })
            }
            TxCmd::CancelSoftwareUpgrade { from, proposal } => {
                (from, proposal, UpgradeMsg::CancelUpgrade { authority })
            }
        };
        let proposer = ctx.key(from)?;
        Ok(TxRequest { signer: from.clone(), msgs: vec![proposal.submit(&proposer.to_string(), message.to_any())?] })
    }

    fn query(matches: &clap::ArgMatches, ctx: &dyn CliCtx) -> anyhow::Result<QueryAnswer> {
        let cmd: QueryCmd = cli::parse(matches)?;
        let value = match cmd {
            QueryCmd::Plan => {
                let bytes = ctx.query("/cosmos.upgrade.v1beta1.Query/CurrentPlan", Vec::new(), ctx.height())?;
                let plan = proto::QueryCurrentPlanResponse::decode(bytes.as_slice())?.plan;
                serde_json::json!({ "plan": plan.map(|p| serde_json::json!({
                    "name": p.name, "height": p.height.to_string(), "info": p.info,
                })) })
            }
            QueryCmd::Applied { name } => {
                let req = proto::QueryAppliedPlanRequest { name }.encode_to_vec();
                let bytes = ctx.query("/cosmos.upgrade.v1beta1.Query/AppliedPlan", req, ctx.height())?;
                let height = proto::QueryAppliedPlanResponse::decode(bytes.as_slice())?.height;
                serde_json::json!({ "height": height.to_string() })
            }
            QueryCmd::Authority => {
                let bytes = ctx.query("/cosmos.upgrade.v1beta1.Query/Authority", Vec::new(), ctx.height())?;
                let address = proto::QueryAuthorityResponse::decode(bytes.as_slice())?.address;
                serde_json::json!({ "address": address })
            }
        };
        Ok(QueryAnswer::json(value))
    }
}
