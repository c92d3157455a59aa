//! From a request to signed tokens, shared by `/authorize`, `/token` and `/userinfo`: which
//! authorization server answers, whether the scopes exist there, whether the user is assigned
//! and a policy rule lets the request through (custom servers), and then the claims — the
//! engine's custom and groups claims over the user's current groups — signed with the server's
//! active key.
//!
//! Reference: `oauth-endpoints.md` sections 6, 7 and 8.

use std::sync::Arc;

use axum::http::StatusCode;
use serde_json::{Map, Value, json};
use tollgate_core::Timestamp;
use tollgate_core::app::App;
use tollgate_core::app::vocab::GrantType;
use tollgate_core::authz::ServerConfig;
use tollgate_core::authz::rule::TokenLifetimes;
use tollgate_core::directory::{Group, User};
use tollgate_core::oauth::claims::{self, Subject, Token};
use tollgate_core::oauth::policy::{self, OIDC_SCOPES, Person as PolicyPerson};
use tollgate_core::oauth::tokens::{AccessToken, IdToken};
use tollgate_core::server::Status;
use tollgate_core::token::hashes::{at_hash, c_hash};
use tollgate_core::token::keys::ORG_KEY_SET;

use crate::http::ApiError;
use crate::caches::CachedServer;
use crate::oauth::error::{OAuthCode, OAuthError};
use crate::state::AppState;

/// Okta's words for an unexpected failure.
pub const SERVER_ERROR: &str = "The authorization server encountered an unexpected condition that prevented it from fulfilling the request.";
/// Okta's words for a scope the server does not have.
pub const SCOPE_NOT_CONFIGURED: &str =
    "One or more scopes are not configured for the authorization server resource.";
/// Okta's words when the user is not assigned.
pub const NOT_ASSIGNED: &str = "User is not assigned to the client application.";

/// Org-server refresh tokens live 90 days.
const ORG_REFRESH_MINUTES: i64 = 90 * 24 * 60;

/// A refusal on the OAuth endpoints: the error the client sees and, for the System Log, the
/// reason a person troubleshooting needs (which may say more than the client is told).
#[derive(Debug, Clone)]
pub struct Refusal {
    /// What the client is told.
    pub error: OAuthError,
    /// What the log says.
    pub reason: String,
    /// The HTTP status where the error is not a redirect.
    pub status: StatusCode,
}

impl Refusal {
    /// A refusal whose reason is its description.
    pub fn new(code: OAuthCode, description: impl Into<String>) -> Self {
        let error = OAuthError::new(code, description);
        let status = match code {
            OAuthCode::InvalidClient | OAuthCode::InvalidToken => StatusCode::UNAUTHORIZED,
            OAuthCode::InsufficientScope => StatusCode::FORBIDDEN,
            OAuthCode::TemporarilyUnavailable => StatusCode::SERVICE_UNAVAILABLE,
            _ => StatusCode::BAD_REQUEST,
        };
        Self {
            reason: error.description.clone(),
            error,
            status,
        }
    }

    /// With a more detailed log reason.
    pub fn because(mut self, reason: impl Into<String>) -> Self {
        self.reason = reason.into();
        self
    }

    /// With another HTTP status.
    pub fn with_status(mut self, status: StatusCode) -> Self {
        self.status = status;
        self
    }

    /// An unexpected failure: logged in full on the server, generic to the client.
    pub fn internal(details: impl std::fmt::Display) -> Self {
        tracing::error!(error = %details, "OAuth request failed");
        Self::new(OAuthCode::ServerError, SERVER_ERROR)
            .with_status(StatusCode::INTERNAL_SERVER_ERROR)
    }
}

impl From<ApiError> for Refusal {
    fn from(e: ApiError) -> Self {
        Self::internal(format!("{e:?}"))
    }
}

impl From<tollgate_store::Error> for Refusal {
    fn from(e: tollgate_store::Error) -> Self {
        Self::internal(e)
    }
}

/// Which authorization server answers.
#[derive(Debug, Clone)]
pub enum Kind {
    /// The org authorization server (`/oauth2/v1`).
    Org,
    /// A custom server, with everything a decision needs (shared with the cache).
    Custom(Arc<CachedServer>),
}

