//! The IBC genesis section: the `ibc` substore as it was exported, entry by entry (ICS-24 path
//! and the bytes stored there, base64), so that an exported chain keeps its clients and
//! connections. A new chain starts with none.

use base64::Engine;
use ibc::core::host::types::path::Path;
use salus_sdk::{Error, StateRead, StateWrite};
use serde::{Deserialize, Serialize};

use crate::error::IbcError;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Genesis {
    #[serde(default)]
    pub entries: Vec<Entry>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The key inside the `ibc` substore: an ICS-24 path, or a client's consensus-state index.
    pub key: String,
    /// The stored bytes, base64.
    pub value: String,
}

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

impl Genesis {
    pub fn validate(&self) -> Result<(), Error> {
        let mut seen = std::collections::BTreeSet::new();
        for e in &self.entries {
            if !seen.insert(e.key.as_str()) {
                return Err(IbcError::InvalidMsg.with(format!("ibc genesis: `{}` is listed twice", e.key)));
            }
            if e.key.parse::<Path>().is_err() && !is_index_key(&e.key) {
                return Err(IbcError::InvalidMsg.with(format!("ibc genesis: `{}` is not an IBC store path", e.key)));
            }
            B64.decode(&e.value).map_err(|err| {
                IbcError::InvalidMsg.with(format!("ibc genesis: the value of `{}` is not base64: {err}", e.key))
            })?;
        }
        Ok(())
    }

    pub fn init(&self, state: &mut impl StateWrite) -> Result<(), Error> {
        for e in &self.entries {
            let value = B64.decode(&e.value).map_err(Error::internal)?;
            state.put_raw([salus_store::IBC_PREFIX, &index_key_bytes(&e.key)].concat(), value)?;
        }
        Ok(())
    }

    pub fn export(state: &impl StateRead) -> Result<Self, Error> {
        let entries = state
            .prefix_raw(salus_store::IBC_PREFIX)?
            .into_iter()
            .map(|(k, v)| Entry { key: index_key_text(&k[salus_store::IBC_PREFIX.len()..]), value: B64.encode(v) })
            .collect();
        Ok(Self { entries })
    }
}

/// The consensus-state index keys end in 16 binary bytes (the height); in genesis they are
/// written as `clients/{id}/iterateConsensusStates/{hex}`.
const INDEX_MARK: &str = "/iterateConsensusStates";

fn is_index_key(key: &str) -> bool {
    key.split_once(INDEX_MARK).is_some_and(|(client, hex)| {
        client.starts_with("clients/") && hex.len() == 33 && hex[1..].bytes().all(|b| b.is_ascii_hexdigit())
    })
}

fn index_key_text(key: &[u8]) -> String {
    let mark = INDEX_MARK.as_bytes();
    match key.windows(mark.len()).position(|w| w == mark) {
        Some(at) if key.len() == at + mark.len() + 16 => {
            format!("{}{INDEX_MARK}/{}", String::from_utf8_lossy(&key[..at]), hex::encode(&key[at + mark.len()..]))
        }
        _ => String::from_utf8_lossy(key).into_owned(),
    }
}

fn index_key_bytes(key: &str) -> Vec<u8> {
    match key.split_once(INDEX_MARK) {
        Some((client, hex)) if is_index_key(key) => {
            [client.as_bytes(), INDEX_MARK.as_bytes(), &hex::decode(&hex[1..]).unwrap_or_default()].concat()
        }
        _ => key.as_bytes().to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_keys_round_trip_through_their_text_form() {
        let id = ibc::core::host::types::identifiers::ClientId::new("07-tendermint", 4).unwrap();
        let key = crate::keys::consensus_iteration(&id, 1, 300);
        let inner = &key[salus_store::IBC_PREFIX.len()..];
        let text = index_key_text(inner);
        assert_eq!(text, format!("clients/07-tendermint-4/iterateConsensusStates/{:016x}{:016x}", 1, 300));
        assert!(is_index_key(&text));
        assert_eq!(index_key_bytes(&text), inner);
        assert_eq!(index_key_text(b"clients/07-tendermint-4/clientState"), "clients/07-tendermint-4/clientState");
    }

    #[test]
    fn genesis_refuses_repeated_or_foreign_keys() {
        let entry = |key: &str| Entry { key: key.into(), value: "AQ==".into() };
        assert!(Genesis { entries: vec![entry("nextClientSequence")] }.validate().is_ok());
        assert!(Genesis { entries: vec![entry("staking/params")] }.validate().is_err());
        let twice = Genesis { entries: vec![entry("nextClientSequence"), entry("nextClientSequence")] };
        assert!(twice.validate().is_err());
    }
}
