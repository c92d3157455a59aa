//! What an SP-initiated sign-in may ask for: the AuthnRequest's ACS URL must be the app's (its
//! destination, or one of its allowed `acsEndpoints`), and the response can only go back by
//! HTTP-POST.

use super::sign_on::SamlSignOn;

/// The HTTP-POST binding, the only one responses are sent with.
pub const HTTP_POST: &str = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";

/// The fields of an AuthnRequest that decide where the response goes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuthnRequest {
    /// `ID`: the response's `InResponseTo`.
    pub id: String,
    /// `Issuer`: the SP's entity id.
    pub issuer: Option<String>,
    /// `AssertionConsumerServiceURL`.
    pub acs_url: Option<String>,
    /// `ProtocolBinding`.
    pub protocol_binding: Option<String>,
    /// `ForceAuthn="true"`.
    pub force_authn: bool,
}

/// Why an AuthnRequest is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestRefusal {
    /// The request has no `ID`.
    MissingId,
    /// The ACS URL is not one the app allows.
    AcsNotAllowed(String),
    /// A binding other than HTTP-POST was asked for.
    UnsupportedBinding(String),
}

impl RequestRefusal {
    /// What the error page says.
    pub fn message(&self) -> String {
        match self {
            Self::MissingId => "The SAML request has no ID.".to_owned(),
            Self::AcsNotAllowed(url) => format!(
                "The assertion consumer service URL '{url}' in the SAML request is not one this app allows."
            ),
            Self::UnsupportedBinding(b) => {
                format!("The SAML request asks for the unsupported response binding '{b}'.")
            }
        }
    }
}

/// The app's ACS URL (or its override), its destination (or `destinationOverride`), or one of
/// its allowed `acsEndpoints`.
fn allowed(app: &SamlSignOn, url: &str) -> bool {
    url == app.acs_url || url == app.destination || app.acs_endpoints.iter().any(|e| e == url)
}

/// The ACS URL the response is posted to: the request's when it names one the app allows,
/// the app's when it names none (and always for an IdP-initiated sign-in).
pub fn acs_url(request: Option<&AuthnRequest>, app: &SamlSignOn) -> Result<String, RequestRefusal> {
    let Some(r) = request else {
        return Ok(app.acs_url.clone());
    };
    if r.id.trim().is_empty() {
        return Err(RequestRefusal::MissingId);
    }
    if let Some(b) = r.protocol_binding.as_deref().filter(|b| *b != HTTP_POST) {
        return Err(RequestRefusal::UnsupportedBinding(b.to_owned()));
    }
    match r.acs_url.as_deref() {
        None => Ok(app.acs_url.clone()),
        Some(url) if allowed(app, url) => Ok(url.to_owned()),
        Some(url) => Err(RequestRefusal::AcsNotAllowed(url.to_owned())),
    }
}
