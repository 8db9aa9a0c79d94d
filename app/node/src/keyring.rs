//! Account keys: BIP39 mnemonics, HD path m/44'/118'/0'/0/0 (the Cosmos coin type), secp256k1.
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
        let mnemonic = Mnemonic::parse_in_normalized(Language::English, phrase.trim()).map_err(|e| {
            anyhow!("that is not a valid BIP39 English mnemonic ({e}): check the words and their order")
        })?;
        let seed = mnemonic.to_seed("");
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
        validate_name(&key.name)?;
        if !overwrite && self.path(&key.name).exists() {
            bail!(
                "key `{}` already exists: pick another name or delete it with `salusd keys delete {}`",
                key.name,
                key.name
            );
        }
        if let Some(other) =
            self.list()?.into_iter().find(|k| k.address == key.address.to_string() && k.name != key.name)
        {
            bail!("this key is already stored as `{}`", other.name);
        }
        std::fs::create_dir_all(&self.dir)?;
        let path = self.path(&key.name);
        std::fs::write(&path, serde_json::to_string_pretty(&key.stored())?)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
        }
        Ok(())
    }

    pub fn get(&self, name: &str) -> Result<Key> {
        let path = self.path(name);
        let text = std::fs::read_to_string(&path).map_err(|_| {
            anyhow!("key `{name}` not found in {}: list keys with `salusd keys list`", self.dir.display())
        })?;
        let stored: StoredKey =
            serde_json::from_str(&text).with_context(|| format!("{} is corrupt", path.display()))?;
        let secret = secp256k1::SecretKey::from_slice(&hex::decode(&stored.privkey)?)?;
        Ok(Key::from_secret(&stored.name, secret))
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
}
