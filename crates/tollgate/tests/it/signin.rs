//! Sign-in: `/api/v1/authn`, sessions, lockout, the hosted sign-in page and the front half of
//! `/authorize`.

mod authorize;

use reqwest::Method;
use reqwest::redirect::Policy;
use serde_json::{Value, json};

use crate::backend_tests;
use crate::support::{Backend, TestApp, assert_okta_error, json, send};

backend_tests!(
    authn_answers_like_okta,
    sessions_from_session_tokens,
    ten_wrong_passwords_lock_the_user,
);

const PASSWORD: &str = "Tollgate-2026";

async fn user(app: &TestApp, login: &str, query: &str) -> String {
    let body = json!({
        "profile": {"firstName": "Annie", "lastName": "Jackson", "email": login, "login": login},
        "credentials": {"password": {"value": PASSWORD}}
    });
    json(app.post(&format!("/api/v1/users{query}"), &body), 200).await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn authn(app: &TestApp, username: &str, password: &str, status: u16) -> Value {
    json(
        app.anon(Method::POST, "/api/v1/authn")
            .json(&json!({"username": username, "password": password})),
        status,
    )
    .await
}

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .unwrap()
}

async fn authn_answers_like_okta(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let uid = user(&app, "annie@acme.com", "").await;
    let ok = authn(&app, "annie@acme.com", PASSWORD, 200).await;
    assert_eq!(ok["status"], "SUCCESS");
    assert!(ok["sessionToken"].as_str().unwrap().len() >= 30);
    assert_eq!(ok["_embedded"]["user"]["id"], uid.as_str());
    assert_eq!(
        ok["_embedded"]["user"]["profile"]["login"],
        "annie@acme.com"
    );
    assert!(ok["expiresAt"].as_str().unwrap().ends_with('Z'));

    for (name, pw) in [
        ("annie@acme.com", "wrong-Password1"),
        ("nobody@acme.com", PASSWORD),
    ] {
        let body = authn(&app, name, pw, 401).await;
        assert_eq!(
            assert_okta_error(&body, "E0000004"),
            "Authentication failed"
        );
        assert_eq!(body["errorCauses"], json!([]));
    }
    json(
        app.req(
            Method::POST,
            &format!("/api/v1/users/{uid}/lifecycle/suspend"),
        ),
        200,
    )
    .await;
    assert_okta_error(
        &authn(&app, "annie@acme.com", PASSWORD, 401).await,
        "E0000004",
    );

    // An expired password: a stateToken, then a change that signs the user in.
    user(&app, "bob@acme.com", "?nextLogin=changePassword").await;
    let expired = authn(&app, "bob@acme.com", PASSWORD, 200).await;
    assert_eq!(expired["status"], "PASSWORD_EXPIRED");
    let state_token = expired["stateToken"].as_str().unwrap().to_owned();
    assert!(
        expired["_links"]["next"]["href"]
            .as_str()
            .unwrap()
            .ends_with("/api/v1/authn/credentials/change_password")
    );
    let change = |old: &str| {
        app.anon(Method::POST, "/api/v1/authn/credentials/change_password")
            .json(&json!({"stateToken": state_token, "oldPassword": old, "newPassword": "Changed-2027x"}))
    };
    assert_okta_error(&json(change("nope"), 403).await, "E0000014");
    // The failed attempt used up the stateToken.
    assert_okta_error(&json(change(PASSWORD), 401).await, "E0000011");
    let again = authn(&app, "bob@acme.com", PASSWORD, 200).await;
    let st = again["stateToken"].as_str().unwrap();
    let done = json(
        app.anon(Method::POST, "/api/v1/authn/credentials/change_password")
            .json(
                &json!({"stateToken": st, "oldPassword": PASSWORD, "newPassword": "Changed-2027x"}),
            ),
        200,
    )
    .await;
    assert_eq!(done["status"], "SUCCESS");
    assert_eq!(
        authn(&app, "bob@acme.com", "Changed-2027x", 200).await["status"],
        "SUCCESS"
    );
    app.finish().await;
}

