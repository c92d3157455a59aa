//! Users created with a password hash imported from another system (Okta's
//! `credentials.password.hash`): each algorithm signs in through `/api/v1/authn`, the hash is
//! then argon2id in the store, wrong passwords count toward lockout, and bad objects are
//! refused with a cause naming the field. Vectors made with `openssl dgst`/`openssl kdf` and
//! Python's `bcrypt`, for the password [`RIGHT`] (salt `c3a91f04e27d5b88a6103f7e`).

use serde_json::{Value, json};
use tollgate_core::password::imported::is_imported;

use super::sign_in;
use crate::backend_tests;
use crate::support::{Backend, TestApp, assert_okta_error, json};

backend_tests!(
    the_hosted_sign_in_page_accepts_an_imported_hash,
    each_algorithm_signs_in_and_is_upgraded,
    wrong_passwords_count_toward_lockout,
    bad_hash_objects_are_refused,
    imported_hashes_replace_only_a_staged_users_password,
);

const RIGHT: &str = "Migrated-Pass-1";
const WRONG: &str = "Migrated-Pass-2";
const SALT: &str = "w6kfBOJ9W4imED9+";

/// One hash object per algorithm (both salt orders for the digests).
fn hashes() -> Vec<Value> {
    vec![
        json!({"algorithm": "BCRYPT", "workFactor": 4, "salt": "KFLPaZZx26G5kslUNF1IIe",
               "value": "G/Ksd2eFY6xh6jXu3sHYPE.apIfZUrO"}),
        json!({"algorithm": "SHA-512", "salt": SALT, "saltOrder": "PREFIX",
               "value": "0iNGkB3kDK6tc41YdWkF5rBktMHbqiFS3eZxwzEz864t/Ll/xtYAYCt1AgytoU0P2BlsdJeVb+IhCe4BozGscg=="}),
        json!({"algorithm": "SHA-256", "salt": SALT, "saltOrder": "POSTFIX",
               "value": "+em30JgfJe8MjZM/+VcZ1d1sbQXIHHER9cJFdcNgiKQ="}),
        json!({"algorithm": "SHA-1", "salt": SALT, "saltOrder": "PREFIX",
               "value": "j9EgBTYO7E89oqwzKVlwr0/H2Ag="}),
        json!({"algorithm": "MD5", "salt": SALT, "saltOrder": "POSTFIX",
               "value": "ZeEYnlypiYV5/Q+nSRQ/uw=="}),
        json!({"algorithm": "SHA-256", "value": "XXvudi3ICPGZqDiC1C3trbQaZoOu8omlqUzGf7flz+o="}),
        json!({"algorithm": "PBKDF2", "digestAlgorithm": "SHA256_HMAC", "iterationCount": 4096,
               "keySize": 32, "salt": SALT, "value": "RrvL6jQNvqQy0Usc7H5cqbn9jlCLXGQ4JyOVqeCjbLk="}),
        json!({"algorithm": "PBKDF2", "digestAlgorithm": "SHA512_HMAC", "iterationCount": 4096,
               "keySize": 64, "salt": SALT,
               "value": "vKzjqUpbfREth0VZHUEpxjy82aMDgzvIZ86zCR+GAFL7Ss4p4pp971asCue6lnmU40YJ3E5wdWzsgeNtO46fUg=="}),
    ]
}

fn body(login: &str, password: Value) -> Value {
    json!({
        "profile": {"firstName": "Isaac", "lastName": "Brock", "email": login, "login": login},
        "credentials": {"password": password}
    })
}

/// The password hash the store holds for `login`.
async fn stored_hash(app: &TestApp, login: &str) -> String {
    let user = app.server_store().find_user(login).await.unwrap().unwrap();
    user.password_hash.unwrap()
}

