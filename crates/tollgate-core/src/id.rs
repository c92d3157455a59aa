//! Typed Okta-style identifiers: a three-character type prefix and 17 base62 characters.
//!
//! Clients and documentation rely on the prefixes (`00u` users, `00g` groups, `0oa` apps, ...),
//! so every kind of object has its own newtype and is generated in one place.

use std::fmt;
use std::str::FromStr;

use aws_lc_rs::rand::{SecureRandom, SystemRandom};

const BASE62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// Length of the random part of an id.
pub const RANDOM_LEN: usize = 17;

/// `n` random characters from `[0-9A-Za-z]`, drawn without modulo bias.
pub fn random_base62(n: usize) -> String {
    let rng = SystemRandom::new();
    let mut out = String::with_capacity(n);
    let mut buf = [0u8; 64];
    while out.len() < n {
        if rng.fill(&mut buf).is_err() {
            // The system RNG does not fail on supported platforms; fall back to a fresh attempt.
            continue;
        }
        for b in buf {
            // 248 = 4 * 62: values above would skew the distribution.
            if b < 248 {
                if let Some(c) = BASE62.get(usize::from(b % 62)) {
                    out.push(char::from(*c));
                }
                if out.len() == n {
                    break;
                }
            }
        }
    }
    out
}

/// `n` random bytes from the system RNG.
pub fn random_bytes(n: usize) -> Vec<u8> {
    let mut v = vec![0u8; n];
    let rng = SystemRandom::new();
    while rng.fill(&mut v).is_err() {}
    v
}

/// Why a string is not an id of the expected kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a valid {kind} id: {value:?}")]
pub struct InvalidId {
    /// The kind of id expected.
    pub kind: &'static str,
    /// The rejected input.
    pub value: String,
}

fn is_id_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

macro_rules! okta_id {
    ($(#[$doc:meta])* $name:ident, $prefix:literal, $kind:literal) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// The type prefix of this kind of id.
            pub const PREFIX: &'static str = $prefix;

            /// A new random id.
            pub fn generate() -> Self {
                Self(format!("{}{}", $prefix, random_base62(RANDOM_LEN)))
            }

            /// Wraps a stored id without checking it (ids read back from our own database).
            pub fn from_trusted(s: impl Into<String>) -> Self {
                Self(s.into())
            }

            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// Consumes the id, giving its text.
            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl FromStr for $name {
            type Err = InvalidId;

            /// Accepts the usual 20-character form and any other run of 1 to 64 alphanumeric
            /// characters, because declarative org files may choose their own ids.
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                if !s.is_empty() && s.len() <= 64 && s.chars().all(is_id_char) {
                    Ok(Self(s.to_owned()))
                } else {
                    Err(InvalidId { kind: $kind, value: s.to_owned() })
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    };
}

okta_id!(/// An organisation (`00o…`), also the `idp` claim of tokens.
    OrgId, "00o", "org");
okta_id!(/// A user (`00u…`).
    UserId, "00u", "user");
okta_id!(/// A group (`00g…`).
    GroupId, "00g", "group");
okta_id!(/// An application instance (`0oa…`), also its default `client_id`.
    AppId, "0oa", "app");
okta_id!(/// A custom authorization server (`aus…`; the built-in one is `default`).
    AuthServerId, "aus", "authorization server");
okta_id!(/// An authorization-server claim (`ocl…`).
    ClaimId, "ocl", "claim");
okta_id!(/// An authorization-server scope (`scp…`).
    ScopeId, "scp", "scope");
okta_id!(/// An authorization-server policy (`00p…`).
    PolicyId, "00p", "policy");
okta_id!(/// A policy rule (`0pr…`).
    RuleId, "0pr", "policy rule");
okta_id!(/// A group rule (`0pr…`, the prefix Okta shares with policy rules).
    GroupRuleId, "0pr", "group rule");
okta_id!(/// An API token (`00T…`).
    ApiTokenId, "00T", "API token");
okta_id!(/// An app's end-user link (`aln…`), the last segment of its `linkUrl`.
    AppLinkId, "aln", "app link");
okta_id!(/// A trusted origin (`tos…`).
    TrustedOriginId, "tos", "trusted origin");
okta_id!(/// An app's consent grant to a management scope (`oag…`).
    ConsentGrantId, "oag", "consent grant");
okta_id!(/// A grant family, shown by the management API as its refresh token (`oar…`).
    GrantId, "oar", "refresh token");

/// A fresh `errorId` for an error response (`oae` + 22 characters, as Okta sends).
pub fn error_id() -> String {
    format!("oae{}", random_base62(22))
}

/// A fresh request id for `X-Okta-Request-Id`.
pub fn request_id() -> String {
    random_base62(27)
}

/// The longest incoming `X-Request-Id` taken as the request id.
pub const MAX_REQUEST_ID_LEN: usize = 128;

/// Whether a caller's `X-Request-Id` may stand as the request id: 1 to
/// [`MAX_REQUEST_ID_LEN`] characters of letters, digits, `-`, `_`, `.` and `:` (UUIDs, trace
/// ids), so it is safe in headers, log lines and the System Log.
pub fn is_acceptable_request_id(raw: &str) -> bool {
    (1..=MAX_REQUEST_ID_LEN).contains(&raw.len())
        && raw
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn incoming_request_ids_are_taken_only_when_sane() {
        for (raw, ok) in [
            ("5b3c7a2e-9f1d-4c55-8e0f-1a2b3c4d5e6f", true),
            ("req_01:abc.DEF", true),
            ("", false),
            ("has space", false),
            ("line\nbreak", false),
            ("quote\"", false),
            ("\u{e9}t\u{e9}", false),
        ] {
            assert_eq!(is_acceptable_request_id(raw), ok, "{raw:?}");
        }
        assert!(is_acceptable_request_id(&"a".repeat(MAX_REQUEST_ID_LEN)));
        assert!(!is_acceptable_request_id(
            &"a".repeat(MAX_REQUEST_ID_LEN + 1)
        ));
    }

    #[test]
    fn generated_ids_have_prefix_and_length() {
        for _ in 0..100 {
            let id = GroupId::generate();
            assert!(id.as_str().starts_with("00g"));
            assert_eq!(id.as_str().len(), 20);
            assert!(id.as_str().chars().all(|c| c.is_ascii_alphanumeric()));
        }
        assert_eq!(AppId::generate().as_str().len(), 20);
    }

    #[test]
    fn parse_rejects_junk() {
        assert!("00u5t60iloOHN9pBi0h7".parse::<UserId>().is_ok());
        assert!("default".parse::<AuthServerId>().is_ok());
        assert!("".parse::<UserId>().is_err());
        assert!("00u/../x".parse::<UserId>().is_err());
        assert!("x".repeat(65).parse::<UserId>().is_err());
    }

    #[test]
    fn error_ids_look_like_okta() {
        let e = error_id();
        assert!(e.starts_with("oae"));
        assert_eq!(e.len(), 25);
    }
}
