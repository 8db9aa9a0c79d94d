//! CometBFT's consensus params as the chain keeps them, with CometBFT v0.38's own checks: a
//! value CometBFT refused at FinalizeBlock would halt the chain, so each is refused here first.

use borsh::{BorshDeserialize, BorshSerialize};
use salus_proto::tendermint_proto::google::protobuf::Duration;
use salus_proto::tendermint_proto::types as tm;
use salus_sdk::Error;

use crate::error::ConsensusError;

/// CometBFT's `MaxBlockSizeBytes`.
pub const MAX_BLOCK_BYTES: i64 = 104_857_600;

/// Room CometBFT needs in every block besides txs and evidence: the header (626 bytes, rounded
/// up) and the last commit of a full validator set (94 + 109 bytes per validator, for the largest
/// set staking allows). A smaller `block.max_bytes` makes CometBFT panic at its next Commit.
pub const MAX_VALIDATORS: i64 = 1000;
pub const BLOCK_OVERHEAD_BYTES: i64 = 637 + 94 + 109 * MAX_VALIDATORS;

/// The longest evidence age CometBFT (Go's `time.Duration`, nanoseconds in an i64) can hold.
pub const MAX_EVIDENCE_AGE_SECS: i64 = i64::MAX / 1_000_000_000 - 1;

/// Evidence a block can hold at least: a double-sign is about 500 bytes.
pub const MIN_EVIDENCE_BYTES: i64 = 1024;

/// The only validator key type Salus' staking accepts.
pub const ED25519: &str = "ed25519";

#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct CometParams {
    pub block_max_bytes: i64,
    /// -1: no block gas limit.
    pub block_max_gas: i64,
    pub evidence_max_age_num_blocks: i64,
    pub evidence_max_age_secs: i64,
    pub evidence_max_age_nanos: i32,
    pub evidence_max_bytes: i64,
    pub pub_key_types: Vec<String>,
    /// 0: vote extensions off (Salus does not use them).
    pub vote_extensions_enable_height: i64,
}

impl Default for CometParams {
    /// What `salusd init` writes: CometBFT's defaults with Salus' block limits.
    fn default() -> Self {
        Self::with_block(4 * 1024 * 1024, 500_000_000)
    }
}

fn invalid(msg: String) -> Error {
    ConsensusError::InvalidParams.with(msg)
}

impl CometParams {
    /// CometBFT's evidence defaults (100000 blocks, 48 hours, 1 MiB) and these block limits.
    pub fn with_block(max_bytes: i64, max_gas: i64) -> Self {
        Self {
            block_max_bytes: max_bytes,
            block_max_gas: max_gas,
            evidence_max_age_num_blocks: 100_000,
            evidence_max_age_secs: 48 * 3600,
            evidence_max_age_nanos: 0,
            evidence_max_bytes: 1024 * 1024,
            pub_key_types: vec![ED25519.to_string()],
            vote_extensions_enable_height: 0,
        }
    }

    /// CometBFT v0.38's `ConsensusParams.ValidateBasic`, and what Salus supports.
    pub fn validate(&self) -> Result<(), Error> {
        if self.block_max_bytes <= 0 || self.block_max_bytes > MAX_BLOCK_BYTES {
            return Err(invalid(format!(
                "block.max_bytes must be between 1 and {MAX_BLOCK_BYTES}, not {}",
                self.block_max_bytes
            )));
        }
        if self.block_max_gas < -1 || self.block_max_gas == 0 {
            return Err(invalid(format!(
                "block.max_gas must be -1 (no limit) or positive, not {}",
                self.block_max_gas
            )));
        }
        if self.evidence_max_age_num_blocks <= 0 {
            return Err(invalid("evidence.max_age_num_blocks must be positive".into()));
        }
        if self.evidence_max_age_secs < 0
            || self.evidence_max_age_secs > MAX_EVIDENCE_AGE_SECS
            || self.evidence_max_age_nanos < 0
            || self.evidence_max_age_nanos >= 1_000_000_000
            || (self.evidence_max_age_secs == 0 && self.evidence_max_age_nanos == 0)
        {
            return Err(invalid(format!(
                "evidence.max_age_duration must be a positive duration of at most {MAX_EVIDENCE_AGE_SECS}s"
            )));
        }
        if self.evidence_max_bytes < MIN_EVIDENCE_BYTES || self.evidence_max_bytes > self.block_max_bytes {
            return Err(invalid(format!(
                "evidence.max_bytes must be between {MIN_EVIDENCE_BYTES} and block.max_bytes ({}), not {}: \
                 evidence of a double sign must fit",
                self.block_max_bytes, self.evidence_max_bytes
            )));
        }
        self.check_supported()
    }

