//! The authorization code flow with PKCE, refresh token rotation and reuse detection,
//! introspection, revocation, userinfo errors and logout.

use reqwest::Method;
use serde_json::{Value, json};

use super::{
    REDIRECT, authorize, custom_server, form, last_event, no_redirects, org_groups_claim, seed,
    session_token, verified,
};
use crate::backend_tests;
use crate::support::{Backend, TestApp, json, send};

backend_tests!(
    code_flow_with_pkce_refresh_and_revocation,
    org_server_code_flow_has_the_groups_claim_and_logout_ends_the_session,
);

const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

async fn code(app: &TestApp, base: &str, client_id: &str, scope: &str) -> String {
    let token = session_token(app).await;
    let redirect: String = url::form_urlencoded::byte_serialize(REDIRECT.as_bytes()).collect();
    let got = authorize(
        app,
        base,
        &format!(
            "client_id={client_id}&response_type=code&scope={scope}&redirect_uri={redirect}&state=s1\
             &nonce=abc&code_challenge={CHALLENGE}&code_challenge_method=S256&sessionToken={token}"
        ),
    )
    .await;
    assert_eq!(got["state"], "s1");
    got["code"].clone()
}

async fn body(resp: reqwest::Response, status: u16) -> Value {
    assert_eq!(resp.status(), status);
    resp.json().await.unwrap()
}

