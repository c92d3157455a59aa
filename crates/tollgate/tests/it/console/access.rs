//! Who gets into the console and what protects its forms.

use serde_json::{Value, json};

use super::{Browser, assert_console_headers, location};
use crate::backend_tests;
use crate::oauth::{Seed, seed};
use crate::roles::{assign, user};
use crate::support::{Backend, TestApp, json};

backend_tests!(
    without_a_session_the_console_goes_through_sign_in_and_back,
    a_user_without_an_admin_role_is_refused,
    a_read_only_admin_sees_but_cannot_save,
    a_post_without_the_page_s_csrf_token_changes_nothing,
    sign_out_ends_the_session,
);

/// The seed scenario and a super admin `ada@acme.com`.
pub async fn with_admin(app: &TestApp) -> Seed {
    let s = seed(app).await;
    let ada = user(app, "ada@acme.com").await;
    assign(app, "users", &ada, "SUPER_ADMIN").await;
    s
}

/// The app's profile and groups claim setting, as the API reads them.
pub async fn stored(app: &TestApp, s: &Seed) -> (Value, Value) {
    let profile =
        json(app.get(&format!("/api/v1/apps/{}", s.app_id)), 200).await["profile"].clone();
    let claim = json(
        app.get(&format!(
            "/api/v1/internal/apps/{}/settings/oauth/idToken",
            s.app_id
        )),
        200,
    )
    .await;
    (profile, claim)
}

async fn without_a_session_the_console_goes_through_sign_in_and_back(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = with_admin(&app).await;
    let browser = Browser::new(&app);
    let resp = browser.get("/admin").await;
    assert_eq!(resp.status(), 303);
    assert_console_headers(&resp);
    assert_eq!(location(&resp), "/login?fromURI=%2Fadmin");
    let deep = format!("/admin/apps/{}/sign-on?edit=1", s.app_id);
    let resp = browser.get(&deep).await;
    let to = location(&resp);
    let from: String = url::form_urlencoded::byte_serialize(deep.as_bytes()).collect();
    assert_eq!(to, format!("/login?fromURI={from}"));
    // The sign-in page carries the console page and goes back to it, with no session token.
    let page = browser.get(&to).await.text().await.unwrap();
    assert!(page.contains(&format!(
        "name=\"fromURI\" value=\"{}\"",
        deep.replace('&', "&amp;")
    )));
    let back = browser.sign_in("ada@acme.com", &deep).await;
    assert_eq!(back.status(), 303);
    assert_eq!(location(&back), deep);
    let tab = browser.get(&deep).await;
    assert_eq!(tab.status(), 200);
    assert_console_headers(&tab);
    assert!(
        tab.text()
            .await
            .unwrap()
            .contains("OpenID Connect ID Token")
    );
    // A post without a session cannot be repeated after signing in: back to the start.
    let anonymous = Browser::new(&app);
    let post = anonymous
        .post(
            &format!("/admin/apps/{}/profile", s.app_id),
            &[("profile", "{}")],
        )
        .await;
    assert_eq!(location(&post), "/login?fromURI=%2Fadmin");
    // Other console addresses: HTML under the console's headers too.
    let lost = browser.get("/admin/nowhere").await;
    assert_eq!(lost.status(), 404);
    assert_console_headers(&lost);
    let wrong_method = browser.post("/admin/apps", &[]).await;
    assert_eq!(wrong_method.status(), 405);
    assert_console_headers(&wrong_method);
    let home = browser.get("/admin").await;
    assert_eq!(location(&home), "/admin/apps");
    let css = browser.get("/admin/console.css").await;
    assert_eq!(css.headers()["content-type"], "text/css; charset=utf-8");
    assert_console_headers(&css);
    app.finish().await;
}

async fn a_user_without_an_admin_role_is_refused(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = with_admin(&app).await;
    let annie = Browser::signed_in(&app, "annie.jackson@acme.com").await;
    for path in [
        "/admin".to_owned(),
        "/admin/apps".to_owned(),
        format!("/admin/apps/{}", s.app_id),
    ] {
        let resp = annie.get(&path).await;
        assert_eq!(resp.status(), 403, "{path}");
        assert_console_headers(&resp);
        let html = resp.text().await.unwrap();
        assert!(html.contains("do not hold an admin role"), "{html}");
        assert!(html.contains("<a href=\"/login?fromURI=%2Fadmin\">Sign in as another user</a>"));
        assert!(!html.contains(&s.client_id), "{html}");
    }
    // A user admin gets in, but apps are not theirs to see (as `GET /api/v1/apps` answers 403).
    let ua = user(&app, "ua@acme.com").await;
    assign(&app, "users", &ua, "USER_ADMIN").await;
    let ua = Browser::signed_in(&app, "ua@acme.com").await;
    let resp = ua.get(&format!("/admin/apps/{}", s.app_id)).await;
    assert_eq!(resp.status(), 403);
    let html = resp.text().await.unwrap();
    assert!(
        html.contains("Your admin role does not allow this."),
        "{html}"
    );
    assert!(!html.contains(&s.client_id), "{html}");
    app.finish().await;
}

