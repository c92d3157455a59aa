//! Trusted origins: the web origins Okta lets call its APIs from a browser (`CORS`), redirect
//! to after sign-in or sign-out (`REDIRECT`), or embed its pages in an iframe (`IFRAME_EMBED`).
//!
//! An origin is stored as the admin typed it (Okta echoes it back unchanged, a trailing `/`
//! included) and compared through its [`origin_key`], the form a browser sends in `Origin`.

use crate::clock::Timestamp;
use crate::error::{Cause, Error};
use crate::id::TrustedOriginId;
use crate::server::Status;

/// What a trusted origin is trusted for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ScopeType {
    /// Cross-origin requests from browser code.
    Cors,
    /// Redirects after sign-in, sign-out and recovery.
    Redirect,
    /// Embedding Okta pages in an iframe on that origin.
    IframeEmbed,
}

impl ScopeType {
    /// Okta's wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Cors => "CORS",
            Self::Redirect => "REDIRECT",
            Self::IframeEmbed => "IFRAME_EMBED",
        }
    }

    /// Parses Okta's wire name.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "CORS" => Some(Self::Cors),
            "REDIRECT" => Some(Self::Redirect),
            "IFRAME_EMBED" => Some(Self::IframeEmbed),
            _ => None,
        }
    }
}

/// The only value Okta documents for `allowedOktaApps` (embedding the end-user dashboard).
pub const OKTA_ENDUSER: &str = "OKTA_ENDUSER";

/// One scope of a trusted origin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OriginScope {
    /// What it is trusted for.
    pub kind: ScopeType,
    /// For `IFRAME_EMBED` only: Okta apps besides the sign-in page that may be embedded.
    pub allowed_okta_apps: Vec<String>,
}

/// A trusted origin.
#[derive(Debug, Clone, PartialEq)]
pub struct TrustedOrigin {
    /// `tos…`.
    pub id: TrustedOriginId,
    /// Display name.
    pub name: String,
    /// The origin as given (`https://app.example.com`).
    pub origin: String,
    /// What it is trusted for; never empty, one entry per type.
    pub scopes: Vec<OriginScope>,
    /// Only `ACTIVE` origins are trusted.
    pub status: Status,
    /// When it was created.
    pub created: Timestamp,
    /// Who created it (Tollgate: the API token's id, as the System Log actor).
    pub created_by: String,
    /// When it last changed.
    pub last_updated: Timestamp,
    /// Who changed it last.
    pub last_updated_by: String,
}

/// The editable fields, as sent on create and replace.
#[derive(Debug, Clone, Default)]
pub struct TrustedOriginInput {
    /// `name`.
    pub name: Option<String>,
    /// `origin`.
    pub origin: Option<String>,
    /// `scopes`.
    pub scopes: Option<Vec<OriginScope>>,
}

/// The canonical form of an origin, as a browser sends it in `Origin`: lower-case scheme and
/// host, the port only when it is not the scheme's default, no trailing slash. `None` when
/// `text` is not a bare origin (a path, query, fragment, credentials or wildcard).
///
/// Custom schemes are allowed because hybrid mobile apps call from `capacitor://localhost` or
/// `ionic://localhost`, and Okta's guides tell admins to trust exactly those.
pub fn origin_key(text: &str) -> Option<String> {
    if text.trim() != text || text.contains('*') {
        return None;
    }
    let url = url::Url::parse(text).ok()?;
    let bare = !url.cannot_be_a_base()
        && url.username().is_empty()
        && url.password().is_none()
        && url.query().is_none()
        && url.fragment().is_none()
        && matches!(url.path(), "" | "/");
    let host = url.host_str().filter(|h| !h.is_empty())?;
    if !bare {
        return None;
    }
    Some(match url.port() {
        Some(port) => format!("{}://{host}:{port}", url.scheme()),
        None => format!("{}://{host}", url.scheme()),
    })
}

const BLANK: &str = "The field cannot be left blank";

