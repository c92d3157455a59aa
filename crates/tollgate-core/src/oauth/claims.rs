//! Custom claims of a token (`oauth-endpoints.md` section 7): which claims of a custom
//! authorization server apply to this token and these scopes, and their values — expressions
//! through `tollgate-expr`, group filters over the user's groups. Null or empty values are left
//! out. Each claim can also explain itself (kept and dropped groups), which token preview shows.

use std::collections::HashSet;

use serde_json::{Map, Value, json};
use time::OffsetDateTime;

use crate::authz::Claim;
use crate::authz::claim::{ClaimType, ClaimValueType, GroupFilterType};
use crate::clock::Timestamp;
use crate::directory::{Group, GroupType, User};
use crate::expr;
use crate::oauth::expr_values::{expr_app, expr_group, odt};

/// Claim names the server sets itself; a custom claim of the same name is ignored.
pub use crate::authz::claim::RESERVED_NAMES as RESERVED;

/// A `GROUPS` filter claim may match at most this many groups.
pub const MAX_FILTER_GROUPS: usize = 100;

/// Which token is being built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token {
    /// The ID token; `thin` when it is issued together with an access token (then only
    /// `alwaysIncludeInToken` identity claims ride in it).
    Id {
        /// Thin ID token.
        thin: bool,
    },
    /// The access token.
    Access,
    /// The userinfo response (every applicable identity claim).
    UserInfo,
}

/// Everything an expression may read, prepared once per token request.
#[derive(Debug, Clone)]
pub struct Subject<'a> {
    /// The user, if any.
    pub user: Option<&'a User>,
    /// The user's groups, `Everyone` included.
    pub groups: &'a [Group],
    /// The app-user's `credentials.userName` (defaults to the login), for `appuser.userName`.
    pub app_user_name: Option<&'a str>,
    /// The app.
    pub app: &'a crate::app::App,
    /// The org.
    pub org: &'a crate::org::Org,
    /// The granted scopes, ascending.
    pub scopes: &'a [String],
    /// The session id and `amr`, when a session exists.
    pub session: Option<(&'a str, &'a [String])>,
    /// Now.
    pub now: Timestamp,
}

/// The expression context for `subject` (built once per request).
pub fn context(subject: &Subject<'_>) -> expr::Context {
    base_context(subject)
        .groups(subject.groups.iter().map(expr_group))
        .app(expr_app(subject.app))
        .build()
}

/// The same context, with the groups and the app taken from `cache` (converted once, then
/// shared by every request while they are unchanged).
pub fn context_cached(
    subject: &Subject<'_>,
    cache: &super::prepared::ContextCache,
) -> expr::Context {
    base_context(subject)
        .group_set(cache.group_set(subject.groups))
        .prepared_app(cache.app(subject.app))
        .build()
}

/// Everything but the groups and the app.
fn base_context(subject: &Subject<'_>) -> expr::ContextBuilder {
    let now = odt(subject.now).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    let mut b = expr::Context::builder(now)
        .org(expr::Org::new(
            subject.org.company_name.clone(),
            subject.org.subdomain.clone(),
        ))
        .scopes(subject.scopes.to_vec());
    if let Some(u) = subject.user {
        let mut eu = expr::User::new(u.id.as_str(), u.status.as_str());
        eu.created = odt(u.created);
        eu.last_updated = odt(u.last_updated);
        eu.password_changed = u.password_changed.and_then(odt);
        eu.last_login = u.last_login.and_then(odt);
        eu.profile = u.profile.clone();
        b = b.user(eu);
        let mut app_user = Map::new();
        app_user.insert(
            "userName".into(),
            json!(subject.app_user_name.unwrap_or(u.login())),
        );
        b = b.app_user(app_user);
    }
    if let Some((id, amr)) = subject.session {
        b = b.session(expr::Session::new(Some(id.to_owned()), amr.to_vec()));
    }
    b
}

/// A claim that could not be computed: the token request fails with `server_error`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimFailure {
    /// The claim's name.
    pub claim: String,
    /// Okta's `error_description`.
    pub description: String,
    /// The evaluator's message, for the System Log (`app.oauth2.as.evaluate.claim`).
    pub detail: String,
}

/// What happened to one claim, for token preview and the System Log.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimNote {
    /// The claim's name.
    pub claim: String,
    /// `included`, `omitted: empty value`, `skipped: ...`.
    pub outcome: String,
    /// For group claims: which groups were kept or dropped and why (JSON).
    pub groups: Option<Value>,
}

