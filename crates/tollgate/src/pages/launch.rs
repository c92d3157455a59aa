//! `GET /home/{appName}/{appId}/{linkId}`: an app's end-user link (the `linkUrl` of a user's
//! `appLinks` and the app's `_links.appLinks`). Without a session it goes through the hosted
//! sign-in page and back; an active user assigned to the active app is sent where the app
//! starts (see [`tollgate_core::app::launch`]): a bookmark's URL, a password app's sign-in page,
//! a custom SAML app's IdP-initiated SSO, an OpenID Connect client's `initiate_login_uri`.

use axum::extract::{Path, Query, State};
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tollgate_core::app::launch::{Launch, launch};
use tollgate_core::app::{App, AppStatus};
use tollgate_core::directory::UserStatus;

use crate::http::ApiError;
use crate::http::audit::Anonymous;
use crate::login::resolve::{Demands, signed_in_user};
use crate::pages::{document, escape, html_response};
use crate::state::AppState;

/// `?sessionToken=` when the sign-in page sends the browser back.
#[derive(Debug, Default, Deserialize)]
pub struct LaunchParams {
    #[serde(rename = "sessionToken")]
    session_token: Option<String>,
}

fn page(status: StatusCode, title: &str, text: &str) -> Response {
    let body = format!("<h1>{}</h1><p>{}</p>", escape(title), escape(text));
    html_response(status, document(title, &body))
}

fn redirect(to: &str) -> Response {
    let mut r = StatusCode::FOUND.into_response();
    if let Ok(v) = HeaderValue::from_str(to) {
        r.headers_mut().insert(LOCATION, v);
    }
    r
}

/// The active app the three path parts name together.
async fn linked_app(
    state: &AppState,
    name: &str,
    id: &str,
    link: &str,
) -> Result<Option<App>, ApiError> {
    let app = state.store().find_app(id).await?;
    Ok(app.filter(|a| {
        a.name() == name && a.link_id.as_str() == link && a.status == AppStatus::Active
    }))
}

/// The launch.
pub async fn launch_app(
    State(state): State<AppState>,
    audit: Anonymous,
    Path((name, id, link)): Path<(String, String, String)>,
    Query(params): Query<LaunchParams>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let Some(app) = linked_app(&state, &name, &id, &link).await? else {
        return Ok(page(
            StatusCode::NOT_FOUND,
            "Not found",
            "This app link does not exist or the app is not active.",
        ));
    };
    let demands = Demands {
        session_token: params.session_token.as_deref(),
        force_login: false,
        max_age: None,
    };
    let Some(signed_in) = signed_in_user(&state, &audit, &headers, demands).await? else {
        let back = format!("/home/{name}/{id}/{link}");
        let query = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("fromURI", &back)
            .finish();
        return Ok(redirect(&format!("/login?{query}")));
    };
    let assigned = state
        .store()
        .is_user_assigned(app.id.as_str(), signed_in.user.id.as_str())
        .await?;
    let mut r = if !assigned || signed_in.user.status != UserStatus::Active {
        page(
            StatusCode::FORBIDDEN,
            "App not assigned",
            "You are not assigned this app. Ask your administrator for access.",
        )
    } else {
        let template = app.template.as_ref();
        let target = launch(
            template.map(|t| t.kind),
            template
                .map(|t| &t.app_settings)
                .unwrap_or(&serde_json::Map::new()),
            template.and_then(|t| t.sign_on.as_ref()),
            app.settings.initiate_login_uri.as_deref(),
        );
        match target {
            Launch::Redirect(url) => redirect(&url),
            Launch::SamlSso => redirect(&format!("/app/{}/{}/sso/saml", app.name(), app.id)),
            Launch::Nowhere => page(
                StatusCode::OK,
                &app.label,
                "This app has no page to open from here.",
            ),
        }
    };
    if let Some(c) = signed_in.set_cookie {
        r.headers_mut().append(SET_COOKIE, c);
    }
    Ok(r)
}