/// Checks `input` and returns its parts, every problem listed.
fn validate(input: TrustedOriginInput) -> Result<(String, String, Vec<OriginScope>), Error> {
    let mut causes = Vec::new();
    let name = input
        .name
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty());
    if name.is_none() {
        causes.push(Cause::field("name", BLANK));
    } else if name.as_ref().is_some_and(|n| n.chars().count() > 255) {
        causes.push(Cause::field(
            "name",
            "The name must not be longer than 255 characters",
        ));
    }
    let origin = input.origin.filter(|o| !o.trim().is_empty());
    match &origin {
        None => causes.push(Cause::field("origin", BLANK)),
        Some(o) if origin_key(o).is_none() => causes.push(Cause::field(
            "origin",
            "The origin must be a URL made of a scheme and a host (and a port), with no path, \
             query or fragment",
        )),
        Some(_) => {}
    }
    let mut scopes: Vec<OriginScope> = Vec::new();
    for scope in input.scopes.unwrap_or_default() {
        let apps = if scope.kind == ScopeType::IframeEmbed {
            scope.allowed_okta_apps
        } else {
            Vec::new()
        };
        if apps.iter().any(|a| a != OKTA_ENDUSER) {
            causes.push(Cause::field(
                "scopes",
                format!("allowedOktaApps may only contain {OKTA_ENDUSER}"),
            ));
        }
        if !scopes.iter().any(|s| s.kind == scope.kind) {
            scopes.push(OriginScope {
                kind: scope.kind,
                allowed_okta_apps: apps,
            });
        }
    }
    if scopes.is_empty() {
        causes.push(Cause::field(
            "scopes",
            "At least one scope (CORS, REDIRECT or IFRAME_EMBED) is required",
        ));
    }
    match (name, origin, causes.first()) {
        (Some(name), Some(origin), None) => Ok((name, origin, scopes)),
        (_, _, first) => Err(Error::Invalid {
            summary: first
                .and_then(|c| c.field.clone())
                .unwrap_or_else(|| "trustedOrigin".to_owned()),
            causes,
        }),
    }
}

impl TrustedOrigin {
    /// A new `ACTIVE` trusted origin made by `actor`.
    pub fn new(input: TrustedOriginInput, actor: &str, now: Timestamp) -> Result<Self, Error> {
        let (name, origin, scopes) = validate(input)?;
        Ok(Self {
            id: TrustedOriginId::generate(),
            name,
            origin,
            scopes,
            status: Status::Active,
            created: now,
            created_by: actor.to_owned(),
            last_updated: now,
            last_updated_by: actor.to_owned(),
        })
    }

    /// Replaces the editable fields (`PUT`); status and creation stay.
    pub fn replace(
        &mut self,
        input: TrustedOriginInput,
        actor: &str,
        now: Timestamp,
    ) -> Result<(), Error> {
        let (name, origin, scopes) = validate(input)?;
        self.name = name;
        self.origin = origin;
        self.scopes = scopes;
        self.touch(actor, now);
        Ok(())
    }

    /// Records a change by `actor` at `now`.
    pub fn touch(&mut self, actor: &str, now: Timestamp) {
        self.last_updated = now;
        self.last_updated_by = actor.to_owned();
    }

    /// The canonical origin this one matches (see [`origin_key`]).
    pub fn key(&self) -> String {
        origin_key(&self.origin).unwrap_or_else(|| self.origin.clone())
    }

    /// Whether it has the scope `kind`.
    pub fn has_scope(&self, kind: ScopeType) -> bool {
        self.scopes.iter().any(|s| s.kind == kind)
    }

    /// Whether browsers on this origin may call CORS-enabled endpoints now.
    pub fn allows_cors(&self) -> bool {
        self.status == Status::Active && self.has_scope(ScopeType::Cors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_keys() {
        for (text, key) in [
            ("http://example.com", "http://example.com"),
            ("http://localhost:8080/", "http://localhost:8080"),
            ("HTTPS://App.Example.COM:443", "https://app.example.com"),
            ("https://example.com:8443", "https://example.com:8443"),
            ("capacitor://localhost", "capacitor://localhost"),
            ("http://[::1]:3000", "http://[::1]:3000"),
        ] {
            assert_eq!(origin_key(text).as_deref(), Some(key), "{text}");
        }
        for bad in [
            "",
            "example.com",
            "http://example.com/app",
            "http://example.com?x=1",
            "http://example.com#top",
            "http://user:pw@example.com",
            "https://*.example.com",
            " http://example.com",
            "mailto:someone@example.com",
            "null",
            "http://",
        ] {
            assert_eq!(origin_key(bad), None, "{bad}");
        }
    }

    fn input(origin: &str, scopes: &[ScopeType]) -> TrustedOriginInput {
        TrustedOriginInput {
            name: Some("n".into()),
            origin: Some(origin.into()),
            scopes: Some(
                scopes
                    .iter()
                    .map(|&kind| OriginScope {
                        kind,
                        allowed_okta_apps: vec![],
                    })
                    .collect(),
            ),
        }
    }

    #[test]
    fn validation_lists_every_problem() {
        let now = Timestamp::from_millis(0);
        let o = TrustedOrigin::new(
            input(
                "https://a.example",
                &[ScopeType::Cors, ScopeType::Cors, ScopeType::Redirect],
            ),
            "00T1",
            now,
        )
        .unwrap();
        assert_eq!(o.scopes.len(), 2, "duplicate types are folded");
        assert!(o.allows_cors());
        let Err(Error::Invalid { summary, causes }) = TrustedOrigin::new(
            TrustedOriginInput {
                origin: Some("https://a.example/path".into()),
                ..TrustedOriginInput::default()
            },
            "00T1",
            now,
        ) else {
            panic!("accepted");
        };
        assert_eq!(summary, "name");
        let fields: Vec<_> = causes.iter().filter_map(|c| c.field.as_deref()).collect();
        assert_eq!(fields, ["name", "origin", "scopes"]);
    }
}
