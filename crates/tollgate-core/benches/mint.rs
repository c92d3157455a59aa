//! Minting one access token as the token endpoint does, for a user in 10 groups (3 of them
//! whitelisted) and the seed's RESOURCE groups claim
//! `getFilteredGroups(app.profile.groupwhitelist, "group.name", 40)` compiled once: expression
//! context, claims, `AccessToken::claims()`, and the RS256 signature with a pre-parsed key; and
//! the same without the signature, which is the non-crypto overhead of a token.
//!
//! `cargo bench -p tollgate-core --bench mint -- --warm-up-time 1 --measurement-time 3`

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "benchmark setup"
)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::json;
use tollgate_core::Timestamp;
use tollgate_core::app::{App, AppDraft};
use tollgate_core::authz::Claim;
use tollgate_core::authz::claim::{ClaimType, ClaimValueType};
use tollgate_core::directory::user::CreateOptions;
use tollgate_core::directory::{Group, GroupType, User};
use tollgate_core::id::{AppId, AuthServerId, ClaimId, GroupId};
use tollgate_core::oauth::claims::{CompiledClaims, Subject, Token, assemble_compiled, context};
use tollgate_core::oauth::tokens::AccessToken;
use tollgate_core::org::Org;
use tollgate_core::server::Status;
use tollgate_core::token::jws::SigningKey;
use tollgate_core::token::keys::GeneratedKey;

const NOW: Timestamp = Timestamp::from_millis(1_700_000_000_000);
const SEED: &str = r#"getFilteredGroups(app.profile.groupwhitelist, "group.name", 40)"#;

struct Fixture {
    user: User,
    groups: Vec<Group>,
    app: App,
    org: Org,
    scopes: Vec<String>,
    claims: CompiledClaims,
}

fn fixture() -> Fixture {
    let groups: Vec<Group> = (0..10)
        .map(|i| {
            let kind = if i == 0 {
                GroupType::BuiltIn
            } else {
                GroupType::OktaGroup
            };
            let name = if i == 0 {
                "Everyone".to_owned()
            } else {
                format!("Group {i}")
            };
            let mut g = Group::new(
                kind,
                json!({"name": name}).as_object().unwrap().clone(),
                NOW,
            )
            .unwrap();
            g.id = GroupId::from_trusted(format!("00g{i:017}"));
            g
        })
        .collect();
    let whitelist = json!([
        "00g00000000000000001",
        "00g00000000000000004",
        "00g00000000000000007"
    ]);
    let draft = AppDraft {
        template: Default::default(),
        name: Some("oidc_client".into()),
        label: Some("Seed Client".into()),
        sign_on_mode: Some("OPENID_CONNECT".into()),
        credentials: tollgate_core::app::credentials::CredentialsDraft {
            auth_method: Some("client_secret_basic".into()),
            ..Default::default()
        },
        settings: json!({"redirect_uris": ["https://example.com/cb"], "response_types": ["code"],
            "grant_types": ["authorization_code"], "application_type": "web"})
        .as_object()
        .cloned(),
        profile: Some(json!({"groupwhitelist": whitelist})),
    };
    let app = App::create(AppId::generate(), draft, true, NOW)
        .unwrap()
        .app;
    let user = User::create(
        json!({"login": "annie@acme.com", "email": "annie@acme.com", "firstName": "Annie", "lastName": "J"})
            .as_object()
            .unwrap()
            .clone(),
        None,
        CreateOptions {
            activate: true,
            change_password_next_login: false,
        },
        NOW,
    )
    .unwrap();
    let claim = Claim {
        id: ClaimId::generate(),
        server_id: AuthServerId::from_trusted("default"),
        name: "groups".into(),
        status: Status::Active,
        claim_type: ClaimType::Resource,
        value_type: ClaimValueType::Expression,
        value: SEED.into(),
        group_filter_type: None,
        always_include_in_token: true,
        scopes: vec![],
        system: false,
        created: NOW,
        last_updated: NOW,
    };
    Fixture {
        user,
        groups,
        app,
        org: Org::initial(NOW),
        scopes: vec!["groups".into(), "openid".into(), "profile".into()],
        claims: CompiledClaims::new(&[claim]),
    }
}

/// Everything but the signature: the claims of the token.
fn claims(f: &Fixture) -> serde_json::Map<String, serde_json::Value> {
    let subject = Subject {
        user: Some(&f.user),
        groups: &f.groups,
        app_user_name: None,
        app: &f.app,
        org: &f.org,
        scopes: &f.scopes,
        session: None,
        now: NOW,
    };
    let ctx = context(&subject);
    let extra = assemble_compiled(&f.claims, Token::Access, &subject, &ctx, false)
        .unwrap()
        .claims;
    let (_, claims) = AccessToken {
        issuer: "https://id.example.com/oauth2/default",
        audience: json!("api://default"),
        client_id: &f.app.credentials.client_id,
        user_id: Some(f.user.id.as_str()),
        sub: f.user.login(),
        scopes: &f.scopes,
        auth_time: Some(NOW.millis() / 1000),
        now: NOW.millis() / 1000,
        lifetime_secs: 3600,
        extra,
    }
    .claims();
    claims
}

fn bench(c: &mut Criterion) {
    let f = fixture();
    let sample = claims(&f);
    assert_eq!(sample["groups"].as_array().map(Vec::len), Some(3));
    let generated = GeneratedKey::generate().unwrap();
    let key = SigningKey::from_pkcs8(&generated.jwk.kid, generated.pkcs8()).unwrap();
    c.bench_function("mint: access token, context + claims + RS256", |b| {
        b.iter(|| black_box(key.sign_json(&claims(black_box(&f))).unwrap()))
    });
    c.bench_function("mint: access token without the signature", |b| {
        b.iter(|| black_box(serde_json::to_vec(&claims(black_box(&f))).unwrap()))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