async fn sessions_from_session_tokens(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let uid = user(&app, "annie@acme.com", "").await;
    let token = authn(&app, "annie@acme.com", PASSWORD, 200).await["sessionToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let browser = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let resp = send(
        browser
            .post(format!("{}/api/v1/sessions", app.base))
            .json(&json!({"sessionToken": token})),
    )
    .await;
    assert_eq!(resp.status(), 200);
    let set_cookie = resp.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        set_cookie.starts_with("sid=")
            && set_cookie.contains("HttpOnly")
            && set_cookie.contains("SameSite=Lax"),
        "{set_cookie}"
    );
    let session: Value = resp.json().await.unwrap();
    let sid = session["id"].as_str().unwrap().to_owned();
    assert_eq!(sid.len(), 25);
    assert_eq!(
        (session["userId"].as_str(), session["login"].as_str()),
        (Some(uid.as_str()), Some("annie@acme.com"))
    );
    assert_eq!(session["amr"], json!(["pwd"]));
    assert_eq!(session["status"], "ACTIVE");
    assert!(session["idp"]["id"].as_str().unwrap().starts_with("00o"));

    let reuse = app
        .anon(Method::POST, "/api/v1/sessions")
        .json(&json!({"sessionToken": token}));
    assert_okta_error(&json(reuse, 401).await, "E0000004");

    assert_eq!(
        json(app.get(&format!("/api/v1/sessions/{sid}")), 200).await["id"],
        sid.as_str()
    );
    let me = json(browser.get(format!("{}/api/v1/sessions/me", app.base)), 200).await;
    assert_eq!(me["id"], sid.as_str());
    json(
        app.req(
            Method::POST,
            &format!("/api/v1/sessions/{sid}/lifecycle/refresh"),
        ),
        200,
    )
    .await;
    json(app.anon(Method::GET, "/api/v1/sessions/me"), 404).await;

    assert_eq!(
        send(app.delete(&format!("/api/v1/users/{uid}/sessions")))
            .await
            .status(),
        204
    );
    json(browser.get(format!("{}/api/v1/sessions/me", app.base)), 404).await;
    json(app.get(&format!("/api/v1/sessions/{sid}")), 404).await;

    // Sign in again and sign out through /sessions/me.
    let token = authn(&app, "annie@acme.com", PASSWORD, 200).await["sessionToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let created = json(
        browser
            .post(format!("{}/api/v1/sessions", app.base))
            .json(&json!({"sessionToken": token})),
        200,
    )
    .await;
    let out = send(browser.delete(format!("{}/api/v1/sessions/me", app.base))).await;
    assert_eq!(out.status(), 204);
    json(
        app.get(&format!(
            "/api/v1/sessions/{}",
            created["id"].as_str().unwrap()
        )),
        404,
    )
    .await;
    let ended = json(
        app.get("/api/v1/logs?filter=eventType%20eq%20%22user.session.end%22"),
        200,
    )
    .await;
    assert_eq!(ended.as_array().unwrap().len(), 1);
    app.finish().await;
}

async fn ten_wrong_passwords_lock_the_user(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let uid = user(&app, "annie@acme.com", "").await;
    for _ in 0..10 {
        authn(&app, "annie@acme.com", "Wrong-Pass-1", 401).await;
    }
    assert_eq!(
        json(app.get(&format!("/api/v1/users/{uid}")), 200).await["status"],
        "LOCKED_OUT"
    );
    assert_okta_error(
        &authn(&app, "annie@acme.com", PASSWORD, 401).await,
        "E0000004",
    );

    let lock = json(
        app.get("/api/v1/logs?filter=eventType%20eq%20%22user.account.lock%22"),
        200,
    )
    .await;
    let lock = &lock[0];
    assert_eq!(lock["target"][0]["id"], uid.as_str());
    assert!(
        lock["outcome"]["reason"]
            .as_str()
            .unwrap()
            .contains("10 failed sign-in attempts")
    );
    let failures = json(app.get("/api/v1/logs?filter=eventType%20eq%20%22user.session.start%22%20and%20outcome.result%20eq%20%22FAILURE%22&limit=100"), 200).await;
    let failures = failures.as_array().unwrap();
    assert_eq!(failures.len(), 11);
    assert_eq!(failures[0]["outcome"]["reason"], "INVALID_CREDENTIALS");
    assert_eq!(failures[0]["client"]["ipAddress"], "127.0.0.1");
    assert_eq!(failures[0]["actor"]["alternateId"], "annie@acme.com");

    json(
        app.req(
            Method::POST,
            &format!("/api/v1/users/{uid}/lifecycle/unlock"),
        ),
        200,
    )
    .await;
    assert_eq!(
        authn(&app, "annie@acme.com", PASSWORD, 200).await["status"],
        "SUCCESS"
    );
    app.finish().await;
}
