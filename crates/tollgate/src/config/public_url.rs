//! The public URL: the origin in issuers and links. Given, it must be an http(s) origin; not
//! given, it is the address actually bound, with a wildcard address (`0.0.0.0`, `[::]`) replaced
//! by the loopback address of its family, since no client can reach a wildcard address.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use anyhow::{Context, bail};

/// A public URL must be an `http` or `https` origin; a trailing slash is dropped.
pub fn validate_public_url(raw: &str) -> anyhow::Result<String> {
    let trimmed = raw.trim().trim_end_matches('/');
    let rest = trimmed
        .strip_prefix("https://")
        .or_else(|| trimmed.strip_prefix("http://"))
        .with_context(|| {
            format!(
                "--public-url / TOLLGATE_PUBLIC_URL: {raw:?} must start with http:// or https://"
            )
        })?;
    if rest.is_empty() || rest.contains(['?', '#', ' ']) {
        bail!(
            "--public-url / TOLLGATE_PUBLIC_URL: {raw:?} must be an origin such as https://id.example.com"
        );
    }
    Ok(trimmed.to_owned())
}

/// The public URL when none is set: `http://` or (with TLS) `https://` + the bound address,
/// loopback in place of a wildcard address.
pub fn default_public_url(bound: SocketAddr, tls: bool) -> String {
    let scheme = if tls { "https" } else { "http" };
    let ip = match bound.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("{scheme}://{}", SocketAddr::new(ip, bound.port()))
}

/// The warning for a wildcard listen address without a public URL, if it applies: issuers
/// then name loopback, which only this machine reaches.
pub fn wildcard_warning(listen: SocketAddr, public_url_set: bool) -> Option<String> {
    (listen.ip().is_unspecified() && !public_url_set).then(|| {
        format!(
            "--listen {listen} accepts connections from other machines, but without --public-url \
             (TOLLGATE_PUBLIC_URL) issuers and links name this machine's loopback address, which \
             other machines cannot reach; set --public-url to the URL clients use"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_public_url_names_a_reachable_address() {
        let cases = [
            ("127.0.0.1:8080", false, "http://127.0.0.1:8080"),
            ("0.0.0.0:8080", false, "http://127.0.0.1:8080"),
            ("0.0.0.0:8443", true, "https://127.0.0.1:8443"),
            ("[::]:8080", false, "http://[::1]:8080"),
            ("[::1]:9000", true, "https://[::1]:9000"),
            ("192.0.2.7:80", false, "http://192.0.2.7:80"),
        ];
        for (bound, tls, expected) in cases {
            let bound: SocketAddr = bound.parse().unwrap();
            assert_eq!(
                default_public_url(bound, tls),
                expected,
                "{bound} tls={tls}"
            );
        }
    }

    #[test]
    fn only_a_wildcard_listen_without_public_url_warns() {
        let cases = [
            ("0.0.0.0:8080", false, true),
            ("[::]:8080", false, true),
            ("0.0.0.0:8080", true, false),
            ("127.0.0.1:8080", false, false),
            ("[::1]:8080", false, false),
        ];
        for (listen, public_url_set, warns) in cases {
            let listen: SocketAddr = listen.parse().unwrap();
            let warning = wildcard_warning(listen, public_url_set);
            assert_eq!(warning.is_some(), warns, "{listen} {public_url_set}");
            if let Some(text) = warning {
                assert!(text.contains("--public-url") && text.contains(&listen.to_string()));
            }
        }
    }

    #[test]
    fn public_urls_are_origins() {
        assert_eq!(
            validate_public_url("https://id.example.com/").unwrap(),
            "https://id.example.com"
        );
        for bad in ["ftp://x", "https://", "https://a?b"] {
            assert!(validate_public_url(bad).is_err(), "{bad}");
        }
    }
}
