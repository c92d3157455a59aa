//! Checking Okta's hash object: every problem is a cause naming its field.

use std::num::NonZeroU32;
use std::ops::RangeInclusive;

use base64::Engine;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};

use super::{DigestKind, HashObject, ImportedHash, Prf, SaltOrder};
use crate::error::{Cause, Error};

/// bcrypt's own radix-64 alphabet.
const BCRYPT_ALPHABET: &str = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
/// Work factors bcrypt defines (from 4) that Okta takes (up to 20).
const BCRYPT_COSTS: RangeInclusive<i64> = 4..=20;
/// Okta's lower bound for PBKDF2, and ours above (ten times a current web framework's
/// default), so that one sign-in cannot hold a hashing slot for minutes.
const PBKDF2_ITERATIONS: RangeInclusive<i64> = 4096..=10_000_000;
/// Derived key sizes taken for PBKDF2, in bytes.
const PBKDF2_KEY_SIZES: RangeInclusive<i64> = 1..=256;

/// Base64 with or without padding, as exporting systems write it.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

fn required(field: &str) -> Cause {
    Cause::field(field, "The field is required for this algorithm")
}

/// A required field of exactly `len` characters of bcrypt's alphabet.
fn radix64(text: Option<&str>, field: &str, len: usize, causes: &mut Vec<Cause>) -> Option<String> {
    let Some(text) = text.filter(|t| !t.is_empty()) else {
        causes.push(required(field));
        return None;
    };
    if text.len() != len || !text.chars().all(|c| BCRYPT_ALPHABET.contains(c)) {
        causes.push(Cause::field(
            field,
            format!("must be {len} characters of bcrypt's radix-64 alphabet (./A-Za-z0-9)"),
        ));
        return None;
    }
    Some(text.to_owned())
}

/// Base64 bytes; a missing or empty field is empty unless `needed`.
fn bytes(
    text: Option<&str>,
    field: &str,
    needed: bool,
    causes: &mut Vec<Cause>,
) -> Option<Vec<u8>> {
    match text.filter(|t| !t.is_empty()) {
        None if needed => {
            causes.push(required(field));
            None
        }
        None => Some(Vec::new()),
        Some(t) => BASE64.decode(t.trim()).map_or_else(
            |_| {
                causes.push(Cause::field(field, "must be base64"));
                None
            },
            Some,
        ),
    }
}

/// A required whole number within `range`.
fn number(
    n: Option<i64>,
    field: &str,
    range: &RangeInclusive<i64>,
    causes: &mut Vec<Cause>,
) -> Option<u32> {
    match n {
        None => causes.push(required(field)),
        Some(n) if range.contains(&n) => return u32::try_from(n).ok(),
        Some(_) => causes.push(Cause::field(
            field,
            format!("must be between {} and {}", range.start(), range.end()),
        )),
    }
    None
}

impl HashObject {
    /// Checks the object; every problem is a cause naming its field (`salt`, `value`, ...).
    pub fn check(&self) -> Result<ImportedHash, Error> {
        let mut causes = Vec::new();
        let hash = match self.algorithm.as_deref() {
            Some("BCRYPT") => self.bcrypt(&mut causes),
            Some("PBKDF2") => self.pbkdf2(&mut causes),
            Some(name) => match DigestKind::parse(name) {
                Some(kind) => self.digest(kind, &mut causes),
                None => None,
            },
            None => None,
        };
        match hash {
            Some(hash) if causes.is_empty() => Ok(hash),
            _ if causes.is_empty() => Err(Error::invalid_field(
                "algorithm",
                "must be one of BCRYPT, SHA-512, SHA-256, SHA-1, MD5, PBKDF2",
            )),
            _ => Err(Error::invalid(causes)),
        }
    }

    fn bcrypt(&self, causes: &mut Vec<Cause>) -> Option<ImportedHash> {
        let cost = number(self.work_factor, "workFactor", &BCRYPT_COSTS, causes);
        let salt = radix64(self.salt.as_deref(), "salt", 22, causes);
        let value = radix64(self.value.as_deref(), "value", 31, causes);
        // bcrypt's last character of each part carries unused bits that must be zero.
        let (pad_salt, pad_value) = (".".repeat(22), ".".repeat(31));
        if let Some(s) = &salt
            && format!("$2b$04${s}{pad_value}")
                .parse::<bcrypt::HashParts>()
                .is_err()
        {
            causes.push(Cause::field("salt", "is not a bcrypt salt"));
        }
        if let Some(v) = &value
            && format!("$2b$04${pad_salt}{v}")
                .parse::<bcrypt::HashParts>()
                .is_err()
        {
            causes.push(Cause::field("value", "is not a bcrypt hash"));
        }
        Some(ImportedHash::Bcrypt {
            cost: cost?,
            salt: salt?,
            value: value?,
        })
    }

    fn digest(&self, kind: DigestKind, causes: &mut Vec<Cause>) -> Option<ImportedHash> {
        let value = bytes(self.value.as_deref(), "value", true, causes);
        if value.as_ref().is_some_and(|v| v.len() != kind.output_len()) {
            causes.push(Cause::field(
                "value",
                format!(
                    "must be the base64 of a {}-byte {} digest",
                    kind.output_len(),
                    kind.name()
                ),
            ));
        }
        let salt = bytes(self.salt.as_deref(), "salt", false, causes)?;
        let order = match self
            .salt_order
            .as_deref()
            .map(str::to_ascii_uppercase)
            .as_deref()
        {
            _ if salt.is_empty() => Some(SaltOrder::Postfix),
            Some("PREFIX") => Some(SaltOrder::Prefix),
            Some("POSTFIX") => Some(SaltOrder::Postfix),
            None => {
                causes.push(required("saltOrder"));
                None
            }
            Some(_) => {
                causes.push(Cause::field("saltOrder", "must be PREFIX or POSTFIX"));
                None
            }
        };
        Some(ImportedHash::Digest {
            kind,
            salt,
            order: order?,
            value: value?,
        })
    }

    fn pbkdf2(&self, causes: &mut Vec<Cause>) -> Option<ImportedHash> {
        let prf = match self.digest_algorithm.as_deref() {
            None => {
                causes.push(required("digestAlgorithm"));
                None
            }
            Some(name) => Prf::parse(name).or_else(|| {
                causes.push(Cause::field(
                    "digestAlgorithm",
                    "must be SHA256_HMAC or SHA512_HMAC",
                ));
                None
            }),
        };
        let iterations = number(
            self.iteration_count,
            "iterationCount",
            &PBKDF2_ITERATIONS,
            causes,
        )
        .and_then(NonZeroU32::new);
        let key_size = number(self.key_size, "keySize", &PBKDF2_KEY_SIZES, causes);
        let salt = bytes(self.salt.as_deref(), "salt", false, causes);
        let value = bytes(self.value.as_deref(), "value", true, causes);
        if let (Some(size), Some(v)) = (key_size, &value)
            && usize::try_from(size).ok() != Some(v.len())
        {
            causes.push(Cause::field(
                "value",
                format!("must be the base64 of keySize ({size}) bytes"),
            ));
        }
        Some(ImportedHash::Pbkdf2 {
            prf: prf?,
            iterations: iterations?,
            salt: salt?,
            value: value?,
        })
    }
}
