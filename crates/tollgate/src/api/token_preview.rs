//! `POST /api/v1/authorizationServers/{authServerId}/tokenPreview`, a Tollgate extension, not
//! part of Okta's API. Given `{"clientId", "userId", "grantType", "scopes"}` it answers what a
//! token request would get: the policy and rule that match (or why none does), the granted and
//! dropped scopes, the payloads of the ID and access tokens, and for each claim why it is in
//! or out (for groups claims, which of the user's groups were kept or dropped and why, each
//! named, with its id). It runs the token endpoints' own decision and minting functions,
//! without signing, so the preview cannot drift from what is minted.
//!
//! The reserved id `org` (the org authorization server's own name for its keys and grants)
//! previews the org server, `/oauth2/v1`: it has no policies (`policy` and `rule` are null),
//! and its ID token carries the app's groups claim (the app's Sign On tab) with the same
//! explanation as a custom server's claims.

use axum::Json;
use axum::extract::{Path, State};
use serde::Deserialize;
use serde_json::{Value, json};
use tollgate_core::app::vocab::GrantType;
use tollgate_core::oauth::claims::ClaimNote;
use tollgate_core::oauth::decision::IdShape;

use crate::http::auth::Admin;
use crate::http::body::OktaJson;
use crate::http::{ApiError, ApiResult};
use crate::oauth::decide::{Person, decide_explained};
use crate::oauth::error::Refusal;
use crate::oauth::mint::{Want, payloads};
use crate::oauth::server::AuthServer;
use crate::state::AppState;

/// The request body.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PreviewBody {
    /// The app's client id.
    pub client_id: Option<String>,
    /// The user's id or login.
    pub user_id: Option<String>,
    /// The grant type (default `implicit`).
    pub grant_type: Option<String>,
    /// The scopes asked for.
    pub scopes: Option<Vec<String>>,
}

fn notes_json(notes: &[ClaimNote]) -> Vec<Value> {
    notes
        .iter()
        .map(|n| json!({"claim": n.claim, "outcome": n.outcome, "groups": n.groups}))
        .collect()
}

fn refusal_json(r: &Refusal, result: &str, trail: Option<&[String]>) -> Value {
    let mut d = json!({"result": result, "error": r.error.code.as_str(),
                       "error_description": r.error.description, "reason": r.reason()});
    if let (Some(t), Some(map)) = (trail, d.as_object_mut()) {
        map.insert("trail".into(), json!(t));
    }
    d
}

/// A policy's or rule's `{"id", "name"}`; null on the org server, which has none.
fn named(pair: &Option<(String, String)>) -> Value {
    pair.as_ref()
        .map_or(Value::Null, |(id, name)| json!({"id": id, "name": name}))
}

/// The group decisions of explained claims (`groups.calls[].groups[]`).
fn decisions(notes: &mut [Value]) -> impl Iterator<Item = &mut Value> {
    notes
        .iter_mut()
        .filter_map(|n| n.pointer_mut("/groups/calls").and_then(Value::as_array_mut))
        .flatten()
        .filter_map(|c| c.get_mut("groups").and_then(Value::as_array_mut))
        .flatten()
}

/// Names the groups a claim's explanation knows only by id (an allow-listed group the user is
/// not in): the explanation stays readable; ids no group has keep a null name.
async fn name_groups(state: &AppState, id: &mut [Value], access: &mut [Value]) -> ApiResult<()> {
    let unnamed: Vec<String> = decisions(id)
        .chain(decisions(access))
        .filter(|g| g["name"].is_null())
        .filter_map(|g| g["id"].as_str().map(str::to_owned))
        .collect();
    if unnamed.is_empty() {
        return Ok(());
    }
    let ids: Vec<&str> = unnamed.iter().map(String::as_str).collect();
    let found = state.store().groups_by_ids(&ids).await?;
    for g in decisions(id).chain(decisions(access)) {
        if let Some(group) = found.iter().find(|f| g["id"] == f.id.as_str()) {
            g["name"] = json!(group.name());
        }
    }
    Ok(())
}

