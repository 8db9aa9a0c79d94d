//! `salusd tx did ...` and `salusd query did ...`: the module's [`ModuleCli`]. The node supplies
//! keys, signing and transport; this file says what each command does to a document, resolves
//! the documents it changes and proves each change with the DID's key.

use anyhow::{anyhow, bail};
use clap::{Args, Subcommand};
use prost::Message;
use salus_proto::salus::did::v1 as pb;
use salus_sdk::cli::{self, CliCtx, ModuleCli, PubKey, QueryAnswer, QueryError, TxRequest};
use salus_sdk::pagination::PageArgs;
use salus_sdk::{Error, Module};

use crate::crypto::PublicKey;
use crate::document::{hash_proto, KeyFormat, MethodType, Relationship, VerificationMethod};
use crate::error::DidError;
use crate::method::{check_fragment, Did};
use crate::msgs::DidMsg;
use crate::proof::{sign_bytes, Proof};
use crate::query::{HISTORY_PATH, PARAMS_PATH, RESOLVE_PATH};
use crate::state::Operation;

/// Who authorises a change, and who pays for it.
#[derive(Debug, Args, Clone)]
pub struct Authority {
    /// Keyring key that signs the DID proof: a capabilityInvocation key of the DID, or of one of
    /// its controllers.
    #[arg(long)]
    pub key: String,
    /// Keyring key (secp256k1) that signs the transaction and pays its fee [default: --key].
    #[arg(long)]
    pub from: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum TxCmd {
    /// Create the DID of a keyring key. The DID is derived from the key, which becomes #key-1 with
    /// every signing relationship.
    Create {
        #[command(flatten)]
        auth: Authority,
        /// A service, as FRAGMENT=TYPE=ENDPOINT (e.g. fhir=FhirEndpoint=https://h.example/fhir). Repeatable.
        #[arg(long = "service", value_name = "FRAGMENT=TYPE=ENDPOINT")]
        services: Vec<String>,
        /// A controller DID other than the DID itself. Repeatable.
        #[arg(long)]
        controller: Vec<String>,
        /// Publish the key as a JsonWebKey2020 (publicKeyJwk).
        #[arg(long)]
        jwk: bool,
    },
    /// Add a verification method: a keyring key (--new-key) or a public key (--public-key-multibase).
    #[command(name = "add-key")]
    AddKey {
        did: String,
        #[command(flatten)]
        auth: Authority,
        /// Keyring key to add.
        #[arg(long, required_unless_present = "public_key_multibase", conflicts_with = "public_key_multibase")]
        new_key: Option<String>,
        /// A public key to add, e.g. an X25519 key (z6LS...) for keyAgreement.
        #[arg(long)]
        public_key_multibase: Option<String>,
        /// Fragment of the new method's id [default: key-N, N the version this adds].
        #[arg(long)]
        id: Option<String>,
        /// Relationships, comma separated [default: authentication,assertionMethod; keyAgreement for X25519].
        #[arg(long, value_delimiter = ',')]
        relationships: Vec<String>,
        /// Publish the key as a JsonWebKey2020 (publicKeyJwk).
        #[arg(long)]
        jwk: bool,
    },
    /// Remove a verification method and every reference to it.
    #[command(name = "remove-key")]
    RemoveKey {
        did: String,
        /// The method's fragment (key-2) or DID URL.
        key_id: String,
        #[command(flatten)]
        auth: Authority,
    },
    /// Replace the DID's controllers (give the DID itself to stay self-controlled).
    #[command(name = "set-controller")]
    SetController {
        did: String,
        #[arg(required = true)]
        controllers: Vec<String>,
        #[command(flatten)]
        auth: Authority,
    },
    /// Add a service endpoint.
    #[command(name = "add-service")]
    AddService {
        did: String,
        /// The service's fragment, e.g. fhir.
        #[arg(long)]
        id: String,
        /// Service type, e.g. FhirEndpoint. Repeatable.
        #[arg(long = "type", required = true)]
        service_type: Vec<String>,
        /// Endpoint URI. Repeatable.
        #[arg(long, required = true)]
        endpoint: Vec<String>,
        #[command(flatten)]
        auth: Authority,
    },
    /// Remove a service endpoint.
    #[command(name = "remove-service")]
    RemoveService {
        did: String,
        /// The service's fragment or DID URL.
        service_id: String,
        #[command(flatten)]
        auth: Authority,
    },
    /// Deactivate the DID for good: nothing can update or recreate it afterwards.
    Deactivate {
        did: String,
        #[command(flatten)]
        auth: Authority,
    },
}

/// What a command does to the DID's document.
pub enum Change {
    Create(pb::DidDocument),
    Update(pb::DidDocument),
    Deactivate,
}

fn bad(message: String) -> Error {
    DidError::InvalidDocument.with(message)
}

/// A verification method for `key` as the CLI publishes it.
pub fn method_for_key(did: &Did, fragment: &str, key: &PublicKey, jwk: bool) -> pb::VerificationMethod {
    let kind = match key {
        _ if jwk => MethodType::JsonWebKey2020,
        PublicKey::Ed25519(_) => MethodType::Ed25519VerificationKey2020,
        PublicKey::Secp256k1(_) => MethodType::EcdsaSecp256k1VerificationKey2019,
        PublicKey::X25519(_) => MethodType::X25519KeyAgreementKey2020,
        PublicKey::P256(_) => MethodType::JsonWebKey2020,
    };
    let in_jwk = kind == MethodType::JsonWebKey2020 || matches!(key, PublicKey::Secp256k1(_));
    VerificationMethod {
        id: did.url(fragment),
        kind,
        controller: did.clone(),
        key: key.clone(),
        format: if in_jwk { KeyFormat::Jwk } else { KeyFormat::Multibase },
    }
    .to_proto()
}

/// The first document of `key`'s DID: the key as #key-1 in every signing relationship.
pub fn new_document(
    key: &PublicKey,
    jwk: bool,
    services: &[String],
    controllers: &[String],
) -> Result<pb::DidDocument, Error> {
    if !key.can_sign() {
        return Err(DidError::UnsupportedKeyType.with("a DID is created with a signing key (ed25519 or secp256k1)"));
    }
    let did = Did::from_key(key);
    let vm = method_for_key(&did, "key-1", key, jwk);
    let id = vm.id.clone();
    let mut doc = pb::DidDocument {
        id: did.to_string(),
        controller: controllers.to_vec(),
        verification_method: vec![vm],
        authentication: vec![id.clone()],
        assertion_method: vec![id.clone()],
        capability_invocation: vec![id.clone()],
        capability_delegation: vec![id],
        ..Default::default()
    };
    if !controllers.is_empty() && !controllers.contains(&did.to_string()) {
        // Other controllers given: keep the DID among them so its own key can still act.
        doc.controller.insert(0, did.to_string());
    }
    for s in services {
        doc.service.push(parse_service(&did, s)?);
    }
    Ok(doc)
}

fn parse_service(did: &Did, s: &str) -> Result<pb::Service, Error> {
    let mut parts = s.splitn(3, '=');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(f), Some(t), Some(e)) if !f.is_empty() => {
            check_fragment("--service", f)?;
            Ok(pb::Service { id: did.url(f), r#type: vec![t.to_string()], service_endpoint: vec![e.to_string()] })
        }
        _ => Err(bad(format!(
            "--service `{s}` must be FRAGMENT=TYPE=ENDPOINT, e.g. fhir=FhirEndpoint=https://h.example/fhir"
        ))),
    }
}

/// `key-2` or `did:salus:...#key-2` to a DID URL of `did`.
fn full_id(did: &str, id: &str) -> String {
    if id.contains('#') {
        id.to_string()
    } else {
        format!("{did}#{id}")
    }
}

/// `key-N`, N the version that adds the key: versions only grow, so a fragment that named a key
/// removed earlier is never given to another key (a signature names its key by that fragment).
fn next_key_fragment(doc: &pb::DidDocument, next_version: u64) -> String {
    (next_version..)
        .map(|n| format!("key-{n}"))
        .find(|f| !doc.verification_method.iter().any(|m| m.id.ends_with(&format!("#{f}"))))
        .expect("some key-N is free")
}

impl TxCmd {
    pub fn authority(&self) -> &Authority {
        match self {
            TxCmd::Create { auth, .. }
            | TxCmd::AddKey { auth, .. }
            | TxCmd::RemoveKey { auth, .. }
            | TxCmd::SetController { auth, .. }
            | TxCmd::AddService { auth, .. }
            | TxCmd::RemoveService { auth, .. }
            | TxCmd::Deactivate { auth, .. } => auth,
        }
    }

