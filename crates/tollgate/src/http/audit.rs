//! Who made a request and from where, for the System Log: the actor (the API token), the
//! client (its address, user agent) and the transaction (the request id).

use std::net::IpAddr;

use axum::http::header::USER_AGENT;
use axum::http::request::Parts;
use tollgate_core::Timestamp;
use tollgate_core::log::{Client, Entity, LogEvent};

/// The request id, put into the request's extensions by the header middleware.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// The client's address (the peer, or what trusted proxies forwarded), put into the request's
/// extensions by [`crate::http::observe`].
#[derive(Debug, Clone, Copy)]
pub struct ClientIp(pub IpAddr);

impl ClientIp {
    /// The address of the request whose extensions these are, as text.
    pub fn of(extensions: &axum::http::Extensions) -> Option<String> {
        extensions.get::<Self>().map(|Self(ip)| ip.to_string())
    }
}

/// The context every event of one request shares.
#[derive(Debug, Clone)]
pub struct Audit {
    /// Who acts.
    pub actor: Entity,
    /// From where.
    pub client: Client,
    /// The request id.
    pub transaction_id: String,
    /// The API token used, if any.
    pub api_token_id: Option<String>,
}

impl Audit {
    /// Reads the client and transaction from a request; `actor` is whoever authenticated.
    pub fn from_parts(parts: &Parts, actor: Entity, api_token_id: Option<String>) -> Self {
        let ip = ClientIp::of(&parts.extensions);
        let user_agent = parts
            .headers
            .get(USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let transaction_id = parts
            .extensions
            .get::<RequestId>()
            .map(|r| r.0.clone())
            .unwrap_or_default();
        Self {
            actor,
            client: Client {
                ip,
                user_agent,
                client_id: None,
            },
            transaction_id,
            api_token_id,
        }
    }

    /// The context of changes made from the command line (`tollgate apply`, `serve --demo`):
    /// there is no request and no API token, so the CLI itself is the actor, and one run of a
    /// command is one transaction.
    pub fn system(command: &str) -> Self {
        Self {
            actor: Entity::new(
                "tollgate-cli",
                "SystemPrincipal",
                format!("tollgate {command}"),
                "Tollgate CLI",
            ),
            client: Client {
                ip: None,
                user_agent: Some(format!("tollgate/{} {command}", env!("CARGO_PKG_VERSION"))),
                client_id: None,
            },
            transaction_id: tollgate_core::id::request_id(),
            api_token_id: None,
        }
    }

    /// A new event of this request.
    pub fn event(&self, event_type: &str, display_message: &str, now: Timestamp) -> LogEvent {
        let mut e = LogEvent::new(event_type, display_message, self.actor.clone(), now);
        e.client = self.client.clone();
        e.transaction_id = self.transaction_id.clone();
        e.api_token_id = self.api_token_id.clone();
        e
    }

    /// `user.session.end` for session `s`, ended by this request.
    pub fn session_end(&self, s: &tollgate_core::session::Session, now: Timestamp) -> LogEvent {
        let mut e = self
            .event("user.session.end", "User logout from Okta", now)
            .target(Entity::id_only(s.user_id.as_str(), "User"));
        e.session_id = Some(s.id.clone());
        e
    }
}

/// The audit context of an anonymous request (sign-in, session exchange): the actor is set on
/// each event once the user is known.
#[derive(Debug, Clone)]
pub struct Anonymous(pub Audit);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Anonymous {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let nobody = Entity::new("unknown", "User", "unknown", "unknown");
        Ok(Self(Audit::from_parts(parts, nobody, None)))
    }
}

impl Anonymous {
    /// A new event of this request by `actor`.
    pub fn event(
        &self,
        actor: Entity,
        event_type: &str,
        display_message: &str,
        now: Timestamp,
    ) -> LogEvent {
        let mut e = self.0.event(event_type, display_message, now);
        e.actor = actor;
        e
    }
}
