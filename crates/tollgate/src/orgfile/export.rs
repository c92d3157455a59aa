//! Writing the stored org as an org file, so that applying it to an empty database gives the
//! same org back: ids are kept, passwords travel as their argon2id hashes, and client secrets
//! and API tokens as their SHA-256 digests (only digests are stored).

use std::collections::HashMap;

use serde_json::Value;
use tollgate_core::authz::{Claim, Policy, Rule, Scope};
use tollgate_core::directory::{GroupType, User, UserStatus};
use tollgate_core::group_rule::RuleStatus;
use tollgate_core::scim::{Filter, Literal, Op};
use tollgate_core::server::Status;
use tollgate_store::{AppQuery, AuthServerQuery, GroupQuery, Store, UserQuery};

use super::model::{
    ApiTokenSpec, AppSpec, Assignments, ClaimSpec, GroupRuleSpec, GroupSpec, GroupsClaimSpec,
    OrgFile, PasswordHashSpec, PolicySpec, RecoveryQuestionSpec, RuleSpec, ScopeSpec, ServerSpec,
    UserSpec,
};

/// The comment `tollgate export` puts first.
pub const HEADER: &str = "\
# Tollgate org file, written by `tollgate export`. Apply it with `tollgate apply FILE`.
#
# Passwords appear as their argon2id hashes (passwordHash), so they keep working; a hash
# imported from another system and not yet upgraded appears as Okta's hash object.
# A recovery question carries its answer's argon2id hash (answerHash), never the answer.
# Client secrets and API tokens are stored only as SHA-256 digests, so they cannot be
# exported in clear: apps carry client_secret_digest and tokens tokenDigest, which an
# import keeps as they are (the same secrets go on working). Replace a digest with
# client_secret / token to set a new secret in clear.
";

const PAGE: usize = 1000;
/// A page size that means "all" for listings an org holds a modest number of.
const ALL: usize = 1_000_000;

async fn all_users(store: &Store) -> anyhow::Result<Vec<User>> {
    let mut out = Vec::new();
    // Without a filter, deprovisioned users are left out of a listing; ask for them apart.
    let deprovisioned = Filter::Cmp {
        attr: "status".into(),
        op: Op::Eq,
        value: Literal::Str(UserStatus::Deprovisioned.as_str().to_owned()),
    };
    for filter in [None, Some(deprovisioned)] {
        let mut after = None;
        loop {
            let q = UserQuery {
                filter: filter.clone(),
                limit: PAGE,
                after: after.clone(),
                ..UserQuery::default()
            };
            let (page, more) = store.list_users(&q).await?;
            after = page.last().map(|u| u.id.as_str().to_owned());
            out.extend(page);
            if !more {
                break;
            }
        }
    }
    Ok(out)
}

