//! The type-ahead behind the console's long pick lists. A `<select>` renders the first
//! [`FIRST`] choices (and always the chosen ones); with `data-picker="groups"` or
//! `data-picker="clients"` on it, `console.js` adds a **Find** search field that asks
//!
//! - `GET /admin/pickers/groups?q=` for the Okta groups (the kind a rule can assign) whose name
//!   starts with `q`, and
//! - `GET /admin/pickers/clients?q=` for the OAuth/OIDC clients whose label starts with `q`,
//!
//! each answering `{"options": [{"value", "label"}], "more": bool}` with at most [`FOUND`]
//! options (groups in creation order, clients in id order), read from the same indexed
//! searches as the lists' `q`. Any
//! admin who may list groups (or apps) may ask.

use axum::Json;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use serde_json::{Value, json};
use tollgate_core::app::{App, OIDC_NAME};
use tollgate_core::directory::{Group, GroupType};
use tollgate_core::scim::{Filter, Literal, Op};
use tollgate_store::{AppQuery, GroupQuery};

use crate::console::guard::{ConsoleAction, ConsoleAdmin};
use crate::http::ApiError;
use crate::state::AppState;

/// How many choices a pick list renders before the admin searches.
pub const FIRST: usize = 200;
/// How many matches one search answers.
pub const FOUND: usize = 20;

/// The search typed so far.
#[derive(Debug, Default, Deserialize)]
pub struct Typed {
    q: Option<String>,
}

impl Typed {
    fn prefix(&self) -> Option<String> {
        self.q
            .as_deref()
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .map(str::to_owned)
    }
}

/// Okta groups (a rule assigns only those) whose name starts with `prefix`, `limit` of them.
pub async fn okta_groups(
    state: &AppState,
    prefix: Option<String>,
    limit: usize,
) -> Result<(Vec<Group>, bool), ApiError> {
    let query = GroupQuery {
        name_prefix: prefix,
        filter: Some(Filter::Cmp {
            attr: "type".into(),
            op: Op::Eq,
            value: Literal::Str(GroupType::OktaGroup.as_str().to_owned()),
        }),
        limit,
        after: None,
    };
    Ok(state.store().list_groups(&query).await?)
}

/// OAuth/OIDC clients (apps named `oidc_client`, of no template) whose label starts with
/// `prefix`, `limit` of them.
pub async fn oidc_clients(
    state: &AppState,
    prefix: Option<String>,
    limit: usize,
) -> Result<(Vec<App>, bool), ApiError> {
    let query = AppQuery {
        label_prefix: prefix,
        limit,
        name: Some(OIDC_NAME.to_owned()),
        ..AppQuery::default()
    };
    let (apps, more) = state.store().list_apps(&query).await?;
    let clients = apps.into_iter().filter(|a| a.template.is_none()).collect();
    Ok((clients, more))
}

fn answer(options: impl Iterator<Item = (String, String)>, more: bool) -> Json<Value> {
    let options: Vec<Value> = options
        .map(|(value, label)| json!({"value": value, "label": label}))
        .collect();
    Json(json!({"options": options, "more": more}))
}

/// `GET /admin/pickers/groups?q=`.
pub async fn groups(
    State(state): State<AppState>,
    admin: ConsoleAdmin,
    Query(typed): Query<Typed>,
) -> Result<Json<Value>, Response> {
    admin
        .require(&state, ConsoleAction::ListGroups, None)
        .await?;
    let (found, more) = okta_groups(&state, typed.prefix(), FOUND)
        .await
        .map_err(axum::response::IntoResponse::into_response)?;
    let pairs = found
        .into_iter()
        .map(|g| (g.id.as_str().to_owned(), g.name().to_owned()));
    Ok(answer(pairs, more))
}

/// `GET /admin/pickers/clients?q=`.
pub async fn clients(
    State(state): State<AppState>,
    admin: ConsoleAdmin,
    Query(typed): Query<Typed>,
) -> Result<Json<Value>, Response> {
    admin.require(&state, ConsoleAction::ListApps, None).await?;
    let (found, more) = oidc_clients(&state, typed.prefix(), FOUND)
        .await
        .map_err(axum::response::IntoResponse::into_response)?;
    let pairs = found
        .into_iter()
        .map(|a| (a.credentials.client_id, a.label));
    Ok(answer(pairs, more))
}
