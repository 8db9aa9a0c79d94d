//! Standard Cosmos SDK transactions: decoding `TxRaw`, SIGN_MODE_DIRECT sign bytes and secp256k1
//! signature checks. Stateful checks (accounts, fees, sequences) live in the node's pipeline.

use prost::Message;
use salus_proto::cosmos::crypto::secp256k1::PubKey as Secp256k1PubKey;
use salus_proto::cosmos::tx::signing::v1beta1::SignMode;
use salus_proto::cosmos::tx::v1beta1::{mode_info, AuthInfo, SignDoc, TxBody, TxRaw};
use salus_proto::{type_url, Any};
use sha2::{Digest, Sha256};

use crate::error::{Error, SdkCode};

pub const SECP256K1_PUBKEY_URL: &str = "/cosmos.crypto.secp256k1.PubKey";

/// A decoded transaction. `body_bytes` and `auth_info_bytes` are kept exactly as signed.
#[derive(Clone, Debug)]
pub struct DecodedTx {
    pub body_bytes: Vec<u8>,
    pub auth_info_bytes: Vec<u8>,
    pub signatures: Vec<Vec<u8>>,
    pub body: TxBody,
    pub auth_info: AuthInfo,
    /// SHA256 of the raw bytes: the hash CometBFT and explorers show.
    pub hash: [u8; 32],
    pub size: usize,
}

fn decode_err(what: &str, e: impl std::fmt::Display) -> Error {
    Error::sdk(SdkCode::TxDecode, format!("tx parse error: {what}: {e}"))
}

