//! The reset page behind the links of `reset_password` and `forgot_password`, and the same
//! page behind activation links.

use serde_json::json;

use super::{PASSWORD, create_user, sign_in, user_status};
use crate::authz::events_for;
use crate::backend_tests;
use crate::pages::csrf_of;
use crate::support::{Backend, TestApp, json};

backend_tests!(
    reset_page_sets_the_password_once,
    activation_links_let_a_provisioned_user_choose_a_password
);

pub(super) fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap()
}

/// `GET url`: the status and the page.
pub(super) async fn get(client: &reqwest::Client, url: &str) -> (u16, String) {
    let resp = client.get(url).send().await.unwrap();
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let html = resp.text().await.unwrap();
    assert_eq!(headers["referrer-policy"], "no-referrer", "{url}");
    assert_eq!(headers["cache-control"], "no-store", "{url}");
    (status, html)
}

/// Posts the form of `html` to `url` with `password` and `confirm`.
pub(super) async fn post(
    client: &reqwest::Client,
    url: &str,
    html: &str,
    password: &str,
    confirm: &str,
) -> (u16, String) {
    post_answered(client, url, html, "", [password, confirm]).await
}

/// Posts the form of `html` with the recovery question's `answer` and the two passwords.
pub(super) async fn post_answered(
    client: &reqwest::Client,
    url: &str,
    html: &str,
    answer: &str,
    [password, confirm]: [&str; 2],
) -> (u16, String) {
    let form = [
        ("csrf", csrf_of(html)),
        ("answer", answer.to_owned()),
        ("password", password.to_owned()),
        ("confirm", confirm.to_owned()),
    ];
    let resp = client.post(url).form(&form).send().await.unwrap();
    (resp.status().as_u16(), resp.text().await.unwrap())
}

async fn reset_page_sets_the_password_once(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let login = "reset.page@example.com";
    let id = create_user(&app, login, "").await;
    let reset = format!("/api/v1/users/{id}/lifecycle/reset_password?sendEmail=false");
    let answer = json(app.post(&reset, &json!({})), 200).await;
    let url = answer["resetPasswordUrl"].as_str().unwrap().to_owned();
    assert_eq!(user_status(&app, &id).await, "RECOVERY");

    let client = browser();
    let (status, html) = get(&client, &url).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains(login), "{html}");
    // Looking at the page does not use the link.
    let (status, html) = get(&client, &url).await;
    assert_eq!(status, 200);

    // A form without its cookie (another browser) is refused.
    let (status, _) = post(&browser(), &url, &html, "Fresh-Pass-77", "Fresh-Pass-77").await;
    assert_eq!(status, 403);
    let (status, html) = post(&client, &url, &html, "Fresh-Pass-77", "Fresh-Pass-78").await;
    assert_eq!(status, 400);
    assert!(html.contains("not the same"), "{html}");
    let (status, html) = post(&client, &url, &html, "weak", "weak").await;
    assert_eq!(status, 400);
    assert!(html.contains("does not meet"), "{html}");
    let (status, done) = post(&client, &url, &html, "Fresh-Pass-77", "Fresh-Pass-77").await;
    assert_eq!(status, 200, "{done}");
    assert!(done.contains("Your password has been reset"), "{done}");

    assert_eq!(user_status(&app, &id).await, "ACTIVE");
    assert_eq!(sign_in(&app, login, PASSWORD).await, "401");
    assert_eq!(sign_in(&app, login, "Fresh-Pass-77").await, "SUCCESS");
    let events = events_for(&app, &id).await;
    let resets = events
        .iter()
        .filter(|e| *e == "user.account.reset_password")
        .count();
    assert_eq!(
        resets, 2,
        "started by the admin, finished by the link: {events:?}"
    );

    // The link worked once.
    let (status, _) = get(&client, &url).await;
    assert_eq!(status, 404);
    let (status, _) = post(&client, &url, &html, "Other-Pass-88", "Other-Pass-88").await;
    assert_eq!(status, 404);
    assert_eq!(sign_in(&app, login, "Fresh-Pass-77").await, "SUCCESS");

    // A forgot-password link works the same for an active user, at Okta's other path.
    let forgot = format!("/api/v1/users/{id}/credentials/forgot_password?sendEmail=false");
    let answer = json(app.post(&forgot, &json!({})), 200).await;
    let url = answer["resetPasswordUrl"].as_str().unwrap().to_owned();
    let (status, html) = get(&client, &url).await;
    assert_eq!(status, 200);
    let (status, _) = post(&client, &url, &html, "Third-Pass-99", "Third-Pass-99").await;
    assert_eq!(status, 200);
    assert_eq!(sign_in(&app, login, "Third-Pass-99").await, "SUCCESS");
    let (status, _) = get(&client, &format!("{}/signin/reset-password/nope", app.base)).await;
    assert_eq!(status, 404);
    app.finish().await;
}

async fn activation_links_let_a_provisioned_user_choose_a_password(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let login = "new.hire@example.com";
    let body = json!({"profile": {"firstName": "New", "lastName": "Hire", "email": login, "login": login}});
    let staged = json(app.post("/api/v1/users?activate=false", &body), 200).await;
    let id = staged["id"].as_str().unwrap().to_owned();
    let life = |op: &str| format!("/api/v1/users/{id}/lifecycle/{op}");
    // Only a user activated without a password can be reactivated.
    assert_eq!(
        json(
            app.post(&life("reactivate?sendEmail=false"), &json!({})),
            403
        )
        .await["errorCode"],
        "E0000038"
    );
    let answer = json(app.post(&life("activate?sendEmail=false"), &json!({})), 200).await;
    assert_eq!(user_status(&app, &id).await, "PROVISIONED");
    let token = answer["activationToken"].as_str().unwrap().to_owned();
    let first = answer["activationUrl"].as_str().unwrap().to_owned();
    assert!(
        first.ends_with(&format!("/tokens/{token}/verify")),
        "{first}"
    );
    assert_eq!(token.len(), 20);

    // Reactivation makes a new link; the earlier one stops working.
    let again = json(
        app.post(&life("reactivate?sendEmail=false"), &json!({})),
        200,
    )
    .await;
    let client = browser();
    assert_eq!(get(&client, &first).await.0, 404);
    let welcome = format!(
        "{}/welcome/{}",
        app.base,
        again["activationToken"].as_str().unwrap()
    );
    let (status, html) = get(&client, &welcome).await;
    assert_eq!(status, 200, "{html}");
    assert!(
        html.contains("Activate your account") && html.contains(login),
        "{html}"
    );
    let (status, done) = post(&client, &welcome, &html, "First-Pass-55", "First-Pass-55").await;
    assert_eq!(status, 200, "{done}");
    assert!(done.contains("Your account is active"), "{done}");
    assert_eq!(user_status(&app, &id).await, "ACTIVE");
    assert_eq!(sign_in(&app, login, "First-Pass-55").await, "SUCCESS");
    assert_eq!(get(&client, &welcome).await.0, 404, "the link worked once");

    // A user with a password is active at once; the link is still given, as Okta gives it.
    let with_password = create_user(&app, "second.hire@example.com", "?activate=false").await;
    let answer = json(
        app.post(
            &format!("/api/v1/users/{with_password}/lifecycle/activate?sendEmail=false"),
            &json!({}),
        ),
        200,
    )
    .await;
    assert!(answer["activationUrl"].is_string());
    assert_eq!(user_status(&app, &with_password).await, "ACTIVE");
    app.finish().await;
}
