//! Wire shapes of apps, app users, app groups and app links: request bodies read into core
//! drafts, core objects rendered as Okta's JSON.

use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value, json};
use tollgate_core::app::assignment::{AppGroup, AppGroupDraft, AppUser, AppUserDraft};
use tollgate_core::app::{
    App, AppDraft, AppStatus, CredentialsDraft, OIDC_NAME, OIDC_SIGN_ON_MODE, SharedCredentials,
    TemplateDraft,
};
use tollgate_core::secret::Secret;

use crate::state::AppState;

/// Deserializes a field that is present (even as `null`) into `Some`, so that "left out" and
/// "sent as null" stay distinct.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

/// The body of `POST /api/v1/apps` and of `PUT`/`POST /api/v1/apps/{id}`. Read-only and
/// unknown properties (`id`, `status`, `_links`, ...) are ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppBody {
    name: Option<String>,
    label: Option<String>,
    sign_on_mode: Option<String>,
    credentials: Option<CredentialsBody>,
    settings: Option<SettingsBody>,
    #[serde(default, deserialize_with = "present")]
    profile: Option<Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct CredentialsBody {
    oauth_client: Option<OAuthCredentialsBody>,
    scheme: Option<String>,
    reveal_password: Option<bool>,
    user_name_template: Option<Map<String, Value>>,
    signing: Option<SigningBody>,
    /// The shared account of a `SHARED_USERNAME_AND_PASSWORD` app.
    user_name: Option<String>,
    password: Option<PasswordBody>,
}

