//! System Log events in Okta's `LogEvent` shape. Every admin change and every sign-in and token
//! decision is recorded as one; secrets, passwords and tokens never appear in them.

use serde_json::{Map, Value, json};

use crate::clock::Timestamp;

/// How serious an event is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// `DEBUG`.
    Debug,
    /// `INFO`.
    Info,
    /// `WARN`.
    Warn,
    /// `ERROR`.
    Error,
}

impl Severity {
    /// Okta's wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Debug => "DEBUG",
            Self::Info => "INFO",
            Self::Warn => "WARN",
            Self::Error => "ERROR",
        }
    }
}

/// `outcome.result`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Result {
    /// It worked.
    Success,
    /// It failed.
    Failure,
    /// A policy allowed it.
    Allow,
    /// A policy refused it.
    Deny,
    /// Nothing was done.
    Skipped,
}

impl Result {
    /// Okta's wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Success => "SUCCESS",
            Self::Failure => "FAILURE",
            Self::Allow => "ALLOW",
            Self::Deny => "DENY",
            Self::Skipped => "SKIPPED",
        }
    }
}

/// Who or what an event is about or was done by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entity {
    /// The object's id.
    pub id: String,
    /// Okta's type name: `User`, `UserGroup`, `AppInstance`, `AuthorizationServer`, ...
    pub kind: String,
    /// A second identifier (a login, an app label).
    pub alternate_id: String,
    /// A name for people.
    pub display_name: String,
}

impl Entity {
    /// An entity.
    pub fn new(
        id: impl Into<String>,
        kind: &str,
        alternate_id: impl Into<String>,
        display_name: impl Into<String>,
    ) -> Self {
        Self {
            id: id.into(),
            kind: kind.to_owned(),
            alternate_id: alternate_id.into(),
            display_name: display_name.into(),
        }
    }

    /// An object known only by its id (its id stands in for its names).
    pub fn id_only(id: &str, kind: &str) -> Self {
        Self::new(id, kind, id, id)
    }

    /// A user as a target or actor.
    pub fn user(u: &crate::directory::User) -> Self {
        let name = [u.profile.get("firstName"), u.profile.get("lastName")]
            .iter()
            .filter_map(|v| v.and_then(Value::as_str))
            .collect::<Vec<_>>()
            .join(" ");
        Self::new(u.id.as_str(), "User", u.login(), name)
    }

    /// A group as a target.
    pub fn group(g: &crate::directory::Group) -> Self {
        Self::new(g.id.as_str(), "UserGroup", g.name(), g.name())
    }

    /// An app as a target.
    pub fn app(a: &crate::app::App) -> Self {
        Self::new(
            a.id.as_str(),
            "AppInstance",
            a.label.clone(),
            a.label.clone(),
        )
    }

    /// An OAuth client as the actor of its own requests (token, revocation, authorize before a
    /// user is known), named by its `client_id`.
    pub fn client(a: &crate::app::App) -> Self {
        Self::new(
            &a.credentials.client_id,
            "PublicClientApp",
            &a.credentials.client_id,
            &a.label,
        )
    }

    /// An authorization server as a target.
    pub fn authorization_server(s: &crate::server::AuthServer) -> Self {
        Self::new(s.id.as_str(), "AuthorizationServer", &s.name, &s.name)
    }

    /// The org as a target.
    pub fn org(o: &crate::org::Org) -> Self {
        Self::new(
            o.id.as_str(),
            "Org",
            o.subdomain.clone(),
            o.company_name.clone(),
        )
    }

    fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "type": self.kind,
            "alternateId": self.alternate_id,
            "displayName": self.display_name,
            "detailEntry": null,
        })
    }
}

/// Where a request came from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Client {
    /// The peer's IP address.
    pub ip: Option<String>,
    /// The raw `User-Agent`.
    pub user_agent: Option<String>,
    /// The OAuth client involved, if any.
    pub client_id: Option<String>,
}

/// One event.
#[derive(Debug, Clone, PartialEq)]
pub struct LogEvent {
    /// A random UUID.
    pub uuid: String,
    /// When it happened.
    pub published: Timestamp,
    /// `group.lifecycle.create`, `app.oauth2.as.authorize`, ...
    pub event_type: String,
    /// How serious.
    pub severity: Severity,
    /// A sentence for people.
    pub display_message: String,
    /// Who did it.
    pub actor: Entity,
    /// From where.
    pub client: Client,
    /// What came of it.
    pub outcome: Result,
    /// Why, in plain words (denials and failures).
    pub reason: Option<String>,
    /// What it was done to.
    pub targets: Vec<Entity>,
    /// The request id (`X-Okta-Request-Id`).
    pub transaction_id: String,
    /// The API token that made the request, if one did.
    pub api_token_id: Option<String>,
    /// Details for troubleshooting (`debugContext.debugData`).
    pub debug_data: Map<String, Value>,
    /// The session behind the request, if any.
    pub session_id: Option<String>,
}

