//! The rules across the fields of `settings.oauthClient` that Okta enforces when an app is
//! created or replaced, and the response types it derives from the grant types.

use serde_json::Value;

use super::{
    ApplicationType, ClientSettings, GrantType, OTHER_URI_FIELDS, ResponseType, WildcardRedirect,
};
use crate::app::redirect::check_uri;
use crate::error::Cause;

impl ClientSettings {
    /// The rules across fields (§3.2 of the management API reference). Response types left out
    /// are derived from the grant types.
    pub(super) fn check(&mut self, causes: &mut Vec<Cause>) {
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
