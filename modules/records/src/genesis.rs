//! The records module's genesis section: params, the next record id, and every record with every
//! version, so that an exported chain starts again in the same state. Checked as messages check
//! them, against the params' ceilings (each version met the params of its day, which governance
//! may have lowered since), plus what only a whole record shows: versions count from 1, an
//! active record keeps every locator and key id, an erased one none.

use salus_did::{Did, DidRead};
use salus_sdk::time::Time;
use salus_sdk::{Error, StateRead, StateReadExt, StateWrite};
use serde::{Deserialize, Serialize};

use crate::commitment::Commitment;
use crate::content::{check_commitments, check_content_hash, check_labels};
use crate::error::RecordsError;
use crate::keys;
use crate::params::Params;
use crate::state::{RecordRead, RecordWrite};
use crate::types::{self, Algorithm, Content, Encryption, RecordMeta, RecordVersion, Status};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Genesis {
    #[serde(default)]
    pub params: Params,
    /// The id the next anchored record gets: above every record's.
    #[serde(default = "first_id", with = "salus_sdk::json::string")]
    pub next_record_id: u64,
    #[serde(default)]
    pub records: Vec<GenesisRecord>,
}

fn first_id() -> u64 {
    1
}

impl Default for Genesis {
    fn default() -> Self {
        Self { params: Params::default(), next_record_id: 1, records: Vec::new() }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisRecord {
    #[serde(with = "salus_sdk::json::string")]
    pub id: u64,
    pub owner: String,
    pub custodian: String,
    /// `active` or `erased`.
    pub status: String,
    #[serde(with = "salus_sdk::json::rfc3339")]
    pub created: Time,
    #[serde(default, with = "optional_time")]
    pub erased: Option<Time>,
    /// Every version, oldest first.
    pub versions: Vec<GenesisVersion>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisVersion {
    #[serde(with = "salus_sdk::json::string")]
    pub version: u64,
    pub content_hash: String,
    #[serde(with = "salus_sdk::json::string")]
    pub size: u64,
    /// `null` once erased.
    #[serde(default)]
    pub locator: Option<String>,
    /// `null` once erased.
    #[serde(default)]
    pub encryption: Option<GenesisEncryption>,
    /// 64 hex digits each.
    #[serde(default)]
    pub category_commitments: Vec<String>,
    #[serde(default)]
    pub confidentiality: Vec<String>,
    #[serde(default)]
    pub sensitivity_commitments: Vec<String>,
    #[serde(with = "salus_sdk::json::rfc3339")]
    pub time: Time,
    #[serde(with = "salus_sdk::json::string")]
    pub height: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenesisEncryption {
    pub algorithm: String,
    pub key_id: String,
}

/// An optional RFC 3339 time (`null` when absent).
mod optional_time {
    use salus_sdk::time::Time;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(t: &Option<Time>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => s.serialize_str(&t.rfc3339()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Time>, D::Error> {
        match Option::<String>::deserialize(d)? {
            None => Ok(None),
            Some(text) => Time::parse_rfc3339(&text).map(Some).ok_or_else(|| {
                serde::de::Error::custom(format!("`{text}` is not an RFC 3339 UTC time like 2026-01-02T03:04:05Z"))
            }),
        }
    }
}

fn invalid(message: String) -> Error {
    RecordsError::InvalidGenesis.with(message)
}

/// A record as genesis writes it.
struct Parsed {
    meta: RecordMeta,
    versions: Vec<RecordVersion>,
}

fn hex_commitments(field: &str, list: &[String]) -> Result<Vec<Commitment>, Error> {
    list.iter()
        .enumerate()
        .map(|(i, h)| {
            let bytes = hex::decode(h).map_err(|_| {
                RecordsError::InvalidCommitment.with(format!("{field}[{i}]: a commitment is 64 hex digits"))
            })?;
            Commitment::from_bytes(&format!("{field}[{i}]"), &bytes)
        })
        .collect()
}

impl GenesisVersion {
    fn parse(&self, at: &str, erased: bool) -> Result<RecordVersion, Error> {
        let c = Params::CEILING;
        let categories = hex_commitments(&format!("{at}.category_commitments"), &self.category_commitments)?;
        let sensitivity = hex_commitments(&format!("{at}.sensitivity_commitments"), &self.sensitivity_commitments)?;
        let confidentiality = types::confidentiality(&format!("{at}.confidentiality"), &self.confidentiality)?;
        let encryption = match &self.encryption {
            None => None,
            Some(e) => Some(Encryption {
                algorithm: Algorithm::parse(&format!("{at}.encryption.algorithm"), &e.algorithm)?,
                key_id: e.key_id.clone(),
            }),
        };
        match (erased, &self.locator, &encryption) {
            (false, Some(locator), Some(encryption)) => Content {
                content_hash: self.content_hash.clone(),
                size: self.size,
                locator: locator.clone(),
                encryption: encryption.clone(),
                categories: categories.clone(),
                confidentiality: confidentiality.clone(),
                sensitivity: sensitivity.clone(),
            }
            .validate(&c)
            .map_err(|e| Error { message: format!("{at}: {}", e.message), ..e })?,
            (true, None, None) => {
                check_content_hash(&format!("{at}.content_hash"), &self.content_hash, c.max_content_hash_len)?;
                if self.size == 0 {
                    return Err(invalid(format!("{at}.size is 0")));
                }
                check_commitments(&format!("{at}.category_commitments"), &categories, c.max_commitments)?;
                check_commitments(&format!("{at}.sensitivity_commitments"), &sensitivity, c.max_commitments)?;
                check_labels(&format!("{at}.confidentiality"), &confidentiality)?;
            }
            (false, _, _) => {
                return Err(invalid(format!("{at}: an active record's every version has a locator and an encryption")))
            }
            (true, _, _) => {
                return Err(invalid(format!(
                    "{at}: an erased record keeps no locator or encryption in any version (set both to null)"
                )))
            }
        }
        Ok(RecordVersion {
            version: self.version,
            content_hash: self.content_hash.clone(),
            size: self.size,
            locator: self.locator.clone(),
            encryption,
            categories,
            confidentiality,
            sensitivity,
            time: self.time,
            height: self.height,
        })
    }

    fn of(v: &RecordVersion) -> Self {
        GenesisVersion {
            version: v.version,
            content_hash: v.content_hash.clone(),
            size: v.size,
            locator: v.locator.clone(),
            encryption: v
                .encryption
                .as_ref()
                .map(|e| GenesisEncryption { algorithm: e.algorithm.name().into(), key_id: e.key_id.clone() }),
            category_commitments: v.categories.iter().map(Commitment::to_hex).collect(),
            confidentiality: v.confidentiality.iter().map(|c| c.name().to_string()).collect(),
            sensitivity_commitments: v.sensitivity.iter().map(Commitment::to_hex).collect(),
            time: v.time,
            height: v.height,
        }
    }
}

impl GenesisRecord {
    fn parse(&self, i: usize) -> Result<Parsed, Error> {
        let at = format!("records[{i}]");
        let owner = Did::parse(&format!("{at}.owner"), &self.owner)?;
        let custodian = Did::parse(&format!("{at}.custodian"), &self.custodian)?;
        let status = Status::parse(&self.status)
            .ok_or_else(|| invalid(format!("{at}.status is `{}`: use active or erased", self.status)))?;
        let erased = status == Status::Erased;
        if erased != self.erased.is_some() {
            return Err(invalid(format!("{at}: an erased record has an `erased` time, an active one none")));
        }
        let max = Params::CEILING.max_versions as usize;
        if self.versions.is_empty() || self.versions.len() > max {
            return Err(invalid(format!("{at}: a record has 1 to {max} versions, not {}", self.versions.len())));
        }
        let mut versions = Vec::with_capacity(self.versions.len());
        for (j, v) in self.versions.iter().enumerate() {
            let vat = format!("{at}.versions[{j}]");
            if v.version != j as u64 + 1 {
                return Err(invalid(format!("{vat}.version is {}: versions count from 1, oldest first", v.version)));
            }
            if j > 0 && v.time < self.versions[j - 1].time {
                return Err(invalid(format!("{vat}.time is before the version it superseded")));
            }
            versions.push(v.parse(&vat, erased)?);
        }
        if self.versions[0].time != self.created {
            return Err(invalid(format!("{at}.created is not the time of version 1")));
        }
        if let Some(t) = self.erased {
            if self.versions.last().is_some_and(|v| t < v.time) {
                return Err(invalid(format!("{at}.erased is before its last version")));
            }
        }
        let meta = RecordMeta {
            id: self.id,
            owner,
            custodian,
            status,
            version: versions.len() as u64,
            created: self.created,
            erased: self.erased,
        };
        Ok(Parsed { meta, versions })
    }
}

impl Genesis {
    fn parsed(&self) -> Result<Vec<Parsed>, Error> {
        self.params.validate()?;
        if self.next_record_id == 0 {
            return Err(invalid("next_record_id is 0: records are numbered from 1".into()));
        }
        let mut out: Vec<Parsed> = Vec::with_capacity(self.records.len());
        for (i, r) in self.records.iter().enumerate() {
            let previous = out.last().map_or(0, |p| p.meta.id);
            if r.id <= previous {
                return Err(invalid(format!(
                    "records[{i}].id is {}: ids are at least 1, each once, in increasing order",
                    r.id
                )));
            }
            if r.id >= self.next_record_id {
                return Err(invalid(format!(
                    "records[{i}].id is {}, not below next_record_id ({})",
                    r.id, self.next_record_id
                )));
            }
            out.push(r.parse(i)?);
        }
        Ok(out)
    }

    pub fn validate(&self) -> Result<(), Error> {
        self.parsed().map(|_| ())
    }

    /// Writes the section. The DID section is written first (the module list's order): every
    /// owner and custodian must be one of its DIDs.
    pub fn init(&self, state: &mut impl StateWrite) -> Result<(), Error> {
        let records = self.parsed()?;
        state.set_records_params(&self.params)?;
        state.set_next_record_id(self.next_record_id)?;
        for p in &records {
            for (field, did) in [("owner", &p.meta.owner), ("custodian", &p.meta.custodian)] {
                if state.did_meta(did)?.is_none() {
                    return Err(invalid(format!(
                        "record {}: {field} {did} is not a DID of the did section",
                        p.meta.id
                    )));
                }
            }
            for v in &p.versions {
                state.put_record_version(p.meta.id, v)?;
            }
            state.put_record_meta(&p.meta)?;
            state.index_record(&p.meta)?;
        }
        Ok(())
    }

    /// Params, the next id, and every record with every version.
    pub fn export(state: &impl StateRead) -> Result<Self, Error> {
        let mut records = Vec::new();
        for (_, meta) in state.prefix::<RecordMeta>(keys::RECORD_PREFIX)? {
            let versions = state.record_versions(meta.id)?.iter().map(GenesisVersion::of).collect();
            records.push(GenesisRecord {
                id: meta.id,
                owner: meta.owner.to_string(),
                custodian: meta.custodian.to_string(),
                status: meta.status.name().to_string(),
                created: meta.created,
                erased: meta.erased,
                versions,
            });
        }
        Ok(Self { params: state.records_params()?, next_record_id: state.next_record_id()?, records })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_genesis_without_records_is_its_params() {
        let g: Genesis = serde_json::from_str(r#"{"params": {}}"#).unwrap();
        assert_eq!(g, Genesis::default());
        g.validate().unwrap();
        let g: Genesis = serde_json::from_str(r#"{"params": {}, "next_record_id": "0"}"#).unwrap();
        assert_eq!(g.validate().unwrap_err().code, RecordsError::InvalidGenesis as u32);
        assert!(serde_json::from_str::<Genesis>(r#"{"params": {}, "extra": 1}"#).is_err());
    }
}
