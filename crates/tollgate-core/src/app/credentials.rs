//! The credentials of an app's OAuth client (`credentials.oauthClient`): its `client_id`, how
//! it authenticates at the token endpoint, and its secret, kept only as a SHA-256 digest and
//! checked in constant time.

use crate::app::client::{ApplicationType, AuthMethod, ClientSettings};
use crate::error::Cause;
use crate::secret::{Secret, constant_time_eq, sha256_hex};

/// `credentials.oauthClient` as a request states it; `None` = left out.
#[derive(Debug, Clone, Default)]
pub struct CredentialsDraft {
    /// `client_id`.
    pub client_id: Option<String>,
    /// `client_secret`.
    pub client_secret: Option<Secret>,
    /// `token_endpoint_auth_method`.
    pub auth_method: Option<String>,
    /// `pkce_required`.
    pub pkce_required: Option<bool>,
    /// `autoKeyRotation`.
    pub auto_key_rotation: Option<bool>,
}

/// `credentials.oauthClient`, validated. The secret is kept only as its SHA-256 digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientCredentials {
    /// `client_id`: unique, immutable; the app id unless chosen at creation.
    pub client_id: String,
    /// `token_endpoint_auth_method`.
    pub auth_method: AuthMethod,
    /// Hex SHA-256 of the client secret, when the method uses one.
    pub secret_digest: Option<String>,
    /// `pkce_required`.
    pub pkce_required: bool,
    /// `autoKeyRotation`.
    pub auto_key_rotation: bool,
}

/// The reserved `client_id` that means "every client" in policies.
const ALL_CLIENTS: &str = "ALL_CLIENTS";
/// Bytes of randomness in a generated secret: 48 bytes are 64 base64url characters.
const GENERATED_SECRET_BYTES: usize = 48;

impl ClientCredentials {
    /// Credentials for a new app whose id is `app_id`, under the new app's `settings`. Returns
    /// the secret in clear when one was given or generated.
    pub fn create(
        app_id: &str,
        draft: CredentialsDraft,
        settings: &ClientSettings,
        causes: &mut Vec<Cause>,
    ) -> Option<(Self, Option<Secret>)> {
        let before = causes.len();
        let client_id = draft.client_id.clone().unwrap_or_else(|| app_id.to_owned());
        check_client_id(&client_id, causes);
        let method = read_method(
            draft.auth_method.as_deref(),
            AuthMethod::ClientSecretBasic,
            causes,
        )?;
        let secret = if method.needs_secret() {
            match draft.client_secret {
                Some(s) => check_secret(&s, method, causes).then_some(s),
                None => Some(Secret::generate(GENERATED_SECRET_BYTES)),
            }
        } else {
            None
        };
        let default_pkce = matches!(
            settings.application_type,
            ApplicationType::Browser | ApplicationType::Native
        ) || method == AuthMethod::None;
        let creds = Self {
            client_id,
            auth_method: method,
            secret_digest: secret.as_ref().map(Secret::digest),
            pkce_required: draft.pkce_required.unwrap_or(default_pkce),
            auto_key_rotation: draft.auto_key_rotation.unwrap_or(true),
        };
        creds.check(settings, causes);
        (causes.len() == before).then_some((creds, secret))
    }

    /// These credentials replaced by an update under the app's new `settings`: omitted fields
    /// keep their values, `client_id` cannot change, a secret is generated only when the method
    /// now needs one and none is stored, and a method without a secret drops the stored one.
    pub fn replace(
        &self,
        draft: CredentialsDraft,
        settings: &ClientSettings,
        causes: &mut Vec<Cause>,
    ) -> Option<(Self, Option<Secret>)> {
        let before = causes.len();
        if let Some(id) = &draft.client_id
            && *id != self.client_id
        {
            causes.push(Cause::field("client_id", "The client_id cannot be changed"));
        }
        let method = read_method(draft.auth_method.as_deref(), self.auth_method, causes)?;
        let (digest, secret) = if method.needs_secret() {
            match draft.client_secret {
                Some(s) => {
                    let ok = check_secret(&s, method, causes);
                    (ok.then(|| s.digest()), ok.then_some(s))
                }
                None => match &self.secret_digest {
                    Some(d) => (Some(d.clone()), None),
                    None => {
                        let s = Secret::generate(GENERATED_SECRET_BYTES);
                        (Some(s.digest()), Some(s))
                    }
                },
            }
        } else {
            (None, None)
        };
        let pkce_required = draft
            .pkce_required
            .unwrap_or(self.pkce_required || method == AuthMethod::None);
        let creds = Self {
            client_id: self.client_id.clone(),
            auth_method: method,
            secret_digest: digest,
            pkce_required,
            auto_key_rotation: draft.auto_key_rotation.unwrap_or(self.auto_key_rotation),
        };
        creds.check(settings, causes);
        (causes.len() == before).then_some((creds, secret))
    }

