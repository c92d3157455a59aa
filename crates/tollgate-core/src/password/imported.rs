//! Password hashes imported from another system, as Okta's `credentials.password.hash` takes
//! them: BCRYPT, SHA-512, SHA-256, SHA-1 and MD5 (each with an optional salt put before or
//! after the password) and PBKDF2. A hash object is checked once, stored in a tagged form that
//! no argon2id PHC string can take, verified at sign-in, and replaced by an argon2id hash after
//! the first right password.

use std::num::NonZeroU32;

use aws_lc_rs::{digest, pbkdf2};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::secret::{Secret, constant_time_eq};

mod check;
#[cfg(test)]
mod tests;

/// What every stored imported hash starts with; argon2id PHC strings start with `$argon2id$`.
const TAG: &str = "okta-import:";

/// Okta's `PasswordCredentialHash` as a client sends it (and as an org file or an export writes
/// it). Every field is optional here so that [`HashObject::check`] can name each one that is
/// missing or wrong; an unknown key is refused, so a misspelt one is not silently dropped.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct HashObject {
    /// `BCRYPT`, `SHA-512`, `SHA-256`, `SHA-1`, `MD5` or `PBKDF2`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub algorithm: Option<String>,
    /// BCRYPT: 22 radix-64 characters; the others: base64.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub salt: Option<String>,
    /// `PREFIX` or `POSTFIX`: where the salt went for SHA-* and MD5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub salt_order: Option<String>,
    /// BCRYPT: 31 radix-64 characters; the others: the base64 digest or derived key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// BCRYPT's cost.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub work_factor: Option<i64>,
    /// PBKDF2's pseudo-random function: `SHA256_HMAC` or `SHA512_HMAC`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest_algorithm: Option<String>,
    /// PBKDF2's iterations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iteration_count: Option<i64>,
    /// PBKDF2's derived key size in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_size: Option<i64>,
}

/// Where a salt goes, relative to the password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaltOrder {
    /// Salt, then password.
    Prefix,
    /// Password, then salt.
    Postfix,
}

/// The plain digests Okta imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DigestKind {
    /// MD5.
    Md5,
    /// SHA-1.
    Sha1,
    /// SHA-256.
    Sha256,
    /// SHA-512.
    Sha512,
}

/// PBKDF2's pseudo-random functions Okta imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Prf {
    /// HMAC-SHA-256.
    Sha256,
    /// HMAC-SHA-512.
    Sha512,
}

/// A checked imported hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportedHash {
    /// bcrypt: the cost and the radix-64 salt and hash.
    Bcrypt {
        /// The cost (work factor).
        cost: u32,
        /// 22 radix-64 characters.
        salt: String,
        /// 31 radix-64 characters.
        value: String,
    },
    /// A digest of the password with the salt (possibly empty) before or after it.
    Digest {
        /// Which digest.
        kind: DigestKind,
        /// The salt bytes.
        salt: Vec<u8>,
        /// Where the salt goes.
        order: SaltOrder,
        /// The digest.
        value: Vec<u8>,
    },
    /// PBKDF2.
    Pbkdf2 {
        /// The pseudo-random function.
        prf: Prf,
        /// Iterations.
        iterations: NonZeroU32,
        /// The salt bytes.
        salt: Vec<u8>,
        /// The derived key.
        value: Vec<u8>,
    },
}

impl DigestKind {
    fn parse(name: &str) -> Option<Self> {
        match name {
            "MD5" => Some(Self::Md5),
            "SHA-1" => Some(Self::Sha1),
            "SHA-256" => Some(Self::Sha256),
            "SHA-512" => Some(Self::Sha512),
            _ => None,
        }
    }

    /// Okta's name for it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Md5 => "MD5",
            Self::Sha1 => "SHA-1",
            Self::Sha256 => "SHA-256",
            Self::Sha512 => "SHA-512",
        }
    }

    /// The digest's length in bytes.
    pub fn output_len(self) -> usize {
        match self {
            Self::Md5 => 16,
            Self::Sha1 => 20,
            Self::Sha256 => 32,
            Self::Sha512 => 64,
        }
    }

    fn digest(self, data: &[u8]) -> Vec<u8> {
        use md5::Digest as _;
        let algorithm = match self {
            Self::Md5 => return md5::Md5::digest(data).to_vec(),
            Self::Sha1 => &digest::SHA1_FOR_LEGACY_USE_ONLY,
            Self::Sha256 => &digest::SHA256,
            Self::Sha512 => &digest::SHA512,
        };
        digest::digest(algorithm, data).as_ref().to_vec()
    }
}

