//! The answer to a valid authorize request for a signed-in user: the user must be active and
//! assigned, a custom server's policy decides, then the tokens are minted and/or a code is
//! stored with its grant, and the whole answer goes back in the response mode. Every outcome
//! is in the System Log (a code's events are written with the code, in one transaction).

use axum::response::{IntoResponse, Response};
use tollgate_core::Timestamp;
use tollgate_core::directory::{User, UserStatus};
use tollgate_core::log::{Entity, LogEvent, Result as Outcome};
use tollgate_core::oauth::authorize::AuthorizeRequest;
use tollgate_core::oauth::decision::{Decision, IdShape};
use tollgate_core::oauth::grant::{CODE_SECS, Grant};
use tollgate_core::secret::Secret;
use tollgate_core::session::Session;

use super::Authorize;
use crate::oauth::decide::{Person, decide};
use crate::oauth::error::{OAuthCode, Refusal};
use crate::oauth::mint::{Minted, Want, mint};
use crate::oauth::reply;

impl Authorize<'_> {
    /// Decides and answers for `user`, signed in by `session`; refusals go back to the client.
    pub(super) async fn for_user(
        &self,
        request: &AuthorizeRequest,
        user: User,
        session: &Session,
    ) -> Response {
        let person = match Person::load(
            self.state,
            user,
            Some(session.auth_time),
            session.amr.clone(),
            Some(session.id.clone()),
        )
        .await
        {
            Ok(p) => p,
            Err(refusal) => {
                return self
                    .refusal(refusal.error, request.reply.clone())
                    .into_response();
            }
        };
        let outcome =
            if person.user.status == UserStatus::Active {
                self.grant(request, &person).await
            } else {
                Err(
                    Refusal::new(OAuthCode::AccessDenied, "The user is not active.").because(
                        format!("user {} is {}", person.user.id, person.user.status.as_str()),
                    ),
                )
            };
        match outcome {
            Ok(r) => r,
            Err(refusal) => {
                let event = self.event(
                    request,
                    &person,
                    ".authorize",
                    "OAuth2 authorization request",
                );
                let outcome = if refusal.error.code == OAuthCode::AccessDenied {
                    Outcome::Deny
                } else {
                    Outcome::Failure
                };
                let event = event
                    .outcome(outcome, Some(refusal.reason().to_owned()))
                    .debug("error", refusal.error.code.as_str());
                self.state.events().record(vec![event]).await;
                self.refusal(refusal.error, request.reply.clone())
                    .into_response()
            }
        }
    }

    /// An event of this request about `person`.
    fn event(
        &self,
        request: &AuthorizeRequest,
        person: &Person,
        kind: &str,
        message: &str,
    ) -> LogEvent {
        let mut e = self
            .audit
            .event(
                Entity::user(&person.user),
                &format!("{}{kind}", self.server.event_prefix()),
                message,
                self.state.clock().now(),
            )
            .target(Entity::app(self.app))
            .outcome(Outcome::Success, None)
            .debug("requestUri", format!("{}/authorize", self.server.base_path))
            .debug("responseType", request.response_types.as_string())
            .debug("requestedScopes", request.scopes.join(" "));
        e.client.client_id = Some(self.app.credentials.client_id.clone());
        e
    }

    /// Decides, mints, stores the code, and answers.
    async fn grant(
        &self,
        request: &AuthorizeRequest,
        person: &Person,
    ) -> Result<Response, Refusal> {
        let types = request.response_types;
        let grant = types.grant();
        let decision = decide(
            self.state,
            self.server,
            self.app,
            Some(person),
            grant,
            &request.scopes,
        )
        .await?;
        let code = types.code.then(|| Secret::generate(32));
        let want = Want {
            access: types.token,
            id: types.id_token.then_some(if types.token {
                IdShape::Thin
            } else {
                IdShape::Fat
            }),
            nonce: request.nonce.as_deref(),
            code: code.as_ref().map(Secret::expose),
            grant_id: None,
        };
        let minted = mint(
            self.state,
            self.server,
            self.app,
            Some(person),
            &decision,
            want,
        )
        .await?;
        crate::telemetry::record::tokens_issued(
            &self.server.id,
            request.response_types.grant().as_str(),
            [
                minted.access_token.is_some(),
                minted.id_token.is_some(),
                false,
            ],
        );
        let events = self.success_events(request, person, &decision, &minted, code.is_some());
        let mut fields: Vec<(&str, String)> = Vec::new();
        if let Some(code) = &code {
            self.store_code(request, person, &decision, code, &events)
                .await?;
            fields.push(("code", code.expose().to_owned()));
        } else {
            self.state.events().record(events).await;
        }
        fields.extend(token_fields(minted, &decision));
        let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        Ok(reply::send(&request.reply, &self.server.issuer, &borrowed))
    }

    /// The events of a granted request, in order: the request (saying why claims were left
    /// out), scopes the policy dropped, the implicit tokens, the code.
    fn success_events(
        &self,
        request: &AuthorizeRequest,
        person: &Person,
        decision: &Decision,
        minted: &Minted,
        code: bool,
    ) -> Vec<LogEvent> {
        let grant = request.response_types.grant();
        let success = |kind: &str, message: &str| {
            let e = self
                .event(request, person, kind, message)
                .debug("grantType", grant.as_str());
            decision.debug(e)
        };
        let mut events = vec![
            minted
                .explain(success(".authorize", "OAuth2 authorization request"))
                .debug("omittedClaims", minted.omitted.len()),
        ];
        if !decision.dropped.is_empty() {
            let why = format!("The policy did not grant: {}", decision.dropped.join(", "));
            events.push(
                success(".authorize.scope_denied", "OAuth2 scopes denied by policy")
                    .outcome(Outcome::Deny, Some(why)),
            );
        }
        if minted.access_token.is_some() {
            events.push(success(
                ".authorize.implicit.access_token",
                "OAuth2 authorization implicit access token request",
            ));
        }
        if minted.id_token.is_some() {
            events.push(success(
                ".authorize.implicit.id_token",
                "OAuth2 authorization implicit ID token request",
            ));
        }
        if code {
            events.push(success(
                ".authorize.code",
                "OAuth2 authorization code request",
            ));
        }
        events
    }

    /// Stores the code with its grant and the request's events, in one transaction.
    async fn store_code(
        &self,
        request: &AuthorizeRequest,
        person: &Person,
        decision: &Decision,
        code: &Secret,
        events: &[LogEvent],
    ) -> Result<(), Refusal> {
        let now = self.state.clock().now();
        let grant = Grant {
            id: Grant::new_id(),
            server_id: self.server.id.clone(),
            client_id: self.app.credentials.client_id.clone(),
            user_id: Some(person.user.id.as_str().to_owned()),
            grant_type: tollgate_core::app::vocab::GrantType::AuthorizationCode,
            scopes: decision.scopes.clone(),
            auth_time: person.auth_time,
            amr: person.amr.clone(),
            session_id: person.session_id.clone(),
            nonce: request.nonce.clone(),
            lifetimes: decision.lifetimes,
            created: now,
        };
        self.state
            .store()
            .create_code(
                &grant,
                &code.digest(),
                &request.reply.redirect_uri,
                request.code_challenge.as_deref(),
                Timestamp::from_millis(now.millis() + CODE_SECS * 1000),
                events,
            )
            .await?;
        Ok(())
    }
}

/// The implicit answer's fields: the access token with its type, lifetime and scope, and the
/// ID token.
fn token_fields(minted: Minted, decision: &Decision) -> Vec<(&'static str, String)> {
    let mut fields = Vec::new();
    if let Some(at) = minted.access_token {
        fields.push(("access_token", at));
        fields.push(("token_type", "Bearer".to_owned()));
        fields.push(("expires_in", minted.expires_in.to_string()));
        fields.push(("scope", decision.scope_string()));
    }
    if let Some(id) = minted.id_token {
        fields.push(("id_token", id));
    }
    fields
}
