//! Keys: BIP39 mnemonics; secp256k1 account keys on HD path m/44'/118'/0'/0/0 (the Cosmos coin
//! type), and ed25519 DID keys on the SLIP-0010 path m/44'/118'/0'/0'/0' (ed25519 derives hardened
//! steps only). Only secp256k1 keys sign transactions; both sign DID proofs.
//!
//! Backend `test`: one JSON file per key under `<home>/keyring-test/`, unencrypted, as Cosmos SDK's
//! test backend. Fine for local chains and CI; do not keep real funds in it.

use std::path::PathBuf;

use anyhow::{anyhow, bail, Context, Result};
use bip32::XPrv;
use bip39::{Language, Mnemonic};
use rand::RngCore;
use salus_sdk::Address;
use serde::{Deserialize, Serialize};

pub const HD_PATH: &str = "m/44'/118'/0'/0/0";
pub const ED25519_HD_PATH: &str = "m/44'/118'/0'/0'/0'";
const ED25519_PATH: [u32; 5] = [44, 118, 0, 0, 0];

/// The algorithms `keys add --algo` takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Algo {
    Secp256k1,
    Ed25519,
}

impl Algo {
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "secp256k1" => Ok(Algo::Secp256k1),
            "ed25519" => Ok(Algo::Ed25519),
            other => bail!("unknown key algorithm `{other}`: use secp256k1 or ed25519"),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Algo::Secp256k1 => "secp256k1",
            Algo::Ed25519 => "ed25519",
        }
    }

    pub fn hd_path(self) -> &'static str {
        match self {
            Algo::Secp256k1 => HD_PATH,
            Algo::Ed25519 => ED25519_HD_PATH,
        }
    }
}

/// An ed25519 key: signs DID proofs and data, never transactions.
#[derive(Clone)]
pub struct Ed25519Key {
    pub name: String,
    pub secret: ed25519_consensus::SigningKey,
}

impl Ed25519Key {
    /// SLIP-0010 derivation for ed25519 along [`ED25519_HD_PATH`].
    pub fn from_mnemonic(name: &str, phrase: &str) -> Result<Self> {
        let seed = parse_mnemonic(phrase)?.to_seed("");
        Ok(Self {
            name: name.to_string(),
            secret: ed25519_consensus::SigningKey::from(slip10_ed25519(&seed, &ED25519_PATH)),
        })
    }

    pub fn public_bytes(&self) -> [u8; 32] {
        self.secret.verification_key().to_bytes()
    }
}

/// Any key of the keyring.
#[derive(Clone)]
pub enum AnyKey {
    Secp256k1(Key),
    Ed25519(Ed25519Key),
}

impl AnyKey {
    pub fn from_mnemonic(name: &str, phrase: &str, algo: Algo) -> Result<Self> {
        Ok(match algo {
            Algo::Secp256k1 => AnyKey::Secp256k1(Key::from_mnemonic(name, phrase)?),
            Algo::Ed25519 => AnyKey::Ed25519(Ed25519Key::from_mnemonic(name, phrase)?),
        })
    }

    pub fn name(&self) -> &str {
        match self {
            AnyKey::Secp256k1(k) => &k.name,
            AnyKey::Ed25519(k) => &k.name,
        }
    }

    pub fn algo(&self) -> Algo {
        match self {
            AnyKey::Secp256k1(_) => Algo::Secp256k1,
            AnyKey::Ed25519(_) => Algo::Ed25519,
        }
    }

    /// The key as a DID verification method holds it.
    pub fn public_key(&self) -> salus_did::PublicKey {
        match self {
            AnyKey::Secp256k1(k) => salus_did::PublicKey::Secp256k1(k.pubkey),
            AnyKey::Ed25519(k) => salus_did::PublicKey::Ed25519(k.public_bytes()),
        }
    }