    /// The DID the command changes; `None` for create, whose DID comes from the key.
    pub fn did(&self) -> Option<&str> {
        match self {
            TxCmd::Create { .. } => None,
            TxCmd::AddKey { did, .. }
            | TxCmd::RemoveKey { did, .. }
            | TxCmd::SetController { did, .. }
            | TxCmd::AddService { did, .. }
            | TxCmd::RemoveService { did, .. }
            | TxCmd::Deactivate { did, .. } => Some(did),
        }
    }

    /// The keyring key that add-key adds.
    pub fn new_key_name(&self) -> Option<&str> {
        match self {
            TxCmd::AddKey { new_key, .. } => new_key.as_deref(),
            _ => None,
        }
    }

    /// The change to make: `key` is the proof key, `current` the DID's current document and
    /// version (none for create), `new_key` the public key of `--new-key`.
    pub fn change(
        &self,
        key: &PublicKey,
        current: Option<(&pb::DidDocument, u64)>,
        new_key: Option<&PublicKey>,
    ) -> Result<Change, Error> {
        let (current, version) = match (self, current) {
            (TxCmd::Create { services, controller, jwk, .. }, _) => {
                return new_document(key, *jwk, services, controller).map(Change::Create)
            }
            (TxCmd::Deactivate { .. }, _) => return Ok(Change::Deactivate),
            (_, Some(c)) => c,
            (_, None) => return Err(DidError::NotFound.with("the DID has no current document")),
        };
        let mut doc = current.clone();
        let did = Did::parse("did", &doc.id)?;
        match self {
            TxCmd::AddKey { public_key_multibase, id, relationships, jwk, .. } => {
                let key = match (new_key, public_key_multibase) {
                    (Some(k), _) => k.clone(),
                    (None, Some(mb)) => {
                        PublicKey::from_multibase(mb).map_err(|e| bad(format!("--public-key-multibase {e}")))?
                    }
                    (None, None) => return Err(bad("give --new-key or --public-key-multibase".into())),
                };
                if doc.verification_method.iter().any(|m| method_key(m).as_ref() == Some(&key)) {
                    return Err(bad("the document already lists this key: add a different key, or change its relationships by removing and adding it".into()));
                }
                let fragment = id.clone().unwrap_or_else(|| next_key_fragment(&doc, version + 1));
                check_fragment("--id", &fragment)?;
                let vm = method_for_key(&did, &fragment, &key, *jwk);
                let rels = if relationships.is_empty() {
                    if key.can_sign() {
                        vec![Relationship::Authentication, Relationship::AssertionMethod]
                    } else {
                        vec![Relationship::KeyAgreement]
                    }
                } else {
                    relationships
                        .iter()
                        .map(|r| {
                            Relationship::parse(r.trim()).ok_or_else(|| {
                                bad(format!(
                                    "--relationships: `{r}` is not one of {}",
                                    Relationship::ALL.map(Relationship::name).join(", ")
                                ))
                            })
                        })
                        .collect::<Result<Vec<_>, _>>()?
                };
                for rel in rels {
                    push_ref(&mut doc, rel, vm.id.clone());
                }
                doc.verification_method.push(vm);
            }
            TxCmd::RemoveKey { key_id, .. } => {
                let id = full_id(&doc.id, key_id);
                let before = doc.verification_method.len();
                doc.verification_method.retain(|m| m.id != id);
                if doc.verification_method.len() == before {
                    return Err(
                        DidError::UnknownVerificationMethod.with(format!("{id} is not in the current document"))
                    );
                }
                for rel in Relationship::ALL {
                    rel.refs_in_mut(&mut doc).retain(|r| *r != id);
                }
            }
            TxCmd::SetController { controllers, .. } => {
                doc.controller = if controllers == &[doc.id.clone()] { Vec::new() } else { controllers.clone() };
            }
            TxCmd::AddService { id, service_type, endpoint, .. } => {
                check_fragment("--id", id)?;
                let sid = did.url(id);
                if doc.service.iter().any(|s| s.id == sid) {
                    return Err(bad(format!("service {sid} exists: remove it first or pick another --id")));
                }
                doc.service.push(pb::Service {
                    id: sid,
                    r#type: service_type.clone(),
                    service_endpoint: endpoint.clone(),
                });
            }
            TxCmd::RemoveService { service_id, .. } => {
                let id = full_id(&doc.id, service_id);
                let before = doc.service.len();
                doc.service.retain(|s| s.id != id);
                if doc.service.len() == before {
                    return Err(bad(format!("service {id} is not in the current document")));
                }
            }
            TxCmd::Create { .. } | TxCmd::Deactivate { .. } => unreachable!("handled above"),
        }
        Ok(Change::Update(doc))
    }
}

fn push_ref(doc: &mut pb::DidDocument, rel: Relationship, id: String) {
    let refs = rel.refs_in_mut(doc);
    if !refs.contains(&id) {
        refs.push(id);
    }
}

/// The public key of a method in wire form.
pub fn method_key(m: &pb::VerificationMethod) -> Option<PublicKey> {
    VerificationMethod::key_of(m)
}

/// The id of the method of `doc` under `rel` whose key is `key`.
pub fn find_method(doc: &pb::DidDocument, key: &PublicKey, rel: Relationship) -> Option<String> {
    let refs = rel.refs_in(doc);
    doc.verification_method
        .iter()
        .find(|m| refs.contains(&m.id) && method_key(m).as_ref() == Some(key))
        .map(|m| m.id.clone())
}

#[derive(Debug, Subcommand)]
pub enum QueryCmd {
    /// Resolve a DID: its document with DID Core document metadata (a DID Resolution result).
    /// A DID that cannot be resolved prints an error result (invalidDid, notFound) and exits 1.
    Resolve {
        did: String,
        /// Resolve this version instead of the latest.
        #[arg(long)]
        version_id: Option<u64>,
        /// Resolve to this representation (DID Resolution's resolveRepresentation), named in
        /// didResolutionMetadata.contentType: application/did+ld+json or application/did+json.
        #[arg(long, value_name = "MEDIA_TYPE")]
        accept: Option<String>,
    },
    /// A DID's versions: operation, block time, height and document hash, oldest first (a page
    /// at a time: --limit, --page-key with the next_key printed, --offset, --count-total,
    /// --reverse for newest first).
    History {
        did: String,
        #[command(flatten)]
        page: PageArgs,
    },
    /// The DID module's parameters.
    Params,
    /// The nonce the DID's next actor proof must carry (`--as <did>` signs with it).
    #[command(name = "action-nonce")]
    ActionNonce { did: String },
}

pub struct QueryRequest {
    pub path: &'static str,
    pub data: Vec<u8>,
}

impl QueryCmd {
    pub fn request(&self) -> Result<QueryRequest, Error> {
        Ok(match self {
            QueryCmd::Resolve { did, version_id, .. } => {
                Did::parse("did", did)?;
                QueryRequest {
                    path: RESOLVE_PATH,
                    data: pb::QueryResolveRequest { did: did.clone(), version_id: version_id.unwrap_or(0) }
                        .encode_to_vec(),
                }
            }
            QueryCmd::History { did, page } => {
                Did::parse("did", did)?;
                let req = pb::QueryHistoryRequest { did: did.clone(), pagination: Some(page.to_request()?) };
                QueryRequest { path: HISTORY_PATH, data: req.encode_to_vec() }
            }
            QueryCmd::Params => QueryRequest { path: PARAMS_PATH, data: Vec::new() },
            QueryCmd::ActionNonce { did } => {
                Did::parse("did", did)?;
                let req = pb::QueryActionNonceRequest { did: did.clone() };
                QueryRequest { path: crate::query::ACTION_NONCE_PATH, data: req.encode_to_vec() }
            }
        })
    }