    /// What Salus runs with at all (genesis included): ed25519 validator keys, no vote
    /// extensions (once CometBFT has them on, they cannot be turned off).
    pub fn check_supported(&self) -> Result<(), Error> {
        if self.pub_key_types != [ED25519] {
            return Err(ConsensusError::Unsupported
                .with(format!("validator.pub_key_types must be [\"{ED25519}\"]: Salus validators use ed25519 keys")));
        }
        if self.vote_extensions_enable_height != 0 {
            return Err(ConsensusError::Unsupported
                .with("abci.vote_extensions_enable_height must be 0: Salus does not use vote extensions"));
        }
        Ok(())
    }

    /// Whether a block of these params holds a tx of `limits`: room for the header, the largest
    /// last commit and the evidence, then one tx of the largest size and gas. Params that fail
    /// this would let no tx in (not even the vote that changes them back) or halt CometBFT.
    pub fn check_fits(&self, limits: &salus_sdk::auth::AuthParams) -> Result<(), Error> {
        let need = BLOCK_OVERHEAD_BYTES
            .saturating_add(self.evidence_max_bytes)
            .saturating_add(i64::try_from(limits.max_tx_bytes).unwrap_or(i64::MAX));
        if self.block_max_bytes < need {
            return Err(invalid(format!(
                "block.max_bytes {} leaves no room for a tx of max_tx_bytes {}: a block needs {BLOCK_OVERHEAD_BYTES} \
                 bytes for its header and last commit, evidence.max_bytes {} and the tx ({need} in all)",
                self.block_max_bytes, limits.max_tx_bytes, self.evidence_max_bytes
            )));
        }
        if self.block_max_gas != -1 && (self.block_max_gas as u64) < limits.max_gas_per_tx {
            return Err(invalid(format!(
                "block.max_gas {} is below max_gas_per_tx {}: a block must hold the largest tx",
                self.block_max_gas, limits.max_gas_per_tx
            )));
        }
        Ok(())
    }

    pub fn to_proto(&self) -> tm::ConsensusParams {
        tm::ConsensusParams {
            block: Some(tm::BlockParams { max_bytes: self.block_max_bytes, max_gas: self.block_max_gas }),
            evidence: Some(tm::EvidenceParams {
                max_age_num_blocks: self.evidence_max_age_num_blocks,
                max_age_duration: Some(Duration {
                    seconds: self.evidence_max_age_secs,
                    nanos: self.evidence_max_age_nanos,
                }),
                max_bytes: self.evidence_max_bytes,
            }),
            validator: Some(tm::ValidatorParams { pub_key_types: self.pub_key_types.clone() }),
            version: None,
            abci: Some(tm::AbciParams { vote_extensions_enable_height: self.vote_extensions_enable_height }),
        }
    }

