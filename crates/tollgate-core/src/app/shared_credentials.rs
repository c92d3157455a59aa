//! The one account the users of a `SHARED_USERNAME_AND_PASSWORD` app share: its user name,
//! and its password sealed under the master key (the caller seals it; it is never shown).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;

/// `credentials.userName` and `credentials.password` of an app whose users share one account
/// (`SHARED_USERNAME_AND_PASSWORD`); the password sealed under the master key, never shown.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SharedCredentials {
    /// `credentials.userName`.
    pub user_name: Option<String>,
    /// `credentials.password.value`, sealed.
    pub password: Option<Vec<u8>>,
}

impl SharedCredentials {
    /// What is kept under `scheme`: nothing unless the users share one account.
    pub(super) fn under(self, scheme: Option<&str>) -> Self {
        if scheme == Some(super::app_user_credentials::SHARED) {
            self
        } else {
            Self::default()
        }
    }

    /// Each part the request sent, else the stored one.
    pub(super) fn or(self, stored: &Self) -> Self {
        Self {
            user_name: self.user_name.or_else(|| stored.user_name.clone()),
            password: self.password.or_else(|| stored.password.clone()),
        }
    }

    pub(super) fn from_stored(stored: &Value) -> Self {
        let password = stored
            .get("sharedPassword")
            .and_then(Value::as_str)
            .and_then(|b| STANDARD.decode(b).ok());
        Self {
            user_name: stored
                .get("sharedUserName")
                .and_then(Value::as_str)
                .map(str::to_owned),
            password,
        }
    }
}
