//! Discovery documents (OpenID Connect Discovery 1.0 and RFC 8414):
//!
//! * org server: `GET /.well-known/openid-configuration` and
//!   `GET /.well-known/oauth-authorization-server`;
//! * custom servers: `GET /oauth2/{authServerId}/.well-known/openid-configuration`,
//!   `GET /oauth2/{authServerId}/.well-known/oauth-authorization-server`, and RFC 8414's
//!   path form `GET /.well-known/oauth-authorization-server/oauth2/{authServerId}`.
//!
//! Reference: Tollgate reference `oauth-endpoints.md` sections 1 and 2. Every value states
//! what Tollgate implements, not everything Okta lists: clients pick methods from these lists,
//! so advertising `private_key_jwt` or `okta_post_message` before they work would break them.
//! `registration_endpoint` and `request_parameter_supported` are left out for the same reason.
//! `?client_id=` is accepted and ignored (nothing here depends on the client).

use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};
use tollgate_core::authz::scope::MetadataPublish;

use crate::http::{ApiError, ApiResult};
use crate::state::AppState;

/// How long clients may cache a discovery document. Only a custom server's published scopes
/// change, and rarely; an hour matches the JWKS.
pub const DISCOVERY_CACHE_CONTROL: &str = "max-age=3600, must-revalidate";

/// The two documents: they differ in `userinfo_endpoint` (custom servers) and in the claims
/// listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Document {
    /// `openid-configuration`.
    OpenId,
    /// `oauth-authorization-server`.
    OAuth,
}

/// The org server's scopes: OIDC scopes and `groups` (it has no custom scopes).
const ORG_SCOPES: [&str; 7] = [
    "openid",
    "email",
    "profile",
    "address",
    "phone",
    "offline_access",
    "groups",
];

/// Claims of an ID token (and the org server's documents).
const ID_TOKEN_CLAIMS: [&str; 31] = [
    "iss",
    "ver",
    "sub",
    "aud",
    "iat",
    "exp",
    "jti",
    "auth_time",
    "amr",
    "idp",
    "nonce",
    "name",
    "nickname",
    "preferred_username",
    "given_name",
    "middle_name",
    "family_name",
    "email",
    "email_verified",
    "profile",
    "zoneinfo",
    "locale",
    "address",
    "phone_number",
    "picture",
    "website",
    "gender",
    "birthdate",
    "updated_at",
    "at_hash",
    "c_hash",
];

/// System claims of a custom server's access token (its `oauth-authorization-server`
/// document); custom claims are never advertised.
const ACCESS_TOKEN_CLAIMS: [&str; 10] = [
    "ver", "jti", "iss", "aud", "iat", "exp", "cid", "uid", "scp", "sub",
];

const RESPONSE_TYPES_ORG: [&str; 6] = [
    "code",
    "id_token",
    "code id_token",
    "code token",
    "id_token token",
    "code id_token token",
];

/// What `/authorize` implements.
const RESPONSE_MODES: [&str; 4] = ["query", "fragment", "form_post", "okta_post_message"];

const GRANT_TYPES_ORG: [&str; 4] = [
    "authorization_code",
    "implicit",
    "refresh_token",
    "password",
];

/// Client authentication Tollgate implements (no JWT assertions yet).
const CLIENT_AUTH_METHODS: [&str; 3] = ["client_secret_basic", "client_secret_post", "none"];

