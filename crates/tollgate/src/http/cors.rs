//! CORS for the endpoints browser code calls, allowed only for `ACTIVE` trusted origins with
//! the `CORS` scope (`/api/v1/trustedOrigins`).
//!
//! [`wrap`] applies it to a group of routes. Routes that belong under it (Okta allows CORS on
//! exactly these; okta-auth-js and the Sign-In Widget call them from the app's origin):
//!
//! * `/oauth2/v1/{token,keys,userinfo,revoke,introspect}` and the same under
//!   `/oauth2/{authServerId}/v1/`;
//! * the discovery documents: `/.well-known/openid-configuration`,
//!   `/.well-known/oauth-authorization-server`, their `/oauth2/{authServerId}/.well-known/…`
//!   forms and `/.well-known/oauth-authorization-server/oauth2/{authServerId}`;
//! * `/api/v1/authn` (and its sub-routes) and `/api/v1/sessions/me` (and its sub-routes).
//!
//! Never `/authorize` (a top-level navigation, not an XHR), `/logout`, the sign-in pages, or
//! the rest of `/api/v1` (admin calls carry an API token and must not be readable from a page).
//!
//! Untrusted origins get no CORS headers at all; their preflight is answered `403` with an
//! Okta error. Browsers refuse any preflight answer without `Access-Control-Allow-Origin`, so
//! the status is only for the person reading the developer console, and a 403 says "not
//! allowed" more plainly than an empty 204. Every response on these routes carries
//! `Vary: Origin`, because whether CORS headers appear depends on it and the discovery
//! documents and JWKS are cacheable.

use axum::Router;
use axum::extract::{Request, State};
use axum::http::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE,
    ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD, ORIGIN, VARY,
};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{Next, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use tollgate_core::trusted_origin::origin_key;

use crate::http::{ApiError, OktaCode};
use crate::state::AppState;

/// Request headers a trusted page may send (compared case-insensitively). Those are what
/// okta-auth-js, the Sign-In Widget and the SDKs send; anything else is left out of the
/// preflight answer, so the browser refuses the request.
const ALLOWED_HEADERS: [&str; 8] = [
    "accept",
    "accept-language",
    "authorization",
    "content-type",
    "x-device-fingerprint",
    "x-okta-user-agent-extended",
    "x-requested-with",
    "x-okta-xsrftoken",
];

/// Every method used by a CORS route (`DELETE /api/v1/sessions/me`).
const ALLOWED_METHODS: &str = "GET, POST, DELETE, OPTIONS";

/// Response headers page code may read besides the CORS-safelisted ones.
const EXPOSED_HEADERS: &str = "Link, WWW-Authenticate, X-Okta-Request-Id, X-Rate-Limit-Limit, \
     X-Rate-Limit-Remaining, X-Rate-Limit-Reset";

/// How long a browser may reuse a preflight answer. Short, so deactivating an origin also
/// stops preflights soon (actual responses lose their CORS headers at once).
const PREFLIGHT_MAX_AGE: &str = "600";

/// Applies CORS to every route of `routes` (see the module comment for which belong here).
pub fn wrap(routes: Router<AppState>, state: &AppState) -> Router<AppState> {
    // The 405 answer is set here, before the layer, so the layer covers it: otherwise the
    // outer router's `method_not_allowed_fallback` replaces it with an unlayered one and
    // preflights (`OPTIONS`) never reach this middleware.
    routes
        .method_not_allowed_fallback(method_not_allowed)
        .layer(from_fn_with_state(state.clone(), cors))
}

async fn method_not_allowed() -> Response {
    ApiError::new(OktaCode::E0000022).into_response()
}

/// Whether `origin` (the raw `Origin` header) may make CORS calls. A database failure denies:
/// the request itself still runs, only the browser will not let the page read it.
async fn is_trusted(state: &AppState, origin: &str) -> bool {
    let Some(key) = origin_key(origin) else {
        return false;
    };
    if let Some(allowed) = state.cors_origins().get(&key) {
        return allowed;
    }
    match state.store().trusted_origin_by_key(&key).await {
        Ok(found) => {
            let allowed = found.is_some_and(|o| o.allows_cors());
            state.cors_origins().put(key, allowed);
            allowed
        }
        Err(e) => {
            tracing::warn!(error = %e, "trusted origin lookup failed; answering without CORS");
            false
        }
    }
}

/// The requested headers that are on the allowed list, as the browser spelled them.
fn allowed_request_headers(headers: &HeaderMap) -> String {
    headers
        .get_all(ACCESS_CONTROL_REQUEST_HEADERS)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|h| ALLOWED_HEADERS.iter().any(|a| a.eq_ignore_ascii_case(h)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn add_vary_origin(headers: &mut HeaderMap) {
    headers.append(VARY, HeaderValue::from_static("Origin"));
}

/// The middleware: answers preflights, decorates actual responses.
async fn cors(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let origin = req.headers().get(ORIGIN).cloned();
    let Some(origin) = origin else {
        let mut response = next.run(req).await;
        add_vary_origin(response.headers_mut());
        return response;
    };
    let trusted = match origin.to_str() {
        Ok(text) => is_trusted(&state, text).await,
        Err(_) => false,
    };
    let preflight = req.method() == Method::OPTIONS
        && req.headers().contains_key(ACCESS_CONTROL_REQUEST_METHOD);
    if preflight {
        let mut response = if trusted {
            let mut r = StatusCode::NO_CONTENT.into_response();
            let h = r.headers_mut();
            h.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            h.insert(
                ACCESS_CONTROL_ALLOW_CREDENTIALS,
                HeaderValue::from_static("true"),
            );
            h.insert(
                ACCESS_CONTROL_ALLOW_METHODS,
                HeaderValue::from_static(ALLOWED_METHODS),
            );
            let allowed = allowed_request_headers(req.headers());
            if let Ok(v) = HeaderValue::from_str(&allowed)
                && !allowed.is_empty()
            {
                h.insert(ACCESS_CONTROL_ALLOW_HEADERS, v);
            }
            h.insert(
                ACCESS_CONTROL_MAX_AGE,
                HeaderValue::from_static(PREFLIGHT_MAX_AGE),
            );
            r
        } else {
            ApiError::new(OktaCode::E0000006).into_response()
        };
        add_vary_origin(response.headers_mut());
        return response;
    }
    let mut response = next.run(req).await;
    let h = response.headers_mut();
    if trusted {
        h.insert(ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        h.insert(
            ACCESS_CONTROL_ALLOW_CREDENTIALS,
            HeaderValue::from_static("true"),
        );
        h.insert(
            ACCESS_CONTROL_EXPOSE_HEADERS,
            HeaderValue::from_static(EXPOSED_HEADERS),
        );
    }
    add_vary_origin(h);
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::caches::origins::OriginCache;

    #[test]
    fn only_listed_request_headers_are_echoed() {
        let mut h = HeaderMap::new();
        h.insert(
            ACCESS_CONTROL_REQUEST_HEADERS,
            HeaderValue::from_static("Content-Type, X-Okta-User-Agent-Extended, x-evil"),
        );
        assert_eq!(
            allowed_request_headers(&h),
            "Content-Type, X-Okta-User-Agent-Extended"
        );
    }

    #[test]
    fn cache_expires_and_forgets() {
        let cache = OriginCache::default();
        cache.put("https://a".into(), true);
        assert_eq!(cache.get("https://a"), Some(true));
        cache.forget();
        assert_eq!(cache.get("https://a"), None);
    }
}
