//! The consent terms file that `salusd tx consent create|update --file` reads: Salus' own readable
//! form of a consent, codes in clear, which the CLI turns into `salus.consent.v1.ConsentTerms`
//! before anything leaves the machine. Data classes, clinical codes and every security label but
//! an HL7 v3 Confidentiality code are committed with the subject's commitment key
//! (`--commitment-key <file>`, 64 hex digits; [`salus_records::CommitmentKey`]); purposes,
//! actions, roles and Confidentiality codes stay in clear. See [`TERMS_FILE_HELP`] for the shape.
//!
//! Unknown fields are refused (a typo would otherwise widen or narrow a consent silently). The
//! chain checks the rest: vocabularies, nesting, sizes (docs/consent.md).

use anyhow::{anyhow, bail, Context};
use salus_proto::salus::consent::v1 as pb;
use salus_records::{CommitmentKey, CONFIDENTIALITY_SYSTEM};
use serde::Deserialize;
use serde_json::Value;

/// The terms file, as `--help` prints it.
pub const TERMS_FILE_HELP: &str = r#"The terms file (JSON; unknown fields are refused):

{
  "subject": "did:salus:...",          the patient the consent is about
  "status": "active",                  draft | active
  "scope": "treatment",                treatment | research | patient-privacy
  "decision": "permit",                the base decision: permit (opt-in) | deny (opt-out)
  "period": {"start": "2026-01-01T00:00:00Z", "end": "2027-01-01T00:00:00Z"},
  "provisions": [{                     exceptions to the base decision, nested up to the params' depth
    "decision": "deny",                the opposite of its parent's (the default when left out)
    "period": {"start": "...", "end": "..."},
    "actors": [{"role": {"system": "http://terminology.hl7.org/CodeSystem/v3-RoleCode", "code": "PROV"},
                "reference": "did:salus:..."}],
    "actions": ["access"],             access | collect | use | disclose | correct | compute
    "purposes": ["TREAT"],             HL7 v3 PurposeOfUse codes, ai-training, ai-inference
    "securityLabels": [
      {"system": "http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "code": "R"},
      {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "HIV"}],
    "classes": [{"system": "http://loinc.org", "code": "11488-4"}],
    "codes": [{"system": "http://snomed.info/sct", "code": "..."}],
    "dataPeriod": {"start": "...", "end": "..."},
    "records": ["17"],                 record ids (salusd query records ...)
    "provisions": []
  }]
}

Every field of a provision may be left out (an empty list matches anything). Times are RFC 3339
in UTC; a period's start is inclusive, its end exclusive, and either may be left out.

Only commitments of classes, codes and security labels reach the chain: each is HMAC-SHA256 of
"system|code" under the subject's commitment key (--commitment-key <file>, 64 hex digits), which
a file with any of them needs. A security label in the v3-Confidentiality system (U, L, M, N, R,
V) stays in clear; any other label (a sensitivity: HIV, PSY, ETH, ...) is committed."#;

/// A coded value: a role, class, code or security label.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct CodingFile {
    pub system: String,
    pub code: String,
}

/// Either end may be left out.
#[derive(Clone, Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PeriodFile {
    #[serde(default)]
    pub start: Option<String>,
    #[serde(default)]
    pub end: Option<String>,
}

#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ActorFile {
    #[serde(default)]
    pub role: Option<CodingFile>,
    #[serde(default)]
    pub reference: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ProvisionFile {
    /// Left out: the opposite of the parent's decision.
    #[serde(default)]
    pub decision: Option<String>,
    #[serde(default)]
    pub period: Option<PeriodFile>,
    #[serde(default)]
    pub actors: Vec<ActorFile>,
    #[serde(default)]
    pub actions: Vec<String>,
    #[serde(default)]
    pub purposes: Vec<String>,
    #[serde(default)]
    pub security_labels: Vec<CodingFile>,
    #[serde(default)]
    pub classes: Vec<CodingFile>,
    #[serde(default)]
    pub codes: Vec<CodingFile>,
    #[serde(default)]
    pub data_period: Option<PeriodFile>,
    /// Record ids, as strings (as proto3 JSON writes uint64) or numbers.
    #[serde(default)]
    pub records: Vec<Value>,
    #[serde(default)]
    pub provisions: Vec<ProvisionFile>,
}

