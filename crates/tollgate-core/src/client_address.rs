//! Which address a request came from, behind reverse proxies.
//!
//! The TCP peer is the client unless it is one of the trusted proxies. From a trusted proxy,
//! the forwarding chain (`Forwarded: for=...` per RFC 7239, else `X-Forwarded-For`) is read
//! from the right, the hop nearest to us first: each hop that is itself a trusted proxy is
//! passed over, and the first one that is not is the client. A hop that cannot be read
//! (`unknown`, an obfuscated `_name`, garbage) ends the walk at the last address known, since
//! nothing to its left can be believed. All hops trusted: the left-most one is the client.

use std::net::IpAddr;

use ipnet::IpNet;

/// The forwarding headers of one request, every line of each joined with `,`.
#[derive(Debug, Clone, Copy, Default)]
pub struct Forwarding<'a> {
    /// `Forwarded` (RFC 7239).
    pub forwarded: Option<&'a str>,
    /// `X-Forwarded-For`.
    pub x_forwarded_for: Option<&'a str>,
}

/// Whether `ip` is inside one of `trusted`.
pub fn is_trusted(ip: IpAddr, trusted: &[IpNet]) -> bool {
    let ip = ip.to_canonical();
    trusted.iter().any(|net| net.contains(&ip))
}

/// The client's address; see the module documentation. `Forwarded` wins over
/// `X-Forwarded-For` when a proxy sends both.
pub fn client_ip(peer: IpAddr, headers: Forwarding<'_>, trusted: &[IpNet]) -> IpAddr {
    let peer = peer.to_canonical();
    if !is_trusted(peer, trusted) {
        return peer;
    }
    let hops: Vec<Option<IpAddr>> = match (headers.forwarded, headers.x_forwarded_for) {
        (Some(f), _) => f.split(',').map(forwarded_for).collect(),
        (None, Some(x)) => x.split(',').map(node).collect(),
        (None, None) => return peer,
    };
    let mut client = peer;
    for hop in hops.into_iter().rev() {
        let Some(ip) = hop else { break };
        client = ip.to_canonical();
        if !is_trusted(client, trusted) {
            break;
        }
    }
    client
}

/// The `for=` address of one `Forwarded` element (`for=192.0.2.1;proto=https`).
fn forwarded_for(element: &str) -> Option<IpAddr> {
    element.split(';').find_map(|pair| {
        let (name, value) = pair.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("for")
            .then(|| node(value.trim().trim_matches('"')))
            .flatten()
    })
}

/// An address with or without a port: `192.0.2.1`, `192.0.2.1:443`, `2001:db8::1`,
/// `[2001:db8::1]:443`.
fn node(raw: &str) -> Option<IpAddr> {
    let raw = raw.trim();
    if let Some(rest) = raw.strip_prefix('[') {
        let (inside, _) = rest.split_once(']')?;
        return inside.parse().ok();
    }
    if let Ok(ip) = raw.parse() {
        return Some(ip);
    }
    let (host, port) = raw.split_once(':')?;
    port.parse::<u16>().ok()?;
    host.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn the_client_is_the_first_untrusted_hop_from_the_right() {
        let trusted: Vec<IpNet> = ["10.0.0.0/8", "::1/128"]
            .iter()
            .map(|n| n.parse().unwrap())
            .collect();
        let xff = |v| Forwarding {
            forwarded: None,
            x_forwarded_for: Some(v),
        };
        let fwd = |v| Forwarding {
            forwarded: Some(v),
            x_forwarded_for: None,
        };
        let cases: &[(&str, Forwarding<'_>, &str)] = &[
            // An untrusted peer's headers are ignored.
            ("192.0.2.9", xff("203.0.113.7"), "192.0.2.9"),
            ("192.0.2.9", fwd("for=203.0.113.7"), "192.0.2.9"),
            // A trusted peer without headers is the client.
            ("10.0.0.2", Forwarding::default(), "10.0.0.2"),
            ("10.0.0.2", xff("203.0.113.7"), "203.0.113.7"),
            ("10.0.0.2", xff("198.51.100.1, 203.0.113.7"), "203.0.113.7"),
            (
                "10.0.0.2",
                xff("198.51.100.1, 203.0.113.7, 10.1.1.1"),
                "203.0.113.7",
            ),
            ("10.0.0.2", xff("10.3.3.3, 10.1.1.1"), "10.3.3.3"),
            ("10.0.0.2", xff("203.0.113.7:5555"), "203.0.113.7"),
            ("10.0.0.2", xff("garbage, 203.0.113.7"), "203.0.113.7"),
            ("10.0.0.2", xff("203.0.113.7, garbage"), "10.0.0.2"),
            (
                "10.0.0.2",
                xff("198.51.100.1, unknown, 10.1.1.1"),
                "10.1.1.1",
            ),
            ("::1", xff("2001:db8::5"), "2001:db8::5"),
            ("::ffff:10.0.0.2", xff("203.0.113.7"), "203.0.113.7"),
            (
                "10.0.0.2",
                fwd("for=203.0.113.7;proto=https"),
                "203.0.113.7",
            ),
            (
                "10.0.0.2",
                fwd("for=198.51.100.1, For=\"[2001:db8::7]:4711\""),
                "2001:db8::7",
            ),
            ("10.0.0.2", fwd("for=_hidden"), "10.0.0.2"),
            ("10.0.0.2", fwd("proto=https"), "10.0.0.2"),
            (
                "10.0.0.2",
                Forwarding {
                    forwarded: Some("for=203.0.113.7"),
                    x_forwarded_for: Some("198.51.100.1"),
                },
                "203.0.113.7",
            ),
        ];
        for (peer, headers, want) in cases {
            assert_eq!(
                client_ip(ip(peer), *headers, &trusted),
                ip(want),
                "peer {peer}, {headers:?}"
            );
        }
        assert_eq!(
            client_ip(ip("10.0.0.2"), xff("203.0.113.7"), &[]),
            ip("10.0.0.2")
        );
    }
}
