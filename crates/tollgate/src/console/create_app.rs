//! Applications > **Create App Integration**: `GET /admin/apps/new` and its form's `POST`. The
//! form becomes the body an SDK would send to `POST /api/v1/apps` and is saved by the same
//! function, so every rule and event is the API's. OpenID Connect (web, single-page, native,
//! service), bookmark, SAML 2.0, SWA, Basic Authentication and the catalog templates (SWA
//! plugin apps, Secure Password Store, WS-Federation, Okta Org2Org) can be made here.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use crate::api::apps::json::AppBody;
use crate::api::apps::save_new;
use crate::console::app_kinds;
use crate::console::app_secrets::new_secret_html;
use crate::console::guard::{ConsoleAction, ConsoleAdmin, Form};
use crate::console::layout::{csrf_field, error_page, page, redirect};
use crate::console::post::ConsolePost;
use crate::console::template_kinds;
use crate::http::OktaCode;
use crate::pages::escape;
use crate::state::AppState;

/// The kinds offered: form value, label, and for OIDC the `application_type`.
const KINDS: [(&str, &str); 5] = [
    ("web", "OIDC - Web Application"),
    ("browser", "OIDC - Single-Page Application"),
    ("native", "OIDC - Native Application"),
    ("service", "OIDC - API Services"),
    ("bookmark", "Bookmark App"),
];

/// The body an SDK would send for what the form says.
fn body_of(form: &Form) -> Value {
    let label = form.get("label");
    let kind = form.get("kind");
    if let Some(body) =
        app_kinds::body_of(&kind, form).or_else(|| template_kinds::body_of(&kind, form))
    {
        return body;
    }
    if kind == "bookmark" {
        return json!({"name": "bookmark", "label": label, "signOnMode": "BOOKMARK",
                      "settings": {"app": {"url": form.get("url"), "requestIntegration": false}}});
    }
    let redirects: Vec<String> = form
        .get("redirect_uris")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    let (method, grants, responses) = match kind.as_str() {
        "browser" | "native" => ("none", vec!["authorization_code"], vec!["code"]),
        "service" => (
            "client_secret_basic",
            vec!["client_credentials"],
            vec!["token"],
        ),
        _ => (
            "client_secret_basic",
            vec!["authorization_code"],
            vec!["code"],
        ),
    };
    let mut settings = serde_json::Map::new();
    settings.insert("application_type".into(), json!(kind));
    settings.insert("grant_types".into(), json!(grants));
    settings.insert("response_types".into(), json!(responses));
    if kind != "service" {
        settings.insert("redirect_uris".into(), json!(redirects));
    }
    json!({"name": "oidc_client", "label": label, "signOnMode": "OPENID_CONNECT",
           "credentials": {"oauthClient": {"token_endpoint_auth_method": method}},
           "settings": {"oauthClient": settings}})
}

/// The form; after a refusal, what was typed, the summary and the API's causes (those about
/// a template's field are shown next to it).
fn form_html(
    admin: &ConsoleAdmin,
    form: Option<&Form>,
    refusal: Option<(&str, &[String])>,
) -> String {
    let chosen = form
        .map(|f| f.get("kind"))
        .unwrap_or_else(|| "web".to_owned());
    let value = |name: &str| escape(&form.map(|f| f.get(name)).unwrap_or_default());
    let options: String = KINDS
        .iter()
        .copied()
        .chain(app_kinds::OTHER_KINDS)
        .chain(template_kinds::kinds())
        .map(|(v, label)| {
            let checked = if *v == chosen { " checked" } else { "" };
            format!(
                "<div><input type=\"radio\" id=\"kind-{v}\" name=\"kind\" value=\"{v}\"{checked}>\
                 <label for=\"kind-{v}\">{label}</label></div>"
            )
        })
        .collect();
    let causes = refusal.map_or(&[][..], |(_, causes)| causes);
    let alert = refusal.map_or(String::new(), |(summary, causes)| {
        let rest: Vec<&str> = causes
            .iter()
            .filter(|c| !template_kinds::shown_by_field(&chosen, c))
            .map(String::as_str)
            .collect();
        let text = if rest.is_empty() {
            summary.to_owned()
        } else {
            rest.join(" ")
        };
        format!(
            "<p role=\"alert\" id=\"create-error\" class=\"error\">{}</p>",
            escape(&text)
        )
    });
    format!(
        "<h1>Create App Integration</h1>{alert}<form method=\"post\" action=\"/admin/apps/new\">{csrf}\
         <fieldset><legend>Sign-in method and application type</legend>{options}</fieldset>\
         <label for=\"label\">App integration name</label><input id=\"label\" name=\"label\" required value=\"{label}\">\
         <label for=\"redirect_uris\">Sign-in redirect URIs (one per line; OIDC web, single-page and native)</label>\
         <textarea id=\"redirect_uris\" name=\"redirect_uris\" rows=\"3\" spellcheck=\"false\">{redirects}</textarea>\
         <label for=\"url\">URL (bookmark)</label><input id=\"url\" name=\"url\" type=\"url\" value=\"{url}\">{others}{templates}\
         <div class=\"actions\"><button type=\"submit\" class=\"primary\">Save</button>\
         <a class=\"button\" href=\"/admin/apps\">Cancel</a></div></form>",
        csrf = csrf_field(admin),
        label = value("label"),
        redirects = value("redirect_uris"),
        url = value("url"),
        others = app_kinds::fields_html(&value),
        templates = template_kinds::fields_html(&value, &chosen, causes),
    )
}

/// `GET /admin/apps/new`.
pub async fn show(
    State(state): State<AppState>,
    admin: ConsoleAdmin,
) -> Result<Response, Response> {
    admin
        .require(&state, ConsoleAction::CreateApp, None)
        .await?;
    let main = form_html(&admin, None, None);
    page(
        &state,
        &admin,
        StatusCode::OK,
        "Create App Integration",
        &main,
    )
    .await
}

/// `POST /admin/apps/new`: the new app's page, or, for a client with a secret, a page showing
/// the secret once; the form again with the API's causes when the app is refused.
pub async fn create(
    State(state): State<AppState>,
    post: ConsolePost,
) -> Result<Response, Response> {
    let (admin, form) = post
        .permitted(&state, ConsoleAction::CreateApp, None)
        .await?;
    let request: AppBody = serde_json::from_value(body_of(&form))
        .map_err(|_| error_page(crate::http::ApiError::new(OktaCode::E0000003)))?;
    match save_new(&state, &admin.audit, request, true).await {
        Ok(saved) => {
            state.caches().invalidate();
            let id = saved.app.id.to_string();
            match saved.secret {
                None => Ok(redirect(&format!("/admin/apps/{id}"))),
                Some(secret) => {
                    let main = new_secret_html(&id, &secret, "Application created");
                    page(
                        &state,
                        &admin,
                        StatusCode::CREATED,
                        "Application created",
                        &main,
                    )
                    .await
                }
            }
        }
        Err(e) if e.code == OktaCode::E0000001 => {
            let main = form_html(&admin, Some(&form), Some((&e.summary, &e.causes)));
            page(
                &state,
                &admin,
                StatusCode::UNPROCESSABLE_ENTITY,
                "Create App Integration",
                &main,
            )
            .await
        }
        Err(e) => Err(error_page(e)),
    }
}