/// `POST /api/v1/authorizationServers/{authServerId}/tokenPreview`.
pub async fn token_preview(
    State(state): State<AppState>,
    _admin: Admin,
    Path(server_id): Path<String>,
    OktaJson(body): OktaJson<PreviewBody>,
) -> ApiResult<Json<Value>> {
    Ok(Json(preview(&state, &server_id, body).await?))
}

/// The preview of what a token request of `body` to server `server_id` (`org`: the org
/// authorization server) would get.
pub async fn preview(state: &AppState, server_id: &str, body: PreviewBody) -> ApiResult<Value> {
    let server = AuthServer::load_by_id(state, server_id)
        .await
        .map_err(|_| ApiError::not_found(server_id, "AuthorizationServer"))?;
    let client_id = body.client_id.unwrap_or_default();
    let app = state
        .store()
        .find_app_by_client_id(&client_id)
        .await?
        .ok_or_else(|| ApiError::invalid("clientId", "No application has this client_id"))?;
    let grant =
        GrantType::parse(body.grant_type.as_deref().unwrap_or("implicit")).ok_or_else(|| {
            ApiError::invalid(
                "grantType",
                "must be authorization_code, implicit, password or client_credentials",
            )
        })?;
    let user = match (&body.user_id, grant) {
        (_, GrantType::ClientCredentials) => None,
        (Some(id), _) => Some(
            state
                .store()
                .find_user(id)
                .await?
                .ok_or_else(|| ApiError::not_found(id, "User"))?,
        ),
        (None, _) => {
            return Err(ApiError::invalid(
                "userId",
                "is required unless grantType is client_credentials",
            ));
        }
    };
    let person = match user {
        Some(u) => Some(
            Person::load(state, u, None, Vec::new(), None)
                .await
                .map_err(|r| ApiError::internal(r.reason()))?,
        ),
        None => None,
    };
    let scopes = body.scopes.unwrap_or_default();
    let server_json = json!({"id": server.id, "issuer": server.issuer});
    let decision =
        match decide_explained(state, &server, &app, person.as_ref(), grant, &scopes).await {
            Ok(d) => d,
            Err(denial) => {
                let trail = denial.policy.as_ref().map(|d| d.trail.as_slice());
                return Ok(json!({
                    "authorizationServer": server_json,
                    "decision": refusal_json(&denial.refusal, "DENY", trail),
                }));
            }
        };
    let want = Want {
        access: true,
        id: person.is_some().then_some(IdShape::Fat),
        ..Want::default()
    };
    let p = match payloads(state, &server, &app, person.as_ref(), &decision, want, true).await {
        Ok(p) => p,
        Err(r) => {
            return Ok(json!({
                "authorizationServer": server_json,
                "decision": refusal_json(&r, "FAILURE", None),
            }));
        }
    };
    let (policy, rule) = (named(&decision.policy), named(&decision.rule));
    let mut id_notes = notes_json(&p.notes.1);
    let mut access_notes = notes_json(&p.notes.0);
    name_groups(state, &mut id_notes, &mut access_notes).await?;
    Ok(json!({
        "authorizationServer": server_json,
        "decision": {
            "result": "ALLOW",
            "policy": policy,
            "rule": rule,
            "grantedScopes": decision.scopes,
            "droppedScopes": decision.dropped,
            "lifetimes": {"accessTokenMinutes": decision.lifetimes.access_minutes, "refreshTokenMinutes": decision.lifetimes.refresh_minutes, "idTokenMinutes": 60},
            "trail": decision.trail,
        },
        "idToken": {"claims": p.id.unwrap_or_default(), "explanation": id_notes},
        "accessToken": {"claims": p.access.map(|(_, c)| c).unwrap_or_default(), "explanation": access_notes},
        "note": "the claims are those a token request gets, unsigned; jti, iat, exp, amr, auth_time and nonce are set per request",
    }))
}
