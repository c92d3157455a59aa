//! The password policy's history (Okta's default: the last four passwords, the current one
//! included) on every way a new password is set, and wrong old passwords on
//! `credentials/change_password` counting toward the lockout like wrong sign-ins.

use reqwest::Method;
use serde_json::{Value, json};
use tollgate_core::{Clock, Timestamp};

use super::reset_page::{browser, get, post_answered};
use super::{PASSWORD, change, create_user, sign_in, user_status};
use crate::backend_tests;
use crate::support::{Backend, TestApp, assert_okta_error, json, send};

backend_tests!(
    change_password_remembers_the_last_four,
    every_way_of_setting_a_password_checks_the_history,
    wrong_old_passwords_lock_the_user,
    a_lock_that_ran_out_lets_the_change_through,
);

const REUSED: &str = "password: Password has been used too recently";

fn cause(body: &Value) -> &str {
    body["errorCauses"][0]["errorSummary"]
        .as_str()
        .unwrap_or_default()
}

async fn change_password_remembers_the_last_four(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let login = "history@example.com";
    let id = create_user(&app, login, "").await;
    let path = format!("/api/v1/users/{id}/credentials/change_password");
    let same = json(app.post(&path, &change(PASSWORD, PASSWORD)), 403).await;
    assert_eq!(
        assert_okta_error(&same, "E0000014"),
        "Update of credentials failed"
    );
    assert_eq!(cause(&same), REUSED);

    let passwords = [PASSWORD, "Second-Pass-1", "Third-Pass-2", "Fourth-Pass-3"];
    for pair in passwords.windows(2) {
        json(app.post(&path, &change(pair[0], pair[1])), 200).await;
    }
    // The first password is still one of the last four.
    let old = json(app.post(&path, &change("Fourth-Pass-3", PASSWORD)), 403).await;
    assert_eq!(cause(&old), REUSED);
    // `strict=true` adds the minimum age, which the default policy does not set.
    let strict = format!("{path}?strict=true");
    json(
        app.post(&strict, &change("Fourth-Pass-3", "Fifth-Pass-4")),
        200,
    )
    .await;
    // Now it is the fifth one back: allowed again.
    json(app.post(&path, &change("Fifth-Pass-4", PASSWORD)), 200).await;
    assert_eq!(sign_in(&app, login, PASSWORD).await, "SUCCESS");
    app.finish().await;
}

async fn every_way_of_setting_a_password_checks_the_history(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let login = "history.ways@example.com";
    let id = create_user(&app, login, "").await;
    let user = format!("/api/v1/users/{id}");
    let set = json!({"credentials": {"password": {"value": PASSWORD}}});
    // An admin's set is checked only with `strict=true`, as Okta's Users API documents.
    let strict = json(app.post(&format!("{user}?strict=true"), &set), 400).await;
    assert_okta_error(&strict, "E0000001");
    assert_eq!(cause(&strict), REUSED);
    let put = json!({"profile": {"firstName": "Annie", "lastName": "Jackson", "email": login,
        "login": login}, "credentials": {"password": {"value": PASSWORD}}});
    let strict = json(app.put(&format!("{user}?strict=true"), &put), 400).await;
    assert_eq!(cause(&strict), REUSED);
    json(app.post(&user, &set), 200).await;

    // The recovery question.
    let question = json!({"password": {"value": PASSWORD},
        "recovery_question": {"question": "Favourite colour?", "answer": "teal blue"}});
    let creds = format!("{user}/credentials");
    json(
        app.post(&format!("{creds}/change_recovery_question"), &question),
        200,
    )
    .await;
    let forgot = json!({"password": {"value": PASSWORD},
        "recovery_question": {"answer": "teal blue"}});
    let path = format!("{creds}/forgot_password_recovery_question");
    let reused = json(app.post(&path, &forgot), 403).await;
    assert_okta_error(&reused, "E0000014");
    assert_eq!(cause(&reused), REUSED);

    // The hosted reset page: the password the reset took away is still remembered.
    let reset = format!("{user}/lifecycle/reset_password?sendEmail=false");
    let url = json(app.post(&reset, &json!({})), 200).await["resetPasswordUrl"]
        .as_str()
        .unwrap()
        .to_owned();
    let client = browser();
    let (_, html) = get(&client, &url).await;
    let answer = "teal blue";
    let (status, page) = post_answered(&client, &url, &html, answer, [PASSWORD; 2]).await;
    assert_eq!(status, 400, "{page}");
    assert!(page.contains("used too recently"), "{page}");
    let fresh = ["Fresh-Pass-77"; 2];
    let (status, _) = post_answered(&client, &url, &page, answer, fresh).await;
    assert_eq!(status, 200);

    // An expired password changed at sign-in (`/api/v1/authn`).
    let expire = format!("{user}/lifecycle/expire_password");
    json(app.post(&expire, &json!({})), 200).await;
    let authn = app
        .anon(Method::POST, "/api/v1/authn")
        .json(&json!({"username": login, "password": "Fresh-Pass-77"}));
    let expired = json(authn, 200).await;
    let body = json!({"stateToken": expired["stateToken"], "oldPassword": "Fresh-Pass-77",
        "newPassword": PASSWORD});
    let change = app
        .anon(Method::POST, "/api/v1/authn/credentials/change_password")
        .json(&body);
    let reused = json(change, 403).await;
    assert_eq!(
        assert_okta_error(&reused, "E0000080"),
        "The password does not meet the complexity requirements of the current password policy."
    );
    assert_eq!(cause(&reused), REUSED);
    app.finish().await;
}

