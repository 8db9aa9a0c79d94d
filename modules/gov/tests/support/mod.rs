//! What the governance scenarios share: a chain with three validators and short periods, and
//! signed governance txs.

#![allow(dead_code)]

use salus_gov::msgs::Wire;
use salus_gov::{GovMsg, GovRead, Params, Proposal, WeightedOption};
use salus_node::app::pipeline::TxOutcome;
use salus_proto::Any;
use salus_sdk::module::governance_authority;
use salus_sdk::{Coins, Dec};
pub use salus_testkit::*;

pub const MILLION: u128 = 1_000_000;
/// Seconds (blocks are a second apart).
pub const VOTING: u64 = 10;
pub const EXPEDITED_VOTING: u64 = 4;
pub const DEPOSIT_PERIOD: u64 = 10;

/// The params the scenarios start from: short periods, the default deposits and ratios.
pub fn test_params() -> Params {
    Params {
        voting_period_secs: VOTING,
        expedited_voting_period_secs: EXPEDITED_VOTING,
        max_deposit_period_secs: DEPOSIT_PERIOD,
        ..Params::default()
    }
}

pub struct Gov {
    pub chain: TestChain,
    pub validators: Vec<GenesisValidator>,
}

/// Three validators of `stakes` (keys 11, 12, 13) and users 1 and 2 with 1000 SALUS each.
pub fn gov_chain(stakes: &[u128], edit: impl FnOnce(&mut Params)) -> Gov {
    let validators: Vec<GenesisValidator> =
        stakes.iter().enumerate().map(|(i, s)| GenesisValidator::new(11 + i as u8, *s)).collect();
    let mut params = test_params();
    edit(&mut params);
    let mut builder =
        GenesisBuilder::new().fund(&key(1).address, 1_000 * MILLION).fund(&key(2).address, 1_000 * MILLION);
    for v in &validators {
        builder = builder.validator(v);
    }
    // The node's genesis types are another copy of this crate's (a dev-dependency cycle): edit
    // the JSON.
    let mut genesis: serde_json::Value = serde_json::from_str(&builder.json()).unwrap();
    genesis["gov"]["params"] = serde_json::to_value(&params).unwrap();
    Gov { chain: TestChain::with_genesis(&genesis.to_string()), validators }
}

pub fn coins(amount: u128) -> Coins {
    Coins::new(vec![usalus(amount)]).unwrap()
}

pub fn update_params_msg(params: &Params) -> Any {
    GovMsg::UpdateParams { authority: governance_authority(), params: params.clone() }.to_any()
}

pub fn submit_msg(from: &Key, messages: Vec<Any>, deposit: u128, expedited: bool) -> Any {
    GovMsg::SubmitProposal {
        proposer: from.address,
        messages,
        initial_deposit: if deposit == 0 { Coins::empty() } else { coins(deposit) },
        metadata: String::new(),
        title: "Raise the quorum".into(),
        summary: "A test proposal.".into(),
        expedited,
        wire: Wire::V1,
    }
    .to_any()
}

pub fn vote_msg(from: &Key, id: u64, option: salus_gov::VoteOption) -> Any {
    GovMsg::Vote {
        proposal_id: id,
        voter: from.address,
        options: vec![WeightedOption { option, weight: Dec::ONE }],
        metadata: String::new(),
        wire: Wire::V1,
    }
    .to_any()
}

pub fn deposit_msg(from: &Key, id: u64, amount: u128) -> Any {
    GovMsg::Deposit { proposal_id: id, depositor: from.address, amount: coins(amount), wire: Wire::V1 }.to_any()
}

/// The proposal id a submit tx's events name.
pub fn proposal_id(out: &TxOutcome) -> u64 {
    assert_code(out, "", 0);
    out.events
        .iter()
        .find(|e| e.kind == "submit_proposal")
        .and_then(|e| e.get("proposal_id"))
        .expect("a submit_proposal event")
        .parse()
        .unwrap()
}

impl Gov {
    pub fn submit(&mut self, from: &Key, messages: Vec<Any>, deposit: u128, expedited: bool) -> u64 {
        let out = self.chain.exec(from, submit_msg(from, messages, deposit, expedited));
        proposal_id(&out)
    }

    pub fn vote(&mut self, from: &Key, id: u64, option: salus_gov::VoteOption) {
        assert_code(&self.chain.exec(from, vote_msg(from, id, option)), "", 0);
    }

    /// Every validator votes `options[i]` in one block (`None`: it does not vote).
    pub fn validators_vote(&mut self, id: u64, options: &[Option<salus_gov::VoteOption>]) {
        let txs: Vec<Vec<u8>> = self
            .validators
            .iter()
            .zip(options)
            .filter_map(|(v, o)| {
                o.map(|o| sign(&v.operator, vec![vote_msg(&v.operator, id, o)], &self.chain.staking_spec(&v.operator)))
            })
            .collect();
        for out in self.chain.block(txs) {
            assert_code(&out, "", 0);
        }
    }

    pub fn proposal(&self, id: u64) -> Option<Proposal> {
        self.chain.snapshot().proposal(id).unwrap()
    }

    pub fn params(&self) -> Params {
        self.chain.snapshot().gov_params().unwrap()
    }

    /// Runs blocks until an end block decides the proposal (its `proposal_result` event);
    /// returns that result.
    pub fn until_decided(&mut self, id: u64) -> String {
        for _ in 0..VOTING + DEPOSIT_PERIOD + 5 {
            self.chain.block(Vec::new());
            let id = id.to_string();
            if let Some(e) = self
                .chain
                .block_events
                .iter()
                .find(|e| e.get("proposal_id") == Some(id.as_str()) && e.get("proposal_result").is_some())
            {
                return e.get("proposal_result").unwrap().to_string();
            }
        }
        panic!("proposal {id} was not decided");
    }

    /// The end-block events of kind `active_proposal` / `inactive_proposal` of the last block.
    pub fn results(&self) -> Vec<String> {
        self.chain.block_events.iter().filter_map(|e| e.get("proposal_result").map(str::to_string)).collect()
    }
}
