//! RSA-2048 signing keys: generation (PKCS#8 DER) and the public JWK, whose `kid` is the
//! RFC 7638 JWK SHA-256 thumbprint.

use std::fmt;

use aws_lc_rs::digest;
use aws_lc_rs::encoding::AsDer;
use aws_lc_rs::rsa::{KeyPair, KeySize};
use aws_lc_rs::signature::KeyPair as _;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Value, json};

use crate::token::CryptoError;

/// The key set of the org authorization server, beside custom servers' ids (`aus…`, `default`).
pub const ORG_KEY_SET: &str = "org";

/// Where a key stands in its server's rotation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyStatus {
    /// Signs new tokens.
    Active,
    /// Published ahead of the next rotation, so clients already know it when it takes over.
    Next,
    /// Replaced; published a while longer so tokens it signed still verify.
    Expired,
}

impl KeyStatus {
    /// Okta's wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "ACTIVE",
            Self::Next => "NEXT",
            Self::Expired => "EXPIRED",
        }
    }

    /// Parses Okta's wire name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "ACTIVE" => Some(Self::Active),
            "NEXT" => Some(Self::Next),
            "EXPIRED" => Some(Self::Expired),
            _ => None,
        }
    }
}

/// How long after its last rotation a server in `AUTO` rotation mode rotates again (Okta: 90
/// days, as its `nextRotation` shows).
pub const AUTO_ROTATION_SECS: i64 = 90 * 24 * 3600;

/// The public half of an RSA signing key, as a JWK.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicJwk {
    /// The RFC 7638 thumbprint.
    pub kid: String,
    /// The modulus, base64url.
    pub n: String,
    /// The public exponent, base64url (`AQAB`).
    pub e: String,
}

impl PublicJwk {
    /// A JWK for modulus `n` and exponent `e` (base64url), its `kid` computed.
    pub fn new(n: String, e: String) -> Self {
        Self {
            kid: thumbprint(&n, &e),
            n,
            e,
        }
    }

    /// The JWK as JWKS endpoints publish it.
    pub fn to_json(&self) -> Value {
        json!({
            "kty": "RSA",
            "alg": "RS256",
            "kid": self.kid,
            "use": "sig",
            "e": self.e,
            "n": self.n,
        })
    }

    /// Reads back what [`PublicJwk::to_json`] wrote.
    pub fn from_json(v: &Value) -> Option<Self> {
        Some(Self {
            kid: v.get("kid")?.as_str()?.to_owned(),
            n: v.get("n")?.as_str()?.to_owned(),
            e: v.get("e")?.as_str()?.to_owned(),
        })
    }
}

/// The RFC 7638 JWK SHA-256 thumbprint of an RSA key: base64url of the SHA-256 of
/// `{"e":…,"kty":"RSA","n":…}` (members in lexicographic order, no whitespace).
pub fn thumbprint(n: &str, e: &str) -> String {
    let canonical = format!(r#"{{"e":"{e}","kty":"RSA","n":"{n}"}}"#);
    URL_SAFE_NO_PAD.encode(digest::digest(&digest::SHA256, canonical.as_bytes()))
}

/// A freshly generated key: its public JWK and its private key (PKCS#8 DER), which is sealed
/// before it is stored and never printed.
#[derive(Clone)]
pub struct GeneratedKey {
    /// The public JWK.
    pub jwk: PublicJwk,
    pkcs8: Vec<u8>,
}

impl GeneratedKey {
    /// Generates an RSA-2048 key (about 75 ms: keep it off async workers).
    pub fn generate() -> Result<Self, CryptoError> {
        let pair = KeyPair::generate(KeySize::Rsa2048)
            .map_err(|_| CryptoError::Failed("RSA key generation"))?;
        let pkcs8 = pair
            .as_der()
            .map_err(|_| CryptoError::Failed("PKCS#8 encoding"))?
            .as_ref()
            .to_vec();
        Ok(Self {
            jwk: public_jwk(&pair),
            pkcs8,
        })
    }

    /// The private key, PKCS#8 DER.
    pub fn pkcs8(&self) -> &[u8] {
        &self.pkcs8
    }
}

impl fmt::Debug for GeneratedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GeneratedKey")
            .field("kid", &self.jwk.kid)
            .field("pkcs8", &"[redacted]")
            .finish()
    }
}

/// The public JWK of a key pair.
pub fn public_jwk(pair: &KeyPair) -> PublicJwk {
    let public = pair.public_key();
    PublicJwk::new(
        URL_SAFE_NO_PAD.encode(public.modulus().big_endian_without_leading_zero()),
        URL_SAFE_NO_PAD.encode(public.exponent().big_endian_without_leading_zero()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thumbprint_matches_rfc_7638() {
        // RFC 7638 section 3.1.
        let n = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
        assert_eq!(
            thumbprint(n, "AQAB"),
            "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
        );
    }

    #[test]
    fn generated_keys_are_rsa_2048_with_their_thumbprint() {
        let k = GeneratedKey::generate().unwrap();
        assert_eq!(k.jwk.e, "AQAB");
        assert_eq!(URL_SAFE_NO_PAD.decode(&k.jwk.n).unwrap().len(), 256);
        assert_eq!(k.jwk.kid, thumbprint(&k.jwk.n, &k.jwk.e));
        assert_eq!(k.jwk.kid.len(), 43);
        assert!(!format!("{k:?}").contains(&format!("{:?}", &k.pkcs8()[..8])));
        let j = k.jwk.to_json();
        assert_eq!(j["kty"], "RSA");
        assert_eq!(j["alg"], "RS256");
        assert_eq!(j["use"], "sig");
        assert_eq!(PublicJwk::from_json(&j), Some(k.jwk.clone()));
        assert!(KeyPair::from_pkcs8(k.pkcs8()).is_ok());
    }

    #[test]
    fn wire_names_round_trip() {
        for s in [KeyStatus::Active, KeyStatus::Next, KeyStatus::Expired] {
            assert_eq!(KeyStatus::parse(s.as_str()), Some(s));
        }
    }
}
