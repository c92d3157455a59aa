//! `grant_type=password` (RFC 6749 4.3): the user's password is checked as the sign-in page
//! checks it (lockout included), then the request is decided like any other; a refresh token
//! comes with `offline_access`, and with it a stored grant family.

use tollgate_core::app::App;
use tollgate_core::app::vocab::GrantType;
use tollgate_core::oauth::decision::IdShape;
use tollgate_core::oauth::grant::Grant;
use tollgate_core::oauth::refresh::gets_refresh_token;
use tollgate_core::secret::Secret;

use crate::http::audit::Anonymous;
use crate::login::password::{SignIn, check};
use crate::oauth::decide::{Person, decide};
use crate::oauth::error::{OAuthCode, Refusal};
use crate::oauth::grant::{Issued, issue_refresh_token};
use crate::oauth::mint::{Want, mint};
use crate::oauth::server::AuthServer;
use crate::state::AppState;

/// Issues tokens for a user's own credentials.
pub async fn issue(
    state: &AppState,
    audit: &Anonymous,
    server: &AuthServer,
    app: &App,
    credentials: (&str, Secret),
    scopes: &[String],
) -> Result<Issued, Refusal> {
    let (username, password) = credentials;
    let user = match check(state, audit, username, password).await? {
        SignIn::Success(u) => u,
        SignIn::PasswordExpired(_) => {
            return Err(Refusal::new(
                OAuthCode::InvalidGrant,
                "Password has expired.",
            ));
        }
        SignIn::Failed => {
            return Err(Refusal::new(
                OAuthCode::InvalidGrant,
                "The credentials provided were invalid.",
            ));
        }
    };
    let now = state.clock().now();
    let person = Person::load(state, user, Some(now), vec!["pwd".to_owned()], None).await?;
    let decision = decide(
        state,
        server,
        app,
        Some(&person),
        GrantType::Password,
        scopes,
    )
    .await?;
    let refresh = gets_refresh_token(app, &decision.scopes);
    let grant = Grant {
        id: Grant::new_id(),
        server_id: server.id.clone(),
        client_id: app.credentials.client_id.clone(),
        user_id: Some(person.user.id.as_str().to_owned()),
        grant_type: GrantType::Password,
        scopes: decision.scopes.clone(),
        auth_time: person.auth_time,
        amr: person.amr.clone(),
        session_id: None,
        nonce: None,
        lifetimes: decision.lifetimes,
        created: now,
    };
    if refresh {
        state.store().create_grant(&grant).await?;
    }
    let want = Want {
        access: true,
        id: Some(IdShape::Thin),
        grant_id: refresh.then_some(grant.id.as_str()),
        ..Want::default()
    };
    let minted = mint(state, server, app, Some(&person), &decision, want).await?;
    let refresh_token = if refresh {
        Some(issue_refresh_token(state, &grant).await?)
    } else {
        None
    };
    Ok(Issued {
        person: Some(person),
        decision,
        minted,
        refresh_token,
    })
}
