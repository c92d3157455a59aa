//! Delivering e-mail: through the SMTP server of the settings, or into the local outbox (in the
//! database, listed by `tollgate outbox`) when there is none.
//!
//! SMTP delivery runs after the answer, on its own task, as Okta sends mail asynchronously: a
//! slow or broken mail server never holds a request. A failure is logged with the recipient's
//! domain and counted (`tollgate_mail_total{result="failed"}`); the link in the message is
//! still valid, so an admin can send it again.

use std::sync::Arc;

use anyhow::Context;
use lettre::message::{Mailbox, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use tollgate_core::Timestamp;
use tollgate_core::id::random_base62;
use tollgate_core::mail::Mail;
use tollgate_store::{OutboxMessage, Store};

use crate::config::smtp::{Security, Smtp};

/// Where messages go.
#[derive(Clone)]
pub enum Mailer {
    /// The local outbox.
    Outbox,
    /// An SMTP server.
    Smtp(Arc<SmtpMailer>),
}

/// An SMTP connection pool and the sender.
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    /// The mailer the settings ask for.
    pub fn new(smtp: Option<&Smtp>) -> anyhow::Result<Self> {
        let Some(smtp) = smtp else {
            return Ok(Self::Outbox);
        };
        let from: Mailbox = smtp.from.parse().context("smtp from")?;
        let tls = match smtp.security {
            Security::None => Tls::None,
            Security::StartTls => Tls::Required(tls_parameters(smtp)?),
            Security::Tls => Tls::Wrapper(tls_parameters(smtp)?),
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host)
            .port(smtp.port)
            .tls(tls)
            .timeout(Some(std::time::Duration::from_secs(20)));
        if let Some((user, password)) = &smtp.credentials {
            builder =
                builder.credentials(Credentials::new(user.clone(), password.expose().to_owned()));
        }
        Ok(Self::Smtp(Arc::new(SmtpMailer {
            transport: builder.build(),
            from,
        })))
    }

    /// Whether messages go to the local outbox.
    pub fn is_outbox(&self) -> bool {
        matches!(self, Self::Outbox)
    }

    /// Delivers `mail`: kept in the outbox now, or handed to the SMTP server in the background.
    pub async fn send(
        &self,
        store: &Store,
        mail: Mail,
        now: Timestamp,
    ) -> tollgate_store::Result<()> {
        match self {
            Self::Outbox => {
                let kept = OutboxMessage {
                    id: random_base62(20),
                    created: now.millis(),
                    kind: mail.kind.as_str().to_owned(),
                    recipient: mail.to,
                    subject: mail.subject,
                    body: mail.body,
                };
                store.put_outbox(&kept).await?;
                tracing::info!(
                    kind = kept.kind,
                    "e-mail kept in the outbox (no SMTP server set; see `tollgate outbox`)"
                );
                count("outbox");
            }
            Self::Smtp(smtp) => {
                let smtp = Arc::clone(smtp);
                tokio::spawn(async move { smtp.deliver(mail).await });
            }
        }
        Ok(())
    }
}

impl SmtpMailer {
    async fn deliver(&self, mail: Mail) {
        let domain = mail.to.rsplit('@').next().unwrap_or_default().to_owned();
        let kind = mail.kind.as_str();
        let result = match build(&self.from, mail) {
            Ok(message) => self
                .transport
                .send(message)
                .await
                .map(drop)
                .map_err(|e| e.to_string()),
            Err(e) => Err(e),
        };
        match result {
            Ok(()) => {
                tracing::info!(kind, domain, "e-mail sent");
                count("sent");
            }
            Err(error) => {
                tracing::warn!(kind, domain, error, "e-mail could not be sent");
                count("failed");
            }
        }
    }
}

fn count(result: &'static str) {
    metrics::counter!("tollgate_mail_total", "result" => result).increment(1);
}

fn build(from: &Mailbox, mail: Mail) -> Result<Message, String> {
    let to: Mailbox = mail.to.parse().map_err(|e| format!("recipient: {e}"))?;
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(mail.subject)
        .header(ContentType::TEXT_PLAIN)
        .body(mail.body)
        .map_err(|e| e.to_string())
}

fn tls_parameters(smtp: &Smtp) -> anyhow::Result<TlsParameters> {
    let mut builder = TlsParameters::builder(smtp.host.clone());
    if let Some(path) = &smtp.ca_file {
        let pem = std::fs::read(path)
            .with_context(|| format!("cannot read the SMTP CA file {}", path.display()))?;
        let ca = Certificate::from_pem(&pem)
            .with_context(|| format!("{} is not a PEM certificate", path.display()))?;
        builder = builder.add_root_certificate(ca);
    }
    builder.build_rustls().context("SMTP TLS settings")
}

/// Sends `user` the `kind` message with `link` (valid for `valid_secs`); `false` when the user
/// has no address to send it to (logged: the admin can still get the link with
/// `sendEmail=false`).
pub async fn send_link(
    state: &crate::state::AppState,
    kind: tollgate_core::mail::MailKind,
    user: &tollgate_core::directory::User,
    link: &str,
    valid_secs: i64,
) -> Result<bool, crate::http::ApiError> {
    let org = state.caches().org().await?;
    let valid_for = tollgate_core::mail::duration_words(valid_secs);
    let Some(mail) = tollgate_core::mail::compose(kind, &org.company_name, user, link, &valid_for)
    else {
        tracing::warn!(user = %user.id, kind = kind.as_str(), "no e-mail address to send to");
        return Ok(false);
    };
    state
        .mailer()
        .send(state.store(), mail, state.clock().now())
        .await?;
    Ok(true)
}
