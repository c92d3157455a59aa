//! `GET|POST /oauth2/v1/authorize` and `GET|POST /oauth2/{authServerId}/v1/authorize`: core
//! validates the request (an untrusted client or redirect URI gets an error page, never a
//! redirect; anything else goes back to the client in its response mode); then the signed-in
//! user comes from a `sessionToken`, the session cookie or the sign-in page (honouring
//! `prompt` and `max_age`), and [`respond`] decides and answers with a code, tokens or both.
//!
//! Reference: OpenID Connect Core 3.1.2; RFC 6749 4.1 and 4.2; RFC 9207; Tollgate's
//! `oauth-endpoints.md` section 3.

mod respond;

use std::sync::Arc;

use axum::extract::State;
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use tollgate_core::app::{App, AppStatus};
use tollgate_core::log::{Entity, Result as Outcome};
use tollgate_core::oauth::authorize::{self, AuthorizeRefusal, AuthorizeRequest, ReplyTo};
use tollgate_core::oauth::params::Params;

use crate::http::audit::Anonymous;
use crate::http::oauth_form::{FormRejection, OAuthForm};
use crate::login::resolve::{Demands, SignedIn, signed_in_user};
use crate::oauth::error::{Delivery, OAuthCode, OAuthError, Refusal};
use crate::oauth::server::{AuthServer, ServerId};
use crate::state::AppState;

/// `GET|POST /oauth2/v1/authorize` and `/oauth2/{authServerId}/v1/authorize`.
pub async fn authorize_request(
    State(state): State<AppState>,
    audit: Anonymous,
    ServerId(server_id): ServerId,
    headers: HeaderMap,
    form: Result<OAuthForm, FormRejection>,
) -> Result<Response, Refusal> {
    authorize(&state, &audit, server_id.as_deref(), &headers, form?).await
}

/// What one authorize request works with once it is valid.
struct Authorize<'a> {
    state: &'a AppState,
    audit: &'a Anonymous,
    server: &'a AuthServer,
    app: &'a App,
}

impl Authorize<'_> {
    /// A refusal sent back to the client in its response mode.
    fn refusal(&self, error: OAuthError, to: ReplyTo) -> Refusal {
        Refusal::from(error).delivered(Delivery::Redirect {
            to,
            issuer: self.server.issuer.clone(),
        })
    }

    /// A refusal before the user is known, logged with the client as the actor.
    async fn refused_early(&self, error: OAuthError, to: ReplyTo) -> Refusal {
        let mut event = self
            .audit
            .event(
                Entity::client(self.app),
                &format!("{}.authorize", self.server.event_prefix()),
                "OAuth2 authorization request",
                self.state.clock().now(),
            )
            .target(Entity::app(self.app))
            .outcome(Outcome::Failure, Some(error.description.clone()))
            .debug("requestUri", format!("{}/authorize", self.server.base_path))
            .debug("error", error.code.as_str());
        event.client.client_id = Some(self.app.credentials.client_id.clone());
        self.state.events().record(vec![event]).await;
        self.refusal(error, to)
    }
}

/// The active app the request's `client_id` names, from the app cache the token endpoint
/// uses (a change made through another process shows within its check interval).
async fn client_app(state: &AppState, params: &Params) -> Result<Option<Arc<App>>, Refusal> {
    let Some(id) = params.get("client_id") else {
        return Ok(None);
    };
    Ok(state
        .caches()
        .app_by_client_id(id)
        .await?
        .filter(|app| app.status == AppStatus::Active))
}

async fn authorize(
    state: &AppState,
    audit: &Anonymous,
    server_id: Option<&str>,
    headers: &HeaderMap,
    form: OAuthForm,
) -> Result<Response, Refusal> {
    let server = AuthServer::load(state, server_id).await?;
    let params = form.params;
    let app = client_app(state, &params).await?;
    let validated = authorize::validate(&params, app.as_deref(), &|s| server.knows_scope(s));
    let (app, request) = match (app, validated) {
        (Some(app), Ok(request)) => (app, request),
        (_, Err(AuthorizeRefusal::Page(e))) | (None, Err(AuthorizeRefusal::Redirect(e, _))) => {
            return Err(Refusal::page(e, headers));
        }
        (Some(app), Err(AuthorizeRefusal::Redirect(e, to))) => {
            let flow = Authorize {
                state,
                audit,
                server: &server,
                app: &app,
            };
            return Err(flow.refused_early(e, to).await);
        }
        (None, Ok(_)) => {
            let e = OAuthError::new(
                OAuthCode::InvalidClient,
                "Invalid value for 'client_id' parameter.",
            );
            return Err(Refusal::page(e, headers));
        }
    };
    let flow = Authorize {
        state,
        audit,
        server: &server,
        app: &app,
    };
    // Who is signed in: a sessionToken wins, then the session cookie.
    let demands = Demands {
        session_token: params.get("sessionToken"),
        force_login: request.prompt.login,
        max_age: request.max_age,
    };
    let signed_in = signed_in_user(state, audit, headers, demands).await?;
    let Some(SignedIn {
        user,
        session,
        set_cookie,
    }) = signed_in
    else {
        return sign_in_first(&flow, &request, &params).await;
    };
    let mut response = flow.for_user(&request, user, &session).await;
    if let Some(c) = set_cookie {
        response.headers_mut().insert(SET_COOKIE, c);
    }
    Ok(response)
}

/// No one is signed in: `prompt=none` is `login_required`; otherwise the sign-in page, which
/// comes back here (`prompt=login` is satisfied by that sign-in).
async fn sign_in_first(
    flow: &Authorize<'_>,
    request: &AuthorizeRequest,
    params: &Params,
) -> Result<Response, Refusal> {
    if request.prompt.none {
        let e = OAuthError::new(
            OAuthCode::LoginRequired,
            "The client specified not to prompt, but the user is not logged in.",
        );
        return Err(flow.refused_early(e, request.reply.clone()).await);
    }
    let back = format!(
        "{}/authorize?{}",
        flow.server.base_path,
        params.encode_without(&["sessionToken", "prompt"])
    );
    let mut login = url::form_urlencoded::Serializer::new(String::new());
    login.append_pair("fromURI", &back);
    if let Some(hint) = params.get("login_hint") {
        login.append_pair("login_hint", hint);
    }
    let mut r = StatusCode::FOUND.into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("/login?{}", login.finish())) {
        r.headers_mut().insert(LOCATION, v);
    }
    Ok(r)
}
