//! PKCE (RFC 7636) with the one method Okta accepts, S256: the challenge an authorize request
//! carries, and the verifier the code exchange must present. A verifier for a code issued
//! without a challenge is refused, so PKCE cannot be downgraded (RFC 9700 section 2.1.1).

use crate::oauth::error::{OAuthCode, OAuthError, invalid_request};
use crate::token::hashes::pkce_s256;

/// A challenge is the base64url SHA-256 of the verifier: 43 characters.
const CHALLENGE_LEN: usize = 43;
/// RFC 7636 4.1: a verifier has 43 to 128 characters.
const VERIFIER_LEN: std::ops::RangeInclusive<usize> = 43..=128;

fn base64url(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// RFC 7636 4.1: `ALPHA / DIGIT / "-" / "." / "_" / "~"`.
fn unreserved(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

/// The authorize request's challenge, if it sent one.
pub fn challenge(
    challenge: Option<&str>,
    method: Option<&str>,
) -> Result<Option<String>, OAuthError> {
    let Some(challenge) = challenge else {
        return Ok(None);
    };
    if method != Some("S256") {
        return Err(invalid_request(
            "PKCE code challenge method is not supported. Valid values: [S256]",
        ));
    }
    if challenge.len() != CHALLENGE_LEN || !base64url(challenge) {
        return Err(invalid_request(
            "PKCE code challenge contains illegal characters.",
        ));
    }
    Ok(Some(challenge.to_owned()))
}

/// Checks the code exchange's verifier against the challenge the code was issued with.
pub fn verify(challenge: Option<&str>, verifier: Option<&str>) -> Result<(), OAuthError> {
    if let Some(v) = verifier
        && (!VERIFIER_LEN.contains(&v.len()) || !unreserved(v))
    {
        return Err(invalid_request(
            "PKCE code verifier must be 43 to 128 characters of [A-Z] / [a-z] / [0-9] / \"-\" / \".\" / \"_\" / \"~\".",
        ));
    }
    match (challenge, verifier) {
        (None, None) => Ok(()),
        (None, Some(_)) => Err(OAuthError::new(
            OAuthCode::InvalidGrant,
            "PKCE verification failed.",
        )
        .because("a code_verifier was sent for a code issued without a code_challenge")),
        (Some(_), None) => Err(invalid_request(
            "PKCE code verifier is required by the application.",
        )),
        (Some(c), Some(v)) if pkce_s256(v) == c => Ok(()),
        (Some(_), Some(_)) => Err(OAuthError::new(
            OAuthCode::InvalidGrant,
            "PKCE verification failed.",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Challenge or verifier, method or verifier, and the outcome.
    type Case<'a, T> = (Option<&'a str>, Option<&'a str>, Result<T, OAuthCode>);

    const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    #[test]
    fn challenge_needs_s256_and_43_base64url_characters() {
        let cases: [Case<'_, Option<&str>>; 5] = [
            (None, None, Ok(None)),
            (Some(CHALLENGE), Some("S256"), Ok(Some(CHALLENGE))),
            (
                Some(CHALLENGE),
                Some("plain"),
                Err(OAuthCode::InvalidRequest),
            ),
            (Some(CHALLENGE), None, Err(OAuthCode::InvalidRequest)),
            (Some("short"), Some("S256"), Err(OAuthCode::InvalidRequest)),
        ];
        for (c, m, want) in cases {
            let got = challenge(c, m).map_err(|e| e.code);
            assert_eq!(got, want.map(|o| o.map(str::to_owned)), "{c:?} {m:?}");
        }
    }

    #[test]
    fn verifier_matches_the_challenge_and_cannot_downgrade() {
        let long = "a".repeat(129);
        let cases: [Case<'_, ()>; 8] = [
            (None, None, Ok(())),
            (Some(CHALLENGE), Some(VERIFIER), Ok(())),
            (Some(CHALLENGE), None, Err(OAuthCode::InvalidRequest)),
            (
                Some(CHALLENGE),
                Some(&"b".repeat(43)),
                Err(OAuthCode::InvalidGrant),
            ),
            (None, Some(VERIFIER), Err(OAuthCode::InvalidGrant)),
            (
                Some(CHALLENGE),
                Some("too-short"),
                Err(OAuthCode::InvalidRequest),
            ),
            (Some(CHALLENGE), Some(&long), Err(OAuthCode::InvalidRequest)),
            (
                Some(CHALLENGE),
                Some("dBjftJeZ4CVP+mB92K27uhbUJU1p1r/wW1gFWFOEjXk"),
                Err(OAuthCode::InvalidRequest),
            ),
        ];
        for (c, v, want) in cases {
            assert_eq!(verify(c, v).map_err(|e| e.code), want, "{c:?} {v:?}");
        }
    }
}
