//! Verifying Tollgate's own RS256 tokens (introspection, userinfo, `id_token_hint`): the
//! signature against the issuer's published keys, found by `kid`. Expiry and audience are the
//! caller's business: introspection and logout each treat them differently.

use aws_lc_rs::signature::{RSA_PKCS1_2048_8192_SHA256, RsaPublicKeyComponents};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};

use crate::token::keys::PublicJwk;

/// Why a token was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// Not a compact JWS with a JSON header and payload.
    #[error("the token is not a well-formed JWT")]
    Malformed,
    /// The header names another algorithm or a key this issuer never published.
    #[error("the token was not signed by a key of this issuer")]
    UnknownKey,
    /// The signature does not match.
    #[error("the token's signature is invalid")]
    BadSignature,
}

fn decode_json(part: &str) -> Result<Map<String, Value>, VerifyError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| VerifyError::Malformed)?;
    match serde_json::from_slice(&bytes) {
        Ok(Value::Object(m)) => Ok(m),
        _ => Err(VerifyError::Malformed),
    }
}

/// The payload of `jwt` once its RS256 signature checks out against one of `keys`.
pub fn verify(jwt: &str, keys: &[PublicJwk]) -> Result<Map<String, Value>, VerifyError> {
    let mut parts = jwt.split('.');
    let (Some(h), Some(p), Some(s), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(VerifyError::Malformed);
    };
    let header = decode_json(h)?;
    if header.get("alg").and_then(Value::as_str) != Some("RS256") {
        return Err(VerifyError::UnknownKey);
    }
    let kid = header.get("kid").and_then(Value::as_str);
    let key = keys
        .iter()
        .find(|k| Some(k.kid.as_str()) == kid)
        .ok_or(VerifyError::UnknownKey)?;
    let n = URL_SAFE_NO_PAD
        .decode(&key.n)
        .map_err(|_| VerifyError::UnknownKey)?;
    let e = URL_SAFE_NO_PAD
        .decode(&key.e)
        .map_err(|_| VerifyError::UnknownKey)?;
    let signature = URL_SAFE_NO_PAD
        .decode(s)
        .map_err(|_| VerifyError::Malformed)?;
    let signed_len = h.len() + 1 + p.len();
    let message = jwt.get(..signed_len).ok_or(VerifyError::Malformed)?;
    RsaPublicKeyComponents { n: &n, e: &e }
        .verify(&RSA_PKCS1_2048_8192_SHA256, message.as_bytes(), &signature)
        .map_err(|_| VerifyError::BadSignature)?;
    decode_json(p)
}

/// The payload of `jwt` without checking anything: for reading a claim (the `iss` of a token
/// whose keys must be looked up) before verification.
pub fn peek(jwt: &str) -> Result<Map<String, Value>, VerifyError> {
    decode_json(jwt.split('.').nth(1).ok_or(VerifyError::Malformed)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::jws::SigningKey;
    use crate::token::keys::GeneratedKey;

    #[test]
    fn verifies_own_signature_and_refuses_tampering() {
        let key = GeneratedKey::generate().unwrap();
        let signer = SigningKey::from_pkcs8(&key.jwk.kid, key.pkcs8()).unwrap();
        let jwt = signer
            .sign_json(&serde_json::json!({"sub": "00u1"}))
            .unwrap();
        let keys = [key.jwk.clone()];
        assert_eq!(verify(&jwt, &keys).unwrap()["sub"], "00u1");
        let other = GeneratedKey::generate().unwrap();
        assert_eq!(verify(&jwt, &[other.jwk]), Err(VerifyError::UnknownKey));
        let mut parts: Vec<&str> = jwt.split('.').collect();
        let forged = URL_SAFE_NO_PAD.encode(br#"{"sub":"00u2"}"#);
        parts[1] = &forged;
        assert_eq!(
            verify(&parts.join("."), &keys),
            Err(VerifyError::BadSignature)
        );
        assert_eq!(verify("a.b", &keys), Err(VerifyError::Malformed));
        assert_eq!(peek(&jwt).unwrap()["sub"], "00u1");
    }
}
