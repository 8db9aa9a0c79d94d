//! A record as the chain keeps it. Nothing here is health data in clear: the payload is an
//! encrypted object off chain, named by its content hash; codes are keyed [`Commitment`]s; the
//! only labels in clear are HL7 v3 Confidentiality codes, which say how sensitive, never what
//! about.

use borsh::{BorshDeserialize, BorshSerialize};
use salus_did::Did;
use salus_proto::salus::records::v1 as pb;
use salus_sdk::time::Time;
use salus_sdk::Error;

use crate::commitment::Commitment;
use crate::error::RecordsError;
use crate::labels::Confidentiality;

#[derive(Clone, Copy, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub enum Status {
    Active,
    /// Crypto-shredded: no locator or key id is kept, and the record never changes again.
    Erased,
}

impl Status {
    pub const ALL: [Status; 2] = [Status::Active, Status::Erased];

    pub fn name(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Erased => "erased",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Self::ALL.into_iter().find(|v| v.name() == s)
    }
}

/// The authenticated ciphers a payload may be encrypted with: a closed list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub enum Algorithm {
    Aes256Gcm,
    ChaCha20Poly1305,
    XChaCha20Poly1305,
}

impl Algorithm {
    pub const ALL: [Algorithm; 3] = [Algorithm::Aes256Gcm, Algorithm::ChaCha20Poly1305, Algorithm::XChaCha20Poly1305];

    pub fn name(self) -> &'static str {
        match self {
            Algorithm::Aes256Gcm => "AES-256-GCM",
            Algorithm::ChaCha20Poly1305 => "ChaCha20-Poly1305",
            Algorithm::XChaCha20Poly1305 => "XChaCha20-Poly1305",
        }
    }

    pub fn parse(field: &str, s: &str) -> Result<Algorithm, Error> {
        Self::ALL.into_iter().find(|a| a.name() == s).ok_or_else(|| {
            RecordsError::InvalidEncryption.with(format!(
                "{field}: `{s}` is not a supported algorithm: use one of {}",
                Self::ALL.map(Algorithm::name).join(", ")
            ))
        })
    }
}

/// How a payload is encrypted. The key itself never reaches the chain.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Encryption {
    pub algorithm: Algorithm,
    /// Names the data key among the custodian's wrapped keys.
    pub key_id: String,
}

/// A version's payload, as anchor and supersede give it.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Content {
    pub content_hash: String,
    pub size: u64,
    pub locator: String,
    pub encryption: Encryption,
    pub categories: Vec<Commitment>,
    pub confidentiality: Vec<Confidentiality>,
    pub sensitivity: Vec<Commitment>,
}

/// One version of a record, kept for good (an erase drops its locator and encryption only).
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct RecordVersion {
    /// From 1.
    pub version: u64,
    pub content_hash: String,
    pub size: u64,
    /// `None` once the record is erased.
    pub locator: Option<String>,
    /// `None` once the record is erased.
    pub encryption: Option<Encryption>,
    pub categories: Vec<Commitment>,
    pub confidentiality: Vec<Confidentiality>,
    pub sensitivity: Vec<Commitment>,
    /// Block time and height of the anchor or supersede that wrote it.
    pub time: Time,
    pub height: u64,
}

/// A record and its current version, as [`crate::RecordRead::record`] returns it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub id: u64,
    /// The patient's DID.
    pub owner: Did,
    /// The DID that holds the ciphertext.
    pub custodian: Did,
    pub status: Status,
    /// The current version's number (every earlier one is kept).
    pub version: u64,
    /// When version 1 was anchored.
    pub created: Time,
    /// When it was erased.
    pub erased: Option<Time>,
    pub current: RecordVersion,
}

impl Record {
    /// Whether `did` may change the record: its owner or its custodian.
    pub fn is_party(&self, did: &Did) -> bool {
        *did == self.owner || *did == self.custodian
    }

    pub fn to_proto(&self) -> pb::Record {
        pb::Record {
            id: self.id,
            owner: self.owner.to_string(),
            custodian: self.custodian.to_string(),
            status: self.status.name().to_string(),
            current: Some(self.current.to_proto()),
            created: Some(timestamp(self.created)),
            erased: self.erased.map(timestamp),
        }
    }
}

/// What `records/record/<id>` holds: the record without its versions.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub(crate) struct RecordMeta {
    pub id: u64,
    pub owner: Did,
    pub custodian: Did,
    pub status: Status,
    pub version: u64,
    pub created: Time,
    pub erased: Option<Time>,
}

