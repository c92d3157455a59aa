//! Secrets that Tollgate must give back to an app later (app users' passwords, an app's shared
//! password) sealed under the master key, bound to what they belong to so a sealed value moved
//! to another row does not open.

use tollgate_core::token::CryptoError;

use super::Keyring;

/// What a sealed app password is bound to.
pub enum PasswordOwner<'a> {
    /// One user's assignment to an app.
    AppUser {
        /// The app.
        app_id: &'a str,
        /// The user.
        user_id: &'a str,
    },
    /// The shared credentials of an app (`SHARED_USERNAME_AND_PASSWORD`).
    SharedApp {
        /// The app.
        app_id: &'a str,
    },
}

impl PasswordOwner<'_> {
    fn context(&self) -> String {
        match self {
            Self::AppUser { app_id, user_id } => format!("app user password {app_id} {user_id}"),
            Self::SharedApp { app_id } => format!("app shared password {app_id}"),
        }
    }
}

impl Keyring {
    /// Seals `password` for `owner` (AES-256-GCM under the master key).
    pub fn seal_password(
        &self,
        owner: &PasswordOwner<'_>,
        password: &str,
    ) -> Result<Vec<u8>, CryptoError> {
        self.inner
            .master
            .seal(password.as_bytes(), &owner.context())
    }
}