fn user_spec(u: &User) -> UserSpec {
    let text = |k: &str| {
        u.profile
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let mut profile = u.profile.clone();
    for k in ["login", "email", "firstName", "lastName"] {
        profile.remove(k);
    }
    let email = text("email");
    UserSpec {
        id: Some(u.id.as_str().to_owned()),
        login: u.login().to_owned(),
        email: (email != u.login()).then_some(email),
        first_name: text("firstName"),
        last_name: text("lastName"),
        profile,
        password: None,
        password_hash: u
            .password_hash
            .as_deref()
            .map(PasswordHashSpec::from_stored),
        recovery_question: RecoveryQuestionSpec::of(u),
        status: (u.status != UserStatus::Active).then(|| u.status.as_str().to_owned()),
    }
}

fn scope_spec(s: &Scope) -> ScopeSpec {
    ScopeSpec {
        id: Some(s.id.as_str().to_owned()),
        name: s.name.clone(),
        display_name: s.display_name.clone(),
        description: s.description.clone(),
        default: Some(s.default),
        optional: Some(s.optional),
        consent: Some(s.consent.as_str().to_owned()),
        metadata_publish: Some(s.metadata_publish.as_str().to_owned()),
    }
}

fn claim_spec(c: &Claim) -> ClaimSpec {
    ClaimSpec {
        id: Some(c.id.as_str().to_owned()),
        name: c.name.clone(),
        claim_type: c.claim_type.as_str().to_owned(),
        value_type: Some(c.value_type.as_str().to_owned()),
        value: c.value.clone(),
        group_filter_type: c.group_filter_type.map(|g| g.as_str().to_owned()),
        always_include_in_token: Some(c.always_include_in_token),
        status: (c.status != Status::Active).then(|| c.status.as_str().to_owned()),
        scopes: c.scopes.clone(),
    }
}

fn rule_spec(r: &Rule) -> RuleSpec {
    RuleSpec {
        id: Some(r.id.as_str().to_owned()),
        name: r.name.clone(),
        priority: Some(r.priority),
        grant_types: r
            .grant_types
            .iter()
            .map(|g| g.as_str().to_owned())
            .collect(),
        scopes: r.scopes.clone(),
        users: r.people.users_include.clone(),
        groups: r.people.groups_include.clone(),
        exclude_users: r.people.users_exclude.clone(),
        exclude_groups: r.people.groups_exclude.clone(),
        access_token_lifetime_minutes: Some(r.token.access_minutes),
        refresh_token_lifetime_minutes: Some(r.token.refresh_minutes),
        refresh_token_window_minutes: Some(r.token.refresh_window_minutes),
    }
}

fn policy_spec(p: &Policy, rules: &[Rule]) -> PolicySpec {
    PolicySpec {
        id: Some(p.id.as_str().to_owned()),
        name: p.name.clone(),
        description: Some(p.description.clone()).filter(|d| !d.is_empty()),
        priority: Some(p.priority),
        clients: p.clients.clone(),
        rules: rules.iter().map(rule_spec).collect(),
    }
}

/// Reads the whole org from `store`.
pub async fn export(store: &Store) -> anyhow::Result<OrgFile> {
    let users = all_users(store).await?;
    let logins: HashMap<String, String> = users
        .iter()
        .map(|u| (u.id.as_str().to_owned(), u.login().to_owned()))
        .collect();
    let mut org = OrgFile {
        users: users.iter().map(user_spec).collect(),
        ..OrgFile::default()
    };
    export_schemas(store, &mut org).await?;

    let (groups, _) = store
        .list_groups(&GroupQuery {
            limit: ALL,
            ..GroupQuery::default()
        })
        .await?;
    let group_names: HashMap<String, String> = groups
        .iter()
        .map(|g| (g.id.as_str().to_owned(), g.name().to_owned()))
        .collect();
    for g in groups.iter().filter(|g| g.kind == GroupType::OktaGroup) {
        let (members, _) = store
            .list_users(&UserQuery {
                group: Some(g.id.as_str().to_owned()),
                limit: ALL,
                ..UserQuery::default()
            })
            .await?;
        org.groups.push(GroupSpec {
            id: Some(g.id.as_str().to_owned()),
            name: g.name().to_owned(),
            description: g.description().map(str::to_owned),
            members: members.iter().map(|u| u.login().to_owned()).collect(),
        });
    }

    let (apps, _) = store
        .list_apps(&AppQuery {
            limit: ALL,
            ..AppQuery::default()
        })
        .await?;
    for a in &apps {
        let (app_users, _) = store.list_app_users(a.id.as_str(), None, ALL, None).await?;
        let (app_groups, _) = store
            .list_app_groups(a.id.as_str(), None, ALL, None)
            .await?;
        let claim = store.app_id_token_claim(a.id.as_str()).await?;
        let mut spec = match &a.template {
            None => AppSpec {
                client_id: Some(a.credentials.client_id.clone()),
                client_secret_digest: a
                    .credentials
                    .secrets
                    .newest_active_digest()
                    .map(str::to_owned),
                token_endpoint_auth_method: Some(a.credentials.auth_method.as_str().to_owned()),
                pkce_required: Some(a.credentials.pkce_required),
                settings: a.settings.to_json(),
                ..AppSpec::default()
            },
            Some(t) => AppSpec {
                name: Some(t.name.clone()),
                sign_on_mode: Some(t.kind.sign_on_mode().to_owned()),
                app: Some(t.app_settings.clone()),
                sign_on: t.sign_on.clone(),
                scheme: t.scheme.clone(),
                ..AppSpec::default()
            },
        };
        spec.id = Some(a.id.as_str().to_owned());
        spec.label.clone_from(&a.label);
        spec.status = (a.status != tollgate_core::app::AppStatus::Active)
            .then(|| a.status.as_str().to_owned());
        spec.profile.clone_from(&a.profile);
        org.apps.push(AppSpec {
            id_token_groups_claim: claim.map(|c| GroupsClaimSpec {
                name: Some(c.name),
                value_type: c.value_type.as_str().to_owned(),
                value: c.value,
                group_filter_type: c.group_filter_type.map(|g| g.as_str().to_owned()),
            }),
            assignments: Assignments {
                users: app_users
                    .iter()
                    .filter(|au| au.scope == tollgate_core::app::assignment::AssignmentScope::User)
                    .filter_map(|au| logins.get(au.user_id.as_str()).cloned())
                    .collect(),
                groups: app_groups
                    .iter()
                    .filter_map(|ag| group_names.get(ag.group_id.as_str()).cloned())
                    .collect(),
            },
            ..spec
        });
    }

    let (servers, _) = store
        .list_auth_servers(&AuthServerQuery {
            limit: ALL,
            ..AuthServerQuery::default()
        })
        .await?;
    for s in &servers {
        let id = s.id.as_str();
        let scopes = store.scopes_of(id).await?;
        let claims = store.claims_of(id).await?;
        let mut policies = Vec::new();
        for p in store.policies_of(id).await? {
            let rules = store.rules_of(p.id.as_str()).await?;
            policies.push(policy_spec(&p, &rules));
        }
        org.authorization_servers.push(ServerSpec {
            id: Some(id.to_owned()),
            name: Some(s.name.clone()),
            description: Some(s.description.clone()).filter(|d| !d.is_empty()),
            audiences: s.audiences.clone(),
            scopes: scopes
                .iter()
                .filter(|s| !s.system)
                .map(scope_spec)
                .collect(),
            claims: claims
                .iter()
                .filter(|c| !c.system)
                .map(claim_spec)
                .collect(),
            policies,
        });
    }

    let (rules, _) = store
        .list_group_rules(&tollgate_store::GroupRuleQuery {
            limit: ALL,
            ..tollgate_store::GroupRuleQuery::default()
        })
        .await?;
    let name_of = |names: &HashMap<String, String>, id: &str| {
        names.get(id).cloned().unwrap_or_else(|| id.to_owned())
    };
    // An invalid rule names a deleted group, which a file cannot declare.
    for r in rules.iter().filter(|r| r.status != RuleStatus::Invalid) {
        org.group_rules.push(GroupRuleSpec {
            id: Some(r.id.as_str().to_owned()),
            name: r.name.clone(),
            expression: r.expression.clone(),
            groups: r
                .group_ids
                .iter()
                .map(|g| name_of(&group_names, g.as_str()))
                .collect(),
            exclude: r
                .excluded_users
                .iter()
                .map(|u| name_of(&logins, u))
                .collect(),
            status: Some(r.status.as_str().to_owned()),
        });
    }

    org.admin_roles = super::export_roles::admin_roles(store).await?;
    for (record, digest) in store.list_api_tokens().await? {
        org.api_tokens.push(ApiTokenSpec {
            name: record.name,
            token: None,
            token_digest: Some(digest),
        });
    }
    Ok(org)
}

/// The custom properties of the default user and group schemas, and the other user types.
async fn export_schemas(store: &Store, org: &mut OrgFile) -> anyhow::Result<()> {
    use tollgate_core::schema::SchemaKind;
    use tollgate_core::schema::user_type::DEFAULT_SCHEMA_ID;
    let schemas = store.list_schemas().await?;
    let custom = |kind: SchemaKind, id: &str| {
        schemas
            .iter()
            .find(|s| s.schema.kind == kind && s.schema.id == id)
            .map(|s| s.schema.custom_json())
            .unwrap_or_default()
    };
    org.schemas.user = custom(SchemaKind::User, DEFAULT_SCHEMA_ID);
    org.schemas.group = custom(SchemaKind::Group, "default");
    for t in store
        .list_user_types()
        .await?
        .into_iter()
        .filter(|t| !t.default)
    {
        org.user_types.push(crate::orgfile::model::UserTypeSpec {
            properties: custom(SchemaKind::User, &t.schema_id),
            name: t.name,
            display_name: t.display_name,
            description: t.description,
        });
    }
    Ok(())
}