/// The claims of one token and the notes that explain them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Assembled {
    /// Claim name to value.
    pub claims: Map<String, Value>,
    /// One note per claim considered.
    pub notes: Vec<ClaimNote>,
    /// Claims that applied but were left out because their value was null or empty (recorded
    /// even without `explain`, so the System Log can say why a claim is missing).
    pub omitted: Vec<String>,
}

/// Whether `claim` goes into `token` for these granted scopes; `Err` says why not.
fn applies(claim: &Claim, token: Token, granted: &HashSet<&str>) -> Result<(), String> {
    if claim.status != crate::server::Status::Active {
        return Err("skipped: inactive".to_owned());
    }
    if RESERVED.contains(&claim.name.as_str()) && !claim.system {
        return Err("skipped: reserved claim name".to_owned());
    }
    match (claim.claim_type, token) {
        (ClaimType::Resource, Token::Access) | (ClaimType::Identity, Token::UserInfo) => {}
        (ClaimType::Identity, Token::Id { thin }) if !thin || claim.always_include_in_token => {}
        (ClaimType::Identity, Token::Id { .. }) => {
            return Err("skipped: the ID token is issued with an access token and alwaysIncludeInToken is false".to_owned());
        }
        _ => return Err("skipped: other token type".to_owned()),
    }
    if !claim.scopes.is_empty() && !claim.scopes.iter().any(|s| granted.contains(s.as_str())) {
        return Err(format!(
            "skipped: none of its scopes [{}] was granted",
            claim.scopes.join(", ")
        ));
    }
    Ok(())
}

/// Group names matching a `GROUPS` filter (Okta-mastered groups only), sorted.
pub fn filter_groups(
    groups: &[Group],
    filter: GroupFilterType,
    value: &str,
) -> Result<Vec<String>, String> {
    let regex = match filter {
        GroupFilterType::Regex => {
            Some(regex::Regex::new(&format!("^(?:{value})$")).map_err(|e| e.to_string())?)
        }
        _ => None,
    };
    let needle = value.to_lowercase();
    let mut names: Vec<String> = groups
        .iter()
        .filter(|g| matches!(g.kind, GroupType::OktaGroup | GroupType::BuiltIn))
        .map(Group::name)
        .filter(|name| {
            let lower = name.to_lowercase();
            match filter {
                GroupFilterType::Equals => lower == needle,
                GroupFilterType::StartsWith => lower.starts_with(&needle),
                GroupFilterType::Contains => lower.contains(&needle),
                GroupFilterType::Regex => regex.as_ref().is_some_and(|r| r.is_match(name)),
            }
        })
        .map(str::to_owned)
        .collect();
    names.sort();
    Ok(names)
}

fn failure(claim: &str, detail: String) -> ClaimFailure {
    ClaimFailure {
        claim: claim.to_owned(),
        description: format!("The '{claim}' user claim could not be evaluated."),
        detail,
    }
}

/// An expression compiled once, or the message its compilation failed with (reported when a
/// token needs the claim, as an uncompiled expression would be).
#[derive(Debug, Clone)]
pub struct Program(Result<expr::Compiled, String>);

impl Program {
    /// Compiles `source`.
    pub fn compile(source: &str) -> Self {
        Self(expr::compile(source).map_err(|e| e.render(source)))
    }
}

/// A server's claims with their expressions compiled, made once when the configuration is
/// loaded so that the token path never parses an expression.
#[derive(Debug, Clone, Default)]
pub struct CompiledClaims {
    claims: Vec<(Claim, Option<Program>)>,
}

impl CompiledClaims {
    /// Compiles every EXPRESSION (and system) claim of `claims`.
    pub fn new(claims: &[Claim]) -> Self {
        Self {
            claims: claims
                .iter()
                .map(|c| {
                    let program = match c.value_type {
                        ClaimValueType::Groups => None,
                        ClaimValueType::Expression | ClaimValueType::System => {
                            Some(Program::compile(&c.value))
                        }
                    };
                    (c.clone(), program)
                })
                .collect(),
        }
    }

    /// The claims, in the order given.
    pub fn claims(&self) -> impl Iterator<Item = &Claim> {
        self.claims.iter().map(|(c, _)| c)
    }
}

/// Evaluates one claim's value; `explain` records group decisions.
pub fn evaluate(
    claim_name: &str,
    value_type: ClaimValueType,
    value: &str,
    filter: Option<GroupFilterType>,
    ctx: &expr::Context,
    groups: &[Group],
    explain: bool,
) -> Result<(Value, Option<Value>), ClaimFailure> {
    let program = match value_type {
        ClaimValueType::Groups => None,
        ClaimValueType::Expression | ClaimValueType::System => Some(Program::compile(value)),
    };
    evaluate_compiled(
        claim_name,
        value,
        filter,
        program.as_ref(),
        ctx,
        groups,
        explain,
    )
}

