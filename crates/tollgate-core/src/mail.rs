//! The e-mail messages Tollgate sends: activation, password reset (started by an admin) and
//! self-service recovery. Composing them is pure; the server delivers them by SMTP or keeps
//! them in the local outbox.
//!
//! Messages are plain text with the link on a line of its own, so any mail client shows it and
//! a test (or `tollgate outbox`) can find it.

use serde_json::Value;

use crate::directory::User;

/// What a message is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailKind {
    /// A link to activate the account and choose a first password.
    Activation,
    /// A reset link an admin started (`lifecycle/reset_password`).
    PasswordReset,
    /// A reset link the user asked for (forgot password).
    Recovery,
}

impl MailKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Activation => "activation",
            Self::PasswordReset => "password_reset",
            Self::Recovery => "recovery",
        }
    }
}

/// A message ready to deliver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    /// What it is for.
    pub kind: MailKind,
    /// The recipient's address.
    pub to: String,
    /// The subject line.
    pub subject: String,
    /// The plain-text body.
    pub body: String,
}

/// Where a user's mail goes: `profile.email`, else the login when it is an address.
pub fn recipient(user: &User) -> Option<String> {
    let email = user.profile.get("email").and_then(Value::as_str);
    [email, Some(user.login())]
        .into_iter()
        .flatten()
        .map(str::trim)
        .find(|a| looks_like_address(a))
        .map(str::to_owned)
}

/// A cheap shape check (one `@`, something on each side, no spaces or line breaks), enough to
/// keep headers clean; the mail server is the judge of the rest.
fn looks_like_address(a: &str) -> bool {
    let mut parts = a.split('@');
    let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !a.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// How the message greets the user: the first name, else the login.
fn greeting(user: &User) -> String {
    let first = user.profile.get("firstName").and_then(Value::as_str);
    let name = first.map(str::trim).filter(|n| !n.is_empty());
    format!("Hi {},", name.unwrap_or(user.login()))
}

/// Builds `kind`'s message for `user` of the org `org` with `link`; `None` when the user has no
/// address to send it to.
pub fn compose(
    kind: MailKind,
    org: &str,
    user: &User,
    link: &str,
    valid_for: &str,
) -> Option<Mail> {
    let to = recipient(user)?;
    let (subject, lead, action) = match kind {
        MailKind::Activation => (
            format!("Activate your {org} account"),
            format!(
                "an account was created for you at {org}. Your username is {}.",
                user.login()
            ),
            "Open this link to activate it and choose a password",
        ),
        MailKind::PasswordReset => (
            format!("Your {org} password has been reset"),
            format!(
                "an administrator of {org} reset the password of {}.",
                user.login()
            ),
            "Open this link to choose a new password",
        ),
        MailKind::Recovery => (
            format!("Reset your {org} password"),
            format!(
                "someone asked to reset the password of {} at {org}.",
                user.login()
            ),
            "If it was you, open this link to choose a new password",
        ),
    };
    let closing = match kind {
        MailKind::Recovery => {
            "If you did not ask for this, ignore this message: your password stays the same."
        }
        _ => "If you did not expect this message, contact your administrator.",
    };
    let body = format!(
        "{}\r\n\r\n{lead}\r\n\r\n{action} (it works once, for {valid_for}):\r\n\r\n{link}\r\n\r\n{closing}\r\n",
        greeting(user)
    );
    Some(Mail {
        kind,
        to,
        subject,
        body,
    })
}

/// The links (`http://` or `https://`, each on a line of its own) in a message body.
pub fn links(body: &str) -> Vec<&str> {
    body.lines()
        .map(str::trim)
        .filter(|l| l.starts_with("https://") || l.starts_with("http://"))
        .collect()
}

/// "1 hour", "7 days": how long a link works, in words.
pub fn duration_words(secs: i64) -> String {
    let (n, unit) = if secs >= 86_400 && secs % 86_400 == 0 {
        (secs / 86_400, "day")
    } else if secs >= 3600 && secs % 3600 == 0 {
        (secs / 3600, "hour")
    } else {
        ((secs + 59) / 60, "minute")
    };
    if n == 1 {
        format!("1 {unit}")
    } else {
        format!("{n} {unit}s")
    }
}

#[cfg(test)]
mod tests;
