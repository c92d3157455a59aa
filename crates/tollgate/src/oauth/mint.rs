//! Tokens for a decided request: the claims of the access and ID tokens (core's claim sets,
//! then the server's custom and groups claims over the user's current groups, or on the org
//! server the app's groups claim), and their signatures with the server's active key. Token
//! preview builds the same payloads without signing them.
//!
//! Reference: `oauth-endpoints.md` sections 6, 7 and 8.

use serde_json::{Map, Value};
use tollgate_core::Timestamp;
use tollgate_core::app::App;
use tollgate_core::directory::Group;
use tollgate_core::expr::Context;
use tollgate_core::oauth::claims::{self, ClaimFailure, ClaimNote, Memo, Subject, Token};
use tollgate_core::oauth::decision::{Decision, IdShape};
use tollgate_core::oauth::tokens::{AccessToken, IdToken};
use tollgate_core::org::Org;
use tollgate_core::token::hashes::{at_hash, c_hash};

use crate::oauth::decide::Person;
use crate::oauth::error::{OAuthCode, Refusal};
use crate::oauth::server::AuthServer;
use crate::state::AppState;

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

/// Unsigned token payloads.
#[derive(Debug, Clone, Default)]
pub struct Payloads {
    /// The access token's `jti` and claims.
    pub access: Option<(String, Map<String, Value>)>,
    /// The ID token's claims (its `at_hash` is added when signing).
    pub id: Option<Map<String, Value>>,
    /// The access token's lifetime, seconds.
    pub expires_in: i64,
    /// Why applicable claims were left out (empty values), for the System Log.
    pub omitted: Vec<String>,
    /// Per claim, why it is in or out (only when explaining): access token, then ID token.
    pub notes: (Vec<ClaimNote>, Vec<ClaimNote>),
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

fn claim_refusal(f: ClaimFailure) -> Refusal {
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

/// What claim evaluation needs, built once per request.
struct Scene<'a> {
    subject: Subject<'a>,
    ctx: Context,
    memo: Memo,
    explain: bool,
}

impl Scene<'_> {
    /// The server's custom and groups claims for `token`, noting why empty ones were left out.
    fn custom_claims(
        &mut self,
        server: &AuthServer,
        token: Token,
        out: &mut Payloads,
        notes: &mut Vec<ClaimNote>,
    ) -> Result<Map<String, Value>, Refusal> {
        let Some(compiled) = server.compiled_claims() else {
            return Ok(Map::new());
        };
        let a = claims::assemble_compiled_with(
            compiled,
            token,
            &self.subject,
            &self.ctx,
            self.explain,
            &mut self.memo,
        )
        .map_err(claim_refusal)?;
        if let Some(config) = server.config() {
            for name in &a.omitted {
                if let Some(c) = config.claims.iter().find(|c| &c.name == name) {
                    let why = claims::why_empty(
                        &c.name,
                        c.value_type,
                        &c.value,
                        c.group_filter_type,
                        &self.ctx,
                        self.subject.groups,
                    );
                    if !out.omitted.contains(&why) {
                        out.omitted.push(why);
                    }
                }
            }
        }
        notes.extend(a.notes);
        Ok(a.claims)
    }
}

/// The org server's app groups claim, when `groups` was granted and the app has one; with
/// `notes` (token preview only) it says why the claim is in or out, as custom claims do.
async fn org_groups_claim(
    state: &AppState,
    subject: &Subject<'_>,
    ctx: &Context,
    omitted: &mut Vec<String>,
    notes: Option<&mut Vec<ClaimNote>>,
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
    let (value, groups) = claims::evaluate(
        &setting.name,
        setting.value_type,
        &setting.value,
        setting.group_filter_type,
        ctx,
        subject.groups,
        notes.is_some(),
    )
    .map_err(claim_refusal)?;
    let empty = value.is_null() || value.as_array().is_some_and(Vec::is_empty);
    if let Some(notes) = notes {
        notes.push(claims::note(&setting.name, empty, groups));
    }
    if empty {
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
    now: Timestamp,
    app: &'a App,
    org: &'a Org,
    person: Option<&'a Person>,
    scopes: &'a [String],
) -> Subject<'a> {
    let groups: &[Group] = person.map(|p| &p.groups[..]).unwrap_or_default();
    Subject {
        user: person.map(|p| &p.user),
        groups,
        app_user_name: None,
        app,
        org,
        scopes,
        session: person.and_then(|p| p.session_id.as_deref().map(|id| (id, p.amr.as_slice()))),
        now,
    }
}

