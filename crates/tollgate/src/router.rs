//! Every route in one place, grouped by surface, and the middleware stack.

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use tower_http::catch_panic::CatchPanicLayer;

use crate::api;
use crate::http::cors;
use crate::http::headers::okta_headers;
use crate::http::{ApiError, OktaCode};
use crate::http::{limits, throttle};
use crate::state::AppState;
use crate::{login, oauth};

/// The whole HTTP surface.
///
/// Middleware order, outermost first: the request id, client address, metrics and access log
/// ([`crate::http::observe`]); panics become `E0000009` (so even a panic in another layer is
/// answered in Okta's shape); then `X-Okta-Request-Id`, `no-store` on `/api/` and the
/// one log line for internal errors; then framing limits (413/414/431 in Okta's shape, before
/// any body is read); then rate limits per endpoint family (a 429 carries a request id).
pub fn router(state: AppState) -> Router {
    let metrics = match state.metrics_on_main() {
        true => Router::new().route("/metrics", get(crate::telemetry::prometheus::metrics)),
        false => Router::new(),
    };
    let routes = Router::new()
        .merge(metrics)
        .merge(api::refresh_tokens::routes())
        .merge(api::apps::grants::routes())
        .merge(api::apps::keys::routes())
        .merge(api::apps::logo::routes())
        .merge(api::policies::routes())
        .merge(crate::saml::routes())
        .merge(api::org::preferences::routes())
        .route("/", get(crate::pages::home::home))
        .route("/healthz", get(api::health::healthz))
        .merge(api::group_rules::routes())
        .merge(api::users::credentials::routes())
        .merge(api::users::related::routes())
        .merge(api::users::subscriptions::routes())
        .merge(api::authorization_servers::associated::routes())
        .merge(login::reset::routes())
        .merge(crate::console::routes())
        .route("/readyz", get(api::health::readyz))
        .route(
            "/api/v1/org",
            get(api::org::get_org)
                .post(api::org::update_org)
                .put(api::org::replace_org),
        )
        .route(
            "/api/v1/groups",
            get(api::groups::list_groups).post(api::groups::create_group),
        )
        .route(
            "/api/v1/groups/{id}",
            get(api::groups::get_group)
                .put(api::groups::replace_group)
                .delete(api::groups::delete_group),
        )
        .route("/api/v1/groups/{id}/users", get(api::groups::list_members))
        .route("/api/v1/logs", get(api::logs::list_logs))
        .route(
            "/api/v1/internal/apps/{id}/settings/oauth/idToken",
            get(api::app_id_token::get_setting).post(api::app_id_token::set_setting),
        )
        .route(
            "/api/v1/authorizationServers/{id}/tokenPreview",
            post(api::token_preview::token_preview),
        )
        .route("/api/v1/sessions", post(api::sessions::create_session))
        .route(
            "/api/v1/sessions/{id}",
            get(api::sessions::get_session).delete(api::sessions::delete_session),
        )
        .route(
            "/api/v1/sessions/{id}/lifecycle/refresh",
            post(api::sessions::refresh_session),
        )
        .route(
            "/api/v1/users/{id}/sessions",
            axum::routing::delete(api::sessions::delete_user_sessions),
        )
        .route("/login", get(login::page::show).post(login::page::submit))
        .route("/login/done", get(login::page::done))
        .route(
            "/home/{app_name}/{app_id}/{link_id}",
            get(crate::pages::launch::launch_app),
        )
        .merge(login::forgot::routes())
        .route(
            "/oauth2/v1/authorize",
            get(oauth::authorize::authorize_request).post(oauth::authorize::authorize_request),
        )
        .route(
            "/oauth2/{server_id}/v1/authorize",
            get(oauth::authorize::authorize_request).post(oauth::authorize::authorize_request),
        )
        .route(
            "/api/v1/groups/{id}/users/{user_id}",
            put(api::groups::add_member).delete(api::groups::remove_member),
        )
        .route(
            "/api/v1/users",
            get(api::users::list_users).post(api::users::create_user),
        )
        .route(
            "/api/v1/users/{id}",
            get(api::users::get_user)
                .post(api::users::update_user)
                .put(api::users::replace_user)
                .delete(api::users::delete_user),
        )
        .route(
            "/api/v1/users/{id}/groups",
            get(api::users::list_user_groups),
        )
        .route(
            "/api/v1/users/{id}/lifecycle/{op}",
            post(api::users::lifecycle::lifecycle),
        )
        .route(
            "/api/v1/apps",
            get(api::apps::list_apps).post(api::apps::create_app),
        )
        .route(
            "/api/v1/apps/{id}",
            get(api::apps::get_app)
                .put(api::apps::replace_app)
                .post(api::apps::replace_app)
                .delete(api::apps::delete_app),
        )
        .route(
            "/api/v1/apps/{id}/lifecycle/activate",
            post(api::apps::activate_app),
        )
        .route(
            "/api/v1/apps/{id}/lifecycle/deactivate",
            post(api::apps::deactivate_app),
        )
        .route(
            "/api/v1/apps/{id}/users",
            get(api::apps::assignments::list_app_users).post(api::apps::assignments::assign_user),
        )
        .route(
            "/api/v1/apps/{id}/users/{user_id}",
            get(api::apps::assignments::get_app_user)
                .post(api::apps::assignments::update_app_user)
                .delete(api::apps::assignments::unassign_user),
        )
        .route(
            "/api/v1/apps/{id}/groups",
            get(api::apps::assignments::list_app_groups),
        )
        .route(
            "/api/v1/apps/{id}/groups/{group_id}",
            get(api::apps::assignments::get_app_group)
                .put(api::apps::assignments::assign_group)
                .delete(api::apps::assignments::unassign_group),
        )
        .route(
            "/api/v1/groups/{id}/apps",
            get(api::apps::assignments::list_group_apps),
        )
        .route(
            "/api/v1/users/{id}/appLinks",
            get(api::apps::assignments::list_app_links),
        )
        .merge(authorization_servers())
        .merge(trusted_origins())
        .merge(api::schemas::routes())
        .merge(api::roles::routes::routes())
        .merge(cors::wrap(browser_routes(), &state))
        .route(
            "/api/v1/authorizationServers/{id}/credentials/keys",
            get(api::keys::list_keys),
        )
        .route(
            "/api/v1/authorizationServers/{id}/credentials/keys/{kid}",
            get(api::keys::get_key),
        )
        .route(
            "/api/v1/authorizationServers/{id}/credentials/lifecycle/keyRotate",
            post(api::keys::rotate_keys),
        )
        .merge(logout_routes())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(from_fn_with_state(
            state.clone(),
            crate::http::invalidate::invalidate_on_write,
        ))
        .layer(DefaultBodyLimit::max(limits::MAX_BODY_BYTES))
        .layer(from_fn_with_state(state.clone(), throttle::rate_limit))
        .layer(from_fn(limits::framing))
        .layer(from_fn(okta_headers))
        // The console's headers, on all under `/admin` (its 404/405/413/429 too).
        .layer(from_fn(crate::console::console_headers))
        .layer(CatchPanicLayer::custom(|_| {
            ApiError::internal("handler panicked").into_response()
        }))
        .layer(from_fn_with_state(
            state.clone(),
            crate::http::observe::observe,
        ))
        .with_state(state);
    crate::http::path::collapsing_slashes(routes)
}

