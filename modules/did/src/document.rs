//! DID documents (W3C DID Core 1.0) as the chain keeps them, and the rules a document must meet:
//! every rejection names the field and the rule it breaks.

use borsh::{BorshDeserialize, BorshSerialize};
use prost::Message;
use salus_proto::salus::did::v1 as pb;
use salus_sdk::Error;
use sha2::{Digest, Sha256};

use crate::crypto::{Jwk, PublicKey};
use crate::error::DidError;
use crate::method::{Did, DidUrl};
use crate::params::Params;

/// The verification method types this method supports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub enum MethodType {
    Ed25519VerificationKey2020,
    EcdsaSecp256k1VerificationKey2019,
    JsonWebKey2020,
    X25519KeyAgreementKey2020,
}

impl MethodType {
    pub const ALL: [MethodType; 4] = [
        MethodType::Ed25519VerificationKey2020,
        MethodType::EcdsaSecp256k1VerificationKey2019,
        MethodType::JsonWebKey2020,
        MethodType::X25519KeyAgreementKey2020,
    ];

    pub fn name(self) -> &'static str {
        match self {
            MethodType::Ed25519VerificationKey2020 => "Ed25519VerificationKey2020",
            MethodType::EcdsaSecp256k1VerificationKey2019 => "EcdsaSecp256k1VerificationKey2019",
            MethodType::JsonWebKey2020 => "JsonWebKey2020",
            MethodType::X25519KeyAgreementKey2020 => "X25519KeyAgreementKey2020",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.name() == s)
    }

    /// The JSON-LD context that defines the type's terms.
    pub fn context(self) -> &'static str {
        match self {
            MethodType::Ed25519VerificationKey2020 => "https://w3id.org/security/suites/ed25519-2020/v1",
            MethodType::EcdsaSecp256k1VerificationKey2019 => "https://w3id.org/security/suites/secp256k1-2019/v1",
            MethodType::JsonWebKey2020 => "https://w3id.org/security/suites/jws-2020/v1",
            MethodType::X25519KeyAgreementKey2020 => "https://w3id.org/security/suites/x25519-2020/v1",
        }
    }

    /// Whether the type can carry `key` in `format`.
    fn accepts(self, key: &PublicKey, format: KeyFormat) -> bool {
        use KeyFormat::{Jwk, Multibase};
        match self {
            MethodType::Ed25519VerificationKey2020 => matches!((key, format), (PublicKey::Ed25519(_), Multibase)),
            MethodType::EcdsaSecp256k1VerificationKey2019 => matches!(key, PublicKey::Secp256k1(_)),
            MethodType::JsonWebKey2020 => format == Jwk,
            MethodType::X25519KeyAgreementKey2020 => matches!((key, format), (PublicKey::X25519(_), Multibase)),
        }
    }

    fn rule(self) -> &'static str {
        match self {
            MethodType::Ed25519VerificationKey2020 => "an Ed25519 key in publicKeyMultibase",
            MethodType::EcdsaSecp256k1VerificationKey2019 => "a secp256k1 key in publicKeyJwk or publicKeyMultibase",
            MethodType::JsonWebKey2020 => "an Ed25519, X25519, secp256k1 or P-256 key in publicKeyJwk",
            MethodType::X25519KeyAgreementKey2020 => "an X25519 key in publicKeyMultibase",
        }
    }
}

/// How the document carries a key, kept so that resolution returns what was registered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub enum KeyFormat {
    Multibase,
    Jwk,
}

#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct VerificationMethod {
    /// `<document DID>#<fragment>`.
    pub id: String,
    pub kind: MethodType,
    pub controller: Did,
    pub key: PublicKey,
    pub format: KeyFormat,
}

#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Service {
    pub id: String,
    pub types: Vec<String>,
    pub endpoints: Vec<String>,
}

/// The verification relationships of DID Core section 5.3.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Relationship {
    Authentication,
    AssertionMethod,
    KeyAgreement,
    CapabilityInvocation,
    CapabilityDelegation,
}

impl Relationship {
    pub const ALL: [Relationship; 5] = [
        Relationship::Authentication,
        Relationship::AssertionMethod,
        Relationship::KeyAgreement,
        Relationship::CapabilityInvocation,
        Relationship::CapabilityDelegation,
    ];

