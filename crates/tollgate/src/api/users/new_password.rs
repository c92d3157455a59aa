//! `credentials.password` in a user body: a password in clear (`value`, checked against the
//! policy and hashed with argon2id) or a hash imported from another system (`hash`, Okta's
//! `PasswordCredentialHash`, stored as it is until the user's first right password).

use serde::Deserialize;
use tollgate_core::directory::{User, UserStatus};
use tollgate_core::password::history::Setter;
use tollgate_core::password::imported::{HashObject, ImportedHash};
use tollgate_core::secret::Secret;

use crate::api::users::hash_password;
use crate::http::{ApiError, ApiResult};
use crate::login::history;
use crate::state::AppState;

/// `credentials.password` as sent.
#[derive(Debug, Default, Deserialize)]
pub struct PasswordBody {
    value: Option<String>,
    hash: Option<HashObject>,
    /// Okta's password import inline hook, which Tollgate does not offer.
    hook: Option<serde_json::Value>,
}

/// `?strict=true` on `POST`/`PUT /users/{id}`: the password history and minimum age apply
/// to a new password set by the admin too.
#[derive(Debug, Default, Deserialize)]
pub struct StrictParams {
    strict: Option<bool>,
}

impl StrictParams {
    /// Who sets a password with these parameters.
    pub fn setter(&self) -> Setter {
        Setter::Admin {
            strict: self.strict == Some(true),
        }
    }
}

/// A password a user body sets.
#[derive(Debug)]
pub enum NewPassword {
    /// In clear.
    Clear(Secret),
    /// An imported hash, checked.
    Imported(ImportedHash),
}

impl PasswordBody {
    /// The password this body sets, if any; `400 E0000001` for a hash object with a wrong
    /// field (the cause names it), for `value` and `hash` together, and for a `hook`.
    pub fn new_password(&self) -> ApiResult<Option<NewPassword>> {
        if self.hook.is_some() {
            return Err(ApiError::invalid(
                "credentials.password.hook",
                "Password import inline hooks are not supported; import the hash instead",
            ));
        }
        match (&self.value, &self.hash) {
            (Some(_), Some(_)) => Err(ApiError::invalid(
                "password",
                "Specify either a password value or an imported hash, not both",
            )),
            (Some(value), None) => Ok(Some(NewPassword::Clear(Secret::new(value.clone())))),
            (None, Some(hash)) => hash
                .check()
                .map(|h| Some(NewPassword::Imported(h)))
                .map_err(|e| e.within("credentials.password.hash").into()),
            (None, None) => Ok(None),
        }
    }
}

impl NewPassword {
    /// The hash to store: argon2id for a clear password (after the policy check, `login`'s
    /// parts excluded), the tagged imported form otherwise.
    pub async fn stored(&self, state: &AppState, login: String) -> ApiResult<String> {
        match self {
            Self::Clear(password) => hash_password(state, password.clone(), login).await,
            Self::Imported(hash) => Ok(hash.stored()?),
        }
    }

    /// Checks a clear password against `user`'s history and minimum age, as `setter`'s rules
    /// ask (`E0000001` with the cause on `password`); an imported hash is not checked.
    pub async fn check_history(
        &self,
        state: &AppState,
        user: &User,
        setter: Setter,
    ) -> ApiResult<()> {
        match self {
            Self::Clear(password) => history::check(state, user, password, setter).await,
            Self::Imported(_) => Ok(()),
        }
    }

    /// Okta takes an imported hash on update only while the user is `STAGED`.
    pub fn check_update(&self, user: &User) -> ApiResult<()> {
        if matches!(self, Self::Imported(_)) && user.status != UserStatus::Staged {
            return Err(ApiError::invalid(
                "password",
                "An imported password may only be specified for a user with status: STAGED",
            ));
        }
        Ok(())
    }
}
