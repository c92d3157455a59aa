//! The loopback redirect of a native app (RFC 8252 section 7.3): `token get` listens on the
//! redirect URI's loopback address and port (port 0: one the system picks) and receives the
//! authorization response there, as a desktop app does.

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use anyhow::{Context, anyhow};
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use tokio::sync::mpsc;

/// A listener waiting for one authorization response.
pub struct Loopback {
    /// The redirect URI to send, with the port actually listened on.
    pub redirect_uri: String,
    received: mpsc::Receiver<HashMap<String, String>>,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for Loopback {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// The address a loopback redirect URI names: `http` to `127.0.0.1`, `[::1]` or `localhost`.
pub fn loopback_address(uri: &url::Url) -> Option<SocketAddr> {
    if uri.scheme() != "http" {
        return None;
    }
    let port = uri.port_or_known_default()?;
    match uri.host()? {
        url::Host::Ipv4(ip) if ip.is_loopback() => Some(SocketAddr::from((ip, port))),
        url::Host::Ipv6(ip) if ip.is_loopback() => Some(SocketAddr::from((ip, port))),
        url::Host::Domain(d) if d.eq_ignore_ascii_case("localhost") => {
            Some(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))
        }
        _ => None,
    }
}

/// Listens for the redirect to `redirect_uri`, or `None` when it is not a loopback URI.
pub async fn listen(redirect_uri: &str) -> anyhow::Result<Option<Loopback>> {
    let uri = url::Url::parse(redirect_uri).context("--redirect-uri is not a URL")?;
    let Some(address) = loopback_address(&uri) else {
        return Ok(None);
    };
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .with_context(|| format!("cannot listen on {address} for the redirect"))?;
    let bound = listener.local_addr()?;
    let redirect_uri = if uri.port() == Some(0) {
        let mut chosen = uri.clone();
        chosen
            .set_port(Some(bound.port()))
            .map_err(|()| anyhow!("cannot set the port of {uri}"))?;
        chosen.to_string()
    } else {
        redirect_uri.to_owned()
    };
    let (tx, received) = mpsc::channel(1);
    let path = uri.path().to_owned();
    let app = axum::Router::new().fallback(receive).with_state((path, tx));
    let server = tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            tracing::warn!(error = %e, "the redirect listener stopped");
        }
    });
    Ok(Some(Loopback {
        redirect_uri,
        received,
        server,
    }))
}

impl Loopback {
    /// The parameters of the first redirect received within `wait`.
    pub async fn next(&mut self, wait: Duration) -> anyhow::Result<HashMap<String, String>> {
        tokio::time::timeout(wait, self.received.recv())
            .await
            .map_err(|_| {
                anyhow!(
                    "no redirect reached {} within {} s",
                    self.redirect_uri,
                    wait.as_secs()
                )
            })?
            .ok_or_else(|| anyhow!("the redirect listener stopped"))
    }
}

type Received = (String, mpsc::Sender<HashMap<String, String>>);

async fn receive(State((path, tx)): State<Received>, uri: Uri) -> Response {
    if uri.path() != path {
        return (StatusCode::NOT_FOUND, "Not the redirect path.").into_response();
    }
    let params: HashMap<String, String> =
        url::form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes())
            .into_owned()
            .collect();
    let refused = params.contains_key("error");
    // Only the first response counts; a second finds the channel full and is ignored.
    let _ = tx.try_send(params);
    let words = if refused {
        "The server refused the sign-in; the command line says why."
    } else {
        "Signed in. You can close this window and go back to the command line."
    };
    Html(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>Tollgate</title></head><body><p>{words}</p></body></html>"
    ))
    .into_response()
}

#[cfg(test)]
mod tests {
    use std::net::Ipv6Addr;

    use super::*;

    #[test]
    fn only_http_loopback_uris_are_received() {
        let addr = |s: &str| loopback_address(&url::Url::parse(s).unwrap());
        assert_eq!(
            addr("http://127.0.0.1:0/callback"),
            Some(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
        );
        assert_eq!(
            addr("http://[::1]:8765/cb"),
            Some(SocketAddr::from((Ipv6Addr::LOCALHOST, 8765)))
        );
        assert_eq!(
            addr("http://localhost/cb"),
            Some(SocketAddr::from((Ipv4Addr::LOCALHOST, 80)))
        );
        for other in [
            "https://127.0.0.1:8443/cb",
            "https://example.com/oauth2/callback",
            "http://10.0.0.1:8080/cb",
            "myapp://callback",
        ] {
            assert_eq!(addr(other), None, "{other}");
        }
    }
}
