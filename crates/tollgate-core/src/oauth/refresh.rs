//! Refresh-token rules (RFC 6749 section 6, RFC 9700 section 4.14): a token is good for its
//! own client and server until its absolute or idle expiry; a rotated token may be used again
//! only within the app's leeway, and a use after that is reuse, which revokes its whole grant
//! family; a refresh may narrow the scopes but never widen them.
//!
//! Reference: `oauth-endpoints.md` section 4.3.

use crate::app::App;
use crate::app::client::RefreshTokenSettings;
use crate::app::vocab::{GrantType, RotationType};
use crate::authz::rule::TokenLifetimes;
use crate::clock::Timestamp;
use crate::oauth::error::{OAuthCode, OAuthError};
use crate::oauth::grant::Grant;

/// Okta's words for a refresh token that cannot be used.
pub const BAD_REFRESH: &str = "The refresh token is invalid or expired.";
/// A refresh token with `refreshTokenLifetimeMinutes: 0` never expires by age; this stands in
/// for "never" (the last millisecond of year 9999).
pub const NEVER: Timestamp = Timestamp::from_millis(253_402_300_799_000);

/// A stored refresh token, as presented.
#[derive(Debug, Clone, Copy)]
pub struct Presented<'a> {
    /// Its grant family.
    pub grant: &'a Grant,
    /// Absolute expiry.
    pub expires_at: Timestamp,
    /// Idle expiry.
    pub idle_expires_at: Timestamp,
    /// When it was rotated, if it was.
    pub replaced_at: Option<Timestamp>,
}

/// Why a refresh token was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefreshRefusal {
    /// Not usable: `invalid_grant` or, for a widened scope, `access_denied`.
    Invalid(OAuthError),
    /// A rotated token used after its leeway: revoke the whole grant family.
    Reused(OAuthError),
}

fn invalid(why: &str) -> OAuthError {
    OAuthError::new(OAuthCode::InvalidGrant, BAD_REFRESH).because(why)
}

/// The refusal of a token that lost a rotation race or was reused past its leeway.
pub fn reused() -> OAuthError {
    invalid("a rotated refresh token was reused after its leeway")
}

/// The leeway of the app's refresh tokens, milliseconds.
pub fn leeway_millis(settings: Option<RefreshTokenSettings>) -> i64 {
    settings.map_or(0, |s| i64::from(s.leeway)) * 1000
}

/// Whether the app rotates refresh tokens (Okta's default is `STATIC`).
pub fn rotates(settings: Option<RefreshTokenSettings>) -> bool {
    settings.is_some_and(|s| s.rotation_type == RotationType::Rotate)
}

/// Checks a presented refresh token; on success, the scopes the refresh asks for.
pub fn check(
    token: Presented<'_>,
    client_id: &str,
    server_id: &str,
    now: Timestamp,
    leeway_ms: i64,
    requested: Option<&[String]>,
) -> Result<Vec<String>, RefreshRefusal> {
    let grant = token.grant;
    if grant.client_id != client_id || grant.server_id != server_id {
        return Err(RefreshRefusal::Invalid(invalid(
            "the refresh token was issued to another client or server",
        )));
    }
    if token.expires_at <= now || token.idle_expires_at <= now {
        return Err(RefreshRefusal::Invalid(invalid(
            "the refresh token has expired",
        )));
    }
    if let Some(replaced) = token.replaced_at
        && now.millis() > replaced.millis().saturating_add(leeway_ms)
    {
        return Err(RefreshRefusal::Reused(reused()));
    }
    let requested = requested.map_or_else(|| grant.scopes.clone(), <[String]>::to_vec);
    let widened: Vec<&str> = requested
        .iter()
        .filter(|s| !grant.has_scope(s))
        .map(String::as_str)
        .collect();
    if !widened.is_empty() {
        return Err(RefreshRefusal::Invalid(OAuthError::new(
            OAuthCode::AccessDenied,
            format!(
                "Some of the scopes requested for the refresh request were not granted in the original authorize request. Denied scopes: {}",
                widened.join(", ")
            ),
        )));
    }
    Ok(requested)
}

/// The expiries of a refresh token issued `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expiry {
    /// Absolute.
    pub expires_at: Timestamp,
    /// Idle: the next use must come before it.
    pub idle_expires_at: Timestamp,
}

fn after_minutes(now: Timestamp, minutes: i64) -> Timestamp {
    Timestamp::from_millis(now.millis().saturating_add(minutes.saturating_mul(60_000)))
}

/// The expiries of a new refresh token under `lifetimes`.
pub fn new_expiry(lifetimes: TokenLifetimes, now: Timestamp) -> Expiry {
    let expires_at = match lifetimes.refresh_minutes {
        0 => NEVER,
        m => after_minutes(now, m),
    };
    Expiry {
        expires_at,
        idle_expires_at: after_minutes(now, lifetimes.refresh_window_minutes).min(expires_at),
    }
}

/// The idle expiry of a static (not rotated) token just used `now`.
pub fn idle_after_use(
    lifetimes: TokenLifetimes,
    now: Timestamp,
    expires_at: Timestamp,
) -> Timestamp {
    after_minutes(now, lifetimes.refresh_window_minutes).min(expires_at)
}

/// Whether a grant with `scopes` gets a refresh token: `offline_access` granted and the app
/// has the `refresh_token` grant.
pub fn gets_refresh_token(app: &App, scopes: &[String]) -> bool {
    scopes.iter().any(|s| s == "offline_access")
        && app.settings.grant_types.contains(&GrantType::RefreshToken)
}

#[cfg(test)]
mod tests;
