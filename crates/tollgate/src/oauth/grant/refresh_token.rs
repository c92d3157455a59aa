//! `grant_type=refresh_token` (RFC 6749 section 6): core checks the presented token (its own
//! client and server, not expired, not reused past the leeway, no wider scope); the user,
//! assignment and policy are checked again, so a refresh never outlives the access that
//! granted it; then a rotating app gets a new token (exactly one of racing requests wins; the
//! others are reuse and revoke the family) and a static one extends the old token's idle
//! window.

use tollgate_core::app::App;
use tollgate_core::log::{Entity, Result as Outcome};
use tollgate_core::oauth::grant::Grant;
use tollgate_core::oauth::refresh::{self, Presented, RefreshRefusal};
use tollgate_core::secret::sha256_hex;
use tollgate_store::NewRefresh;

use crate::http::audit::Anonymous;
use crate::oauth::decide::decide;
use crate::oauth::error::{OAuthError, Refusal};
use crate::oauth::grant::{Issued, grant_person, id_shape, new_refresh};
use crate::oauth::mint::{Want, mint};
use crate::oauth::server::AuthServer;
use crate::state::AppState;

/// Refreshes: new tokens from a refresh token, narrowed to `scopes` when given.
pub async fn issue(
    state: &AppState,
    audit: &Anonymous,
    server: &AuthServer,
    app: &App,
    presented: &str,
    scopes: Option<&[String]>,
) -> Result<Issued, Refusal> {
    let digest = sha256_hex(presented.as_bytes());
    let Some(found) = state.store().find_refresh_token(&digest).await? else {
        return Err(refresh_invalid("unknown or revoked refresh token").into());
    };
    let grant = found.grant;
    let now = state.clock().now();
    let settings = app.settings.refresh_token;
    let leeway_ms = refresh::leeway_millis(settings);
    let token = Presented {
        grant: &grant,
        expires_at: found.expires_at,
        idle_expires_at: found.idle_expires_at,
        replaced_at: found.replaced_at,
    };
    let requested = match refresh::check(
        token,
        &app.credentials.client_id,
        &server.id,
        now,
        leeway_ms,
        scopes,
    ) {
        Ok(r) => r,
        Err(RefreshRefusal::Invalid(e)) => return Err(e.into()),
        Err(RefreshRefusal::Reused(e)) => {
            return Err(reuse_detected(state, audit, server, app, &grant, e).await);
        }
    };
    let person = grant_person(state, &grant).await?;
    if grant.user_id.is_some() && person.is_none() {
        return Err(refresh_invalid("the user is no longer active").into());
    }
    let mut decision = decide(
        state,
        server,
        app,
        person.as_ref(),
        grant.grant_type,
        &requested,
    )
    .await?;
    decision.scopes.retain(|s| requested.contains(s));
    let refresh_token = if refresh::rotates(settings) {
        let Some(new) = rotate(state, &grant, &digest, leeway_ms).await? else {
            let e = refresh::reused();
            return Err(reuse_detected(state, audit, server, app, &grant, e).await);
        };
        new
    } else {
        let idle = refresh::idle_after_use(grant.lifetimes, now, found.expires_at);
        state.store().touch_refresh_token(&digest, idle).await?;
        presented.to_owned()
    };
    let want = Want {
        access: true,
        id: Some(id_shape(server)),
        grant_id: Some(&grant.id),
        ..Want::default()
    };
    let minted = mint(state, server, app, person.as_ref(), &decision, want).await?;
    Ok(Issued {
        person,
        decision,
        minted,
        refresh_token: Some(refresh_token),
    })
}

/// Rotates the token with digest `old` of `grant` into a new one, or `None` when another
/// request rotated it first or the leeway is over (a reuse).
async fn rotate(
    state: &AppState,
    grant: &Grant,
    old: &str,
    leeway_ms: i64,
) -> Result<Option<String>, Refusal> {
    let now = state.clock().now();
    let (new, expiry) = new_refresh(grant, now);
    let next = NewRefresh {
        digest: &new.digest(),
        expires_at: expiry.expires_at,
        idle_expires_at: expiry.idle_expires_at,
    };
    let won = state
        .store()
        .rotate_refresh_token(&grant.id, next, old, now, leeway_ms)
        .await?;
    Ok(won.then(|| new.expose().to_owned()))
}

fn refresh_invalid(why: &str) -> OAuthError {
    OAuthError::new(
        tollgate_core::oauth::error::OAuthCode::InvalidGrant,
        refresh::BAD_REFRESH,
    )
    .because(why)
}

/// A rotated token used after its leeway, or the loser of a rotation race: every token of the
/// grant is revoked and the System Log says so.
async fn reuse_detected(
    state: &AppState,
    audit: &Anonymous,
    server: &AuthServer,
    app: &App,
    grant: &Grant,
    error: OAuthError,
) -> Refusal {
    let now = state.clock().now();
    if let Err(e) = state.store().revoke_grant(&grant.id, now).await {
        return e.into();
    }
    let mut e = audit
        .event(
            Entity::client(app),
            &format!("{}.token.detect_reuse", server.event_prefix()),
            "OAuth2 refresh token reuse detected",
            now,
        )
        .target(Entity::app(app))
        .outcome(
            Outcome::Failure,
            Some("A rotated refresh token was used after its leeway; every token of its grant is revoked.".to_owned()),
        );
    e.client.client_id = Some(app.credentials.client_id.clone());
    state.events().record(vec![e]).await;
    error.into()
}
