//! Cross-site request forgery protection for our HTML forms, by double submit: the page puts a
//! random token both in a cookie (`HttpOnly`, `SameSite`) and in a hidden form field, and a post
//! is accepted only when the two agree. Another site can make a browser send the cookie but can
//! neither read it nor guess it, so it cannot fill in the field.

use axum::http::{HeaderMap, HeaderValue};
use tollgate_core::secret::{Secret, constant_time_eq};

use crate::login::cookie;
use crate::state::AppState;

/// The name of the hidden form field that carries the token.
pub const FIELD: &str = "csrf";

/// How long a token cookie lives, in seconds.
const MAX_AGE: i64 = 3600;

/// The shortest cookie value [`current_or_fresh`] keeps (a fresh one is 32 characters).
const MIN_LEN: usize = 32;

/// A token for a form, and the `Set-Cookie` that pairs it with the browser (when one is needed).
#[derive(Debug, Clone)]
pub struct Token {
    /// The value for the hidden field.
    pub value: String,
    /// The cookie to set with the page, if the browser does not have it yet.
    pub set_cookie: Option<HeaderValue>,
}

/// A new token in cookie `name`.
pub fn fresh(state: &AppState, name: &str) -> Token {
    let secret = Secret::generate(24);
    Token {
        set_cookie: cookie::set(state, name, secret.expose(), MAX_AGE),
        value: secret.expose().to_owned(),
    }
}

/// The token the browser already holds in cookie `name` (so pages open in several tabs all stay
/// valid), or a new one.
pub fn current_or_fresh(state: &AppState, headers: &HeaderMap, name: &str) -> Token {
    match cookie::read(headers, name) {
        Some(value) if value.len() >= MIN_LEN && value.bytes().all(is_token_byte) => Token {
            value,
            set_cookie: None,
        },
        _ => fresh(state, name),
    }
}

/// Whether the token a form sent matches the request's cookie `name`.
pub fn verify(headers: &HeaderMap, name: &str, sent: &str) -> bool {
    let expected = cookie::read(headers, name).unwrap_or_default();
    !expected.is_empty() && constant_time_eq(sent.as_bytes(), expected.as_bytes())
}

/// The characters of a token (base64url): anything else was not made by us.
fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

#[cfg(test)]
mod tests {
    use axum::http::header::COOKIE;

    use super::*;

    fn with_cookie(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(COOKIE, HeaderValue::from_str(value).unwrap());
        h
    }

    #[test]
    fn a_post_passes_only_with_the_cookie_s_own_token() {
        let token = "abcdefghijklmnopqrstuvwxyz012345";
        let headers = with_cookie(&format!("other=1; t={token}"));
        assert!(verify(&headers, "t", token));
        for sent in ["", "abcdefghijklmnopqrstuvwxyz01234", "x"] {
            assert!(!verify(&headers, "t", sent), "{sent:?}");
        }
        assert!(!verify(&HeaderMap::new(), "t", ""));
        assert!(!verify(&with_cookie("t="), "t", ""));
    }
}