    /// `cosmos.consensus.v1.MsgUpdateParams`' parts: block, evidence and validator are required
    /// (as in Cosmos), abci may be left out (off).
    pub fn from_parts(
        block: Option<&tm::BlockParams>,
        evidence: Option<&tm::EvidenceParams>,
        validator: Option<&tm::ValidatorParams>,
        abci: Option<&tm::AbciParams>,
    ) -> Result<Self, Error> {
        let (Some(block), Some(evidence), Some(validator)) = (block, evidence, validator) else {
            return Err(invalid("block, evidence and validator params are all required".into()));
        };
        let age = evidence.max_age_duration.unwrap_or_default();
        Ok(Self {
            block_max_bytes: block.max_bytes,
            block_max_gas: block.max_gas,
            evidence_max_age_num_blocks: evidence.max_age_num_blocks,
            evidence_max_age_secs: age.seconds,
            evidence_max_age_nanos: age.nanos,
            evidence_max_bytes: evidence.max_bytes,
            pub_key_types: validator.pub_key_types.clone(),
            vote_extensions_enable_height: abci.map_or(0, |a| a.vote_extensions_enable_height),
        })
    }

    pub fn from_proto(p: &tm::ConsensusParams) -> Result<Self, Error> {
        Self::from_parts(p.block.as_ref(), p.evidence.as_ref(), p.validator.as_ref(), p.abci.as_ref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_valid_and_round_trip() {
        let p = CometParams::default();
        p.validate().unwrap();
        assert_eq!(CometParams::from_proto(&p.to_proto()).unwrap(), p);
    }

    #[test]
    fn what_cometbft_would_refuse_is_refused() {
        type Edit = Box<dyn Fn(&mut CometParams)>;
        let cases: Vec<(&str, Edit)> = vec![
            ("block.max_bytes", Box::new(|p| p.block_max_bytes = 0)),
            ("block.max_bytes", Box::new(|p| p.block_max_bytes = -1)),
            ("block.max_bytes", Box::new(|p| p.block_max_bytes = MAX_BLOCK_BYTES + 1)),
            ("block.max_gas", Box::new(|p| p.block_max_gas = -2)),
            ("max_age_num_blocks", Box::new(|p| p.evidence_max_age_num_blocks = 0)),
            ("max_age_duration", Box::new(|p| p.evidence_max_age_secs = 0)),
            ("max_age_duration", Box::new(|p| p.evidence_max_age_nanos = -1)),
            ("max_age_duration", Box::new(|p| p.evidence_max_age_secs = MAX_EVIDENCE_AGE_SECS + 1)),
            ("block.max_gas", Box::new(|p| p.block_max_gas = 0)),
            ("evidence.max_bytes", Box::new(|p| p.evidence_max_bytes = 0)),
            ("evidence.max_bytes", Box::new(|p| p.evidence_max_bytes = p.block_max_bytes + 1)),
            ("pub_key_types", Box::new(|p| p.pub_key_types = vec!["secp256k1".into()])),
            ("pub_key_types", Box::new(|p| p.pub_key_types = vec![])),
            ("vote_extensions", Box::new(|p| p.vote_extensions_enable_height = 10)),
        ];
        for (field, edit) in cases {
            let mut p = CometParams::default();
            edit(&mut p);
            let e = p.validate().unwrap_err();
            assert!(e.message.contains(field), "{field}: {e}");
        }
    }
}

#[cfg(test)]
mod fit_tests {
    use super::*;
    use salus_sdk::auth::AuthParams;

    #[test]
    fn a_block_must_hold_its_overhead_evidence_and_the_largest_tx() {
        let limits = AuthParams::default();
        CometParams::default().check_fits(&limits).unwrap();
        let small = CometParams { block_max_bytes: 1024 * 1024, ..CometParams::default() };
        assert!(small.check_fits(&limits).unwrap_err().message.contains("leaves no room"));
        let low_gas = CometParams { block_max_gas: 1_000_000, ..CometParams::default() };
        assert!(low_gas.check_fits(&limits).unwrap_err().message.contains("max_gas_per_tx"));
        let unlimited = CometParams { block_max_gas: -1, ..CometParams::default() };
        unlimited.check_fits(&limits).unwrap();
    }
}
