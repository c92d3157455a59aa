//! App credentials per assignment: what each `credentials.scheme` lets an admin set on
//! `POST /api/v1/apps/{appId}/users[/{userId}]`, passwords (per user, or the app's shared one)
//! sealed at rest and never shown, and the user name an assignment gets by default.

use serde_json::{Value, json};

use super::secret_scan::{Seen, assert_not_stored, stored_password};
use crate::backend_tests;
use crate::support::{Backend, TestApp, assert_okta_error};

backend_tests!(
    edit_username_and_password,
    admin_sets_credentials,
    edit_password_only,
    external_password_sync,
    shared_username_and_password,
    apps_without_passwords_take_a_user_name_only,
);

const FIRST: &str = "First-App-Secret-41";
const SECOND: &str = "Second-App-Secret-73";
const REFUSED: &str = "Credentials should not be set on this resource based on the scheme.";
/// AES-256-GCM: a 12-byte nonce and a 16-byte tag around the ciphertext.
const SEAL_OVERHEAD: usize = 28;

/// A password-based app body of each kind, under `scheme`.
fn app_body(kind: &str, scheme: &str) -> Value {
    let (name, mode, settings) = match kind {
        "basic" => (
            "template_basic_auth",
            "BASIC_AUTH",
            json!({"app": {"url": "https://example.com/", "authURL": "https://example.com/auth"}}),
        ),
        "swa" => (
            "template_swa",
            "BROWSER_PLUGIN",
            json!({"app": {"url": "https://example.com/login", "usernameField": "u",
                           "passwordField": "p", "buttonField": "b"}}),
        ),
        _ => (
            "template_sps",
            "SECURE_PASSWORD_STORE",
            json!({"app": {"url": "https://example.com/login", "usernameField": "u",
                           "passwordField": "p"}}),
        ),
    };
    json!({"name": name, "label": format!("{kind} {scheme}"), "signOnMode": mode,
           "credentials": {"scheme": scheme}, "settings": settings})
}

async fn new_user(app: &TestApp, seen: &mut Seen, login: &str, email: &str) -> String {
    let body = json!({"profile": {"firstName": "Lee", "lastName": "Park", "login": login,
                                  "email": email}});
    let user = seen
        .json(app.post("/api/v1/users?activate=true", &body), 200)
        .await;
    user["id"].as_str().unwrap().to_owned()
}

async fn new_app(app: &TestApp, seen: &mut Seen, body: &Value) -> String {
    let created = seen.json(app.post("/api/v1/apps", body), 200).await;
    created["id"].as_str().unwrap().to_owned()
}

/// A scheme under which the admin sets both parts: assign with a password, read it back in
/// every way, change the user name and the password, and change the profile alone.
async fn password_round_trip(backend: Backend, kind: &str, scheme: &str) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let mut seen = Seen::default();
    let aid = new_app(&app, &mut seen, &app_body(kind, scheme)).await;
    let uid = new_user(&app, &mut seen, "lee@example.com", "lee@example.com").await;
    let users = format!("/api/v1/apps/{aid}/users");
    let one = format!("{users}/{uid}");
    let body = json!({"id": uid, "scope": "USER",
                      "credentials": {"userName": "lee", "password": {"value": FIRST}}});
    let assigned = seen.json(app.post(&users, &body), 200).await;
    let shown = json!({"userName": "lee", "password": {}});
    assert_eq!(assigned["credentials"], shown);
    assert!(assigned["passwordChanged"].is_string(), "{assigned}");
    assert_eq!(seen.json(app.get(&one), 200).await["credentials"], shown);
    assert_eq!(
        seen.json(app.get(&users), 200).await[0]["credentials"],
        shown
    );
    let sealed = stored_password(&app, &aid, &uid).await.unwrap();
    assert_eq!(sealed.len(), FIRST.len() + SEAL_OVERHEAD);

    let change = json!({"credentials": {"userName": "lee2", "password": {"value": SECOND}}});
    let changed = seen.json(app.post(&one, &change), 200).await;
    assert_eq!(
        changed["credentials"],
        json!({"userName": "lee2", "password": {}})
    );
    let resealed = stored_password(&app, &aid, &uid).await.unwrap();
    assert_ne!(resealed, sealed);
    assert_eq!(resealed.len(), SECOND.len() + SEAL_OVERHEAD);

    let profile_only = json!({"profile": {}, "credentials": {"password": {}}});
    let kept = seen.json(app.post(&one, &profile_only), 200).await;
    assert_eq!(
        kept["credentials"],
        json!({"userName": "lee2", "password": {}})
    );
    assert_eq!(stored_password(&app, &aid, &uid).await.unwrap(), resealed);

    assert_not_stored(&app, &[FIRST, SECOND]).await;
    seen.assert_never_shown(&[FIRST, SECOND]);
    app.finish().await;
}

async fn edit_username_and_password(backend: Backend) {
    password_round_trip(backend, "swa", "EDIT_USERNAME_AND_PASSWORD").await;
}

async fn admin_sets_credentials(backend: Backend) {
    password_round_trip(backend, "basic", "ADMIN_SETS_CREDENTIALS").await;
}

async fn edit_password_only(backend: Backend) {
    password_round_trip(backend, "sps", "EDIT_PASSWORD_ONLY").await;
}

/// Okta's refusal of credentials the scheme does not take.
async fn refused(seen: &mut Seen, req: reqwest::RequestBuilder) {
    let body = seen.json(req, 400).await;
    assert_okta_error(&body, "E0000001");
    assert!(body.to_string().contains(REFUSED), "{body}");
}

