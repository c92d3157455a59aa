//! Reading `settings.oauthClient` field by field: each field's type and default, every wrong
//! value a cause naming its field.

use serde_json::{Map, Value};

use super::{
    ApplicationType, ClientSettings, ConsentMethod, GrantType, IssuerMode, OTHER_URI_FIELDS,
    RefreshTokenSettings, ResponseType, RotationType, TYPED_FIELDS, WildcardRedirect,
};
use crate::error::Cause;

impl ClientSettings {
    /// Types and defaults, field by field.
    pub(super) fn read(raw: &Map<String, Value>, causes: &mut Vec<Cause>) -> Option<Self> {
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
