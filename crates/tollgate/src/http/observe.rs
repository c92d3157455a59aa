//! The outermost middleware: gives each request its id (the `X-Request-Id` a trusted proxy
//! sends when it is sane, else a fresh one) and its client address (see
//! [`tollgate_core::client_address`]), then counts and times it by route template and writes
//! the one access-log line at `info` (health checks and scrapes at `debug`).

use std::net::{IpAddr, SocketAddr};
use std::time::Instant;

use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;
use tollgate_core::client_address::{client_ip, is_trusted};
use tollgate_core::id::{is_acceptable_request_id, request_id};

use crate::http::audit::{ClientIp, RequestId};
use crate::state::AppState;
use crate::telemetry::record;

/// The header a caller's request id comes in and is echoed back in.
const X_REQUEST_ID: &str = "x-request-id";

/// See the module documentation.
pub async fn observe(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let started = Instant::now();
    let (trusted, header) = state.proxy_trust();
    let peer = peer(&req);
    // Only a trusted proxy may name the request (and so the System Log's transaction id).
    let from_proxy = peer.is_some_and(|p| is_trusted(p, trusted));
    let id = req
        .headers()
        .get(X_REQUEST_ID)
        .filter(|_| from_proxy)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| is_acceptable_request_id(v))
        .map_or_else(request_id, str::to_owned);
    let ip = peer.map(|peer| match from_proxy {
        true => client_ip(
            peer,
            header,
            joined(req.headers(), header.name()).as_deref(),
            trusted,
        ),
        false => peer.to_canonical(),
    });
    req.extensions_mut().insert(RequestId(id.clone()));
    if let Some(ip) = ip {
        req.extensions_mut().insert(ClientIp(ip));
    }
    let route = req.extensions().get::<MatchedPath>().cloned();
    let method = method_label(req.method());
    // A clone of the URI shares its bytes: nothing is copied unless the line is written.
    let uri = req.uri().clone();
    let mut response = next.run(req).await;
    let elapsed = started.elapsed();
    let status = response.status().as_u16();
    let route = route.as_ref().map_or("unmatched", MatchedPath::as_str);
    record::http_request(route.to_owned(), method, status, elapsed);
    let latency_ms = elapsed.as_micros() as f64 / 1000.0;
    let client_ip = Address(ip);
    let path = uri.path();
    if matches!(route, "/healthz" | "/readyz" | "/metrics") {
        tracing::debug!(target: "tollgate::access", request_id = %id, client_ip = %client_ip, method, route, path, status, latency_ms, "request");
    } else {
        tracing::info!(target: "tollgate::access", request_id = %id, client_ip = %client_ip, method, route, path, status, latency_ms, "request");
    }
    if let Ok(v) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(X_REQUEST_ID, v);
    }
    response
}

/// The client address for the access line, formatted only when the line is written.
struct Address(Option<IpAddr>);

impl std::fmt::Display for Address {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Some(ip) => ip.fmt(f),
            None => Ok(()),
        }
    }
}

fn peer(req: &Request) -> Option<IpAddr> {
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(a)| a.ip())
}

/// Every line of header `name`, joined with `,`; `None` without one.
fn joined(headers: &HeaderMap, name: &str) -> Option<String> {
    let lines: Vec<&str> = headers
        .get_all(name)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    (!lines.is_empty()).then(|| lines.join(","))
}

/// The method as a label: the standard ones by name, anything else `OTHER`.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::DELETE => "DELETE",
        Method::PATCH => "PATCH",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        _ => "OTHER",
    }
}
