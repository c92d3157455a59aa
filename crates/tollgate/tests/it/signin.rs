//! Sign-in: `/api/v1/authn`, sessions, lockout, the hosted sign-in page and the front half of
//! `/authorize`.

use reqwest::Method;
use reqwest::redirect::Policy;
use serde_json::{Value, json};

use crate::backend_tests;
use crate::support::{Backend, TestApp, assert_okta_error, json, send};

backend_tests!(
    authn_answers_like_okta,
    sessions_from_session_tokens,
    ten_wrong_passwords_lock_the_user,
    sign_in_page_continues_the_authorize_request,
    authorize_refuses_untrusted_clients_and_unassigned_users,
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

/// A web app with the authorization code flow, and the user assigned to it.
async fn oidc_app(app: &TestApp, user_id: Option<&str>) -> String {
    let created = json(
        app.post(
            "/api/v1/apps",
            &json!({"name": "oidc_client", "label": "Sample Client", "signOnMode": "OPENID_CONNECT",
                    "credentials": {"oauthClient": {"token_endpoint_auth_method": "client_secret_basic"}},
                    "settings": {"oauthClient": {"redirect_uris": ["https://example.com/oauth2/callback"],
                        "response_types": ["code", "id_token", "token"], "grant_types": ["authorization_code", "implicit"],
                        "application_type": "web"}}}),
        ),
        200,
    )
    .await;
    let id = created["id"].as_str().unwrap().to_owned();
    if let Some(uid) = user_id {
        json(
            app.post(&format!("/api/v1/apps/{id}/users"), &json!({"id": uid})),
            200,
        )
        .await;
    }
    created["credentials"]["oauthClient"]["client_id"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn authorize_path(client_id: &str, extra: &str) -> String {
    format!(
        "/oauth2/default/v1/authorize?client_id={client_id}&redirect_uri=https%3A%2F%2Fexample.com%2Foauth2%2Fcallback\
         &response_type=code&scope=openid&state=myState{extra}"
    )
}

fn location(resp: &reqwest::Response) -> String {
    resp.headers()["location"].to_str().unwrap().to_owned()
}

async fn sign_in_page_continues_the_authorize_request(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    json(
        app.post("/api/v1/org", &json!({"companyName": "Acme Corp"})),
        200,
    )
    .await;
    let uid = user(&app, "annie@acme.com", "").await;
    let client_id = oidc_app(&app, Some(&uid)).await;
    let browser = reqwest::Client::builder()
        .redirect(Policy::none())
        .cookie_store(true)
        .build()
        .unwrap();
    let url = |p: &str| format!("{}{p}", app.base);

    // No session: off to the sign-in page, carrying the request.
    let resp = send(browser.get(url(&authorize_path(
        &client_id,
        "&prompt=login&login_hint=annie%40acme.com",
    ))))
    .await;
    assert_eq!(resp.status(), 302);
    let login = location(&resp);
    assert!(
        login.starts_with("/login?fromURI=%2Foauth2%2Fdefault%2Fv1%2Fauthorize"),
        "{login}"
    );
    assert!(
        !login.contains("prompt"),
        "prompt=login is satisfied by this sign-in: {login}"
    );

    let page = send(browser.get(url(&login))).await;
    assert_eq!(page.status(), 200);
    let h = page.headers().clone();
    assert!(
        h["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'")
    );
    assert_eq!(h["x-frame-options"], "DENY");
    assert_eq!(h["cache-control"], "no-store");
    assert!(h.contains_key("referrer-policy"));
    let html = page.text().await.unwrap();
    assert!(
        html.contains("Acme Corp"),
        "the org name comes from the org settings"
    );
    assert!(
        html.contains("value=\"annie@acme.com\""),
        "login_hint pre-fills the username"
    );
    assert!(
        html.contains("name=\"csrf\" value=\""),
        "the form carries a CSRF token"
    );
    let from = html
        .split("name=\"fromURI\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .replace("&amp;", "&");

    let form = |pw: &str, token: &str| {
        vec![
            ("username", "annie@acme.com".to_owned()),
            ("password", pw.to_owned()),
            ("fromURI", from.clone()),
            ("csrf", token.to_owned()),
        ]
    };
    let forged = send(browser.post(url("/login")).form(&form(PASSWORD, "forged"))).await;
    assert_eq!(forged.status(), 403);
    // Each rendering of the form carries a fresh token; continue with the newest one.
    let forged_html = forged.text().await.unwrap();
    let csrf = forged_html
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let wrong = send(
        browser
            .post(url("/login"))
            .form(&form("Wrong-Pass-1", &csrf)),
    )
    .await;
    assert_eq!(wrong.status(), 401);
    let wrong_html = wrong.text().await.unwrap();
    assert!(wrong_html.contains("Unable to sign in"));
    let csrf = wrong_html
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let unknown = send(browser.post(url("/login")).form(&[
        ("username", "ghost@acme.com"),
        ("password", PASSWORD),
        ("fromURI", &from),
        ("csrf", &csrf),
    ]))
    .await;
    assert!(
        unknown.text().await.unwrap().contains("Unable to sign in"),
        "the same words for an unknown login"
    );

    let page = send(browser.get(url(&login))).await.text().await.unwrap();
    let csrf = page
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let ok = send(browser.post(url("/login")).form(&form(PASSWORD, &csrf))).await;
    assert_eq!(ok.status(), 303);
    assert!(
        ok.headers()
            .get_all("set-cookie")
            .iter()
            .any(|c| c.to_str().unwrap().starts_with("sid="))
    );
    let back = location(&ok);
    assert!(back.starts_with("/oauth2/default/v1/authorize?"));

    // Back at authorize with a session: the user is resolved and assigned, and gets a code.
    let resp = send(browser.get(url(&back))).await;
    assert_eq!(resp.status(), 302);
    let to_client = location(&resp);
    assert!(
        to_client.starts_with("https://example.com/oauth2/callback?"),
        "{to_client}"
    );
    assert!(to_client.contains("state=myState"));
    assert!(to_client.contains(&format!(
            "iss={}",
            url::form_urlencoded::byte_serialize(format!("{}/oauth2/default", app.base).as_bytes())
                .collect::<String>()
        )));
    assert!(to_client.contains("code="), "{to_client}");

    // prompt=none with a session passes authentication; without one it is login_required.
    let resp = send(browser.get(url(&authorize_path(&client_id, "&prompt=none")))).await;
    assert!(!location(&resp).contains("login_required"));
    let resp = send(no_redirects().get(url(&authorize_path(&client_id, "&prompt=none")))).await;
    assert!(location(&resp).contains("error=login_required"));
    app.finish().await;
}

async fn authorize_refuses_untrusted_clients_and_unassigned_users(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    user(&app, "annie@acme.com", "").await;
    let client_id = oidc_app(&app, None).await;
    let client = no_redirects();
    let url = |p: &str| format!("{}{p}", app.base);

    let unknown = send(client.get(url(&authorize_path("0oanotaclient", "")))).await;
    assert_eq!(unknown.status(), 400, "an error page, never a redirect");
    assert!(unknown.headers().get("location").is_none());
    assert!(
        unknown
            .text()
            .await
            .unwrap()
            .contains("Invalid value for &#39;client_id&#39; parameter.")
    );
    let wrong_uri = format!(
        "/oauth2/default/v1/authorize?client_id={client_id}&redirect_uri=https%3A%2F%2Fevil.example&response_type=code&scope=openid&state=s"
    );
    let resp = send(
        client
            .get(url(&wrong_uri))
            .header("accept", "application/json"),
    )
    .await;
    assert_eq!(resp.status(), 400);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["error"], "invalid_request");
    let missing_server = send(client.get(url(
        &authorize_path(&client_id, "").replace("/default/", "/ausnotthere00000000/"),
    )))
    .await;
    assert_eq!(missing_server.status(), 404);

    let resp = send(client.get(url(
        &authorize_path(&client_id, "").replace("response_type=code", "response_type=%27token%27"),
    )))
    .await;
    assert!(location(&resp).contains("error=unsupported_response_type"));
    let resp = send(client.get(url(
        &authorize_path(&client_id, "").replace("&state=myState", ""),
    )))
    .await;
    assert!(location(&resp).contains("error=invalid_request"));

    // A signed-in user who is not assigned to the app is refused, and the log says why.
    let token = authn(&app, "annie@acme.com", PASSWORD, 200).await["sessionToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let resp = send(client.get(url(&authorize_path(
        &client_id,
        &format!("&sessionToken={token}"),
    ))))
    .await;
    let to = location(&resp);
    assert!(
        to.starts_with("https://example.com/oauth2/callback?error=access_denied"),
        "{to}"
    );
    assert!(
        to.contains("User+is+not+assigned+to+the+client+application."),
        "{to}"
    );
    let events = json(
        app.get("/api/v1/logs?filter=eventType%20eq%20%22app.oauth2.as.authorize%22&sortOrder=DESCENDING"),
        200,
    )
    .await;
    assert_eq!(events[0]["outcome"]["result"], "DENY");
    assert_eq!(
        events[0]["outcome"]["reason"],
        "User is not assigned to the client application."
    );
    app.finish().await;
}
