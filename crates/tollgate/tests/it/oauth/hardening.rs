//! The OAuth endpoints under a hostile or careless client: PKCE cannot be downgraded, a Basic
//! 401 carries its challenge, a bearer token comes from one place, logout needs its hint,
//! nothing that carries a credential is cached, and a rotated refresh token wins once however
//! many requests race with it. Token preview shows the payload a token request gets.

use reqwest::Method;
use serde_json::{Value, json};

use super::{
    PASSWORD, REDIRECT, authorize, custom_server, form, no_redirects, seed, seed_with,
    session_token, verified,
};
use crate::backend_tests;
use crate::support::{Backend, TestApp, json, send};

backend_tests!(
    pkce_cannot_be_downgraded_and_verifiers_are_well_formed,
    client_and_bearer_errors_follow_rfc_6749_and_6750,
    logout_needs_the_hint_and_credentials_are_never_cached,
    one_refresh_wins_a_rotation_race,
    preview_equals_the_minted_payload,
    max_age_is_strict_and_satisfied_only_by_this_requests_sign_in,
);

const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

/// The password grant's tokens for the seed user at `base` (`/oauth2/v1` or a custom server).
async fn password_tokens(app: &TestApp, s: &super::Seed, base: &str, scope: &str) -> Value {
    json(
        app.anon(Method::POST, &format!("{base}/token")).form(&[
            ("grant_type", "password"),
            ("username", "annie.jackson@acme.com"),
            ("password", PASSWORD),
            ("scope", scope),
            ("client_id", &s.client_id),
            ("client_secret", &s.secret),
        ]),
        200,
    )
    .await
}

/// The seed scenario with a confidential web app using the code flow, PKCE not required.
async fn web_code_app(app: &TestApp) -> super::Seed {
    seed_with(
        app,
        "client_secret_post",
        json!({"redirect_uris": [REDIRECT], "response_types": ["code"],
               "grant_types": ["authorization_code"], "application_type": "web"}),
    )
    .await
}

fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

async fn code(app: &TestApp, client_id: &str, pkce: &str) -> String {
    let token = session_token(app).await;
    let got = authorize(
        app,
        "/oauth2/v1",
        &format!(
            "client_id={client_id}&response_type=code&scope=openid&redirect_uri={}&state=s1{pkce}&sessionToken={token}",
            enc(REDIRECT)
        ),
    )
    .await;
    got["code"].clone()
}

async fn exchange(
    app: &TestApp,
    s: &super::Seed,
    code: &str,
    verifier: Option<&str>,
) -> (u16, Value) {
    let mut fields = vec![
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", REDIRECT),
        ("client_id", s.client_id.as_str()),
        ("client_secret", s.secret.as_str()),
    ];
    if let Some(v) = verifier {
        fields.push(("code_verifier", v));
    }
    let resp = form(app, "/oauth2/v1", "token", &fields).await;
    (resp.status().as_u16(), resp.json().await.unwrap())
}

async fn pkce_cannot_be_downgraded_and_verifiers_are_well_formed(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = web_code_app(&app).await;
    // A code issued without a challenge refuses a verifier (RFC 9700 2.1.1).
    let c = code(&app, &s.client_id, "").await;
    let (status, body) = exchange(&app, &s, &c, Some(VERIFIER)).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant")),
        "{body}"
    );
    // A malformed verifier is invalid_request (RFC 7636 4.1).
    let pkce = format!("&code_challenge={CHALLENGE}&code_challenge_method=S256");
    for bad in [
        "short",
        &"a".repeat(129),
        "dBjftJeZ4CVP+mB92K27uhbUJU1p1r/wW1gFWFOEjXk",
    ] {
        let c = code(&app, &s.client_id, &pkce).await;
        let (status, body) = exchange(&app, &s, &c, Some(bad)).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (400, Some("invalid_request")),
            "{bad}"
        );
    }
    // The right verifier still works.
    let c = code(&app, &s.client_id, &pkce).await;
    assert_eq!(exchange(&app, &s, &c, Some(VERIFIER)).await.0, 200);
    app.finish().await;
}

