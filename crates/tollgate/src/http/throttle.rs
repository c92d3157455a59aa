//! The rate-limit middleware: sorts each request into its family and key, answers `429
//! E0000047` when that budget is spent, and reports it in `X-Rate-Limit-*` headers.
//!
//! A credential (admin token, OAuth client id) is charged only once the handler has accepted
//! it: a call whose credential is refused (401) is charged to the caller's address instead, so
//! made-up tokens or client ids neither spend a real one's budget nor escape limits. Anonymous
//! and sign-in calls are charged per address before they run. A request's address is the
//! client's (the TCP peer, or what a trusted proxy forwarded: [`crate::http::observe`]).

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use tollgate_core::secret::Secret;

use crate::http::audit::ClientIp;
use crate::http::rate_limit::{Family, Quota};
use crate::http::{ApiError, OktaCode};
use crate::state::AppState;

/// The most of a form body read here to find its `client_id`.
const MAX_FORM_BYTES: usize = 64 * 1024;

/// What a request is charged to.
enum Charge {
    /// Nothing (health checks).
    Free,
    /// A budget per client address, charged up front.
    Address(Family),
    /// An admin token (its digest).
    Token(String),
    /// An OAuth client id.
    Client(String),
}

/// Applies the rate limits; see the module documentation.
pub async fn rate_limit(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let ip = ClientIp::of(req.extensions()).unwrap_or_default();
    let (req, charge) = match classify(req).await {
        Ok(sorted) => sorted,
        Err(response) => return response,
    };
    let limiter = state.rate_limiter();
    let now = || state.clock().now().unix_seconds();
    let (family, key) = match charge {
        Charge::Free => return next.run(req).await,
        Charge::Address(family) => {
            let q = limiter.hit(family, &ip, now());
            if q.exceeded {
                return with_quota(too_many(family), q);
            }
            return with_quota(next.run(req).await, q);
        }
        Charge::Token(digest) => (Family::Admin, digest),
        Charge::Client(id) => (Family::OAuth, id),
    };
    let q = limiter.peek(family, &key, now());
    if q.exceeded {
        return with_quota(too_many(family), q);
    }
    if !limiter.known(family, &key, now()) {
        let failed = limiter.peek(Family::Failed, &ip, now());
        if failed.exceeded && !exists(&state, family, &key).await {
            return with_quota(too_many(Family::Failed), failed);
        }
    }
    let response = next.run(req).await;
    let q = if response.status() == StatusCode::UNAUTHORIZED {
        limiter.hit(Family::Failed, &ip, now())
    } else {
        limiter.hit(family, &key, now())
    };
    with_quota(response, q)
}

/// Whether the credential names a real token or client: asked only of an unknown credential
/// from an address whose refused calls are over budget.
async fn exists(state: &AppState, family: Family, key: &str) -> bool {
    match family {
        Family::Admin => matches!(state.store().find_api_token(key).await, Ok(Some(_))),
        _ => matches!(state.caches().app_by_client_id(key).await, Ok(Some(_))),
    }
}

fn too_many(family: Family) -> Response {
    crate::telemetry::record::rate_limited(family.label());
    ApiError::new(OktaCode::E0000047).into_response()
}

fn with_quota(mut response: Response, q: Quota) -> Response {
    let headers = response.headers_mut();
    // A throttled sign-in carries its own limit, which wins over the request budget's.
    if headers.contains_key("x-rate-limit-limit") {
        return response;
    }
    headers.insert("x-rate-limit-limit", HeaderValue::from(q.limit));
    headers.insert("x-rate-limit-remaining", HeaderValue::from(q.remaining));
    headers.insert("x-rate-limit-reset", HeaderValue::from(q.reset));
    response
}

/// Sorts a request into its charge; an OAuth form body is read (bounded) to find the client
/// id and put back.
async fn classify(req: Request) -> Result<(Request, Charge), Response> {
    let path = req.uri().path();
    // Health checks are free; `/metrics` on this listener is an anonymous call like any other
    // (a `--metrics-listen` listener has no limits).
    if matches!(path, "/healthz" | "/readyz") {
        return Ok((req, Charge::Free));
    }
    let sign_in_page = path == "/login" || path.starts_with("/login/");
    if sign_in_page || path.starts_with("/signin/") || path.starts_with("/api/v1/authn") {
        return Ok((req, Charge::Address(Family::Authn)));
    }
    if path.starts_with("/oauth2/") {
        return oauth_client(req).await.map(|(req, client)| {
            let charge = client.map_or(Charge::Address(Family::Anonymous), Charge::Client);
            (req, charge)
        });
    }
    let charge = match ssws(req.headers()) {
        Some(token) if path.starts_with("/api/") => Charge::Token(Secret::new(token).digest()),
        _ => Charge::Address(Family::Anonymous),
    };
    Ok((req, charge))
}

/// The token of an `Authorization: SSWS ...` header.
fn ssws(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?.trim();
    let scheme = value.get(..4)?;
    let token = value.get(4..)?.trim();
    (scheme.eq_ignore_ascii_case("ssws") && !token.is_empty()).then_some(token)
}

/// The client id of an OAuth request: the Basic header's user, else the `client_id` query
/// parameter, else the `client_id` of a form body.
async fn oauth_client(req: Request) -> Result<(Request, Option<String>), Response> {
    if let Some(id) = basic_user(req.headers()) {
        return Ok((req, Some(id)));
    }
    if let Some(id) = req.uri().query().and_then(client_id_of) {
        return Ok((req, Some(id)));
    }
    let is_form = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| {
            ct.trim_start()
                .to_ascii_lowercase()
                .starts_with("application/x-www-form-urlencoded")
        });
    if req.method() != Method::POST || !is_form {
        return Ok((req, None));
    }
    let (parts, body) = req.into_parts();
    let bytes: Bytes = axum::body::to_bytes(body, MAX_FORM_BYTES)
        .await
        .map_err(|_| crate::http::limits::too_large(MAX_FORM_BYTES))?;
    let id = std::str::from_utf8(&bytes).ok().and_then(client_id_of);
    Ok((Request::from_parts(parts, Body::from(bytes)), id))
}

fn client_id_of(query: &str) -> Option<String> {
    url::form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "client_id")
        .map(|(_, v)| v.into_owned())
        .filter(|v| !v.is_empty())
}

fn basic_user(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let user = text.split_once(':').map_or(text.as_str(), |(u, _)| u);
    let user: String = url::form_urlencoded::parse(format!("u={user}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())?;
    (!user.is_empty()).then_some(user)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_are_found_where_clients_put_them() {
        let mut h = HeaderMap::new();
        h.insert(AUTHORIZATION, HeaderValue::from_static("SSWS abc"));
        assert_eq!(ssws(&h), Some("abc"));
        h.insert(AUTHORIZATION, HeaderValue::from_static("sswsabc"));
        assert_eq!(ssws(&h), Some("abc"));
        h.insert(AUTHORIZATION, HeaderValue::from_static("Bearer abc"));
        assert_eq!(ssws(&h), None);
        // "client%3Aa:secret" base64: an id with a colon is form-encoded (RFC 6749 2.3.1).
        h.insert(
            AUTHORIZATION,
            HeaderValue::from_static("Basic Y2xpZW50JTNBYTpzZWNyZXQ="),
        );
        assert_eq!(basic_user(&h).as_deref(), Some("client:a"));
        assert_eq!(
            client_id_of("scope=openid&client_id=0oa1&x=1").as_deref(),
            Some("0oa1")
        );
        assert_eq!(client_id_of("client_id="), None);
    }
}