    /// For resolve, the DID Resolution error result that a refusal (of [`Self::request`] or of
    /// the node's query) stands for, by its stable codespace and code; `None` for other commands
    /// and for failures that are not resolution errors.
    pub fn resolution_error(&self, codespace: &str, code: u32, message: &str) -> Option<serde_json::Value> {
        match self {
            QueryCmd::Resolve { .. } => crate::json::resolution_error_for(codespace, code)
                .map(|error| crate::json::resolution_error(error, message)),
            _ => None,
        }
    }

    /// The answer as JSON: a DID Resolution result for resolve (DID Core property names).
    pub fn response_json(&self, bytes: &[u8]) -> anyhow::Result<serde_json::Value> {
        Ok(match self {
            QueryCmd::Resolve { accept, .. } => {
                let r = pb::QueryResolveResponse::decode(bytes)?;
                match accept {
                    None => crate::json::resolution(&r),
                    Some(media_type) => crate::json::resolution_as(&r, media_type),
                }
            }
            QueryCmd::History { did, .. } => {
                let r = pb::QueryHistoryResponse::decode(bytes)?;
                let page = r.pagination.unwrap_or_default();
                let versions: Vec<_> = r
                    .versions
                    .iter()
                    .map(|v| {
                        serde_json::json!({
                            "versionId": v.version_id.to_string(),
                            "operation": v.operation,
                            "time": v.time.as_ref().map(crate::json::datetime),
                            "height": v.height.to_string(),
                            "documentHash": v.document_hash.iter().map(|b| format!("{b:02x}")).collect::<String>(),
                        })
                    })
                    .collect();
                use base64::Engine;
                let next_key = (!page.next_key.is_empty())
                    .then(|| base64::engine::general_purpose::STANDARD.encode(&page.next_key));
                // Pagination as Cosmos CLIs print it.
                serde_json::json!({
                    "did": did,
                    "versions": versions,
                    "pagination": { "next_key": next_key, "total": page.total.to_string() },
                })
            }
            QueryCmd::ActionNonce { did } => {
                let r = pb::QueryActionNonceResponse::decode(bytes)?;
                serde_json::json!({ "did": did, "nonce": r.nonce.to_string() })
            }
            QueryCmd::Params => {
                let p = pb::QueryParamsResponse::decode(bytes)?.params.unwrap_or_default();
                serde_json::json!({
                    "maxVerificationMethods": p.max_verification_methods,
                    "maxServices": p.max_services,
                    "maxControllers": p.max_controllers,
                    "maxDocumentBytes": p.max_document_bytes,
                })
            }
        })
    }
}

/// A keyring key as a DID verification method holds it.
pub fn public_key_of(key: PubKey) -> PublicKey {
    match key {
        PubKey::Secp256k1(k) => PublicKey::Secp256k1(k),
        PubKey::Ed25519(k) => PublicKey::Ed25519(k),
    }
}

/// A DID's document at `version` (latest if `None`), as the chain resolves it.
pub fn resolve(ctx: &dyn CliCtx, did: &Did, version: Option<u64>) -> anyhow::Result<(u64, pb::QueryResolveResponse)> {
    let req = pb::QueryResolveRequest { did: did.to_string(), version_id: version.unwrap_or(0) };
    let bytes = ctx.query(RESOLVE_PATH, req.encode_to_vec(), 0)?;
    let resp = pb::QueryResolveResponse::decode(bytes.as_slice())?;
    let meta = resp.did_document_metadata.clone().unwrap_or_default();
    let v = meta.version_id.parse().map_err(|_| anyhow!("the node answered a bad versionId for {did}"))?;
    Ok((v, resp))
}

/// The message of a `tx did` command, signed (the DID proof) by `--key`, and the account that
/// signs the transaction and pays (`--from`, or `--key` if it is a secp256k1 key).
pub fn build_msg(ctx: &dyn CliCtx, cmd: &TxCmd) -> anyhow::Result<TxRequest> {
    let auth = cmd.authority();
    let key = ctx.public_key(&auth.key)?;
    let (payer, signer) = match (&auth.from, key) {
        (Some(from), _) => (ctx.key(from)?, from.clone()),
        (None, PubKey::Secp256k1(k)) => (salus_sdk::Address::from_secp256k1_pubkey(&k), auth.key.clone()),
        (None, PubKey::Ed25519(_)) => bail!(
            "--key {} is an ed25519 key, which cannot sign transactions or pay fees: pass --from <secp256k1 key>",
            auth.key
        ),
    };
    let public = public_key_of(key);
    let chain_id = ctx.chain_id()?;
    let prove = |op: Operation, did: &Did, version: u64, hash: Option<[u8; 32]>, vm: &str| {
        let signature = ctx.sign(&auth.key, &sign_bytes(op, &chain_id, did, version, hash, vm))?;
        anyhow::Ok(Proof { verification_method: vm.to_string(), signature })
    };
    let request = |msg: DidMsg| TxRequest { signer: signer.clone(), msgs: vec![msg.to_any()] };
    let Some(did) = cmd.did() else {
        let Change::Create(document) = cmd.change(&public, None, None).map_err(|e| anyhow!(e.message))? else {
            unreachable!("create makes a document")
        };
        let did = Did::from_key(&public);
        let vm = did.url("key-1");
        let proof = prove(Operation::Create, &did, 0, Some(hash_proto(&document)), &vm)?;
        eprintln!("creating {did}");
        return Ok(request(DidMsg::Create { signer: payer, document, proof }));
    };
    let did = Did::parse("DID", did).map_err(|e| anyhow!(e.message))?;
    let (version, current) = resolve(ctx, &did, None)?;
    if current.did_document_metadata.as_ref().is_some_and(|m| m.deactivated) {
        bail!("{did} is deactivated: it can never change again");
    }
    let document = current.did_document.unwrap_or_default();
    let vm = proof_method(ctx, &document, &public, &auth.key)?;
    let new_key = cmd.new_key_name().map(|n| ctx.public_key(n).map(public_key_of)).transpose()?;
    let msg = match cmd.change(&public, Some((&document, version)), new_key.as_ref()).map_err(|e| anyhow!(e.message))? {
        Change::Update(new) => {
            let proof = prove(Operation::Update, &did, version, Some(hash_proto(&new)), &vm)?;
            DidMsg::Update { signer: payer, document: new, version, proof }
        }
        Change::Deactivate => {
            let proof = prove(Operation::Deactivate, &did, version, None, &vm)?;
            DidMsg::Deactivate { signer: payer, did, version, proof }
        }
        Change::Create(_) => unreachable!("only create makes a new document"),
    };
    Ok(request(msg))
}

/// The capabilityInvocation method, of the DID or of a controller, whose key is `key`.
fn proof_method(ctx: &dyn CliCtx, doc: &pb::DidDocument, key: &PublicKey, key_name: &str) -> anyhow::Result<String> {
    let controllers = if doc.controller.is_empty() { vec![doc.id.clone()] } else { doc.controller.clone() };
    for c in &controllers {
        let found = if *c == doc.id {
            find_method(doc, key, Relationship::CapabilityInvocation)
        } else {
            let did = Did::parse("controller", c).map_err(|e| anyhow!(e.message))?;
            let (_, r) = resolve(ctx, &did, None)?;
            r.did_document.and_then(|d| find_method(&d, key, Relationship::CapabilityInvocation))
        };
        if let Some(vm) = found {
            return Ok(vm);
        }
    }
    bail!(
        "key `{key_name}` is not a capabilityInvocation key of {} or of its controllers ({}): sign with a key that may update the DID",
        doc.id,
        controllers.join(", ")
    )
}

impl ModuleCli for crate::DidModule {
    fn tx_command() -> Option<clap::Command> {
        Some(cli::command::<TxCmd>(
            Self::NAME,
            "DIDs (salus.did.v1): create, add-key, remove-key, set-controller, add-service, deactivate",
        ))
    }