/// A terms file.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TermsFile {
    pub subject: String,
    pub status: String,
    pub scope: String,
    pub decision: String,
    #[serde(default)]
    pub period: Option<PeriodFile>,
    #[serde(default)]
    pub provisions: Vec<ProvisionFile>,
}

const TERMS_FIELDS: &str = "subject, status, scope, decision, period and provisions";
const PROVISION_FIELDS: &str =
    "decision, period, actors, actions, purposes, securityLabels, classes, codes, dataPeriod, records and provisions";

impl TermsFile {
    /// Reads a terms file's text.
    pub fn parse(text: &str) -> anyhow::Result<TermsFile> {
        serde_json::from_str(text).map_err(|e| {
            anyhow!(
                "not a consent terms file: {e}. It is a JSON object with {TERMS_FIELDS}; a provision has \
                 {PROVISION_FIELDS} (salusd tx consent create --help shows an example)"
            )
        })
    }

    /// The terms as the chain reads them, codes committed with `key` (needed only if a provision
    /// names a class, a code or a security label outside v3-Confidentiality).
    pub fn to_proto(&self, key: Option<&CommitmentKey>) -> anyhow::Result<pb::ConsentTerms> {
        let provisions = self
            .provisions
            .iter()
            .enumerate()
            .map(|(i, p)| p.to_proto(&format!("provisions[{i}]"), &self.decision, key))
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(pb::ConsentTerms {
            subject: self.subject.clone(),
            status: self.status.clone(),
            scope: self.scope.clone(),
            decision: self.decision.clone(),
            period: period(self.period.as_ref(), "period")?,
            provisions,
        })
    }
}

/// The opposite of `decision`; anything but permit or deny has none (the chain then names it).
fn opposite(decision: &str) -> &str {
    match decision {
        "permit" => "deny",
        "deny" => "permit",
        _ => "",
    }
}

impl ProvisionFile {
    fn to_proto(&self, at: &str, parent: &str, key: Option<&CommitmentKey>) -> anyhow::Result<pb::Provision> {
        let decision = self.decision.clone().unwrap_or_else(|| opposite(parent).to_string());
        let commit = |field: &str, list: &[CodingFile]| -> anyhow::Result<Vec<Vec<u8>>> {
            list.iter().enumerate().map(|(i, c)| commitment(&format!("{at}.{field}[{i}]"), c, key)).collect()
        };
        let mut confidentiality = Vec::new();
        let mut sensitivity_commitments = Vec::new();
        for (i, label) in self.security_labels.iter().enumerate() {
            let field = format!("{at}.securityLabels[{i}]");
            if label.system == CONFIDENTIALITY_SYSTEM {
                if label.code.is_empty() {
                    bail!("{field} has no code: write a Confidentiality code (U, L, M, N, R or V)");
                }
                confidentiality.push(label.code.clone());
            } else {
                sensitivity_commitments.push(commitment(&field, label, key)?);
            }
        }
        let records = self
            .records
            .iter()
            .enumerate()
            .map(|(i, r)| record_id(&format!("{at}.records[{i}]"), r))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let actors = self
            .actors
            .iter()
            .map(|a| pb::Actor {
                role: a.role.as_ref().map(|r| pb::Coding { system: r.system.clone(), code: r.code.clone() }),
                reference: a.reference.clone().unwrap_or_default(),
            })
            .collect();
        let provisions = self
            .provisions
            .iter()
            .enumerate()
            .map(|(i, p)| p.to_proto(&format!("{at}.provisions[{i}]"), &decision, key))
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(pb::Provision {
            period: period(self.period.as_ref(), &format!("{at}.period"))?,
            actors,
            actions: self.actions.clone(),
            purposes: self.purposes.clone(),
            confidentiality,
            sensitivity_commitments,
            class_commitments: commit("classes", &self.classes)?,
            code_commitments: commit("codes", &self.codes)?,
            data_period: period(self.data_period.as_ref(), &format!("{at}.dataPeriod"))?,
            records,
            provisions,
            decision,
        })
    }
}

