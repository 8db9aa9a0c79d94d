//! Signed transactions and what a test asserts of their outcomes.

use salus_node::app::pipeline::TxOutcome;
use salus_node::client::{sign_tx, GasSetting, TxParams};
use salus_node::keyring::Key;
use salus_proto::Any;
use salus_sdk::{Address, Coins};

use crate::chain::TestChain;

/// Options for a signed tx; defaults are a valid tx for key `from` at its current sequence.
pub struct TxSpec {
    pub chain_id: String,
    pub account_number: u64,
    pub sequence: u64,
    pub gas: u64,
    pub fee: Coins,
    pub memo: String,
    pub timeout_height: u64,
}

pub fn sign(from: &Key, msgs: Vec<Any>, s: &TxSpec) -> Vec<u8> {
    let params = TxParams {
        chain_id: s.chain_id.clone(),
        gas: GasSetting::Fixed(s.gas),
        fees: Some(s.fee.clone()),
        gas_prices: None,
        memo: s.memo.clone(),
        timeout_height: s.timeout_height,
        account_number: Some(s.account_number),
        sequence: Some(s.sequence),
    };
    sign_tx(from, msgs, &params, s.gas, &s.fee, s.account_number, s.sequence)
}

pub fn send_msg(from: &Address, to: &Address, amount: &str) -> Any {
    salus_proto::to_any(&salus_proto::cosmos::bank::v1beta1::MsgSend {
        from_address: from.to_string(),
        to_address: to.to_string(),
        amount: vec![salus_proto::cosmos::base::v1beta1::Coin { denom: "usalus".into(), amount: amount.into() }],
    })
}

/// Runs `tx` through CheckTx and through a block; both must reject it with the same code, the
/// block must hash as the same block without the tx would, and the log must be short. Returns
/// the log.
pub fn rejected(chain: &mut TestChain, tx: Vec<u8>, codespace: &str, code: u32) -> String {
    let checked = chain.app.check_tx(&tx, false);
    assert_code(&checked, codespace, code);
    let (out, with_tx) = chain.finalize(vec![tx]);
    assert_code(&out[0], codespace, code);
    chain.height -= 1;
    let (_, without) = chain.finalize(Vec::new());
    chain.app.commit().unwrap();
    assert_eq!(with_tx, without, "a rejected tx changed state");
    let max = salus_node::app::pipeline::MAX_LOG_BYTES;
    assert!(out[0].log.len() <= max, "a log of {} bytes", out[0].log.len());
    out[0].log.clone()
}

pub fn assert_code(o: &TxOutcome, codespace: &str, code: u32) {
    assert_eq!((o.codespace, o.code), (codespace, code), "unexpected outcome: {o:?}");
}

pub fn usalus(amount: u128) -> salus_sdk::Coin {
    salus_sdk::Coin::new(amount, "usalus")
}
