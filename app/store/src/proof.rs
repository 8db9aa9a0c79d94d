//! ICS-23 proofs of presence and absence, through both layers.

use anyhow::{bail, Result};
use jmt::Sha256Jmt;

use crate::keys::{route, Substore, IBC_ROOT_KEY};
use crate::storage::Storage;
use crate::tree::TreeStore;

/// The proof specs of Salus' commitment: the ibc substore, then the main tree. Both are JMT
/// trees, so both use jmt's ICS-23 spec.
pub fn proof_specs() -> Vec<ics23::ProofSpec> {
    vec![jmt::ics23_spec(), jmt::ics23_spec()]
}

/// A value (or its absence) with the proofs that tie it to the app hash, innermost first:
/// for an `ibc/` key, [proof in the ibc tree, proof of the ibc root in the main tree]; for a
/// main key, [proof in the main tree].
pub struct ProvenValue {
    pub value: Option<Vec<u8>>,
    pub proofs: Vec<ics23::CommitmentProof>,
}

impl Storage {
    /// Reads a full state key at `version` with proofs against that version's app hash.
    pub fn get_with_proof(&self, key: &[u8], version: u64) -> Result<ProvenValue> {
        let (sub, inner) = route(key);
        if sub == Substore::Main && inner == IBC_ROOT_KEY {
            bail!("`ibc` is the substore root, not a state key");
        }
        if self.root(sub, version)? == Sha256Jmt::<TreeStore>::EMPTY_ROOT.0 {
            bail!("the {} substore is empty at height {version}: there is nothing to prove against yet", sub.name());
        }
        let (value, proof) = self.tree_proof(sub, inner, version)?;
        let mut proofs = vec![proof];
        if sub == Substore::Ibc {
            let (root, root_proof) = self.tree_proof(Substore::Main, IBC_ROOT_KEY, version)?;
            if root.is_none() {
                bail!("the ibc substore has no root at version {version}");
            }
            proofs.push(root_proof);
        }
        Ok(ProvenValue { value, proofs })
    }

    fn tree_proof(&self, sub: Substore, key: &[u8], version: u64) -> Result<(Option<Vec<u8>>, ics23::CommitmentProof)> {
        let reader = TreeStore { db: self.db(), sub };
        Sha256Jmt::new(&reader).get_with_ics23_proof(key.to_vec(), version)
    }
}