/// The authorization server of a request.
#[derive(Debug, Clone)]
pub struct AuthServer {
    /// `org`, or the server's id (`default` included): names its keys and its grants.
    pub id: String,
    /// `iss`.
    pub issuer: String,
    /// `/oauth2/v1` or `/oauth2/{id}/v1`.
    pub base_path: String,
    /// Org or custom.
    pub kind: Kind,
}

impl AuthServer {
    /// The server named in the path (`None`: the org server). An unknown or inactive custom
    /// server is Okta's 404.
    pub async fn load(state: &AppState, id: Option<&str>) -> Result<Self, ApiError> {
        let Some(id) = id else {
            return Ok(Self {
                id: ORG_KEY_SET.to_owned(),
                issuer: state.public_url().to_owned(),
                base_path: "/oauth2/v1".to_owned(),
                kind: Kind::Org,
            });
        };
        match state.caches().server(id).await? {
            Some(cached) if cached.config.server.status == Status::Active => Ok(Self {
                id: cached.config.server.id.as_str().to_owned(),
                issuer: cached.config.server.issuer(state.public_url()),
                base_path: format!("/oauth2/{id}/v1"),
                kind: Kind::Custom(cached),
            }),
            _ => Err(ApiError::not_found(id, "AuthorizationServer")),
        }
    }

    /// The server a grant or token of `server_id` belongs to.
    pub async fn load_by_id(state: &AppState, server_id: &str) -> Result<Self, ApiError> {
        Self::load(state, (server_id != ORG_KEY_SET).then_some(server_id)).await
    }

    /// A custom server's configuration.
    pub fn config(&self) -> Option<&ServerConfig> {
        match &self.kind {
            Kind::Org => None,
            Kind::Custom(c) => Some(&c.config),
        }
    }

    /// A custom server's claims, compiled.
    fn compiled_claims(&self) -> Option<&claims::CompiledClaims> {
        match &self.kind {
            Kind::Org => None,
            Kind::Custom(c) => Some(&c.claims),
        }
    }

    /// The prefix of this server's System Log event types.
    pub fn event_prefix(&self) -> &'static str {
        match self.kind {
            Kind::Org => "app.oauth2",
            Kind::Custom(_) => "app.oauth2.as",
        }
    }

    /// The access token `aud`: the org URL, or the server's audiences (a string when one).
    pub fn audience(&self, public_url: &str) -> Value {
        match &self.kind {
            Kind::Org => json!(public_url),
            Kind::Custom(c) => match c.config.server.audiences.as_slice() {
                [one] => json!(one),
                many => json!(many),
            },
        }
    }

    /// The scope names this server knows.
    fn knows_scope(&self, scope: &str) -> bool {
        match &self.kind {
            Kind::Org => OIDC_SCOPES.contains(&scope),
            Kind::Custom(c) => c.config.scopes.iter().any(|s| s.name == scope),
        }
    }

    /// The scopes granted when a client-credentials request names none.
    pub fn default_scopes(&self) -> Vec<String> {
        match &self.kind {
            Kind::Org => Vec::new(),
            Kind::Custom(c) => c
                .config
                .scopes
                .iter()
                .filter(|s| s.default)
                .map(|s| s.name.clone())
                .collect(),
        }
    }
}

/// The user a token is for, as a session knows them.
#[derive(Debug, Clone)]
pub struct Person {
    /// The user.
    pub user: User,
    /// Their groups, `Everyone` included.
    pub groups: Vec<Group>,
    /// When they authenticated.
    pub auth_time: Option<Timestamp>,
    /// How.
    pub amr: Vec<String>,
    /// The browser session, if any.
    pub session_id: Option<String>,
}

impl Person {
    /// `user` with their current groups.
    pub async fn load(
        state: &AppState,
        user: User,
        auth_time: Option<Timestamp>,
        amr: Vec<String>,
        session_id: Option<String>,
    ) -> Result<Self, Refusal> {
        let groups = state.store().groups_of_user(user.id.as_str()).await?;
        Ok(Self {
            user,
            groups,
            auth_time,
            amr,
            session_id,
        })
    }
}

