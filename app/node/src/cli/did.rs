//! The DID commands that need the keyring and a node: building and proving `tx did ...`
//! operations, and `salusd did sign|verify`, which check data against the keys the chain resolves.

use std::path::PathBuf;

use anyhow::{anyhow, bail, Context, Result};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use clap::Subcommand;
use prost::Message;
use salus_did::cli::{find_method, method_key, Change, TxCmd};
use salus_did::document::hash_proto;
use salus_did::proof::{sign_bytes, Proof};
use salus_did::query::RESOLVE_PATH;
use salus_did::state::Operation;
use salus_did::{Did, DidMsg, DidUrl, Relationship};
use salus_proto::salus::did::v1 as pb;
use salus_proto::Any;

use super::output::print_as_is;
use super::OutputFormat;
use crate::client::Rpc;
use crate::home::Home;
use crate::keyring::{AnyKey, Key, Keyring};

/// A DID's document at `version` (latest if `None`), as the chain resolves it.
pub async fn resolve(rpc: &Rpc, did: &Did, version: Option<u64>) -> Result<(u64, pb::QueryResolveResponse)> {
    let req = pb::QueryResolveRequest { did: did.to_string(), version_id: version.unwrap_or(0) };
    let bytes = rpc.query_value(RESOLVE_PATH, req.encode_to_vec(), 0).await?;
    let resp = pb::QueryResolveResponse::decode(bytes.as_slice())?;
    let meta = resp.did_document_metadata.clone().unwrap_or_default();
    let v = meta.version_id.parse().map_err(|_| anyhow!("the node answered a bad versionId for {did}"))?;
    Ok((v, resp))
}

/// The message of a `tx did` command, signed (the DID proof) by `--key`, and the account that
/// signs the transaction and pays.
pub async fn build_msg(ring: &Keyring, rpc: &Rpc, chain_id: &str, cmd: &TxCmd) -> Result<(Key, Any)> {
    let auth = cmd.authority();
    let key = ring.get_any(&auth.key)?;
    let payer = match (&auth.from, &key) {
        (Some(from), _) => ring.resolve(from)?,
        (None, AnyKey::Secp256k1(k)) => k.clone(),
        (None, AnyKey::Ed25519(_)) => bail!(
            "--key {} is an ed25519 key, which cannot sign transactions or pay fees: pass --from <secp256k1 key>",
            auth.key
        ),
    };
    let public = key.public_key();
    let prove = |op: Operation, did: &Did, version: u64, hash: Option<[u8; 32]>, vm: &str| Proof {
        verification_method: vm.to_string(),
        signature: key.sign(&sign_bytes(op, chain_id, did, version, hash, vm)),
    };
    let Some(did) = cmd.did() else {
        let Change::Create(document) = cmd.change(&public, None, None).map_err(|e| anyhow!(e.message))? else {
            unreachable!("create makes a document")
        };
        let did = Did::from_key(&public);
        let vm = did.url("key-1");
        let proof = prove(Operation::Create, &did, 0, Some(hash_proto(&document)), &vm);
        eprintln!("creating {did}");
        return Ok((payer.clone(), DidMsg::Create { signer: payer.address, document, proof }.to_any()));
    };
    let did = Did::parse("DID", did).map_err(|e| anyhow!(e.message))?;
    let (version, current) = resolve(rpc, &did, None).await?;
    if current.did_document_metadata.as_ref().is_some_and(|m| m.deactivated) {
        bail!("{did} is deactivated: it can never change again");
    }
    let document = current.did_document.unwrap_or_default();
    let vm = proof_method(rpc, &document, &public, &auth.key).await?;
    let new_key = cmd.new_key_name().map(|n| ring.get_any(n).map(|k| k.public_key())).transpose()?;
    let msg = match cmd.change(&public, Some((&document, version)), new_key.as_ref()).map_err(|e| anyhow!(e.message))? {
        Change::Update(new) => {
            let proof = prove(Operation::Update, &did, version, Some(hash_proto(&new)), &vm);
            DidMsg::Update { signer: payer.address, document: new, version, proof }
        }
        Change::Deactivate => {
            let proof = prove(Operation::Deactivate, &did, version, None, &vm);
            DidMsg::Deactivate { signer: payer.address, did, version, proof }
        }
        Change::Create(_) => unreachable!("only create makes a new document"),
    };
    Ok((payer, msg.to_any()))
}

