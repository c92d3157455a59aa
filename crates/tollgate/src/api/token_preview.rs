//! `POST /api/v1/authorizationServers/{authServerId}/tokenPreview` — a Tollgate extension, not
//! part of Okta's API. Given `{"clientId", "userId", "grantType", "scopes"}` it answers what a
//! token request would get: the policy and rule that match (or why none does), the granted and
//! dropped scopes, the claims of the ID token and of the access token, and for each claim why it
//! is in or out — for groups claims, which of the user's groups were kept or dropped and why.
//! It runs the same decision and claim functions as the token endpoints.

use std::collections::HashSet;

use axum::Json;
use axum::extract::{Path, State};
use serde::Deserialize;
use serde_json::{Map, Value, json};
use tollgate_core::app::vocab::GrantType;
use tollgate_core::oauth::claims::{Assembled, Subject, Token, assemble, context};
use tollgate_core::oauth::policy::{Person, Request, evaluate};

use crate::http::{ApiError, ApiResult};
use crate::http::auth::Admin;
use crate::http::body::OktaJson;
use crate::state::AppState;

/// The request body.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PreviewBody {
    client_id: Option<String>,
    user_id: Option<String>,
    grant_type: Option<String>,
    scopes: Option<Vec<String>>,
}

fn notes_json(a: &Assembled) -> Vec<Value> {
    a.notes
        .iter()
        .map(|n| json!({"claim": n.claim, "outcome": n.outcome, "groups": n.groups}))
        .collect()
}

/// `POST /api/v1/authorizationServers/{authServerId}/tokenPreview`.
pub async fn token_preview(
    State(state): State<AppState>,
    _admin: Admin,
    Path(server_id): Path<String>,
    OktaJson(body): OktaJson<PreviewBody>,
) -> ApiResult<Json<Value>> {
    let config = state
        .store()
        .server_config(&server_id)
        .await?
        .ok_or_else(|| ApiError::not_found(&server_id, "AuthorizationServer"))?;
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
    let scopes = body.scopes.unwrap_or_default();
    let groups = match &user {
        Some(u) => state.store().groups_of_user(u.id.as_str()).await?,
        None => Vec::new(),
    };
    let server_json =
        json!({"id": config.server.id, "issuer": config.server.issuer(state.public_url())});

    if let Some(u) = &user
        && !state
            .store()
            .is_user_assigned(app.id.as_str(), u.id.as_str())
            .await?
    {
        return Ok(Json(json!({
            "authorizationServer": server_json,
            "decision": {"result": "DENY", "error": "access_denied",
                         "error_description": "User is not assigned to the client application.",
                         "reason": format!("user {} is not assigned to app {} directly or through a group", u.id, app.id)},
        })));
    }
    let group_ids: HashSet<&str> = groups.iter().map(|g| g.id.as_str()).collect();
    let person = user.as_ref().map(|u| Person {
        user_id: u.id.as_str(),
        group_ids: &group_ids,
    });
    let request = Request {
        client_id: &app.credentials.client_id,
        grant,
        scopes: &scopes,
        person,
    };
    let granted = match evaluate(&config.policies, &request) {
        Ok(g) => g,
        Err(denied) => {
            return Ok(Json(json!({
                "authorizationServer": server_json,
                "decision": {"result": "DENY", "error": "access_denied", "error_description": denied.description,
                             "reason": denied.reason(), "trail": denied.trail},
            })));
        }
    };
    let org = state.store().org().await?;
    let subject = Subject {
        user: user.as_ref(),
        groups: &groups,
        app_user_name: None,
        app: &app,
        org: &org,
        scopes: &granted.scopes,
        session: None,
        now: state.clock().now(),
    };
    let ctx = context(&subject);
    let claim_error = |f: tollgate_core::oauth::claims::ClaimFailure| json!({"result": "FAILURE", "error": "server_error", "error_description": f.description, "reason": f.detail, "claim": f.claim});
    let id = match assemble(
        &config.claims,
        Token::Id { thin: false },
        &subject,
        &ctx,
        true,
    ) {
        Ok(a) => a,
        Err(f) => {
            return Ok(Json(
                json!({"authorizationServer": server_json, "decision": claim_error(f)}),
            ));
        }
    };
    let access = match assemble(&config.claims, Token::Access, &subject, &ctx, true) {
        Ok(a) => a,
        Err(f) => {
            return Ok(Json(
                json!({"authorizationServer": server_json, "decision": claim_error(f)}),
            ));
        }
    };
    let issuer = config.server.issuer(state.public_url());
    let mut id_claims = Map::new();
    if let Some(u) = &user {
        id_claims.insert("sub".into(), json!(u.id));
    }
    id_claims.insert("ver".into(), json!(1));
    id_claims.insert("iss".into(), json!(issuer));
    id_claims.insert("aud".into(), json!(app.credentials.client_id));
    id_claims.insert("idp".into(), json!(org.id));
    id_claims.extend(id.claims.clone());
    let mut at_claims = Map::new();
    at_claims.insert("ver".into(), json!(1));
    at_claims.insert("iss".into(), json!(issuer));
    let aud = match config.server.audiences.as_slice() {
        [one] => json!(one),
        many => json!(many),
    };
    at_claims.insert("aud".into(), aud);
    at_claims.insert("cid".into(), json!(app.credentials.client_id));
    if let Some(u) = &user {
        at_claims.insert("uid".into(), json!(u.id));
    }
    at_claims.insert("scp".into(), json!(granted.scopes));
    at_claims.extend(access.claims.clone());
    Ok(Json(json!({
        "authorizationServer": server_json,
        "decision": {
            "result": "ALLOW",
            "policy": {"id": granted.policy_id, "name": granted.policy_name},
            "rule": {"id": granted.rule_id, "name": granted.rule_name},
            "grantedScopes": granted.scopes,
            "droppedScopes": granted.dropped,
            "lifetimes": {"accessTokenMinutes": granted.lifetimes.access_minutes, "refreshTokenMinutes": granted.lifetimes.refresh_minutes, "idTokenMinutes": 60},
            "trail": granted.trail,
        },
        "idToken": {"claims": id_claims, "explanation": notes_json(&id)},
        "accessToken": {"claims": at_claims, "explanation": notes_json(&access)},
        "note": "iat, exp, jti, amr, auth_time and nonce are set when a token is minted",
    })))
}