    /// Signs as DID verification methods verify: ed25519 over the bytes, secp256k1 ECDSA over
    /// their SHA-256.
    pub fn sign(&self, bytes: &[u8]) -> Vec<u8> {
        match self {
            AnyKey::Secp256k1(k) => salus_sdk::tx::sign_secp256k1(&k.secret, bytes),
            AnyKey::Ed25519(k) => k.secret.sign(bytes).to_bytes().to_vec(),
        }
    }

    /// The account address; ed25519 keys have none on Salus.
    pub fn address(&self) -> Option<Address> {
        match self {
            AnyKey::Secp256k1(k) => Some(k.address),
            AnyKey::Ed25519(_) => None,
        }
    }

    fn stored(&self) -> StoredKey {
        match self {
            AnyKey::Secp256k1(k) => k.stored(),
            AnyKey::Ed25519(k) => StoredKey {
                name: k.name.clone(),
                algo: "ed25519".into(),
                address: String::new(),
                pubkey: hex::encode(k.public_bytes()),
                privkey: hex::encode(k.secret.to_bytes()),
            },
        }
    }
}

/// SLIP-0010 ed25519 derivation: every step hardened.
fn slip10_ed25519(seed: &[u8], path: &[u32]) -> [u8; 32] {
    use hmac::{Hmac, Mac};
    type HmacSha512 = Hmac<sha2::Sha512>;
    let step = |key: &[u8], parts: &[&[u8]]| -> ([u8; 32], [u8; 32]) {
        let mut mac = HmacSha512::new_from_slice(key).expect("HMAC takes any key");
        for p in parts {
            mac.update(p);
        }
        let out = mac.finalize().into_bytes();
        (out[..32].try_into().expect("64 bytes"), out[32..].try_into().expect("64 bytes"))
    };
    let (mut key, mut chain) = step(b"ed25519 seed", &[seed]);
    for index in path {
        (key, chain) = step(&chain, &[&[0], &key, &(index | 0x8000_0000).to_be_bytes()]);
    }
    key
}

fn parse_mnemonic(phrase: &str) -> Result<Mnemonic> {
    Mnemonic::parse_in_normalized(Language::English, phrase.trim())
        .map_err(|e| anyhow!("that is not a valid BIP39 English mnemonic ({e}): check the words and their order"))
}

#[derive(Clone, Serialize, Deserialize)]
pub struct StoredKey {
    pub name: String,
    pub algo: String,
    pub address: String,
    /// Compressed public key, hex.
    pub pubkey: String,
    /// Private key, hex.
    pub privkey: String,
}

#[derive(Clone)]
pub struct Key {
    pub name: String,
    pub address: Address,
    pub secret: secp256k1::SecretKey,
    pub pubkey: [u8; 33],
}

impl Key {
    pub fn from_secret(name: &str, secret: secp256k1::SecretKey) -> Self {
        let pubkey = secp256k1::PublicKey::from_secret_key(secp256k1::SECP256K1, &secret).serialize();
        Self { name: name.to_string(), address: Address::from_secp256k1_pubkey(&pubkey), secret, pubkey }
    }

    pub fn from_mnemonic(name: &str, phrase: &str) -> Result<Self> {
        let seed = parse_mnemonic(phrase)?.to_seed("");
        let xprv = XPrv::derive_from_path(seed, &HD_PATH.parse()?)?;
        let secret = secp256k1::SecretKey::from_slice(&xprv.private_key().to_bytes())?;
        Ok(Self::from_secret(name, secret))
    }

    fn stored(&self) -> StoredKey {
        StoredKey {
            name: self.name.clone(),
            algo: "secp256k1".into(),
            address: self.address.to_string(),
            pubkey: hex::encode(self.pubkey),
            privkey: hex::encode(self.secret.secret_bytes()),
        }
    }
}

/// Whether a CLI argument is meant as an address rather than a key name: anything that decodes
/// as bech32 (so a `cosmos1...` address gets the address error, not "key not found").
pub fn looks_like_address(s: &str) -> bool {
    s.starts_with("salus1") || bech32::decode(s).is_ok()
}

