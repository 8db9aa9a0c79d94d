//! Records module parameters: bounds on one record version (commitments, locator, content hash,
//! key id) and on a record's versions (an erase rewrites every one). Changed only through
//! governance (`salus.records.v1.MsgUpdateParams`); they bind the versions written from then on.

use borsh::{BorshDeserialize, BorshSerialize};
use salus_proto::salus::records::v1 as pb;
use salus_sdk::Error;
use serde::{Deserialize, Serialize};

use crate::error::RecordsError;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, BorshSerialize, BorshDeserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Params {
    /// Category commitments per version, and sensitivity commitments per version (each list).
    pub max_commitments: u32,
    /// Bytes of a locator URI.
    pub max_locator_len: u32,
    /// Characters of a content hash.
    pub max_content_hash_len: u32,
    /// Characters of an encryption key id.
    pub max_text_len: u32,
    /// Versions one record may reach.
    pub max_versions: u32,
}

impl Default for Params {
    fn default() -> Self {
        Self {
            max_commitments: 16,
            max_locator_len: 512,
            max_content_hash_len: 128,
            max_text_len: 128,
            max_versions: 100,
        }
    }
}

impl Params {
    /// Ceilings governance cannot raise past, and what messages are checked against before any
    /// state is read (`validate_basic`) and exported records in genesis (each version met the
    /// params of its day, which governance may have lowered since).
    pub const CEILING: Params = Params {
        max_commitments: 256,
        max_locator_len: 4096,
        max_content_hash_len: 512,
        max_text_len: 1024,
        max_versions: 1000,
    };

    /// Floors: a sha2-256 multihash in hex (68 characters) and a short URI always fit.
    pub const FLOOR: Params =
        Params { max_commitments: 1, max_locator_len: 32, max_content_hash_len: 68, max_text_len: 16, max_versions: 1 };

    pub fn validate(&self) -> Result<(), Error> {
        let (lo, hi) = (Self::FLOOR, Self::CEILING);
        let fields = [
            ("max_commitments", self.max_commitments, lo.max_commitments, hi.max_commitments),
            ("max_locator_len", self.max_locator_len, lo.max_locator_len, hi.max_locator_len),
            ("max_content_hash_len", self.max_content_hash_len, lo.max_content_hash_len, hi.max_content_hash_len),
            ("max_text_len", self.max_text_len, lo.max_text_len, hi.max_text_len),
            ("max_versions", self.max_versions, lo.max_versions, hi.max_versions),
        ];
        for (name, v, min, max) in fields {
            if v < min || v > max {
                return Err(
                    RecordsError::InvalidParams.with(format!("records params: {name} must be {min} to {max}, not {v}"))
                );
            }
        }
        Ok(())
    }

    pub fn from_proto(p: &pb::Params) -> Self {
        Self {
            max_commitments: p.max_commitments,
            max_locator_len: p.max_locator_len,
            max_content_hash_len: p.max_content_hash_len,
            max_text_len: p.max_text_len,
            max_versions: p.max_versions,
        }
    }

    pub fn to_proto(&self) -> pb::Params {
        pb::Params {
            max_commitments: self.max_commitments,
            max_locator_len: self.max_locator_len,
            max_content_hash_len: self.max_content_hash_len,
            max_text_len: self.max_text_len,
            max_versions: self.max_versions,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_floors_and_ceilings_validate_and_out_of_range_does_not() {
        Params::default().validate().unwrap();
        Params::FLOOR.validate().unwrap();
        Params::CEILING.validate().unwrap();
        for bad in [
            Params { max_commitments: 0, ..Params::default() },
            Params { max_versions: 1001, ..Params::default() },
            Params { max_content_hash_len: 67, ..Params::default() },
            Params { max_locator_len: 5000, ..Params::default() },
            Params { max_text_len: 0, ..Params::default() },
        ] {
            let e = bad.validate().unwrap_err();
            assert_eq!((e.codespace, e.code), ("records", RecordsError::InvalidParams as u32));
        }
        assert_eq!(Params::from_proto(&Params::default().to_proto()), Params::default());
    }
}
