//! The OAuth 2.0 / OpenID Connect endpoints end to end: the seed page's Steps Four and Five on
//! the org and a custom authorization server, the code flow with PKCE, refresh, the other
//! grants, userinfo, introspection, revocation and logout, and their errors.

pub mod cache;
mod code;
mod grants;
pub(crate) mod groups_cache;
pub(crate) mod hardening;
mod hybrid;
pub(crate) mod implicit;
mod refresh_admin;
mod steady_state;

use std::collections::HashMap;

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
use reqwest::Method;
use reqwest::redirect::Policy;
use serde_json::{Value, json};

use crate::support::{TestApp, json, send};

pub const PASSWORD: &str = "Tollgate-2026";
pub const REDIRECT: &str = "https://example.com/oauth2/callback";

/// The seed scenario's objects.
pub struct Seed {
    pub user: String,
    pub app_id: String,
    pub client_id: String,
    pub secret: String,
    /// WestCoastDivision (whitelisted, member), Engineering (member), Contractors (whitelisted).
    pub groups: Vec<String>,
}

/// The seed scenario with an OIDC app whose `oauthClient` settings and auth method are given.
pub async fn seed_with(app: &TestApp, auth_method: &str, settings: Value) -> Seed {
    let mut groups = Vec::new();
    for name in ["WestCoastDivision", "Engineering", "Contractors"] {
        let g = json(
            app.post("/api/v1/groups", &json!({"profile": {"name": name}})),
            200,
        )
        .await;
        groups.push(g["id"].as_str().unwrap().to_owned());
    }
    let user = json(
        app.post(
            "/api/v1/users",
            &json!({"profile": {"firstName": "Annie", "lastName": "Jackson", "email": "annie.jackson@acme.com",
                                "login": "annie.jackson@acme.com", "locale": "en_US"},
                    "credentials": {"password": {"value": PASSWORD}}, "groupIds": [groups[0], groups[1]]}),
        ),
        200,
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let created = json(
        app.post(
            "/api/v1/apps",
            &json!({"name": "oidc_client", "label": "Sample Client", "signOnMode": "OPENID_CONNECT",
                    "credentials": {"oauthClient": {"token_endpoint_auth_method": auth_method}},
                    "settings": {"oauthClient": settings},
                    "profile": {"groupwhitelist": [groups[0], groups[2]]}}),
        ),
        200,
    )
    .await;
    let app_id = created["id"].as_str().unwrap().to_owned();
    json(
        app.post(
            &format!("/api/v1/apps/{app_id}/users"),
            &json!({"id": user}),
        ),
        200,
    )
    .await;
    Seed {
        user,
        app_id,
        client_id: created["credentials"]["oauthClient"]["client_id"]
            .as_str()
            .unwrap()
            .to_owned(),
        secret: created["credentials"]["oauthClient"]["client_secret"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
        groups,
    }
}

/// The seed page's app: implicit and code, `client_secret_post`, a native app so the password
/// grant can be enabled too.
pub async fn seed(app: &TestApp) -> Seed {
    seed_with(
        app,
        "client_secret_post",
        json!({"redirect_uris": [REDIRECT], "post_logout_redirect_uris": ["https://example.com/bye"],
               "response_types": ["token", "id_token", "code"],
               "grant_types": ["implicit", "authorization_code", "refresh_token", "password"],
               "application_type": "native",
               "refresh_token": {"rotation_type": "ROTATE", "leeway": 0}}),
    )
    .await
}

/// The seed page's Step Three value, with its extra quotes.
pub const SEED_VALUE: &str =
    "\"getFilteredGroups(app.profile.groupwhitelist, \"group.name\", 40)\"";

/// The org server's app groups claim (Step Three, org server).
pub async fn org_groups_claim(app: &TestApp, s: &Seed) {
    json(
        app.post(
            &format!("/api/v1/internal/apps/{}/settings/oauth/idToken", s.app_id),
            &json!({"valueType": "EXPRESSION", "name": "groups", "value": SEED_VALUE}),
        ),
        200,
    )
    .await;
}

/// A custom server with an `ALL_CLIENTS` policy whose rule allows `grants` for everyone and
/// every scope, and the seed's groups claim (IDENTITY and RESOURCE) when `with_claims`.
pub async fn custom_server(app: &TestApp, grants: &[&str], with_claims: bool) -> String {
    let server = json(
        app.post(
            "/api/v1/authorizationServers",
            &json!({"name": "Seed", "description": "Seed scenario", "audiences": ["api://seed"]}),
        ),
        201,
    )
    .await;
    let sid = server["id"].as_str().unwrap().to_owned();
    let base = format!("/api/v1/authorizationServers/{sid}");
    let policy = json(
        app.post(
            &format!("{base}/policies"),
            &json!({"type": "OAUTH_AUTHORIZATION_POLICY", "name": "All", "description": "All clients",
                    "priority": 1, "conditions": {"clients": {"include": ["ALL_CLIENTS"]}}}),
        ),
        201,
    )
    .await;
    json(
        app.post(
            &format!("{base}/policies/{}/rules", policy["id"].as_str().unwrap()),
            &json!({"type": "RESOURCE_ACCESS", "name": "Everyone", "priority": 1,
                    "conditions": {"people": {"groups": {"include": ["EVERYONE"]}},
                                   "grantTypes": {"include": grants},
                                   "scopes": {"include": ["*"]}},
                    "actions": {"token": {"accessTokenLifetimeMinutes": 30, "refreshTokenLifetimeMinutes": 0,
                                          "refreshTokenWindowMinutes": 10080}}}),
        ),
        201,
    )
    .await;
    if with_claims {
        for claim_type in ["IDENTITY", "RESOURCE"] {
            json(
                app.post(
                    &format!("{base}/claims"),
                    &json!({"name": "groups", "status": "ACTIVE", "claimType": claim_type,
                            "valueType": "EXPRESSION", "value": SEED_VALUE, "conditions": {"scopes": []}}),
                ),
                201,
            )
            .await;
        }
    }
    sid
}

/// A new service app (client credentials, `client_secret_basic`) as the API returns it.
pub async fn service_app(app: &TestApp) -> Value {
    json(
        app.post(
            "/api/v1/apps",
            &json!({"name": "oidc_client", "label": "Service", "signOnMode": "OPENID_CONNECT",
                    "credentials": {"oauthClient": {"token_endpoint_auth_method": "client_secret_basic"}},
                    "settings": {"oauthClient": {"grant_types": ["client_credentials"], "response_types": ["token"],
                                                 "application_type": "service"}}}),
        ),
        200,
    )
    .await
}

pub async fn session_token(app: &TestApp) -> String {
    json(
        app.anon(Method::POST, "/api/v1/authn")
            .json(&json!({"username": "annie.jackson@acme.com", "password": PASSWORD})),
        200,
    )
    .await["sessionToken"]
        .as_str()
        .unwrap()
        .to_owned()
}

pub fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .unwrap()
}

/// `GET {base}/authorize?{query}` (base `/oauth2/v1` or `/oauth2/{id}/v1`): the redirect's
/// parameters, from its fragment or query.
pub async fn authorize(app: &TestApp, base: &str, query: &str) -> HashMap<String, String> {
    let resp = send(no_redirects().get(format!("{}{base}/authorize?{query}", app.base))).await;
    assert_eq!(resp.status(), 302, "{}", resp.text().await.unwrap());
    redirect_params(&resp)
}

pub fn redirect_params(resp: &reqwest::Response) -> HashMap<String, String> {
    let location = resp.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with(REDIRECT), "{location}");
    let rest = location
        .split_once('#')
        .or_else(|| location.split_once('?'))
        .map(|(_, r)| r)
        .unwrap_or_default();
    url::form_urlencoded::parse(rest.as_bytes())
        .into_owned()
        .collect()
}

