//! An app's General Settings edited from its General tab: name, grant types and redirect
//! URIs saved as `PUT /api/v1/apps/{id}` saves them (its rules, its event); a read-only admin
//! gets no Edit and cannot post.

use serde_json::{Value, json};

use super::access::with_admin;
use super::{Browser, assert_all_events_by, location, log_mark};
use crate::backend_tests;
use crate::oauth::last_event;
use crate::roles::{assign, user};
use crate::support::{Backend, TestApp, json};

backend_tests!(
    general_settings_turn_on_implicit_and_change_the_redirect_uris,
    general_settings_refused_by_the_api_come_back_and_read_only_admins_cannot_save,
);

async fn client_settings(app: &TestApp, id: &str) -> (Value, Value) {
    let got = json(app.get(&format!("/api/v1/apps/{id}")), 200).await;
    (got["label"].clone(), got["settings"]["oauthClient"].clone())
}

/// What the form does not show is as it was: the other client settings and the credentials.
async fn assert_kept(app: &TestApp, id: &str, before: &Value) {
    let now = json(app.get(&format!("/api/v1/apps/{id}")), 200).await;
    assert_eq!(now["credentials"], before["credentials"]);
    let edited = [
        "grant_types",
        "response_types",
        "redirect_uris",
        "post_logout_redirect_uris",
    ];
    let rest = |v: &Value| {
        let mut m = v["settings"]["oauthClient"].as_object().unwrap().clone();
        m.retain(|k, _| !edited.contains(&k.as_str()));
        m
    };
    assert_eq!(rest(&now), rest(before));
    assert!(rest(before).len() >= 4, "{before}");
}

/// Saves the General Settings form with `grants` and the portal's redirect URIs.
async fn save_general(browser: &Browser, edit: &str, grants: &[&str]) -> reqwest::Response {
    let mut fields = vec![
        ("label", "Sample Portal"),
        (
            "redirect_uris",
            "https://portal.example/cb\r\n\r\nhttps://portal.example/cb2",
        ),
        ("post_logout_redirect_uris", "https://portal.example/bye"),
    ];
    fields.extend(grants.iter().map(|g| ("grant_types", *g)));
    browser.submit(edit, edit, &fields).await
}

/// Where an implicit authorize at the org server sends the signed-in browser (to `cb2`).
async fn implicit_answer(browser: &Browser, client_id: &str) -> String {
    let authorize = format!(
        "/oauth2/v1/authorize?client_id={client_id}&response_type=id_token&scope=openid\
         &redirect_uri=https%3A%2F%2Fportal.example%2Fcb2&state=s&nonce=n"
    );
    let sent_to = location(&browser.get(&authorize).await);
    assert!(
        sent_to.starts_with("https://portal.example/cb2#"),
        "{sent_to}"
    );
    sent_to
}

