//! Secrets (API tokens, client secrets, session tokens): redacted in `Debug`, read only through
//! an explicit `expose()`, stored as SHA-256 digests and compared in constant time.

use std::fmt;

use aws_lc_rs::digest;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// A secret string. `Debug` never prints it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// A new high-entropy secret: `len` bytes of randomness, base64url without padding.
    pub fn generate(bytes: usize) -> Self {
        Self(URL_SAFE_NO_PAD.encode(crate::id::random_bytes(bytes)))
    }

    /// A new API token in Okta's style: `00` followed by 40 characters.
    pub fn generate_api_token() -> Self {
        Self(format!("00{}", crate::id::random_base62(40)))
    }

    /// The secret text; every call site is a place where the secret leaves its wrapper.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The digest stored in place of the secret (hex SHA-256).
    pub fn digest(&self) -> String {
        sha256_hex(self.0.as_bytes())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

/// Hex SHA-256 of `data`.
pub fn sha256_hex(data: &[u8]) -> String {
    let d = digest::digest(&digest::SHA256, data);
    let mut out = String::with_capacity(64);
    for b in d.as_ref() {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// Constant-time equality of two byte strings.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    aws_lc_rs::constant_time::verify_slices_are_equal(a, b).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted() {
        let s = Secret::new("hunter2");
        assert_eq!(format!("{s:?}"), "Secret([redacted])");
    }

    #[test]
    fn api_tokens_look_like_okta() {
        let t = Secret::generate_api_token();
        assert_eq!(t.expose().len(), 42);
        assert!(t.expose().starts_with("00"));
        assert_eq!(t.digest().len(), 64);
        assert_ne!(t.digest(), Secret::generate_api_token().digest());
    }

    #[test]
    fn constant_time_compare() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
