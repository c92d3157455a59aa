//! Creating and replacing a custom authorization server (`management-api.md` section 5.1).

use super::{Causes, non_blank};
use crate::clock::Timestamp;
use crate::error::Error;
use crate::id::AuthServerId;
use crate::server::{AuthServer, IssuerMode, RotationMode, Status};

/// Longest accepted server name.
pub const NAME_MAX: usize = 128;

/// What an admin sends to create or replace a server; absent fields are `None`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServerInput {
    /// `name`.
    pub name: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `audiences`.
    pub audiences: Option<Vec<String>>,
    /// `issuerMode`.
    pub issuer_mode: Option<String>,
    /// `credentials.signing.rotationMode`.
    pub rotation_mode: Option<String>,
}

/// True when `aud` is acceptable: any text without `:`, or a URI with a scheme.
fn valid_audience(aud: &str) -> bool {
    if aud.trim().is_empty() || aud.chars().any(char::is_whitespace) {
        return false;
    }
    match aud.split_once(':') {
        None => true,
        Some((scheme, rest)) => {
            let mut chars = scheme.chars();
            chars.next().is_some_and(|c| c.is_ascii_alphabetic())
                && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
                && !rest.is_empty()
        }
    }
}

struct Checked {
    name: String,
    description: String,
    audiences: Vec<String>,
    issuer_mode: IssuerMode,
    rotation_mode: RotationMode,
}

fn check(input: &ServerInput, current: Option<&AuthServer>) -> Result<Checked, Error> {
    let mut causes = Causes::default();
    let name = non_blank(input.name.as_deref());
    match &name {
        None => causes.add("name", "The field cannot be left blank"),
        Some(n) if n.chars().count() > NAME_MAX => causes.add(
            "name",
            format!("The field cannot exceed {NAME_MAX} characters"),
        ),
        Some(_) => {}
    }
    let audiences = input.audiences.clone().unwrap_or_default();
    match audiences.as_slice() {
        [] => causes.add("audiences", "The field cannot be left blank"),
        [aud] if !valid_audience(aud) => causes.add("audiences", "Audience must be a valid URI"),
        [_] => {}
        _ => causes.add("audiences", "Exactly one audience is supported"),
    }
    let issuer_mode = match input.issuer_mode.as_deref() {
        None => current.map_or(IssuerMode::OrgUrl, |s| s.issuer_mode),
        Some(m) => IssuerMode::parse(m).unwrap_or_else(|| {
            causes.add(
                "issuerMode",
                "Invalid value; expected ORG_URL, CUSTOM_URL or DYNAMIC",
            );
            IssuerMode::OrgUrl
        }),
    };
    let rotation_mode = match input.rotation_mode.as_deref() {
        None => current.map_or(RotationMode::Auto, |s| s.rotation_mode),
        Some(m) => RotationMode::parse(m).unwrap_or_else(|| {
            causes.add("rotationMode", "Invalid value; expected AUTO or MANUAL");
            RotationMode::Auto
        }),
    };
    causes.finish()?;
    Ok(Checked {
        name: name.unwrap_or_default(),
        description: non_blank(input.description.as_deref()).unwrap_or_default(),
        audiences,
        issuer_mode,
        rotation_mode,
    })
}

impl AuthServer {
    /// A new active server from an admin's request.
    pub fn create(input: &ServerInput, now: Timestamp) -> Result<Self, Error> {
        let c = check(input, None)?;
        Ok(Self {
            id: AuthServerId::generate(),
            name: c.name,
            description: c.description,
            audiences: c.audiences,
            issuer_mode: c.issuer_mode,
            status: Status::Active,
            rotation_mode: c.rotation_mode,
            created: now,
            last_updated: now,
        })
    }

    /// Replaces the editable fields (`PUT`): name and audiences are required again.
    pub fn replace(&mut self, input: &ServerInput, now: Timestamp) -> Result<(), Error> {
        let c = check(input, Some(self))?;
        self.name = c.name;
        self.description = c.description;
        self.audiences = c.audiences;
        self.issuer_mode = c.issuer_mode;
        self.rotation_mode = c.rotation_mode;
        self.last_updated = now;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(name: &str, aud: &[&str]) -> ServerInput {
        ServerInput {
            name: Some(name.into()),
            audiences: Some(aud.iter().map(|a| (*a).to_owned()).collect()),
            ..ServerInput::default()
        }
    }

    #[test]
    fn create_defaults_and_rules() {
        let s = AuthServer::create(
            &input("Sample", &["api://default"]),
            Timestamp::from_millis(1),
        )
        .unwrap();
        assert!(s.id.as_str().starts_with("aus"));
        assert_eq!(s.issuer_mode, IssuerMode::OrgUrl);
        assert_eq!(s.rotation_mode, RotationMode::Auto);
        assert_eq!(s.description, "");
        assert!(!s.is_default());
        for (name, aud) in [
            ("", vec!["api://x"]),
            ("x", vec![]),
            ("x", vec!["a", "b"]),
            ("x", vec!["1bad:scheme"]),
            ("x", vec!["has space"]),
        ] {
            let e = AuthServer::create(&input(name, &aud), Timestamp::from_millis(1));
            assert!(matches!(e, Err(Error::Invalid { .. })), "{name} {aud:?}");
        }
        assert!(
            AuthServer::create(&input("x", &["plain-audience"]), Timestamp::from_millis(1)).is_ok()
        );
        let mut bad = input("x", &["api://x"]);
        bad.rotation_mode = Some("SOMETIMES".into());
        assert!(AuthServer::create(&bad, Timestamp::from_millis(1)).is_err());
    }

    #[test]
    fn replace_keeps_unsent_modes() {
        let mut i = input("x", &["api://x"]);
        i.rotation_mode = Some("MANUAL".into());
        let mut s = AuthServer::create(&i, Timestamp::from_millis(1)).unwrap();
        s.replace(&input("y", &["api://y"]), Timestamp::from_millis(2))
            .unwrap();
        assert_eq!(s.rotation_mode, RotationMode::Manual);
        assert_eq!(s.name, "y");
        assert_eq!(s.last_updated, Timestamp::from_millis(2));
    }
}
