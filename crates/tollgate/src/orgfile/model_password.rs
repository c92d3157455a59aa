//! A user's `passwordHash` in an org file.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};
use tollgate_core::password::imported::{HashObject, ImportedHash, is_imported};

/// `passwordHash`: an argon2id PHC string, kept as the user's hash, or Okta's hash object
/// (`{algorithm, salt, saltOrder, value, ...}`) for a hash imported from another system. An
/// imported hash seeds the password: once the user has signed in (and it was upgraded to
/// argon2id) or the password was changed, applying the file again leaves the password alone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum PasswordHashSpec {
    /// `$argon2id$v=19$m=...,t=...,p=...$salt$hash`.
    Phc(String),
    /// Okta's `PasswordCredentialHash`.
    Imported(HashObject),
}

impl<'de> Deserialize<'de> for PasswordHashSpec {
    /// A string or a map first, then the map as the hash object, so that a wrong key in it is
    /// reported as such, at `passwordHash`.
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(
            untagged,
            expecting = "an argon2id PHC string or Okta's hash object {algorithm, salt, saltOrder, value, ...}"
        )]
        enum Raw {
            Phc(String),
            Object(Map<String, Value>),
        }
        match Raw::deserialize(d)? {
            Raw::Phc(h) => Ok(Self::Phc(h)),
            Raw::Object(m) => serde_json::from_value(Value::Object(m))
                .map(Self::Imported)
                .map_err(serde::de::Error::custom),
        }
    }
}

impl PasswordHashSpec {
    /// The file's form of a stored hash.
    pub fn from_stored(stored: &str) -> Self {
        match ImportedHash::from_stored(stored) {
            Some(h) => Self::Imported(h.object()),
            None => Self::Phc(stored.to_owned()),
        }
    }

    /// The form to store; a cause on `passwordHash` (or one of its fields) when it is wrong.
    pub fn stored(&self) -> Result<String, tollgate_core::Error> {
        match self {
            Self::Phc(h) if h.starts_with("$argon2id$") && h.split('$').count() == 6 => {
                Ok(h.clone())
            }
            Self::Phc(_) => Err(tollgate_core::Error::invalid_field(
                "passwordHash",
                "must be an argon2id PHC string ($argon2id$v=19$m=...,t=...,p=...$salt$hash) or Okta's hash object",
            )),
            Self::Imported(h) => h
                .check()
                .and_then(|h| h.stored())
                .map_err(|e| e.within("passwordHash")),
        }
    }
}

/// Whether a file's stored-form hash `new` replaces the user's `old`: a PHC string whenever it
/// differs, an imported hash only over another imported one (it seeds the password, and does
/// not undo its upgrade to argon2id nor a later change).
pub fn replaces(old: Option<&str>, new: &str) -> bool {
    match old {
        None => true,
        Some(old) if is_imported(new) => is_imported(old) && old != new,
        Some(old) => old != new,
    }
}
