//! E-mail without an SMTP server: activation, reset and recovery messages land in the local
//! outbox (read here from the server's database and with `tollgate outbox`), and their links
//! work. The self-service recovery API and the hosted "Forgot password?" page.

use reqwest::Method;
use serde_json::{Value, json};

use super::{PASSWORD, create_user, sign_in, user_status};
use crate::authz::events_for;
use crate::backend_tests;
use crate::pages::csrf_of;
use crate::support::{Backend, TestApp, assert_okta_error, json};

backend_tests!(
    emailed_links_land_in_the_outbox_and_work,
    authn_recovery_resets_a_password_with_the_emailed_token_and_the_answer,
    the_forgot_password_page_emails_a_link_and_reveals_no_accounts
);

/// The outbox, newest first: (kind, recipient, the one link).
async fn outbox(app: &TestApp) -> Vec<(String, String, String)> {
    let kept = app.server_store().outbox(100).await.unwrap();
    kept.into_iter()
        .map(|m| {
            let links = tollgate_core::mail::links(&m.body);
            assert_eq!(links.len(), 1, "{}", m.body);
            (m.kind, m.recipient, links[0].to_owned())
        })
        .collect()
}

async fn page_status(url: &str) -> u16 {
    reqwest::get(url).await.unwrap().status().as_u16()
}

