//! Settings for running in production: the log format, where `/metrics` is served, and which
//! reverse proxies are believed about the client's address.

use std::net::SocketAddr;

use anyhow::{Context, bail};
use ipnet::IpNet;
use serde::Deserialize;
use tollgate_core::client_address::ForwardedHeader;

/// How log lines look.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines (coloured only on a terminal).
    #[default]
    Text,
    /// One JSON object per line.
    Json,
}

/// The validated settings.
#[derive(Debug, Clone, Default)]
pub struct Observability {
    /// The log format.
    pub log_format: LogFormat,
    /// Serve `/metrics` on this address instead of the main listener.
    pub metrics_listen: Option<SocketAddr>,
    /// Peers whose forwarding header is believed.
    pub trusted_proxies: Vec<IpNet>,
    /// The one header those peers put the client's address in.
    pub forwarded_header: ForwardedHeader,
}

/// The `[observability]` keys of the settings file, flags or environment; each optional.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObservabilityOverrides {
    /// `log_format` / `--log-format`: `text` or `json`.
    pub log_format: Option<String>,
    /// `metrics_listen` / `--metrics-listen`.
    pub metrics_listen: Option<String>,
    /// `trusted_proxies` / `--trusted-proxies` (comma-separated on the command line).
    pub trusted_proxies: Option<Vec<String>>,
    /// `forwarded_header` / `--forwarded-header`: `x-forwarded-for` or `forwarded`.
    pub forwarded_header: Option<String>,
}

impl ObservabilityOverrides {
    /// Each value of `self` wins over `file`'s.
    pub fn or(self, file: Self) -> Self {
        Self {
            log_format: self.log_format.or(file.log_format),
            metrics_listen: self.metrics_listen.or(file.metrics_listen),
            trusted_proxies: self.trusted_proxies.or(file.trusted_proxies),
            forwarded_header: self.forwarded_header.or(file.forwarded_header),
        }
    }

    /// Validated settings: the defaults with these values applied.
    pub fn resolve(&self) -> anyhow::Result<Observability> {
        let log_format = match self.log_format.as_deref().map(str::trim) {
            None | Some("text") => LogFormat::Text,
            Some("json") => LogFormat::Json,
            Some(other) => bail!("log_format (--log-format): {other:?} is not text or json"),
        };
        let metrics_listen = match self.metrics_listen.as_deref() {
            Some(raw) => Some(raw.trim().parse().with_context(|| {
                format!("metrics_listen (--metrics-listen): {raw:?} is not an address such as 127.0.0.1:9090")
            })?),
            None => None,
        };
        let trusted_proxies = self
            .trusted_proxies
            .iter()
            .flatten()
            .map(|raw| parse_network(raw))
            .collect::<anyhow::Result<_>>()?;
        let forwarded_header = match self.forwarded_header.as_deref() {
            None => ForwardedHeader::default(),
            Some(raw) => ForwardedHeader::parse(raw).with_context(|| {
                format!("forwarded_header (--forwarded-header): {raw:?} is not x-forwarded-for or forwarded")
            })?,
        };
        Ok(Observability {
            log_format,
            metrics_listen,
            trusted_proxies,
            forwarded_header,
        })
    }
}

/// A network in CIDR notation; a bare address is a network of one.
fn parse_network(raw: &str) -> anyhow::Result<IpNet> {
    let raw = raw.trim();
    if let Ok(net) = raw.parse::<IpNet>() {
        return Ok(net.trunc());
    }
    raw.parse::<std::net::IpAddr>()
        .map(IpNet::from)
        .with_context(|| {
            format!("trusted_proxies (--trusted-proxies): {raw:?} is not a network such as 10.0.0.0/8 or an address")
        })
}

/// Splits a comma-separated flag value into its items (empty items dropped).
pub fn split_list(raw: &str) -> Vec<String> {
    raw.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_validated_and_flags_win() {
        let file = ObservabilityOverrides {
            log_format: Some("json".into()),
            metrics_listen: Some("127.0.0.1:9090".into()),
            trusted_proxies: Some(vec!["10.1.2.3/8".into()]),
            forwarded_header: Some("Forwarded".into()),
        };
        let flags = ObservabilityOverrides {
            trusted_proxies: Some(split_list("192.168.0.0/16, ::1,")),
            ..ObservabilityOverrides::default()
        };
        let o = flags.or(file).resolve().unwrap();
        assert_eq!(o.log_format, LogFormat::Json);
        assert_eq!(o.metrics_listen.unwrap().port(), 9090);
        let nets: Vec<String> = o.trusted_proxies.iter().map(ToString::to_string).collect();
        assert_eq!(nets, ["192.168.0.0/16", "::1/128"]);
        assert_eq!(o.forwarded_header, ForwardedHeader::Forwarded);
        let d = ObservabilityOverrides::default().resolve().unwrap();
        assert_eq!(d.log_format, LogFormat::Text);
        assert!(d.metrics_listen.is_none() && d.trusted_proxies.is_empty());
        assert_eq!(d.forwarded_header, ForwardedHeader::XForwardedFor);
        for (bad, named) in [
            (
                ObservabilityOverrides {
                    log_format: Some("xml".into()),
                    ..ObservabilityOverrides::default()
                },
                "--log-format",
            ),
            (
                ObservabilityOverrides {
                    metrics_listen: Some("9090".into()),
                    ..ObservabilityOverrides::default()
                },
                "--metrics-listen",
            ),
            (
                ObservabilityOverrides {
                    trusted_proxies: Some(vec!["10.0.0.0/33".into()]),
                    ..ObservabilityOverrides::default()
                },
                "--trusted-proxies",
            ),
            (
                ObservabilityOverrides {
                    forwarded_header: Some("x-real-ip".into()),
                    ..ObservabilityOverrides::default()
                },
                "--forwarded-header",
            ),
        ] {
            let err = format!("{:#}", bad.resolve().unwrap_err());
            assert!(err.contains(named), "{err}");
        }
    }
}