/// One discovery document. `base` is where the endpoints live (`{public}/oauth2/v1` or
/// `{issuer}/v1`); `custom` selects the custom-server variants.
fn document(kind: Document, issuer: &str, base: &str, custom: bool, scopes: Vec<String>) -> Value {
    let mut response_types: Vec<&str> = RESPONSE_TYPES_ORG.to_vec();
    let mut grant_types: Vec<&str> = GRANT_TYPES_ORG.to_vec();
    if custom {
        response_types.insert(1, "token");
        grant_types.push("client_credentials");
    }
    let claims: &[&str] = if custom && kind == Document::OAuth {
        &ACCESS_TOKEN_CLAIMS
    } else {
        &ID_TOKEN_CLAIMS
    };
    let mut doc = Map::new();
    doc.insert("issuer".into(), json!(issuer));
    doc.insert(
        "authorization_endpoint".into(),
        json!(format!("{base}/authorize")),
    );
    doc.insert("token_endpoint".into(), json!(format!("{base}/token")));
    // Okta's custom-server OAuth document has no userinfo endpoint.
    if !(custom && kind == Document::OAuth) {
        doc.insert(
            "userinfo_endpoint".into(),
            json!(format!("{base}/userinfo")),
        );
    }
    doc.insert("jwks_uri".into(), json!(format!("{base}/keys")));
    doc.insert("response_types_supported".into(), json!(response_types));
    doc.insert("response_modes_supported".into(), json!(RESPONSE_MODES));
    doc.insert("grant_types_supported".into(), json!(grant_types));
    doc.insert("subject_types_supported".into(), json!(["public"]));
    doc.insert(
        "id_token_signing_alg_values_supported".into(),
        json!(["RS256"]),
    );
    doc.insert("scopes_supported".into(), json!(scopes));
    doc.insert(
        "token_endpoint_auth_methods_supported".into(),
        json!(CLIENT_AUTH_METHODS),
    );
    doc.insert("claims_supported".into(), json!(claims));
    doc.insert("code_challenge_methods_supported".into(), json!(["S256"]));
    // `/authorize` returns `iss` with every response (RFC 9207 section 3).
    doc.insert(
        "authorization_response_iss_parameter_supported".into(),
        json!(true),
    );
    doc.insert(
        "introspection_endpoint".into(),
        json!(format!("{base}/introspect")),
    );
    doc.insert(
        "introspection_endpoint_auth_methods_supported".into(),
        json!(CLIENT_AUTH_METHODS),
    );
    doc.insert(
        "revocation_endpoint".into(),
        json!(format!("{base}/revoke")),
    );
    doc.insert(
        "revocation_endpoint_auth_methods_supported".into(),
        json!(CLIENT_AUTH_METHODS),
    );
    doc.insert(
        "end_session_endpoint".into(),
        json!(format!("{base}/logout")),
    );
    Value::Object(doc)
}

fn respond(doc: &Value) -> Response {
    (
        [
            (CONTENT_TYPE, "application/json"),
            (CACHE_CONTROL, DISCOVERY_CACHE_CONTROL),
        ],
        doc.to_string(),
    )
        .into_response()
}

fn org_document(state: &AppState, kind: Document) -> Response {
    let issuer = state.public_url();
    let base = format!("{issuer}/oauth2/v1");
    let scopes = ORG_SCOPES.iter().map(|s| (*s).to_owned()).collect();
    respond(&document(kind, issuer, &base, false, scopes))
}

/// A custom server's document; unknown or inactive servers are Okta's 404, as on every
/// `/oauth2/{authServerId}` path.
async fn custom_document(state: &AppState, server_id: &str, kind: Document) -> ApiResult<Response> {
    let Some(cached) = state.caches().active_server(server_id).await? else {
        return Err(ApiError::not_found(server_id, "AuthorizationServer"));
    };
    let issuer = cached.config.server.issuer(state.public_url());
    let base = format!("{issuer}/v1");
    let scopes = cached
        .config
        .scopes
        .iter()
        .filter(|s| s.metadata_publish == MetadataPublish::AllClients)
        .map(|s| s.name.clone())
        .collect();
    Ok(respond(&document(kind, &issuer, &base, true, scopes)))
}

/// `GET /.well-known/openid-configuration`.
pub async fn org_openid_configuration(State(state): State<AppState>) -> Response {
    org_document(&state, Document::OpenId)
}

/// `GET /.well-known/oauth-authorization-server`.
pub async fn org_oauth_metadata(State(state): State<AppState>) -> Response {
    org_document(&state, Document::OAuth)
}

/// `GET /oauth2/{authServerId}/.well-known/openid-configuration`.
pub async fn server_openid_configuration(
    State(state): State<AppState>,
    Path(server_id): Path<String>,
) -> ApiResult<Response> {
    custom_document(&state, &server_id, Document::OpenId).await
}

/// `GET /oauth2/{authServerId}/.well-known/oauth-authorization-server` and
/// `GET /.well-known/oauth-authorization-server/oauth2/{authServerId}`.
pub async fn server_oauth_metadata(
    State(state): State<AppState>,
    Path(server_id): Path<String>,
) -> ApiResult<Response> {
    custom_document(&state, &server_id, Document::OAuth).await
}