async fn each_algorithm_signs_in_and_is_upgraded(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    for (i, hash) in hashes().into_iter().enumerate() {
        let login = format!("imported.{i}@example.com");
        let user = json(
            app.post(
                "/api/v1/users?activate=true",
                &body(&login, json!({"hash": hash})),
            ),
            200,
        )
        .await;
        assert_eq!(user["status"], "ACTIVE", "{hash}");
        assert_eq!(user["credentials"]["password"], json!({}), "{user}");
        assert_eq!(user["credentials"]["provider"]["type"], "IMPORT", "{user}");
        assert!(!user.to_string().contains("okta-import"), "{user}");
        let changed = user["passwordChanged"].clone();
        assert!(is_imported(&stored_hash(&app, &login).await), "{hash}");

        assert_eq!(sign_in(&app, &login, WRONG).await, "401", "{hash}");
        assert!(is_imported(&stored_hash(&app, &login).await), "{hash}");
        assert_eq!(sign_in(&app, &login, RIGHT).await, "SUCCESS", "{hash}");
        let upgraded = stored_hash(&app, &login).await;
        assert!(upgraded.starts_with("$argon2id$"), "{hash}: {upgraded}");
        // The argon2id hash now answers for the same password, and only for it.
        assert_eq!(sign_in(&app, &login, RIGHT).await, "SUCCESS", "{hash}");
        assert_eq!(stored_hash(&app, &login).await, upgraded, "{hash}");
        assert_eq!(sign_in(&app, &login, WRONG).await, "401", "{hash}");
        let id = user["id"].as_str().unwrap();
        let after = json(app.get(&format!("/api/v1/users/{id}")), 200).await;
        assert_eq!(after["credentials"]["provider"]["type"], "OKTA", "{after}");
        assert_eq!(after["passwordChanged"], changed, "{after}");
    }
    app.finish().await;
}

async fn wrong_passwords_count_toward_lockout(b: Backend) {
    let Some(app) = TestApp::start_with(b, |s| s.lockout_attempts = 2).await else {
        return;
    };
    let login = "locked.import@example.com";
    let hash = hashes().swap_remove(2);
    let user = json(
        app.post("/api/v1/users", &body(login, json!({"hash": hash}))),
        200,
    )
    .await;
    assert_eq!(sign_in(&app, login, WRONG).await, "401");
    assert_eq!(sign_in(&app, login, WRONG).await, "401");
    let id = user["id"].as_str().unwrap();
    let locked = json(app.get(&format!("/api/v1/users/{id}")), 200).await;
    assert_eq!(locked["status"], "LOCKED_OUT", "{locked}");
    // Locked out, the right password is refused and the imported hash stays.
    assert_eq!(sign_in(&app, login, RIGHT).await, "401");
    assert!(is_imported(&stored_hash(&app, login).await));
    app.finish().await;
}

