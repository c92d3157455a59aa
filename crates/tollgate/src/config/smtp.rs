//! Where e-mail goes: an SMTP server (`[smtp]` table, `--smtp-*` flags, `TOLLGATE_SMTP_*`
//! variables), or, without one, the local outbox that `tollgate outbox` lists.

use std::path::PathBuf;

use anyhow::{Context, bail};
use serde::Deserialize;
use tollgate_core::secret::Secret;

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Security {
    /// Plain connection upgraded with STARTTLS, which must succeed (default; port 587).
    StartTls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No encryption: only for a relay on the same machine or network (port 25).
    None,
}

impl Security {
    fn default_port(self) -> u16 {
        match self {
            Self::StartTls => 587,
            Self::Tls => 465,
            Self::None => 25,
        }
    }
}

/// The validated SMTP settings.
#[derive(Debug, Clone)]
pub struct Smtp {
    /// Server host name (also the name its certificate must carry).
    pub host: String,
    /// Server port.
    pub port: u16,
    /// Connection security.
    pub security: Security,
    /// User name and password, when the server wants them.
    pub credentials: Option<(String, Secret)>,
    /// The sender address (`From:`), e.g. `Acme <noreply@acme.com>`.
    pub from: String,
    /// An extra PEM CA certificate to trust (a private mail server's CA).
    pub ca_file: Option<PathBuf>,
}

/// The `[smtp]` keys of the settings file, flags or environment; each optional.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpOverrides {
    /// `host` / `--smtp-host`: setting it turns SMTP delivery on.
    pub host: Option<String>,
    /// `port` / `--smtp-port` [default: 587, 465 for `tls`, 25 for `none`].
    pub port: Option<u16>,
    /// `security` / `--smtp-security`: `starttls`, `tls` or `none` [default: starttls].
    pub security: Option<String>,
    /// `username` / `--smtp-username`.
    pub username: Option<String>,
    /// `password` / `TOLLGATE_SMTP_PASSWORD`.
    pub password: Option<String>,
    /// `from` / `--smtp-from`: required with `host`.
    pub from: Option<String>,
    /// `ca_file` / `--smtp-ca-file`.
    pub ca_file: Option<PathBuf>,
}

impl SmtpOverrides {
    /// Each value of `self` wins over `file`'s.
    pub fn or(self, file: Self) -> Self {
        Self {
            host: self.host.or(file.host),
            port: self.port.or(file.port),
            security: self.security.or(file.security),
            username: self.username.or(file.username),
            password: self.password.or(file.password),
            from: self.from.or(file.from),
            ca_file: self.ca_file.or(file.ca_file),
        }
    }

    /// The SMTP settings, or `None` (the outbox) when no host is set.
    pub fn resolve(self) -> anyhow::Result<Option<Smtp>> {
        let Some(host) = self
            .host
            .map(|h| h.trim().to_owned())
            .filter(|h| !h.is_empty())
        else {
            if self.from.is_some() || self.username.is_some() {
                bail!(
                    "smtp: `from` or `username` is set but `host` is not (--smtp-host / TOLLGATE_SMTP_HOST)"
                );
            }
            return Ok(None);
        };
        let security = match self.security.as_deref().map(str::trim) {
            None | Some("starttls") => Security::StartTls,
            Some("tls") => Security::Tls,
            Some("none") => Security::None,
            Some(other) => {
                bail!("smtp security (--smtp-security): {other:?} is not starttls, tls or none")
            }
        };
        let from = self
            .from
            .filter(|f| !f.trim().is_empty())
            .context("smtp: `from` (--smtp-from / TOLLGATE_SMTP_FROM) is required with `host`, e.g. \"Acme <noreply@acme.com>\"")?;
        if let Err(e) = from.parse::<lettre::message::Mailbox>() {
            bail!("smtp from (--smtp-from): {from:?} is not an address: {e}");
        }
        let credentials = match (self.username, self.password) {
            (Some(u), Some(p)) => Some((u, Secret::new(p))),
            (None, None) => None,
            _ => bail!(
                "smtp: set both `username` and `password` (TOLLGATE_SMTP_PASSWORD), or neither"
            ),
        };
        if let Some(ca) = &self.ca_file
            && !ca.exists()
        {
            bail!(
                "smtp ca_file (--smtp-ca-file): {} does not exist",
                ca.display()
            );
        }
        Ok(Some(Smtp {
            port: self.port.unwrap_or(security.default_port()),
            host,
            security,
            credentials,
            from,
            ca_file: self.ca_file,
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(host: Option<&str>, security: Option<&str>, from: Option<&str>) -> SmtpOverrides {
        SmtpOverrides {
            host: host.map(str::to_owned),
            security: security.map(str::to_owned),
            from: from.map(str::to_owned),
            ..SmtpOverrides::default()
        }
    }

    #[test]
    fn no_host_means_the_outbox_and_ports_follow_the_security() {
        assert!(with(None, None, None).resolve().unwrap().is_none());
        let from = Some("Acme <noreply@acme.com>");
        for (security, port) in [(None, 587), (Some("tls"), 465), (Some("none"), 25)] {
            let s = with(Some("mail.acme.com"), security, from)
                .resolve()
                .unwrap()
                .unwrap();
            assert_eq!(s.port, port);
        }
    }

    #[test]
    fn mistakes_are_named() {
        let cases = [
            (with(Some("m"), None, None), "`from`"),
            (
                with(Some("m"), Some("ssl"), Some("a@b.c")),
                "not starttls, tls or none",
            ),
            (
                with(Some("m"), None, Some("not an address")),
                "is not an address",
            ),
            (with(None, None, Some("a@b.c")), "`host` is not"),
        ];
        for (o, want) in cases {
            let e = o.resolve().unwrap_err().to_string();
            assert!(e.contains(want), "{e}");
        }
        let mut half = with(Some("m"), None, Some("a@b.c"));
        half.username = Some("u".into());
        assert!(half.resolve().unwrap_err().to_string().contains("both"));
    }
}
