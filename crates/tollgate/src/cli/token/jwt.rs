//! A JWT split into its parts, and its RS256 signature checked against the key set its issuer
//! publishes. Every outcome is said in plain words: verified, invalid, or not checked and why.

use anyhow::{Context, bail};
use aws_lc_rs::signature::{RSA_PKCS1_2048_8192_SHA256, RsaPublicKeyComponents};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;

use super::{endpoint, root_cause};

/// A JWT split into its parts.
#[derive(Debug)]
pub struct Decoded {
    /// The JOSE header.
    pub header: Value,
    /// The claims.
    pub payload: Value,
    signing_input: String,
    signature: Vec<u8>,
}

fn b64(part: &str, what: &str) -> anyhow::Result<Vec<u8>> {
    URL_SAFE_NO_PAD
        .decode(part.trim_end_matches('='))
        .with_context(|| format!("the {what} is not base64url"))
}

/// Splits and decodes a compact JWS.
pub fn decode(jwt: &str) -> anyhow::Result<Decoded> {
    let jwt = jwt.trim();
    let parts: Vec<&str> = jwt.split('.').collect();
    let [h, p, s] = parts.as_slice() else {
        bail!(
            "not a JWT: expected three dot-separated parts, found {}",
            parts.len()
        );
    };
    let header: Value =
        serde_json::from_slice(&b64(h, "header")?).context("the header is not JSON")?;
    let payload: Value =
        serde_json::from_slice(&b64(p, "payload")?).context("the payload is not JSON")?;
    Ok(Decoded {
        header,
        payload,
        signing_input: format!("{h}.{p}"),
        signature: b64(s, "signature")?,
    })
}

/// What checking a signature found.
#[derive(Debug, PartialEq, Eq)]
pub enum Check {
    /// The issuer's key `kid`, fetched from `url`, verifies the signature.
    Verified { kid: String, url: String },
    /// The signature is wrong: the token was changed or signed by someone else.
    Invalid(String),
    /// The signature could not be checked, and why.
    Unchecked(String),
}

/// Where an issuer publishes its keys.
pub fn jwks_url(iss: &str) -> String {
    endpoint(iss, "keys")
}

/// Checks the signature against the keys the token's issuer publishes; with `pinned`, the
/// token's `iss` must be that issuer.
pub async fn check(d: &Decoded, pinned: Option<&str>) -> Check {
    let Some(iss) = d.payload.get("iss").and_then(Value::as_str) else {
        return Check::Unchecked(
            "the token has no iss claim, so there is no issuer whose keys could check it".into(),
        );
    };
    if let Some(pinned) = pinned
        && pinned.trim_end_matches('/') != iss.trim_end_matches('/')
    {
        return Check::Invalid(format!(
            "the token's issuer {iss:?} is not {pinned:?} (--issuer)"
        ));
    }
    if let Some(refused) = unsupported_alg(d) {
        return refused;
    }
    let url = jwks_url(iss);
    match fetch_jwks(&url).await {
        Ok(jwks) => verify_with(d, &jwks, &url),
        Err(why) => Check::Unchecked(why),
    }
}

/// Only RS256 (what Okta signs with) is checked; an unsigned token is invalid outright.
fn unsupported_alg(d: &Decoded) -> Option<Check> {
    match d.header.get("alg").and_then(Value::as_str) {
        Some("RS256") => None,
        Some("none") | None => Some(Check::Invalid(
            "the token is not signed (its header has no alg, or alg none)".into(),
        )),
        Some(other) => Some(Check::Unchecked(format!(
            "the token is signed with {other}; only RS256, what Okta uses, is checked"
        ))),
    }
}

/// Checks the RS256 signature against the key of the header's `kid` in `jwks` (from `url`).
pub fn verify_with(d: &Decoded, jwks: &Value, url: &str) -> Check {
    if let Some(refused) = unsupported_alg(d) {
        return refused;
    }
    let Some(kid) = d.header.get("kid").and_then(Value::as_str) else {
        return Check::Unchecked("the token's header names no key (kid)".into());
    };
    let keys = jwks.get("keys").and_then(Value::as_array);
    let Some(key) = keys
        .into_iter()
        .flatten()
        .find(|k| k.get("kid").and_then(Value::as_str) == Some(kid))
    else {
        return Check::Unchecked(format!(
            "the issuer publishes no key {kid:?} at {url} (the token was signed by another \
             server, or with a key that has since been removed)"
        ));
    };
    let part = |name: &str| {
        key.get(name)
            .and_then(Value::as_str)
            .and_then(|v| URL_SAFE_NO_PAD.decode(v).ok())
    };
    let (Some(n), Some(e)) = (part("n"), part("e")) else {
        return Check::Unchecked(format!("the issuer's key {kid:?} is not an RSA key"));
    };
    let public = RsaPublicKeyComponents { n, e };
    match public.verify(
        &RSA_PKCS1_2048_8192_SHA256,
        d.signing_input.as_bytes(),
        &d.signature,
    ) {
        Ok(()) => Check::Verified {
            kid: kid.to_owned(),
            url: url.to_owned(),
        },
        Err(_) => Check::Invalid(format!(
            "the signature does not match the issuer's key {kid:?}: the token was changed \
             after it was signed, or was not signed by this issuer"
        )),
    }
}

