//! User passwords: argon2id hashes (the crate's defaults, OWASP's minimum) and Okta's default
//! password policy. Hashing costs tens of milliseconds: callers run it off the async workers.

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};

use crate::error::{Cause, Error};
use crate::secret::Secret;

/// Hashes `password` with argon2id and a fresh salt, giving the PHC string to store.
pub fn hash(password: &Secret) -> Result<String, Error> {
    Argon2::default()
        .hash_password(password.expose().as_bytes())
        .map(|h| h.to_string())
        .map_err(|_| Error::invalid_field("password", "could not be hashed"))
}

/// Whether `password` matches the stored PHC `hash`. A malformed hash never matches.
pub fn verify(password: &Secret, hash: &str) -> bool {
    Argon2::default()
        .verify_password(password.expose().as_bytes(), hash)
        .is_ok()
}

/// Okta's default policy: at least 8 characters, a lowercase letter, an uppercase letter, a
/// number, and no part of the username.
pub fn check_policy(password: &Secret, login: &str) -> Result<(), Error> {
    let p = password.expose();
    let lower = p.to_lowercase();
    let login_parts = login
        .split(['@', '.', '_', '-', '+'])
        .filter(|part| part.len() >= 3)
        .map(str::to_lowercase);
    let ok = p.chars().count() >= 8
        && p.chars().any(char::is_lowercase)
        && p.chars().any(char::is_uppercase)
        && p.chars().any(|c| c.is_ascii_digit())
        && !login_parts.clone().any(|part| lower.contains(&part));
    if ok {
        Ok(())
    } else {
        Err(Error::Invalid {
            summary: "password".to_owned(),
            causes: vec![Cause::field(
                "password",
                "Password requirements were not met. Password requirements: at least 8 characters, a lowercase letter, \
                 an uppercase letter, a number, no parts of your username.",
            )],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_and_verify() {
        let pw = Secret::new("Tollgate-2026");
        let h = hash(&pw).unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify(&pw, &h));
        assert!(!verify(&Secret::new("tollgate-2026"), &h));
        assert!(!verify(&pw, "not a hash"));
    }

    #[test]
    fn policy() {
        let login = "annie.jackson@acme.com";
        assert!(check_policy(&Secret::new("Tollgate-2026"), login).is_ok());
        for bad in [
            "Short1",
            "alllowercase1",
            "ALLUPPER1",
            "NoDigitsHere",
            "Jackson-2026x",
        ] {
            assert!(check_policy(&Secret::new(bad), login).is_err(), "{bad}");
        }
    }
}
