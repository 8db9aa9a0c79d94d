//! `salusd query consensus params`: CometBFT's params and the tx limits as the chain keeps them.

use clap::Subcommand;
use prost::Message;
use salus_proto::consensus::v1 as consensus;
use salus_proto::salus::auth::v1 as auth;
use salus_sdk::cli::{self, CliCtx, ModuleCli, QueryAnswer};

use crate::ConsensusModule;

#[derive(Subcommand, Debug)]
enum Query {
    /// CometBFT's consensus params (block, evidence, validator) and the tx limits.
    Params,
}

impl ModuleCli for ConsensusModule {
    fn query_command() -> Option<clap::Command> {
        Some(cli::command::<Query>(crate::NAME, "CometBFT's consensus params and the tx limits"))
    }

    fn query(matches: &clap::ArgMatches, ctx: &dyn CliCtx) -> anyhow::Result<QueryAnswer> {
        let Query::Params = cli::parse::<Query>(matches)?;
        let comet = consensus::QueryParamsResponse::decode(
            ctx.query("/cosmos.consensus.v1.Query/Params", Vec::new(), ctx.height())?.as_slice(),
        )?;
        let limits = auth::QueryParamsResponse::decode(
            ctx.query("/salus.auth.v1.Query/Params", Vec::new(), ctx.height())?.as_slice(),
        )?;
        let p = comet.params.unwrap_or_default();
        let block = p.block.unwrap_or_default();
        let evidence = p.evidence.unwrap_or_default();
        let age = evidence.max_age_duration.unwrap_or_default();
        let tx = limits.params.unwrap_or_default();
        let value = serde_json::json!({
            "block": { "max_bytes": block.max_bytes.to_string(), "max_gas": block.max_gas.to_string() },
            "evidence": {
                "max_age_num_blocks": evidence.max_age_num_blocks.to_string(),
                "max_age_duration": format!("{}s", age.seconds),
                "max_bytes": evidence.max_bytes.to_string(),
            },
            "validator": { "pub_key_types": p.validator.unwrap_or_default().pub_key_types },
            "tx_limits": {
                "max_memo_characters": tx.max_memo_characters.to_string(),
                "max_tx_bytes": tx.max_tx_bytes.to_string(),
                "max_gas_per_tx": tx.max_gas_per_tx.to_string(),
                "max_msgs_per_tx": tx.max_msgs_per_tx.to_string(),
            },
        });
        Ok(QueryAnswer::json(value))
    }
}
