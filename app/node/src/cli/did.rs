//! `salusd did sign|verify`: sign data with a DID key of the keyring, and check data against the
//! keys the chain resolves. (`tx did ...` and `query did ...` are the DID module's, in
//! `modules/did/src/cli.rs`.)

use std::path::PathBuf;

use anyhow::{anyhow, bail, Context, Result};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use clap::Subcommand;
use salus_did::cli::{method_key, resolve};
use salus_did::{DidUrl, Relationship};

use super::ctx::NodeCtx;
use super::output::print_as_is;
use super::OutputFormat;
use crate::home::Home;
use crate::keyring::{AnyKey, Keyring};

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

pub fn run(home: &Home, cmd: DidCmd) -> Result<()> {
    match cmd {
        DidCmd::Sign { verification_method, file, key, out, node } => {
            let url = DidUrl::parse("verification method", &verification_method).map_err(|e| anyhow!(e.message))?;
            let ctx = NodeCtx::new(home, &node, None, 0)?;
            let (version, resolved) = resolve(&ctx, &url.did, None)?;
            let doc = resolved.did_document.unwrap_or_default();
            let method = doc.verification_method.iter().find(|m| m.id == verification_method).ok_or_else(|| {
                anyhow!("{verification_method} is not in the current document of {} (version {version})", url.did)
            })?;
            let public = method_key(method).ok_or_else(|| anyhow!("{verification_method} holds no usable key"))?;
            let ring = &ctx.ring;
            let signer = match key {
                Some(name) => ring.get_any(&name)?,
                None => find_key(ring, &public)?.ok_or_else(|| {
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

            let ctx = NodeCtx::new(home, &node, None, 0)?;
            let (version, resolved) = resolve(&ctx, &url.did, version_id)?;
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
