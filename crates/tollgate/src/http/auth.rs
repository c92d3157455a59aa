//! `Authorization: SSWS <token>`: the admin API token of every `/api/v1` call.

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use tollgate_core::directory::User;
use tollgate_core::log::{Entity, LogEvent};
use tollgate_core::secret::Secret;
use tollgate_store::ApiTokenRecord;

use crate::http::audit::Audit;
use crate::http::authorize;
use crate::http::{ApiError, OktaCode};
use crate::state::AppState;

/// An authenticated admin allowed to make this call: the API token that made the request, the
/// admin user it acts as, and the System Log context of the request.
#[derive(Debug, Clone)]
pub struct Admin {
    /// The token's record (never its secret).
    pub token: ApiTokenRecord,
    /// The admin user the token belongs to.
    pub user: User,
    /// Actor, client and transaction for the events this request records.
    pub audit: Audit,
}

impl Admin {
    /// A new event of this request, by this admin.
    pub fn event(
        &self,
        event_type: &str,
        display_message: &str,
        now: tollgate_core::Timestamp,
    ) -> LogEvent {
        self.audit.event(event_type, display_message, now)
    }
}

/// The actor of an API call: the token's owner, as Okta names it.
fn token_actor(owner: &User) -> Entity {
    Entity::user(owner)
}

/// What an `Authorization` header carries.
#[derive(Debug, PartialEq, Eq)]
enum Credential<'a> {
    Ssws(&'a str),
    Other,
}

/// Parses the header: the scheme is case-insensitive, and `SSWS<token>` with no space is
/// accepted because Okta's Python SDK sends it that way.
fn parse(header: &str) -> Credential<'_> {
    let header = header.trim();
    match header.get(..4) {
        Some(scheme) if scheme.eq_ignore_ascii_case("ssws") => {
            let token = header.get(4..).unwrap_or_default().trim();
            if token.is_empty() {
                Credential::Other
            } else {
                Credential::Ssws(token)
            }
        }
        _ => Credential::Other,
    }
}

impl FromRequestParts<AppState> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Some(value) = parts.headers.get(AUTHORIZATION) else {
            // Okta answers a call with no credentials as a missing session.
            return Err(ApiError::new(OktaCode::E0000005));
        };
        let Ok(value) = value.to_str() else {
            return Err(ApiError::new(OktaCode::E0000011));
        };
        let Credential::Ssws(token) = parse(value) else {
            return Err(ApiError::new(OktaCode::E0000011));
        };
        let digest = Secret::new(token).digest();
        // A token whose owner was deactivated or is no admin any more no longer works.
        let Some(admin) = state.caches().token_admin(&digest).await? else {
            return Err(ApiError::new(OktaCode::E0000011));
        };
        authorize::check(parts, state, &admin.grants).await?;
        let audit = Audit::from_parts(
            parts,
            token_actor(&admin.user),
            Some(admin.token.id.clone()),
        );
        Ok(Self {
            token: admin.token.clone(),
            user: admin.user.clone(),
            audit,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scheme_forms() {
        assert_eq!(parse("SSWS abc"), Credential::Ssws("abc"));
        assert_eq!(parse("ssws   abc "), Credential::Ssws("abc"));
        assert_eq!(parse("SSWSabc"), Credential::Ssws("abc"));
        assert_eq!(parse("Bearer abc"), Credential::Other);
        assert_eq!(parse("SSWS"), Credential::Other);
        assert_eq!(parse("SS"), Credential::Other);
        assert_eq!(parse("ßSWS x"), Credential::Other);
    }
}