/// [`evaluate`] with the expression already compiled (`None`: a `GROUPS` filter claim).
fn evaluate_compiled(
    claim_name: &str,
    value: &str,
    filter: Option<GroupFilterType>,
    program: Option<&Program>,
    ctx: &expr::Context,
    groups: &[Group],
    explain: bool,
) -> Result<(Value, Option<Value>), ClaimFailure> {
    match program {
        None => {
            let names = filter_groups(groups, filter.unwrap_or(GroupFilterType::StartsWith), value)
                .map_err(|e| failure(claim_name, format!("bad group filter: {e}")))?;
            if names.len() > MAX_FILTER_GROUPS {
                return Err(ClaimFailure {
                    claim: claim_name.to_owned(),
                    description: "The groups claim matched too many groups and must be configured to match fewer groups.".to_owned(),
                    detail: format!("{} groups matched", names.len()),
                });
            }
            let notes = explain.then(|| json!({"matched": names}));
            Ok((json!(names), notes))
        }
        Some(Program(compiled)) => {
            let compiled = compiled
                .as_ref()
                .map_err(|rendered| failure(claim_name, rendered.clone()))?;
            let (result, trace) = if explain {
                let (r, t) = compiled.eval_traced(ctx);
                (r, Some(t.to_json()))
            } else {
                (compiled.eval(ctx), None)
            };
            let v = result.map_err(|e| failure(claim_name, e.render(value)))?;
            let j = v
                .to_json()
                .map_err(|e| failure(claim_name, e.to_string()))?;
            Ok((j, trace))
        }
    }
}

fn is_empty(v: &Value) -> bool {
    v.is_null() || v.as_array().is_some_and(Vec::is_empty)
}

/// The custom claims of `token` from `claims`, for a subject whose expression context is `ctx`.
/// Compiles the expressions first: the token path uses [`assemble_compiled`] with claims
/// compiled once per configuration.
pub fn assemble(
    claims: &[Claim],
    token: Token,
    subject: &Subject<'_>,
    ctx: &expr::Context,
    explain: bool,
) -> Result<Assembled, ClaimFailure> {
    assemble_compiled(&CompiledClaims::new(claims), token, subject, ctx, explain)
}

/// [`assemble`] over claims compiled in advance.
pub fn assemble_compiled(
    claims: &CompiledClaims,
    token: Token,
    subject: &Subject<'_>,
    ctx: &expr::Context,
    explain: bool,
) -> Result<Assembled, ClaimFailure> {
    assemble_compiled_with(claims, token, subject, ctx, explain, &mut Memo::default())
}

/// Values already computed for one context, by claim definition: the ID token and the access
/// token usually carry the same groups claim (an IDENTITY and a RESOURCE claim with one value),
/// which is then evaluated once.
#[derive(Debug, Default)]
pub struct Memo(
    std::collections::HashMap<(ClaimValueType, Option<GroupFilterType>, String), Value>,
);

/// [`assemble_compiled`], reusing and filling `memo` (one memo per context).
pub fn assemble_compiled_with(
    claims: &CompiledClaims,
    token: Token,
    subject: &Subject<'_>,
    ctx: &expr::Context,
    explain: bool,
    memo: &mut Memo,
) -> Result<Assembled, ClaimFailure> {
    let granted: HashSet<&str> = subject.scopes.iter().map(String::as_str).collect();
    let mut out = Assembled::default();
    for (claim, program) in &claims.claims {
        if let Err(why) = applies(claim, token, &granted) {
            if explain {
                out.notes.push(ClaimNote {
                    claim: claim.name.clone(),
                    outcome: why,
                    groups: None,
                });
            }
            continue;
        }
        let key = (
            claim.value_type,
            claim.group_filter_type,
            claim.value.clone(),
        );
        let (value, groups) = match memo.0.get(&key) {
            Some(v) if !explain => (v.clone(), None),
            _ => {
                let (v, g) = evaluate_compiled(
                    &claim.name,
                    &claim.value,
                    claim.group_filter_type,
                    program.as_ref(),
                    ctx,
                    subject.groups,
                    explain,
                )?;
                memo.0.insert(key, v.clone());
                (v, g)
            }
        };
        let outcome = if is_empty(&value) {
            out.omitted.push(claim.name.clone());
            "omitted: the value is null or empty".to_owned()
        } else {
            out.claims.insert(claim.name.clone(), value);
            "included".to_owned()
        };
        if explain {
            out.notes.push(ClaimNote {
                claim: claim.name.clone(),
                outcome,
                groups,
            });
        }
    }
    Ok(out)
}