async fn general_settings_turn_on_implicit_and_change_the_redirect_uris(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = with_admin(&app).await;
    let mark = log_mark(&app).await;
    let browser = Browser::signed_in(&app, "ada@acme.com").await;
    let general = format!("/admin/apps/{}", s.app_id);
    let tab = browser.get(&general).await.text().await.unwrap();
    let edit = format!("{general}/general");
    assert!(
        tab.contains(&format!("href=\"{edit}\">Edit General Settings</a>")),
        "{tab}"
    );
    let form = browser.get(&edit).await.text().await.unwrap();
    for label in [
        "<label for=\"f-label\">App integration name</label>",
        "<legend>Grant type</legend>",
        "<label for=\"grant-implicit\">Implicit (hybrid)</label>",
        "<label for=\"f-redirect_uris\">Sign-in redirect URIs</label>",
        "<label for=\"f-post_logout_redirect_uris\">Sign-out redirect URIs</label>",
    ] {
        assert!(form.contains(label), "{label} in {form}");
    }
    assert!(form.contains("id=\"grant-implicit\" name=\"grant_types\" value=\"implicit\" checked"));

    let stored = json(app.get(&format!("/api/v1/apps/{}", s.app_id)), 200).await;
    // Implicit off: the new redirect URI works, the implicit flow is refused.
    let resp = save_general(&browser, &edit, &["authorization_code"]).await;
    assert_eq!(location(&resp), format!("{general}?saved=general"));
    let shown = browser.get(&location(&resp)).await.text().await.unwrap();
    assert!(shown.contains("<p role=\"status\" class=\"notice\">General Settings saved.</p>"));
    assert!(!shown.contains("<li>Implicit (hybrid)</li>"));
    let (label, settings) = client_settings(&app, &s.app_id).await;
    assert_eq!(label, json!("Sample Portal"));
    assert_eq!(settings["grant_types"], json!(["authorization_code"]));
    assert_eq!(settings["response_types"], json!(["code"]));
    assert_eq!(
        settings["redirect_uris"],
        json!(["https://portal.example/cb", "https://portal.example/cb2"])
    );
    assert_eq!(
        settings["post_logout_redirect_uris"],
        json!(["https://portal.example/bye"])
    );
    assert_kept(&app, &s.app_id, &stored).await;
    let event = last_event(&app, "application.lifecycle.update").await;
    assert_eq!(event["actor"]["alternateId"], "ada@acme.com");
    assert_eq!(event["target"][0]["id"], s.app_id.as_str());
    let refused = implicit_answer(&browser, &s.client_id).await;
    assert!(
        refused.contains("error=unsupported_response_type"),
        "{refused}"
    );

    // Implicit on again: its response types come back and the flow is served.
    let resp = save_general(&browser, &edit, &["authorization_code", "implicit"]).await;
    assert_eq!(location(&resp), format!("{general}?saved=general"));
    let settings = client_settings(&app, &s.app_id).await.1;
    assert_eq!(
        settings["grant_types"],
        json!(["authorization_code", "implicit"])
    );
    assert_eq!(
        settings["response_types"],
        json!(["code", "token", "id_token"])
    );
    let types = assert_all_events_by(&app, &mark, "ada@acme.com").await;
    let updates = types
        .iter()
        .filter(|t| *t == "application.lifecycle.update");
    assert_eq!(updates.count(), 2, "{types:?}");
    let ada = json(app.get("/api/v1/users/ada@acme.com"), 200).await;
    let assignment = json!({"id": ada["id"]});
    let path = format!("/api/v1/apps/{}/users", s.app_id);
    json(app.post(&path, &assignment), 200).await;
    let served = implicit_answer(&browser, &s.client_id).await;
    assert!(
        served.contains("id_token=") && !served.contains("error="),
        "{served}"
    );
    app.finish().await;
}

async fn general_settings_refused_by_the_api_come_back_and_read_only_admins_cannot_save(
    b: Backend,
) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = with_admin(&app).await;
    let before = client_settings(&app, &s.app_id).await;
    let browser = Browser::signed_in(&app, "ada@acme.com").await;
    let edit = format!("/admin/apps/{}/general", s.app_id);
    // A web app needs Authorization Code; a blank name is refused too.
    let resp = browser
        .submit(
            &edit,
            &edit,
            &[
                ("label", " "),
                ("grant_types", "implicit"),
                ("redirect_uris", "https://portal.example/cb"),
                ("post_logout_redirect_uris", ""),
            ],
        )
        .await;
    assert_eq!(resp.status(), 422);
    let html = resp.text().await.unwrap();
    assert!(
        html.contains("id=\"f-label-error\">The field cannot be left blank</p>"),
        "{html}"
    );
    assert!(html.contains("<fieldset aria-describedby=\"grant-types-error\"><legend>Grant type"));
    assert!(html.contains("id=\"grant-types-error\">"), "{html}");
    assert!(html.contains("id=\"grant-implicit\" name=\"grant_types\" value=\"implicit\" checked"));
    assert!(html.contains(">https://portal.example/cb</textarea>"));
    assert_eq!(client_settings(&app, &s.app_id).await, before);

    let ro = user(&app, "ro@acme.com").await;
    assign(&app, "users", &ro, "READ_ONLY_ADMIN").await;
    let reader = Browser::signed_in(&app, "ro@acme.com").await;
    let tab = reader.get(&format!("/admin/apps/{}", s.app_id)).await;
    assert!(!tab.text().await.unwrap().contains("Edit General Settings"));
    assert_eq!(reader.get(&edit).await.status(), 403);
    let general = format!("/admin/apps/{}", s.app_id);
    let denied = reader
        .submit(
            &general,
            &edit,
            &[("label", "Taken"), ("grant_types", "authorization_code")],
        )
        .await;
    assert_eq!(denied.status(), 403);
    assert_eq!(client_settings(&app, &s.app_id).await, before);
    app.finish().await;
}