    /// Rules tying the method to the kind of client.
    fn check(&self, settings: &ClientSettings, causes: &mut Vec<Cause>) {
        match self.auth_method {
            AuthMethod::None => {
                if !matches!(
                    settings.application_type,
                    ApplicationType::Browser | ApplicationType::Native
                ) {
                    causes.push(Cause::field(
                        "token_endpoint_auth_method",
                        format!(
                            "'none' is allowed only for 'browser' and 'native' applications, not '{}'",
                            settings.application_type.as_str()
                        ),
                    ));
                }
                if !self.pkce_required {
                    causes.push(Cause::field(
                        "pkce_required",
                        "must be true when token_endpoint_auth_method is 'none'",
                    ));
                }
            }
            AuthMethod::PrivateKeyJwt => {
                if settings.jwks.is_none() && settings.jwks_uri.is_none() {
                    causes.push(Cause::field(
                        "token_endpoint_auth_method",
                        "'private_key_jwt' requires 'jwks' or 'jwks_uri' in settings.oauthClient",
                    ));
                }
            }
            AuthMethod::ClientSecretBasic
            | AuthMethod::ClientSecretPost
            | AuthMethod::ClientSecretJwt => {}
        }
    }

    /// Whether `presented` is this client's secret: its SHA-256 digest compared in constant
    /// time with the stored one.
    pub fn verify_secret(&self, presented: &str) -> bool {
        match &self.secret_digest {
            Some(stored) => constant_time_eq(
                sha256_hex(presented.as_bytes()).as_bytes(),
                stored.as_bytes(),
            ),
            None => false,
        }
    }
}

fn read_method(
    text: Option<&str>,
    default: AuthMethod,
    causes: &mut Vec<Cause>,
) -> Option<AuthMethod> {
    match text {
        None => Some(default),
        Some(t) => {
            let parsed = AuthMethod::parse(t);
            if parsed.is_none() {
                causes.push(Cause::field(
                    "token_endpoint_auth_method",
                    format!("'{t}' is not one of: {}", AuthMethod::expected()),
                ));
            }
            parsed
        }
    }
}

/// `client_id`: 6 to 100 characters from `[A-Za-z0-9$-_.+!*'(),]`, not `ALL_CLIENTS`.
fn check_client_id(id: &str, causes: &mut Vec<Cause>) {
    let len = id.chars().count();
    if !(6..=100).contains(&len) {
        causes.push(Cause::field(
            "client_id",
            "must be from 6 to 100 characters long",
        ));
    } else if !id
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "$-_.+!*'(),".contains(c))
    {
        causes.push(Cause::field(
            "client_id",
            "may contain only letters, digits and $-_.+!*'(),",
        ));
    } else if id == ALL_CLIENTS {
        causes.push(Cause::field("client_id", "'ALL_CLIENTS' is reserved"));
    }
}

/// A chosen secret: 14 to 100 printable characters; at least 32 for `client_secret_jwt`.
fn check_secret(secret: &Secret, method: AuthMethod, causes: &mut Vec<Cause>) -> bool {
    let text = secret.expose();
    let len = text.chars().count();
    let min = if method == AuthMethod::ClientSecretJwt {
        32
    } else {
        14
    };
    if len < min || len > 100 {
        causes.push(Cause::field(
            "client_secret",
            format!("must be from {min} to 100 characters long"),
        ));
        false
    } else if !text.chars().all(|c| c.is_ascii_graphic()) {
        causes.push(Cause::field(
            "client_secret",
            "may contain only printable ASCII characters",
        ));
        false
    } else {
        true
    }
}