/// What the server decided to grant.
#[derive(Debug, Clone)]
pub struct Decision {
    /// Granted scopes, ascending.
    pub scopes: Vec<String>,
    /// Requested scopes the policy dropped.
    pub dropped: Vec<String>,
    /// Token lifetimes.
    pub lifetimes: TokenLifetimes,
    /// The policy and rule that matched (custom servers).
    pub policy: Option<(String, String)>,
    /// The rule that matched.
    pub rule: Option<(String, String)>,
}

impl Decision {
    /// Whether `scope` was granted.
    pub fn has(&self, scope: &str) -> bool {
        self.scopes.iter().any(|s| s == scope)
    }

    /// The granted scopes, space-separated.
    pub fn scope_string(&self) -> String {
        self.scopes.join(" ")
    }

    /// The decision as System Log debug data.
    pub fn debug(&self, mut e: tollgate_core::log::LogEvent) -> tollgate_core::log::LogEvent {
        e = e.debug("grantedScopes", self.scopes.join(", "));
        if let Some((id, name)) = &self.policy {
            e = e
                .debug("policyId", id.as_str())
                .debug("policyName", name.as_str());
        }
        if let Some((id, name)) = &self.rule {
            e = e
                .debug("ruleId", id.as_str())
                .debug("ruleName", name.as_str());
        }
        if !self.dropped.is_empty() {
            e = e.debug("droppedScopes", self.dropped.join(", "));
        }
        e
    }
}

/// Splits a `scope` parameter.
pub fn split_scopes(raw: &str) -> Vec<String> {
    let mut out: Vec<String> = raw
        .split(' ')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Checks the requested scopes exist on `server`.
pub fn check_scopes(server: &AuthServer, requested: &[String]) -> Result<(), Refusal> {
    match requested.iter().find(|s| !server.knows_scope(s)) {
        Some(unknown) => Err(
            Refusal::new(OAuthCode::InvalidScope, SCOPE_NOT_CONFIGURED).because(format!(
                "scope '{unknown}' is not configured on this authorization server"
            )),
        ),
        None => Ok(()),
    }
}

/// Decides a request: assignment (when a user is involved), then, on custom servers, policy
/// evaluation; the org server grants every requested scope it knows.
pub async fn decide(
    state: &AppState,
    server: &AuthServer,
    app: &App,
    person: Option<&Person>,
    grant: GrantType,
    requested: &[String],
) -> Result<Decision, Refusal> {
    check_scopes(server, requested)?;
    if let Some(p) = person
        && !state
            .store()
            .is_user_assigned(app.id.as_str(), p.user.id.as_str())
            .await?
    {
        return Err(Refusal::new(OAuthCode::AccessDenied, NOT_ASSIGNED));
    }
    let Some(config) = server.config() else {
        return Ok(Decision {
            scopes: requested.to_vec(),
            dropped: Vec::new(),
            lifetimes: TokenLifetimes {
                access_minutes: 60,
                refresh_minutes: ORG_REFRESH_MINUTES,
                refresh_window_minutes: ORG_REFRESH_MINUTES,
            },
            policy: None,
            rule: None,
        });
    };

    let request = policy::Request {
        client_id: &app.credentials.client_id,
        grant,
        scopes: requested,
        person: person.map(|p| PolicyPerson {
            user_id: p.user.id.as_str(),
            group_ids: &p.groups,
        }),
    };
    match policy::evaluate(&config.policies, &request) {
        Ok(g) => Ok(Decision {
            scopes: g.scopes,
            dropped: g.dropped,
            lifetimes: g.lifetimes,
            policy: Some((g.policy_id, g.policy_name)),
            rule: Some((g.rule_id, g.rule_name)),
        }),
        Err(denied) => {
            let status = if denied.description == policy::POLICY_FAILED {
                StatusCode::UNAUTHORIZED
            } else {
                StatusCode::BAD_REQUEST
            };
            Err(Refusal::new(OAuthCode::AccessDenied, denied.description)
                .because(denied.reason())
                .with_status(status))
        }
    }
}

/// Which ID token, if any (`oauth-endpoints.md` §7.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdShape {
    /// Every standard and identity claim.
    Fat,
    /// Base claims, `email`, `name`, `preferred_username`, `alwaysIncludeInToken` claims.
    Thin,
    /// Thin, plus the org server's app groups claim (the code flow on the org server).
    ThinWithGroups,
}