/// A new 24-word mnemonic.
pub fn new_mnemonic() -> String {
    let mut entropy = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut entropy);
    Mnemonic::from_entropy_in(Language::English, &entropy).expect("32 bytes is a valid entropy length").to_string()
}

pub struct Keyring {
    dir: PathBuf,
}

fn validate_name(name: &str) -> Result<()> {
    if name.is_empty()
        || name.len() > 64
        || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
    {
        bail!("invalid key name `{name}`: use 1-64 letters, digits, '-', '_' or '.'");
    }
    Ok(())
}

impl Keyring {
    pub fn open(dir: PathBuf) -> Self {
        Self { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(format!("{name}.json"))
    }

    pub fn add(&self, key: &Key, overwrite: bool) -> Result<()> {
        self.add_any(&AnyKey::Secp256k1(key.clone()), overwrite)
    }

    pub fn add_any(&self, key: &AnyKey, overwrite: bool) -> Result<()> {
        let stored = key.stored();
        let name = key.name();
        validate_name(name)?;
        if !overwrite && self.path(name).exists() {
            bail!("key `{name}` already exists: pick another name or delete it with `salusd keys delete {name}`");
        }
        if let Some(other) = self.list()?.into_iter().find(|k| k.pubkey == stored.pubkey && k.name != name) {
            bail!("this key is already stored as `{}`", other.name);
        }
        std::fs::create_dir_all(&self.dir)?;
        let path = self.path(name);
        std::fs::write(&path, serde_json::to_string_pretty(&stored)?)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
        }
        Ok(())
    }

    /// A secp256k1 key: the kind that signs transactions.
    pub fn get(&self, name: &str) -> Result<Key> {
        match self.get_any(name)? {
            AnyKey::Secp256k1(k) => Ok(k),
            AnyKey::Ed25519(_) => bail!(
                "key `{name}` is an ed25519 key: it signs DID proofs and data, not transactions; use a secp256k1 key to sign and pay (--from)"
            ),
        }
    }

    pub fn get_any(&self, name: &str) -> Result<AnyKey> {
        let path = self.path(name);
        let text = std::fs::read_to_string(&path).map_err(|_| {
            anyhow!("key `{name}` not found in {}: list keys with `salusd keys list`", self.dir.display())
        })?;
        let stored: StoredKey =
            serde_json::from_str(&text).with_context(|| format!("{} is corrupt", path.display()))?;
        let secret = hex::decode(&stored.privkey).with_context(|| format!("{} is corrupt", path.display()))?;
        match stored.algo.as_str() {
            "ed25519" => {
                let secret: [u8; 32] =
                    secret.try_into().map_err(|_| anyhow!("{} holds a bad ed25519 key", path.display()))?;
                Ok(AnyKey::Ed25519(Ed25519Key {
                    name: stored.name,
                    secret: ed25519_consensus::SigningKey::from(secret),
                }))
            }
            _ => Ok(AnyKey::Secp256k1(Key::from_secret(&stored.name, secp256k1::SecretKey::from_slice(&secret)?))),
        }
    }

    /// A key by name, or by its address.
    pub fn resolve(&self, name_or_address: &str) -> Result<Key> {
        if looks_like_address(name_or_address) {
            let addr: Address = name_or_address.parse().map_err(|e: salus_sdk::Error| anyhow!(e.message))?;
            return self
                .list()?
                .into_iter()
                .find(|k| k.address == addr.to_string())
                .map(|k| self.get(&k.name))
                .unwrap_or_else(|| Err(anyhow!("no key for address {addr} in the keyring")));
        }
        self.get(name_or_address)
    }

    pub fn list(&self) -> Result<Vec<StoredKey>> {
        let mut keys = Vec::new();
        let Ok(entries) = std::fs::read_dir(&self.dir) else { return Ok(keys) };
        for entry in entries {
            let path = entry?.path();
            if path.extension().is_some_and(|e| e == "json") {
                let text = std::fs::read_to_string(&path)?;
                let mut k: StoredKey =
                    serde_json::from_str(&text).with_context(|| format!("{} is corrupt", path.display()))?;
                k.privkey.clear();
                keys.push(k);
            }
        }
        keys.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(keys)
    }

