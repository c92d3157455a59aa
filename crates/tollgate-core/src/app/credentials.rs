//! The credentials of an app's OAuth client (`credentials.oauthClient`): its `client_id`, how
//! it authenticates at the token endpoint, and its secrets (see [`ClientSecrets`]).

use crate::Timestamp;
use crate::app::client::{ApplicationType, AuthMethod, ClientSettings};
use crate::app::client_secrets::{ClientSecrets, GENERATED_SECRET_BYTES, check_chosen};
use crate::error::{Cause, Error};
use crate::secret::Secret;

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

/// `credentials.oauthClient`, validated. Secrets are kept only as SHA-256 digests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientCredentials {
    /// `client_id`: unique, immutable; the app id unless chosen at creation.
    pub client_id: String,
    /// `token_endpoint_auth_method`.
    pub auth_method: AuthMethod,
    /// The client's secrets, when the method uses them.
    pub secrets: ClientSecrets,
    /// `pkce_required`.
    pub pkce_required: bool,
    /// `autoKeyRotation`.
    pub auto_key_rotation: bool,
}

/// The reserved `client_id` that means "every client" in policies.
const ALL_CLIENTS: &str = "ALL_CLIENTS";

impl ClientCredentials {
    /// Credentials for a new app whose id is `app_id`, under the new app's `settings`. Returns
    /// the secret in clear when one was given or generated.
    pub fn create(
        app_id: &str,
        draft: CredentialsDraft,
        settings: &ClientSettings,
        now: Timestamp,
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
            secrets: secret
                .as_ref()
                .map(|s| ClientSecrets::only(s, now))
                .unwrap_or_default(),
            pkce_required: draft.pkce_required.unwrap_or(default_pkce),
            auto_key_rotation: draft.auto_key_rotation.unwrap_or(true),
        };
        creds.check(settings, causes);
        (causes.len() == before).then_some((creds, secret))
    }

    /// These credentials replaced by an update under the app's new `settings`: omitted fields
    /// keep their values, `client_id` cannot change, a secret is generated only when the method
    /// now needs one and none is stored, and a method without a secret drops the stored ones.
    /// A new `client_secret` replaces every stored secret.
    pub fn replace(
        &self,
        draft: CredentialsDraft,
        settings: &ClientSettings,
        now: Timestamp,
        causes: &mut Vec<Cause>,
    ) -> Option<(Self, Option<Secret>)> {
        let before = causes.len();
        if let Some(id) = &draft.client_id
            && *id != self.client_id
        {
            causes.push(Cause::field("client_id", "The client_id cannot be changed"));
        }
        let method = read_method(draft.auth_method.as_deref(), self.auth_method, causes)?;
        let (secrets, secret) = if method.needs_secret() {
            match draft.client_secret {
                Some(s) => {
                    let ok = check_secret(&s, method, causes);
                    let secrets = if self.secrets.is_only(&s.digest()) {
                        self.secrets.clone()
                    } else {
                        ClientSecrets::only(&s, now)
                    };
                    (secrets, ok.then_some(s))
                }
                None if !self.secrets.is_empty() => (self.secrets.clone(), None),
                None => {
                    let s = Secret::generate(GENERATED_SECRET_BYTES);
                    (ClientSecrets::only(&s, now), Some(s))
                }
            }
        } else {
            (ClientSecrets::default(), None)
        };
        let pkce_required = draft
            .pkce_required
            .unwrap_or(self.pkce_required || method == AuthMethod::None);
        let creds = Self {
            client_id: self.client_id.clone(),
            auth_method: method,
            secrets,
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

    /// Whether `presented` is one of this client's active secrets.
    pub fn verify_secret(&self, presented: &str) -> bool {
        self.secrets.verify(presented)
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

/// A chosen secret, as [`check_chosen`] rules; its cause is added to `causes`.
fn check_secret(secret: &Secret, method: AuthMethod, causes: &mut Vec<Cause>) -> bool {
    match check_chosen(secret.expose(), method) {
        Ok(()) => true,
        Err(Error::Invalid { causes: found, .. }) => {
            causes.extend(found);
            false
        }
        Err(_) => false,
    }
}