impl RecordMeta {
    pub fn with(self, current: RecordVersion) -> Record {
        Record {
            id: self.id,
            owner: self.owner,
            custodian: self.custodian,
            status: self.status,
            version: self.version,
            created: self.created,
            erased: self.erased,
            current,
        }
    }
}

pub fn timestamp(t: Time) -> prost_types::Timestamp {
    prost_types::Timestamp { seconds: t.secs, nanos: t.nanos as i32 }
}

impl RecordVersion {
    /// Version `version` of `content`, written at `time` and `height`.
    pub fn of(version: u64, content: &Content, time: Time, height: u64) -> Self {
        RecordVersion {
            version,
            content_hash: content.content_hash.clone(),
            size: content.size,
            locator: Some(content.locator.clone()),
            encryption: Some(content.encryption.clone()),
            categories: content.categories.clone(),
            confidentiality: content.confidentiality.clone(),
            sensitivity: content.sensitivity.clone(),
            time,
            height,
        }
    }

    /// The version as an erase leaves it: no locator, no encryption metadata.
    pub fn shredded(self) -> Self {
        RecordVersion { locator: None, encryption: None, ..self }
    }

    pub fn to_proto(&self) -> pb::RecordVersion {
        pb::RecordVersion {
            version: self.version,
            content_hash: self.content_hash.clone(),
            size: self.size,
            locator: self.locator.clone().unwrap_or_default(),
            encryption: self.encryption.as_ref().map(Encryption::to_proto),
            category_commitments: self.categories.iter().map(|c| c.0.to_vec()).collect(),
            confidentiality: self.confidentiality.iter().map(|c| c.name().to_string()).collect(),
            sensitivity_commitments: self.sensitivity.iter().map(|c| c.0.to_vec()).collect(),
            time: Some(timestamp(self.time)),
            height: self.height,
        }
    }
}

impl Encryption {
    pub fn to_proto(&self) -> pb::Encryption {
        pb::Encryption { algorithm: self.algorithm.name().to_string(), key_id: self.key_id.clone() }
    }
}

/// Wire commitments to domain ones: 32 bytes each.
pub fn commitments(field: &str, list: &[Vec<u8>]) -> Result<Vec<Commitment>, Error> {
    list.iter().enumerate().map(|(i, b)| Commitment::from_bytes(&format!("{field}[{i}]"), b)).collect()
}

/// Wire confidentiality codes to domain ones.
pub fn confidentiality(field: &str, list: &[String]) -> Result<Vec<Confidentiality>, Error> {
    list.iter()
        .enumerate()
        .map(|(i, s)| {
            Confidentiality::parse(s).ok_or_else(|| {
                RecordsError::InvalidLabel.with(format!(
                    "{field}[{i}]: `{s}` is not an HL7 v3 Confidentiality code: use U, L, M, N, R or V (sensitivity labels such as HIV go in sensitivity_commitments, committed)"
                ))
            })
        })
        .collect()
}

impl Content {
    pub fn from_proto(c: Option<&pb::RecordContent>) -> Result<Self, Error> {
        let c = c.ok_or_else(|| RecordsError::InvalidContent.with("content is missing: give the version's payload"))?;
        let e = c.encryption.as_ref().ok_or_else(|| {
            RecordsError::InvalidEncryption
                .with("content.encryption is missing: a record's payload is encrypted; give its algorithm and key id")
        })?;
        Ok(Content {
            content_hash: c.content_hash.clone(),
            size: c.size,
            locator: c.locator.clone(),
            encryption: Encryption {
                algorithm: Algorithm::parse("content.encryption.algorithm", &e.algorithm)?,
                key_id: e.key_id.clone(),
            },
            categories: commitments("content.category_commitments", &c.category_commitments)?,
            confidentiality: confidentiality("content.confidentiality", &c.confidentiality)?,
            sensitivity: commitments("content.sensitivity_commitments", &c.sensitivity_commitments)?,
        })
    }

    pub fn to_proto(&self) -> pb::RecordContent {
        pb::RecordContent {
            content_hash: self.content_hash.clone(),
            size: self.size,
            locator: self.locator.clone(),
            encryption: Some(self.encryption.to_proto()),
            category_commitments: self.categories.iter().map(|c| c.0.to_vec()).collect(),
            confidentiality: self.confidentiality.iter().map(|c| c.name().to_string()).collect(),
            sensitivity_commitments: self.sensitivity.iter().map(|c| c.0.to_vec()).collect(),
        }
    }
}
