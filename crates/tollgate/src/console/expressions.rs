//! The expression editor's endpoints, which `console.js` calls as an admin types:
//!
//! - `POST /admin/expressions/check` `{"context", "expression"}` answers `{"ok", "message",
//!   "position"}` from the checker a save in that place runs (any admin may ask);
//! - `POST /admin/expressions/evaluate` `{"context", "expression", "login", "app"}` answers
//!   `{"ok", "value"}` (or the problem, as check does) from the evaluation a token's claim or a
//!   group rule runs, for that user (and, for a claim, that app: its id or client id). It
//!   changes nothing and needs the right to read that user (and app).
//!
//! `context` is the place: `claim` (an authorization server's claim value), `groups-claim`
//! (an app's Groups claim expression) or `group-rule` (a rule's condition). Both take JSON
//! only, with the page's CSRF token in the `X-CSRF-Token` header.

use axum::Json;
use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};
use tollgate_core::app::App;
use tollgate_core::directory::User;
use tollgate_core::expr_check::{self, ExprProblem, ExprUse};
use tollgate_core::oauth::claims::Subject;

use crate::console::guard::{CSRF_COOKIE, ConsoleAction, ConsoleAdmin};
use crate::http::body::StrictJson;
use crate::http::{ApiError, OktaCode};
use crate::login::csrf;
use crate::state::AppState;

/// The header that carries the page's CSRF token.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// What the editor sends.
#[derive(Debug, Default, Deserialize)]
pub struct Asked {
    context: Option<String>,
    expression: Option<String>,
    login: Option<String>,
    app: Option<String>,
}

/// A JSON post from a signed-in admin whose CSRF header checks.
pub struct ConsoleJson {
    admin: ConsoleAdmin,
    asked: Asked,
}

impl FromRequest<AppState> for ConsoleJson {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let admin = ConsoleAdmin::from_request_parts(&mut parts, state).await?;
        let sent = parts
            .headers
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        if !csrf::verify(&parts.headers, CSRF_COOKIE, sent) {
            return Err(ApiError::new(OktaCode::E0000006).into_response());
        }
        let StrictJson(asked) =
            StrictJson::from_request(Request::from_parts(parts, body), state).await?;
        Ok(Self { admin, asked })
    }
}

fn problem_json(p: &ExprProblem) -> Value {
    let position = p
        .position
        .map(|p| json!({"start": p.start, "end": p.end, "line": p.line, "column": p.column}));
    json!({"ok": false, "message": p.message, "position": position})
}

/// A refusal that is about what was asked, not the expression.
fn not_ok(message: &str) -> Json<Value> {
    Json(json!({"ok": false, "message": message, "position": null}))
}

/// The place asked about, else the API's validation error.
fn place(asked: &Asked) -> Result<ExprUse, Box<Response>> {
    let context = asked.context.as_deref().unwrap_or_default();
    ExprUse::parse(context).ok_or_else(|| {
        Box::new(
            ApiError::invalid("context", "must be claim, groups-claim or group-rule")
                .into_response(),
        )
    })
}

/// `POST /admin/expressions/check`.
pub async fn check(ConsoleJson { asked, .. }: ConsoleJson) -> Result<Json<Value>, Response> {
    let use_ = place(&asked).map_err(|r| *r)?;
    let source = asked.expression.unwrap_or_default();
    Ok(Json(match expr_check::check(use_, &source) {
        Ok(()) => json!({"ok": true, "message": "Valid expression", "position": null}),
        Err(p) => problem_json(&p),
    }))
}

/// The app a claim is evaluated for: by id or client id, if this admin may read it.
async fn load_app(
    state: &AppState,
    admin: &ConsoleAdmin,
    key: &str,
) -> Result<Option<App>, Response> {
    let store = state.store();
    if key.is_empty() {
        return Ok(None);
    }
    let found = match store.find_app(key).await.map_err(failed)? {
        Some(app) => Some(app),
        None => store.find_app_by_client_id(key).await.map_err(failed)?,
    };
    let Some(app) = found else {
        return Ok(None);
    };
    if !admin
        .may(state, ConsoleAction::ViewApp, Some(app.id.as_str()))
        .await?
    {
        return Err(forbidden());
    }
    Ok(Some(app))
}

/// A store failure as the API answers it.
fn failed(e: tollgate_store::Error) -> Response {
    ApiError::from(e).into_response()
}

/// The API's 403, in its JSON.
fn forbidden() -> Response {
    ApiError::new(OktaCode::E0000006).into_response()
}

/// A claim's value for `user` and the app asked for.
async fn claim_value(
    state: &AppState,
    admin: &ConsoleAdmin,
    (asked, source): (&Asked, &str),
    user: &User,
) -> Result<Result<Value, ExprProblem>, Response> {
    let key = asked.app.as_deref().unwrap_or_default().trim();
    let Some(app) = load_app(state, admin, key).await? else {
        return Ok(Err(ExprProblem {
            message: "Choose an application to evaluate a claim for.".to_owned(),
            position: None,
        }));
    };
    let groups = state
        .caches()
        .user_groups(user.id.as_str())
        .await
        .map_err(failed)?;
    let org = state.caches().org().await.map_err(failed)?;
    let subject = Subject {
        user: Some(user),
        groups: &groups,
        app_user_name: None,
        app: &app,
        org: &org,
        scopes: &[],
        session: None,
        now: state.clock().now(),
    };
    Ok(expr_check::evaluate_claim(source, &subject))
}

/// `POST /admin/expressions/evaluate`.
pub async fn evaluate(
    State(state): State<AppState>,
    ConsoleJson { admin, asked }: ConsoleJson,
) -> Result<Json<Value>, Response> {
    let use_ = place(&asked).map_err(|r| *r)?;
    let login = asked.login.as_deref().unwrap_or_default().trim();
    let found = match login {
        "" => None,
        login => state.store().find_user(login).await.map_err(failed)?,
    };
    let Some(user) = found else {
        return Ok(not_ok("No person has this username."));
    };
    if !admin
        .may(&state, ConsoleAction::ViewUser, Some(user.id.as_str()))
        .await?
    {
        return Err(forbidden());
    }
    let source = asked.expression.clone().unwrap_or_default();
    let value = match use_ {
        ExprUse::GroupRule => expr_check::evaluate_condition(&source, &user, state.clock().now()),
        ExprUse::Claim => claim_value(&state, &admin, (&asked, &source), &user).await?,
    };
    Ok(Json(match value {
        Ok(v) => json!({"ok": true, "value": v}),
        Err(p) => problem_json(&p),
    }))
}
