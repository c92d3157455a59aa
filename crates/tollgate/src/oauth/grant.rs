//! The token endpoint's grants, one file each, and what they share: the user a stored grant is
//! for (still active?), and new refresh tokens. Each grant takes its validated request from
//! core (`tollgate_core::oauth::token_request`), decides, mints, and says what it issued.

pub mod authorization_code;
pub mod client_credentials;
pub mod password;
pub mod refresh_token;

use tollgate_core::Timestamp;
use tollgate_core::directory::{User, UserStatus};
use tollgate_core::oauth::decision::{Decision, IdShape};
use tollgate_core::oauth::grant::Grant;
use tollgate_core::oauth::refresh;
use tollgate_core::secret::Secret;
use tollgate_store::NewRefresh;

use crate::oauth::decide::Person;
use crate::oauth::error::Refusal;
use crate::oauth::mint::Minted;
use crate::oauth::server::AuthServer;
use crate::state::AppState;

/// What a grant produced.
#[derive(Debug)]
pub struct Issued {
    /// The user, if any.
    pub person: Option<Person>,
    /// What was granted.
    pub decision: Decision,
    /// The signed tokens.
    pub minted: Minted,
    /// A refresh token, if one was issued.
    pub refresh_token: Option<String>,
}

/// The ID token of the token endpoint: thin, plus the app's groups claim on the org server.
pub fn id_shape(server: &AuthServer) -> IdShape {
    if server.is_org() {
        IdShape::ThinWithGroups
    } else {
        IdShape::Thin
    }
}

/// A new refresh token of `grant`, with its expiries under the grant's lifetimes.
pub fn new_refresh(grant: &Grant, now: Timestamp) -> (Secret, refresh::Expiry) {
    (
        Secret::generate(32),
        refresh::new_expiry(grant.lifetimes, now),
    )
}

/// Issues a new refresh token of `grant` (not a rotation).
pub async fn issue_refresh_token(state: &AppState, grant: &Grant) -> Result<String, Refusal> {
    let now = state.clock().now();
    let (token, expiry) = new_refresh(grant, now);
    state
        .store()
        .create_refresh_token(
            &grant.id,
            NewRefresh {
                digest: &token.digest(),
                expires_at: expiry.expires_at,
                idle_expires_at: expiry.idle_expires_at,
            },
            now,
        )
        .await?;
    Ok(token.expose().to_owned())
}

/// The user a stored grant is for, with their current groups, if still active.
pub async fn grant_person(state: &AppState, grant: &Grant) -> Result<Option<Person>, Refusal> {
    let Some(id) = grant.user_id.as_deref() else {
        return Ok(None);
    };
    let user: Option<User> = state
        .store()
        .find_user(id)
        .await?
        .filter(|u| matches!(u.status, UserStatus::Active | UserStatus::PasswordExpired));
    match user {
        Some(u) => Ok(Some(
            Person::load(
                state,
                u,
                grant.auth_time,
                grant.amr.clone(),
                grant.session_id.clone(),
            )
            .await?,
        )),
        None => Ok(None),
    }
}
