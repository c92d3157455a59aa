//! The settings of an app's OAuth 2.0 client (`settings.oauthClient`, named as in OpenID Connect
//! Dynamic Client Registration) and the combinations Okta accepts. The credentials are in
//! [`super::credentials`], the enumerated values in [`super::vocab`].
//!
//! Settings are read by hand from the JSON object rather than derived, so that every wrong
//! value becomes a validation cause naming its field, and so that fields Tollgate does not
//! interpret (`client_uri`, `logo_uri`, `tos_uri`, `idp_initiated_login`, ...) round-trip
//! untouched.

use serde_json::{Map, Value, json};

use crate::app::redirect::{check_uri, redirect_matches};
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

    /// Types and defaults, field by field.
    fn read(raw: &Map<String, Value>, causes: &mut Vec<Cause>) -> Option<Self> {
        let application_type = match raw.get("application_type") {
            None | Some(Value::Null) => {
                causes.push(Cause::field(
                    "application_type",
                    "The field cannot be left blank",
                ));
                None
            }
            Some(v) => parse_enum::<ApplicationType>(
                "application_type",
                v,
                ApplicationType::parse,
                ApplicationType::expected,
                causes,
            ),
        };
        let grant_types = enum_list(
            raw,
            "grant_types",
            GrantType::parse,
            GrantType::expected,
            causes,
        );
        let response_types = enum_list(
            raw,
            "response_types",
            ResponseType::parse,
            ResponseType::expected,
            causes,
        );
        let redirect_uris = string_list(raw, "redirect_uris", causes);
        let post_logout_redirect_uris = string_list(raw, "post_logout_redirect_uris", causes);
        let initiate_login_uri = opt_string(raw, "initiate_login_uri", causes);
        let jwks_uri = opt_string(raw, "jwks_uri", causes);
        let wildcard_redirect = opt_enum(
            raw,
            "wildcard_redirect",
            WildcardRedirect::parse,
            WildcardRedirect::expected,
            causes,
        )
        .unwrap_or(WildcardRedirect::Disabled);
        let consent_method = opt_enum(
            raw,
            "consent_method",
            ConsentMethod::parse,
            ConsentMethod::expected,
            causes,
        )
        .unwrap_or(ConsentMethod::Trusted);
        let issuer_mode = opt_enum(
            raw,
            "issuer_mode",
            IssuerMode::parse,
            IssuerMode::expected,
            causes,
        )
        .unwrap_or(IssuerMode::OrgUrl);
        let refresh_token = read_refresh_token(raw.get("refresh_token"), causes);
        let jwks = match raw.get("jwks") {
            None | Some(Value::Null) => None,
            Some(Value::Object(m)) if m.get("keys").is_some_and(Value::is_array) => Some(m.clone()),
            Some(_) => {
                causes.push(Cause::field(
                    "jwks",
                    "must be a JSON Web Key Set: an object with a 'keys' array",
                ));
                None
            }
        };
        let mut other = Map::new();
        for (k, v) in raw {
            if TYPED_FIELDS.contains(&k.as_str()) || v.is_null() {
                continue;
            }
            if OTHER_URI_FIELDS.contains(&k.as_str()) && !v.is_string() {
                causes.push(Cause::field(k.clone(), "must be a string"));
                continue;
            }
            other.insert(k.clone(), v.clone());
        }
        Some(Self {
            application_type: application_type?,
            grant_types,
            response_types,
            redirect_uris,
            post_logout_redirect_uris,
            initiate_login_uri,
            wildcard_redirect,
            consent_method,
            issuer_mode,
            refresh_token,
            jwks,
            jwks_uri,
            other,
        })
    }

    /// The rules across fields (§3.2 of the management API reference). Response types left out
    /// are derived from the grant types.
    fn check(&mut self, causes: &mut Vec<Cause>) {
        let kind = self.application_type;
        let has = |g: GrantType| self.grant_types.contains(&g);
        if self.grant_types.is_empty() {
            causes.push(Cause::field(
                "grant_types",
                "The field cannot be left blank",
            ));
            return;
        }
        for g in &self.grant_types {
            if !kind.allowed_grants().contains(g) {
                causes.push(Cause::field(
                    "grant_types",
                    format!(
                        "'{}' is not allowed for application_type '{}'",
                        g.as_str(),
                        kind.as_str()
                    ),
                ));
            }
        }
        if let Some(required) = kind.required_grant()
            && !has(required)
        {
            causes.push(Cause::field(
                "grant_types",
                format!(
                    "'{}' is required for application_type '{}'",
                    required.as_str(),
                    kind.as_str()
                ),
            ));
        }
        if kind == ApplicationType::Browser
            && !has(GrantType::AuthorizationCode)
            && !has(GrantType::Implicit)
        {
            causes.push(Cause::field(
                "grant_types",
                "'authorization_code' or 'implicit' is required for application_type 'browser'",
            ));
        }
        if self.response_types.is_empty() {
            self.response_types = default_response_types(kind, &self.grant_types);
        }
        self.check_response_types(causes);
        let redirect_flow = has(GrantType::AuthorizationCode) || has(GrantType::Implicit);
        if redirect_flow && self.redirect_uris.is_empty() {
            causes.push(Cause::field(
                "redirect_uris",
                "At least one redirect URI is required for the 'authorization_code' and 'implicit' grant types",
            ));
        }
        let wildcard = self.wildcard_redirect == WildcardRedirect::Subdomain;
        for uri in &self.redirect_uris {
            check_uri("redirect_uris", uri, wildcard, causes);
        }
        for uri in &self.post_logout_redirect_uris {
            check_uri("post_logout_redirect_uris", uri, wildcard, causes);
        }
        if let Some(uri) = &self.initiate_login_uri {
            check_uri("initiate_login_uri", uri, false, causes);
        }
        if let Some(uri) = &self.jwks_uri {
            check_uri("jwks_uri", uri, false, causes);
            if !uri.starts_with("https://") {
                causes.push(Cause::field("jwks_uri", "must use https"));
            }
        }
        for field in OTHER_URI_FIELDS {
            if let Some(uri) = self.other.get(field).and_then(Value::as_str) {
                check_uri(field, uri, false, causes);
            }
        }
    }

    fn check_response_types(&self, causes: &mut Vec<Cause>) {
        let has = |g: GrantType| self.grant_types.contains(&g);
        let service_token =
            self.application_type == ApplicationType::Service && has(GrantType::ClientCredentials);
        for rt in &self.response_types {
            let ok = match rt {
                ResponseType::Code => has(GrantType::AuthorizationCode),
                ResponseType::Token => has(GrantType::Implicit) || service_token,
                ResponseType::IdToken => has(GrantType::Implicit),
            };
            if !ok {
                let grant = match rt {
                    ResponseType::Code => "authorization_code",
                    ResponseType::Token | ResponseType::IdToken => "implicit",
                };
                causes.push(Cause::field(
                    "response_types",
                    format!("'{}' requires the '{grant}' grant type", rt.as_str()),
                ));
            }
        }
        if has(GrantType::AuthorizationCode) && !self.response_types.contains(&ResponseType::Code) {
            causes.push(Cause::field(
                "response_types",
                "'code' is required for the 'authorization_code' grant type",
            ));
        }
        if has(GrantType::Implicit)
            && !self.response_types.contains(&ResponseType::Token)
            && !self.response_types.contains(&ResponseType::IdToken)
        {
            causes.push(Cause::field(
                "response_types",
                "'token' or 'id_token' is required for the 'implicit' grant type",
            ));
        }
    }
}

