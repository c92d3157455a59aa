//! User passwords: argon2id hashes (the crate's defaults, OWASP's minimum), hashes imported
//! from other systems ([`imported`]), and Okta's default password policy. Hashing costs tens of
//! milliseconds: callers run it off the async workers.

pub mod history;
pub mod imported;

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

/// Whether `password` matches the stored `hash` (an argon2id PHC string or an imported hash).
/// A malformed hash never matches.
pub fn verify(password: &Secret, hash: &str) -> bool {
    if imported::is_imported(hash) {
        return verify_imported(password, hash);
    }
    Argon2::default()
        .verify_password(password.expose().as_bytes(), hash)
        .is_ok()
}

/// Reusable argon2id working memory (about 19 MiB with the default parameters). A thread that
/// keeps one verifies without asking the allocator for a fresh block each time, so memory stays
/// at one block per such thread instead of one retained per allocator arena.
#[derive(Debug, Default)]
pub struct Memory(Vec<argon2::Block>);

impl Memory {
    /// The first blocks of the memory, as many as `params` need (grown when short).
    fn blocks(&mut self, params: &argon2::Params) -> Option<&mut [argon2::Block]> {
        let n = params.block_count();
        if self.0.len() < n {
            self.0.resize(n, argon2::Block::default());
        }
        self.0.get_mut(..n)
    }
}

/// Like [`hash`], computing in `memory`.
pub fn hash_in(memory: &mut Memory, password: &Secret) -> Result<String, Error> {
    use argon2::password_hash::phc::{Output, ParamsString, Salt};
    use argon2::{Algorithm, Params, Version};
    let failed = || Error::invalid_field("password", "could not be hashed");
    let salt = argon2::password_hash::try_generate_salt().map_err(|_| failed())?;
    let params = Params::default();
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    let work = memory.blocks(&params).ok_or_else(failed)?;
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    argon
        .hash_password_into_with_memory(password.expose().as_bytes(), &salt, &mut out, work)
        .map_err(|_| failed())?;
    let phc = argon2::PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(&params).map_err(|_| failed())?,
        salt: Some(Salt::new(&salt).map_err(|_| failed())?),
        hash: Some(Output::new(&out).map_err(|_| failed())?),
    };
    Ok(phc.to_string())
}

fn verify_imported(password: &Secret, hash: &str) -> bool {
    imported::ImportedHash::from_stored(hash).is_some_and(|h| h.verify(password))
}

/// What a password came to against a stored hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// It does not match (or the stored hash is malformed).
    Wrong,
    /// It matches.
    Right,
    /// It matches an imported hash; this argon2id hash of it should replace that one.
    RightUpgraded(String),
}

/// Like [`verify_in`]; a right password against an imported hash is also hashed with argon2id,
/// so the caller can replace the imported hash (a failure to hash leaves it in place).
pub fn verify_upgrading_in(memory: &mut Memory, password: &Secret, hash: &str) -> Verdict {
    if !verify_in(memory, password, hash) {
        return Verdict::Wrong;
    }
    if !imported::is_imported(hash) {
        return Verdict::Right;
    }
    hash_in(memory, password).map_or(Verdict::Right, Verdict::RightUpgraded)
}

/// Like [`verify`], computing in `memory` (grown to the hash's cost when needed).
pub fn verify_in(memory: &mut Memory, password: &Secret, hash: &str) -> bool {
    if imported::is_imported(hash) {
        return verify_imported(password, hash);
    }
    let Ok(parsed) = argon2::PasswordHash::new(hash) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (&parsed.salt, &parsed.hash) else {
        return false;
    };
    let (Ok(params), Ok(algorithm)) = (
        argon2::Params::try_from(&parsed),
        argon2::Algorithm::try_from(parsed.algorithm.as_str()),
    ) else {
        return false;
    };
    let Ok(version) = parsed.version.map(argon2::Version::try_from).transpose() else {
        return false;
    };
    let Some(work) = memory.blocks(&params) else {
        return false;
    };
    let mut out = vec![0u8; expected.len()];
    let argon = Argon2::new(algorithm, version.unwrap_or_default(), params);
    argon
        .hash_password_into_with_memory(password.expose().as_bytes(), salt, &mut out, work)
        .is_ok()
        && argon2::password_hash::phc::Output::new(&out).is_ok_and(|o| &o == expected)
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
    fn verify_in_reused_memory() {
        let mut memory = Memory::default();
        let h = hash(&Secret::new("Correct-Horse-1")).unwrap();
        let h2 = hash_in(&mut memory, &Secret::new("Correct-Horse-1")).unwrap();
        assert_ne!(h, h2);
        assert!(verify(&Secret::new("Correct-Horse-1"), &h2));
        for _ in 0..2 {
            assert!(verify_in(&mut memory, &Secret::new("Correct-Horse-1"), &h));
            assert!(!verify_in(&mut memory, &Secret::new("Correct-Horse-2"), &h));
        }
        assert!(!verify_in(&mut memory, &Secret::new("x"), "not a hash"));
    }

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