async fn code_flow_with_pkce_refresh_and_revocation(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = seed(&app).await;
    let sid = custom_server(&app, &["authorization_code", "implicit"], true).await;
    let base = format!("/oauth2/{sid}/v1");
    let client = [
        ("client_id", s.client_id.as_str()),
        ("client_secret", s.secret.as_str()),
    ];

    let c = code(
        &app,
        &base,
        &s.client_id,
        "openid%20groups%20offline_access",
    )
    .await;
    // Wrong verifier, then wrong client authentication method: the code stays unusable once tried.
    let mut fields = vec![
        ("grant_type", "authorization_code"),
        ("code", c.as_str()),
        ("redirect_uri", REDIRECT),
        ("code_verifier", VERIFIER),
    ];
    fields.extend(client);
    let basic = send(
        app.anon(Method::POST, &format!("{base}/token"))
            .basic_auth(&s.client_id, Some(&s.secret))
            .form(&fields[..4]),
    )
    .await;
    let err = body(basic, 401).await;
    assert_eq!(
        err["error"], "invalid_client",
        "registered for client_secret_post"
    );

    let ok = form(&app, &base, "token", &fields).await;
    assert_eq!(ok.headers()["cache-control"], "no-store");
    let tokens = body(ok, 200).await;
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["scope"], "groups offline_access openid");
    let id = verified(&app, &base, tokens["id_token"].as_str().unwrap()).await;
    assert_eq!(id["nonce"], "abc");
    assert_eq!(
        id["at_hash"],
        tollgate_core::token::hashes::at_hash(tokens["access_token"].as_str().unwrap()).as_str()
    );
    assert!(
        id.get("groups").is_none(),
        "thin: identity claims need alwaysIncludeInToken"
    );
    let at = verified(&app, &base, tokens["access_token"].as_str().unwrap()).await;
    assert_eq!(at["groups"], json!(["WestCoastDivision"]));
    let refresh = tokens["refresh_token"].as_str().unwrap().to_owned();

    // Introspection.
    let mut f = vec![("token", tokens["access_token"].as_str().unwrap())];
    f.extend(client);
    let intro = body(form(&app, &base, "introspect", &f).await, 200).await;
    assert_eq!(intro["active"], true);
    assert_eq!(intro["scope"], "groups offline_access openid");
    assert_eq!(intro["username"], "annie.jackson@acme.com");
    assert_eq!(intro["client_id"], s.client_id.as_str());
    assert_eq!(intro["token_type"], "Bearer");
    let mut f = vec![("token", refresh.as_str())];
    f.extend(client);
    let intro = body(form(&app, &base, "introspect", &f).await, 200).await;
    assert_eq!(intro["active"], true);
    let mut f = vec![("token", "garbage")];
    f.extend(client);
    assert_eq!(
        body(form(&app, &base, "introspect", &f).await, 200).await,
        json!({"active": false})
    );

    // Refresh with rotation: a new refresh token; the old one replayed revokes the family.
    let mut f = vec![
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh.as_str()),
    ];
    f.extend(client);
    let second = body(form(&app, &base, "token", &f).await, 200).await;
    let rotated = second["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(rotated, refresh);
    let at2 = second["access_token"].as_str().unwrap().to_owned();
    assert!(second["id_token"].as_str().is_some());
    let narrower = {
        let mut f = vec![
            ("grant_type", "refresh_token"),
            ("refresh_token", rotated.as_str()),
            ("scope", "openid email"),
        ];
        f.extend(client);
        body(form(&app, &base, "token", &f).await, 400).await
    };
    assert_eq!(narrower["error"], "access_denied");
    assert!(
        narrower["error_description"]
            .as_str()
            .unwrap()
            .ends_with("Denied scopes: email")
    );
    let replay = body(form(&app, &base, "token", &f).await, 400).await;
    assert_eq!(replay["error"], "invalid_grant");
    assert_eq!(
        replay["error_description"],
        "The refresh token is invalid or expired."
    );
    let reuse = last_event(&app, "app.oauth2.as.token.detect_reuse").await;
    assert_eq!(reuse["outcome"]["result"], "FAILURE");
    let mut f = vec![("token", at2.as_str())];
    f.extend(client);
    assert_eq!(
        body(form(&app, &base, "introspect", &f).await, 200).await["active"],
        false,
        "the family is revoked"
    );
    let mut f = vec![
        ("grant_type", "refresh_token"),
        ("refresh_token", rotated.as_str()),
    ];
    f.extend(client);
    assert_eq!(
        body(form(&app, &base, "token", &f).await, 400).await["error"],
        "invalid_grant"
    );

    // A code is single use: the second exchange fails and revokes what the first issued.
    let c = code(&app, &base, &s.client_id, "openid").await;
    let mut fields = vec![
        ("grant_type", "authorization_code"),
        ("code", c.as_str()),
        ("redirect_uri", REDIRECT),
        ("code_verifier", VERIFIER),
    ];
    fields.extend(client);
    let first = body(form(&app, &base, "token", &fields).await, 200).await;
    let again = body(form(&app, &base, "token", &fields).await, 400).await;
    assert_eq!(again["error"], "invalid_grant");
    assert_eq!(
        again["error_description"],
        "The authorization code is invalid or has expired."
    );
    let mut f = vec![("token", first["access_token"].as_str().unwrap())];
    f.extend(client);
    assert_eq!(
        body(form(&app, &base, "introspect", &f).await, 200).await["active"],
        false
    );
    // Userinfo refuses a revoked token.
    let resp = send(
        app.anon(Method::GET, &format!("{base}/userinfo"))
            .bearer_auth(first["access_token"].as_str().unwrap()),
    )
    .await;
    assert_eq!(resp.status(), 401);
    assert!(
        resp.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .contains("invalid_token")
    );

    // PKCE failures.
    let c = code(&app, &base, &s.client_id, "openid").await;
    let mut fields = vec![
        ("grant_type", "authorization_code"),
        ("code", c.as_str()),
        ("redirect_uri", REDIRECT),
        (
            "code_verifier",
            "wrong-verifier-wrong-verifier-wrong-verifier",
        ),
    ];
    fields.extend(client);
    let bad = body(form(&app, &base, "token", &fields).await, 400).await;
    assert_eq!(bad["error_description"], "PKCE verification failed.");

    // Revocation: an access token of this client reads inactive afterwards.
    let c = code(&app, &base, &s.client_id, "openid").await;
    let mut fields = vec![
        ("grant_type", "authorization_code"),
        ("code", c.as_str()),
        ("redirect_uri", REDIRECT),
        ("code_verifier", VERIFIER),
    ];
    fields.extend(client);
    let t = body(form(&app, &base, "token", &fields).await, 200).await;
    let at = t["access_token"].as_str().unwrap();
    let info = json(
        app.anon(Method::POST, &format!("{base}/userinfo"))
            .bearer_auth(at),
        200,
    )
    .await;
    assert_eq!(info["sub"], s.user.as_str());
    let mut f = vec![("token", at), ("token_type_hint", "access_token")];
    f.extend(client);
    let revoked = form(&app, &base, "revoke", &f).await;
    assert_eq!(revoked.status(), 200);
    let mut f = vec![("token", at)];
    f.extend(client);
    assert_eq!(
        body(form(&app, &base, "introspect", &f).await, 200).await["active"],
        false
    );
    let event = last_event(&app, "app.oauth2.as.token.revoke").await;
    assert_eq!(event["outcome"]["result"], "SUCCESS");
    app.finish().await;
}