/// What Okta fills in when `response_types` is left out.
fn default_response_types(kind: ApplicationType, grants: &[GrantType]) -> Vec<ResponseType> {
    let mut out = Vec::new();
    if grants.contains(&GrantType::AuthorizationCode) {
        out.push(ResponseType::Code);
    }
    if grants.contains(&GrantType::Implicit) {
        out.push(ResponseType::Token);
        out.push(ResponseType::IdToken);
    }
    if kind == ApplicationType::Service && out.is_empty() {
        out.push(ResponseType::Token);
    }
    out
}

fn parse_enum<T>(
    field: &str,
    value: &Value,
    parse: fn(&str) -> Option<T>,
    expected: fn() -> String,
    causes: &mut Vec<Cause>,
) -> Option<T> {
    let parsed = value.as_str().and_then(parse);
    if parsed.is_none() {
        causes.push(Cause::field(
            field,
            format!("{value} is not one of: {}", expected()),
        ));
    }
    parsed
}

fn opt_enum<T>(
    raw: &Map<String, Value>,
    field: &str,
    parse: fn(&str) -> Option<T>,
    expected: fn() -> String,
    causes: &mut Vec<Cause>,
) -> Option<T> {
    match raw.get(field) {
        None | Some(Value::Null) => None,
        Some(v) => parse_enum(field, v, parse, expected, causes),
    }
}

