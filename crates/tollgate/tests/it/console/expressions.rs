//! The expression editor: the live check and the evaluation against a user, and the script
//! that calls them.

use serde_json::{Value, json};

use super::access::with_admin;
use super::{Browser, assert_console_headers};
use crate::backend_tests;
use crate::roles::{assign, user};
use crate::support::{Backend, TestApp, assert_okta_error};

backend_tests!(
    the_check_answers_with_the_save_s_checker_and_the_position,
    evaluation_gives_the_value_for_a_user_and_changes_nothing,
    the_endpoints_refuse_a_missing_token_and_what_the_admin_may_not_read,
);

const SEED: &str = r#"getFilteredGroups(app.profile.groupwhitelist, "group.name", 40)"#;

async fn ask(b: &Browser, token: &str, path: &str, body: Value) -> Value {
    let resp = b.post_json(path, Some(token), &body).await;
    assert_eq!(resp.status(), 200, "{body}");
    assert_console_headers(&resp);
    resp.json().await.unwrap()
}

async fn the_check_answers_with_the_save_s_checker_and_the_position(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    with_admin(&app).await;
    let browser = Browser::signed_in(&app, "ada@acme.com").await;
    let token = browser.token_of("/admin/apps").await;
    let check =
        |context: &str, expression: &str| json!({"context": context, "expression": expression});
    let path = "/admin/expressions/check";
    let good = ask(&browser, &token, path, check("groups-claim", SEED)).await;
    assert_eq!(good["ok"], json!(true), "{good}");
    assert_eq!(good["position"], Value::Null);
    let bad = ask(&browser, &token, path, check("claim", "user.login +")).await;
    assert_eq!(bad["ok"], json!(false));
    assert_eq!(
        bad["position"],
        json!({"start": 12, "end": 12, "line": 1, "column": 13})
    );
    assert!(
        bad["message"]
            .as_str()
            .unwrap()
            .contains("expected an expression")
    );
    // The claim save's limit of 40 groups below 100 and a rule's blank condition.
    let limit = check("groups-claim", r#"getFilteredGroups(x, "group.name", 400)"#);
    let limit = ask(&browser, &token, path, limit).await;
    assert_eq!(limit["position"]["column"], json!(36), "{limit}");
    let blank = ask(&browser, &token, path, check("group-rule", "  ")).await;
    assert_eq!(
        (blank["ok"].clone(), blank["message"].clone()),
        (json!(false), json!("The field cannot be left blank"))
    );
    let rule = ask(&browser, &token, path, check("group-rule", "user.x ==")).await;
    assert_eq!(rule["position"]["column"], json!(10), "{rule}");
    // An unknown place is the API's validation error; a form body is refused.
    let resp = browser
        .post_json(path, Some(&token), &check("nowhere", "1"))
        .await;
    assert_eq!(resp.status(), 400);
    assert_okta_error(&resp.json().await.unwrap(), "E0000001");
    app.finish().await;
}

async fn evaluation_gives_the_value_for_a_user_and_changes_nothing(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = with_admin(&app).await;
    let browser = Browser::signed_in(&app, "ada@acme.com").await;
    let token = browser.token_of("/admin/apps").await;
    let path = "/admin/expressions/evaluate";
    let annie = "annie.jackson@acme.com";
    let claim = |app_key: &str| json!({"context": "groups-claim", "expression": SEED, "login": annie, "app": app_key});
    for key in [s.app_id.as_str(), s.client_id.as_str()] {
        let v = ask(&browser, &token, path, claim(key)).await;
        assert_eq!(v, json!({"ok": true, "value": ["WestCoastDivision"]}));
    }
    let no_app = ask(&browser, &token, path, claim("")).await;
    assert_eq!(no_app["ok"], json!(false), "{no_app}");
    let rule = |expression: &str, login: &str| json!({"context": "group-rule", "expression": expression, "login": login});
    let yes = ask(
        &browser,
        &token,
        path,
        rule("user.lastName == \"Jackson\"", annie),
    )
    .await;
    assert_eq!(yes, json!({"ok": true, "value": true}));
    let no = ask(
        &browser,
        &token,
        path,
        rule("user.lastName == \"X\"", annie),
    )
    .await;
    assert_eq!(no["value"], json!(false));
    let nobody = ask(&browser, &token, path, rule("true", "nobody@acme.com")).await;
    assert_eq!(nobody["message"], json!("No person has this username."));
    let bad = ask(&browser, &token, path, rule("user.lastName ==", annie)).await;
    assert_eq!(bad["position"]["column"], json!(17), "{bad}");
    // Nothing was saved: no System Log event from the evaluation.
    let logs = crate::support::json(app.get("/api/v1/logs?limit=200"), 200).await;
    let by_ada = logs
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["actor"]["alternateId"] == json!("ada@acme.com"))
        .filter(|e| e["eventType"] != json!("user.session.start"))
        .filter(|e| {
            !e["eventType"]
                .as_str()
                .unwrap_or("")
                .starts_with("user.authentication")
        })
        .count();
    assert_eq!(by_ada, 0, "{logs}");
    app.finish().await;
}

async fn the_endpoints_refuse_a_missing_token_and_what_the_admin_may_not_read(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = with_admin(&app).await;
    let browser = Browser::signed_in(&app, "ada@acme.com").await;
    let token = browser.token_of("/admin/apps").await;
    let body = json!({"context": "claim", "expression": "1"});
    for sent in [None, Some(""), Some("not-the-token-of-this-browser-000000")] {
        let resp = browser
            .post_json("/admin/expressions/check", sent, &body)
            .await;
        assert_eq!(resp.status(), 403, "{sent:?}");
        assert_okta_error(&resp.json().await.unwrap(), "E0000006");
    }
    assert_eq!(
        ask(&browser, &token, "/admin/expressions/check", body.clone()).await["ok"],
        json!(true)
    );
    // A form post (which another site could send) is not JSON.
    let form = browser
        .post("/admin/expressions/check", &[("context", "claim")])
        .await;
    assert_eq!(form.status(), 403);
    // A user admin may check, and evaluate for people, but not read the app for a claim.
    let ua = user(&app, "ua@acme.com").await;
    assign(&app, "users", &ua, "USER_ADMIN").await;
    let ua = Browser::signed_in(&app, "ua@acme.com").await;
    let ua_token = ua.token_of("/admin/people").await;
    let ok = ask(&ua, &ua_token, "/admin/expressions/check", body).await;
    assert_eq!(ok["ok"], json!(true));
    let claim = json!({"context": "groups-claim", "expression": SEED,
                       "login": "annie.jackson@acme.com", "app": s.app_id});
    let resp = ua
        .post_json("/admin/expressions/evaluate", Some(&ua_token), &claim)
        .await;
    assert_eq!(resp.status(), 403);
    let script = browser.get("/admin/console.js").await;
    assert_eq!(
        script.headers()["content-type"],
        "text/javascript; charset=utf-8"
    );
    assert_console_headers(&script);
    app.finish().await;
}
