//! A proposal's messages are stored apart from its record, so a vote or a deposit reads and
//! rewrites only the small record: voting on a proposal of a hundred messages costs the same gas
//! as voting on one without (a large proposal cannot price voters out).

mod support;

use salus_gov::VoteOption;
use support::*;

#[test]
fn the_gas_of_a_vote_or_a_deposit_does_not_grow_with_the_proposals_messages() {
    let mut gov = gov_chain(&[100 * MILLION; 3], |_| {});
    let (proposer, voter) = (key(1), key(2));
    let params = gov.params();
    let small = gov.submit(&proposer, vec![], 10 * MILLION, false);
    let big = submit_msg(&proposer, vec![update_params_msg(&params); 100], 10 * MILLION, false);
    let spec = TxSpec { gas: 5_000_000, fee: "5000usalus".parse().unwrap(), ..gov.chain.spec(&proposer) };
    let large = proposal_id(&gov.chain.block(vec![sign(&proposer, vec![big], &spec)]).remove(0));
    assert_eq!(gov.proposal(large).unwrap().messages.len(), 100, "queries still see every message");
    // The voter's first tx records its public key; after it, every tx of the voter costs alike.
    assert_code(&gov.chain.exec(&voter, send_msg(&voter.address, &proposer.address, "1")), "", 0);
    let gas = |gov: &mut Gov, msg| {
        let out = gov.chain.exec(&voter, msg);
        assert_code(&out, "", 0);
        out.gas_used
    };
    let on_small = gas(&mut gov, vote_msg(&voter, small, VoteOption::Yes));
    let on_large = gas(&mut gov, vote_msg(&voter, large, VoteOption::Yes));
    assert_eq!(on_small, on_large, "a vote reads the record, not the messages");
    let on_small = gas(&mut gov, deposit_msg(&voter, small, MILLION));
    let on_large = gas(&mut gov, deposit_msg(&voter, large, MILLION));
    assert_eq!(on_small, on_large, "so does a deposit");
}