/// An array of enum values, duplicates dropped, order kept.
fn enum_list<T: PartialEq>(
    raw: &Map<String, Value>,
    field: &str,
    parse: fn(&str) -> Option<T>,
    expected: fn() -> String,
    causes: &mut Vec<Cause>,
) -> Vec<T> {
    let mut out = Vec::new();
    match raw.get(field) {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for item in items {
                if let Some(v) = parse_enum(field, item, parse, expected, causes)
                    && !out.contains(&v)
                {
                    out.push(v);
                }
            }
        }
        Some(_) => causes.push(Cause::field(field, "must be an array")),
    }
    out
}

fn string_list(raw: &Map<String, Value>, field: &str, causes: &mut Vec<Cause>) -> Vec<String> {
    match raw.get(field) {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                match item.as_str() {
                    Some(s) => out.push(s.to_owned()),
                    None => causes.push(Cause::field(field, "must be an array of strings")),
                }
            }
            out
        }
        Some(_) => {
            causes.push(Cause::field(field, "must be an array of strings"));
            Vec::new()
        }
    }
}

fn opt_string(raw: &Map<String, Value>, field: &str, causes: &mut Vec<Cause>) -> Option<String> {
    match raw.get(field) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => {
            causes.push(Cause::field(field, "must be a string"));
            None
        }
    }
}

fn read_refresh_token(
    value: Option<&Value>,
    causes: &mut Vec<Cause>,
) -> Option<RefreshTokenSettings> {
    let obj = match value {
        None | Some(Value::Null) => return None,
        Some(Value::Object(obj)) => obj,
        Some(_) => {
            causes.push(Cause::field("refresh_token", "must be an object"));
            return None;
        }
    };
    let rotation_type = match obj.get("rotation_type") {
        None | Some(Value::Null) => {
            causes.push(Cause::field(
                "refresh_token.rotation_type",
                "The field cannot be left blank",
            ));
            None
        }
        Some(v) => parse_enum(
            "refresh_token.rotation_type",
            v,
            RotationType::parse,
            RotationType::expected,
            causes,
        ),
    };
    let leeway = match obj.get("leeway") {
        None | Some(Value::Null) => Some(30),
        Some(v) => match v
            .as_u64()
            .and_then(|n| u8::try_from(n).ok())
            .filter(|n| *n <= 60)
        {
            Some(n) => Some(n),
            None => {
                causes.push(Cause::field(
                    "refresh_token.leeway",
                    "must be an integer from 0 to 60",
                ));
                None
            }
        },
    };
    Some(RefreshTokenSettings {
        rotation_type: rotation_type?,
        leeway: leeway?,
    })
}