    pub fn delete(&self, name: &str) -> Result<()> {
        let path = self.path(name);
        if !path.exists() {
            bail!("key `{name}` not found: list keys with `salusd keys list`");
        }
        std::fs::remove_file(path)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cosmos_test_vector_derives_the_same_address_as_gaiad() {
        // cosmjs and gaiad derive cosmos19rl4cm2hmr8afy4kldpxz3fka4jguq0auqdal4 from this
        // mnemonic; Salus must hold the same 20 bytes under its own prefix.
        let phrase = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
        let key = Key::from_mnemonic("t", phrase).unwrap();
        let (_, cosmos) = bech32::decode("cosmos19rl4cm2hmr8afy4kldpxz3fka4jguq0auqdal4").unwrap();
        assert_eq!(key.address.0.to_vec(), cosmos);
    }

    #[test]
    fn new_mnemonics_have_24_words_and_recover_the_same_key() {
        let phrase = new_mnemonic();
        assert_eq!(phrase.split_whitespace().count(), 24);
        assert_eq!(
            Key::from_mnemonic("a", &phrase).unwrap().address,
            Key::from_mnemonic("b", &phrase).unwrap().address
        );
    }

    #[test]
    fn add_get_list_delete() {
        let dir = tempfile::tempdir().unwrap();
        let ring = Keyring::open(dir.path().join("k"));
        let key = Key::from_mnemonic("alice", &new_mnemonic()).unwrap();
        ring.add(&key, false).unwrap();
        assert!(ring.add(&key, false).is_err());
        assert_eq!(ring.get("alice").unwrap().address, key.address);
        assert_eq!(ring.resolve(&key.address.to_string()).unwrap().name, "alice");
        assert_eq!(ring.list().unwrap().len(), 1);
        assert!(ring.list().unwrap()[0].privkey.is_empty());
        ring.delete("alice").unwrap();
        assert!(ring.get("alice").is_err());
        assert!(Key::from_mnemonic("x", "not a mnemonic").is_err());
    }

    #[test]
    fn ed25519_keys_follow_slip10_and_cannot_sign_transactions() {
        // SLIP-0010 test vector 1 for ed25519.
        let seed = hex::decode("000102030405060708090a0b0c0d0e0f").unwrap();
        let hex_of = |path: &[u32]| hex::encode(slip10_ed25519(&seed, path));
        assert_eq!(hex_of(&[]), "2b4be7f19ee27bbf30c667b642d5f4aa69fd169872f8fc3059c08ebae2eb19e7");
        assert_eq!(hex_of(&[0]), "68e0fe46dfb67e368c75379acec591dad19df3cde26e63b93a8e704f1dade7a3");
        assert_eq!(
            hex_of(&[0, 1, 2, 2, 1_000_000_000]),
            "8f94d394a8e8fd6b1bc2f3f49f5c47e385281d5c17e65324b0f62483e37e8793"
        );

        let phrase = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
        let a = Ed25519Key::from_mnemonic("a", phrase).unwrap();
        let b = Ed25519Key::from_mnemonic("b", phrase).unwrap();
        assert_eq!(a.public_bytes(), b.public_bytes());
        assert_ne!(a.public_bytes(), Ed25519Key::from_mnemonic("c", &new_mnemonic()).unwrap().public_bytes());

        let dir = tempfile::tempdir().unwrap();
        let ring = Keyring::open(dir.path().join("k"));
        ring.add_any(&AnyKey::Ed25519(a.clone()), false).unwrap();
        let back = ring.get_any("a").unwrap();
        assert_eq!(back.public_key(), salus_did::PublicKey::Ed25519(a.public_bytes()));
        assert!(ring.get("a").err().unwrap().to_string().contains("ed25519"));
        let sig = back.sign(b"data");
        back.public_key().verify(b"data", &sig).unwrap();
    }
}