/// The payloads of the tokens `want` asks for, unsigned; `explain` keeps per-claim notes.
pub async fn payloads(
    state: &AppState,
    server: &AuthServer,
    app: &App,
    person: Option<&Person>,
    decision: &Decision,
    want: Want<'_>,
    explain: bool,
) -> Result<Payloads, Refusal> {
    let org = state.caches().org().await?;
    let now = state.clock().now();
    let now_secs = now.millis().div_euclid(1000);
    let subject = subject(now, app, &org, person, &decision.scopes);
    let ctx = claims::context_cached(&subject, state.caches().context());
    // The ID and access tokens usually share the groups claim's value: evaluate it once.
    let mut scene = Scene {
        subject,
        ctx,
        memo: Memo::default(),
        explain,
    };
    let auth_time = person.and_then(|p| p.auth_time.map(|t| t.millis().div_euclid(1000)));
    let mut out = Payloads::default();
    let mut notes = (Vec::new(), Vec::new());

    if want.access {
        let extra = scene.custom_claims(server, Token::Access, &mut out, &mut notes.0)?;
        let lifetime_secs = decision.lifetimes.access_minutes * 60;
        out.access = Some(
            AccessToken {
                issuer: &server.issuer,
                audience: server.audience(state.public_url()),
                client_id: &app.credentials.client_id,
                user_id: person.map(|p| p.user.id.as_str()),
                sub: person.map_or(app.credentials.client_id.as_str(), |p| p.user.login()),
                scopes: &decision.scopes,
                auth_time,
                now: now_secs,
                lifetime_secs,
                extra,
            }
            .claims(),
        );
        out.expires_in = lifetime_secs;
    }
    if let (Some(shape), Some(p)) = (want.id, person)
        && decision.has("openid")
    {
        let thin = shape != IdShape::Fat;
        let extra = match server.compiled_claims() {
            Some(_) => scene.custom_claims(server, Token::Id { thin }, &mut out, &mut notes.1)?,
            None if shape != IdShape::Thin => {
                let notes = explain.then_some(&mut notes.1);
                let (s, c) = (&scene.subject, &scene.ctx);
                org_groups_claim(state, s, c, &mut out.omitted, notes).await?
            }
            None => Map::new(),
        };
        out.id = Some(
            IdToken {
                issuer: &server.issuer,
                client_id: &app.credentials.client_id,
                user: &p.user,
                org_id: org.id.as_str(),
                amr: &p.amr,
                auth_time,
                nonce: want.nonce,
                at_hash: None,
                c_hash: want.code.map(c_hash),
                scopes: &decision.scopes,
                thin,
                now: now_secs,
                extra,
            }
            .claims(),
        );
    }
    out.notes = notes;
    Ok(out)
}

/// Mints what `want` asks for: payloads, then signatures with the server's active key.
pub async fn mint(
    state: &AppState,
    server: &AuthServer,
    app: &App,
    person: Option<&Person>,
    decision: &Decision,
    want: Want<'_>,
) -> Result<Minted, Refusal> {
    let p = payloads(state, server, app, person, decision, want, false).await?;
    let keys = state
        .keyring()
        .key_set(&server.id)
        .await
        .map_err(Refusal::internal)?;
    let mut minted = Minted {
        expires_in: p.expires_in,
        omitted: p.omitted,
        ..Minted::default()
    };
    if let Some((jti, claims)) = p.access {
        minted.access_token = Some(
            state
                .keyring()
                .sign_json(&keys, &claims)
                .await
                .map_err(Refusal::internal)?,
        );
        if let Some(grant_id) = want.grant_id {
            let expires = state.clock().now().millis() + p.expires_in * 1000;
            state
                .store()
                .record_access_token(&jti, grant_id, Timestamp::from_millis(expires))
                .await?;
        }
    }
    if let Some(mut claims) = p.id {
        if let Some(at) = &minted.access_token {
            claims.insert("at_hash".into(), Value::String(at_hash(at)));
        }
        minted.id_token = Some(
            state
                .keyring()
                .sign_json(&keys, &claims)
                .await
                .map_err(Refusal::internal)?,
        );
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
    let subject = subject(state.clock().now(), app, &org, Some(person), scopes);
    let ctx = claims::context_cached(&subject, state.caches().context());
    let extra = match server.compiled_claims() {
        Some(c) => {
            claims::assemble_compiled(c, Token::UserInfo, &subject, &ctx, false)
                .map_err(claim_refusal)?
                .claims
        }
        None => org_groups_claim(state, &subject, &ctx, &mut Vec::new(), None).await?,
    };
    Ok(tollgate_core::oauth::tokens::userinfo(
        &person.user,
        scopes,
        extra,
    ))
}
