//! CometBFT's consensus params and the tx pipeline's limits change only by a passed proposal.
//! The block that runs it hands the new params to CometBFT (FinalizeBlock's
//! `consensus_param_updates`) and the node applies them from the next block: a tx over the new
//! block gas limit no longer fits, a memo over the new limit is refused. Params CometBFT would
//! refuse (and halt on) are refused at submission; a user cannot send either update itself.

mod support;

use salus_consensus::{CometParams, ConsensusMsg, ConsensusRead};
use salus_proto::Any;
use salus_sdk::auth::{AuthParams, AuthParamsRead};
use salus_sdk::module::governance_authority;
use support::*;

fn chain() -> (TestChain, Vec<GenesisValidator>) {
    gov_test_chain()
}

fn submit(chain: &mut TestChain, messages: Vec<Any>) -> salus_node::app::pipeline::TxOutcome {
    chain.exec(&key(1), submit_proposal_msg(messages))
}

/// Passes a proposal of `messages`; returns the consensus updates of the block that ran it.
fn pass(chain: &mut TestChain, validators: &[GenesisValidator], messages: Vec<Any>) -> Option<CometParams> {
    chain.pass_proposal(validators, messages);
    chain.consensus_updates.clone()
}

#[test]
fn a_passed_proposal_changes_cometbfts_params_from_the_next_block() {
    let (mut chain, validators) = chain();
    let before = chain.snapshot().comet_params().unwrap();
    assert_eq!(before, CometParams::with_block(4 * 1024 * 1024, 500_000_000), "InitChain's params are kept");
    // Smaller txs first, then a block gas limit of one such tx.
    let limits = AuthParams { max_gas_per_tx: 3_000_000, ..AuthParams::default() };
    let tx_limits = ConsensusMsg::UpdateTxLimits { authority: governance_authority(), params: limits };
    let mut new = before.clone();
    new.block_max_gas = 3_000_000;
    new.evidence_max_age_num_blocks = 50_000;
    let update = ConsensusMsg::UpdateConsensusParams { authority: governance_authority(), params: new.clone() };
    let updated = pass(&mut chain, &validators, vec![tx_limits.to_any(), update.to_any()]);
    assert_eq!(updated, Some(new.clone()), "FinalizeBlock hands CometBFT the new params");
    assert_eq!(chain.snapshot().comet_params().unwrap(), new);
    assert_eq!(chain.app.block_limits().max_gas, 3_000_000, "the node checks blocks against them");
    chain.block(Vec::new());
    assert_eq!(chain.consensus_updates, None, "only once");

    // Two txs that may each use up to 3,000,000 gas: once the first has used some, the second
    // does not fit in the block.
    let txs: Vec<Vec<u8>> = (0..2u64)
        .map(|i| {
            let from = key(1);
            let spec = TxSpec { gas: 3_000_000, fee: "3000usalus".parse().unwrap(), ..chain.spec(&from) };
            let spec = TxSpec { sequence: spec.sequence + i, ..spec };
            sign(&from, vec![send_msg(&from.address, &key(2).address, "1")], &spec)
        })
        .collect();
    let out = chain.block(txs);
    assert_code(&out[0], "", 0);
    assert_code(&out[1], "sdk", 11);
    assert!(out[1].log.contains("no block gas left"), "{}", out[1].log);
}

#[test]
fn a_passed_proposal_changes_the_tx_limits() {
    let (mut chain, validators) = chain();
    let limits = AuthParams { max_memo_characters: 10, ..AuthParams::default() };
    let update = ConsensusMsg::UpdateTxLimits { authority: governance_authority(), params: limits.clone() };
    assert_eq!(pass(&mut chain, &validators, vec![update.to_any()]), None, "CometBFT's params are untouched");
    assert_eq!(chain.snapshot().auth_params().unwrap(), limits);
    let user = key(1);
    let spec = TxSpec { memo: "eleven char".into(), ..chain.spec(&user) };
    let tx = sign(&user, vec![send_msg(&user.address, &key(2).address, "1")], &spec);
    rejected(&mut chain, tx, "sdk", 12);
}

#[test]
fn params_cometbft_would_refuse_and_users_sending_updates_are_refused() {
    let (mut chain, _) = chain();
    let mut bad = CometParams::default();
    bad.evidence_max_bytes = bad.block_max_bytes + 1;
    let update = ConsensusMsg::UpdateConsensusParams { authority: governance_authority(), params: bad };
    assert_code(&submit(&mut chain, vec![update.to_any()]), "consensus", 2);
    let secp = CometParams { pub_key_types: vec!["secp256k1".into()], ..CometParams::default() };
    let update = ConsensusMsg::UpdateConsensusParams { authority: governance_authority(), params: secp };
    assert_code(&submit(&mut chain, vec![update.to_any()]), "consensus", 3);
    let zero = AuthParams { max_msgs_per_tx: 0, ..AuthParams::default() };
    let update = ConsensusMsg::UpdateTxLimits { authority: governance_authority(), params: zero };
    assert_code(&submit(&mut chain, vec![update.to_any()]), "sdk", 18);
    // Valid alone, but a block of them would hold no tx: refused when the proposal runs.
    let tiny = CometParams { block_max_bytes: 64 * 1024, evidence_max_bytes: 1024, ..CometParams::default() };
    assert!(tiny.check_fits(&AuthParams::default()).unwrap_err().message.contains("leaves no room"));
    let frozen = AuthParams { max_gas_per_tx: 10, ..AuthParams::default() };
    assert!(frozen.check_governable().unwrap_err().message.contains("max_gas_per_tx"));

    let user = key(1);
    let own = ConsensusMsg::UpdateConsensusParams { authority: user.address, params: CometParams::default() };
    assert_code(&chain.exec(&user, own.to_any()), "sdk", 4);
    let own = ConsensusMsg::UpdateTxLimits { authority: user.address, params: AuthParams::default() };
    assert_code(&chain.exec(&user, own.to_any()), "sdk", 4);
    assert_eq!(chain.snapshot().pending_comet_params().unwrap(), None);
}