impl Prf {
    fn parse(name: &str) -> Option<Self> {
        match name {
            "SHA256_HMAC" => Some(Self::Sha256),
            "SHA512_HMAC" => Some(Self::Sha512),
            _ => None,
        }
    }

    /// Okta's name for it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Sha256 => "SHA256_HMAC",
            Self::Sha512 => "SHA512_HMAC",
        }
    }

    fn algorithm(self) -> pbkdf2::Algorithm {
        match self {
            Self::Sha256 => pbkdf2::PBKDF2_HMAC_SHA256,
            Self::Sha512 => pbkdf2::PBKDF2_HMAC_SHA512,
        }
    }
}

impl ImportedHash {
    /// Whether `password` matches; digests are compared in constant time.
    pub fn verify(&self, password: &Secret) -> bool {
        let pw = password.expose().as_bytes();
        match self {
            Self::Bcrypt { cost, salt, value } => {
                bcrypt::verify(pw, &format!("$2b${cost:02}${salt}{value}")).unwrap_or(false)
            }
            Self::Digest {
                kind,
                salt,
                order,
                value,
            } => {
                let input = match order {
                    SaltOrder::Prefix => [salt.as_slice(), pw].concat(),
                    SaltOrder::Postfix => [pw, salt.as_slice()].concat(),
                };
                constant_time_eq(&kind.digest(&input), value)
            }
            Self::Pbkdf2 {
                prf,
                iterations,
                salt,
                value,
            } => pbkdf2::verify(prf.algorithm(), *iterations, salt, pw, value).is_ok(),
        }
    }

    /// The hash as Okta's object, in one canonical spelling.
    pub fn object(&self) -> HashObject {
        match self {
            Self::Bcrypt { cost, salt, value } => HashObject {
                algorithm: Some("BCRYPT".into()),
                salt: Some(salt.clone()),
                value: Some(value.clone()),
                work_factor: Some(i64::from(*cost)),
                ..HashObject::default()
            },
            Self::Digest {
                kind,
                salt,
                order,
                value,
            } => HashObject {
                algorithm: Some(kind.name().into()),
                salt: (!salt.is_empty()).then(|| STANDARD.encode(salt)),
                salt_order: (!salt.is_empty()).then(|| {
                    match order {
                        SaltOrder::Prefix => "PREFIX",
                        SaltOrder::Postfix => "POSTFIX",
                    }
                    .into()
                }),
                value: Some(STANDARD.encode(value)),
                ..HashObject::default()
            },
            Self::Pbkdf2 {
                prf,
                iterations,
                salt,
                value,
            } => HashObject {
                algorithm: Some("PBKDF2".into()),
                salt: (!salt.is_empty()).then(|| STANDARD.encode(salt)),
                value: Some(STANDARD.encode(value)),
                digest_algorithm: Some(prf.name().into()),
                iteration_count: Some(i64::from(iterations.get())),
                key_size: i64::try_from(value.len()).ok(),
                ..HashObject::default()
            },
        }
    }

    /// The form kept in the user's password hash column.
    pub fn stored(&self) -> Result<String, Error> {
        serde_json::to_string(&self.object())
            .map(|json| format!("{TAG}{json}"))
            .map_err(|_| Error::invalid_field("hash", "could not be stored"))
    }

    /// The hash kept as `stored`, when it is an imported one (and readable).
    pub fn from_stored(stored: &str) -> Option<Self> {
        let json = stored.strip_prefix(TAG)?;
        serde_json::from_str::<HashObject>(json).ok()?.check().ok()
    }
}

/// Whether a stored password hash is an imported one (replaced after the next right password).
pub fn is_imported(stored: &str) -> bool {
    stored.starts_with(TAG)
}
