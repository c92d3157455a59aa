//! Issuing one signed `Response` for a signed-in user: the NameID and attributes come from
//! core's rules evaluated over the user, their groups, the app and the org; the document is
//! signed with the app's active key on the CPU pool.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::json;
use tollgate_core::app::App;
use tollgate_core::directory::User;
use tollgate_core::id::random_base62;
use tollgate_core::oauth::claims::{Subject, context};
use tollgate_core::saml::request::AuthnRequest;
use tollgate_core::saml::sign_on::SamlSignOn;
use tollgate_core::saml::{attributes, evaluate, issuer, name_id};
use tollgate_core::session::Session;

use super::app::{certificate, signing_key};
use super::response::{Issued, write_response};
use super::sign::sign_response;
use super::xml::Algorithms;
use crate::http::{ApiError, ApiResult};
use crate::state::AppState;

/// What a response is made for.
pub struct Grant<'a> {
    /// The app.
    pub app: &'a App,
    /// Its SAML settings.
    pub sign_on: &'a SamlSignOn,
    /// The AuthnRequest (SP-initiated).
    pub request: Option<&'a AuthnRequest>,
    /// Where the response goes.
    pub acs_url: &'a str,
    /// The user.
    pub user: &'a User,
    /// Their session.
    pub session: &'a Session,
}

/// The user as `${user.userName}` sees them: the profile with `userName`, the login unless
/// the profile has its own.
fn with_user_name(user: &User) -> User {
    let mut u = user.clone();
    let login = json!(u.login());
    u.profile.entry("userName").or_insert(login);
    u
}

/// The NameID and attributes for the grant.
async fn subject(
    state: &AppState,
    g: &Grant<'_>,
) -> ApiResult<(String, Vec<attributes::Attribute>)> {
    let groups = state.caches().user_groups(g.user.id.as_str()).await?;
    let org = state.caches().org().await?;
    let user = with_user_name(g.user);
    let ctx = context(&Subject {
        user: Some(&user),
        groups: &groups,
        app_user_name: None,
        app: g.app,
        org: &org,
        scopes: &[],
        session: Some((g.session.id.as_str(), g.session.amr.as_slice())),
        now: state.clock().now(),
    });
    let mut eval = |source: &str| evaluate(&ctx, source);
    let name = name_id::render(&g.sign_on.name_id_template, &mut eval)
        .map_err(|e| ApiError::internal(format!("SAML NameID of app {}: {e}", g.app.id)))?;
    let attrs = attributes::resolve(&g.sign_on.attributes, &mut eval, &groups)
        .map_err(|e| ApiError::internal(format!("SAML attributes of app {}: {e}", g.app.id)))?;
    Ok((name, attrs))
}

/// The base64 `SAMLResponse` for the grant.
pub async fn issue(state: &AppState, g: &Grant<'_>) -> ApiResult<String> {
    let (name, attrs) = subject(state, g).await?;
    let s = g.sign_on;
    let issuer = issuer(g.app.id.as_str());
    // A response to another allowed ACS URL names that URL as its destination and recipient.
    let (destination, recipient) = if g.acs_url == s.acs_url {
        (s.destination.as_str(), s.recipient.as_str())
    } else {
        (g.acs_url, g.acs_url)
    };
    let issued = Issued {
        ids: (
            format!("id{}", random_base62(32)),
            format!("id{}", random_base62(32)),
        ),
        issuer: &issuer,
        destination,
        recipient,
        audience: &s.audience,
        in_response_to: g.request.map(|r| r.id.as_str()),
        name_id: (&name, &s.name_id_format),
        session_index: &g.session.id,
        authn_instant: g.session.auth_time,
        authn_context: &s.authn_context,
        now: state.clock().now(),
        attributes: &attrs,
        signed: (s.response_signed, s.assertion_signed),
        algorithms: Algorithms {
            sha1_signature: s.sha1_signature,
            sha1_digest: s.sha1_digest,
        },
    };
    let xml = write_response(&issued).map_err(ApiError::internal)?;
    let signed = if s.response_signed || s.assertion_signed {
        sign(state, g.app, xml).await?
    } else {
        xml
    };
    Ok(STANDARD.encode(signed))
}

async fn sign(state: &AppState, app: &App, xml: String) -> ApiResult<String> {
    let key = signing_key(state, app, None).await?;
    let cert = STANDARD
        .decode(certificate(&key)?)
        .map_err(ApiError::internal)?;
    state
        .keyring()
        .with_app_key(key.sealed.clone(), move |pkcs8| {
            sign_response(&xml, pkcs8, &cert)
        })
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)
}
