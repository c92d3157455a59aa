//! The handlers of [`super`]: each finds whose tokens the path names and lets the holder answer.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use serde_json::Value;
use tollgate_store::FamilyFilter;

use super::{TokenParams, app_holder, clients_of, server_holder, user_holder};
use crate::api::authorization_servers::load_server;
use crate::api::users::load_user;
use crate::http::ApiResult;
use crate::http::auth::Admin;
use crate::http::query::OktaQuery;
use crate::state::AppState;

/// `GET /api/v1/apps/{appId}/tokens`.
pub async fn list_app_tokens(
    State(state): State<AppState>,
    _admin: Admin,
    Path(app_id): Path<String>,
    uri: Uri,
    OktaQuery(params): OktaQuery<TokenParams>,
) -> ApiResult<(HeaderMap, Json<Value>)> {
    app_holder(&state, &app_id)
        .await?
        .list(&state, &uri, &params)
        .await
}

/// `GET /api/v1/apps/{appId}/tokens/{tokenId}`.
pub async fn get_app_token(
    State(state): State<AppState>,
    _admin: Admin,
    Path((app_id, token_id)): Path<(String, String)>,
    OktaQuery(params): OktaQuery<TokenParams>,
) -> ApiResult<Json<Value>> {
    app_holder(&state, &app_id)
        .await?
        .get(&state, &token_id, &params)
        .await
}

/// `DELETE /api/v1/apps/{appId}/tokens`.
pub async fn revoke_app_tokens(
    State(state): State<AppState>,
    admin: Admin,
    Path(app_id): Path<String>,
) -> ApiResult<StatusCode> {
    app_holder(&state, &app_id)
        .await?
        .revoke(&state, &admin, None)
        .await
}

