//! IdP metadata of a SAML app: `GET /api/v1/apps/{appId}/sso/saml/metadata[?kid=]` (admin API)
//! and the public `GET /app/{appId}/sso/saml/metadata`. An `EntityDescriptor` whose
//! `IDPSSODescriptor` carries the signing certificate, the NameID formats and the SSO URL for
//! the HTTP-POST and HTTP-Redirect bindings.

use std::io;

use axum::extract::{Path, State};
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, Uri};
use axum::response::{IntoResponse, Response};
use tollgate_core::app::App;
use tollgate_core::saml::issuer;
use tollgate_core::saml::sign_on::{SamlSignOn, UNSPECIFIED_FORMAT};

use super::app::{certificate, sign_on, signing_key, sso_url};
use super::xml::{self, DSIG_NS, METADATA_NS, empty_element, text_element};
use crate::api::apps::load_app;
use crate::http::auth::Admin;
use crate::http::{ApiError, ApiResult};
use crate::state::AppState;

const EMAIL_FORMAT: &str = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";
const POST_BINDING: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";
const REDIRECT_BINDING: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect";

/// What metadata says about an app.
struct Descriptor<'a> {
    entity_id: String,
    certificate: &'a str,
    sso_url: &'a str,
    formats: Vec<&'a str>,
}

fn write_descriptor(d: &Descriptor<'_>) -> io::Result<String> {
    let mut w = xml::document()?;
    w.create_element("md:EntityDescriptor")
        .with_attribute(("xmlns:md", METADATA_NS))
        .with_attribute(("entityID", d.entity_id.as_str()))
        .write_inner_content(|w| {
            w.create_element("md:IDPSSODescriptor")
                .with_attribute(("WantAuthnRequestsSigned", "false"))
                .with_attribute((
                    "protocolSupportEnumeration",
                    "urn:oasis:names:tc:SAML:2.0:protocol",
                ))
                .write_inner_content(|w| idp_descriptor(w, d))?;
            Ok(())
        })?;
    Ok(xml::finish(w))
}

fn idp_descriptor(w: &mut xml::Xml, d: &Descriptor<'_>) -> io::Result<()> {
    w.create_element("md:KeyDescriptor")
        .with_attribute(("use", "signing"))
        .write_inner_content(|w| {
            w.create_element("ds:KeyInfo")
                .with_attribute(("xmlns:ds", DSIG_NS))
                .write_inner_content(|w| {
                    w.create_element("ds:X509Data").write_inner_content(|w| {
                        text_element(w, "ds:X509Certificate", &[], d.certificate)
                    })?;
                    Ok(())
                })?;
            Ok(())
        })?;
    for format in &d.formats {
        text_element(w, "md:NameIDFormat", &[], format)?;
    }
    for binding in [POST_BINDING, REDIRECT_BINDING] {
        empty_element(
            w,
            "md:SingleSignOnService",
            &[("Binding", binding), ("Location", d.sso_url)],
        )?;
    }
    Ok(())
}

/// The NameID formats listed: the app's, then unspecified and email address.
fn formats(s: &SamlSignOn) -> Vec<&str> {
    let mut out = vec![s.name_id_format.as_str()];
    for f in [UNSPECIFIED_FORMAT, EMAIL_FORMAT] {
        if !out.contains(&f) {
            out.push(f);
        }
    }
    out
}

async fn metadata(state: &AppState, app: &App, kid: Option<&str>) -> ApiResult<Response> {
    let Some(s) = sign_on(app) else {
        return Err(ApiError::not_found(app.id.as_str(), "AppInstance"));
    };
    let key = signing_key(state, app, kid).await?;
    let cert = certificate(&key)?;
    let url = sso_url(state, app);
    let d = Descriptor {
        entity_id: issuer(app.id.as_str()),
        certificate: &cert,
        sso_url: &url,
        formats: formats(&s),
    };
    let body = write_descriptor(&d).map_err(ApiError::internal)?;
    let mut r = body.into_response();
    r.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/xml;charset=UTF-8"),
    );
    Ok(r)
}

fn query_kid(uri: &Uri) -> Option<String> {
    url::form_urlencoded::parse(uri.query().unwrap_or_default().as_bytes())
        .find(|(k, _)| k == "kid")
        .map(|(_, v)| v.into_owned())
}

/// `GET /api/v1/apps/{appId}/sso/saml/metadata[?kid=]`.
pub async fn admin_metadata(
    State(state): State<AppState>,
    _admin: Admin,
    Path(id): Path<String>,
    uri: Uri,
) -> ApiResult<Response> {
    let app = load_app(&state, &id).await?;
    metadata(&state, &app, query_kid(&uri).as_deref()).await
}

/// `GET /app/{appId}/sso/saml/metadata`: the same document, public, for the active key.
pub async fn public_metadata(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let app = load_app(&state, &id).await?;
    metadata(&state, &app, None).await
}
