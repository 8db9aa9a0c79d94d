//! Consent module parameters: bounds on a consent's size and nesting (every provision evaluated
//! costs gas) and on a subject's consents (what one access decision reads), and how long an access
//! grant lasts. Changed only through governance
//! (`salus.consent.v1.MsgUpdateParams`).

use borsh::{BorshDeserialize, BorshSerialize};
use salus_proto::salus::consent::v1 as pb;
use salus_sdk::Error;
use serde::{Deserialize, Serialize};

use crate::error::ConsentError;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, BorshSerialize, BorshDeserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Params {
    pub max_provisions: u32,
    pub max_depth: u32,
    pub max_list_len: u32,
    pub max_consents_per_subject: u32,
    #[serde(with = "salus_sdk::json::string")]
    pub access_grant_secs: u64,
    #[serde(with = "salus_sdk::json::string")]
    pub provision_gas: u64,
}

impl Default for Params {
    fn default() -> Self {
        Self {
            max_provisions: 64,
            max_depth: 4,
            max_list_len: 32,
            max_consents_per_subject: 32,
            access_grant_secs: 3600,
            provision_gas: 200,
        }
    }
}

impl Params {
    /// Entries in all of a consent's condition lists together (actors, actions, purposes,
    /// labels, classes, codes, records), whatever the params: a consent within the default
    /// params holds at most 16,384, and this bounds what one consent costs in memory when
    /// governance raises the params (a 1 MiB message of empty entries would otherwise decode to
    /// about 75 MB).
    pub const MAX_ENTRIES: u32 = 32_768;

    /// Ceilings governance cannot raise past: one access decision reads at most
    /// max_consents_per_subject x max_provisions provisions.
    pub const CEILING: Params = Params {
        max_provisions: 1024,
        max_depth: 16,
        max_list_len: 256,
        max_consents_per_subject: 256,
        access_grant_secs: 30 * 24 * 3600,
        provision_gas: 1_000_000,
    };

    pub fn validate(&self) -> Result<(), Error> {
        let c = Self::CEILING;
        let bounded = [
            ("max_provisions", self.max_provisions as u64, c.max_provisions as u64),
            ("max_depth", self.max_depth as u64, c.max_depth as u64),
            ("max_list_len", self.max_list_len as u64, c.max_list_len as u64),
            ("max_consents_per_subject", self.max_consents_per_subject as u64, c.max_consents_per_subject as u64),
            ("access_grant_secs", self.access_grant_secs, c.access_grant_secs),
        ];
        for (name, v, max) in bounded {
            if v == 0 || v > max {
                return Err(
                    ConsentError::InvalidParams.with(format!("consent params: {name} must be 1 to {max}, not {v}"))
                );
            }
        }
        if self.provision_gas == 0 || self.provision_gas > c.provision_gas {
            return Err(ConsentError::InvalidParams.with(format!(
                "consent params: provision_gas must be 1 to {} (every provision evaluated costs gas), not {}",
                c.provision_gas, self.provision_gas
            )));
        }
        Ok(())
    }

    pub fn from_proto(p: &pb::Params) -> Self {
        Self {
            max_provisions: p.max_provisions,
            max_depth: p.max_depth,
            max_list_len: p.max_list_len,
            max_consents_per_subject: p.max_consents_per_subject,
            access_grant_secs: p.access_grant_secs,
            provision_gas: p.provision_gas,
        }
    }

    pub fn to_proto(&self) -> pb::Params {
        pb::Params {
            max_provisions: self.max_provisions,
            max_depth: self.max_depth,
            max_list_len: self.max_list_len,
            max_consents_per_subject: self.max_consents_per_subject,
            access_grant_secs: self.access_grant_secs,
            provision_gas: self.provision_gas,
        }
    }
}
