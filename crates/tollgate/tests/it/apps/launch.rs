//! An app's end-user link (`/home/{appName}/{appId}/{linkId}`, the `linkUrl` of `appLinks`):
//! through the sign-in page without a session, then where the app starts; refused for users
//! not assigned.

use reqwest::Method;
use serde_json::{Value, json};

use crate::backend_tests;
use crate::support::{Backend, TestApp, json, send};

backend_tests!(app_links_open_the_app_for_assigned_users);

const PASSWORD: &str = "Tollgate-2026";

fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap()
}

async fn user(app: &TestApp, login: &str) -> String {
    let body = json!({
        "profile": {"firstName": "L", "lastName": "K", "email": login, "login": login},
        "credentials": {"password": {"value": PASSWORD}}
    });
    json(app.post("/api/v1/users", &body), 200).await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The app's link path (`/home/...`), from its `_links.appLinks`.
fn link_path(app: &TestApp, created: &Value) -> String {
    let href = created["_links"]["appLinks"][0]["href"].as_str().unwrap();
    href.strip_prefix(&app.base).unwrap().to_owned()
}

fn location(resp: &reqwest::Response) -> String {
    resp.headers()["location"].to_str().unwrap().to_owned()
}

/// Opens `path` in `client`, signing in as `login` on the way when asked to.
async fn open(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    login: &str,
) -> reqwest::Response {
    let first = send(client.get(format!("{}{path}", app.base))).await;
    if first.status() != 302 || !location(&first).starts_with("/login?") {
        return first;
    }
    let body = json!({"username": login, "password": PASSWORD});
    let authn = json(app.anon(Method::POST, "/api/v1/authn").json(&body), 200).await;
    let token = authn["sessionToken"].as_str().unwrap();
    send(client.get(format!("{}{path}?sessionToken={token}", app.base))).await
}

async fn app_links_open_the_app_for_assigned_users(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let annie = user(&app, "annie.l@example.com").await;
    user(&app, "bob.l@example.com").await;
    let bookmark = json!({"name": "bookmark", "label": "Wiki", "signOnMode": "BOOKMARK",
        "settings": {"app": {"requestIntegration": false, "url": "https://wiki.example.com/start"}}});
    let bookmark = json(app.post("/api/v1/apps", &bookmark), 200).await;
    let saml = json!({"label": "Portal", "signOnMode": "SAML_2_0", "settings": {"signOn": {
        "ssoAcsUrl": "https://sp.example.com/acs", "audience": "urn:example:sp"}}});
    let saml = json(app.post("/api/v1/apps", &saml), 200).await;
    for created in [&bookmark, &saml] {
        let id = created["id"].as_str().unwrap();
        json(
            app.post(&format!("/api/v1/apps/{id}/users"), &json!({"id": annie})),
            200,
        )
        .await;
    }

    // Without a session: the sign-in page, which comes back to the link.
    let path = link_path(&app, &bookmark);
    let client = browser();
    let first = send(client.get(format!("{}{path}", app.base))).await;
    assert_eq!(first.status(), 302);
    let to_login = location(&first);
    let from = url::form_urlencoded::parse(to_login.split('?').nth(1).unwrap().as_bytes())
        .find(|(k, _)| k == "fromURI")
        .map(|(_, v)| v.into_owned());
    assert_eq!(from.as_deref(), Some(path.as_str()));
    let login_page = send(client.get(format!("{}{to_login}", app.base))).await;
    assert!(
        login_page
            .text()
            .await
            .unwrap()
            .contains(&format!("value=\"{path}\""))
    );

    let opened = open(&app, &client, &path, "annie.l@example.com").await;
    assert_eq!(opened.status(), 302);
    assert_eq!(location(&opened), "https://wiki.example.com/start");
    // The session now suffices.
    let again = send(client.get(format!("{}{path}", app.base))).await;
    assert_eq!(location(&again), "https://wiki.example.com/start");
    let saml_path = link_path(&app, &saml);
    let to_sso = send(client.get(format!("{}{saml_path}", app.base))).await;
    let saml_id = saml["id"].as_str().unwrap();
    let saml_name = saml["name"].as_str().unwrap();
    assert_eq!(
        location(&to_sso),
        format!("/app/{saml_name}/{saml_id}/sso/saml")
    );

    // Someone not assigned is told so; a wrong link part is not found.
    let refused = open(&app, &browser(), &path, "bob.l@example.com").await;
    assert_eq!(refused.status(), 403);
    assert!(refused.text().await.unwrap().contains("not assigned"));
    let wrong = path.replace("/bookmark/", "/template_swa/");
    assert_eq!(
        send(client.get(format!("{}{wrong}", app.base)))
            .await
            .status(),
        404
    );
    let id = bookmark["id"].as_str().unwrap();
    json(
        app.post(
            &format!("/api/v1/apps/{id}/lifecycle/deactivate"),
            &json!({}),
        ),
        200,
    )
    .await;
    assert_eq!(
        send(client.get(format!("{}{path}", app.base)))
            .await
            .status(),
        404
    );
    app.finish().await;
}