/// The cause of a `400 E0000001` answer to creating a user with `password`.
async fn refusal(app: &TestApp, password: Value) -> String {
    let login = "refused@example.com";
    let answer = json(app.post("/api/v1/users", &body(login, password)), 400).await;
    assert_okta_error(&answer, "E0000001");
    answer["errorCauses"][0]["errorSummary"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn bad_hash_objects_are_refused(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let cases = [
        (
            json!({"algorithm": "SHA-384", "value": SALT}),
            "credentials.password.hash.algorithm: ",
        ),
        (
            json!({"algorithm": "SHA-256", "value": SALT}),
            "credentials.password.hash.value: ",
        ),
        (
            json!({"algorithm": "MD5", "salt": SALT, "value": "ZeEYnlypiYV5/Q+nSRQ/uw=="}),
            "credentials.password.hash.saltOrder: ",
        ),
        (
            json!({"algorithm": "BCRYPT", "salt": "KFLPaZZx26G5kslUNF1IIe", "value": "G/Ksd2eFY6xh6jXu3sHYPE.apIfZUrO"}),
            "credentials.password.hash.workFactor: ",
        ),
        (
            json!({"algorithm": "PBKDF2", "digestAlgorithm": "SHA256_HMAC", "iterationCount": 1000,
                   "keySize": 32, "salt": SALT, "value": "RrvL6jQNvqQy0Usc7H5cqbn9jlCLXGQ4JyOVqeCjbLk="}),
            "credentials.password.hash.iterationCount: ",
        ),
    ];
    for (hash, cause) in cases {
        let got = refusal(&app, json!({"hash": hash})).await;
        assert!(got.starts_with(cause), "{hash}: {got}");
    }
    let both = refusal(
        &app,
        json!({"value": RIGHT, "hash": hashes().swap_remove(2)}),
    )
    .await;
    assert!(both.starts_with("password: "), "{both}");
    let hook = refusal(&app, json!({"hook": {"type": "default"}})).await;
    assert!(hook.starts_with("credentials.password.hook: "), "{hook}");
    // Nothing was created.
    let users = json(app.get("/api/v1/users?q=refused"), 200).await;
    assert_eq!(users, json!([]));
    app.finish().await;
}

async fn imported_hashes_replace_only_a_staged_users_password(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let hash = hashes().swap_remove(4);
    let staged = json(
        app.post(
            "/api/v1/users?activate=false",
            &body("staged.import@example.com", json!({})),
        ),
        200,
    )
    .await;
    let id = staged["id"].as_str().unwrap();
    let path = format!("/api/v1/users/{id}");
    let set = json!({"credentials": {"password": {"hash": hash}}});
    let updated = json(app.post(&path, &set), 200).await;
    assert_eq!(updated["status"], "STAGED");
    assert_eq!(updated["credentials"]["provider"]["type"], "IMPORT");
    json(
        app.post(
            &format!("{path}/lifecycle/activate?sendEmail=false"),
            &json!({}),
        ),
        200,
    )
    .await;
    assert_eq!(
        sign_in(&app, "staged.import@example.com", RIGHT).await,
        "SUCCESS"
    );

    let active = json(
        app.post(
            "/api/v1/users",
            &body(
                "active.import@example.com",
                json!({"value": "Tollgate-2026"}),
            ),
        ),
        200,
    )
    .await;
    let path = format!("/api/v1/users/{}", active["id"].as_str().unwrap());
    for req in [app.post(&path, &set), app.put(&path, &set)] {
        let answer = json(req, 400).await;
        assert_okta_error(&answer, "E0000001");
        assert_eq!(
            answer["errorCauses"][0]["errorSummary"],
            "password: An imported password may only be specified for a user with status: STAGED"
        );
    }
    assert_eq!(
        sign_in(&app, "active.import@example.com", "Tollgate-2026").await,
        "SUCCESS"
    );
    app.finish().await;
}

/// The hosted sign-in page's form checks an imported hash as `/api/v1/authn` does, and upgrades
/// it on the first right password.
async fn the_hosted_sign_in_page_accepts_an_imported_hash(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let login = "page.import@example.com";
    let hash = hashes().swap_remove(2);
    let body = body(login, json!({"hash": hash}));
    json(app.post("/api/v1/users?activate=true", &body), 200).await;
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap();
    let url = format!("{}/login", app.base);
    let form = browser
        .get(&url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let try_password = |password: &'static str, html: String| {
        let browser = browser.clone();
        let url = url.clone();
        async move {
            let fields = [
                ("username", login.to_owned()),
                ("password", password.to_owned()),
                ("fromURI", String::new()),
                ("csrf", crate::pages::csrf_of(&html)),
            ];
            browser.post(&url).form(&fields).send().await.unwrap()
        }
    };
    let wrong = try_password(WRONG, form).await;
    assert_eq!(wrong.status(), 401);
    assert!(is_imported(&stored_hash(&app, login).await));
    let ok = try_password(RIGHT, wrong.text().await.unwrap()).await;
    assert_eq!(ok.status(), 303);
    assert_eq!(ok.headers()["location"], "/login/done");
    assert!(stored_hash(&app, login).await.starts_with("$argon2id$"));
    app.finish().await;
}
