//! Refresh tokens as the management API shows them, backed by the grant families of the OAuth
//! endpoints (a token object is a grant whose latest refresh token is live; its id is the
//! grant's):
//! - `/api/v1/apps/{appId}/tokens[/{tokenId}]` (`GET`, `DELETE`);
//! - `GET /api/v1/users/{userId}/clients` and `/users/{userId}/clients/{clientId}/tokens[/{tokenId}]`;
//! - `GET /api/v1/authorizationServers/{authServerId}/clients` and
//!   `/authorizationServers/{authServerId}/clients/{clientId}/tokens[/{tokenId}]`.
//!
//! Revoking one revokes its whole family, as `/oauth2/v1/revoke` does: the refresh token and the
//! access tokens minted from it stop working.

mod handlers;
mod render;

pub use handlers::routes;

use axum::Json;
use axum::http::{HeaderMap, StatusCode, Uri};
use serde::Deserialize;
use serde_json::Value;
use tollgate_core::app::App;
use tollgate_core::log::Entity;
use tollgate_core::token::keys::ORG_KEY_SET;
use tollgate_store::{FamilyFilter, RefreshFamily};

use crate::api::apps::load_app;
use crate::api::authorization_servers::load_server;
use crate::api::json::page_response;
use crate::api::users::load_user;
use crate::http::auth::Admin;
use crate::http::pagination::PageRequest;
use crate::http::{ApiError, ApiResult};
use crate::state::AppState;
use render::{Renderer, client_json};

/// `expand`, `limit` and `after`.
#[derive(Debug, Default, Deserialize)]
pub struct TokenParams {
    expand: Option<String>,
    limit: Option<String>,
    after: Option<String>,
}

impl TokenParams {
    fn expands_scope(&self) -> bool {
        self.expand
            .as_deref()
            .is_some_and(|e| e.split(',').any(|x| x.trim() == "scope"))
    }
}

/// Whose tokens a route lists: the families it filters and where their `self` links point.
struct Holder {
    client: App,
    server_id: Option<String>,
    user_id: Option<String>,
    /// `/api/v1/apps/{appId}/tokens`, ...
    self_base: String,
    /// What names a missing token in Okta's `E0000007` summary.
    owner_label: String,
}

impl Holder {
    fn filter<'a>(&'a self, grant_id: Option<&'a str>) -> FamilyFilter<'a> {
        FamilyFilter {
            server_id: self.server_id.as_deref(),
            client_id: Some(&self.client.credentials.client_id),
            user_id: self.user_id.as_deref(),
            grant_id,
        }
    }

    async fn families(&self, state: &AppState, id: Option<&str>) -> ApiResult<Vec<RefreshFamily>> {
        let now = state.clock().now();
        Ok(state
            .store()
            .live_refresh_families(self.filter(id), now)
            .await?)
    }