async fn fetch_jwks(url: &str) -> Result<Value, String> {
    let client = reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(5))
        .build()
        .map_err(|e| root_cause(&e))?;
    let resp = client.get(url).send().await.map_err(|e| {
        format!(
            "cannot fetch the issuer's keys from {url}: {}",
            root_cause(&e)
        )
    })?;
    if !resp.status().is_success() {
        return Err(format!(
            "{url} answered {} instead of the issuer's keys (is the iss an issuer that server has?)",
            resp.status()
        ));
    }
    resp.json()
        .await
        .map_err(|_| format!("{url} did not answer a JSON key set"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_reads_the_guide_token_and_explains_failed_checks() {
        // The example ID token of the groups-claim guide (its key is not published anywhere).
        let jwt = "eyJraWQiOiJiS0U0czM3d01tQWZ5ZzQtVFJQcVg1YW50blE1ajBuNFJKcE9nSl9zT0JVIiwiYWxnIjoiUlMyNTYifQ.eyJzdWIiOiIwMHU1dDYwaWxvT0hOOXBCaTBoNyIsInZlciI6MSwiaXNzIjoiaHR0cHM6Ly9teXN0aWNvcnAub2t0YXByZXZpZXcuY29tIiwiYXVkIjoiMG9hYnNrdmM2NDQybmt2UU8waDciLCJpYXQiOjE1MTM4MTIyNzgsImV4cCI6MTUxMzgxNTg3OCwianRpIjoiSUQuNlBKamc0c0VQam8zRWVvR0FSblExUEoyRnFVY2dhajdmWUUwUG5fNW9FWSIsImFtciI6WyJwd2QiXSwiaWRwIjoiMDBvNXQ2MGlsM1V6eUllNXYwaDciLCJub25jZSI6ImIxYmMxYWZlLTA5ZjctNGUyOC1hODQ3LWRjMGIyODZjN2Y0NiIsImF1dGhfdGltZSI6MTUxMzc5NTMyMiwiZ3JvdXBzIjpbIldlc3RDb2FzdERpdmlzaW9uIl19.QLp-xJ5vKYq6I2VAUEL11QL9D70EDBlYQb_GPirEOJeSEGhlFDaNdow7-FBbBUTCkn51LU4lNyKLxTi_Mhj5S3I8KxinuAxjyvUpt7zt3BmkDBpVzHB4oz9D28j2QXElslVnEf42pwn5VPyjRrejo63CkykeXZGAGU9irlZHHM9TqmZKHZzBVk5wN3RkbqfZ3VtMAt4zP7xGHH156IcGnlNe-k_p70Mtun_hblxwo1TFxR3MbIlNfxXSliiyQb8Y3wa7tp9OKZECDStZ4FCt4R1n5MKC1wVI2rc8yM7n6DbPT73lB7j4wtCBlcm_Dd-GqCwof-_eb_s8RkCKGlhdcQ";
        let d = decode(jwt).unwrap();
        assert_eq!(d.header["alg"], "RS256");
        assert_eq!(
            d.payload["groups"],
            serde_json::json!(["WestCoastDivision"])
        );
        let empty = serde_json::json!({"keys": []});
        let Check::Unchecked(why) = verify_with(&d, &empty, "https://x/keys") else {
            panic!("an unknown kid cannot be checked");
        };
        assert!(why.contains("publishes no key"), "{why}");
        let rsa = serde_json::json!({"keys": [{"kid": d.header["kid"], "kty": "RSA",
            "n": URL_SAFE_NO_PAD.encode([0xc3; 256]), "e": "AQAB"}]});
        let Check::Invalid(why) = verify_with(&d, &rsa, "https://x/keys") else {
            panic!("another key's signature is invalid");
        };
        assert!(why.contains("does not match"), "{why}");
        assert!(decode("a.b").is_err());
    }

    #[test]
    fn only_rs256_is_checked_and_unsigned_tokens_are_invalid() {
        let part = |v: Value| URL_SAFE_NO_PAD.encode(v.to_string());
        let payload = part(serde_json::json!({"iss": "https://x"}));
        let token = |alg: &str| format!("{}.{payload}.", part(serde_json::json!({"alg": alg})));
        let keys = serde_json::json!({"keys": []});
        let none = decode(&token("none")).unwrap();
        assert!(matches!(verify_with(&none, &keys, "u"), Check::Invalid(_)));
        let hs = decode(&token("HS256")).unwrap();
        assert!(matches!(verify_with(&hs, &keys, "u"), Check::Unchecked(w) if w.contains("HS256")));
    }
}
