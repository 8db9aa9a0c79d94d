//! Public keys of verification methods: their multibase and JWK forms, and signature checks.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use borsh::{BorshDeserialize, BorshSerialize};
use sha2::{Digest, Sha256};

/// A public key of a supported curve. EC keys are kept SEC1-compressed.
#[derive(Clone, Debug, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub enum PublicKey {
    Ed25519([u8; 32]),
    Secp256k1([u8; 33]),
    P256([u8; 33]),
    X25519([u8; 32]),
}

/// A public JSON Web Key (RFC 7517) as DID documents carry it.
#[derive(Clone, Debug, Default, PartialEq, Eq, BorshSerialize, BorshDeserialize)]
pub struct Jwk {
    pub kty: String,
    pub crv: String,
    pub x: String,
    pub y: String,
}

// Multicodec prefixes (unsigned varint) of the public key types.
const ED25519_PUB: [u8; 2] = [0xed, 0x01];
const SECP256K1_PUB: [u8; 2] = [0xe7, 0x01];
const P256_PUB: [u8; 2] = [0x80, 0x24];
const X25519_PUB: [u8; 2] = [0xec, 0x01];

impl PublicKey {
    /// The JWK `crv` name.
    pub fn curve(&self) -> &'static str {
        match self {
            PublicKey::Ed25519(_) => "Ed25519",
            PublicKey::Secp256k1(_) => "secp256k1",
            PublicKey::P256(_) => "P-256",
            PublicKey::X25519(_) => "X25519",
        }
    }

    pub fn bytes(&self) -> &[u8] {
        match self {
            PublicKey::Ed25519(b) | PublicKey::X25519(b) => b,
            PublicKey::Secp256k1(b) | PublicKey::P256(b) => b,
        }
    }

    /// Signing keys; X25519 keys only agree on secrets.
    pub fn can_sign(&self) -> bool {
        !matches!(self, PublicKey::X25519(_))
    }

    fn multicodec(&self) -> [u8; 2] {
        match self {
            PublicKey::Ed25519(_) => ED25519_PUB,
            PublicKey::Secp256k1(_) => SECP256K1_PUB,
            PublicKey::P256(_) => P256_PUB,
            PublicKey::X25519(_) => X25519_PUB,
        }
    }

    /// The multicodec-prefixed key bytes.
    pub fn multicodec_bytes(&self) -> Vec<u8> {
        [&self.multicodec()[..], self.bytes()].concat()
    }

    /// `z` + base58btc of the multicodec-prefixed key.
    pub fn to_multibase(&self) -> String {
        format!("z{}", bs58::encode(self.multicodec_bytes()).into_string())
    }

    pub fn from_multibase(s: &str) -> Result<Self, String> {
        let body = s
            .strip_prefix('z')
            .ok_or("must be multibase base58btc: start with `z`, as in z6Mk... for an Ed25519 key")?;
        let bytes = bs58::decode(body).into_vec().map_err(|e| format!("is not base58btc: {e}"))?;
        if bytes.len() < 2 {
            return Err("is too short to hold a multicodec key".into());
        }
        let (codec, key) = bytes.split_at(2);
        let key = match [codec[0], codec[1]] {
            ED25519_PUB => PublicKey::Ed25519(fixed(key, "an Ed25519 key")?),
            SECP256K1_PUB => PublicKey::Secp256k1(fixed(key, "a compressed secp256k1 key")?),
            P256_PUB => PublicKey::P256(fixed(key, "a compressed P-256 key")?),
            X25519_PUB => PublicKey::X25519(fixed(key, "an X25519 key")?),
            other => {
                return Err(format!(
                    "has multicodec 0x{} (supported: ed25519-pub, secp256k1-pub, p256-pub, x25519-pub)",
                    hex_bytes(&other)
                ))
            }
        };
        key.check_point()?;
        // One string per key: reject encodings that decode but do not re-encode to themselves.
        if key.to_multibase() != s {
            return Err("is not in canonical base58btc form".into());
        }
        Ok(key)
    }

    pub fn to_jwk(&self) -> Jwk {
        let b64 = |b: &[u8]| URL_SAFE_NO_PAD.encode(b);
        match self {
            PublicKey::Ed25519(k) | PublicKey::X25519(k) => {
                Jwk { kty: "OKP".into(), crv: self.curve().into(), x: b64(k), y: String::new() }
            }
            PublicKey::Secp256k1(_) | PublicKey::P256(_) => {
                let point = self.uncompressed().expect("stored EC keys are valid points");
                Jwk { kty: "EC".into(), crv: self.curve().into(), x: b64(&point[1..33]), y: b64(&point[33..65]) }
            }
        }
    }

    pub fn from_jwk(jwk: &Jwk) -> Result<Self, String> {
        let decode = |name: &str, v: &str| -> Result<Vec<u8>, String> {
            let bytes = URL_SAFE_NO_PAD.decode(v).map_err(|_| format!("{name} is not base64url without padding"))?;
            Ok(bytes)
        };
        let key = match (jwk.kty.as_str(), jwk.crv.as_str()) {
            ("OKP", "Ed25519" | "X25519") => {
                if !jwk.y.is_empty() {
                    return Err("an OKP key has no `y`".into());
                }
                let x: [u8; 32] = fixed(&decode("x", &jwk.x)?, "a 32-byte `x`")?;
                if jwk.crv == "Ed25519" {
                    PublicKey::Ed25519(x)
                } else {
                    PublicKey::X25519(x)
                }
            }
            ("EC", "secp256k1" | "P-256") => {
                let x = decode("x", &jwk.x)?;
                let y = decode("y", &jwk.y)?;
                if x.len() != 32 || y.len() != 32 {
                    return Err("EC `x` and `y` are 32 bytes each".into());
                }
                let uncompressed = [&[0x04][..], &x, &y].concat();
                if jwk.crv == "secp256k1" {
                    let pk = secp256k1::PublicKey::from_slice(&uncompressed)
                        .map_err(|_| "`x`,`y` is not a point on secp256k1")?;
                    PublicKey::Secp256k1(pk.serialize())
                } else {
                    let pk = p256::PublicKey::from_sec1_bytes(&uncompressed)
                        .map_err(|_| "`x`,`y` is not a point on P-256")?;
                    let compressed = p256::elliptic_curve::sec1::ToEncodedPoint::to_encoded_point(&pk, true);
                    PublicKey::P256(fixed(compressed.as_bytes(), "a compressed P-256 key")?)
                }
            }
            (kty, crv) => {
                return Err(format!(
                    "kty `{kty}` crv `{crv}` is not supported (OKP Ed25519/X25519, EC secp256k1/P-256)"
                ))
            }
        };
        key.check_point()?;
        if key.to_jwk() != *jwk {
            return Err("is not in canonical form (base64url without padding, 32-byte coordinates)".into());
        }
        Ok(key)
    }

    fn uncompressed(&self) -> Result<Vec<u8>, String> {
        match self {
            PublicKey::Secp256k1(k) => secp256k1::PublicKey::from_slice(k)
                .map(|pk| pk.serialize_uncompressed().to_vec())
                .map_err(|_| "is not a point on secp256k1".into()),
            PublicKey::P256(k) => p256::PublicKey::from_sec1_bytes(k)
                .map(|pk| p256::elliptic_curve::sec1::ToEncodedPoint::to_encoded_point(&pk, false).as_bytes().to_vec())
                .map_err(|_| "is not a point on P-256".into()),
            _ => Err("is not an EC key".into()),
        }
    }

    fn check_point(&self) -> Result<(), String> {
        match self {
            PublicKey::Ed25519(k) => ed25519_consensus::VerificationKey::try_from(*k)
                .map(|_| ())
                .map_err(|_| "is not a valid Ed25519 public key".into()),
            PublicKey::Secp256k1(_) | PublicKey::P256(_) => self.uncompressed().map(|_| ()),
            PublicKey::X25519(_) => Ok(()),
        }
    }

    /// Checks `signature` over `msg`: Ed25519 (ZIP-215 rules, the same on every validator) over the
    /// bytes; ECDSA over their SHA-256 for secp256k1 (low s) and P-256, as 64-byte r||s.
    pub fn verify(&self, msg: &[u8], signature: &[u8]) -> Result<(), String> {
        match self {
            PublicKey::Ed25519(k) => {
                let sig: [u8; 64] = signature.try_into().map_err(|_| "an Ed25519 signature is 64 bytes")?;
                let vk = ed25519_consensus::VerificationKey::try_from(*k).map_err(|_| "bad Ed25519 key")?;
                vk.verify(&ed25519_consensus::Signature::from(sig), msg)
                    .map_err(|_| "the Ed25519 signature does not verify".into())
            }
            PublicKey::Secp256k1(k) => salus_sdk::tx::verify_secp256k1(k, msg, signature)
                .map_err(|_| "the secp256k1 signature does not verify (64-byte r||s over SHA-256, low s)".into()),
            PublicKey::P256(k) => {
                use p256::ecdsa::signature::Verifier;
                let vk = p256::ecdsa::VerifyingKey::from_sec1_bytes(k).map_err(|_| "bad P-256 key")?;
                let sig =
                    p256::ecdsa::Signature::from_slice(signature).map_err(|_| "a P-256 signature is 64 bytes r||s")?;
                vk.verify(msg, &sig).map_err(|_| "the P-256 signature does not verify (ECDSA over SHA-256)".into())
            }
            PublicKey::X25519(_) => Err("an X25519 key cannot sign: use a signing key".into()),
        }
    }

    /// SHA-256 of the multicodec-prefixed key: what a `did:salus` id is cut from.
    pub fn fingerprint(&self) -> [u8; 32] {
        Sha256::digest(self.multicodec_bytes()).into()
    }
}