async fn a_read_only_admin_sees_but_cannot_save(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = with_admin(&app).await;
    let ro = user(&app, "ro@acme.com").await;
    assign(&app, "users", &ro, "READ_ONLY_ADMIN").await;
    let before = stored(&app, &s).await;
    let browser = Browser::signed_in(&app, "ro@acme.com").await;
    let list = browser.get("/admin/apps").await.text().await.unwrap();
    assert!(list.contains("Sample Client"), "{list}");
    let general_path = format!("/admin/apps/{}", s.app_id);
    let general = browser.get(&general_path).await.text().await.unwrap();
    assert!(general.contains(&s.client_id));
    assert!(
        general.contains("class=\"primary\" disabled>Save</button>"),
        "{general}"
    );
    let sign_on_path = format!("/admin/apps/{}/sign-on", s.app_id);
    let sign_on = browser
        .get(&format!("{sign_on_path}?edit=1"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        sign_on.contains("<button type=\"submit\" disabled>Edit</button>"),
        "{sign_on}"
    );
    assert!(
        !sign_on.contains("Groups claim expression</label>"),
        "{sign_on}"
    );

    // Saving anyway, with the page's valid CSRF token, is refused.
    let profile = browser
        .submit(
            &general_path,
            &format!("{general_path}/profile"),
            &[("profile", "{}")],
        )
        .await;
    assert_eq!(profile.status(), 403);
    let claim = browser
        .submit(
            &sign_on_path,
            &sign_on_path,
            &[
                ("valueType", "EXPRESSION"),
                ("name", "groups"),
                (
                    "expression",
                    "getFilteredGroups(app.profile.groupwhitelist, \"group.name\", 40)",
                ),
            ],
        )
        .await;
    assert_eq!(claim.status(), 403);
    assert_console_headers(&claim);
    assert_eq!(stored(&app, &s).await, before);
    app.finish().await;
}

async fn a_post_without_the_page_s_csrf_token_changes_nothing(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = with_admin(&app).await;
    let before = stored(&app, &s).await;
    let browser = Browser::signed_in(&app, "ada@acme.com").await;
    let general = format!("/admin/apps/{}", s.app_id);
    // Opening a page gives the browser its token cookie.
    assert_eq!(browser.get(&general).await.status(), 200);
    let profile = format!("{general}/profile");
    let sign_on = format!("/admin/apps/{}/sign-on", s.app_id);
    let claim = [
        ("valueType", "GROUPS"),
        ("name", "groups"),
        ("groupFilterType", "REGEX"),
        ("filterValue", ".*"),
    ];
    for token in [None, Some(""), Some("not-the-token-of-this-browser-000000")] {
        let with = |fields: &[(&'static str, &'static str)]| {
            let mut v: Vec<(&str, &str)> = token.map(|t| ("csrf", t)).into_iter().collect();
            v.extend_from_slice(fields);
            v
        };
        let resp = browser
            .post(&profile, &with(&[("profile", "{\"x\": 1}")]))
            .await;
        assert_eq!(resp.status(), 403, "{token:?}");
        assert_console_headers(&resp);
        assert_eq!(browser.post(&sign_on, &with(&claim)).await.status(), 403);
        assert_eq!(
            browser.post("/admin/signout", &with(&[])).await.status(),
            403
        );
    }
    assert_eq!(stored(&app, &s).await, before);
    // Still signed in: the refused sign-out did nothing.
    assert_eq!(browser.get(&general).await.status(), 200);
    app.finish().await;
}

async fn sign_out_ends_the_session(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    with_admin(&app).await;
    let browser = Browser::signed_in(&app, "ada@acme.com").await;
    let page = browser.get("/admin/apps").await.text().await.unwrap();
    assert!(page.contains("<button type=\"submit\">Sign out</button>"));
    let out = browser.submit("/admin/apps", "/admin/signout", &[]).await;
    assert_eq!(out.status(), 303);
    assert_eq!(location(&out), "/login?fromURI=%2Fadmin");
    let again = browser.get("/admin/apps").await;
    assert_eq!(again.status(), 303);
    assert!(location(&again).starts_with("/login?"));
    let ended = json(
        app.get("/api/v1/logs?filter=eventType%20eq%20%22user.session.end%22"),
        200,
    )
    .await;
    assert_eq!(ended.as_array().unwrap().len(), 1, "{ended}");
    assert_eq!(ended[0]["actor"]["alternateId"], json!("ada@acme.com"));
    app.finish().await;
}
