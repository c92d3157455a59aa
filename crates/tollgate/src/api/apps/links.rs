//! The `_links` Okta's newer app responses carry beside the older ones, for every kind of app,
//! and where an app's logo is: the uploaded one, else the default.

use serde_json::{Map, Value, json};
use tollgate_core::app::App;

use crate::state::AppState;

/// Okta's default app logo, which Tollgate serves for an app without an uploaded one.
const DEFAULT_LOGO: &str = "/assets/img/logos/default.png";

/// Adds `uploadLogo`, `policies` (where an app sign-in policy is assigned), `accessPolicy` and
/// `profileEnrollment` to an app's `_links`.
pub(super) fn insert_links(state: &AppState, app: &App, links: &mut Map<String, Value>) {
    let id = app.id.as_str();
    let allow = |path: &str, method: &str| json!({"href": state.link(&format!("/api/v1/apps/{id}/{path}")), "hints": {"allow": [method]}});
    links.insert("uploadLogo".into(), allow("logo", "POST"));
    links.insert("policies".into(), allow("policies", "PUT"));
    let policies = [
        ("accessPolicy", &app.policies.access),
        ("profileEnrollment", &app.policies.profile_enrollment),
    ];
    for (name, policy) in policies {
        if let Some(policy) = policy {
            let href = state.link(&format!("/api/v1/policies/{policy}"));
            links.insert(name.into(), json!({ "href": href }));
        }
    }
}

/// The URL of the app's logo.
pub(super) fn logo_url(state: &AppState, app: &App) -> String {
    match &app.logo {
        Some(logo) => state.link(&format!("/logos/apps/{}/{}", app.id, logo.file_name())),
        None => state.link(DEFAULT_LOGO),
    }
}

/// The app's `_links.logo[0]`.
pub(super) fn logo_link(state: &AppState, app: &App) -> Value {
    let media_type = app
        .logo
        .as_ref()
        .map_or("image/png", |l| l.format.media_type());
    json!({"name": "medium", "href": logo_url(state, app), "type": media_type})
}