    /// The DID Core property name.
    pub fn name(self) -> &'static str {
        match self {
            Relationship::Authentication => "authentication",
            Relationship::AssertionMethod => "assertionMethod",
            Relationship::KeyAgreement => "keyAgreement",
            Relationship::CapabilityInvocation => "capabilityInvocation",
            Relationship::CapabilityDelegation => "capabilityDelegation",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.name().eq_ignore_ascii_case(s))
    }

    /// This relationship's references in a document in wire form.
    pub fn refs_in(self, doc: &pb::DidDocument) -> &Vec<String> {
        match self {
            Relationship::Authentication => &doc.authentication,
            Relationship::AssertionMethod => &doc.assertion_method,
            Relationship::KeyAgreement => &doc.key_agreement,
            Relationship::CapabilityInvocation => &doc.capability_invocation,
            Relationship::CapabilityDelegation => &doc.capability_delegation,
        }
    }

    pub fn refs_in_mut(self, doc: &mut pb::DidDocument) -> &mut Vec<String> {
        match self {
            Relationship::Authentication => &mut doc.authentication,
            Relationship::AssertionMethod => &mut doc.assertion_method,
            Relationship::KeyAgreement => &mut doc.key_agreement,
            Relationship::CapabilityInvocation => &mut doc.capability_invocation,
            Relationship::CapabilityDelegation => &mut doc.capability_delegation,
        }
    }
}

impl From<&pb::PublicKeyJwk> for Jwk {
    fn from(j: &pb::PublicKeyJwk) -> Self {
        Jwk { kty: j.kty.clone(), crv: j.crv.clone(), x: j.x.clone(), y: j.y.clone() }
    }
}

impl From<Jwk> for pb::PublicKeyJwk {
    fn from(j: Jwk) -> Self {
        pb::PublicKeyJwk { kty: j.kty, crv: j.crv, x: j.x, y: j.y }
    }
}

impl VerificationMethod {
    pub fn to_proto(&self) -> pb::VerificationMethod {
        let (public_key_multibase, public_key_jwk) = match self.format {
            KeyFormat::Multibase => (self.key.to_multibase(), None),
            KeyFormat::Jwk => (String::new(), Some(self.key.to_jwk().into())),
        };
        pb::VerificationMethod {
            id: self.id.clone(),
            r#type: self.kind.name().to_string(),
            controller: self.controller.to_string(),
            public_key_multibase,
            public_key_jwk,
        }
    }