/// `DELETE /api/v1/apps/{appId}/tokens/{tokenId}`.
pub async fn revoke_app_token(
    State(state): State<AppState>,
    admin: Admin,
    Path((app_id, token_id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    app_holder(&state, &app_id)
        .await?
        .revoke(&state, &admin, Some(&token_id))
        .await
}

/// `GET /api/v1/users/{userId}/clients`.
pub async fn list_user_clients(
    State(state): State<AppState>,
    _admin: Admin,
    Path(user_id): Path<String>,
) -> ApiResult<Json<Value>> {
    let user = load_user(&state, &user_id).await?;
    let user_id = user.id.to_string();
    let filter = FamilyFilter {
        user_id: Some(&user_id),
        ..FamilyFilter::default()
    };
    clients_of(
        &state,
        filter,
        &format!("/api/v1/users/{user_id}/clients"),
        true,
    )
    .await
}

/// `GET /api/v1/users/{userId}/clients/{clientId}/tokens`.
pub async fn list_user_client_tokens(
    State(state): State<AppState>,
    _admin: Admin,
    Path((user_id, client_id)): Path<(String, String)>,
    uri: Uri,
    OktaQuery(params): OktaQuery<TokenParams>,
) -> ApiResult<(HeaderMap, Json<Value>)> {
    user_holder(&state, &user_id, &client_id)
        .await?
        .list(&state, &uri, &params)
        .await
}

/// `GET /api/v1/users/{userId}/clients/{clientId}/tokens/{tokenId}`.
pub async fn get_user_client_token(
    State(state): State<AppState>,
    _admin: Admin,
    Path((user_id, client_id, token_id)): Path<(String, String, String)>,
    OktaQuery(params): OktaQuery<TokenParams>,
) -> ApiResult<Json<Value>> {
    user_holder(&state, &user_id, &client_id)
        .await?
        .get(&state, &token_id, &params)
        .await
}

/// `DELETE /api/v1/users/{userId}/clients/{clientId}/tokens`.
pub async fn revoke_user_client_tokens(
    State(state): State<AppState>,
    admin: Admin,
    Path((user_id, client_id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    user_holder(&state, &user_id, &client_id)
        .await?
        .revoke(&state, &admin, None)
        .await
}

/// `DELETE /api/v1/users/{userId}/clients/{clientId}/tokens/{tokenId}`.
pub async fn revoke_user_client_token(
    State(state): State<AppState>,
    admin: Admin,
    Path((user_id, client_id, token_id)): Path<(String, String, String)>,
) -> ApiResult<StatusCode> {
    user_holder(&state, &user_id, &client_id)
        .await?
        .revoke(&state, &admin, Some(&token_id))
        .await
}

/// `GET /api/v1/authorizationServers/{authServerId}/clients`.
pub async fn list_server_clients(
    State(state): State<AppState>,
    _admin: Admin,
    Path(server_id): Path<String>,
) -> ApiResult<Json<Value>> {
    let server = load_server(&state, &server_id).await?;
    let server_id = server.id.to_string();
    let filter = FamilyFilter {
        server_id: Some(&server_id),
        ..FamilyFilter::default()
    };
    clients_of(
        &state,
        filter,
        &format!("/api/v1/authorizationServers/{server_id}/clients"),
        false,
    )
    .await
}

/// `GET /api/v1/authorizationServers/{authServerId}/clients/{clientId}/tokens`.
pub async fn list_server_client_tokens(
    State(state): State<AppState>,
    _admin: Admin,
    Path((server_id, client_id)): Path<(String, String)>,
    uri: Uri,
    OktaQuery(params): OktaQuery<TokenParams>,
) -> ApiResult<(HeaderMap, Json<Value>)> {
    server_holder(&state, &server_id, &client_id)
        .await?
        .list(&state, &uri, &params)
        .await
}

/// `GET /api/v1/authorizationServers/{authServerId}/clients/{clientId}/tokens/{tokenId}`.
pub async fn get_server_client_token(
    State(state): State<AppState>,
    _admin: Admin,
    Path((server_id, client_id, token_id)): Path<(String, String, String)>,
    OktaQuery(params): OktaQuery<TokenParams>,
) -> ApiResult<Json<Value>> {
    server_holder(&state, &server_id, &client_id)
        .await?
        .get(&state, &token_id, &params)
        .await
}

/// `DELETE /api/v1/authorizationServers/{authServerId}/clients/{clientId}/tokens`.
pub async fn revoke_server_client_tokens(
    State(state): State<AppState>,
    admin: Admin,
    Path((server_id, client_id)): Path<(String, String)>,
) -> ApiResult<StatusCode> {
    server_holder(&state, &server_id, &client_id)
        .await?
        .revoke(&state, &admin, None)
        .await
}

/// `DELETE /api/v1/authorizationServers/{authServerId}/clients/{clientId}/tokens/{tokenId}`.
pub async fn revoke_server_client_token(
    State(state): State<AppState>,
    admin: Admin,
    Path((server_id, client_id, token_id)): Path<(String, String, String)>,
) -> ApiResult<StatusCode> {
    server_holder(&state, &server_id, &client_id)
        .await?
        .revoke(&state, &admin, Some(&token_id))
        .await
}

/// The routes of this module.
pub fn routes() -> axum::Router<AppState> {
    use axum::routing::get;
    axum::Router::new()
        .route(
            "/api/v1/apps/{id}/tokens",
            get(list_app_tokens).delete(revoke_app_tokens),
        )
        .route(
            "/api/v1/apps/{id}/tokens/{token_id}",
            get(get_app_token).delete(revoke_app_token),
        )
        .route("/api/v1/users/{id}/clients", get(list_user_clients))
        .route(
            "/api/v1/users/{id}/clients/{client_id}/tokens",
            get(list_user_client_tokens).delete(revoke_user_client_tokens),
        )
        .route(
            "/api/v1/users/{id}/clients/{client_id}/tokens/{token_id}",
            get(get_user_client_token).delete(revoke_user_client_token),
        )
        .route(
            "/api/v1/authorizationServers/{id}/clients",
            get(list_server_clients),
        )
        .route(
            "/api/v1/authorizationServers/{id}/clients/{client_id}/tokens",
            get(list_server_client_tokens).delete(revoke_server_client_tokens),
        )
        .route(
            "/api/v1/authorizationServers/{id}/clients/{client_id}/tokens/{token_id}",
            get(get_server_client_token).delete(revoke_server_client_token),
        )
}