/// Why claim `claim_name` came out null or empty, in words for the System Log: for a group
/// function, which of the user's groups were dropped and why.
pub fn why_empty(
    claim_name: &str,
    value_type: ClaimValueType,
    value: &str,
    filter: Option<GroupFilterType>,
    ctx: &expr::Context,
    groups: &[Group],
) -> String {
    let head = format!("Claim '{claim_name}' was left out because its value is empty");
    if value_type == ClaimValueType::Groups {
        let f = filter.unwrap_or(GroupFilterType::StartsWith);
        let okta = groups
            .iter()
            .filter(|g| g.kind != GroupType::AppGroup)
            .count();
        return format!(
            "{head}: none of the user's {okta} Okta groups has a name matching {} '{value}'.",
            f.as_str()
        );
    }
    let Ok(compiled) = expr::compile(value) else {
        return format!("{head}.");
    };
    let (_, trace) = compiled.eval_traced(ctx);
    let mut parts = Vec::new();
    for call in &trace.calls {
        let dropped: Vec<String> = call
            .groups
            .iter()
            .filter_map(|g| match g.verdict {
                expr::Verdict::Dropped(r) => {
                    let who = g
                        .name
                        .as_deref()
                        .map_or_else(|| g.id.clone(), |n| format!("{n} ({})", g.id));
                    let why = match r {
                        expr::DropReason::NotInWhitelist => "is not in the allow-list",
                        expr::DropReason::UserNotMember => {
                            "is allow-listed but the user is not a member"
                        }
                        expr::DropReason::Duplicate => "is listed twice",
                        expr::DropReason::NullValue => "gave a null value",
                        expr::DropReason::OverLimit => "is over the limit",
                        expr::DropReason::SourceMismatch => "is not from the requested source",
                        expr::DropReason::NameMismatch => "does not match the name pattern",
                        _ => "does not match the criteria",
                    };
                    Some(format!("{who} {why}"))
                }
                expr::Verdict::Kept => None,
            })
            .collect();
        if dropped.is_empty() {
            parts.push(format!("{} considered no group", call.function));
        } else {
            parts.push(format!(
                "{} kept no group: {}",
                call.function,
                dropped.join("; ")
            ));
        }
    }
    if parts.is_empty() {
        format!("{head}: the expression returned null or an empty list.")
    } else {
        format!("{head}. {}.", parts.join(". "))
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::directory::user::CreateOptions;
    use crate::id::{AuthServerId, ClaimId, GroupId};
    use crate::server::Status;

    const NOW: Timestamp = Timestamp::from_millis(1_700_000_000_000);

    fn group(id: &str, name: &str, kind: GroupType) -> Group {
        let mut g = Group::new(
            kind,
            json!({"name": name}).as_object().unwrap().clone(),
            NOW,
        )
        .unwrap();
        g.id = GroupId::from_trusted(id);
        g
    }

    fn claim(name: &str, ct: ClaimType, vt: ClaimValueType, value: &str, scopes: &[&str]) -> Claim {
        Claim {
            id: ClaimId::generate(),
            server_id: AuthServerId::from_trusted("default"),
            name: name.to_owned(),
            status: Status::Active,
            claim_type: ct,
            value_type: vt,
            value: value.to_owned(),
            group_filter_type: None,
            always_include_in_token: ct == ClaimType::Resource,
            scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
            system: false,
            created: NOW,
            last_updated: NOW,
        }
    }

    struct Fixture {
        user: User,
        groups: Vec<Group>,
        app: crate::app::App,
        org: crate::org::Org,
        scopes: Vec<String>,
    }

    fn fixture(whitelist: Value) -> Fixture {
        let profile = json!({"login": "annie@acme.com", "email": "annie@acme.com", "firstName": "Annie", "lastName": "J"});
        let user = User::create(
            profile.as_object().unwrap().clone(),
            None,
            CreateOptions {
                activate: true,
                change_password_next_login: false,
            },
            NOW,
        )
        .unwrap();
        let groups = vec![
            group("00geveryone", "Everyone", GroupType::BuiltIn),
            group(
                "00gbso71miOMjxHRW0h7",
                "WestCoastDivision",
                GroupType::OktaGroup,
            ),
            group("00gengineering", "Engineering", GroupType::OktaGroup),
            group("00gappgroup", "West AD", GroupType::AppGroup),
        ];
        let draft = crate::app::AppDraft {
            name: Some("oidc_client".into()),
            label: Some("Sample Client".into()),
            sign_on_mode: Some("OPENID_CONNECT".into()),
            credentials: crate::app::credentials::CredentialsDraft {
                client_id: None,
                client_secret: None,
                auth_method: Some("client_secret_basic".into()),
                pkce_required: None,
                auto_key_rotation: None,
            },
            settings:
                json!({"redirect_uris": ["https://example.com/cb"], "response_types": ["code"],
                "grant_types": ["authorization_code"], "application_type": "web"})
                .as_object()
                .cloned(),
            profile: None,
        };
        let mut app = crate::app::App::create(crate::id::AppId::generate(), draft, true, NOW)
            .unwrap()
            .app;
        app.profile = json!({"groupwhitelist": whitelist})
            .as_object()
            .unwrap()
            .clone();
        Fixture {
            user,
            groups,
            app,
            org: crate::org::Org::initial(NOW),
            scopes: vec!["groups".into(), "openid".into()],
        }
    }

    fn subject(f: &Fixture) -> Subject<'_> {
        Subject {
            user: Some(&f.user),
            groups: &f.groups,
            app_user_name: None,
            app: &f.app,
            org: &f.org,
            scopes: &f.scopes,
            session: None,
            now: NOW,
        }
    }

    const SEED: &str = r#"getFilteredGroups(app.profile.groupwhitelist, "group.name", 40)"#;

    #[test]
    fn the_seed_claim_gives_the_whitelisted_groups_the_user_is_in() {
        let f = fixture(json!(["00gbso71miOMjxHRW0h7", "00gnotamember"]));
        let s = subject(&f);
        let ctx = context(&s);
        let claims = [claim(
            "groups",
            ClaimType::Identity,
            ClaimValueType::Expression,
            SEED,
            &[],
        )];
        let id = assemble(&claims, Token::Id { thin: false }, &s, &ctx, true).unwrap();
        assert_eq!(id.claims.get("groups"), Some(&json!(["WestCoastDivision"])));
        assert!(
            id.notes[0].groups.is_some(),
            "the trace explains the groups"
        );
        let access = assemble(&claims, Token::Access, &s, &ctx, false).unwrap();
        assert!(
            access.claims.is_empty(),
            "an IDENTITY claim stays out of access tokens"
        );
        let thin = assemble(&claims, Token::Id { thin: true }, &s, &ctx, true).unwrap();
        assert!(thin.claims.is_empty());
        assert!(thin.notes[0].outcome.contains("alwaysIncludeInToken"));
    }

    #[test]
    fn empty_results_and_scope_conditions_leave_claims_out() {
        let f = fixture(json!(["00gnotamember"]));
        let s = subject(&f);
        let ctx = context(&s);
        let claims = [
            claim(
                "groups",
                ClaimType::Resource,
                ClaimValueType::Expression,
                SEED,
                &[],
            ),
            claim(
                "dept",
                ClaimType::Resource,
                ClaimValueType::Expression,
                "user.firstName",
                &["profile"],
            ),
        ];
        let out = assemble(&claims, Token::Access, &s, &ctx, true).unwrap();
        assert!(out.claims.is_empty());
        assert_eq!(out.notes[0].outcome, "omitted: the value is null or empty");
        assert!(
            out.notes[1]
                .outcome
                .contains("none of its scopes [profile]")
        );
    }

    #[test]
    fn group_filters_and_failures() {
        let f = fixture(json!([]));
        assert_eq!(
            filter_groups(&f.groups, GroupFilterType::StartsWith, "west").unwrap(),
            ["WestCoastDivision"]
        );
        assert_eq!(
            filter_groups(&f.groups, GroupFilterType::Regex, ".*").unwrap(),
            ["Engineering", "Everyone", "WestCoastDivision"]
        );
        assert!(
            filter_groups(&f.groups, GroupFilterType::Regex, "west.*")
                .unwrap()
                .is_empty(),
            "regex is case-sensitive"
        );
        let s = subject(&f);
        let ctx = context(&s);
        let bad = [claim(
            "broken",
            ClaimType::Resource,
            ClaimValueType::Expression,
            "user.profile.login.nothing.here",
            &[],
        )];
        let err = assemble(&bad, Token::Access, &s, &ctx, false).unwrap_err();
        assert_eq!(
            err.description,
            "The 'broken' user claim could not be evaluated."
        );
    }
}
