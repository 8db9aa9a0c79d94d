//! DID module parameters: bounds on a document, so that no DID can bloat state. Changed only
//! through governance (`salus.did.v1.MsgUpdateParams`). They bind the documents written from then
//! on; documents already written keep whatever size they were accepted at.

use borsh::{BorshDeserialize, BorshSerialize};
use salus_proto::salus::did::v1 as pb;
use salus_sdk::Error;
use serde::{Deserialize, Serialize};

use crate::error::DidError;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, BorshSerialize, BorshDeserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Params {
    pub max_verification_methods: u32,
    pub max_services: u32,
    pub max_controllers: u32,
    /// Of the document's protobuf encoding.
    pub max_document_bytes: u32,
}

impl Default for Params {
    fn default() -> Self {
        Self { max_verification_methods: 20, max_services: 20, max_controllers: 10, max_document_bytes: 16 * 1024 }
    }
}

impl Params {
    /// No bounds: what the documents of an exported genesis are held to, since each version was
    /// written under the params in force then, which governance may have lowered since.
    pub(crate) const UNBOUNDED: Params = Params {
        max_verification_methods: u32::MAX,
        max_services: u32::MAX,
        max_controllers: u32::MAX,
        max_document_bytes: u32::MAX,
    };

    pub fn validate(&self) -> Result<(), Error> {
        let fields = [
            ("max_verification_methods", self.max_verification_methods),
            ("max_services", self.max_services),
            ("max_controllers", self.max_controllers),
        ];
        for (name, v) in fields {
            if v == 0 {
                return Err(DidError::InvalidParams.with(format!("did params: {name} must be at least 1")));
            }
        }
        if self.max_document_bytes < 512 {
            return Err(DidError::InvalidParams.with("did params: max_document_bytes must be at least 512"));
        }
        Ok(())
    }

    pub fn from_proto(p: &pb::Params) -> Self {
        Self {
            max_verification_methods: p.max_verification_methods,
            max_services: p.max_services,
            max_controllers: p.max_controllers,
            max_document_bytes: p.max_document_bytes,
        }
    }

    pub fn to_proto(&self) -> pb::Params {
        pb::Params {
            max_verification_methods: self.max_verification_methods,
            max_services: self.max_services,
            max_controllers: self.max_controllers,
            max_document_bytes: self.max_document_bytes,
        }
    }
}