/// The commitment of a coded value, or why there is none. The error names the field, never the
/// code.
pub fn commitment(field: &str, c: &CodingFile, key: Option<&CommitmentKey>) -> anyhow::Result<Vec<u8>> {
    if c.system.is_empty() || c.code.is_empty() {
        bail!("{field} needs both a system and a code");
    }
    let key = key.ok_or_else(|| {
        anyhow!(
            "{field} is committed with the subject's commitment key, which was not given: pass \
             --commitment-key <file> (a file of 64 hex digits)"
        )
    })?;
    Ok(key.commit(&c.system, &c.code).0.to_vec())
}

fn record_id(field: &str, v: &Value) -> anyhow::Result<u64> {
    let id = match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    };
    id.ok_or_else(|| anyhow!("{field} is not a record id: write an unsigned integer, e.g. \"17\""))
}

fn period(p: Option<&PeriodFile>, field: &str) -> anyhow::Result<Option<pb::Period>> {
    let Some(p) = p else { return Ok(None) };
    Ok(Some(pb::Period {
        start: p.start.as_deref().map(|s| timestamp(&format!("{field}.start"), s)).transpose()?,
        end: p.end.as_deref().map(|s| timestamp(&format!("{field}.end"), s)).transpose()?,
    }))
}

/// An RFC 3339 time in UTC (`2026-01-01T00:00:00Z`) as a protobuf timestamp.
pub fn timestamp(field: &str, s: &str) -> anyhow::Result<prost_types::Timestamp> {
    let t = salus_sdk::time::parse_rfc3339(s.trim())
        .ok_or_else(|| anyhow!("{field} `{s}` is not an RFC 3339 time in UTC: write e.g. 2026-01-01T00:00:00Z"))?;
    Ok(prost_types::Timestamp { seconds: t.secs, nanos: i32::try_from(t.nanos).unwrap_or(0) })
}

/// Reads a commitment key file (64 hex digits).
pub fn read_commitment_key(path: &std::path::Path) -> anyhow::Result<CommitmentKey> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading the commitment key file {}", path.display()))?;
    CommitmentKey::from_hex(&text).map_err(|e| anyhow!("{}: {e}", path.display()))
}

