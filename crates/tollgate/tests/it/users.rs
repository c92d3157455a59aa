//! A user's credentials through the management API: password and recovery question changes,
//! temporary passwords, factor resets and reset links.

mod history;
mod imported;
mod mail;
mod recovery;
mod recovery_question;
mod related;
mod reset_page;
mod search;
mod subscriptions;

use reqwest::Method;
use serde_json::{Value, json};

use crate::authz::events_for;
use crate::backend_tests;
use crate::support::{Backend, TestApp, assert_okta_error, json, send};

backend_tests!(
    change_password_checks_the_old_one,
    change_password_finishes_an_expired_password,
    recovery_question_is_set_and_answers_forgot_password,
);

pub(crate) const PASSWORD: &str = "Tollgate-2026";

/// Creates an active user with [`PASSWORD`]; returns its id.
pub(crate) async fn create_user(app: &TestApp, login: &str, query: &str) -> String {
    let body = json!({
        "profile": {"firstName": "Annie", "lastName": "Jackson", "email": login, "login": login},
        "credentials": {"password": {"value": PASSWORD}}
    });
    let user = json(app.post(&format!("/api/v1/users{query}"), &body), 200).await;
    user["id"].as_str().unwrap().to_owned()
}

/// The `status` of a primary authentication with `password` (`401` when refused).
pub(crate) async fn sign_in(app: &TestApp, login: &str, password: &str) -> String {
    let resp = app
        .anon(Method::POST, "/api/v1/authn")
        .json(&json!({"username": login, "password": password}))
        .send()
        .await
        .unwrap();
    if resp.status() == 401 {
        return "401".to_owned();
    }
    let body: Value = resp.json().await.unwrap();
    body["status"].as_str().unwrap_or_default().to_owned()
}