/// The capabilityInvocation method, of the DID or of a controller, whose key is `key`.
async fn proof_method(rpc: &Rpc, doc: &pb::DidDocument, key: &salus_did::PublicKey, key_name: &str) -> Result<String> {
    let controllers = if doc.controller.is_empty() { vec![doc.id.clone()] } else { doc.controller.clone() };
    for c in &controllers {
        let found = if *c == doc.id {
            find_method(doc, key, Relationship::CapabilityInvocation)
        } else {
            let did = Did::parse("controller", c).map_err(|e| anyhow!(e.message))?;
            let (_, r) = resolve(rpc, &did, None).await?;
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

#[derive(Subcommand)]
pub enum DidCmd {
    /// Sign a file with the keyring key of a DID's verification method; prints a detached signature (JSON).
    Sign {
        /// The verification method, e.g. did:salus:...#key-1.
        verification_method: String,
        file: PathBuf,
        /// Keyring key to sign with [default: the one whose public key the method holds].
        #[arg(long)]
        key: Option<String>,
        /// Write the signature here instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
        /// CometBFT RPC of a node.
        #[arg(long, default_value = "http://127.0.0.1:26657", env = "SALUS_NODE")]
        node: String,
    },
    /// Check a file against a detached signature and the key the chain resolves for its DID.
    Verify {
        file: PathBuf,
        /// The signature: a file written by `did sign`, or its JSON.
        signature: String,
        /// Check against this version of the DID's document instead of the latest.
        #[arg(long)]
        version_id: Option<u64>,
        /// The relationship the key must have.
        #[arg(long, default_value = "assertionMethod")]
        purpose: String,
        #[arg(long, default_value = "http://127.0.0.1:26657", env = "SALUS_NODE")]
        node: String,
        #[arg(long, short, value_enum, default_value_t)]
        output: OutputFormat,
    },
}

pub async fn run(home: &Home, cmd: DidCmd) -> Result<()> {
    match cmd {
        DidCmd::Sign { verification_method, file, key, out, node } => {
            let url = DidUrl::parse("verification method", &verification_method).map_err(|e| anyhow!(e.message))?;
            let rpc = Rpc::new(&node)?;
            let (version, resolved) = resolve(&rpc, &url.did, None).await?;
            let doc = resolved.did_document.unwrap_or_default();
            let method = doc.verification_method.iter().find(|m| m.id == verification_method).ok_or_else(|| {
                anyhow!("{verification_method} is not in the current document of {} (version {version})", url.did)
            })?;
            let public = method_key(method).ok_or_else(|| anyhow!("{verification_method} holds no usable key"))?;
            let ring = Keyring::open(home.keyring());
            let signer = match key {
                Some(name) => ring.get_any(&name)?,
                None => find_key(&ring, &public)?.ok_or_else(|| {
                    anyhow!("no key in the keyring holds the public key of {verification_method}: pass --key")
                })?,
            };
            if signer.public_key() != public {
                bail!("key `{}` is not the key of {verification_method}", signer.name());
            }
            let payload = std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;
            let signature = serde_json::json!({
                "verificationMethod": verification_method,
                "versionId": version.to_string(),
                "signature": URL_SAFE_NO_PAD.encode(signer.sign(&payload)),
            });
            let text = serde_json::to_string_pretty(&signature)? + "\n";
            match out {
                Some(path) => {
                    std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
                    eprintln!("signature written to {}", path.display());
                }
                None => print!("{text}"),
            }
            Ok(())
        }
        DidCmd::Verify { file, signature, version_id, purpose, node, output } => {
            let purpose = Relationship::parse(&purpose).ok_or_else(|| {
                anyhow!("--purpose `{purpose}` is not one of {}", Relationship::ALL.map(Relationship::name).join(", "))
            })?;
            let text = match std::fs::read_to_string(&signature) {
                Ok(t) => t,
                Err(_) if signature.trim_start().starts_with('{') => signature.clone(),
                Err(e) => bail!("cannot read the signature file {signature}: {e}"),
            };
            let sig: serde_json::Value = serde_json::from_str(&text).context("the signature is not `did sign` JSON")?;
            let field = |name: &str| {
                sig.get(name).and_then(|v| v.as_str()).ok_or_else(|| anyhow!("the signature has no {name}"))
            };
            let vm = field("verificationMethod")?.to_string();
            let signed_at = field("versionId")?.to_string();
            let bytes = URL_SAFE_NO_PAD.decode(field("signature")?).context("signature is not base64url")?;
            let url = DidUrl::parse("verificationMethod", &vm).map_err(|e| anyhow!(e.message))?;
            let payload = std::fs::read(&file).with_context(|| format!("reading {}", file.display()))?;

            let rpc = Rpc::new(&node)?;
            let (version, resolved) = resolve(&rpc, &url.did, version_id).await?;
            let deactivated = resolved.did_document_metadata.as_ref().is_some_and(|m| m.deactivated);
            let doc = resolved.did_document.unwrap_or_default();
            let refs = purpose.refs_in(&doc);
            let method = doc.verification_method.iter().find(|m| m.id == vm);
            let outcome = match method {
                None => Err(format!(
                    "{vm} is not in version {version} of {}{}: the key was removed or never added. It signed at version {signed_at}; pass --version-id {signed_at} to check the key as of then",
                    url.did,
                    if deactivated { " (the DID is deactivated)" } else { "" }
                )),
                Some(_) if !refs.contains(&vm) => {
                    Err(format!("{vm} is not listed under {} in version {version}", purpose.name()))
                }
                Some(m) => match method_key(m) {
                    None => Err(format!("{vm} holds no usable key")),
                    Some(k) => k.verify(&payload, &bytes).map_err(|why| format!("{why}: the file is not what {vm} signed")),
                },
            };
            let mut report = serde_json::json!({
                "verified": outcome.is_ok(),
                "did": url.did.to_string(),
                "verificationMethod": vm,
                "versionId": version.to_string(),
                "purpose": purpose.name(),
            });
            if let Err(reason) = &outcome {
                report["reason"] = reason.clone().into();
            }
            print_as_is(output, &report);
            if outcome.is_err() {
                std::process::exit(1);
            }
            Ok(())
        }
    }
}

fn find_key(ring: &Keyring, public: &salus_did::PublicKey) -> Result<Option<AnyKey>> {
    for stored in ring.list()? {
        let key = ring.get_any(&stored.name)?;
        if key.public_key() == *public {
            return Ok(Some(key));
        }
    }
    Ok(None)
}
