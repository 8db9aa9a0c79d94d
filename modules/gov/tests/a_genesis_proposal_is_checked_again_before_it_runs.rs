//! A proposal imported from genesis was never submitted, so its messages were never checked: a
//! crafted genesis could carry a transfer out of the governance account. Before a passed
//! proposal runs, its messages are checked again as at submission; this one fails, the deposit
//! is refunded, and the chain goes on.

mod support;

use base64::Engine;
use salus_gov::ProposalStatus;
use salus_sdk::module::governance_authority;
use salus_sdk::Time;
use support::*;

#[test]
fn a_transfer_out_of_the_gov_account_in_a_genesis_proposal_fails_and_nothing_moves() {
    let validators: Vec<GenesisValidator> = (11..14).map(|n| GenesisValidator::new(n, 100 * MILLION)).collect();
    let thief = key(1);
    let mut builder = GenesisBuilder::new().fund(&thief.address, MILLION).fund(&governance_authority(), 10 * MILLION);
    for v in &validators {
        builder = builder.validator(v);
    }
    let mut genesis: serde_json::Value = serde_json::from_str(&builder.json()).unwrap();
    let steal = send_msg(&governance_authority(), &thief.address, "10000000");
    let start = Time { secs: TestChain::time(0).unix_timestamp(), nanos: 0 };
    let msg_value = base64::engine::general_purpose::STANDARD.encode(&steal.value);
    genesis["gov"]["params"] = serde_json::to_value(test_params()).unwrap();
    genesis["gov"]["starting_proposal_id"] = "2".into();
    genesis["gov"]["proposals"] = serde_json::json!([{
        "id": "1",
        "messages": [{ "type_url": steal.type_url, "value": msg_value }],
        "status": "PROPOSAL_STATUS_VOTING_PERIOD",
        "final_tally": { "yes": "0", "abstain": "0", "no": "0", "no_with_veto": "0" },
        "submit_time": start.rfc3339(),
        "deposit_end_time": start.plus_secs(100).rfc3339(),
        "total_deposit": [{ "denom": "usalus", "amount": "10000000" }],
        "voting_start_time": start.rfc3339(),
        "voting_end_time": start.plus_secs(3).rfc3339(),
        "metadata": "", "title": "t", "summary": "s",
        "proposer": thief.address.to_string(), "expedited": false, "failed_reason": ""
    }]);
    genesis["gov"]["deposits"] = serde_json::json!([{ "proposal_id": "1", "depositor": thief.address.to_string(), "amount": [{ "denom": "usalus", "amount": "10000000" }] }]);
    genesis["gov"]["votes"] = serde_json::Value::Array(
        validators
            .iter()
            .map(|v| serde_json::json!({ "proposal_id": "1", "voter": v.operator.address.to_string(), "options": [{ "option": "VOTE_OPTION_YES", "weight": "1" }] }))
            .collect(),
    );
    let mut gov = Gov { chain: TestChain::with_genesis(&genesis.to_string()), validators };
    assert_eq!(gov.until_decided(1), "proposal_failed");
    let p = gov.proposal(1).unwrap();
    assert_eq!(p.status, ProposalStatus::Failed);
    assert!(p.failed_reason.contains("names no authority"), "{}", p.failed_reason);
    assert_eq!(gov.chain.balance(&thief.address), MILLION + 10 * MILLION, "only the deposit came back");
    assert_eq!(gov.chain.balance(&governance_authority()), 0);
    gov.chain.blocks(3);
}
