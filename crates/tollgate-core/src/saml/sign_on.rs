//! The settings an assertion is made from: `settings.signOn` of a custom SAML app, with
//! Okta's overrides applied and its defaults for what is left out.

use serde_json::{Map, Value};

use super::attributes::{AttributeStatement, parse_statements};

/// The NameID format Okta uses when none is set.
pub const UNSPECIFIED_FORMAT: &str = "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified";
/// The authentication context of a password sign-in.
pub const PASSWORD_PROTECTED: &str =
    "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport";

/// What one app's assertions are made from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SamlSignOn {
    /// Where the response is posted: `ssoAcsUrlOverride`, else `ssoAcsUrl`.
    pub acs_url: String,
    /// Other ACS URLs an AuthnRequest may name (`acsEndpoints` when
    /// `allowMultipleAcsEndpoints`).
    pub acs_endpoints: Vec<String>,
    /// The `Audience` of the assertion.
    pub audience: String,
    /// `SubjectConfirmationData/@Recipient`.
    pub recipient: String,
    /// `Response/@Destination`.
    pub destination: String,
    /// `subjectNameIdTemplate`.
    pub name_id_template: String,
    /// `subjectNameIdFormat`.
    pub name_id_format: String,
    /// Whether the `Response` is signed.
    pub response_signed: bool,
    /// Whether the `Assertion` is signed.
    pub assertion_signed: bool,
    /// RSA-SHA1 instead of RSA-SHA256 (`signatureAlgorithm`).
    pub sha1_signature: bool,
    /// SHA-1 instead of SHA-256 digests (`digestAlgorithm`).
    pub sha1_digest: bool,
    /// `authnContextClassRef`.
    pub authn_context: String,
    /// `honorForceAuthn`: an AuthnRequest's `ForceAuthn="true"` asks for a new sign-in.
    pub honor_force_authn: bool,
    /// `defaultRelayState` for IdP-initiated sign-ins.
    pub default_relay_state: Option<String>,
    /// `attributeStatements`.
    pub attributes: Vec<AttributeStatement>,
}

fn text(m: &Map<String, Value>, key: &str) -> Option<String> {
    m.get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

fn first(m: &Map<String, Value>, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| text(m, k))
}

fn acs_endpoints(m: &Map<String, Value>) -> Vec<String> {
    if m.get("allowMultipleAcsEndpoints").and_then(Value::as_bool) != Some(true) {
        return Vec::new();
    }
    let Some(list) = m.get("acsEndpoints").and_then(Value::as_array) else {
        return Vec::new();
    };
    list.iter()
        .filter_map(|e| match e {
            Value::String(s) => Some(s.clone()),
            Value::Object(o) => text(o, "url"),
            _ => None,
        })
        .collect()
}

impl SamlSignOn {
    /// Reads `settings.signOn`; `None` when it has no ACS URL to post to.
    pub fn from_settings(m: &Map<String, Value>) -> Option<Self> {
        let acs_url = first(m, &["ssoAcsUrlOverride", "ssoAcsUrl"])?;
        let flag = |k: &str| m.get(k).and_then(Value::as_bool).unwrap_or(true);
        Some(Self {
            acs_endpoints: acs_endpoints(m),
            audience: first(m, &["audienceOverride", "audience"]).unwrap_or_default(),
            recipient: first(m, &["recipientOverride", "recipient"])
                .unwrap_or_else(|| acs_url.clone()),
            destination: first(m, &["destinationOverride", "destination"])
                .unwrap_or_else(|| acs_url.clone()),
            name_id_template: text(m, "subjectNameIdTemplate")
                .unwrap_or_else(|| "${user.userName}".to_owned()),
            name_id_format: text(m, "subjectNameIdFormat")
                .unwrap_or_else(|| UNSPECIFIED_FORMAT.to_owned()),
            response_signed: flag("responseSigned"),
            assertion_signed: flag("assertionSigned"),
            sha1_signature: text(m, "signatureAlgorithm").as_deref() == Some("RSA_SHA1"),
            sha1_digest: text(m, "digestAlgorithm").as_deref() == Some("SHA1"),
            authn_context: text(m, "authnContextClassRef")
                .unwrap_or_else(|| PASSWORD_PROTECTED.to_owned()),
            honor_force_authn: flag("honorForceAuthn"),
            default_relay_state: text(m, "defaultRelayState"),
            attributes: m
                .get("attributeStatements")
                .map(parse_statements)
                .unwrap_or_default(),
            acs_url,
        })
    }
}
