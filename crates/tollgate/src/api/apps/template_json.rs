//! A non-OIDC app (bookmark, password-based, SAML, WS-Federation) in Okta's shape: its
//! `settings.app` and `settings.signOn`, the credential settings of password-based apps, and
//! an end-user link named `login`.

use serde_json::{Map, Value, json};
use tollgate_core::app::{App, TemplateApp, TemplateKind};

use super::json::{href, insert_lifecycle_link, link_url, logo};
use crate::state::AppState;

/// The name of a non-OIDC app's end-user link, as Okta names it.
const LINK_NAME: &str = "login";

/// A non-OIDC app in Okta's shape.
pub fn app_json(state: &AppState, app: &App, t: &TemplateApp) -> Value {
    let id = app.id.as_str();
    let mut links = Map::new();
    links.insert(
        "appLinks".into(),
        json!([{"name": LINK_NAME, "href": link_url(state, app), "type": "text/html"}]),
    );
    links.insert(
        "groups".into(),
        href(state, &format!("/api/v1/apps/{id}/groups")),
    );
    links.insert("logo".into(), json!([logo(state, app)]));
    if matches!(t.kind, TemplateKind::Saml | TemplateKind::Org2Org) {
        let href = state.link(&format!("/api/v1/apps/{id}/sso/saml/metadata"));
        links.insert(
            "metadata".into(),
            json!({"href": href, "type": "application/xml"}),
        );
    }
    links.insert(
        "users".into(),
        href(state, &format!("/api/v1/apps/{id}/users")),
    );
    super::links::insert_links(state, app, &mut links);
    insert_lifecycle_link(state, app, &mut links);
    let mut app_json = json!({
        "id": id,
        "name": t.name,
        "label": app.label,
        "status": app.status.as_str(),
        "lastUpdated": app.last_updated,
        "created": app.created,
        "accessibility": {"selfService": false, "errorRedirectUrl": null, "loginRedirectUrl": null},
        "visibility": {"autoLaunch": false, "autoSubmitToolbar": false,
                       "hide": {"iOS": false, "web": false}, "appLinks": {(LINK_NAME): true}},
        "features": [],
        "signOnMode": t.kind.sign_on_mode(),
        "credentials": credentials(t),
        "universalLogout": {"status": "UNSUPPORTED"},
        "settings": settings(t),
        "_links": links,
    });
    if !app.profile.is_empty()
        && let Some(obj) = app_json.as_object_mut()
    {
        obj.insert("profile".into(), Value::Object(app.profile.clone()));
    }
    app_json
}

fn credentials(t: &TemplateApp) -> Value {
    let mut c = Map::new();
    if let Some(scheme) = &t.scheme {
        c.insert("scheme".into(), json!(scheme));
    }
    c.insert(
        "userNameTemplate".into(),
        Value::Object(t.user_name_template.clone()),
    );
    if t.scheme.is_some() {
        c.insert("revealPassword".into(), json!(t.reveal_password));
    }
    if let Some(user_name) = &t.shared.user_name {
        c.insert("userName".into(), json!(user_name));
    }
    if t.shared.password.is_some() {
        c.insert("password".into(), json!({}));
    }
    c.insert(
        "signing".into(),
        match &t.signing_kid {
            Some(kid) => json!({"kid": kid}),
            None => json!({}),
        },
    );
    Value::Object(c)
}

/// The settings every app shows as Okta's newest answers do: no VPN notification, no
/// provisioning, no end-user notes.
pub(super) fn insert_common_settings(s: &mut Map<String, Value>) {
    s.insert(
        "notifications".into(),
        json!({"vpn": {"network": {"connection": "DISABLED"}, "message": null, "helpUrl": null}}),
    );
    s.insert("manualProvisioning".into(), json!(false));
    s.insert("implicitAssignment".into(), json!(false));
    s.insert("emOptInStatus".into(), json!("NONE"));
    s.insert("notes".into(), json!({"admin": null, "enduser": null}));
}

fn settings(t: &TemplateApp) -> Value {
    let mut s = Map::new();
    s.insert("app".into(), Value::Object(t.app_settings.clone()));
    insert_common_settings(&mut s);
    if let Some(sign_on) = &t.sign_on {
        s.insert("signOn".into(), Value::Object(sign_on.clone()));
    }
    Value::Object(s)
}
