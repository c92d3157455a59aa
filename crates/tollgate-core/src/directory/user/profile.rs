//! Okta's default profile rules.

use serde_json::{Map, Value};

use crate::directory::login;
use crate::error::{Cause, Error};

fn required_text(
    profile: &Map<String, Value>,
    field: &str,
    causes: &mut Vec<Cause>,
) -> Option<String> {
    match profile.get(field) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        _ => {
            causes.push(Cause::field(field, "The field cannot be left blank"));
            None
        }
    }
}

fn email_shaped(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && !s.contains(char::is_whitespace)
        }
        None => false,
    }
}

/// Okta's default profile rules: `login` (5 to 100 characters, email-shaped), `email`,
/// `firstName` and `lastName` are required; other attributes are kept as sent.
pub fn validate_profile(mut profile: Map<String, Value>) -> Result<Map<String, Value>, Error> {
    let mut causes = Vec::new();
    if let Some(login) = required_text(&profile, "login", &mut causes) {
        let login = login::normalize(&login);
        let len = login.chars().count();
        if login::has_invisible(&login) {
            causes.push(Cause::field("login", login::INVISIBLE_MESSAGE));
        } else if !(5..=100).contains(&len) {
            causes.push(Cause::field(
                "login",
                "must be between 5 and 100 characters",
            ));
        } else if !email_shaped(&login) {
            causes.push(Cause::field(
                "login",
                "Username must be in the form of an email address",
            ));
        }
        profile.insert("login".into(), Value::String(login));
    }
    if let Some(email) = required_text(&profile, "email", &mut causes)
        && !email_shaped(&email)
    {
        causes.push(Cause::field("email", "Does not match required pattern"));
    }
    required_text(&profile, "firstName", &mut causes);
    required_text(&profile, "lastName", &mut causes);
    Error::unless_causes(causes)?;
    Ok(profile)
}
