//! Keys of the `ibc` substore. Every ICS-24 path is stored at `ibc/` + the path's string form, so
//! a counterparty proves `MerklePath["ibc", path]` against the app hash: the path in the ibc tree,
//! then the ibc root under the main tree's key `ibc`.

use ibc::core::host::types::identifiers::ClientId;
use ibc::core::host::types::path::Path;

/// The state key of an ICS-24 path.
pub fn path(p: impl Into<Path>) -> Vec<u8> {
    let p: Path = p.into();
    [salus_store::IBC_PREFIX, p.to_string().as_bytes()].concat()
}

/// The prefix of a client's own keys, `clients/{id}/`.
pub fn client_prefix(client_id: &ClientId) -> Vec<u8> {
    [salus_store::IBC_PREFIX, format!("clients/{client_id}/").as_bytes()].concat()
}

/// A client's consensus states by height (ibc-go's `iterateConsensusStates` index): the height as
/// two big-endian numbers, so key order is height order (the `{r}-{h}` path strings are not:
/// `0-10` sorts before `0-9`). It is never proven, so it lives in the main tree, under
/// [`HISTORY_FREE_PREFIXES`]: every update prunes the oldest states and reads the index from its
/// start, which must not step over the deleted keys of every state pruned before.
pub fn consensus_iteration_prefix(client_id: &ClientId) -> Vec<u8> {
    [CONSENSUS_INDEX_PREFIX, client_id.as_str().as_bytes(), b"/"].concat()
}

pub const CONSENSUS_INDEX_PREFIX: &[u8] = b"ibc_index/consensus/";

/// Indexes that keep no history of their deleted keys (registered in `App::new`); the queries
/// that read them answer at the latest height only.
pub const HISTORY_FREE_PREFIXES: &[&[u8]] = &[CONSENSUS_INDEX_PREFIX];

pub fn consensus_iteration(client_id: &ClientId, revision_number: u64, revision_height: u64) -> Vec<u8> {
    [consensus_iteration_prefix(client_id).as_slice(), &revision_number.to_be_bytes(), &revision_height.to_be_bytes()]
        .concat()
}

/// Reads the height back from an iteration key.
pub fn height_of_iteration_key(prefix_len: usize, key: &[u8]) -> Option<(u64, u64)> {
    let rest = key.get(prefix_len..)?;
    if rest.len() != 16 {
        return None;
    }
    let number = u64::from_be_bytes(rest[..8].try_into().ok()?);
    let height = u64::from_be_bytes(rest[8..].try_into().ok()?);
    Some((number, height))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ibc::core::host::types::path::{ClientConsensusStatePath, ClientStatePath, NextClientSequencePath};

    #[test]
    fn paths_are_ibc_gos_strings_under_the_substore() {
        let id = ClientId::new("07-tendermint", 0).unwrap();
        assert_eq!(path(ClientStatePath::new(id.clone())), b"ibc/clients/07-tendermint-0/clientState");
        assert_eq!(
            path(ClientConsensusStatePath::new(id.clone(), 1, 10)),
            b"ibc/clients/07-tendermint-0/consensusStates/1-10"
        );
        assert_eq!(path(NextClientSequencePath), b"ibc/nextClientSequence");
    }

    #[test]
    fn iteration_keys_sort_by_height_not_by_string() {
        let id = ClientId::new("07-tendermint", 3).unwrap();
        assert!(consensus_iteration(&id, 0, 9) < consensus_iteration(&id, 0, 10));
        assert!(consensus_iteration(&id, 0, u64::MAX) < consensus_iteration(&id, 1, 1));
        assert!(!consensus_iteration(&id, 0, 1).starts_with(salus_store::IBC_PREFIX), "in the main tree");
        let other = ClientId::new("07-tendermint", 30).unwrap();
        assert!(
            !consensus_iteration(&other, 0, 1).starts_with(&consensus_iteration_prefix(&id)),
            "ids end with a slash"
        );
        let prefix = consensus_iteration_prefix(&id);
        assert_eq!(height_of_iteration_key(prefix.len(), &consensus_iteration(&id, 2, 77)), Some((2, 77)));
        assert_eq!(height_of_iteration_key(prefix.len(), &prefix), None);
    }
}
