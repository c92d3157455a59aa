//! What an app's `credentials.scheme` lets an admin set on a user's assignment
//! (`credentials.userName`, `credentials.password.value`), and the user name an assignment
//! gets from the app's `credentials.userNameTemplate` when the request names none.
//!
//! Okta's Application Users API: "If you attempt to assign a username or password to an app
//! with an incompatible authentication scheme", it answers "Credentials should not be set on
//! this resource based on the scheme."

use serde_json::{Map, Value};

use crate::app::invalid;
use crate::error::{Cause, Error};

/// Okta's words for credentials the scheme does not take.
pub const REFUSED: &str = "Credentials should not be set on this resource based on the scheme.";

/// `SHARED_USERNAME_AND_PASSWORD`: one user name and password, set on the app, for everyone.
pub const SHARED: &str = "SHARED_USERNAME_AND_PASSWORD";

/// `EXTERNAL_PASSWORD_SYNC`: the password is the user's Okta password.
pub const EXTERNAL_SYNC: &str = "EXTERNAL_PASSWORD_SYNC";

/// What a request sets on an assignment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sent {
    /// `credentials.userName` is present.
    pub user_name: bool,
    /// `credentials.password.value` is present.
    pub password: bool,
}

/// Which parts an admin may set under `scheme`: `(userName, password)`. `None` is an app that
/// keeps no passwords (bookmark, SAML, WS-Federation, OpenID Connect): a user name only.
pub fn settable(scheme: Option<&str>) -> (bool, bool) {
    match scheme {
        None => (true, false),
        Some(SHARED) => (false, false),
        Some(EXTERNAL_SYNC) => (true, false),
        Some(_) => (true, true),
    }
}

/// Refuses credentials the app's scheme does not take, as Okta does.
pub fn check(scheme: Option<&str>, sent: Sent) -> Result<(), Error> {
    let (user_name, password) = settable(scheme);
    if (sent.user_name && !user_name) || (sent.password && !password) {
        return Err(invalid(vec![Cause::field("credentials", REFUSED)]));
    }
    Ok(())
}

/// A sent password: a non-empty string of at most 1,024 characters.
pub fn check_password(value: &str) -> Result<(), Error> {
    let len = value.chars().count();
    if len == 0 || len > 1024 {
        return Err(invalid(vec![Cause::field(
            "credentials.password.value",
            "must be from 1 to 1024 characters long",
        )]));
    }
    Ok(())
}

/// The user name a new assignment gets from the app's `userNameTemplate`: a template that is
/// exactly `${source.<property>}` takes that property of the user's profile when it is a
/// non-empty string; any other template (or a missing property) gives the login, which is
/// what Okta's default `${source.login}` gives.
pub fn default_user_name(
    template: &Map<String, Value>,
    profile: &Map<String, Value>,
    login: &str,
) -> String {
    template
        .get("template")
        .and_then(Value::as_str)
        .and_then(|t| t.trim().strip_prefix("${source.")?.strip_suffix('}'))
        .filter(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .and_then(|p| profile.get(p))
        .and_then(Value::as_str)
        .filter(|v| !v.trim().is_empty())
        .unwrap_or(login)
        .to_owned()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const BOTH: Sent = Sent {
        user_name: true,
        password: true,
    };
    const NAME: Sent = Sent {
        user_name: true,
        password: false,
    };
    const PASSWORD: Sent = Sent {
        user_name: false,
        password: true,
    };

    #[test]
    fn each_scheme_takes_what_okta_lets_an_admin_set() {
        let table: [(Option<&str>, Sent, bool); 15] = [
            (Some("EDIT_USERNAME_AND_PASSWORD"), BOTH, true),
            (Some("ADMIN_SETS_CREDENTIALS"), BOTH, true),
            (Some("EDIT_PASSWORD_ONLY"), BOTH, true),
            (Some(EXTERNAL_SYNC), NAME, true),
            (Some(EXTERNAL_SYNC), PASSWORD, false),
            (Some(EXTERNAL_SYNC), BOTH, false),
            (Some(SHARED), NAME, false),
            (Some(SHARED), PASSWORD, false),
            (Some(SHARED), Sent::default(), true),
            (None, NAME, true),
            (None, PASSWORD, false),
            (None, BOTH, false),
            (None, Sent::default(), true),
            (Some("EDIT_USERNAME_AND_PASSWORD"), PASSWORD, true),
            (Some("ADMIN_SETS_CREDENTIALS"), NAME, true),
        ];
        for (scheme, sent, ok) in table {
            let got = check(scheme, sent);
            assert_eq!(got.is_ok(), ok, "{scheme:?} {sent:?}");
            if let Err(e) = got {
                assert!(format!("{e:?}").contains(REFUSED), "{e:?}");
            }
        }
    }

    #[test]
    fn passwords_must_have_a_length() {
        assert!(check_password("").is_err());
        assert!(check_password(&"x".repeat(1025)).is_err());
        assert!(check_password("s3cret!").is_ok());
    }

    #[test]
    fn the_template_names_a_profile_property() {
        let profile = json!({"login": "a@example.com", "email": "alice@example.org", "nick": ""});
        let profile = profile.as_object().cloned().unwrap_or_default();
        let t = |s: &str| {
            json!({"template": s, "type": "BUILT_IN"})
                .as_object()
                .cloned()
                .unwrap_or_default()
        };
        let cases = [
            ("${source.login}", "a@example.com"),
            ("${source.email}", "alice@example.org"),
            ("${source.nick}", "a@example.com"),
            ("${source.missing}", "a@example.com"),
            ("String.toUpperCase(user.login)", "a@example.com"),
            ("${source.a.b}", "a@example.com"),
        ];
        for (template, want) in cases {
            assert_eq!(
                default_user_name(&t(template), &profile, "a@example.com"),
                want,
                "{template}"
            );
        }
        assert_eq!(default_user_name(&Map::new(), &profile, "x"), "x");
    }
}