    async fn one(&self, state: &AppState, token_id: &str) -> ApiResult<RefreshFamily> {
        self.families(state, Some(token_id))
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| {
                ApiError::not_found(
                    &format!("{}.{token_id}", self.owner_label),
                    "OAuth2RefreshTokenTx",
                )
            })
    }

    async fn list(
        &self,
        state: &AppState,
        uri: &Uri,
        params: &TokenParams,
    ) -> ApiResult<(HeaderMap, Json<Value>)> {
        let page = PageRequest::new(params.limit.as_deref(), params.after.as_deref(), 20, 200);
        let families = self.families(state, None).await?;
        let start = page.after.as_deref().map_or(0, |after| {
            families
                .iter()
                .position(|f| f.grant.id == after)
                .map_or(families.len(), |i| i + 1)
        });
        let rest = families.get(start..).unwrap_or_default();
        let shown = rest.get(..page.limit.min(rest.len())).unwrap_or_default();
        let mut renderer = Renderer::new(state, self.self_base.clone(), params.expands_scope());
        let mut items = Vec::with_capacity(shown.len());
        for family in shown {
            items.push(renderer.token(family, &self.client).await?);
        }
        let next = (rest.len() > shown.len())
            .then(|| shown.last().map(|f| f.grant.id.clone()))
            .flatten();
        Ok(page_response(state, uri, items, next.as_deref()))
    }

    async fn get(
        &self,
        state: &AppState,
        token_id: &str,
        params: &TokenParams,
    ) -> ApiResult<Json<Value>> {
        let family = self.one(state, token_id).await?;
        let mut renderer = Renderer::new(state, self.self_base.clone(), params.expands_scope());
        Ok(Json(renderer.token(&family, &self.client).await?))
    }

    /// Revokes each family (one, or all of the holder's) and records who did it.
    async fn revoke(
        &self,
        state: &AppState,
        admin: &Admin,
        token_id: Option<&str>,
    ) -> ApiResult<StatusCode> {
        let families = match token_id {
            Some(id) => vec![self.one(state, id).await?],
            None => self.families(state, None).await?,
        };
        let now = state.clock().now();
        let mut events = Vec::new();
        for family in &families {
            let filter = self.filter(Some(&family.grant.id));
            if state.store().revoke_refresh_families(filter, now).await? == 0 {
                continue;
            }
            let kind = match family.grant.server_id.as_str() {
                ORG_KEY_SET => "app.oauth2.token.revoke",
                _ => "app.oauth2.as.token.revoke",
            };
            events.push(
                admin
                    .event(kind, "OAuth2 token revocation request", now)
                    .target(Entity::app(&self.client))
                    .debug("tokenType", "refresh token")
                    .debug("tokenId", family.grant.id.clone()),
            );
        }
        if !events.is_empty() {
            state.events().record(events).await;
        }
        Ok(StatusCode::NO_CONTENT)
    }
}

async fn app_holder(state: &AppState, app_id: &str) -> ApiResult<Holder> {
    let client = load_app(state, app_id).await?;
    Ok(Holder {
        self_base: format!("/api/v1/apps/{}/tokens", client.id),
        owner_label: client.id.to_string(),
        client,
        server_id: None,
        user_id: None,
    })
}

async fn load_client(state: &AppState, client_id: &str) -> ApiResult<App> {
    state
        .store()
        .find_app_by_client_id(client_id)
        .await?
        .ok_or_else(|| ApiError::not_found(client_id, "PublicClientApp"))
}

async fn user_holder(state: &AppState, user_id: &str, client_id: &str) -> ApiResult<Holder> {
    let user = load_user(state, user_id).await?;
    let client = load_client(state, client_id).await?;
    Ok(Holder {
        self_base: format!("/api/v1/users/{}/clients/{client_id}/tokens", user.id),
        owner_label: client_id.to_owned(),
        client,
        server_id: None,
        user_id: Some(user.id.to_string()),
    })
}

async fn server_holder(state: &AppState, server_id: &str, client_id: &str) -> ApiResult<Holder> {
    let server = load_server(state, server_id).await?;
    let client = load_client(state, client_id).await?;
    Ok(Holder {
        self_base: format!(
            "/api/v1/authorizationServers/{}/clients/{client_id}/tokens",
            server.id
        ),
        owner_label: client_id.to_owned(),
        client,
        server_id: Some(server.id.to_string()),
        user_id: None,
    })
}

/// The clients holding the families of `filter`, each once, in the order of their first token.
async fn clients_of(
    state: &AppState,
    filter: FamilyFilter<'_>,
    tokens_base: &str,
    with_grants: bool,
) -> ApiResult<Json<Value>> {
    let families = state
        .store()
        .live_refresh_families(filter, state.clock().now())
        .await?;
    let mut seen: Vec<&str> = Vec::new();
    let mut items = Vec::new();
    for family in &families {
        let client_id = family.grant.client_id.as_str();
        if seen.contains(&client_id) {
            continue;
        }
        seen.push(client_id);
        if let Some(app) = state.store().find_app_by_client_id(client_id).await? {
            items.push(client_json(state, &app, tokens_base, with_grants));
        }
    }
    Ok(Json(Value::Array(items)))
}
