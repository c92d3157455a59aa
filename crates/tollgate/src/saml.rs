//! The SAML 2.0 identity provider of custom SAML apps (`signOnMode: SAML_2_0`): IdP metadata,
//! and single sign-on (SP-initiated over the HTTP-Redirect and HTTP-POST bindings, and
//! IdP-initiated) answered with a signed `Response` posted to the SP's ACS URL. Okta's rules
//! are in `tollgate_core::saml`; here the messages are read, written and signed.

mod app;
mod issue;
mod metadata;
mod page;
mod request;
mod response;
mod sign;
mod sso;
mod xml;

use axum::Router;
use axum::routing::get;

use crate::state::AppState;

/// The SAML routes: metadata (admin API and public) and the app's SSO URL.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/apps/{id}/sso/saml/metadata",
            get(metadata::admin_metadata),
        )
        .route(
            "/app/{id}/sso/saml/metadata",
            get(metadata::public_metadata),
        )
        .route(
            "/app/{app_name}/{id}/sso/saml",
            get(sso::sso_get).post(sso::sso_post),
        )
}