#[derive(Debug, Default, Deserialize)]
struct SigningBody {
    kid: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct OAuthCredentialsBody {
    client_id: Option<String>,
    client_secret: Option<String>,
    token_endpoint_auth_method: Option<String>,
    pkce_required: Option<bool>,
    #[serde(rename = "autoKeyRotation")]
    auto_key_rotation: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SettingsBody {
    oauth_client: Option<Map<String, Value>>,
    app: Option<Map<String, Value>>,
    sign_on: Option<Map<String, Value>>,
}

impl From<AppBody> for AppDraft {
    fn from(b: AppBody) -> Self {
        let credentials = b.credentials.unwrap_or_default();
        let settings = b.settings.unwrap_or_default();
        let template = TemplateDraft {
            app_settings: settings.app,
            sign_on: settings.sign_on,
            scheme: credentials.scheme,
            reveal_password: credentials.reveal_password,
            user_name_template: credentials.user_name_template,
            signing_kid: credentials.signing.and_then(|s| s.kid),
            shared: SharedCredentials {
                user_name: credentials.user_name,
                password: None,
            },
        };
        let c = credentials.oauth_client.unwrap_or_default();
        AppDraft {
            template,
            name: b.name,
            label: b.label,
            sign_on_mode: b.sign_on_mode,
            credentials: CredentialsDraft {
                client_id: c.client_id,
                client_secret: c.client_secret.map(Secret::new),
                auth_method: c.token_endpoint_auth_method,
                pkce_required: c.pkce_required,
                auto_key_rotation: c.auto_key_rotation,
            },
            settings: settings.oauth_client,
            profile: b.profile,
        }
    }
}

impl AppBody {
    /// Takes `credentials.password.value` (a shared app's password) out of the body, for the
    /// caller to seal; the draft the body makes never holds it in clear.
    pub fn take_shared_password(&mut self) -> Option<Secret> {
        self.credentials
            .as_mut()
            .and_then(|c| c.password.take())
            .and_then(PasswordBody::into_secret)
    }
}

/// The name of the app's one end-user link, as Okta names OpenID Connect app links.
const LINK_NAME: &str = "oidc_client_link";

/// An app in Okta's shape.
///
/// `credentials.oauthClient.client_secret` appears only when `secret` is given, i.e. in the
/// response to the create or update that set or generated it. Tollgate keeps only the
/// secret's SHA-256 digest, so a later `GET` cannot show it; this matches what Okta documents
/// ("only shown when an OAuth 2.0 client app is created or updated") and what its API answers
/// today on `GET`.
pub fn app_json(state: &AppState, app: &App, secret: Option<&Secret>) -> Value {
    if let Some(template) = &app.template {
        return super::template_json::app_json(state, app, template);
    }
    let id = app.id.as_str();
    let c = &app.credentials;
    let mut oauth_client = Map::new();
    oauth_client.insert("autoKeyRotation".into(), json!(c.auto_key_rotation));
    oauth_client.insert("client_id".into(), json!(c.client_id));
    if let Some(s) = secret {
        oauth_client.insert("client_secret".into(), json!(s.expose()));
    }
    oauth_client.insert(
        "token_endpoint_auth_method".into(),
        json!(c.auth_method.as_str()),
    );
    oauth_client.insert("pkce_required".into(), json!(c.pkce_required));
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
    links.insert(
        "clientCredentials".into(),
        json!([{"name": "secrets", "href": state.link(&format!("/api/v1/apps/{id}/credentials/secrets"))}]),
    );
    links.insert(
        "users".into(),
        href(state, &format!("/api/v1/apps/{id}/users")),
    );
    super::links::insert_links(state, app, &mut links);
    insert_lifecycle_link(state, app, &mut links);
    json!({
        "id": id,
        "name": OIDC_NAME,
        "label": app.label,
        "status": app.status.as_str(),
        "lastUpdated": app.last_updated,
        "created": app.created,
        "accessibility": {"selfService": false, "errorRedirectUrl": null, "loginRedirectUrl": null},
        "visibility": {"autoSubmitToolbar": false, "hide": {"iOS": true, "web": true},
                       "appLinks": {(LINK_NAME): true}},
        "features": [],
        "signOnMode": OIDC_SIGN_ON_MODE,
        "credentials": {
            "userNameTemplate": {"template": "${source.login}", "type": "BUILT_IN"},
            "signing": {},
            "oauthClient": oauth_client,
        },
        "universalLogout": {"status": "UNSUPPORTED"},
        "settings": oidc_settings(app),
        "profile": app.profile,
        "_links": links,
    })
}

/// An OIDC app's `settings`: its client settings and what every app shows.
fn oidc_settings(app: &App) -> Value {
    let mut s = Map::new();
    s.insert("app".into(), json!({}));
    super::template_json::insert_common_settings(&mut s);
    s.insert("oauthClient".into(), Value::Object(app.settings.to_json()));
    Value::Object(s)
}

/// `activate` or `deactivate`, whichever the app's status allows.
pub(super) fn insert_lifecycle_link(state: &AppState, app: &App, links: &mut Map<String, Value>) {
    let (op, path) = match app.status {
        AppStatus::Active => ("deactivate", "lifecycle/deactivate"),
        AppStatus::Inactive => ("activate", "lifecycle/activate"),
    };
    let id = app.id.as_str();
    links.insert(op.into(), href(state, &format!("/api/v1/apps/{id}/{path}")));
}

pub(super) fn href(state: &AppState, path: &str) -> Value {
    json!({"href": state.link(path)})
}

/// The end-user link of an app (`/home/oidc_client/{appId}/{linkId}`).
pub(super) fn link_url(state: &AppState, app: &App) -> String {
    state.link(&format!("/home/{}/{}/{}", app.name(), app.id, app.link_id))
}

pub(super) fn logo(state: &AppState, app: &App) -> Value {
    super::links::logo_link(state, app)
}

/// The body of `POST /apps/{id}/users` and `POST /apps/{id}/users/{userId}`.
#[derive(Debug, Default, Deserialize)]
pub struct AppUserBody {
    /// The user to assign (only on `POST /apps/{id}/users`).
    pub id: Option<String>,
    credentials: Option<AppUserCredentialsBody>,
    #[serde(default, deserialize_with = "present")]
    profile: Option<Value>,
}

#[derive(Debug, Default, Deserialize)]
struct AppUserCredentialsBody {
    #[serde(rename = "userName")]
    user_name: Option<String>,
    password: Option<PasswordBody>,
}

/// `credentials.password`: `{"value": ...}` sets it; `{}` (what a read shows) sets nothing.
/// `Debug` never prints the value.
#[derive(Default, Deserialize)]
pub(super) struct PasswordBody {
    value: Option<String>,
}

impl std::fmt::Debug for PasswordBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let shown = self.value.as_ref().map(|_| "<redacted>");
        f.debug_struct("PasswordBody")
            .field("value", &shown)
            .finish()
    }
}

