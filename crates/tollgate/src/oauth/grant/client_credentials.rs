//! `grant_type=client_credentials` (RFC 6749 4.4), custom servers only: the client acts for
//! itself, the policy decides the scopes, and only an access token is issued. Nothing is
//! written: the token path reads only caches.

use tollgate_core::app::App;
use tollgate_core::app::vocab::GrantType;

use crate::oauth::decide::decide;
use crate::oauth::error::Refusal;
use crate::oauth::grant::Issued;
use crate::oauth::mint::{Want, mint};
use crate::oauth::server::AuthServer;
use crate::state::AppState;

/// Issues an access token to the client itself.
pub async fn issue(
    state: &AppState,
    server: &AuthServer,
    app: &App,
    scopes: &[String],
) -> Result<Issued, Refusal> {
    let decision = decide(
        state,
        server,
        app,
        None,
        GrantType::ClientCredentials,
        scopes,
    )
    .await?;
    let want = Want {
        access: true,
        ..Want::default()
    };
    let minted = mint(state, server, app, None, &decision, want).await?;
    Ok(Issued {
        person: None,
        decision,
        minted,
        refresh_token: None,
    })
}
