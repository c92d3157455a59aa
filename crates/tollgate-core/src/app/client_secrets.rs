//! An OAuth client's secrets (`/api/v1/apps/{id}/credentials/secrets`): up to two, each
//! `ACTIVE` or `INACTIVE`, so a secret can be rotated without downtime. Any active secret
//! authenticates the client. Each is kept only as its SHA-256 digest, with Okta's
//! `secret_hash` and a masked hint for lists; the secret itself is shown once, when created.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

use crate::Timestamp;
use crate::app::client::AuthMethod;
use crate::error::{Cause, Error};
use crate::id::random_base62;
use crate::secret::{Secret, constant_time_eq, sha256_hex};

/// Okta's limit of secrets per client.
pub const MAX_SECRETS: usize = 2;
/// Bytes of randomness in a generated secret: 48 bytes are 64 base64url characters.
pub const GENERATED_SECRET_BYTES: usize = 48;
/// The subject Okta's errors about the set of secrets name.
const MEDIATED: &str = "OAuth2ClientSecretMediated";

/// Whether a secret authenticates the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum SecretStatus {
    /// It authenticates the client.
    Active,
    /// It is kept but refused.
    Inactive,
}

impl SecretStatus {
    /// Okta's word.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "ACTIVE",
            Self::Inactive => "INACTIVE",
        }
    }
}

/// One client secret, without the secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientSecret {
    /// `ocs…`, 20 characters.
    pub id: String,
    /// Hex SHA-256 of the secret.
    pub digest: String,
    /// Okta's `secret_hash`: the first 16 bytes of the SHA-256, base64url.
    pub hash: String,
    /// The first six and last four characters, for telling secrets apart in a list.
    pub hint: String,
    /// `ACTIVE` or `INACTIVE`.
    pub status: SecretStatus,
    /// Milliseconds since the epoch.
    pub created: i64,
    /// Milliseconds since the epoch.
    pub last_updated: i64,
}

impl ClientSecret {
    fn new(secret: &Secret, status: SecretStatus, now: Timestamp) -> Self {
        let text = secret.expose();
        let chars: Vec<char> = text.chars().collect();
        let head: String = chars.iter().take(6).collect();
        let tail: String = chars
            .get(chars.len().saturating_sub(4)..)
            .unwrap_or_default()
            .iter()
            .collect();
        Self {
            id: format!("ocs{}", random_base62(17)),
            digest: secret.digest(),
            hash: secret_hash(text),
            hint: format!("{head}......{tail}"),
            status,
            created: now.millis(),
            last_updated: now.millis(),
        }
    }
}

/// Okta's `secret_hash` of `secret`.
fn secret_hash(secret: &str) -> String {
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, secret.as_bytes());
    let half = digest.as_ref().get(..16).unwrap_or_default();
    URL_SAFE_NO_PAD.encode(half)
}

/// A client's secrets, oldest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientSecrets(Vec<ClientSecret>);

impl ClientSecrets {
    /// Exactly one active secret: `secret`.
    pub fn only(secret: &Secret, now: Timestamp) -> Self {
        Self(vec![ClientSecret::new(secret, SecretStatus::Active, now)])
    }

