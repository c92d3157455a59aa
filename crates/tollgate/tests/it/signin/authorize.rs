//! The front half of `/authorize`: the hosted sign-in page continuing the request, and the
//! refusals for untrusted clients and unassigned users.

use reqwest::redirect::Policy;
use serde_json::{Value, json};

use super::{PASSWORD, authn, no_redirects, user};
use crate::backend_tests;
use crate::support::{Backend, TestApp, json, send};

backend_tests!(
    sign_in_page_continues_the_authorize_request,
    authorize_refuses_untrusted_clients_and_unassigned_users,
);

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
