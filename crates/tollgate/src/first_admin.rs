//! The org's first admin: a super admin user made when the org is created (or when an upgrade
//! finds API tokens without an owner), who owns the bootstrap token and the tokens
//! `tollgate api-token create` makes.

use anyhow::{Context, bail};
use serde_json::{Map, Value};
use tollgate_core::Timestamp;
use tollgate_core::admin::RoleType;
use tollgate_core::directory::user::{CreateOptions, User};
use tollgate_core::secret::Secret;
use tollgate_store::{Error as StoreError, Principal, Store};

use crate::config::Settings;

/// A first admin this start created; its password is shown once.
#[derive(Debug)]
pub struct FirstAdmin {
    /// Its login.
    pub login: String,
    /// Its password.
    pub password: Secret,
}

/// `admin@` + the host of the public URL (without its port).
pub fn default_login(public_url: &str) -> String {
    let rest = public_url
        .split_once("://")
        .map_or(public_url, |(_, rest)| rest);
    let authority = rest.split('/').next().unwrap_or_default();
    let host = match authority.rsplit_once(':') {
        Some((host, port)) if !host.ends_with(':') && port.chars().all(|c| c.is_ascii_digit()) => {
            host
        }
        _ => authority,
    };
    format!("admin@{host}")
}

/// A random password that meets the password policy for `login`.
fn generate_password(login: &str) -> Secret {
    loop {
        let candidate = Secret::new(format!("{}-Aa1", tollgate_core::id::random_base62(20)));
        if tollgate_core::password::check_policy(&candidate, login).is_ok() {
            return candidate;
        }
    }
}

/// Makes sure the org has an admin to own its tokens: when the org was just created or some
/// tokens have no owner, and no super admin exists, the user `--admin-login` (created if
/// missing) becomes a super admin; every ownerless token then goes to the first super admin.
/// Returns the admin created, if any.
pub async fn ensure(
    store: &Store,
    settings: &Settings,
    public_url: &str,
    org_created: bool,
    now: Timestamp,
) -> anyhow::Result<Option<FirstAdmin>> {
    if !org_created && store.ownerless_api_tokens().await? == 0 {
        return Ok(None);
    }
    let mut created = None;
    let owner = match store.first_super_admin().await? {
        Some(id) => id,
        None => {
            let login = settings
                .admin_login
                .clone()
                .unwrap_or_else(|| default_login(public_url));
            let id = match store.find_user(&login).await? {
                Some(user) => user.id.into_string(),
                None => {
                    let password = settings
                        .admin_password
                        .clone()
                        .unwrap_or_else(|| generate_password(&login));
                    let id = create_user(store, &login, &password, now).await?;
                    created = Some(FirstAdmin { login, password });
                    id
                }
            };
            store
                .assign_role(Principal::User(&id), RoleType::SuperAdmin, now, &[])
                .await?;
            id
        }
    };
    store.claim_ownerless_api_tokens(&owner).await?;
    Ok(created)
}

/// Creates the admin user; when another process made the same login first, that user.
async fn create_user(
    store: &Store,
    login: &str,
    password: &Secret,
    now: Timestamp,
) -> anyhow::Result<String> {
    let mut profile = Map::new();
    for (key, value) in [
        ("login", login),
        ("email", login),
        ("firstName", "Tollgate"),
        ("lastName", "Admin"),
    ] {
        profile.insert(key.to_owned(), Value::String(value.to_owned()));
    }
    let secret = password.clone();
    let hash = tokio::task::spawn_blocking(move || tollgate_core::password::hash(&secret))
        .await
        .context("hashing the admin's password")??;
    let options = CreateOptions {
        activate: true,
        change_password_next_login: false,
    };
    let user = User::create(profile, Some(hash), options, now)
        .with_context(|| format!("--admin-login {login:?}"))?;
    match store.create_user(&user, &[], &[]).await {
        Ok(()) => Ok(user.id.into_string()),
        Err(StoreError::Conflict { .. }) => match store.find_user(login).await? {
            Some(u) => Ok(u.id.into_string()),
            None => bail!("cannot create the admin user {login}"),
        },
        Err(e) => Err(e.into()),
    }
}

/// The user a new CLI token acts as: `--owner` (a login or id), else the first super admin.
pub async fn token_owner(store: &Store, owner: Option<&str>) -> anyhow::Result<String> {
    match owner {
        Some(login) => match store.find_user(login).await? {
            Some(user) => Ok(user.id.into_string()),
            None => bail!("--owner {login}: no such user"),
        },
        None => match store.first_super_admin().await? {
            Some(id) => Ok(id),
            None => bail!(
                "the org has no super admin yet: start `tollgate serve` once (it creates one), \
                 or pass --owner LOGIN"
            ),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_login_is_admin_at_the_public_host() {
        assert_eq!(
            default_login("https://id.example.com"),
            "admin@id.example.com"
        );
        assert_eq!(default_login("http://127.0.0.1:8080"), "admin@127.0.0.1");
        assert_eq!(default_login("http://[::1]:8080"), "admin@[::1]");
        assert_eq!(
            default_login("https://id.example.com:8443/x"),
            "admin@id.example.com"
        );
    }

    #[test]
    fn generated_passwords_meet_the_policy() {
        let p = generate_password("admin@127.0.0.1");
        assert!(tollgate_core::password::check_policy(&p, "admin@127.0.0.1").is_ok());
    }
}