/// Wrong old passwords sent at once against a policy of 5: the user ends `LOCKED_OUT` with
/// one lock, and a locked user's change is refused even with the right old password.
async fn wrong_old_passwords_lock_the_user(b: Backend) {
    const POLICY: u32 = 5;
    let Some(app) = TestApp::start_with(b, |s| s.lockout_attempts = POLICY).await else {
        return;
    };
    for trial in 0..3 {
        let login = format!("change.lock{trial}@example.com");
        let id = create_user(&app, &login, "").await;
        let path = format!("/api/v1/users/{id}/credentials/change_password");
        // A right old password clears earlier failures, as a sign-in does.
        for _ in 0..POLICY - 1 {
            json(
                app.post(&path, &change("Wrong-Pass-1", "Fresh-Pass-77")),
                403,
            )
            .await;
        }
        json(app.post(&path, &change(PASSWORD, "Fresh-Pass-77")), 200).await;
        assert_eq!(user_status(&app, &id).await, "ACTIVE");

        let tasks: Vec<_> = (0..20)
            .map(|_| {
                let req = app.post(&path, &change("Wrong-Pass-1", "Other-Pass-88"));
                tokio::spawn(async move { send(req).await.json::<Value>().await.unwrap() })
            })
            .collect();
        for t in tasks {
            let body = t.await.unwrap();
            let code = body["errorCode"].as_str().unwrap_or_default().to_owned();
            assert!(code == "E0000014" || code == "E0000038", "{body}");
        }
        assert_eq!(user_status(&app, &id).await, "LOCKED_OUT", "trial {trial}");
        let locks = lock_events(&app, &id).await;
        assert_eq!(locks, 1, "trial {trial}");
        let refused = json(
            app.post(&path, &change("Fresh-Pass-77", "Other-Pass-88")),
            403,
        )
        .await;
        assert_okta_error(&refused, "E0000038");
        assert_eq!(sign_in(&app, &login, "Fresh-Pass-77").await, "401");
    }
    app.finish().await;
}

async fn lock_events(app: &TestApp, id: &str) -> usize {
    let filter = format!("eventType eq \"user.account.lock\" and target.id eq \"{id}\"");
    let path = format!(
        "/api/v1/logs?limit=1000&filter={}",
        filter.replace(' ', "%20").replace('"', "%22")
    );
    json(app.get(&path), 200).await.as_array().unwrap().len()
}

/// With `autoUnlockMinutes`, a locked user's change is refused until the lock runs out, then
/// the right old password ends the lock and changes the password.
async fn a_lock_that_ran_out_lets_the_change_through(b: Backend) {
    let start = Timestamp::from_millis(1_800_000_000_000);
    let Some(app) = TestApp::start_at(b, Clock::fixed(start), |s| {
        s.lockout_attempts = 2;
        s.lockout_unlock_minutes = 5;
    })
    .await
    else {
        return;
    };
    let login = "change.unlock@example.com";
    let id = create_user(&app, login, "").await;
    let path = format!("/api/v1/users/{id}/credentials/change_password");
    for _ in 0..2 {
        json(
            app.post(&path, &change("Wrong-Pass-1", "Fresh-Pass-77")),
            403,
        )
        .await;
    }
    assert_eq!(user_status(&app, &id).await, "LOCKED_OUT");
    let early = json(app.post(&path, &change(PASSWORD, "Fresh-Pass-77")), 403).await;
    assert_okta_error(&early, "E0000038");
    app.clock.advance(6 * 60);
    json(app.post(&path, &change(PASSWORD, "Fresh-Pass-77")), 200).await;
    assert_eq!(user_status(&app, &id).await, "ACTIVE");
    assert_eq!(sign_in(&app, login, "Fresh-Pass-77").await, "SUCCESS");
    app.finish().await;
}
