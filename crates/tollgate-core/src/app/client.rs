//! The settings of an app's OAuth 2.0 client (`settings.oauthClient`, named as in OpenID Connect
//! Dynamic Client Registration) and the combinations Okta accepts. The credentials are in
//! [`super::credentials`], the enumerated values in [`super::vocab`].
//!
//! Settings are read by hand from the JSON object rather than derived, so that every wrong
//! value becomes a validation cause naming its field, and so that fields Tollgate does not
//! interpret (`client_uri`, `logo_uri`, `tos_uri`, `idp_initiated_login`, ...) round-trip
//! untouched.

mod read;
mod rules;

use serde_json::{Map, Value, json};

use crate::app::redirect::redirect_matches;
pub use crate::app::vocab::{
    ApplicationType, AuthMethod, ConsentMethod, GrantType, IssuerMode, ResponseType, RotationType,
    WildcardRedirect,
};
use crate::error::Cause;

/// `refresh_token`: how refresh tokens rotate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefreshTokenSettings {
    /// `rotation_type`.
    pub rotation_type: RotationType,
    /// `leeway`, seconds (0 to 60).
    pub leeway: u8,
}

/// `settings.oauthClient`, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientSettings {
    /// `application_type`.
    pub application_type: ApplicationType,
    /// `grant_types`, without duplicates.
    pub grant_types: Vec<GrantType>,
    /// `response_types`, without duplicates.
    pub response_types: Vec<ResponseType>,
    /// `redirect_uris`.
    pub redirect_uris: Vec<String>,
    /// `post_logout_redirect_uris`.
    pub post_logout_redirect_uris: Vec<String>,
    /// `initiate_login_uri`.
    pub initiate_login_uri: Option<String>,
    /// `wildcard_redirect`.
    pub wildcard_redirect: WildcardRedirect,
    /// `consent_method`.
    pub consent_method: ConsentMethod,
    /// `issuer_mode`.
    pub issuer_mode: IssuerMode,
    /// `refresh_token`.
    pub refresh_token: Option<RefreshTokenSettings>,
    /// `jwks`: the client's public keys (an object with a `keys` array), kept as sent.
    pub jwks: Option<Map<String, Value>>,
    /// `jwks_uri`.
    pub jwks_uri: Option<String>,
    /// Every other field of the object, kept as sent (nulls dropped).
    pub other: Map<String, Value>,
}

/// The fields of `settings.oauthClient` given a type of their own.
const TYPED_FIELDS: [&str; 12] = [
    "application_type",
    "grant_types",
    "response_types",
    "redirect_uris",
    "post_logout_redirect_uris",
    "initiate_login_uri",
    "wildcard_redirect",
    "consent_method",
    "issuer_mode",
    "refresh_token",
    "jwks",
    "jwks_uri",
];

/// Plain URL-valued fields checked to be absolute URIs but otherwise kept in `other`.
const OTHER_URI_FIELDS: [&str; 4] = ["client_uri", "logo_uri", "policy_uri", "tos_uri"];

impl ClientSettings {
    /// Reads and validates a request's `settings.oauthClient`; `None` after adding causes when
    /// it is not acceptable.
    pub fn parse(raw: &Map<String, Value>, causes: &mut Vec<Cause>) -> Option<Self> {
        let before = causes.len();
        let mut settings = Self::read(raw, causes)?;
        if causes.len() > before {
            return None;
        }
        settings.check(causes);
        (causes.len() == before).then_some(settings)
    }

    /// Reads stored settings (written by [`ClientSettings::to_json`]) without the
    /// cross-field rules, so that tightening a rule never makes stored apps unreadable.
    pub fn from_stored(raw: &Map<String, Value>) -> Result<Self, Vec<Cause>> {
        let mut causes = Vec::new();
        match Self::read(raw, &mut causes) {
            Some(s) if causes.is_empty() => Ok(s),
            _ => Err(causes),
        }
    }

    /// The settings of an app that is not an OAuth client (a bookmark, a SAML app, ...): a
    /// service with no grant and no redirect URI, which no OAuth request can use.
    pub fn inert() -> Self {
        Self {
            application_type: ApplicationType::Service,
            grant_types: Vec::new(),
            response_types: Vec::new(),
            redirect_uris: Vec::new(),
            post_logout_redirect_uris: Vec::new(),
            initiate_login_uri: None,
            wildcard_redirect: WildcardRedirect::Disabled,
            consent_method: ConsentMethod::Trusted,
            issuer_mode: IssuerMode::OrgUrl,
            refresh_token: None,
            jwks: None,
            jwks_uri: None,
            other: Map::new(),
        }
    }

    /// The settings in their wire (and stored) shape.
    pub fn to_json(&self) -> Map<String, Value> {
        let mut out = Map::new();
        for (k, v) in &self.other {
            if OTHER_URI_FIELDS.contains(&k.as_str()) {
                out.insert(k.clone(), v.clone());
            }
        }
        out.insert("redirect_uris".into(), json!(self.redirect_uris));
        out.insert(
            "post_logout_redirect_uris".into(),
            json!(self.post_logout_redirect_uris),
        );
        let names = |v: &[ResponseType]| v.iter().map(|t| t.as_str()).collect::<Vec<_>>();
        out.insert("response_types".into(), json!(names(&self.response_types)));
        let grants: Vec<_> = self.grant_types.iter().map(|g| g.as_str()).collect();
        out.insert("grant_types".into(), json!(grants));
        out.insert(
            "application_type".into(),
            json!(self.application_type.as_str()),
        );
        if let Some(uri) = &self.initiate_login_uri {
            out.insert("initiate_login_uri".into(), json!(uri));
        }
        out.insert("consent_method".into(), json!(self.consent_method.as_str()));
        out.insert("issuer_mode".into(), json!(self.issuer_mode.as_str()));
        out.insert(
            "wildcard_redirect".into(),
            json!(self.wildcard_redirect.as_str()),
        );
        if let Some(rt) = self.refresh_token {
            out.insert(
                "refresh_token".into(),
                json!({"rotation_type": rt.rotation_type.as_str(), "leeway": rt.leeway}),
            );
        }
        if let Some(jwks) = &self.jwks {
            out.insert("jwks".into(), Value::Object(jwks.clone()));
        }
        if let Some(uri) = &self.jwks_uri {
            out.insert("jwks_uri".into(), json!(uri));
        }
        for (k, v) in &self.other {
            if !OTHER_URI_FIELDS.contains(&k.as_str()) {
                out.insert(k.clone(), v.clone());
            }
        }
        out
    }

    /// Whether `uri` is one of the registered `redirect_uris` (exactly, or through a wildcard
    /// when `wildcard_redirect` is `SUBDOMAIN`). The authorize endpoint must never redirect
    /// elsewhere.
    pub fn allows_redirect(&self, uri: &str) -> bool {
        self.redirect_uris
            .iter()
            .any(|r| redirect_matches(r, uri, self.wildcard_redirect))
    }

    /// Whether `uri` is one of the registered `post_logout_redirect_uris`.
    pub fn allows_post_logout_redirect(&self, uri: &str) -> bool {
        self.post_logout_redirect_uris
            .iter()
            .any(|r| redirect_matches(r, uri, self.wildcard_redirect))
    }
}
