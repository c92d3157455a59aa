//! Which address a request came from, behind reverse proxies.
//!
//! The TCP peer is the client unless it is one of the trusted proxies. From a trusted proxy,
//! the forwarding chain of the one header the operator names (`X-Forwarded-For` by default, or
//! `Forwarded: for=...` per RFC 7239) is read from the right, the hop nearest to us first: each hop that is itself a trusted proxy is
//! passed over, and the first one that is not is the client. A hop that cannot be read
//! (`unknown`, an obfuscated `_name`, garbage) ends the walk at the last address known, since
//! nothing to its left can be believed. All hops trusted: the left-most one is the client.
//!
//! Only one header is read because proxies rewrite only the one they set: nginx and Caddy set
//! `X-Forwarded-For` and pass a caller's own `Forwarded` through untouched, so believing
//! whichever is present would let a caller choose its address.

use std::net::IpAddr;

use ipnet::IpNet;

/// The header trusted proxies put the forwarding chain in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ForwardedHeader {
    /// `X-Forwarded-For: client, proxy1, ...`.
    #[default]
    XForwardedFor,
    /// `Forwarded: for=client, for=proxy1, ...` (RFC 7239).
    Forwarded,
}

impl ForwardedHeader {
    /// The header's name, lower-case.
    pub fn name(self) -> &'static str {
        match self {
            Self::XForwardedFor => "x-forwarded-for",
            Self::Forwarded => "forwarded",
        }
    }

    /// The header named `raw` (any case), if it is one of the two.
    pub fn parse(raw: &str) -> Option<Self> {
        [Self::XForwardedFor, Self::Forwarded]
            .into_iter()
            .find(|h| h.name().eq_ignore_ascii_case(raw.trim()))
    }
}

/// Whether `ip` is inside one of `trusted`.
pub fn is_trusted(ip: IpAddr, trusted: &[IpNet]) -> bool {
    let ip = ip.to_canonical();
    trusted.iter().any(|net| net.contains(&ip))
}

/// The client's address; see the module documentation. `chain` is the value of `header` (its
/// lines joined with `,`), if the request has it.
pub fn client_ip(
    peer: IpAddr,
    header: ForwardedHeader,
    chain: Option<&str>,
    trusted: &[IpNet],
) -> IpAddr {
    let peer = peer.to_canonical();
    let Some(chain) = chain.filter(|_| is_trusted(peer, trusted)) else {
        return peer;
    };
    let hops: Vec<Option<IpAddr>> = match header {
        ForwardedHeader::Forwarded => chain.split(',').map(forwarded_for).collect(),
        ForwardedHeader::XForwardedFor => chain.split(',').map(node).collect(),
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
        use ForwardedHeader::{Forwarded as Fwd, XForwardedFor as Xff};
        let trusted: Vec<IpNet> = ["10.0.0.0/8", "::1/128"]
            .iter()
            .map(|n| n.parse().unwrap())
            .collect();
        let cases: &[(&str, ForwardedHeader, Option<&str>, &str)] = &[
            // An untrusted peer's headers are ignored.
            ("192.0.2.9", Xff, Some("203.0.113.7"), "192.0.2.9"),
            ("192.0.2.9", Fwd, Some("for=203.0.113.7"), "192.0.2.9"),
            // A trusted peer without the header is the client.
            ("10.0.0.2", Xff, None, "10.0.0.2"),
            ("10.0.0.2", Xff, Some("203.0.113.7"), "203.0.113.7"),
            (
                "10.0.0.2",
                Xff,
                Some("198.51.100.1, 203.0.113.7"),
                "203.0.113.7",
            ),
            (
                "10.0.0.2",
                Xff,
                Some("198.51.100.1, 203.0.113.7, 10.1.1.1"),
                "203.0.113.7",
            ),
            ("10.0.0.2", Xff, Some("10.3.3.3, 10.1.1.1"), "10.3.3.3"),
            ("10.0.0.2", Xff, Some("203.0.113.7:5555"), "203.0.113.7"),
            ("10.0.0.2", Xff, Some("garbage, 203.0.113.7"), "203.0.113.7"),
            ("10.0.0.2", Xff, Some("203.0.113.7, garbage"), "10.0.0.2"),
            (
                "10.0.0.2",
                Xff,
                Some("198.51.100.1, unknown, 10.1.1.1"),
                "10.1.1.1",
            ),
            ("::1", Xff, Some("2001:db8::5"), "2001:db8::5"),
            ("::ffff:10.0.0.2", Xff, Some("203.0.113.7"), "203.0.113.7"),
            (
                "10.0.0.2",
                Fwd,
                Some("for=203.0.113.7;proto=https"),
                "203.0.113.7",
            ),
            (
                "10.0.0.2",
                Fwd,
                Some("for=198.51.100.1, For=\"[2001:db8::7]:4711\""),
                "2001:db8::7",
            ),
            ("10.0.0.2", Fwd, Some("for=_hidden"), "10.0.0.2"),
            ("10.0.0.2", Fwd, Some("proto=https"), "10.0.0.2"),
            // `Forwarded` syntax in X-Forwarded-For is unreadable, not believed.
            ("10.0.0.2", Xff, Some("for=203.0.113.7"), "10.0.0.2"),
        ];
        for (peer, header, chain, want) in cases {
            assert_eq!(
                client_ip(ip(peer), *header, *chain, &trusted),
                ip(want),
                "peer {peer}, {header:?}: {chain:?}"
            );
        }
        assert_eq!(
            client_ip(ip("10.0.0.2"), Xff, Some("203.0.113.7"), &[]),
            ip("10.0.0.2")
        );
    }

    #[test]
    fn header_names_parse_in_any_case() {
        assert_eq!(
            ForwardedHeader::parse("X-Forwarded-For"),
            Some(ForwardedHeader::XForwardedFor)
        );
        assert_eq!(
            ForwardedHeader::parse(" forwarded "),
            Some(ForwardedHeader::Forwarded)
        );
        assert_eq!(ForwardedHeader::parse("x-real-ip"), None);
    }
}