async fn client_and_bearer_errors_follow_rfc_6749_and_6750(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = seed(&app).await;
    // A 401 to a Basic request carries the Basic challenge; a 401 to a form request does not.
    let resp = send(
        app.anon(Method::POST, "/oauth2/v1/token")
            .basic_auth(&s.client_id, Some("wrong"))
            .form(&[("grant_type", "password")]),
    )
    .await;
    assert_eq!(resp.status(), 401);
    let challenge = resp
        .headers()
        .get("www-authenticate")
        .map(|v| v.to_str().unwrap().to_owned());
    assert!(challenge.is_some_and(|c| c.starts_with("Basic ")));
    let resp = form(
        &app,
        "/oauth2/v1",
        "token",
        &[("client_id", &s.client_id), ("client_secret", "wrong")],
    )
    .await;
    assert_eq!(resp.status(), 401);
    assert!(resp.headers().get("www-authenticate").is_none());

    // A bearer token in two places is invalid_request (RFC 6750 2).
    let tokens = password_tokens(&app, &s, "/oauth2/v1", "openid profile").await;
    let at = tokens["access_token"].as_str().unwrap();
    let resp = send(
        app.anon(Method::POST, "/oauth2/v1/userinfo")
            .bearer_auth(at)
            .form(&[("access_token", at)]),
    )
    .await;
    assert_eq!(resp.status(), 400);
    assert_eq!(
        resp.json::<Value>().await.unwrap()["error"],
        "invalid_request"
    );
    // One place is fine, header or body, and the answer is not cached.
    for req in [
        app.anon(Method::GET, "/oauth2/v1/userinfo").bearer_auth(at),
        app.anon(Method::POST, "/oauth2/v1/userinfo")
            .form(&[("access_token", at)]),
    ] {
        let resp = send(req).await;
        assert_eq!(resp.status(), 200);
        assert_eq!(resp.headers()["cache-control"], "no-store");
    }
    app.finish().await;
}

async fn logout_needs_the_hint_and_credentials_are_never_cached(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = seed(&app).await;
    let browser = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let token = session_token(&app).await;
    let query = format!(
        "client_id={}&response_type=id_token&scope=openid&redirect_uri={}&state=s1&nonce=n&sessionToken={token}",
        s.client_id,
        enc(REDIRECT)
    );
    let resp = send(browser.get(format!("{}/oauth2/v1/authorize?{query}", app.base))).await;
    assert_eq!(resp.status(), 302);
    assert_eq!(resp.headers()["cache-control"], "no-store");
    // A logout link without the hint (from any site) does not end the session.
    let resp = send(browser.get(format!("{}/oauth2/v1/logout", app.base))).await;
    assert_eq!(resp.status(), 400);
    let resp = send(browser.get(format!("{}/api/v1/sessions/me", app.base))).await;
    assert_eq!(resp.status(), 200, "the session survives a hintless logout");

    // form_post answers are never cached or framed.
    let token = session_token(&app).await;
    let query = format!(
        "client_id={}&response_type=code&scope=openid&redirect_uri={}&state=s1&response_mode=form_post&sessionToken={token}",
        s.client_id,
        enc(REDIRECT)
    );
    let resp = send(no_redirects().get(format!("{}/oauth2/v1/authorize?{query}", app.base))).await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["cache-control"], "no-store");
    assert_eq!(resp.headers()["x-frame-options"], "DENY");
    let csp = resp.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    app.finish().await;
}

async fn one_refresh_wins_a_rotation_race(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = seed(&app).await; // ROTATE, leeway 0
    let mut forked = 0;
    for trial in 0..12 {
        let tokens = password_tokens(&app, &s, "/oauth2/v1", "openid offline_access").await;
        let rt = tokens["refresh_token"].as_str().unwrap().to_owned();
        let refresh = || {
            let req = app.anon(Method::POST, "/oauth2/v1/token").form(&[
                ("grant_type", "refresh_token"),
                ("refresh_token", rt.as_str()),
                ("client_id", s.client_id.as_str()),
                ("client_secret", s.secret.as_str()),
            ]);
            async move {
                let resp = send(req).await;
                (resp.status().as_u16(), resp.json::<Value>().await.unwrap())
            }
        };
        let (a, b2, c) = tokio::join!(refresh(), refresh(), refresh());
        let wins: Vec<&(u16, Value)> = [&a, &b2, &c].into_iter().filter(|r| r.0 == 200).collect();
        if wins.len() != 1 {
            forked += 1;
        }
        for lost in [&a, &b2, &c].into_iter().filter(|r| r.0 != 200) {
            assert_eq!(
                lost.1["error"], "invalid_grant",
                "trial {trial}: {}",
                lost.1
            );
        }
        // The losers were reuse: the family is revoked, the winner's token too.
        if let Some(winner) = wins.first() {
            let next = winner.1["refresh_token"].as_str().unwrap();
            let resp = form(
                &app,
                "/oauth2/v1",
                "token",
                &[
                    ("grant_type", "refresh_token"),
                    ("refresh_token", next),
                    ("client_id", &s.client_id),
                    ("client_secret", &s.secret),
                ],
            )
            .await;
            assert_eq!(resp.status(), 400, "trial {trial}: the family is revoked");
        }
    }
    assert_eq!(forked, 0, "trials where not exactly one refresh won");
    app.finish().await;
}

