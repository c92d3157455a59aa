//! The token decision without signing: policy evaluation, the expression context, and the
//! claims of the ID and access tokens, for a user in 1,000 groups and an app whose
//! `profile.groupwhitelist` holds 1,000 group ids (40 of them the user's groups).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "benchmark setup"
)]

use std::collections::HashSet;
use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::json;
use tollgate_core::Timestamp;
use tollgate_core::app::vocab::GrantType;
use tollgate_core::app::{App, AppDraft};
use tollgate_core::authz::claim::{ClaimType, ClaimValueType};
use tollgate_core::authz::{Claim, Policy, PolicyWithRules, Rule};
use tollgate_core::directory::user::CreateOptions;
use tollgate_core::directory::{Group, GroupType, User};
use tollgate_core::id::{AppId, AuthServerId, ClaimId, GroupId};
use tollgate_core::oauth::claims::{
    CompiledClaims, Memo, Subject, Token, assemble, assemble_compiled_with, context, context_cached,
};
use tollgate_core::oauth::policy::{Person, Request, evaluate};
use tollgate_core::oauth::prepared::ContextCache;
use tollgate_core::org::Org;
use tollgate_core::server::Status;

const NOW: Timestamp = Timestamp::from_millis(1_700_000_000_000);
const SEED: &str = r#"getFilteredGroups(app.profile.groupwhitelist, "group.name", 40)"#;

fn claim(ct: ClaimType) -> Claim {
    Claim {
        id: ClaimId::generate(),
        server_id: AuthServerId::from_trusted("default"),
        name: "groups".into(),
        status: Status::Active,
        claim_type: ct,
        value_type: ClaimValueType::Expression,
        value: SEED.into(),
        group_filter_type: None,
        always_include_in_token: true,
        scopes: vec![],
        system: false,
        created: NOW,
        last_updated: NOW,
    }
}