/// RP-initiated logout: a browser navigation, never a cross-origin call.
fn logout_routes() -> Router<AppState> {
    use oauth::logout;
    Router::new()
        .route(
            "/oauth2/v1/logout",
            get(logout::end_session).post(logout::end_session),
        )
        .route(
            "/oauth2/{server_id}/v1/logout",
            get(logout::end_session).post(logout::end_session),
        )
}

/// The routes browser code calls cross-origin, under the CORS layer (trusted origins only).
fn browser_routes() -> Router<AppState> {
    use oauth::discovery as d;
    use oauth::{introspect, revoke, token, userinfo};
    Router::new()
        .route("/oauth2/v1/token", post(token::request_token))
        .route("/oauth2/{server_id}/v1/token", post(token::request_token))
        .route(
            "/oauth2/v1/userinfo",
            get(userinfo::get_userinfo).post(userinfo::get_userinfo),
        )
        .route(
            "/oauth2/{server_id}/v1/userinfo",
            get(userinfo::get_userinfo).post(userinfo::get_userinfo),
        )
        .route("/oauth2/v1/introspect", post(introspect::introspect_token))
        .route(
            "/oauth2/{server_id}/v1/introspect",
            post(introspect::introspect_token),
        )
        .route("/oauth2/v1/revoke", post(revoke::revoke_token))
        .route("/oauth2/{server_id}/v1/revoke", post(revoke::revoke_token))
        .route("/api/v1/authn", post(api::authn::authn))
        .merge(api::authn_recovery::routes())
        .route(
            "/api/v1/authn/credentials/change_password",
            post(api::authn::change_password),
        )
        .route(
            "/api/v1/sessions/me",
            get(api::sessions::get_my_session).delete(api::sessions::delete_my_session),
        )
        .route(
            "/api/v1/sessions/me/lifecycle/refresh",
            post(api::sessions::refresh_my_session),
        )
        .route("/oauth2/v1/keys", get(oauth::keys::org_keys))
        .route("/oauth2/{server_id}/v1/keys", get(oauth::keys::server_keys))
        .route(
            "/.well-known/openid-configuration",
            get(d::org_openid_configuration),
        )
        .route(
            "/.well-known/oauth-authorization-server",
            get(d::org_oauth_metadata),
        )
        .route(
            "/oauth2/{server_id}/.well-known/openid-configuration",
            get(d::server_openid_configuration),
        )
        .route(
            "/oauth2/{server_id}/.well-known/oauth-authorization-server",
            get(d::server_oauth_metadata),
        )
        .route(
            "/.well-known/oauth-authorization-server/oauth2/{server_id}",
            get(d::server_oauth_metadata),
        )
}

