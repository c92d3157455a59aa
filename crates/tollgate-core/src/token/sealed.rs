//! Private keys at rest: AES-256-GCM under a 32-byte master key. A sealed blob is the random
//! 12-byte nonce followed by the ciphertext and its tag; the key id is bound in as associated
//! data, so a blob moved to another key's row does not open.

use std::fmt;

use aws_lc_rs::aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE, URL_SAFE_NO_PAD};

use crate::token::CryptoError;

/// The length of a master key in bytes.
pub const MASTER_KEY_LEN: usize = 32;

/// The key that seals signing keys at rest. `Debug` never prints it.
#[derive(Clone, PartialEq, Eq)]
pub struct MasterKey([u8; MASTER_KEY_LEN]);

/// Why a master key's text is unusable. Never quotes the text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a master key must be 64 hexadecimal characters or the base64 of 32 bytes")]
pub struct BadMasterKey;

impl MasterKey {
    /// A new random key.
    pub fn generate() -> Self {
        let mut k = [0u8; MASTER_KEY_LEN];
        k.copy_from_slice(&crate::id::random_bytes(MASTER_KEY_LEN));
        Self(k)
    }

    /// From raw bytes.
    pub fn from_bytes(bytes: [u8; MASTER_KEY_LEN]) -> Self {
        Self(bytes)
    }

    /// Parses 64 hex characters, or base64 (standard or URL-safe, padded or not) of 32 bytes.
    /// Surrounding whitespace is ignored.
    pub fn parse(text: &str) -> Result<Self, BadMasterKey> {
        let text = text.trim();
        let bytes =
            if text.len() == 2 * MASTER_KEY_LEN && text.bytes().all(|b| b.is_ascii_hexdigit()) {
                decode_hex(text).ok_or(BadMasterKey)?
            } else {
                [&STANDARD, &URL_SAFE]
                    .iter()
                    .find_map(|engine| engine.decode(text).ok())
                    .or_else(|| URL_SAFE_NO_PAD.decode(text.trim_end_matches('=')).ok())
                    .or_else(|| {
                        base64::engine::general_purpose::STANDARD_NO_PAD
                            .decode(text.trim_end_matches('='))
                            .ok()
                    })
                    .ok_or(BadMasterKey)?
            };
        let key: [u8; MASTER_KEY_LEN] = bytes.try_into().map_err(|_| BadMasterKey)?;
        Ok(Self(key))
    }

    /// The key as 64 lowercase hex characters (the key file's content).
    pub fn to_hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn aead(&self) -> Result<LessSafeKey, CryptoError> {
        UnboundKey::new(&AES_256_GCM, &self.0)
            .map(LessSafeKey::new)
            .map_err(|_| CryptoError::Failed("AES-256-GCM key setup"))
    }

    /// Encrypts `plaintext` with a fresh random nonce; `context` (the key id) is authenticated
    /// but not stored. Returns nonce || ciphertext || tag.
    pub fn seal(&self, plaintext: &[u8], context: &str) -> Result<Vec<u8>, CryptoError> {
        let key = self.aead()?;
        let nonce_bytes = crate::id::random_bytes(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(&nonce_bytes)
            .map_err(|_| CryptoError::Failed("nonce"))?;
        let mut body = plaintext.to_vec();
        key.seal_in_place_append_tag(nonce, Aad::from(context.as_bytes()), &mut body)
            .map_err(|_| CryptoError::Failed("encryption"))?;
        let mut out = nonce_bytes;
        out.extend_from_slice(&body);
        Ok(out)
    }

    /// Decrypts what [`MasterKey::seal`] made with the same `context`. A wrong key, a wrong
    /// context or any altered byte gives [`CryptoError::WrongMasterKey`].
    pub fn open(&self, sealed: &[u8], context: &str) -> Result<Vec<u8>, CryptoError> {
        let key = self.aead()?;
        let (nonce, body) = sealed
            .split_at_checked(NONCE_LEN)
            .ok_or(CryptoError::WrongMasterKey)?;
        let nonce =
            Nonce::try_assume_unique_for_key(nonce).map_err(|_| CryptoError::WrongMasterKey)?;
        let mut body = body.to_vec();
        let plain = key
            .open_in_place(nonce, Aad::from(context.as_bytes()), &mut body)
            .map_err(|_| CryptoError::WrongMasterKey)?;
        Ok(plain.to_vec())
    }
}

impl fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MasterKey([redacted])")
    }
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    let digits = text.as_bytes();
    digits
        .chunks(2)
        .map(|pair| {
            let s = std::str::from_utf8(pair).ok()?;
            u8::from_str_radix(s, 16).ok()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_hex_and_base64() {
        let k = MasterKey::generate();
        assert_eq!(MasterKey::parse(&k.to_hex()).unwrap(), k);
        assert_eq!(
            MasterKey::parse(&format!(" {}\n", k.to_hex().to_uppercase())).unwrap(),
            k
        );
        assert_eq!(MasterKey::parse(&STANDARD.encode(k.0)).unwrap(), k);
        assert_eq!(MasterKey::parse(&URL_SAFE_NO_PAD.encode(k.0)).unwrap(), k);
        assert!(MasterKey::parse("short").is_err());
        assert!(MasterKey::parse(&STANDARD.encode([1u8; 31])).is_err());
        assert!(MasterKey::parse(&"g".repeat(64)).is_err());
        assert_eq!(format!("{k:?}"), "MasterKey([redacted])");
        assert!(!BadMasterKey.to_string().contains(&k.to_hex()));
    }

    #[test]
    fn round_trip_and_tamper_detection() {
        let k = MasterKey::generate();
        let secret = b"private key bytes";
        let sealed = k.seal(secret, "kid1").unwrap();
        assert_eq!(sealed.len(), NONCE_LEN + secret.len() + 16);
        assert_eq!(k.open(&sealed, "kid1").unwrap(), secret);
        // A fresh nonce each time.
        assert_ne!(k.seal(secret, "kid1").unwrap(), sealed);
        // Wrong key, wrong context, any altered byte, truncation.
        let other = MasterKey::generate();
        assert_eq!(
            other.open(&sealed, "kid1"),
            Err(CryptoError::WrongMasterKey)
        );
        assert_eq!(k.open(&sealed, "kid2"), Err(CryptoError::WrongMasterKey));
        for i in [0, NONCE_LEN, sealed.len() - 1] {
            let mut bad = sealed.clone();
            bad[i] ^= 1;
            assert_eq!(k.open(&bad, "kid1"), Err(CryptoError::WrongMasterKey));
        }
        assert_eq!(
            k.open(&sealed[..5], "kid1"),
            Err(CryptoError::WrongMasterKey)
        );
    }
}