/// A random RFC 4122 version 4 UUID.
pub fn uuid_v4() -> String {
    let mut b = crate::id::random_bytes(16);
    if let Some(x) = b.get_mut(6) {
        *x = (*x & 0x0f) | 0x40;
    }
    if let Some(x) = b.get_mut(8) {
        *x = (*x & 0x3f) | 0x80;
    }
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        hex.get(0..8).unwrap_or_default(),
        hex.get(8..12).unwrap_or_default(),
        hex.get(12..16).unwrap_or_default(),
        hex.get(16..20).unwrap_or_default(),
        hex.get(20..32).unwrap_or_default()
    )
}

impl LogEvent {
    /// A successful `INFO` event of `event_type` by `actor`.
    pub fn new(
        event_type: &str,
        display_message: &str,
        actor: Entity,
        published: Timestamp,
    ) -> Self {
        Self {
            uuid: uuid_v4(),
            published,
            event_type: event_type.to_owned(),
            severity: Severity::Info,
            display_message: display_message.to_owned(),
            actor,
            client: Client::default(),
            outcome: Result::Success,
            reason: None,
            targets: Vec::new(),
            transaction_id: String::new(),
            api_token_id: None,
            debug_data: Map::new(),
            session_id: None,
        }
    }

    /// Adds a target.
    #[must_use]
    pub fn target(mut self, t: Entity) -> Self {
        self.targets.push(t);
        self
    }

    /// Sets the outcome and its reason; failures and denials become `WARN`.
    #[must_use]
    pub fn outcome(mut self, result: Result, reason: Option<String>) -> Self {
        if matches!(result, Result::Failure | Result::Deny) && self.severity == Severity::Info {
            self.severity = Severity::Warn;
        }
        self.outcome = result;
        self.reason = reason;
        self
    }

    /// Adds a `debugContext.debugData` entry.
    #[must_use]
    pub fn debug(mut self, key: &str, value: impl Into<Value>) -> Self {
        self.debug_data.insert(key.to_owned(), value.into());
        self
    }

    /// The event in Okta's JSON shape.
    pub fn to_json(&self) -> Value {
        let mut detail = Map::new();
        if let Some(t) = &self.api_token_id {
            detail.insert("requestApiTokenId".into(), json!(t));
        }
        json!({
            "uuid": self.uuid,
            "published": self.published,
            "eventType": self.event_type,
            "version": "0",
            "severity": self.severity.as_str(),
            "legacyEventType": null,
            "displayMessage": self.display_message,
            "actor": self.actor.to_json(),
            "client": {
                "userAgent": self.client.user_agent.as_ref().map(|ua| json!({"rawUserAgent": ua, "os": "Unknown", "browser": "UNKNOWN"})),
                "zone": "null",
                "device": "Unknown",
                "id": self.client.client_id,
                "ipAddress": self.client.ip,
                "geographicalContext": null,
            },
            "outcome": {"result": self.outcome.as_str(), "reason": self.reason},
            "target": self.targets.iter().map(Entity::to_json).collect::<Vec<_>>(),
            "transaction": {"type": "WEB", "id": self.transaction_id, "detail": detail},
            "debugContext": {"debugData": self.debug_data},
            "authenticationContext": {"authenticationStep": 0, "externalSessionId": self.session_id},
        })
    }

    /// Lower-cased words of every string value, for keyword (`q`) search.
    pub fn search_text(&self) -> String {
        search_text_of(&self.to_json())
    }

    /// The event's JSON (as [`LogEvent::to_json`]) and its search text (as
    /// [`LogEvent::search_text`]), from one conversion: what storing an event needs.
    pub fn json_and_search_text(&self) -> (Value, String) {
        let json = self.to_json();
        let text = search_text_of(&json);
        (json, text)
    }
}

/// Every string of `json`, lowercased, each with a space before it, and one at the end.
fn search_text_of(json: &Value) -> String {
    fn walk(v: &Value, out: &mut String) {
        match v {
            Value::String(s) => {
                out.push(' ');
                out.push_str(&s.to_lowercase());
            }
            Value::Array(items) => items.iter().for_each(|i| walk(i, out)),
            Value::Object(m) => m.values().for_each(|i| walk(i, out)),
            _ => {}
        }
    }
    let mut out = String::new();
    walk(json, &mut out);
    out.push(' ');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_shape() {
        let u = uuid_v4();
        assert_eq!(u.len(), 36);
        assert_eq!(u.as_bytes()[14], b'4');
        assert_ne!(u, uuid_v4());
    }

    #[test]
    fn json_shape() {
        let actor = Entity::new("00T1", "SystemPrincipal", "api-token:ci", "ci");
        let e = LogEvent::new(
            "group.lifecycle.create",
            "Create okta user group",
            actor,
            Timestamp::from_millis(0),
        )
        .target(Entity::new("00g1", "UserGroup", "West", "West"))
        .outcome(Result::Failure, Some("why".into()))
        .debug("requestUri", "/api/v1/groups");
        let j = e.to_json();
        assert_eq!(j["severity"], "WARN");
        assert_eq!(j["outcome"], json!({"result": "FAILURE", "reason": "why"}));
        assert_eq!(j["target"][0]["type"], "UserGroup");
        assert_eq!(j["published"], "1970-01-01T00:00:00.000Z");
        assert!(e.search_text().contains(" west "));
    }
}