async fn emailed_links_land_in_the_outbox_and_work(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let login = "mail.me@example.com";
    let id = create_user(&app, login, "").await;
    let life = |op: &str| format!("/api/v1/users/{id}/lifecycle/{op}");
    // Okta's default for reset_password is to send the e-mail; the answer is then empty.
    let answer = json(app.post(&life("reset_password"), &json!({})), 200).await;
    assert_eq!(answer, json!({}));
    assert_eq!(user_status(&app, &id).await, "RECOVERY");
    let forgot = format!("/api/v1/users/{id}/credentials/forgot_password");
    let staged = json!({"profile": {"firstName": "N", "lastName": "H", "email": "new.hire@example.com", "login": "new.hire@example.com"}});
    let staged = json(app.post("/api/v1/users?activate=false", &staged), 200).await;
    let staged_id = staged["id"].as_str().unwrap();
    let activate = format!("/api/v1/users/{staged_id}/lifecycle/activate");
    assert_eq!(json(app.post(&activate, &json!({})), 200).await, json!({}));
    assert_eq!(user_status(&app, staged_id).await, "PROVISIONED");

    // Created active without a password: the activation link is e-mailed at once.
    let provisioned = json!({"profile": {"firstName": "P", "lastName": "V", "email": "prov@example.com", "login": "prov@example.com"}});
    let provisioned = json(app.post("/api/v1/users", &provisioned), 200).await;
    assert_eq!(provisioned["status"], "PROVISIONED");
    let (kind, to, link) = outbox(&app).await.remove(0);
    assert_eq!(
        (kind.as_str(), to.as_str()),
        ("activation", "prov@example.com")
    );
    assert_eq!(page_status(&link).await, 200);

    let mail: Vec<_> = outbox(&app).await.into_iter().skip(1).collect();
    assert_eq!(mail.len(), 2, "{mail:?}");
    let (kind, to, link) = &mail[0];
    assert_eq!(
        (kind.as_str(), to.as_str()),
        ("activation", "new.hire@example.com")
    );
    assert!(link.starts_with(&format!("{}/tokens/", app.base)), "{link}");
    assert_eq!(page_status(link).await, 200);
    let (kind, to, link) = &mail[1];
    assert_eq!((kind.as_str(), to.as_str()), ("password_reset", login));
    assert!(
        link.starts_with(&format!("{}/reset_password/", app.base)),
        "{link}"
    );
    assert_eq!(page_status(link).await, 200);

    // A forgot-password link for an active user, by e-mail.
    let other = create_user(&app, "forgetful@example.com", "").await;
    let forgot_other = forgot.replace(&id, &other);
    assert_eq!(
        json(app.post(&forgot_other, &json!({})), 200).await,
        json!({})
    );
    let (kind, to, link) = outbox(&app).await.remove(0);
    assert_eq!(
        (kind.as_str(), to.as_str()),
        ("recovery", "forgetful@example.com")
    );
    assert!(link.contains("/signin/reset-password/"), "{link}");
    assert_eq!(page_status(&link).await, 200);

    // `tollgate outbox` shows the same messages with their links.
    let out = crate::process::binary()
        .args([
            "outbox",
            "--json",
            "--limit",
            "2",
            "--database-url",
            &app.database_url(),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["to"], "forgetful@example.com");
    assert_eq!(lines[0]["links"], json!([link]));
    assert_eq!(lines[1]["to"], "prov@example.com");
    app.finish().await;
}

async fn authn(app: &TestApp, path: &str, body: Value, status: u16) -> Value {
    json(app.anon(Method::POST, path).json(&body), status).await
}

async fn authn_recovery_resets_a_password_with_the_emailed_token_and_the_answer(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let login = "recover.me@example.com";
    // Created with a recovery question, as Okta's create-user call allows.
    let body = json!({
        "profile": {"firstName": "Rae", "lastName": "Cover", "email": login, "login": login},
        "credentials": {"password": {"value": PASSWORD},
            "recovery_question": {"question": "First pet?", "answer": "Tortoise"}}
    });
    let created = json(app.post("/api/v1/users", &body), 200).await;
    assert_eq!(
        created["credentials"]["recovery_question"],
        json!({"question": "First pet?"})
    );
    let id = created["id"].as_str().unwrap().to_owned();
    let bad = json!({"profile": {"firstName": "B", "lastName": "Q", "email": "bq@example.com", "login": "bq@example.com"},
        "credentials": {"recovery_question": {"question": "Pet?", "answer": "no"}}});
    assert_okta_error(
        &json(app.post("/api/v1/users", &bad), 400).await,
        "E0000001",
    );
    let start = "/api/v1/authn/recovery/password";
    let challenge = json!({"status": "RECOVERY_CHALLENGE", "factorResult": "WAITING",
        "factorType": "EMAIL", "recoveryType": "PASSWORD"});
    let answer = authn(
        &app,
        start,
        json!({"username": login, "factorType": "EMAIL"}),
        200,
    )
    .await;
    assert_eq!(answer, challenge);
    // Nobody learns which usernames exist: the same answer, and no message.
    let unknown = json!({"username": "nobody@example.com", "factorType": "EMAIL"});
    assert_eq!(authn(&app, start, unknown, 200).await, challenge);
    let sms = authn(
        &app,
        start,
        json!({"username": login, "factorType": "SMS"}),
        400,
    )
    .await;
    assert_okta_error(&sms, "E0000001");
    let mail = outbox(&app).await;
    assert_eq!(mail.len(), 1, "{mail:?}");
    let recovery_token = mail[0].2.rsplit('/').next().unwrap().to_owned();

    let verify = "/api/v1/authn/recovery/token";
    let recovery = authn(&app, verify, json!({"recoveryToken": recovery_token}), 200).await;
    assert_eq!(recovery["status"], "RECOVERY");
    assert_eq!(
        recovery["_embedded"]["user"]["recovery_question"]["question"],
        "First pet?"
    );
    assert_eq!(recovery["_links"]["next"]["name"], "answer");
    let again = authn(&app, verify, json!({"recoveryToken": recovery_token}), 401).await;
    assert_okta_error(&again, "E0000011");
    let state_token = recovery["stateToken"].as_str().unwrap();

    // The question's stateToken cannot skip the answer.
    let reset = "/api/v1/authn/credentials/reset_password";
    let skip = json!({"stateToken": state_token, "newPassword": "Fresh-Pass-55"});
    assert_okta_error(&authn(&app, reset, skip, 401).await, "E0000011");
    let answer_path = "/api/v1/authn/recovery/answer";
    let wrong = json!({"stateToken": state_token, "answer": "Hamster"});
    assert_okta_error(&authn(&app, answer_path, wrong, 401).await, "E0000087");
    let right = json!({"stateToken": state_token, "answer": " tortoise "});
    let reset_step = authn(&app, answer_path, right.clone(), 200).await;
    assert_eq!(reset_step["status"], "PASSWORD_RESET");
    assert_eq!(reset_step["_links"]["next"]["name"], "resetPassword");
    assert_eq!(
        reset_step["_embedded"]["policy"]["complexity"]["minLength"],
        8
    );
    assert_okta_error(&authn(&app, answer_path, right, 401).await, "E0000011");

    let reset_token = reset_step["stateToken"].as_str().unwrap();
    let weak = json!({"stateToken": reset_token, "newPassword": "weak"});
    assert_okta_error(&authn(&app, reset, weak, 403).await, "E0000080");
    // The password in use is remembered: reusing it is refused, and the token still works.
    let reuse = json!({"stateToken": reset_token, "newPassword": PASSWORD});
    let reused = authn(&app, reset, reuse, 403).await;
    assert_okta_error(&reused, "E0000080");
    let cause = reused["errorCauses"][0]["errorSummary"].as_str().unwrap();
    assert!(cause.contains("used too recently"), "{reused}");
    let strong = json!({"stateToken": reset_token, "newPassword": "Fresh-Pass-55"});
    let done = authn(&app, reset, strong.clone(), 200).await;
    assert_eq!(done["status"], "SUCCESS");
    assert!(done["sessionToken"].as_str().is_some_and(|t| !t.is_empty()));
    assert_okta_error(&authn(&app, reset, strong, 401).await, "E0000011");
    assert_eq!(sign_in(&app, login, PASSWORD).await, "401");
    assert_eq!(sign_in(&app, login, "Fresh-Pass-55").await, "SUCCESS");
    let events = events_for(&app, &id).await;
    for event in [
        "user.credential.forgot_password",
        "user.account.reset_password",
    ] {
        assert!(events.iter().any(|e| e == event), "{event}: {events:?}");
    }

    // Without a recovery question the e-mailed token leads straight to the new password.
    let plain = create_user(&app, "plain@example.com", "").await;
    authn(
        &app,
        start,
        json!({"username": "plain@example.com", "factorType": "email"}),
        200,
    )
    .await;
    let token = outbox(&app).await[0]
        .2
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned();
    let step = authn(&app, verify, json!({"recoveryToken": token}), 200).await;
    assert_eq!(step["status"], "PASSWORD_RESET");
    let cancel = json!({"stateToken": step["stateToken"]});
    assert_eq!(
        authn(&app, "/api/v1/authn/cancel", cancel.clone(), 200).await,
        json!({})
    );
    assert_okta_error(
        &authn(&app, "/api/v1/authn/cancel", cancel, 401).await,
        "E0000011",
    );
    assert_eq!(user_status(&app, &plain).await, "ACTIVE");
    app.finish().await;
}

async fn the_forgot_password_page_emails_a_link_and_reveals_no_accounts(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    create_user(&app, "page.forgot@example.com", "").await;
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let from = "/oauth2/default/v1/authorize?client_id=x";
    let login_page = format!(
        "{}/login?fromURI={}",
        app.base, "%2Foauth2%2Fdefault%2Fv1%2Fauthorize%3Fclient_id%3Dx"
    );
    let html = client
        .get(&login_page)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let link =
        "/signin/forgot-password?fromURI=%2Foauth2%2Fdefault%2Fv1%2Fauthorize%3Fclient_id%3Dx";
    assert!(
        html.contains(&format!("<a href=\"{link}\">Forgot password?</a>")),
        "{html}"
    );
    let page = client
        .get(format!("{}{link}", app.base))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("<label for=\"username\">Username</label>"),
        "{html}"
    );
    let url = format!("{}/signin/forgot-password", app.base);
    let form = |user: &str| {
        [
            ("csrf", csrf_of(&html)),
            ("username", user.to_owned()),
            ("fromURI", from.to_owned()),
        ]
    };
    // Another browser (no cookie) is refused.
    let refused = reqwest::Client::new()
        .post(&url)
        .form(&form("page.forgot@example.com"));
    assert_eq!(refused.send().await.unwrap().status(), 403);
    let mut pages = Vec::new();
    for user in ["page.forgot@example.com", "nobody@example.com"] {
        let resp = client.post(&url).form(&form(user)).send().await.unwrap();
        assert_eq!(resp.status(), 200);
        pages.push(resp.text().await.unwrap().replace(user, "USER"));
    }
    assert_eq!(
        pages[0], pages[1],
        "the page is the same whether the account exists"
    );
    assert!(pages[0].contains("Email sent!"), "{}", pages[0]);
    let mail = outbox(&app).await;
    assert_eq!(mail.len(), 1, "{mail:?}");
    assert_eq!(mail[0].0, "recovery");
    assert_eq!(page_status(&mail[0].2).await, 200);
    app.finish().await;
}
