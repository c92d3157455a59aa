//! Which authorization server answers a request: the org server (`/oauth2/v1`, issuer = the
//! public URL, OIDC scopes only, no policies) or a custom one (`/oauth2/{id}/v1`) with its
//! cached configuration and compiled claims. An unknown or inactive server is Okta's 404.
//!
//! Reference: `oauth-endpoints.md` sections 1 and 2.

use std::convert::Infallible;
use std::sync::Arc;

use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::request::Parts;

use serde_json::{Value, json};
use tollgate_core::authz::ServerConfig;
use tollgate_core::oauth::claims::CompiledClaims;
use tollgate_core::oauth::policy::OIDC_SCOPES;
use tollgate_core::oauth::token_request::ServerView;
use tollgate_core::server::Status;
use tollgate_core::token::keys::ORG_KEY_SET;

use crate::caches::CachedServer;
use crate::http::ApiError;
use crate::oauth::error::Refusal;
use crate::state::AppState;

/// The `{server_id}` of a `/oauth2/{server_id}/v1/...` path, `None` on `/oauth2/v1/...` (the
/// org server), so one handler serves both routes of an endpoint.
#[derive(Debug, Clone, Default)]
pub struct ServerId(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for ServerId {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let id = RawPathParams::from_request_parts(parts, state)
            .await
            .ok()
            .and_then(|params| {
                params
                    .iter()
                    .find(|(name, _)| *name == "server_id")
                    .map(|(_, value)| value.to_owned())
            });
        Ok(Self(id))
    }
}

/// Which authorization server answers.
#[derive(Debug, Clone)]
pub enum Kind {
    /// The org authorization server (`/oauth2/v1`).
    Org,
    /// A custom server, with everything a decision needs (shared with the cache).
    Custom(Arc<CachedServer>),
}

/// The authorization server of a request.
#[derive(Debug, Clone)]
pub struct AuthServer {
    /// `org`, or the server's id (`default` included): names its keys and its grants.
    pub id: String,
    /// `iss`.
    pub issuer: String,
    /// `/oauth2/v1` or `/oauth2/{id}/v1`.
    pub base_path: String,
    /// Org or custom.
    pub kind: Kind,
    /// The scopes granted when a client-credentials request names none.
    default_scopes: Vec<String>,
}

impl AuthServer {
    /// The server named in the path (`None`: the org server). An unknown or inactive custom
    /// server is Okta's 404.
    pub async fn load(state: &AppState, id: Option<&str>) -> Result<Self, Refusal> {
        let Some(id) = id else {
            return Ok(Self {
                id: ORG_KEY_SET.to_owned(),
                issuer: state.public_url().to_owned(),
                base_path: "/oauth2/v1".to_owned(),
                kind: Kind::Org,
                default_scopes: Vec::new(),
            });
        };
        match state.caches().server(id).await? {
            Some(cached) if cached.config.server.status == Status::Active => Ok(Self {
                id: cached.config.server.id.as_str().to_owned(),
                issuer: cached.config.server.issuer(state.public_url()),
                base_path: format!("/oauth2/{id}/v1"),
                default_scopes: cached
                    .config
                    .scopes
                    .iter()
                    .filter(|s| s.default)
                    .map(|s| s.name.clone())
                    .collect(),
                kind: Kind::Custom(cached),
            }),
            _ => Err(ApiError::not_found(id, "AuthorizationServer").into()),
        }
    }

    /// The server a grant or token of `server_id` belongs to.
    pub async fn load_by_id(state: &AppState, server_id: &str) -> Result<Self, Refusal> {
        Self::load(state, (server_id != ORG_KEY_SET).then_some(server_id)).await
    }

    /// Whether this is the org authorization server.
    pub fn is_org(&self) -> bool {
        matches!(self.kind, Kind::Org)
    }

    /// A custom server's configuration.
    pub fn config(&self) -> Option<&ServerConfig> {
        match &self.kind {
            Kind::Org => None,
            Kind::Custom(c) => Some(&c.config),
        }
    }

    /// A custom server's claims, compiled.
    pub fn compiled_claims(&self) -> Option<&CompiledClaims> {
        match &self.kind {
            Kind::Org => None,
            Kind::Custom(c) => Some(&c.claims),
        }
    }

    /// The prefix of this server's System Log event types.
    pub fn event_prefix(&self) -> &'static str {
        match self.kind {
            Kind::Org => "app.oauth2",
            Kind::Custom(_) => "app.oauth2.as",
        }
    }

    /// The access token `aud`: the org URL, or the server's audiences (a string when one).
    pub fn audience(&self, public_url: &str) -> Value {
        match &self.kind {
            Kind::Org => json!(public_url),
            Kind::Custom(c) => match c.config.server.audiences.as_slice() {
                [one] => json!(one),
                many => json!(many),
            },
        }
    }

    /// Whether this server has the scope `scope`.
    pub fn knows_scope(&self, scope: &str) -> bool {
        match &self.kind {
            Kind::Org => OIDC_SCOPES.contains(&scope),
            Kind::Custom(c) => c.config.scopes.iter().any(|s| s.name == scope),
        }
    }

    /// What token-request validation needs to know of this server.
    pub fn view(&self) -> ServerView<'_> {
        ServerView {
            is_org: self.is_org(),
            default_scopes: &self.default_scopes,
        }
    }
}
