//! The org's first admin: made at first start, owner of the bootstrap token, `/users/me`; on
//! upgrading a database whose tokens have no owner, a super admin is made for them.

use serde_json::json;
use tollgate::{Server, Settings};
use tollgate_core::Clock;
use tollgate_store::Store;
use tollgate_store::testing::Scratch;

use crate::backend_tests;
use crate::support::{Backend, TestApp, json};

backend_tests!(
    first_admin_owns_the_bootstrap_token,
    upgrade_gives_ownerless_tokens_an_admin
);

async fn first_admin_owns_the_bootstrap_token(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let me = json(app.get("/api/v1/users/me"), 200).await;
    assert_eq!(me["status"], "ACTIVE");
    assert_eq!(me["profile"]["login"], "admin@127.0.0.1");
    let id = me["id"].as_str().unwrap();
    assert_eq!(json(app.get(&format!("/api/v1/users/{id}")), 200).await, me);
    let roles = json(app.get(&format!("/api/v1/users/{id}/roles")), 200).await;
    assert_eq!(roles.as_array().unwrap().len(), 1);
    assert_eq!(roles[0]["type"], "SUPER_ADMIN");
    assert_eq!(roles[0]["label"], "Super Organization Administrator");
    assert_eq!(roles[0]["assignmentType"], "USER");
    // A restart makes no second admin.
    let mut app = app;
    app.restart().await;
    let admins = json(app.get("/api/v1/users?q=admin"), 200).await;
    assert_eq!(admins.as_array().unwrap().len(), 1);
    app.finish().await;
}

async fn upgrade_gives_ownerless_tokens_an_admin(backend: Backend) {
    let scratch = match backend {
        Backend::Sqlite => Scratch::sqlite().unwrap(),
        Backend::Postgres => match Scratch::postgres().await.unwrap() {
            Some(s) => s,
            None => return,
        },
    };
    // An org from before tokens had owners: a token and no admin user.
    let store = Store::connect(&scratch.url).await.unwrap();
    let boot = store
        .bootstrap(Clock::System.now(), Some("legacy"))
        .await
        .unwrap();
    let legacy = boot.first_token.unwrap();
    store.close().await;

    let mut settings = Settings::new("127.0.0.1:0".parse().unwrap(), scratch.url.clone());
    settings.master_key = Some(tollgate_core::token::sealed::MasterKey::generate());
    settings.admin_login = Some("root@acme.com".to_owned());
    let server = Server::bind(settings.clone(), Clock::System).await.unwrap();
    let admin = server.first_admin().unwrap();
    assert_eq!(admin.login, "root@acme.com");
    let password = admin.password.expose().to_owned();
    let running = server.spawn();
    let app = TestApp::attach(
        format!("http://{}", running.addr),
        legacy.expose().to_owned(),
    );
    let me = json(app.get("/api/v1/users/me"), 200).await;
    assert_eq!(me["profile"]["login"], "root@acme.com");
    // The printed password signs the admin in.
    let authn = json(
        app.anon(reqwest::Method::POST, "/api/v1/authn")
            .json(&json!({"username": "root@acme.com", "password": password})),
        200,
    )
    .await;
    assert_eq!(authn["status"], "SUCCESS");
    running.stop().await.unwrap();
    // The next start has nothing to do.
    let again = Server::bind(settings, Clock::System).await.unwrap();
    assert!(again.first_admin().is_none());
    again.spawn().stop().await.unwrap();
    scratch.cleanup().await;
}