async fn org_server_code_flow_has_the_groups_claim_and_logout_ends_the_session(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = seed(&app).await;
    org_groups_claim(&app, &s).await;
    let c = code(&app, "/oauth2/v1", &s.client_id, "openid%20groups").await;
    let tokens = body(
        form(
            &app,
            "/oauth2/v1",
            "token",
            &[
                ("grant_type", "authorization_code"),
                ("code", &c),
                ("redirect_uri", REDIRECT),
                ("code_verifier", VERIFIER),
                ("client_id", &s.client_id),
                ("client_secret", &s.secret),
            ],
        )
        .await,
        200,
    )
    .await;
    assert!(tokens.get("refresh_token").is_none(), "no offline_access");
    let id_token = tokens["id_token"].as_str().unwrap().to_owned();
    let id = verified(&app, "/oauth2/v1", &id_token).await;
    assert_eq!(id["groups"], json!(["WestCoastDivision"]));
    let event = last_event(&app, "app.oauth2.token.grant.id_token").await;
    assert_eq!(
        event["debugContext"]["debugData"]["grantType"],
        "authorization_code"
    );

    // client_credentials is for custom servers only.
    let cc = body(
        form(
            &app,
            "/oauth2/v1",
            "token",
            &[
                ("grant_type", "client_credentials"),
                ("client_id", &s.client_id),
                ("client_secret", &s.secret),
            ],
        )
        .await,
        400,
    )
    .await;
    assert_eq!(cc["error"], "unsupported_grant_type");

    // Logout: a browser session from a sessionToken, ended by id_token_hint.
    let browser = no_redirects();
    let token = session_token(&app).await;
    let redirect: String = url::form_urlencoded::byte_serialize(REDIRECT.as_bytes()).collect();
    let resp = send(browser.get(format!(
        "{}/oauth2/v1/authorize?client_id={}&response_type=id_token&scope=openid&redirect_uri={redirect}&state=x&nonce=n&sessionToken={token}",
        app.base, s.client_id
    )))
    .await;
    let cookie = resp.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let me = send(
        app.anon(Method::GET, "/api/v1/sessions/me")
            .header("cookie", &cookie),
    )
    .await;
    assert_eq!(me.status(), 200);
    let bye: String = url::form_urlencoded::byte_serialize(b"https://example.com/bye").collect();
    let unregistered = send(browser.get(format!(
        "{}/oauth2/v1/logout?id_token_hint={id_token}&post_logout_redirect_uri=https%3A%2F%2Fevil.example",
        app.base
    )))
    .await;
    assert_eq!(unregistered.status(), 400);
    let out = send(
        browser
            .get(format!(
                "{}/oauth2/v1/logout?id_token_hint={id_token}&post_logout_redirect_uri={bye}&state=st",
                app.base
            ))
            .header("cookie", &cookie),
    )
    .await;
    assert_eq!(out.status(), 302);
    assert_eq!(
        out.headers()["location"],
        "https://example.com/bye?state=st"
    );
    let me = send(
        app.anon(Method::GET, "/api/v1/sessions/me")
            .header("cookie", &cookie),
    )
    .await;
    assert_eq!(me.status(), 404);
    let forged = send(browser.get(format!(
        "{}/oauth2/v1/logout?id_token_hint={}x",
        app.base, id_token
    )))
    .await;
    assert_eq!(forged.status(), 400);
    app.finish().await;
}
