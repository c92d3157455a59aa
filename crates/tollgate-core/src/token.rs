//! Signing keys and tokens: RSA-2048 keys and their public JWKs ([`keys`]), private keys sealed
//! at rest under the master key ([`sealed`]), compact JWS signed over a key pair parsed once
//! ([`jws`]), and the `at_hash` / `c_hash` digests ([`hashes`]).
//!
//! ```
//! use tollgate_core::token::jws::SigningKey;
//! use tollgate_core::token::keys::GeneratedKey;
//!
//! let key = GeneratedKey::generate().unwrap();
//! let signer = SigningKey::from_pkcs8(&key.jwk.kid, key.pkcs8()).unwrap();
//! let jwt = signer.sign_json(&serde_json::json!({"sub": "00u1"})).unwrap();
//! assert_eq!(jwt.split('.').count(), 3);
//! ```

pub mod hashes;
pub mod jws;
pub mod keys;
pub mod sealed;
pub mod verify;

/// A cryptographic operation failed. Deliberately opaque: it never carries key material.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    /// Key generation, parsing or signing failed.
    #[error("{0} failed")]
    Failed(&'static str),
    /// A sealed private key could not be opened: wrong master key, or the blob was altered.
    #[error("a signing key could not be decrypted with this master key")]
    WrongMasterKey,
}