pub fn tx_hash(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// Decodes `TxRaw` bytes (what cosmjs and every Cosmos wallet broadcast).
pub fn decode(bytes: &[u8]) -> Result<DecodedTx, Error> {
    if bytes.is_empty() {
        return Err(Error::sdk(SdkCode::TxDecode, "tx parse error: empty transaction"));
    }
    let raw = TxRaw::decode(bytes).map_err(|e| decode_err("not a cosmos.tx.v1beta1.TxRaw", e))?;
    // Re-encoding must give the same bytes, or two encodings of one tx could exist (malleability).
    if raw.encode_to_vec() != bytes {
        return Err(Error::sdk(SdkCode::TxDecode, "tx parse error: TxRaw is not canonically encoded"));
    }
    let body = TxBody::decode(raw.body_bytes.as_slice()).map_err(|e| decode_err("body", e))?;
    let auth_info = AuthInfo::decode(raw.auth_info_bytes.as_slice()).map_err(|e| decode_err("auth_info", e))?;
    if !body.extension_options.is_empty() {
        return Err(Error::sdk(SdkCode::UnknownExtensionOptions, "extension options are not supported: remove them"));
    }
    if !body.non_critical_extension_options.is_empty() {
        return Err(Error::sdk(
            SdkCode::UnknownExtensionOptions,
            "non-critical extension options are not supported: remove them",
        ));
    }
    Ok(DecodedTx {
        hash: tx_hash(bytes),
        size: bytes.len(),
        body_bytes: raw.body_bytes,
        auth_info_bytes: raw.auth_info_bytes,
        signatures: raw.signatures,
        body,
        auth_info,
    })
}

/// The SIGN_MODE_DIRECT sign bytes: a `SignDoc` that binds body, auth info, chain id and account
/// number, so a signature is valid on one chain for one account only.
pub fn sign_doc_bytes(body_bytes: &[u8], auth_info_bytes: &[u8], chain_id: &str, account_number: u64) -> Vec<u8> {
    SignDoc {
        body_bytes: body_bytes.to_vec(),
        auth_info_bytes: auth_info_bytes.to_vec(),
        chain_id: chain_id.to_string(),
        account_number,
    }
    .encode_to_vec()
}

/// The compressed secp256k1 key inside a signer's `public_key` Any.
pub fn secp256k1_pubkey(any: &Any) -> Result<Vec<u8>, Error> {
    if any.type_url != SECP256K1_PUBKEY_URL && any.type_url != type_url::<Secp256k1PubKey>() {
        return Err(Error::sdk(
            SdkCode::InvalidPubKey,
            format!("unsupported public key type {}: Salus accounts use {SECP256K1_PUBKEY_URL}", any.type_url),
        ));
    }
    let pk = Secp256k1PubKey::decode(any.value.as_slice())
        .map_err(|e| Error::sdk(SdkCode::InvalidPubKey, format!("public key does not decode: {e}")))?;
    if pk.key.len() != 33 {
        return Err(Error::sdk(
            SdkCode::InvalidPubKey,
            format!("secp256k1 keys are 33 bytes compressed, got {}", pk.key.len()),
        ));
    }
    secp256k1::PublicKey::from_slice(&pk.key)
        .map_err(|_| Error::sdk(SdkCode::InvalidPubKey, "public key is not a point on secp256k1"))?;
    Ok(pk.key)
}

/// The signer infos must be single-key SIGN_MODE_DIRECT. A simulation (whose signatures are not
/// checked) may leave the mode unspecified, as cosmjs does.
pub fn check_sign_mode(auth_info: &AuthInfo, simulation: bool) -> Result<(), Error> {
    for (i, si) in auth_info.signer_infos.iter().enumerate() {
        match si.mode_info.as_ref().and_then(|m| m.sum.as_ref()) {
            Some(mode_info::Sum::Single(s)) if s.mode == SignMode::Direct as i32 => {}
            Some(mode_info::Sum::Single(s)) if simulation && s.mode == SignMode::Unspecified as i32 => {}
            Some(mode_info::Sum::Single(s)) => {
                return Err(Error::sdk(
                    SdkCode::NotSupported,
                    format!("signer {i}: sign mode {} is not supported: sign with SIGN_MODE_DIRECT", s.mode),
                ))
            }
            _ => {
                return Err(Error::sdk(
                    SdkCode::NotSupported,
                    format!("signer {i}: multisig signatures are not supported"),
                ))
            }
        }
    }
    Ok(())
}

/// Verifies a 64-byte compact (r||s) secp256k1 signature over SHA256(msg). High-s signatures are
/// rejected, as in Cosmos SDK, so a signature cannot be malleated into a second valid one.
pub fn verify_secp256k1(pubkey: &[u8], msg: &[u8], signature: &[u8]) -> Result<(), Error> {
    let unauthorized = |why: &str| Error::sdk(SdkCode::Unauthorized, format!("signature verification failed: {why}"));
    let pk = secp256k1::PublicKey::from_slice(pubkey).map_err(|_| unauthorized("bad public key"))?;
    if signature.len() != 64 {
        return Err(unauthorized("signatures are 64 bytes (r||s)"));
    }
    let sig = secp256k1::ecdsa::Signature::from_compact(signature).map_err(|_| unauthorized("malformed signature"))?;
    let mut normalized = sig;
    normalized.normalize_s();
    if normalized != sig {
        return Err(unauthorized("non-canonical (high-s) signature"));
    }
    let digest: [u8; 32] = Sha256::digest(msg).into();
    let m = secp256k1::Message::from_digest(digest);
    secp256k1::SECP256K1
        .verify_ecdsa(&m, &sig, &pk)
        .map_err(|_| unauthorized("verify correct account number, sequence and chain-id"))
}

/// Signs `msg` (SHA256, then ECDSA, low-s compact): what wallets do, for the CLI and tests.
pub fn sign_secp256k1(secret: &secp256k1::SecretKey, msg: &[u8]) -> Vec<u8> {
    let digest: [u8; 32] = Sha256::digest(msg).into();
    let sig = secp256k1::SECP256K1.sign_ecdsa(&secp256k1::Message::from_digest(digest), secret);
    sig.serialize_compact().to_vec()
}

/// The `Any` of a compressed secp256k1 public key.
pub fn secp256k1_pubkey_any(compressed: &[u8]) -> Any {
    Any {
        type_url: SECP256K1_PUBKEY_URL.to_string(),
        value: Secp256k1PubKey { key: compressed.to_vec() }.encode_to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_bind_chain_and_account() {
        let sk = secp256k1::SecretKey::from_slice(&[3u8; 32]).unwrap();
        let pk = secp256k1::PublicKey::from_secret_key(secp256k1::SECP256K1, &sk).serialize();
        let doc = sign_doc_bytes(b"body", b"auth", "salus-local-1", 4);
        let sig = sign_secp256k1(&sk, &doc);
        verify_secp256k1(&pk, &doc, &sig).unwrap();
        let other_chain = sign_doc_bytes(b"body", b"auth", "salus-other", 4);
        assert!(verify_secp256k1(&pk, &other_chain, &sig).is_err());
        let other_account = sign_doc_bytes(b"body", b"auth", "salus-local-1", 5);
        assert!(verify_secp256k1(&pk, &other_account, &sig).is_err());
    }

    #[test]
    fn high_s_signatures_are_rejected() {
        let sk = secp256k1::SecretKey::from_slice(&[9u8; 32]).unwrap();
        let pk = secp256k1::PublicKey::from_secret_key(secp256k1::SECP256K1, &sk).serialize();
        let sig = sign_secp256k1(&sk, b"m");
        // s' = n - s is the malleated twin.
        let n = hex::decode("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141").unwrap();
        let s = &sig[32..];
        let mut twin = [0u8; 32];
        let mut borrow = 0i16;
        for i in (0..32).rev() {
            let v = n[i] as i16 - s[i] as i16 - borrow;
            twin[i] = v.rem_euclid(256) as u8;
            borrow = if v < 0 { 1 } else { 0 };
        }
        let malleated = [&sig[..32], &twin].concat();
        assert!(verify_secp256k1(&pk, b"m", &malleated).unwrap_err().message.contains("high-s"));
    }

    #[test]
    fn garbage_never_decodes_and_never_panics() {
        assert!(decode(&[]).is_err());
        assert!(decode(&[0xff, 0xff, 0xff]).is_err());
        let mut seed = 0x1234_5678u32;
        for len in 0..300usize {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 17;
                    seed ^= seed << 5;
                    seed as u8
                })
                .collect();
            let _ = decode(&bytes);
        }
    }
}
