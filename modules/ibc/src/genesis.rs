//! The IBC genesis section: the `ibc` substore as it was exported, entry by entry (ICS-24 path
//! and the bytes stored there, base64), so that an exported chain keeps its clients and
//! connections. A new chain starts with none. The consensus-state index is not exported: init
//! rebuilds it from the consensus states.

use base64::Engine;
use ibc::clients::tendermint::client_state::ClientState as TmClientState;
use ibc::clients::tendermint::consensus_state::ConsensusState as TmConsensusState;
use ibc::core::connection::types::ConnectionEnd;
use ibc::core::host::types::path::Path;
use ibc::core::primitives::proto::{Any, Protobuf};
use salus_sdk::{Error, StateRead, StateWrite};
use serde::{Deserialize, Serialize};

use crate::error::IbcError;
use crate::keys;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Genesis {
    #[serde(default)]
    pub entries: Vec<Entry>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    /// The ICS-24 path inside the `ibc` substore.
    pub key: String,
    /// The stored bytes, base64.
    pub value: String,
}

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

fn invalid(what: String) -> Error {
    IbcError::InvalidMsg.with(format!("ibc genesis: {what}"))
}

/// An ICS-24 path, parsed without letting ibc-rs' parser see a key it would panic on.
fn parse_path(key: &str) -> Option<Path> {
    if key.split('/').count() < 2 && !key.starts_with("next") {
        return None;
    }
    std::panic::catch_unwind(|| key.parse::<Path>().ok()).ok().flatten()
}

impl Genesis {
    pub fn validate(&self) -> Result<(), Error> {
        let mut seen = std::collections::BTreeSet::new();
        for e in &self.entries {
            if !seen.insert(e.key.as_str()) {
                return Err(invalid(format!("`{}` is listed twice", e.key)));
            }
            let path = parse_path(&e.key).ok_or_else(|| invalid(format!("`{}` is not an IBC store path", e.key)))?;
            let value = B64
                .decode(&e.value)
                .map_err(|err| invalid(format!("the value of `{}` is not base64: {err}", e.key)))?;
            let bad = |what: &str| invalid(format!("the value of `{}` is not {what}", e.key));
            match path {
                Path::ClientState(_) => {
                    <TmClientState as Protobuf<Any>>::decode_vec(&value)
                        .map_err(|_| bad("a 07-tendermint client state"))?;
                }
                Path::ClientConsensusState(_) => {
                    <TmConsensusState as Protobuf<Any>>::decode_vec(&value)
                        .map_err(|_| bad("a 07-tendermint consensus state"))?;
                }
                Path::Connection(_) => {
                    <ConnectionEnd as Protobuf<_>>::decode_vec(&value).map_err(|_| bad("a connection end"))?;
                }
                Path::NextClientSequence(_)
                | Path::NextConnectionSequence(_)
                | Path::NextChannelSequence(_)
                | Path::ClientUpdateTime(_)
                    if value.len() != 8 =>
                {
                    return Err(bad("8 big-endian bytes"));
                }
                _ => {}
            }
        }
        Ok(())
    }

    pub fn init(&self, state: &mut impl StateWrite) -> Result<(), Error> {
        for e in &self.entries {
            let value = B64.decode(&e.value).map_err(Error::internal)?;
            if let Some(Path::ClientConsensusState(p)) = parse_path(&e.key) {
                let index = keys::consensus_iteration(&p.client_id, p.revision_number, p.revision_height);
                state.put_raw(index, keys::path(p.clone()))?;
            }
            state.put_raw([salus_store::IBC_PREFIX, e.key.as_bytes()].concat(), value)?;
        }
        Ok(())
    }

    pub fn export(state: &impl StateRead) -> Result<Self, Error> {
        let entries = state
            .prefix_raw(salus_store::IBC_PREFIX)?
            .into_iter()
            .map(|(k, v)| Entry {
                key: String::from_utf8_lossy(&k[salus_store::IBC_PREFIX.len()..]).into_owned(),
                value: B64.encode(v),
            })
            .collect();
        Ok(Self { entries })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn genesis_refuses_repeated_foreign_or_malformed_entries_without_panicking() {
        let entry = |key: &str, value: &str| Entry { key: key.into(), value: value.into() };
        let eight = B64.encode(1u64.to_be_bytes());
        assert!(Genesis { entries: vec![entry("nextClientSequence", &eight)] }.validate().is_ok());
        for bad in [
            vec![entry("staking/params", "AQ==")],
            vec![entry("clients", "AQ==")],
            vec![entry("clients/07-tendermint-0/iterateConsensusStatesé", "AQ==")],
            vec![entry("nextClientSequence", "AQ==")],
            vec![entry("clients/07-tendermint-0/clientState", "AQ==")],
            vec![entry("connections/connection-0", "AQID")],
            vec![entry("nextClientSequence", &eight), entry("nextClientSequence", &eight)],
        ] {
            assert!(Genesis { entries: bad.clone() }.validate().is_err(), "{bad:?}");
        }
    }
}
