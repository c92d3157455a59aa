//! The routes of admin roles, their targets and API tokens, merged into the router in one line.

use axum::Router;
use axum::routing::{delete, get, put};

use crate::api;
use crate::state::AppState;

/// Admin roles of users and groups with their targets, and `/api/v1/api-tokens`.
pub fn routes() -> Router<AppState> {
    use api::api_tokens as k;
    use api::roles::{self as r, targets as t};
    let mut router = Router::new()
        .route("/api/v1/api-tokens", get(k::list_tokens))
        .route("/api/v1/api-tokens/current", delete(k::revoke_current))
        .route(
            "/api/v1/api-tokens/{id}",
            get(k::get_token).delete(k::revoke_token),
        );
    for who in ["users", "groups"] {
        let roles = format!("/api/v1/{who}/{{id}}/roles");
        let role = format!("{roles}/{{role_id}}");
        let apps = format!("{role}/targets/catalog/apps");
        router = router
            .route(&roles, get(r::list_roles).post(r::assign_role))
            .route(&role, get(r::get_role).delete(r::unassign_role))
            .route(
                &format!("{role}/targets/groups"),
                get(t::list_group_targets),
            )
            .route(
                &format!("{role}/targets/groups/{{group_id}}"),
                put(t::add_group_target).delete(t::remove_group_target),
            )
            .route(&apps, get(t::list_app_targets))
            .route(
                &format!("{apps}/{{app_name}}"),
                put(t::add_catalog_target).delete(t::remove_catalog_target),
            )
            .route(
                &format!("{apps}/{{app_name}}/{{app_id}}"),
                put(t::add_instance_target).delete(t::remove_instance_target),
            );
    }
    router
}