/// The password is the user's Okta password: a user name may be set, a password may not.
async fn external_password_sync(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let mut seen = Seen::default();
    let aid = new_app(&app, &mut seen, &app_body("swa", "EXTERNAL_PASSWORD_SYNC")).await;
    let uid = new_user(&app, &mut seen, "kim@example.com", "kim@example.com").await;
    let users = format!("/api/v1/apps/{aid}/users");
    let with_password = json!({"id": uid, "credentials": {"password": {"value": FIRST}}});
    refused(&mut seen, app.post(&users, &with_password)).await;
    let named = json!({"id": uid, "credentials": {"userName": "kim"}});
    let assigned = seen.json(app.post(&users, &named), 200).await;
    assert_eq!(assigned["credentials"], json!({"userName": "kim"}));
    assert!(assigned["passwordChanged"].is_null());
    let one = format!("{users}/{uid}");
    let rename = json!({"credentials": {"userName": "kim2"}});
    let renamed = seen.json(app.post(&one, &rename), 200).await;
    assert_eq!(renamed["credentials"], json!({"userName": "kim2"}));
    let change = json!({"credentials": {"password": {"value": SECOND}}});
    refused(&mut seen, app.post(&one, &change)).await;
    assert_eq!(stored_password(&app, &aid, &uid).await, None);
    assert_not_stored(&app, &[FIRST, SECOND]).await;
    seen.assert_never_shown(&[FIRST, SECOND]);
    app.finish().await;
}

/// One account for everyone, set on the app: sealed, shown as `password: {}`, replaceable;
/// its users take no credentials of their own.
async fn shared_username_and_password(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let mut seen = Seen::default();
    let mut body = app_body("basic", "SHARED_USERNAME_AND_PASSWORD");
    body["credentials"]["userName"] = json!("team");
    body["credentials"]["password"] = json!({"value": FIRST});
    let created = seen.json(app.post("/api/v1/apps", &body), 200).await;
    let aid = created["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/apps/{aid}");
    assert_eq!(created["credentials"]["userName"], "team");
    assert_eq!(created["credentials"]["password"], json!({}));
    let read = seen.json(app.get(&path), 200).await;
    assert_eq!(read["credentials"], created["credentials"]);

    let mut replace = read.clone();
    replace["credentials"]["userName"] = json!("crew");
    replace["credentials"]["password"] = json!({"value": SECOND});
    let replaced = seen.json(app.put(&path, &replace), 200).await;
    assert_eq!(replaced["credentials"]["userName"], "crew");
    assert_eq!(replaced["credentials"]["password"], json!({}));
    let unchanged = seen.json(app.put(&path, &replaced), 200).await;
    assert_eq!(unchanged["credentials"]["password"], json!({}), "kept");

    let uid = new_user(&app, &mut seen, "ola@example.com", "ola@example.com").await;
    let users = format!("{path}/users");
    for creds in [
        json!({"userName": "ola"}),
        json!({"password": {"value": "x1"}}),
    ] {
        refused(
            &mut seen,
            app.post(&users, &json!({"id": uid, "credentials": creds})),
        )
        .await;
    }
    let plain = seen.json(app.post(&users, &json!({"id": uid})), 200).await;
    assert_eq!(plain["credentials"], json!({"userName": "ola@example.com"}));
    // Posting back what was read (Okta's advice for profile updates) changes no credentials.
    let mut read_back = plain.clone();
    read_back["profile"] = json!({});
    let again = seen
        .json(app.post(&format!("{users}/{uid}"), &read_back), 200)
        .await;
    assert_eq!(again["credentials"], plain["credentials"]);
    assert_not_stored(&app, &[FIRST, SECOND]).await;
    seen.assert_never_shown(&[FIRST, SECOND]);
    app.finish().await;
}

/// Bookmark and OpenID Connect apps keep no passwords: a user name only, which defaults to
/// what the app's `userNameTemplate` names.
async fn apps_without_passwords_take_a_user_name_only(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let mut seen = Seen::default();
    let bookmark = json!({"name": "bookmark", "label": "Docs", "signOnMode": "BOOKMARK",
        "credentials": {"userNameTemplate": {"template": "${source.email}", "type": "BUILT_IN"}},
        "settings": {"app": {"url": "https://example.com/docs"}}});
    let oidc = super::app_body("Portal", json!({}));
    let uid = new_user(&app, &mut seen, "max@example.com", "max.work@example.org").await;
    for (body, default_name) in [
        (bookmark, "max.work@example.org"),
        (oidc, "max@example.com"),
    ] {
        let aid = new_app(&app, &mut seen, &body).await;
        let users = format!("/api/v1/apps/{aid}/users");
        let with_password =
            json!({"id": uid, "credentials": {"userName": "m", "password": {"value": FIRST}}});
        refused(&mut seen, app.post(&users, &with_password)).await;
        let assigned = seen.json(app.post(&users, &json!({"id": uid})), 200).await;
        assert_eq!(assigned["credentials"], json!({"userName": default_name}));
        let rename = json!({"credentials": {"userName": "max"}});
        let renamed = seen
            .json(app.post(&format!("{users}/{uid}"), &rename), 200)
            .await;
        assert_eq!(renamed["credentials"], json!({"userName": "max"}));
    }
    assert_not_stored(&app, &[FIRST]).await;
    seen.assert_never_shown(&[FIRST]);
    app.finish().await;
}