/// Reads a terms file and commits its codes with the key in `key_file`, if given.
pub fn read_terms(path: &std::path::Path, key_file: Option<&std::path::Path>) -> anyhow::Result<pb::ConsentTerms> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading the terms file {}", path.display()))?;
    let file = TermsFile::parse(&text).with_context(|| format!("{}", path.display()))?;
    let key = key_file.map(read_commitment_key).transpose()?;
    file.to_proto(key.as_ref()).with_context(|| format!("{}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "0101010101010101010101010101010101010101010101010101010101010101";

    fn key() -> CommitmentKey {
        CommitmentKey::from_hex(KEY).unwrap()
    }

    const FULL: &str = r#"{
        "subject": "did:salus:patient",
        "status": "active",
        "scope": "treatment",
        "decision": "permit",
        "period": {"start": "2026-01-01T00:00:00Z", "end": "2027-01-01T00:00:00.5Z"},
        "provisions": [{
            "decision": "deny",
            "period": {"start": "2026-02-01T00:00:00Z"},
            "actors": [{"role": {"system": "http://terminology.hl7.org/CodeSystem/v3-RoleCode", "code": "PROV"},
                        "reference": "did:salus:hospital"}, {"reference": "did:salus:model"}],
            "actions": ["access", "use"],
            "purposes": ["TREAT"],
            "securityLabels": [
                {"system": "http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "code": "R"},
                {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "HIV"}],
            "classes": [{"system": "http://loinc.org", "code": "11488-4"}],
            "codes": [{"system": "http://snomed.info/sct", "code": "86406008"}],
            "dataPeriod": {"end": "2025-01-01T00:00:00Z"},
            "records": ["17", 18],
            "provisions": [{"purposes": ["ETREAT"]}]
        }]
    }"#;

    #[test]
    fn codes_are_committed_and_confidentiality_stays_in_clear() {
        let terms = TermsFile::parse(FULL).unwrap().to_proto(Some(&key())).unwrap();
        assert_eq!(
            (terms.subject.as_str(), terms.status.as_str(), terms.scope.as_str(), terms.decision.as_str()),
            ("did:salus:patient", "active", "treatment", "permit")
        );
        let period = terms.period.unwrap();
        assert_eq!(period.start.unwrap().seconds, 1_767_225_600);
        assert_eq!(period.end.unwrap().nanos, 500_000_000);
        let p = &terms.provisions[0];
        assert_eq!(p.decision, "deny");
        assert_eq!(p.period.as_ref().unwrap().end, None);
        assert_eq!(p.actors.len(), 2);
        assert_eq!(p.actors[0].role.as_ref().unwrap().code, "PROV");
        assert_eq!((p.actors[1].role.as_ref(), p.actors[1].reference.as_str()), (None, "did:salus:model"));
        assert_eq!(p.actions, ["access", "use"]);
        assert_eq!(p.purposes, ["TREAT"]);
        assert_eq!(p.confidentiality, ["R"]);
        let k = key();
        assert_eq!(p.sensitivity_commitments, [k.commit("http://terminology.hl7.org/CodeSystem/v3-ActCode", "HIV").0]);
        assert_eq!(p.class_commitments, [k.commit("http://loinc.org", "11488-4").0]);
        assert_eq!(p.code_commitments, [k.commit("http://snomed.info/sct", "86406008").0]);
        assert_eq!(p.data_period.as_ref().unwrap().start, None);
        assert_eq!(p.records, [17, 18]);
        // A nested provision without a decision takes the opposite of its parent's.
        assert_eq!(p.provisions[0].decision, "permit");
        assert_eq!(p.provisions[0].purposes, ["ETREAT"]);

        // No code reaches the message: only its commitment.
        let bytes = prost::Message::encode_to_vec(&terms);
        for code in ["HIV", "11488-4", "86406008", "loinc", "snomed", "ActCode"] {
            assert!(!bytes.windows(code.len()).any(|w| w == code.as_bytes()), "{code} is in the message");
        }
    }

    #[test]
    fn a_file_without_codes_to_commit_needs_no_key() {
        let text = r#"{"subject": "did:salus:p", "status": "draft", "scope": "research", "decision": "deny",
            "provisions": [{"purposes": ["HRESCH"], "actions": ["use"],
              "securityLabels": [{"system": "http://terminology.hl7.org/CodeSystem/v3-Confidentiality", "code": "N"}]}]}"#;
        let terms = TermsFile::parse(text).unwrap().to_proto(None).unwrap();
        assert_eq!(terms.period, None);
        assert_eq!(terms.provisions[0].decision, "permit");
        assert_eq!(terms.provisions[0].confidentiality, ["N"]);
        assert!(terms.provisions[0].sensitivity_commitments.is_empty());
    }

    #[test]
    fn a_code_to_commit_without_the_key_is_refused_naming_the_field_not_the_code() {
        let file = TermsFile::parse(FULL).unwrap();
        let e = file.to_proto(None).unwrap_err().to_string();
        assert!(e.contains("provisions[0].securityLabels[1]") && e.contains("--commitment-key"), "{e}");
        assert!(!e.contains("HIV"), "{e}");
        for (field, list) in [
            ("classes", r#""classes": [{"system": "http://loinc.org", "code": "11488-4"}]"#),
            ("codes", r#""codes": [{"system": "http://snomed.info/sct", "code": "1"}]"#),
        ] {
            let text = format!(
                r#"{{"subject": "s", "status": "active", "scope": "treatment", "decision": "permit",
                    "provisions": [{{"decision": "deny", "provisions": [{{{list}}}]}}]}}"#
            );
            let e = TermsFile::parse(&text).unwrap().to_proto(None).unwrap_err().to_string();
            assert!(e.contains(&format!("provisions[0].provisions[0].{field}[0]")), "{e}");
            assert!(e.contains("--commitment-key"), "{e}");
        }
    }

    #[test]
    fn unknown_fields_and_bad_values_are_refused() {
        let typo = FULL.replace("\"dataPeriod\"", "\"data_period\"");
        let e = TermsFile::parse(&typo).unwrap_err().to_string();
        assert!(e.contains("unknown field `data_period`") && e.contains("dataPeriod"), "{e}");
        let top = FULL.replace("\"scope\"", "\"category\"");
        let e = TermsFile::parse(&top).unwrap_err().to_string();
        assert!(e.contains("unknown field `category`"), "{e}");
        for (from, to) in [
            ("\"reference\": \"did:salus:model\"", "\"reference\": \"did:salus:model\", \"display\": \"x\""),
            ("\"code\": \"PROV\"", "\"code\": \"PROV\", \"display\": \"provider\""),
            ("\"end\": \"2025-01-01T00:00:00Z\"", "\"end\": \"2025-01-01T00:00:00Z\", \"until\": \"x\""),
        ] {
            let text = FULL.replace(from, to);
            assert_ne!(text, FULL);
            assert!(TermsFile::parse(&text).unwrap_err().to_string().contains("unknown field"), "{to}");
        }
        let e = TermsFile::parse(r#"{"subject": "s", "status": "active", "decision": "permit"}"#).unwrap_err();
        assert!(e.to_string().contains("missing field `scope`"), "{e}");
        for bad in ["", "[]", "not json", "{\"subject\": 5}"] {
            assert!(TermsFile::parse(bad).is_err(), "{bad}");
        }

        let convert = |from: &str, to: &str| {
            let text = FULL.replace(from, to);
            assert_ne!(text, FULL, "{from}");
            TermsFile::parse(&text).unwrap().to_proto(Some(&key())).unwrap_err().to_string()
        };
        let e = convert("2026-02-01T00:00:00Z", "2026-02-30T00:00:00Z");
        assert!(e.contains("provisions[0].period.start `2026-02-30T00:00:00Z` is not an RFC 3339 time"), "{e}");
        let e = convert("2027-01-01T00:00:00.5Z", "next year");
        assert!(e.contains("period.end"), "{e}");
        let e = convert("[\"17\", 18]", "[\"17\", -1]");
        assert!(e.contains("provisions[0].records[1] is not a record id"), "{e}");
        let e = convert("[\"17\", 18]", "[\"seventeen\"]");
        assert!(e.contains("records[0]"), "{e}");
        let e = convert("\"code\": \"HIV\"", "\"code\": \"\"");
        assert!(e.contains("securityLabels[1] needs both a system and a code"), "{e}");
        let e = convert("\"code\": \"R\"", "\"code\": \"\"");
        assert!(e.contains("securityLabels[0] has no code"), "{e}");
    }

    #[test]
    fn deep_or_odd_input_never_panics() {
        // serde_json's recursion limit bounds nesting before the conversion walks it.
        let deep = format!(
            r#"{{"subject": "s", "status": "active", "scope": "treatment", "decision": "permit", "provisions": [{}{}]}}"#,
            r#"{"provisions": ["#.repeat(500),
            "]}".repeat(500)
        );
        assert!(TermsFile::parse(&deep).is_err());
        let nested = format!(
            r#"{{"subject": "s", "status": "active", "scope": "treatment", "decision": "maybe", "provisions": [{}{}]}}"#,
            r#"{"provisions": ["#.repeat(20),
            "]}".repeat(20)
        );
        let terms = TermsFile::parse(&nested).unwrap().to_proto(None).unwrap();
        assert_eq!(terms.provisions[0].decision, "", "no opposite of an unknown decision: the chain names it");
        for record in ["1e3", "18446744073709551616", "null", "true", "{}"] {
            let text = FULL.replace("[\"17\", 18]", &format!("[{record}]"));
            let parsed = TermsFile::parse(&text);
            assert!(parsed.map(|f| f.to_proto(Some(&key())).is_err()).unwrap_or(true), "{record}");
        }
    }

    #[test]
    fn commitment_keys_are_read_from_files() {
        let dir = tempfile::tempdir().unwrap();
        let good = dir.path().join("key");
        std::fs::write(&good, format!("{KEY}\n")).unwrap();
        assert_eq!(read_commitment_key(&good).unwrap().0, [1; 32]);
        let short = dir.path().join("short");
        std::fs::write(&short, "abcd").unwrap();
        assert!(read_commitment_key(&short).err().unwrap().to_string().contains("32 bytes"));
        assert!(read_commitment_key(&dir.path().join("missing")).is_err());
        let terms = dir.path().join("terms.json");
        std::fs::write(&terms, FULL).unwrap();
        let t = read_terms(&terms, Some(&good)).unwrap();
        assert_eq!(t.provisions[0].class_commitments.len(), 1);
        let e = format!("{:#}", read_terms(&terms, None).unwrap_err());
        assert!(e.contains("terms.json") && e.contains("--commitment-key"), "{e}");
    }
}
