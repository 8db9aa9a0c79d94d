//! Governance helpers for tests of anything governance changes: a chain of validators with a
//! short voting period, and a proposal passed by all of them.

use salus_gov::msgs::Wire;
use salus_gov::{GovMsg, VoteOption, WeightedOption};
use salus_proto::Any;
use salus_sdk::Dec;

use crate::chain::TestChain;
use crate::genesis::GenesisBuilder;
use crate::keys::{key, GenesisValidator};
use crate::tx::{assert_code, sign};

/// Seconds (blocks are a second apart) a proposal of [`gov_test_chain`] votes.
pub const TEST_VOTING_SECS: u64 = 5;

/// Three validators of 100 SALUS each (keys 11 to 13), key 1 funded with 1000 SALUS, and a
/// voting period of [`TEST_VOTING_SECS`].
pub fn gov_test_chain() -> (TestChain, Vec<GenesisValidator>) {
    let validators: Vec<GenesisValidator> = (11..14).map(|n| GenesisValidator::new(n, 100_000_000)).collect();
    let mut builder = GenesisBuilder::new().fund(&key(1).address, 1_000_000_000);
    for v in &validators {
        builder = builder.validator(v);
    }
    let genesis = builder
        .edit(|g| {
            g.gov.params.voting_period_secs = TEST_VOTING_SECS;
            g.gov.params.expedited_voting_period_secs = TEST_VOTING_SECS / 2;
        })
        .build();
    (TestChain::with_app_genesis(&genesis), validators)
}

/// `MsgSubmitProposal` of `messages` from key 1, with the min deposit.
pub fn submit_proposal_msg(messages: Vec<Any>) -> Any {
    GovMsg::SubmitProposal {
        proposer: key(1).address,
        messages,
        initial_deposit: "10000000usalus".parse().expect("a coin"),
        metadata: String::new(),
        title: "A test proposal".into(),
        summary: "Run these messages.".into(),
        expedited: false,
        wire: Wire::V1,
    }
    .to_any()
}

impl TestChain {
    /// Submits `messages` from key 1, has every validator vote Yes, and runs blocks until the
    /// proposal has passed (panics if it does not). The last block is the one that ran them.
    pub fn pass_proposal(&mut self, validators: &[GenesisValidator], messages: Vec<Any>) -> u64 {
        let out = self.exec(&key(1), submit_proposal_msg(messages));
        assert_code(&out, "", 0);
        let id: u64 = out.events.iter().find_map(|e| e.get("proposal_id")).expect("a proposal id").parse().unwrap();
        let votes: Vec<Vec<u8>> = validators
            .iter()
            .map(|v| {
                let vote = GovMsg::Vote {
                    proposal_id: id,
                    voter: v.operator.address,
                    options: vec![WeightedOption { option: VoteOption::Yes, weight: Dec::ONE }],
                    metadata: String::new(),
                    wire: Wire::V1,
                };
                sign(&v.operator, vec![vote.to_any()], &self.staking_spec(&v.operator))
            })
            .collect();
        for out in self.block(votes) {
            assert_code(&out, "", 0);
        }
        for _ in 0..TEST_VOTING_SECS + 5 {
            self.block(Vec::new());
            if let Some(e) = self.block_events.iter().find(|e| e.get("proposal_result").is_some()) {
                assert_eq!(e.get("proposal_result"), Some("proposal_passed"), "{e:?}");
                return id;
            }
        }
        panic!("proposal {id} was not decided");
    }
}
