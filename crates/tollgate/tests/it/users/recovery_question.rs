//! A user with a recovery question answers it before choosing a new password, on the hosted
//! reset page as in the authn API; wrong answers are throttled like wrong passwords.

use reqwest::Method;
use serde_json::{Value, json};

use super::reset_page::post_answered;
use super::{PASSWORD, create_user, sign_in};
use crate::backend_tests;
use crate::support::{Backend, TestApp, assert_okta_error, json};

backend_tests!(
    the_reset_page_asks_the_recovery_question_first,
    wrong_answers_are_throttled_in_the_authn_api
);

/// A user with a recovery question and a forgot-password link for them: (id, link).
async fn with_question(app: &TestApp, login: &str) -> (String, String) {
    let id = create_user(app, login, "").await;
    let body = json!({"password": {"value": PASSWORD},
        "recovery_question": {"question": "First pet?", "answer": "Tortoise"}});
    let path = format!("/api/v1/users/{id}/credentials/change_recovery_question");
    json(app.post(&path, &body), 200).await;
    let forgot = format!("/api/v1/users/{id}/credentials/forgot_password?sendEmail=false");
    let link = json(app.post(&forgot, &json!({})), 200).await["resetPasswordUrl"]
        .as_str()
        .unwrap()
        .to_owned();
    (id, link)
}

async fn the_reset_page_asks_the_recovery_question_first(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let login = "asked@example.com";
    let (_, link) = with_question(&app, login).await;
    let client = super::reset_page::browser();
    let html = client
        .get(&link)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("<label for=\"answer\">Answer to your security question: First pet?</label>"),
        "{html}"
    );
    let fresh = ["Fresh-Pass-66"; 2];
    let mut page = html;
    for wrong in ["", "Hamster"] {
        let (status, next) = post_answered(&client, &link, &page, wrong, fresh).await;
        assert_eq!(status, 401, "{wrong:?}");
        assert!(next.contains("not right"), "{next}");
        assert!(next.contains("id=\"answer\" name=\"answer\" type=\"text\" autocomplete=\"off\" required autofocus aria-invalid=\"true\""), "{next}");
        page = next;
    }
    assert_eq!(sign_in(&app, login, "Fresh-Pass-66").await, "401");
    let (status, done) = post_answered(&client, &link, &page, "tortoise", fresh).await;
    assert_eq!(status, 200);
    assert!(done.contains("Your password has been reset"), "{done}");
    assert_eq!(sign_in(&app, login, "Fresh-Pass-66").await, "SUCCESS");
    app.finish().await;
}

async fn authn(app: &TestApp, path: &str, body: Value, status: u16) -> Value {
    json(app.anon(Method::POST, path).json(&body), status).await
}

async fn wrong_answers_are_throttled_in_the_authn_api(b: Backend) {
    let Some(app) = TestApp::start_with(b, |s| s.sign_in.failures_per_username = 3).await else {
        return;
    };
    let login = "guessed@example.com";
    let (_, link) = with_question(&app, login).await;
    let token = link.rsplit('/').next().unwrap();
    let step = authn(
        &app,
        "/api/v1/authn/recovery/token",
        json!({"recoveryToken": token}),
        200,
    )
    .await;
    let state_token = step["stateToken"].as_str().unwrap();
    let answer = |a: &str| json!({"stateToken": state_token, "answer": a});
    let path = "/api/v1/authn/recovery/answer";
    for guess in ["Cat", "Dog", "Fish"] {
        assert_okta_error(&authn(&app, path, answer(guess), 401).await, "E0000087");
    }
    // Past the limit even the right answer waits.
    assert_okta_error(
        &authn(&app, path, answer("Tortoise"), 429).await,
        "E0000047",
    );
    app.finish().await;
}