impl PasswordBody {
    /// The password it sets, if any.
    pub(super) fn into_secret(self) -> Option<Secret> {
        self.value.map(Secret::new)
    }
}

impl AppUserBody {
    /// What the body says about the assignment, with the password in clear kept apart for the
    /// caller to check and seal.
    pub fn into_parts(self) -> (AppUserDraft, Option<Secret>) {
        let (user_name, password) = match self.credentials {
            Some(c) => (c.user_name, c.password.and_then(PasswordBody::into_secret)),
            None => (None, None),
        };
        let draft = AppUserDraft {
            user_name,
            profile: self.profile,
            password: None,
        };
        (draft, password)
    }
}

/// An app user in Okta's shape.
pub fn app_user_json(state: &AppState, au: &AppUser) -> Value {
    json!({
        "id": au.user_id,
        "externalId": null,
        "created": au.created,
        "lastUpdated": au.last_updated,
        "scope": au.scope.as_str(),
        "status": "ACTIVE",
        "statusChanged": au.last_updated,
        "passwordChanged": au.password_changed,
        "syncState": "DISABLED",
        "lastSync": null,
        "credentials": app_user_credentials(au),
        "profile": au.profile,
        "_links": {
            "app": href(state, &format!("/api/v1/apps/{}", au.app_id)),
            "user": href(state, &format!("/api/v1/users/{}", au.user_id)),
        },
    })
}

/// `credentials` of an app user: the user name, and an empty `password` when one is kept (the
/// password itself is never shown).
fn app_user_credentials(au: &AppUser) -> Value {
    match au.password {
        Some(_) => json!({"userName": au.user_name, "password": {}}),
        None => json!({"userName": au.user_name}),
    }
}

/// The optional body of `PUT /apps/{id}/groups/{groupId}`.
#[derive(Debug, Default, Deserialize)]
pub struct AppGroupBody {
    #[serde(default, deserialize_with = "present")]
    priority: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    profile: Option<Value>,
}

impl From<AppGroupBody> for AppGroupDraft {
    fn from(b: AppGroupBody) -> Self {
        AppGroupDraft {
            priority: b.priority,
            profile: b.profile,
        }
    }
}

/// An app group in Okta's shape.
pub fn app_group_json(state: &AppState, ag: &AppGroup) -> Value {
    let (app, group) = (ag.app_id.as_str(), ag.group_id.as_str());
    json!({
        "id": group,
        "lastUpdated": ag.last_updated,
        "priority": ag.priority,
        "profile": ag.profile,
        "_links": {
            "app": href(state, &format!("/api/v1/apps/{app}")),
            "self": href(state, &format!("/api/v1/apps/{app}/groups/{group}")),
            "group": href(state, &format!("/api/v1/groups/{group}")),
        },
    })
}

/// An app link (`GET /api/v1/users/{id}/appLinks`). Tollgate keeps no per-user assignment
/// ids, so `appAssignmentId` is null.
pub fn app_link_json(state: &AppState, app: &App, sort_order: usize) -> Value {
    json!({
        "id": app.link_id,
        "label": app.label,
        "linkUrl": link_url(state, app),
        "logoUrl": super::links::logo_url(state, app),
        "appName": app.name(),
        "appInstanceId": app.id,
        "appAssignmentId": null,
        "credentialsSetup": false,
        "hidden": false,
        "sortOrder": sort_order,
    })
}
