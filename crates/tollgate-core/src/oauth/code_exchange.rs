//! The checks of an authorization code exchange once the code is redeemed: the same server,
//! the same client, the same `redirect_uri`, and PKCE (RFC 6749 4.1.3, RFC 7636 4.6).

use crate::oauth::error::{OAuthCode, OAuthError, invalid_request};
use crate::oauth::grant::Grant;
use crate::oauth::pkce;

/// Okta's words for an unknown, used or expired code.
pub const BAD_CODE: &str = "The authorization code is invalid or has expired.";

/// What the authorize request stored with the code.
#[derive(Debug, Clone, Copy)]
pub struct IssuedCode<'a> {
    /// The grant the code carries.
    pub grant: &'a Grant,
    /// The authorize request's `redirect_uri`.
    pub redirect_uri: &'a str,
    /// The authorize request's `code_challenge`.
    pub code_challenge: Option<&'a str>,
}

/// What the token request presented with the code.
#[derive(Debug, Clone, Copy)]
pub struct Presented<'a> {
    /// The authorization server the request went to (`org` for the org server).
    pub server_id: &'a str,
    /// The authenticated client.
    pub client_id: &'a str,
    /// `redirect_uri`.
    pub redirect_uri: Option<&'a str>,
    /// `code_verifier`.
    pub code_verifier: Option<&'a str>,
}

/// Checks a redeemed code against the request that presents it.
pub fn check(issued: IssuedCode<'_>, presented: Presented<'_>) -> Result<(), OAuthError> {
    if issued.grant.server_id != presented.server_id {
        return Err(invalid_request(
            "The grant was issued for another authorization server.",
        ));
    }
    if issued.grant.client_id != presented.client_id {
        return Err(OAuthError::new(
            OAuthCode::InvalidGrant,
            "The grant was issued to another client. Please make sure the 'client_id' matches the one used at the authorize request.",
        ));
    }
    if presented.redirect_uri != Some(issued.redirect_uri) {
        return Err(OAuthError::new(
            OAuthCode::InvalidGrant,
            "The 'redirect_uri' does not match the redirection URI used in the authorization request.",
        ));
    }
    pkce::verify(issued.code_challenge, presented.code_verifier)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant() -> Grant {
        crate::oauth::testing::grant(&["openid"])
    }

    #[test]
    fn server_client_redirect_and_pkce_must_match() {
        let g = grant();
        let issued = IssuedCode {
            grant: &g,
            redirect_uri: "https://app/cb",
            code_challenge: None,
        };
        let ok = Presented {
            server_id: "default",
            client_id: "client",
            redirect_uri: Some("https://app/cb"),
            code_verifier: None,
        };
        let cases: [(Presented<'_>, Result<(), OAuthCode>); 6] = [
            (ok, Ok(())),
            (
                Presented {
                    server_id: "org",
                    ..ok
                },
                Err(OAuthCode::InvalidRequest),
            ),
            (
                Presented {
                    client_id: "other",
                    ..ok
                },
                Err(OAuthCode::InvalidGrant),
            ),
            (
                Presented {
                    redirect_uri: None,
                    ..ok
                },
                Err(OAuthCode::InvalidGrant),
            ),
            (
                Presented {
                    redirect_uri: Some("https://app/cb2"),
                    ..ok
                },
                Err(OAuthCode::InvalidGrant),
            ),
            (
                Presented {
                    code_verifier: Some("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
                    ..ok
                },
                Err(OAuthCode::InvalidGrant),
            ),
        ];
        for (presented, want) in cases {
            assert_eq!(
                check(issued, presented).map_err(|e| e.code),
                want,
                "{presented:?}"
            );
        }
    }
}