/// What to mint.
#[derive(Debug, Clone, Copy, Default)]
pub struct Want<'a> {
    /// An access token.
    pub access: bool,
    /// An ID token (only with a user and `openid` granted).
    pub id: Option<IdShape>,
    /// The request's `nonce`.
    pub nonce: Option<&'a str>,
    /// The code issued alongside (hybrid), for `c_hash`.
    pub code: Option<&'a str>,
    /// The grant family the access token belongs to, so revoking the family reaches it.
    pub grant_id: Option<&'a str>,
}

/// Signed tokens.
#[derive(Debug, Clone, Default)]
pub struct Minted {
    /// The access token.
    pub access_token: Option<String>,
    /// The ID token.
    pub id_token: Option<String>,
    /// The access token's lifetime, seconds.
    pub expires_in: i64,
    /// Why applicable claims were left out (empty values), for the System Log.
    pub omitted: Vec<String>,
}

impl Minted {
    /// `e` with the reasons claims were left out, if any.
    pub fn explain(&self, mut e: tollgate_core::log::LogEvent) -> tollgate_core::log::LogEvent {
        if !self.omitted.is_empty() {
            e.reason = Some(self.omitted.join(" "));
        }
        e
    }
}

/// Records why each claim in `names` came out empty.
fn note_omitted(
    minted: &mut Minted,
    names: &[String],
    config: &ServerConfig,
    ctx: &tollgate_core::expr::Context,
    groups: &[Group],
) {
    for name in names {
        if let Some(c) = config.claims.iter().find(|c| &c.name == name) {
            let why = claims::why_empty(
                &c.name,
                c.value_type,
                &c.value,
                c.group_filter_type,
                ctx,
                groups,
            );
            if !minted.omitted.contains(&why) {
                minted.omitted.push(why);
            }
        }
    }
}

fn claim_refusal(f: claims::ClaimFailure) -> Refusal {
    let description = if f.description.is_empty() {
        format!("The '{}' user claim could not be evaluated.", f.claim)
    } else {
        f.description
    };
    Refusal::new(OAuthCode::ServerError, description).because(format!(
        "claim '{}' could not be evaluated: {}",
        f.claim, f.detail
    ))
}

/// The org server's app groups claim for `subject`, when `groups` was granted and the app has
/// one configured.
async fn org_groups_claim(
    state: &AppState,
    subject: &Subject<'_>,
    ctx: &tollgate_core::expr::Context,
    omitted: &mut Vec<String>,
) -> Result<Map<String, Value>, Refusal> {
    let mut out = Map::new();
    if !subject.scopes.iter().any(|s| s == "groups") {
        return Ok(out);
    }
    let Some(setting) = state
        .store()
        .app_id_token_claim(subject.app.id.as_str())
        .await?
    else {
        return Ok(out);
    };
    let (value, _) = claims::evaluate(
        &setting.name,
        setting.value_type,
        &setting.value,
        setting.group_filter_type,
        ctx,
        subject.groups,
        false,
    )
    .map_err(claim_refusal)?;
    if value.is_null() || value.as_array().is_some_and(Vec::is_empty) {
        omitted.push(claims::why_empty(
            &setting.name,
            setting.value_type,
            &setting.value,
            setting.group_filter_type,
            ctx,
            subject.groups,
        ));
    } else {
        out.insert(setting.name, value);
    }
    Ok(out)
}

fn subject<'a>(
    state: &AppState,
    app: &'a App,
    org: &'a tollgate_core::org::Org,
    person: Option<&'a Person>,
    scopes: &'a [String],
) -> Subject<'a> {
    Subject {
        user: person.map(|p| &p.user),
        groups: person.map(|p| p.groups.as_slice()).unwrap_or_default(),
        app_user_name: None,
        app,
        org,
        scopes,
        session: person.and_then(|p| p.session_id.as_deref().map(|id| (id, p.amr.as_slice()))),
        now: state.clock().now(),
    }
}

