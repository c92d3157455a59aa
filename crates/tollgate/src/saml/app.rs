//! The SAML side of an app: its sign-on settings, its signing key and certificate, and the
//! URLs Okta gives it.

use tollgate_core::app::App;
use tollgate_core::app::template::TemplateKind;
use tollgate_core::saml::sign_on::SamlSignOn;
use tollgate_store::app_keys::AppKey;

use crate::api::apps::keys::keys_of;
use crate::http::{ApiError, ApiResult};
use crate::state::AppState;

/// The sign-on settings of a custom SAML app; `None` for any other app.
pub fn sign_on(app: &App) -> Option<SamlSignOn> {
    let t = app
        .template
        .as_ref()
        .filter(|t| t.kind == TemplateKind::Saml)?;
    SamlSignOn::from_settings(t.sign_on.as_ref()?)
}

/// The app's SSO URL, where SPs send AuthnRequests.
pub fn sso_url(state: &AppState, app: &App) -> String {
    state.link(&format!("/app/{}/{}/sso/saml", app.name(), app.id))
}

/// The key `kid` names (else the app's active key, `credentials.signing.kid`, else the first
/// key the app lists); `E0000007` for a `kid` the app does not list.
pub async fn signing_key(state: &AppState, app: &App, kid: Option<&str>) -> ApiResult<AppKey> {
    let keys = keys_of(state, app.id.as_str()).await?;
    let wanted = kid.or_else(|| app.template.as_ref()?.signing_kid.as_deref());
    let found = match wanted {
        Some(k) => keys.into_iter().find(|key| key.kid == k),
        None => keys.into_iter().next(),
    };
    found.ok_or_else(|| ApiError::not_found(wanted.unwrap_or_default(), "AppInstanceKey"))
}

/// The key's certificate, base64 DER (the first of its `x5c`).
pub fn certificate(key: &AppKey) -> ApiResult<String> {
    key.jwk
        .get("x5c")
        .and_then(|x| x.get(0))
        .and_then(|c| c.as_str())
        .map(str::to_owned)
        .ok_or_else(|| ApiError::internal(format!("app key {} has no certificate", key.kid)))
}
