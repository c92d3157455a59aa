//! `at_hash` and `c_hash` (OpenID Connect Core 3.1.3.6 and 3.3.2.11): base64url of the left
//! half of the SHA-256 of the token or code, as RS256 uses SHA-256.

use aws_lc_rs::digest;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// base64url(left half of SHA-256(`value` as ASCII)).
pub fn left_half_sha256(value: &str) -> String {
    let d = digest::digest(&digest::SHA256, value.as_bytes());
    let bytes = d.as_ref();
    URL_SAFE_NO_PAD.encode(bytes.get(..bytes.len() / 2).unwrap_or_default())
}

/// The ID token's `at_hash` for `access_token`.
pub fn at_hash(access_token: &str) -> String {
    left_half_sha256(access_token)
}

/// The ID token's `c_hash` for the authorization `code`.
pub fn c_hash(code: &str) -> String {
    left_half_sha256(code)
}

/// The PKCE `S256` challenge of a `code_verifier` (RFC 7636 section 4.2).
pub fn pkce_s256(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(digest::digest(&digest::SHA256, verifier.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_openid_connect_example() {
        // OpenID Connect Core, appendix A.3 (`at_hash`) and A.4 (`c_hash`).
        assert_eq!(
            at_hash("jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y"),
            "77QmUPtjPfzWtF2AnpK9RQ"
        );
        assert_eq!(
            c_hash("Qcb0Orv1zh30vL1MPRsbm-diHiMwcLyZvn1arpZv-Jxf_11jnpEX3Tgfvk"),
            "LDktKdoQak3Pk0cnXxCltA"
        );
        assert_eq!(at_hash("x").len(), 22);
    }
}