/// Mints what `want` asks for.
pub async fn mint(
    state: &AppState,
    server: &AuthServer,
    app: &App,
    person: Option<&Person>,
    decision: &Decision,
    want: Want<'_>,
) -> Result<Minted, Refusal> {
    let org = state.caches().org().await?;
    let subject = subject(state, app, &org, person, &decision.scopes);
    let ctx = claims::context_cached(&subject, state.caches().context());
    let now = state.clock().now();
    let now_secs = now.millis().div_euclid(1000);
    let keys = state
        .keyring()
        .key_set(&server.id)
        .await
        .map_err(Refusal::internal)?;
    let auth_time = person.and_then(|p| p.auth_time.map(|t| t.millis().div_euclid(1000)));
    let mut minted = Minted::default();
    // The ID and access tokens usually share the groups claim's value: evaluate it once.
    let mut memo = claims::Memo::default();

    if want.access {
        let extra = match server.compiled_claims() {
            Some(c) => {
                let a = claims::assemble_compiled_with(
                    c,
                    Token::Access,
                    &subject,
                    &ctx,
                    false,
                    &mut memo,
                )
                .map_err(claim_refusal)?;
                if let Some(config) = server.config() {
                    note_omitted(&mut minted, &a.omitted, config, &ctx, subject.groups);
                }
                a.claims
            }
            None => Map::new(),
        };
        let sub = person.map_or(app.credentials.client_id.as_str(), |p| p.user.login());
        let lifetime_secs = decision.lifetimes.access_minutes * 60;
        let (jti, claims) = AccessToken {
            issuer: &server.issuer,
            audience: server.audience(state.public_url()),
            client_id: &app.credentials.client_id,
            user_id: person.map(|p| p.user.id.as_str()),
            sub,
            scopes: &decision.scopes,
            auth_time,
            now: now_secs,
            lifetime_secs,
            extra,
        }
        .claims();
        let token = keys.sign_json(&claims).map_err(Refusal::internal)?;
        if let Some(grant_id) = want.grant_id {
            state
                .store()
                .record_access_token(
                    &jti,
                    grant_id,
                    Timestamp::from_millis(now.millis() + lifetime_secs * 1000),
                )
                .await?;
        }
        minted.expires_in = lifetime_secs;
        minted.access_token = Some(token);
    }

    if let (Some(shape), Some(p)) = (want.id, person)
        && decision.has("openid")
    {
        let extra = match server.compiled_claims() {
            Some(c) => {
                let a = claims::assemble_compiled_with(
                    c,
                    Token::Id {
                        thin: shape != IdShape::Fat,
                    },
                    &subject,
                    &ctx,
                    false,
                    &mut memo,
                )
                .map_err(claim_refusal)?;
                if let Some(config) = server.config() {
                    note_omitted(&mut minted, &a.omitted, config, &ctx, subject.groups);
                }
                a.claims
            }
            None if shape != IdShape::Thin => {
                let mut why = Vec::new();
                let out = org_groups_claim(state, &subject, &ctx, &mut why).await?;
                minted.omitted.extend(why);
                out
            }
            None => Map::new(),
        };
        let claims = IdToken {
            issuer: &server.issuer,
            client_id: &app.credentials.client_id,
            user: &p.user,
            org_id: org.id.as_str(),
            amr: &p.amr,
            auth_time,
            nonce: want.nonce,
            at_hash: minted.access_token.as_deref().map(at_hash),
            c_hash: want.code.map(c_hash),
            scopes: &decision.scopes,
            thin: shape != IdShape::Fat,
            now: now_secs,
            extra,
        }
        .claims();
        minted.id_token = Some(keys.sign_json(&claims).map_err(Refusal::internal)?);
    }
    Ok(minted)
}

/// The `/userinfo` claims of `person` for `scopes`.
pub async fn userinfo_claims(
    state: &AppState,
    server: &AuthServer,
    app: &App,
    person: &Person,
    scopes: &[String],
) -> Result<Map<String, Value>, Refusal> {
    let org = state.caches().org().await?;
    let subject = subject(state, app, &org, Some(person), scopes);
    let ctx = claims::context_cached(&subject, state.caches().context());
    let extra = match server.compiled_claims() {
        Some(c) => {
            claims::assemble_compiled(c, Token::UserInfo, &subject, &ctx, false)
                .map_err(claim_refusal)?
                .claims
        }
        None => org_groups_claim(state, &subject, &ctx, &mut Vec::new()).await?,
    };
    Ok(tollgate_core::oauth::tokens::userinfo(
        &person.user,
        scopes,
        extra,
    ))
}
