//! Block proposals. PrepareProposal takes mempool txs, in order, while they fit the block's byte
//! and gas limits; ProcessProposal accepts exactly the blocks an honest proposer could have built
//! that way. Neither reads or writes state.

use bytes::Bytes;
use salus_sdk::Error;

use super::params::{BlockLimits, TxLimits};

/// What a tx adds to a block's data: its bytes and protobuf framing, as CometBFT counts them
/// (`ComputeProtoSizeForTxs`: a field tag, the length varint, the bytes).
pub fn proto_size(tx: &[u8]) -> i64 {
    let mut len = tx.len() as u64;
    let mut varint = 1;
    while len >= 0x80 {
        len >>= 7;
        varint += 1;
    }
    (1 + varint + tx.len()) as i64
}

/// The gas limit a tx asks for, if it decodes and is within the per-tx limits; what every tx in
/// an honest block satisfies, since CheckTx refused everything else.
pub fn gas_wanted(tx: &[u8], limits: &TxLimits) -> Result<u64, Error> {
    if tx.len() as u64 > limits.auth.max_tx_bytes {
        return Err(Error::sdk(salus_sdk::SdkCode::TxTooLarge, "a tx is over max_tx_bytes"));
    }
    let decoded = salus_sdk::tx::decode(tx)?;
    let gas = decoded.auth_info.fee.map_or(0, |f| f.gas_limit);
    if gas > limits.auth.max_gas_per_tx {
        return Err(Error::sdk(salus_sdk::SdkCode::InvalidGasLimit, "a tx asks for more than max_gas_per_tx"));
    }
    Ok(gas)
}

/// The mempool's txs in order, less those that do not decode, stopping before the first that would
/// take the block past `max_tx_bytes` or its gas limit.
pub fn prepare(txs: Vec<Bytes>, max_tx_bytes: i64, limits: &TxLimits, block: BlockLimits) -> Vec<Bytes> {
    let (mut bytes, mut gas) = (0i64, 0u64);
    let mut out = Vec::new();
    for tx in txs {
        let Ok(wanted) = gas_wanted(&tx, limits) else { continue };
        let (next_bytes, next_gas) = (bytes + proto_size(&tx), gas.saturating_add(wanted));
        if next_bytes > max_tx_bytes || block.gas().is_some_and(|max| next_gas > max) {
            break;
        }
        (bytes, gas) = (next_bytes, next_gas);
        out.push(tx);
    }
    out
}

/// Why a proposed block could not have come from an honest proposer, if it could not.
pub fn process(txs: &[Bytes], limits: &TxLimits, block: BlockLimits) -> Result<(), String> {
    let (mut bytes, mut gas) = (0i64, 0u64);
    for (i, tx) in txs.iter().enumerate() {
        let wanted = gas_wanted(tx, limits).map_err(|e| format!("tx {i}: {}", e.message))?;
        bytes += proto_size(tx);
        gas = gas.saturating_add(wanted);
    }
    if bytes > block.max_bytes {
        return Err(format!("txs take {bytes} bytes; the block limit is {}", block.max_bytes));
    }
    if let Some(max) = block.gas().filter(|max| gas > *max) {
        return Err(format!("txs want {gas} gas; the block limit is {max}"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proto_size_counts_the_tag_and_the_length_varint() {
        assert_eq!(proto_size(&[0u8; 10]), 12);
        assert_eq!(proto_size(&[0u8; 127]), 129);
        assert_eq!(proto_size(&[0u8; 128]), 131);
        assert_eq!(proto_size(&[0u8; 16384]), 16388);
    }

    #[test]
    fn undecodable_txs_are_left_out_of_a_proposal_and_sink_a_proposed_block() {
        let limits = TxLimits::default();
        let junk = Bytes::from_static(b"\xff\xff not a tx");
        assert!(prepare(vec![junk.clone()], 1 << 20, &limits, BlockLimits::default()).is_empty());
        assert!(process(&[junk], &limits, BlockLimits::default()).unwrap_err().starts_with("tx 0:"));
        assert_eq!(process(&[], &limits, BlockLimits::default()), Ok(()));
    }
}