/// A session of `login` (signed in with `password`); returns its id.
pub(crate) async fn start_session(app: &TestApp, login: &str, password: &str) -> String {
    let authn = app
        .anon(Method::POST, "/api/v1/authn")
        .json(&json!({"username": login, "password": password}));
    let token = json(authn, 200).await["sessionToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let session = app
        .anon(Method::POST, "/api/v1/sessions")
        .json(&json!({"sessionToken": token}));
    json(session, 200).await["id"].as_str().unwrap().to_owned()
}

/// The status of `GET /api/v1/sessions/{id}`.
pub(crate) async fn session_status(app: &TestApp, id: &str) -> u16 {
    send(app.get(&format!("/api/v1/sessions/{id}")))
        .await
        .status()
        .as_u16()
}

pub(crate) async fn user_status(app: &TestApp, id: &str) -> String {
    let user = json(app.get(&format!("/api/v1/users/{id}")), 200).await;
    user["status"].as_str().unwrap().to_owned()
}

pub(crate) fn change(old: &str, new: &str) -> Value {
    json!({"oldPassword": {"value": old}, "newPassword": {"value": new}})
}

async fn change_password_checks_the_old_one(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let login = "change.pw@example.com";
    let id = create_user(&app, login, "?activate=true").await;
    let path = format!("/api/v1/users/{id}/credentials/change_password?strict=true");

    let wrong = json(
        app.post(&path, &change("Not-The-One-1", "Fresh-Pass-77")),
        403,
    )
    .await;
    assert_eq!(
        assert_okta_error(&wrong, "E0000014"),
        "Update of credentials failed"
    );
    assert_eq!(
        wrong["errorCauses"][0]["errorSummary"],
        "oldPassword: The credentials provided were incorrect."
    );
    let weak = json(app.post(&path, &change(PASSWORD, "short")), 403).await;
    assert_okta_error(&weak, "E0000014");
    let cause = weak["errorCauses"][0]["errorSummary"].as_str().unwrap();
    assert!(
        cause.starts_with("password: Password requirements were not met"),
        "{cause}"
    );
    let missing = json(
        app.post(&path, &json!({"newPassword": {"value": "x"}})),
        400,
    )
    .await;
    assert_okta_error(&missing, "E0000001");

    let done = json(app.post(&path, &change(PASSWORD, "Fresh-Pass-77")), 200).await;
    assert_eq!(
        done,
        json!({"password": {}, "provider": {"type": "OKTA", "name": "OKTA"}})
    );
    assert_eq!(sign_in(&app, login, PASSWORD).await, "401");
    assert_eq!(sign_in(&app, login, "Fresh-Pass-77").await, "SUCCESS");
    assert!(
        events_for(&app, &id)
            .await
            .contains(&"user.account.update_password".to_owned())
    );

    assert_eq!(
        send(app.delete(&format!("/api/v1/users/{id}")))
            .await
            .status(),
        204
    );
    let gone = json(
        app.post(&path, &change("Fresh-Pass-77", "Other-Pass-88")),
        403,
    )
    .await;
    assert_okta_error(&gone, "E0000038");
    app.finish().await;
}

async fn change_password_finishes_an_expired_password(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let login = "expired.pw@example.com";
    let id = create_user(&app, login, "?activate=true&nextLogin=changePassword").await;
    assert_eq!(user_status(&app, &id).await, "PASSWORD_EXPIRED");
    let path = format!("/api/v1/users/{id}/credentials/change_password");
    json(app.post(&path, &change(PASSWORD, "Fresh-Pass-77")), 200).await;
    assert_eq!(user_status(&app, &id).await, "ACTIVE");
    assert_eq!(sign_in(&app, login, "Fresh-Pass-77").await, "SUCCESS");
    app.finish().await;
}

fn question(password: &str, q: &str, answer: &str) -> Value {
    json!({"password": {"value": password}, "recovery_question": {"question": q, "answer": answer}})
}

async fn recovery_question_is_set_and_answers_forgot_password(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let login = "recovery.q@example.com";
    let id = create_user(&app, login, "").await;
    let q = "What's your favourite security question?";
    let set = format!("/api/v1/users/{id}/credentials/change_recovery_question");

    let wrong = json(app.post(&set, &question("Wrong-Pass-11", q, "Tofu")), 403).await;
    assert_okta_error(&wrong, "E0000014");
    let short = json(app.post(&set, &question(PASSWORD, q, "abc")), 400).await;
    assert_okta_error(&short, "E0000001");
    let done = json(
        app.post(&set, &question(PASSWORD, q, "Cheese Toastie")),
        200,
    )
    .await;
    assert_eq!(
        done,
        json!({"password": {}, "recovery_question": {"question": q},
               "provider": {"type": "OKTA", "name": "OKTA"}})
    );
    let user = json(app.get(&format!("/api/v1/users/{id}")), 200).await;
    assert_eq!(
        user["credentials"]["recovery_question"],
        json!({"question": q})
    );

    let forgot = format!("/api/v1/users/{id}/credentials/forgot_password_recovery_question");
    let answer =
        |a: &str, pw: &str| json!({"password": {"value": pw}, "recovery_question": {"answer": a}});
    let bad = json(app.post(&forgot, &answer("Beans", "Fresh-Pass-77")), 403).await;
    assert_okta_error(&bad, "E0000014");
    assert_eq!(sign_in(&app, login, PASSWORD).await, "SUCCESS");
    let ok = json(
        app.post(&forgot, &answer("  cheese TOASTIE ", "Fresh-Pass-77")),
        200,
    )
    .await;
    assert_eq!(ok["recovery_question"]["question"], q);
    assert_eq!(sign_in(&app, login, "Fresh-Pass-77").await, "SUCCESS");
    let events = events_for(&app, &id).await;
    for wanted in [
        "user.account.update_recovery_question_answer",
        "user.account.reset_password",
    ] {
        assert!(events.contains(&wanted.to_owned()), "{wanted}: {events:?}");
    }
    app.finish().await;
}