/// `/api/v1/trustedOrigins/...`.
fn trusted_origins() -> Router<AppState> {
    use api::trusted_origins as t;
    const T: &str = "/api/v1/trustedOrigins";
    Router::new()
        .route(T, get(t::list_origins).post(t::create_origin))
        .route(
            &format!("{T}/{{id}}"),
            get(t::get_origin)
                .put(t::replace_origin)
                .delete(t::delete_origin),
        )
        .route(
            &format!("{T}/{{id}}/lifecycle/activate"),
            post(t::activate_origin),
        )
        .route(
            &format!("{T}/{{id}}/lifecycle/deactivate"),
            post(t::deactivate_origin),
        )
}

/// `/api/v1/authorizationServers/...`: servers, scopes, claims, policies and rules.
fn authorization_servers() -> Router<AppState> {
    use api::authorization_servers::{self as a, claims, policies, rules, scopes};
    const S: &str = "/api/v1/authorizationServers";
    Router::new()
        .route(S, get(a::list_servers).post(a::create_server))
        .route(
            &format!("{S}/{{id}}"),
            get(a::get_server)
                .put(a::replace_server)
                .delete(a::delete_server),
        )
        .route(
            &format!("{S}/{{id}}/lifecycle/activate"),
            post(a::activate_server),
        )
        .route(
            &format!("{S}/{{id}}/lifecycle/deactivate"),
            post(a::deactivate_server),
        )
        .route(
            &format!("{S}/{{id}}/scopes"),
            get(scopes::list_scopes).post(scopes::create_scope),
        )
        .route(
            &format!("{S}/{{id}}/scopes/{{scope_id}}"),
            get(scopes::get_scope)
                .put(scopes::replace_scope)
                .delete(scopes::delete_scope),
        )
        .route(
            &format!("{S}/{{id}}/claims"),
            get(claims::list_claims).post(claims::create_claim),
        )
        .route(
            &format!("{S}/{{id}}/claims/{{claim_id}}"),
            get(claims::get_claim)
                .put(claims::replace_claim)
                .delete(claims::delete_claim),
        )
        .route(
            &format!("{S}/{{id}}/policies"),
            get(policies::list_policies).post(policies::create_policy),
        )
        .route(
            &format!("{S}/{{id}}/policies/{{policy_id}}"),
            get(policies::get_policy)
                .put(policies::replace_policy)
                .delete(policies::delete_policy),
        )
        .route(
            &format!("{S}/{{id}}/policies/{{policy_id}}/lifecycle/activate"),
            post(policies::activate_policy),
        )
        .route(
            &format!("{S}/{{id}}/policies/{{policy_id}}/lifecycle/deactivate"),
            post(policies::deactivate_policy),
        )
        .route(
            &format!("{S}/{{id}}/policies/{{policy_id}}/rules"),
            get(rules::list_rules).post(rules::create_rule),
        )
        .route(
            &format!("{S}/{{id}}/policies/{{policy_id}}/rules/{{rule_id}}"),
            get(rules::get_rule)
                .put(rules::replace_rule)
                .delete(rules::delete_rule),
        )
        .route(
            &format!("{S}/{{id}}/policies/{{policy_id}}/rules/{{rule_id}}/lifecycle/activate"),
            post(rules::activate_rule),
        )
        .route(
            &format!("{S}/{{id}}/policies/{{policy_id}}/rules/{{rule_id}}/lifecycle/deactivate"),
            post(rules::deactivate_rule),
        )
}

/// Okta's 404 for a path no route serves (also the metrics listener's fallback).
pub(crate) async fn not_found() -> Response {
    ApiError::new(OktaCode::E0000008).into_response()
}

async fn method_not_allowed() -> Response {
    ApiError::new(OktaCode::E0000022).into_response()
}