    fn query_command() -> Option<clap::Command> {
        Some(cli::command::<QueryCmd>(Self::NAME, "DIDs: resolve (DID Resolution result), history, params"))
    }

    fn tx(matches: &clap::ArgMatches, ctx: &dyn CliCtx) -> anyhow::Result<TxRequest> {
        build_msg(ctx, &cli::parse(matches)?)
    }

    /// A DID that cannot be resolved, refused here or by the node, is a DID Resolution error
    /// result (invalidDid, notFound), printed like any result, with exit code 1. DID Core and DID
    /// Resolution name their properties: every answer is printed with its keys unchanged.
    fn query(matches: &clap::ArgMatches, ctx: &dyn CliCtx) -> anyhow::Result<QueryAnswer> {
        let cmd: QueryCmd = cli::parse(matches)?;
        let value = match cmd.request() {
            Err(e) => cmd.resolution_error(e.codespace, e.code, &e.message).ok_or_else(|| anyhow!(e.message))?,
            Ok(req) => match ctx.query(req.path, req.data, ctx.height()) {
                Ok(bytes) => cmd.response_json(&bytes)?,
                Err(e) => {
                    let refused = e.downcast_ref::<QueryError>();
                    match refused.and_then(|q| cmd.resolution_error(&q.codespace, q.code, &q.log)) {
                        Some(result) => result,
                        None => return Err(e),
                    }
                }
            },
        };
        let failed = crate::json::error_of(&value).is_some();
        Ok(QueryAnswer { value, keys_as_is: true, failed })
    }
}