    /// The public key of a method in wire form, if it decodes.
    pub fn key_of(m: &pb::VerificationMethod) -> Option<PublicKey> {
        match &m.public_key_jwk {
            Some(j) => PublicKey::from_jwk(&j.into()).ok(),
            None => PublicKey::from_multibase(&m.public_key_multibase).ok(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Document {
    pub id: Did,
    pub controller: Vec<Did>,
    pub also_known_as: Vec<String>,
    pub verification_method: Vec<VerificationMethod>,
    pub authentication: Vec<String>,
    pub assertion_method: Vec<String>,
    pub key_agreement: Vec<String>,
    pub capability_invocation: Vec<String>,
    pub capability_delegation: Vec<String>,
    pub service: Vec<Service>,
}

fn invalid(message: String) -> Error {
    DidError::InvalidDocument.with(message)
}

const MAX_URI_CHARS: usize = 512;
const MAX_TYPE_CHARS: usize = 64;

/// An absolute URI: a scheme (a letter, then letters, digits, `+-.`), `:`, and a non-empty rest
/// without spaces or control characters.
fn check_uri(field: &str, s: &str) -> Result<(), Error> {
    let ok = s.len() <= MAX_URI_CHARS
        && s.split_once(':').is_some_and(|(scheme, rest)| {
            scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
                && !rest.is_empty()
        })
        && !s.chars().any(|c| c.is_whitespace() || c.is_control());
    if !ok {
        return Err(invalid(format!(
            "{field}: `{s}` is not an absolute URI of at most {MAX_URI_CHARS} characters (e.g. https://hospital.example/fhir)"
        )));
    }
    Ok(())
}

fn no_duplicates(field: &str, items: &[String]) -> Result<(), Error> {
    for (i, item) in items.iter().enumerate() {
        if items[..i].contains(item) {
            return Err(invalid(format!("{field}[{i}]: `{item}` is listed twice")));
        }
    }
    Ok(())
}

impl Document {
    /// The effective controllers: the `controller` property, or the DID itself when absent.
    pub fn controllers(&self) -> Vec<Did> {
        if self.controller.is_empty() {
            vec![self.id.clone()]
        } else {
            self.controller.clone()
        }
    }

    pub fn method(&self, id: &str) -> Option<&VerificationMethod> {
        self.verification_method.iter().find(|m| m.id == id)
    }

    pub fn refs(&self, rel: Relationship) -> &[String] {
        match rel {
            Relationship::Authentication => &self.authentication,
            Relationship::AssertionMethod => &self.assertion_method,
            Relationship::KeyAgreement => &self.key_agreement,
            Relationship::CapabilityInvocation => &self.capability_invocation,
            Relationship::CapabilityDelegation => &self.capability_delegation,
        }
    }

    pub fn refs_mut(&mut self, rel: Relationship) -> &mut Vec<String> {
        match rel {
            Relationship::Authentication => &mut self.authentication,
            Relationship::AssertionMethod => &mut self.assertion_method,
            Relationship::KeyAgreement => &mut self.key_agreement,
            Relationship::CapabilityInvocation => &mut self.capability_invocation,
            Relationship::CapabilityDelegation => &mut self.capability_delegation,
        }
    }

    /// The method `id`, if the document lists it under `rel`.
    pub fn method_for(&self, rel: Relationship, id: &str) -> Option<&VerificationMethod> {
        self.refs(rel).iter().any(|r| r == id).then(|| self.method(id)).flatten()
    }

    /// The document a deactivated DID resolves to: its id and nothing else, so no key of it
    /// verifies anything any more.
    pub fn deactivated(id: Did) -> Self {
        Document {
            id,
            controller: Vec::new(),
            also_known_as: Vec::new(),
            verification_method: Vec::new(),
            authentication: Vec::new(),
            assertion_method: Vec::new(),
            key_agreement: Vec::new(),
            capability_invocation: Vec::new(),
            capability_delegation: Vec::new(),
            service: Vec::new(),
        }
    }

    /// Parses and validates a submitted document against DID Core and this method's rules.
    pub fn from_proto(p: &pb::DidDocument, params: &Params) -> Result<Self, Error> {
        let size = p.encoded_len();
        if size > params.max_document_bytes as usize {
            return Err(DidError::DocumentTooLarge.with(format!(
                "the document is {size} bytes; the limit is {}: move large data off chain and reference it from a service",
                params.max_document_bytes
            )));
        }
        let id = Did::parse("id", &p.id)?;
        limit("controller", p.controller.len(), params.max_controllers)?;
        limit("verificationMethod", p.verification_method.len(), params.max_verification_methods)?;
        limit("service", p.service.len(), params.max_services)?;
        limit("alsoKnownAs", p.also_known_as.len(), params.max_services)?;

        no_duplicates("controller", &p.controller)?;
        let controller = p
            .controller
            .iter()
            .enumerate()
            .map(|(i, c)| Did::parse(&format!("controller[{i}]"), c))
            .collect::<Result<Vec<_>, _>>()?;
        no_duplicates("alsoKnownAs", &p.also_known_as)?;
        for (i, uri) in p.also_known_as.iter().enumerate() {
            check_uri(&format!("alsoKnownAs[{i}]"), uri)?;
        }

        let mut ids: Vec<String> = Vec::new();
        let mut own_id = |field: &str, s: &str| -> Result<String, Error> {
            let url = DidUrl::parse(field, s)?;
            if url.did != id {
                return Err(invalid(format!("{field}: `{s}` must be a DID URL of this document's DID {id}")));
            }
            if ids.contains(&s.to_string()) {
                return Err(invalid(format!("{field}: `{s}` is used twice; ids in a document are unique")));
            }
            ids.push(s.to_string());
            Ok(s.to_string())
        };

        let mut verification_method = Vec::with_capacity(p.verification_method.len());
        for (i, m) in p.verification_method.iter().enumerate() {
            let field = format!("verificationMethod[{i}]");
            let vm_id = own_id(&format!("{field}.id"), &m.id)?;
            let kind = MethodType::parse(&m.r#type).ok_or_else(|| {
                DidError::UnsupportedKeyType.with(format!(
                    "{field}.type: `{}` is not supported; use one of {}",
                    m.r#type,
                    MethodType::ALL.map(MethodType::name).join(", ")
                ))
            })?;
            let controller = Did::parse(&format!("{field}.controller"), &m.controller)?;
            let (key, format) = match (&m.public_key_multibase, &m.public_key_jwk) {
                (mb, None) if !mb.is_empty() => (
                    PublicKey::from_multibase(mb).map_err(|e| invalid(format!("{field}.publicKeyMultibase {e}")))?,
                    KeyFormat::Multibase,
                ),
                (mb, Some(jwk)) if mb.is_empty() => {
                    let jwk = Jwk::from(jwk);
                    (
                        PublicKey::from_jwk(&jwk).map_err(|e| invalid(format!("{field}.publicKeyJwk: {e}")))?,
                        KeyFormat::Jwk,
                    )
                }
                _ => return Err(invalid(format!("{field}: give exactly one of publicKeyMultibase and publicKeyJwk"))),
            };
            if !kind.accepts(&key, format) {
                return Err(DidError::UnsupportedKeyType.with(format!(
                    "{field}: a {} method takes {}, not a {} key in {}",
                    kind.name(),
                    kind.rule(),
                    key.curve(),
                    if format == KeyFormat::Jwk { "publicKeyJwk" } else { "publicKeyMultibase" }
                )));
            }
            verification_method.push(VerificationMethod { id: vm_id, kind, controller, key, format });
        }

        let mut service = Vec::with_capacity(p.service.len());
        for (i, s) in p.service.iter().enumerate() {
            let field = format!("service[{i}]");
            let sid = own_id(&format!("{field}.id"), &s.id)?;
            if s.r#type.is_empty() {
                return Err(invalid(format!("{field}.type: give at least one type, e.g. FhirEndpoint")));
            }
            for (j, t) in s.r#type.iter().enumerate() {
                if t.is_empty() || t.len() > MAX_TYPE_CHARS || t.chars().any(|c| c.is_whitespace() || c.is_control()) {
                    return Err(invalid(format!(
                        "{field}.type[{j}]: `{t}` must be 1-{MAX_TYPE_CHARS} characters without spaces"
                    )));
                }
            }
            no_duplicates(&format!("{field}.type"), &s.r#type)?;
            if s.service_endpoint.is_empty() {
                return Err(invalid(format!("{field}.serviceEndpoint: give at least one URI")));
            }
            for (j, e) in s.service_endpoint.iter().enumerate() {
                check_uri(&format!("{field}.serviceEndpoint[{j}]"), e)?;
            }
            no_duplicates(&format!("{field}.serviceEndpoint"), &s.service_endpoint)?;
            service.push(Service { id: sid, types: s.r#type.clone(), endpoints: s.service_endpoint.clone() });
        }

        let doc = Document {
            id,
            controller,
            also_known_as: p.also_known_as.clone(),
            verification_method,
            authentication: p.authentication.clone(),
            assertion_method: p.assertion_method.clone(),
            key_agreement: p.key_agreement.clone(),
            capability_invocation: p.capability_invocation.clone(),
            capability_delegation: p.capability_delegation.clone(),
            service,
        };
        doc.check_relationships()?;
        Ok(doc)
    }

    fn check_relationships(&self) -> Result<(), Error> {
        for rel in Relationship::ALL {
            let refs = self.refs(rel);
            no_duplicates(rel.name(), refs)?;
            for (i, r) in refs.iter().enumerate() {
                let field = format!("{}[{i}]", rel.name());
                DidUrl::parse(&field, r)?;
                let method = self.method(r).ok_or_else(|| {
                    invalid(format!(
                        "{field}: `{r}` references no verificationMethod of this document; add the method or drop the reference"
                    ))
                })?;
                let agreement = rel == Relationship::KeyAgreement;
                if agreement && method.key.can_sign() {
                    return Err(invalid(format!(
                        "{field}: `{r}` is a {} signing key; keyAgreement takes X25519 keys",
                        method.key.curve()
                    )));
                }
                if !agreement && !method.key.can_sign() {
                    return Err(invalid(format!(
                        "{field}: `{r}` is an X25519 key, which cannot sign; list it under keyAgreement only"
                    )));
                }
            }
        }
        if self.controllers().contains(&self.id) && self.capability_invocation.is_empty() {
            return Err(invalid(
                "capabilityInvocation: a document that controls itself needs at least one capabilityInvocation method, or nobody could ever update it".to_string(),
            ));
        }
        Ok(())
    }

    pub fn to_proto(&self) -> pb::DidDocument {
        pb::DidDocument {
            id: self.id.to_string(),
            controller: self.controller.iter().map(ToString::to_string).collect(),
            verification_method: self.verification_method.iter().map(VerificationMethod::to_proto).collect(),
            authentication: self.authentication.clone(),
            assertion_method: self.assertion_method.clone(),
            key_agreement: self.key_agreement.clone(),
            capability_invocation: self.capability_invocation.clone(),
            capability_delegation: self.capability_delegation.clone(),
            service: self
                .service
                .iter()
                .map(|s| pb::Service {
                    id: s.id.clone(),
                    r#type: s.types.clone(),
                    service_endpoint: s.endpoints.clone(),
                })
                .collect(),
            also_known_as: self.also_known_as.clone(),
        }
    }

    /// SHA-256 of the document's protobuf encoding: what proofs sign.
    pub fn hash(&self) -> [u8; 32] {
        hash_proto(&self.to_proto())
    }
}

pub fn hash_proto(p: &pb::DidDocument) -> [u8; 32] {
    Sha256::digest(p.encode_to_vec()).into()
}

fn limit(field: &str, n: usize, max: u32) -> Result<(), Error> {
    if n > max as usize {
        return Err(DidError::DocumentTooLarge.with(format!("{field}: {n} entries; the limit is {max}")));
    }
    Ok(())
}