fn fixed<const N: usize>(bytes: &[u8], what: &str) -> Result<[u8; N], String> {
    bytes.try_into().map_err(|_| format!("must hold {what} ({N} bytes), got {} bytes", bytes.len()))
}

fn hex_bytes(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ed25519() -> (ed25519_consensus::SigningKey, PublicKey) {
        let sk = ed25519_consensus::SigningKey::from([7u8; 32]);
        let pk = PublicKey::Ed25519(sk.verification_key().to_bytes());
        (sk, pk)
    }

    #[test]
    fn multibase_uses_the_multicodec_prefixes_of_did_key() {
        let (_, pk) = ed25519();
        assert!(pk.to_multibase().starts_with("z6Mk"), "{}", pk.to_multibase());
        assert_eq!(PublicKey::from_multibase(&pk.to_multibase()).unwrap(), pk);
        let x = PublicKey::X25519([9; 32]);
        assert!(x.to_multibase().starts_with("z6LS"), "{}", x.to_multibase());
        let sk = secp256k1::SecretKey::from_slice(&[3; 32]).unwrap();
        let k1 = PublicKey::Secp256k1(secp256k1::PublicKey::from_secret_key(secp256k1::SECP256K1, &sk).serialize());
        assert!(k1.to_multibase().starts_with("zQ3s"), "{}", k1.to_multibase());
        assert_eq!(PublicKey::from_multibase(&k1.to_multibase()).unwrap(), k1);
    }

    #[test]
    fn jwks_round_trip_for_every_curve() {
        let (_, ed) = ed25519();
        let sk = secp256k1::SecretKey::from_slice(&[3; 32]).unwrap();
        let k1 = PublicKey::Secp256k1(secp256k1::PublicKey::from_secret_key(secp256k1::SECP256K1, &sk).serialize());
        let p = p256::SecretKey::from_slice(&[5; 32]).unwrap().public_key();
        let p = PublicKey::P256(
            p256::elliptic_curve::sec1::ToEncodedPoint::to_encoded_point(&p, true).as_bytes().try_into().unwrap(),
        );
        for key in [ed, k1, p, PublicKey::X25519([9; 32])] {
            let jwk = key.to_jwk();
            assert_eq!(PublicKey::from_jwk(&jwk).unwrap(), key, "{jwk:?}");
        }
    }

    #[test]
    fn malformed_keys_are_rejected_with_the_reason() {
        assert!(PublicKey::from_multibase("6Mk").unwrap_err().contains("start with `z`"));
        assert!(PublicKey::from_multibase("z111").unwrap_err().contains("multicodec"));
        let bad = Jwk {
            kty: "EC".into(),
            crv: "secp256k1".into(),
            x: URL_SAFE_NO_PAD.encode([1; 32]),
            y: URL_SAFE_NO_PAD.encode([1; 32]),
        };
        assert!(PublicKey::from_jwk(&bad).unwrap_err().contains("not a point"));
        let rsa = Jwk { kty: "RSA".into(), ..Default::default() };
        assert!(PublicKey::from_jwk(&rsa).unwrap_err().contains("not supported"));
        let (_, ed) = ed25519();
        let mut padded = ed.to_jwk();
        padded.x.push('=');
        assert!(PublicKey::from_jwk(&padded).is_err());
    }

    #[test]
    fn signatures_verify_only_over_the_signed_bytes() {
        let (sk, pk) = ed25519();
        let sig = sk.sign(b"payload").to_bytes();
        pk.verify(b"payload", &sig).unwrap();
        assert!(pk.verify(b"other", &sig).is_err());

        let p_sk = p256::ecdsa::SigningKey::from_slice(&[5; 32]).unwrap();
        let p_pk = PublicKey::P256(p_sk.verifying_key().to_encoded_point(true).as_bytes().try_into().unwrap());
        let p_sig: p256::ecdsa::Signature = p256::ecdsa::signature::Signer::sign(&p_sk, b"payload");
        p_pk.verify(b"payload", &p_sig.to_bytes()).unwrap();
        assert!(p_pk.verify(b"other", &p_sig.to_bytes()).is_err());

        let k_sk = secp256k1::SecretKey::from_slice(&[3; 32]).unwrap();
        let k_pk = PublicKey::Secp256k1(secp256k1::PublicKey::from_secret_key(secp256k1::SECP256K1, &k_sk).serialize());
        let k_sig = salus_sdk::tx::sign_secp256k1(&k_sk, b"payload");
        k_pk.verify(b"payload", &k_sig).unwrap();
        assert!(k_pk.verify(b"other", &k_sig).is_err());
        assert!(PublicKey::X25519([9; 32]).verify(b"payload", &[0; 64]).is_err());
    }
}
