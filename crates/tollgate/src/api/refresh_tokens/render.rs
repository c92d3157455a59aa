//! The JSON of refresh tokens (`OAuth2RefreshToken`) and of the clients holding them
//! (`OAuth2Client`), as Okta's management API shows them.

use std::collections::HashMap;

use serde_json::{Map, Value, json};
use tollgate_core::app::App;
use tollgate_core::authz::scope::Scope;
use tollgate_core::server::AuthServer;
use tollgate_core::token::keys::ORG_KEY_SET;
use tollgate_store::RefreshFamily;

use crate::api::users::load_user;
use crate::http::ApiResult;
use crate::state::AppState;

/// What the tokens of one listing share, and what is looked up once per request.
pub struct Renderer<'a> {
    state: &'a AppState,
    /// The path the tokens' `self` links extend (`/api/v1/apps/{appId}/tokens`, ...).
    self_base: String,
    expand_scopes: bool,
    users: HashMap<String, Option<String>>,
    servers: HashMap<String, Option<(AuthServer, Vec<Scope>)>>,
}

impl<'a> Renderer<'a> {
    pub fn new(state: &'a AppState, self_base: String, expand_scopes: bool) -> Self {
        Self {
            state,
            self_base,
            expand_scopes,
            users: HashMap::new(),
            servers: HashMap::new(),
        }
    }

    /// One token object; `client` is the app that holds it.
    pub async fn token(&mut self, family: &RefreshFamily, client: &App) -> ApiResult<Value> {
        let base = self.state.public_url().to_owned();
        let grant = &family.grant;
        let self_href = format!("{base}{}/{}", self.self_base, grant.id);
        let mut links = Map::new();
        links.insert(
            "app".into(),
            json!({"href": format!("{base}/api/v1/apps/{}", client.id), "title": client.label}),
        );
        links.insert("self".into(), json!({"href": self_href}));
        links.insert(
            "revoke".into(),
            json!({"href": self_href, "hints": {"allow": ["DELETE"]}}),
        );
        links.insert(
            "client".into(),
            json!({"href": format!("{base}/oauth2/v1/clients/{}", client.credentials.client_id),
                   "title": client.label}),
        );
        if let Some(user_id) = grant.user_id.as_deref() {
            let title = self.user_title(user_id).await?;
            links.insert(
                "user".into(),
                json!({"href": format!("{base}/api/v1/users/{user_id}"), "title": title}),
            );
        }
        let server = self.server(&grant.server_id).await?;
        let issuer = match server {
            Some((s, _)) => {
                links.insert(
                    "authorizationServer".into(),
                    json!({"href": format!("{base}/api/v1/authorizationServers/{}", s.id),
                           "title": s.name}),
                );
                s.issuer(&base)
            }
            None => base.clone(),
        };
        let mut token = json!({
            "id": grant.id,
            "status": "ACTIVE",
            "created": grant.created,
            "lastUpdated": family.issued,
            "expiresAt": family.expires_at,
            "issuer": issuer,
            "clientId": grant.client_id,
            "userId": grant.user_id,
            "scopes": grant.scopes,
        });
        let embedded = match self.expand_scopes {
            true => Some(
                self.embedded_scopes(&grant.server_id, &grant.scopes)
                    .await?,
            ),
            false => None,
        };
        if let Value::Object(fields) = &mut token {
            if let Some(scopes) = embedded {
                fields.insert("_embedded".into(), json!({ "scopes": scopes }));
            }
            fields.insert("_links".into(), Value::Object(links));
        }
        Ok(token)
    }

    async fn user_title(&mut self, user_id: &str) -> ApiResult<Option<String>> {
        if let Some(title) = self.users.get(user_id) {
            return Ok(title.clone());
        }
        let title = load_user(self.state, user_id).await.ok().map(|u| {
            let part = |k: &str| u.profile.get(k).and_then(Value::as_str).unwrap_or("");
            format!("{} {}", part("firstName"), part("lastName"))
                .trim()
                .to_owned()
        });
        self.users.insert(user_id.to_owned(), title.clone());
        Ok(title)
    }

    async fn server(&mut self, server_id: &str) -> ApiResult<Option<&(AuthServer, Vec<Scope>)>> {
        if !self.servers.contains_key(server_id) {
            let found = match server_id {
                ORG_KEY_SET => None,
                id => match self.state.store().find_auth_server(id).await? {
                    Some(s) => Some((s, self.state.store().scopes_of(id).await?)),
                    None => None,
                },
            };
            self.servers.insert(server_id.to_owned(), found);
        }
        Ok(self.servers.get(server_id).and_then(Option::as_ref))
    }

    /// The scope objects of `names`: a custom server's own, with their links; the org server's
    /// by name only (its scopes are built in and have no objects).
    async fn embedded_scopes(&mut self, server_id: &str, names: &[String]) -> ApiResult<Value> {
        let base = self.state.public_url().to_owned();
        let server = self.server(server_id).await?;
        let items = names
            .iter()
            .map(|name| {
                let found = server.and_then(|(_, scopes)| scopes.iter().find(|s| &s.name == name));
                match found {
                    Some(s) => json!({
                        "id": s.id,
                        "name": s.name,
                        "displayName": s.display_name,
                        "description": s.description,
                        "_links": {"scope": {
                            "href": format!("{base}/api/v1/authorizationServers/{}/scopes/{}",
                                            s.server_id, s.id),
                            "title": s.display_name.as_deref().unwrap_or(&s.name),
                        }},
                    }),
                    None => json!({ "name": name }),
                }
            })
            .collect();
        Ok(Value::Array(items))
    }
}

/// An `OAuth2Client` entry: a client that holds tokens; `tokens_base` is where its tokens are
/// listed (`/api/v1/users/{id}/clients` or `/api/v1/authorizationServers/{id}/clients`).
pub fn client_json(state: &AppState, app: &App, tokens_base: &str, with_grants: bool) -> Value {
    let base = state.public_url();
    let client_id = &app.credentials.client_id;
    let mut links = json!({
        "self": {"href": format!("{base}/oauth2/v1/clients/{client_id}")},
        "tokens": {"href": format!("{base}{tokens_base}/{client_id}/tokens")},
    });
    if let (true, Value::Object(links)) = (with_grants, &mut links) {
        let grants = format!("{base}{tokens_base}/{client_id}/grants");
        links.insert("grants".into(), json!({ "href": grants }));
    }
    json!({
        "client_id": client_id,
        "client_name": app.label,
        "client_uri": app.settings.other.get("client_uri"),
        "logo_uri": app.settings.other.get("logo_uri"),
        "_links": links,
    })
}
