//! Client authentication for `/token`, `/introspect` and `/revoke`: `client_secret_basic`,
//! `client_secret_post` and `none`, each accepted only when it is the method the app
//! registered. Failures answer Okta's words with HTTP 401 (400 for a malformed request), with
//! a Basic challenge when the client used HTTP Basic (RFC 6749 5.2).
//!
//! Reference: RFC 6749 section 2.3; `oauth-endpoints.md` section 4.1.

use axum::http::StatusCode;
use tollgate_core::app::{App, AppStatus};

use crate::http::oauth_form::OAuthForm;
use crate::oauth::error::{Delivery, OAuthCode, Refusal};
use crate::state::AppState;

/// Okta's words for every failed authentication of a known request shape.
pub const AUTH_FAILED: &str =
    "Client authentication failed. Either the client or the client credentials are invalid.";

/// The app that authenticated this request.
pub async fn authenticate(state: &AppState, form: &OAuthForm) -> Result<App, Refusal> {
    let basic = form.used_basic();
    let p = form
        .client_credentials()
        .map_err(|e| Refusal::from(e).delivered(Delivery::Json { basic }))?;
    let failed = |why: String| {
        Refusal::new(OAuthCode::InvalidClient, AUTH_FAILED)
            .because(why)
            .with_status(StatusCode::UNAUTHORIZED)
            .delivered(Delivery::Json { basic })
    };
    let Some(app) = state.caches().app_by_client_id(&p.client_id).await? else {
        return Err(failed(format!("no app has client_id {}", p.client_id)));
    };
    if app.status != AppStatus::Active {
        return Err(failed(format!("app {} is not active", app.id)));
    }
    let registered = app.credentials.auth_method;
    if registered != p.method {
        return Err(failed(format!(
            "the client authenticated with {} but is registered for {}",
            p.method.as_str(),
            registered.as_str()
        )));
    }
    if let Some(secret) = &p.secret
        && !app.credentials.verify_secret(secret)
    {
        return Err(failed("wrong client secret".to_owned()));
    }
    Ok(App::clone(&app))
}
