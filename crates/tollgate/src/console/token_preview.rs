//! An authorization server's **Token Preview**, `GET /admin/authorization-servers/{id}/token-preview`:
//! **OAuth/OIDC client**, **Grant type**, **User** and **Scopes**, then **Preview Token** shows
//! the ID and access token payloads and, for each groups claim, the groups kept and dropped and
//! why. It answers with `POST /api/v1/authorizationServers/{id}/tokenPreview`'s own function
//! (read-only, so the form is a `GET`). The id `org` is the org authorization server, whose ID
//! token carries the app's groups claim (its Sign On tab links here with `client` chosen); the
//! preview runs once the form is sent (with a grant type).

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use serde_json::Value;
use tollgate_core::token::keys::ORG_KEY_SET;

use crate::api::token_preview::{PreviewBody, preview};
use crate::console::guard::{ConsoleAction, ConsoleAdmin};
use crate::console::layout::{error_page, page};
use crate::console::pickers;
use crate::http::{ApiError, OktaCode};
use crate::pages::escape;
use crate::state::AppState;

const GRANTS: [(&str, &str); 4] = [
    ("authorization_code", "Authorization Code"),
    ("implicit", "Implicit"),
    ("password", "Resource Owner Password"),
    ("client_credentials", "Client Credentials"),
];

/// The form's values.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Asked {
    client: Option<String>,
    grant_type: Option<String>,
    user: Option<String>,
    scopes: Option<String>,
}

fn options(pairs: impl Iterator<Item = (String, String)>, chosen: &str) -> String {
    pairs
        .map(|(value, words)| {
            let sel = if value == chosen { " selected" } else { "" };
            format!(
                "<option value=\"{}\"{sel}>{}</option>",
                escape(&value),
                escape(&words)
            )
        })
        .collect()
}

/// The client select's choices: the chosen client (wherever it is in the list), then the
/// first clients; `console.js` adds the Find clients search for the others.
async fn client_choices(state: &AppState, chosen: &str) -> Result<Vec<(String, String)>, Response> {
    let (first, _) = pickers::oidc_clients(state, None, pickers::FIRST)
        .await
        .map_err(error_page)?;
    let mut choices: Vec<(String, String)> = first
        .into_iter()
        .map(|app| (app.credentials.client_id, app.label))
        .collect();
    if !chosen.is_empty() && !choices.iter().any(|(id, _)| id == chosen) {
        let app = state
            .store()
            .find_app_by_client_id(chosen)
            .await
            .map_err(|e| error_page(e.into()))?;
        if let Some(app) = app.filter(|a| a.template.is_none()) {
            choices.insert(0, (app.credentials.client_id, app.label));
        }
    }
    Ok(choices)
}

async fn form_html(state: &AppState, id: &str, a: &Asked) -> Result<String, Response> {
    let chosen = a.client.as_deref().unwrap_or_default();
    let clients = client_choices(state, chosen).await?.into_iter();
    let grants = GRANTS
        .iter()
        .map(|(v, w)| ((*v).to_owned(), (*w).to_owned()));
    let grant = a.grant_type.as_deref().unwrap_or("implicit");
    Ok(format!(
        "<form method=\"get\" action=\"/admin/authorization-servers/{id}/token-preview\">\
         <label for=\"tp-client\">OAuth/OIDC client</label><select id=\"tp-client\" name=\"client\" data-picker=\"clients\">{clients}</select>\
         <label for=\"tp-grant\">Grant type</label><select id=\"tp-grant\" name=\"grantType\">{grants}</select>\
         <label for=\"tp-user\">User</label><input type=\"text\" id=\"tp-user\" name=\"user\" value=\"{user}\" autocomplete=\"off\">\
         <label for=\"tp-scopes\">Scopes</label><input type=\"text\" id=\"tp-scopes\" name=\"scopes\" value=\"{scopes}\">\
         <div class=\"actions\"><button type=\"submit\" class=\"primary\">Preview Token</button></div></form>",
        id = escape(id),
        clients = options(clients, chosen),
        grants = options(grants, grant),
        user = escape(a.user.as_deref().unwrap_or_default()),
        scopes = escape(a.scopes.as_deref().unwrap_or("openid groups")),
    ))
}