fn bench(c: &mut Criterion) {
    let groups: Vec<Group> = (0..1000)
        .map(|i| {
            let mut g = Group::new(
                GroupType::OktaGroup,
                json!({"name": format!("Group {i}")})
                    .as_object()
                    .unwrap()
                    .clone(),
                NOW,
            )
            .unwrap();
            g.id = GroupId::from_trusted(format!("00g{i:017}"));
            g
        })
        .collect();
    // 40 of the user's groups are whitelisted, among 1,000 whitelisted ids.
    let whitelist: Vec<String> = (0..1000)
        .map(|i| {
            if i < 40 {
                format!("00g{:017}", i * 25)
            } else {
                format!("00gother{i:012}")
            }
        })
        .collect();
    let draft = AppDraft {
        template: Default::default(),
        name: Some("oidc_client".into()),
        label: Some("Sample Client".into()),
        sign_on_mode: Some("OPENID_CONNECT".into()),
        credentials: tollgate_core::app::credentials::CredentialsDraft { auth_method: Some("client_secret_basic".into()), ..Default::default() },
        settings: json!({"redirect_uris": ["https://example.com/cb"], "response_types": ["code", "token", "id_token"],
            "grant_types": ["authorization_code", "implicit"], "application_type": "web"})
        .as_object()
        .cloned(),
        profile: Some(json!({"groupwhitelist": whitelist})),
    };
    let app: App = App::create(AppId::generate(), draft, true, NOW)
        .unwrap()
        .app;
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
    let org = Org::initial(NOW);
    let server = AuthServerId::from_trusted("default");
    let policy = Policy::builtin_default(&server, NOW);
    let rule = Rule::builtin_default(&policy, NOW);
    let policies = vec![PolicyWithRules {
        policy,
        rules: vec![rule],
    }];
    let claims = vec![claim(ClaimType::Identity), claim(ClaimType::Resource)];
    let scopes = vec!["groups".to_owned(), "openid".to_owned()];

    // What the token path does: claims compiled once, groups and app prepared once (the cache
    // is warm after the first request), then per request policy, context and claims.
    let compiled = CompiledClaims::new(&claims);
    let cache = ContextCache::new();
    c.bench_function(
        "decide (server path): policy + cached context + compiled ID and access claims (1,000 groups, 1,000-id whitelist)",
        |b| {
            b.iter(|| {
                let req = Request {
                    client_id: &app.credentials.client_id,
                    grant: GrantType::Implicit,
                    scopes: &scopes,
                    person: Some(Person {
                        user_id: user.id.as_str(),
                        group_ids: &groups,
                    }),
                };
                let granted = evaluate(&policies, &req).unwrap();
                let subject = Subject {
                    user: Some(&user),
                    groups: &groups,
                    app_user_name: None,
                    app: &app,
                    org: &org,
                    scopes: &granted.scopes,
                    session: None,
                    now: NOW,
                };
                let ctx = context_cached(&subject, &cache);
                let mut memo = Memo::default();
                let id = assemble_compiled_with(
                    &compiled,
                    Token::Id { thin: false },
                    &subject,
                    &ctx,
                    false,
                    &mut memo,
                )
                .unwrap();
                let at = assemble_compiled_with(
                    &compiled,
                    Token::Access,
                    &subject,
                    &ctx,
                    false,
                    &mut memo,
                )
                .unwrap();
                assert_eq!(id.claims["groups"].as_array().map(Vec::len), Some(40));
                black_box((id, at))
            });
        },
    );
    c.bench_function(
        "decide (cold): policy + context + ID and access claims, nothing cached",
        |b| {
            b.iter(|| {
                let ids: HashSet<&str> = groups.iter().map(|g| g.id.as_str()).collect();
                let req = Request {
                    client_id: &app.credentials.client_id,
                    grant: GrantType::Implicit,
                    scopes: &scopes,
                    person: Some(Person {
                        user_id: user.id.as_str(),
                        group_ids: &ids,
                    }),
                };
                let granted = evaluate(&policies, &req).unwrap();
                let subject = Subject {
                    user: Some(&user),
                    groups: &groups,
                    app_user_name: None,
                    app: &app,
                    org: &org,
                    scopes: &granted.scopes,
                    session: None,
                    now: NOW,
                };
                let ctx = context(&subject);
                let id =
                    assemble(&claims, Token::Id { thin: false }, &subject, &ctx, false).unwrap();
                let at = assemble(&claims, Token::Access, &subject, &ctx, false).unwrap();
                assert_eq!(id.claims["groups"].as_array().map(Vec::len), Some(40));
                black_box((id, at))
            });
        },
    );
    let ids: HashSet<&str> = groups.iter().map(|g| g.id.as_str()).collect();
    let req = Request {
        client_id: &app.credentials.client_id,
        grant: GrantType::Implicit,
        scopes: &scopes,
        person: Some(Person {
            user_id: user.id.as_str(),
            group_ids: &ids,
        }),
    };
    c.bench_function("decide: policy evaluation only", |b| {
        b.iter(|| black_box(evaluate(&policies, &req).unwrap()))
    });
    let subject = Subject {
        user: Some(&user),
        groups: &groups,
        app_user_name: None,
        app: &app,
        org: &org,
        scopes: &scopes,
        session: None,
        now: NOW,
    };
    c.bench_function("decide: expression context only", |b| {
        b.iter(|| black_box(context(&subject)))
    });
    c.bench_function("decide: expression context, groups and app cached", |b| {
        b.iter(|| black_box(context_cached(&subject, &cache)))
    });
    let none: Vec<Group> = Vec::new();
    let empty = Subject {
        groups: &none,
        ..subject.clone()
    };
    c.bench_function("decide: expression context without groups", |b| {
        b.iter(|| black_box(context(&empty)))
    });
    let ctx = context(&subject);
    c.bench_function("decide: ID + access claims on a built context", |b| {
        b.iter(|| {
            let id = assemble(&claims, Token::Id { thin: false }, &subject, &ctx, false).unwrap();
            let at = assemble(&claims, Token::Access, &subject, &ctx, false).unwrap();
            black_box((id, at))
        });
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