/// The claims of `jwt`, once its signature checks against `{base}/keys`.
pub async fn verified(app: &TestApp, base: &str, jwt: &str) -> Value {
    let jwks = json(app.anon(Method::GET, &format!("{base}/keys")), 200).await;
    let set: JwkSet = serde_json::from_value(jwks.clone()).unwrap();
    let kid = decode_header(jwt).unwrap().kid.unwrap();
    let key = DecodingKey::from_jwk(set.find(&kid).unwrap()).unwrap();
    let mut v = Validation::new(Algorithm::RS256);
    v.validate_aud = false;
    v.required_spec_claims.clear();
    decode::<Value>(jwt, &key, &v).unwrap().claims
}

/// `POST {base}/{endpoint}` with a form.
pub async fn form(
    app: &TestApp,
    base: &str,
    endpoint: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    send(
        app.anon(Method::POST, &format!("{base}/{endpoint}"))
            .form(fields),
    )
    .await
}

/// The latest System Log event of `event_type`.
pub async fn last_event(app: &TestApp, event_type: &str) -> Value {
    let events = json(
        app.get(&format!(
            "/api/v1/logs?filter=eventType%20eq%20%22{event_type}%22&sortOrder=DESCENDING&limit=1"
        )),
        200,
    )
    .await;
    events[0].clone()
}