/// One row per group a groups claim considered: kept, or dropped and why.
fn groups_rows(explanation: &Value) -> String {
    let notes = explanation
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let mut rows = String::new();
    for note in notes {
        let claim = note["claim"].as_str().unwrap_or_default();
        let calls = note
            .pointer("/groups/calls")
            .unwrap_or(&Value::Null)
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default();
        for g in calls
            .iter()
            .filter_map(|c| c["groups"].as_array())
            .flatten()
        {
            let verdict = match (g["kept"].as_bool(), g["reason"].as_str()) {
                (Some(true), _) => "Kept".to_owned(),
                (_, Some(reason)) => format!("Dropped: {reason}"),
                _ => "Dropped".to_owned(),
            };
            let name = g["name"].as_str().unwrap_or("Unknown group");
            rows.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td></tr>",
                escape(claim),
                escape(name),
                escape(&verdict),
                escape(g["id"].as_str().unwrap_or_default())
            ));
        }
    }
    rows
}

fn token_html(title: &str, token: &Value) -> String {
    let payload = serde_json::to_string_pretty(&token["claims"]).unwrap_or_default();
    let rows = groups_rows(&token["explanation"]);
    let table = if rows.is_empty() {
        String::new()
    } else {
        format!(
            "<table><caption>{title}: groups kept and dropped</caption><thead><tr><th scope=\"col\">Claim</th>\
             <th scope=\"col\">Group</th><th scope=\"col\">Outcome</th><th scope=\"col\">ID</th></tr></thead><tbody>{rows}</tbody></table>"
        )
    };
    format!(
        "<h2>{title}</h2><pre tabindex=\"0\" aria-label=\"{title} payload\">{}</pre>{table}",
        escape(&payload)
    )
}

/// The preview's answer: the tokens, or why the request would be refused.
fn result_html(v: &Value) -> String {
    let decision = &v["decision"];
    if decision["result"] != "ALLOW" {
        return format!(
            "<h2>Result</h2><p role=\"alert\" class=\"error\">{}: {}</p>",
            escape(decision["error"].as_str().unwrap_or_default()),
            escape(
                decision["reason"]
                    .as_str()
                    .or(decision["error_description"].as_str())
                    .unwrap_or_default()
            ),
        );
    }
    let name = |what: &str| {
        let n = decision
            .pointer(&format!("/{what}/name"))
            .and_then(Value::as_str);
        escape(n.unwrap_or_default())
    };
    let granted = decision["grantedScopes"].as_array().map(Vec::as_slice);
    let granted: Vec<&str> = granted
        .unwrap_or_default()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let because = if decision["policy"].is_null() {
        "The org authorization server grants the scopes asked for".to_owned()
    } else {
        format!("Policy {}, rule {}", name("policy"), name("rule"))
    };
    format!(
        "<p role=\"status\" class=\"notice\">{because}: {scopes}.</p>{id}{access}",
        scopes = escape(&granted.join(" ")),
        id = token_html("ID token", &v["idToken"]),
        access = token_html("Access token", &v["accessToken"]),
    )
}

/// Why the preview could not run (an unknown user or client): next to the form.
fn refusal_html(e: &ApiError) -> String {
    let detail = if e.causes.is_empty() {
        e.summary.clone()
    } else {
        e.causes.join(" ")
    };
    format!("<p role=\"alert\" class=\"error\">{}</p>", escape(&detail))
}

/// `GET /admin/authorization-servers/{id}/token-preview`.
pub async fn show(
    State(state): State<AppState>,
    admin: ConsoleAdmin,
    Path(id): Path<String>,
    Query(asked): Query<Asked>,
) -> Result<Response, Response> {
    admin
        .require(&state, ConsoleAction::PreviewToken, Some(&id))
        .await?;
    let result = match (&asked.client, &asked.grant_type) {
        (None, _) | (_, None) => String::new(),
        (Some(client), Some(_)) => {
            let body = PreviewBody {
                client_id: Some(client.clone()),
                user_id: asked.user.clone().filter(|u| !u.trim().is_empty()),
                grant_type: asked.grant_type.clone(),
                scopes: asked
                    .scopes
                    .as_ref()
                    .map(|s| s.split_whitespace().map(str::to_owned).collect()),
            };
            match preview(&state, &id, body).await {
                Ok(answer) => result_html(&answer),
                Err(e) if e.code != OktaCode::E0000009 => refusal_html(&e),
                Err(e) => return Err(error_page(e)),
            }
        }
    };
    let back = if id == ORG_KEY_SET {
        "<p>Org Authorization Server (<code>/oauth2/v1</code>)</p>\
         <p><a href=\"/admin/authorization-servers\">Back to Authorization Servers</a></p>"
            .to_owned()
    } else {
        format!(
            "<p><a href=\"/admin/authorization-servers/{}\">Back to the authorization server</a></p>",
            escape(&id)
        )
    };
    let main = format!(
        "<h1>Token Preview</h1>{back}{form}{result}",
        form = form_html(&state, &id, &asked).await?,
    );
    page(&state, &admin, StatusCode::OK, "Token Preview", &main).await
}
