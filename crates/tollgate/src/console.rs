//! The admin console under `/admin`: server-rendered pages for what Okta's admins do in its
//! Admin Console, built on the management API's own core and store functions and its
//! authorization decision. No external asset; one stylesheet and one small script of our own
//! (`console.js`: the expression editor's live check and the long pick lists' search; every
//! page works without it).
//!
//! Pages: Directory > People (search, add person, profile, lifecycle, groups, applications),
//! Groups (search, add group, members, applications) and Group Rules; Applications >
//! Applications (list and search, Create App Integration for OpenID Connect, bookmark, SAML 2.0,
//! SWA, Basic Authentication and the catalog template apps, and an app's General, Sign On and
//! Assignments tabs);
//! Security > API: Authorization Servers (Settings, Scopes, Claims, Access Policies, Keys, Token
//! Preview), Tokens and Trusted Origins; Reports > System Log.

mod action;
mod api_tokens;
mod app_kinds;
mod app_secrets;
mod apps;
mod assign_posts;
mod assignments;
mod authz;
mod create_app;
mod expressions;
mod fields;
mod general_settings;
mod group;
mod group_rule_form;
mod group_rules;
mod groups;
mod guard;
mod layout;
mod lifecycle_buttons;
mod list_fields;
mod log_rows;
mod origin_form;
mod people;
mod person;
mod pickers;
mod post;
mod script;
mod sections;
mod sign_on;
mod signout;
mod style;
mod system_log;
mod template_kinds;
mod token_preview;
mod trusted_origins;
mod words;

use axum::Router;
use axum::routing::{get, post};

use crate::state::AppState;

pub use layout::console_headers;

/// The console's routes. Their headers come from [`console_headers`], which the router puts
/// around everything so that even its own answers under `/admin` (405, 413, 429) carry them.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin", get(apps::home))
        .route("/admin/console.css", get(style::stylesheet))
        .route("/admin/apps", get(apps::list_apps))
        .route(
            "/admin/apps/new",
            get(create_app::show).post(create_app::create),
        )
        .route("/admin/apps/{id}", get(apps::general))
        .route("/admin/apps/{id}/profile", post(apps::save_profile))
        .route(
            "/admin/apps/{id}/general",
            get(general_settings::edit).post(general_settings::save),
        )
        .route("/admin/apps/{id}/secrets", post(app_secrets::change))
        .route(
            "/admin/apps/{id}/sign-on",
            get(sign_on::show).post(sign_on::save),
        )
        .route("/admin/people", get(people::list).post(people::add))
        .route("/admin/people/new", get(people::new))
        .route("/admin/people/{id}", get(person::show))
        .route("/admin/people/{id}/profile", post(person::save_profile))
        .route(
            "/admin/people/{id}/lifecycle/{op}",
            post(person::run_lifecycle),
        )
        .route("/admin/people/{id}/delete", post(person::delete))
        .route("/admin/groups", get(groups::list).post(groups::add))
        .route("/admin/groups/new", get(groups::new))
        .route("/admin/groups/{id}", get(group::show))
        .route("/admin/groups/{id}/members", post(group::add_member))
        .route(
            "/admin/groups/{id}/members/{user}/remove",
            post(group::remove_member),
        )
        .route("/admin/signout", post(signout::sign_out))
        .route("/admin/apps/{id}/assignments", get(assignments::show))
        .route(
            "/admin/apps/{id}/assignments/people",
            post(assign_posts::assign_person),
        )
        .route(
            "/admin/apps/{id}/assignments/groups",
            post(assign_posts::assign_group),
        )
        .route(
            "/admin/apps/{id}/assignments/people/{user}/remove",
            post(assign_posts::remove_person),
        )
        .route(
            "/admin/apps/{id}/assignments/groups/{group}/remove",
            post(assign_posts::remove_group),
        )
        .route("/admin/system-log", get(system_log::show))
        .route("/admin/system-log/tail", get(system_log::tail))
        .route(
            "/admin/api-tokens",
            get(api_tokens::list).post(api_tokens::create),
        )
        .route(
            "/admin/api-tokens/{id}/revoke",
            post(api_tokens::revoke_token),
        )
        .merge(authz::routes())
        .route("/admin/console.js", get(script::script))
        .route("/admin/expressions/check", post(expressions::check))
        .route("/admin/expressions/evaluate", post(expressions::evaluate))
        .route("/admin/pickers/groups", get(pickers::groups))
        .route("/admin/pickers/clients", get(pickers::clients))
        .route(
            "/admin/groups/rules",
            get(group_rules::list).post(group_rule_form::add),
        )
        .route("/admin/groups/rules/new", get(group_rule_form::new))
        .route("/admin/groups/rules/{id}", post(group_rule_form::save))
        .route("/admin/groups/rules/{id}/edit", get(group_rule_form::edit))
        .route("/admin/groups/rules/{id}/{op}", post(group_rules::change))
        .route(
            "/admin/authorization-servers/{id}/token-preview",
            get(token_preview::show),
        )
        .route(
            "/admin/trusted-origins",
            get(trusted_origins::list).post(origin_form::add),
        )
        .route("/admin/trusted-origins/new", get(origin_form::new))
        .route(
            "/admin/trusted-origins/{id}",
            get(origin_form::edit).post(origin_form::save),
        )
        .route(
            "/admin/trusted-origins/{id}/{op}",
            post(trusted_origins::change),
        )
        .route("/admin/{*rest}", get(apps::not_found))
}