    /// Whether the client has no secret at all.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Every secret, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = &ClientSecret> {
        self.0.iter()
    }

    /// The secret with this id.
    pub fn find(&self, id: &str) -> Result<&ClientSecret, Error> {
        self.0
            .iter()
            .find(|s| s.id == id)
            .ok_or_else(|| not_found(id))
    }

    /// The newest active secret's digest: what a one-secret view (an org file) shows.
    pub fn newest_active_digest(&self) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|s| s.status == SecretStatus::Active)
            .map(|s| s.digest.as_str())
    }

    /// Whether `presented` is one of the active secrets. Every active digest is compared, in
    /// constant time, so the answer's timing says nothing about which one matched.
    pub fn verify(&self, presented: &str) -> bool {
        let digest = sha256_hex(presented.as_bytes());
        self.0
            .iter()
            .filter(|s| s.status == SecretStatus::Active)
            .fold(false, |found, s| {
                constant_time_eq(digest.as_bytes(), s.digest.as_bytes()) | found
            })
    }

    /// Adds a secret: `chosen`, or a generated one; `status` from the request (`ACTIVE` when
    /// left out). Returns the new secret's record and the secret itself, shown once.
    pub fn add(
        &mut self,
        chosen: Option<Secret>,
        status: Option<&str>,
        method: AuthMethod,
        now: Timestamp,
    ) -> Result<(ClientSecret, Secret), Error> {
        if !method.needs_secret() {
            return Err(Error::Invalid {
                summary: "client_secret".into(),
                causes: vec![Cause::general(format!(
                    "'client_secret' can't be used when 'token_endpoint_auth_method' is '{}'.",
                    method.as_str()
                ))],
            });
        }
        let status = match status {
            None | Some("ACTIVE") => SecretStatus::Active,
            Some("INACTIVE") => SecretStatus::Inactive,
            Some(other) => {
                return Err(Error::Invalid {
                    summary: "status".into(),
                    causes: vec![Cause::field(
                        "status",
                        format!("'{other}' is not one of: ACTIVE, INACTIVE"),
                    )],
                });
            }
        };
        let secret = match chosen {
            Some(s) => {
                check_chosen(s.expose(), method)?;
                s
            }
            None => Secret::generate(GENERATED_SECRET_BYTES),
        };
        if self.0.len() >= MAX_SECRETS {
            return Err(mediated(
                "You've reached the maximum number of client secrets per client.",
            ));
        }
        let record = ClientSecret::new(&secret, status, now);
        self.0.push(record.clone());
        Ok((record, secret))
    }

    /// Moves secret `id` to `status`. The only active secret cannot be deactivated.
    pub fn set_status(
        &mut self,
        id: &str,
        status: SecretStatus,
        now: Timestamp,
    ) -> Result<ClientSecret, Error> {
        let others_active = self
            .0
            .iter()
            .filter(|s| s.id != id && s.status == SecretStatus::Active)
            .count();
        let secret = self
            .0
            .iter_mut()
            .find(|s| s.id == id)
            .ok_or_else(|| not_found(id))?;
        if status == SecretStatus::Inactive
            && secret.status == SecretStatus::Active
            && others_active == 0
        {
            return Err(mediated(
                "You can't deactivate the only active client secret.",
            ));
        }
        if secret.status != status {
            secret.status = status;
            secret.last_updated = now.millis();
        }
        Ok(secret.clone())
    }

    /// Deletes secret `id`, which must be inactive.
    pub fn remove(&mut self, id: &str) -> Result<(), Error> {
        let secret = self.find(id)?;
        if secret.status == SecretStatus::Active {
            return Err(mediated(
                "You can't delete an active client secret. Deactivate the secret before deleting it.",
            ));
        }
        self.0.retain(|s| s.id != id);
        Ok(())
    }

    /// The stored form: a JSON list, or `None` when there is no secret. A lone secret read
    /// from a bare digest is written back as that digest, so the form read is the form written.
    pub fn to_stored(&self) -> Option<String> {
        match self.0.as_slice() {
            [] => None,
            [legacy] if legacy.hash.is_empty() => Some(legacy.digest.clone()),
            all => serde_json::to_string(all).ok(),
        }
    }

    /// Reads the stored form. A bare hex digest (how one secret was stored before secrets
    /// could be rotated) reads as one active secret created with the app.
    pub fn from_stored(text: Option<&str>, app_created: Timestamp) -> Result<Self, String> {
        match text {
            None | Some("") => Ok(Self::default()),
            Some(t) if t.starts_with('[') => serde_json::from_str(t)
                .map(Self)
                .map_err(|e| format!("client secrets: {e}")),
            Some(digest) => Ok(Self(vec![ClientSecret {
                id: format!("ocs{}", digest.get(..17).unwrap_or(digest)),
                digest: digest.to_owned(),
                hash: String::new(),
                hint: String::new(),
                status: SecretStatus::Active,
                created: app_created.millis(),
                last_updated: app_created.millis(),
            }])),
        }
    }

    /// Whether the client's one and only secret is active and has this digest.
    pub fn is_only(&self, digest: &str) -> bool {
        matches!(self.0.as_slice(), [one] if one.digest == digest && one.status == SecretStatus::Active)
    }

    /// One active secret with the given digest (an org file's `client_secret_digest`),
    /// keeping the record when it is already the only secret.
    pub fn only_digest(&self, digest: &str, now: Timestamp) -> Self {
        if self.is_only(digest) {
            return self.clone();
        }
        Self::from_stored(Some(digest), now).unwrap_or_default()
    }
}

/// A chosen secret: 14 to 100 printable ASCII characters; at least 32 for `client_secret_jwt`.
pub fn check_chosen(text: &str, method: AuthMethod) -> Result<(), Error> {
    let len = text.chars().count();
    let jwt = method == AuthMethod::ClientSecretJwt;
    let message = if len > 100 {
        "'client_secret' can't be more than '100' characters long.".to_owned()
    } else if jwt && len < 32 {
        "'client_secret' must be at least '32' characters long when 'token_endpoint_auth_method' is 'client_secret_jwt'.".to_owned()
    } else if len < 14 {
        "'client_secret' must be at least '14' characters long.".to_owned()
    } else if !text.chars().all(|c| c == ' ' || c.is_ascii_graphic()) {
        "''client_secret'' must only contain printable ASCII: [x20-x7E]+".to_owned()
    } else {
        return Ok(());
    };
    Err(invalid_field(message))
}

fn invalid_field(message: String) -> Error {
    Error::Invalid {
        summary: "client_secret".into(),
        causes: vec![Cause::field("client_secret", message)],
    }
}

fn mediated(message: &str) -> Error {
    Error::Invalid {
        summary: MEDIATED.into(),
        causes: vec![Cause::general(message)],
    }
}

fn not_found(id: &str) -> Error {
    Error::NotFound {
        what: "OAuth2ClientSecret",
        id: id.to_owned(),
    }
}

#[cfg(test)]
#[path = "client_secrets_tests.rs"]
mod tests;