/// The claims both carry except those set per request.
pub(crate) fn stable(mut claims: Value) -> Value {
    if let Some(m) = claims.as_object_mut() {
        for k in ["jti", "iat", "exp", "auth_time", "amr"] {
            m.remove(k);
        }
    }
    claims
}

async fn preview_equals_the_minted_payload(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = seed(&app).await;
    let sid = custom_server(&app, &["password", "client_credentials"], true).await;
    let base = format!("/oauth2/{sid}/v1");
    let preview = json(
        app.post(
            &format!("/api/v1/authorizationServers/{sid}/tokenPreview"),
            &json!({"clientId": s.client_id, "userId": s.user, "grantType": "password",
                    "scopes": ["openid", "groups", "profile"]}),
        ),
        200,
    )
    .await;
    let tokens = password_tokens(&app, &s, &base, "openid groups profile").await;
    let minted = verified(&app, &base, tokens["access_token"].as_str().unwrap()).await;
    assert_eq!(
        stable(preview["accessToken"]["claims"].clone()),
        stable(minted),
        "{preview}"
    );
    assert_eq!(
        preview["accessToken"]["claims"]["groups"],
        json!(["WestCoastDivision"])
    );
    app.finish().await;
}

fn location(resp: &reqwest::Response) -> String {
    resp.headers()["location"].to_str().unwrap().to_owned()
}

/// Signs in on the sign-in page `login` (a path) shows; the answer's `Location`.
async fn sign_in_on_page(app: &TestApp, browser: &reqwest::Client, login: &str) -> String {
    let page = send(browser.get(format!("{}{login}", app.base)))
        .await
        .text()
        .await
        .unwrap();
    let csrf = page
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let from = url::Url::parse(&format!("{}{login}", app.base))
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "fromURI")
        .map(|(_, v)| v.into_owned())
        .unwrap();
    let ok = send(browser.post(format!("{}/login", app.base)).form(&[
        ("fromURI", from.as_str()),
        ("username", "annie.jackson@acme.com"),
        ("password", PASSWORD),
        ("csrf", csrf.as_str()),
    ]))
    .await;
    assert_eq!(ok.status(), 303);
    location(&ok)
}

async fn max_age_is_strict_and_satisfied_only_by_this_requests_sign_in(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = web_code_app(&app).await;
    let browser = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let authorize = format!(
        "{}/oauth2/v1/authorize?client_id={}&response_type=code&scope=openid&redirect_uri={}&state=s1&max_age=1",
        app.base,
        s.client_id,
        enc(REDIRECT)
    );
    // No session: the sign-in page, which comes back with proof of this very sign-in.
    let resp = send(browser.get(&authorize)).await;
    let login = location(&resp);
    assert!(login.starts_with("/login?"), "{login}");
    let back = sign_in_on_page(&app, &browser, &login).await;
    assert!(back.contains("sessionToken="), "{back}");
    // Slower than max_age on the way back: this sign-in still counts, no loop.
    tokio::time::sleep(std::time::Duration::from_millis(2_100)).await;
    let resp = send(browser.get(format!("{}{back}", app.base))).await;
    assert!(location(&resp).starts_with(REDIRECT), "{}", location(&resp));
    assert!(location(&resp).contains("code="));
    // The proof is one-time: the same URL again, with the session now over a second old,
    // asks for the password.
    let resp = send(browser.get(format!("{}{back}", app.base))).await;
    assert!(
        location(&resp).starts_with("/login?"),
        "{}",
        location(&resp)
    );
    // A new request with max_age=1 two seconds after signing in asks for the password again.
    let resp = send(browser.get(&authorize)).await;
    assert!(
        location(&resp).starts_with("/login?"),
        "{}",
        location(&resp)
    );
    // Without max_age the session still serves.
    let resp = send(browser.get(authorize.replace("&max_age=1", ""))).await;
    assert!(location(&resp).contains("code="), "{}", location(&resp));
    app.finish().await;
}
