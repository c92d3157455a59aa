//! Hybrid response types and `response_mode=form_post` on the implicit endpoint.

use super::implicit::query;
use super::{authorize, last_event, seed, session_token, verified};
use crate::backend_tests;
use crate::support::{Backend, TestApp, send};

backend_tests!(hybrid_and_form_post_responses);

/// Every page the server renders is readable on a phone.
const VIEWPORT: &str = r#"<meta name="viewport" content="width=device-width,initial-scale=1">"#;

async fn hybrid_and_form_post_responses(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = seed(&app).await;
    let challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
    let token = session_token(&app).await;
    let got = authorize(
        &app,
        "/oauth2/default/v1",
        &(query(&s.client_id, "code%20id_token%20token", "openid", &token)
            + &format!("&code_challenge={challenge}&code_challenge_method=S256")),
    )
    .await;
    let id = verified(&app, "/oauth2/default/v1", &got["id_token"]).await;
    assert_eq!(
        id["c_hash"],
        tollgate_core::token::hashes::c_hash(&got["code"]).as_str()
    );
    assert_eq!(
        id["at_hash"],
        tollgate_core::token::hashes::at_hash(&got["access_token"]).as_str()
    );
    let event = last_event(&app, "app.oauth2.as.authorize.code").await;
    assert_eq!(event["outcome"]["result"], "SUCCESS");

    // form_post: an auto-submitting form to exactly the registered URI.
    let token = session_token(&app).await;
    let resp = send(super::no_redirects().get(format!(
        "{}/oauth2/v1/authorize?{}",
        app.base,
        query(&s.client_id, "id_token", "openid", &token)
            .replace("response_mode=fragment", "response_mode=form_post")
    )))
    .await;
    assert_eq!(resp.status(), 200);
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let html = resp.text().await.unwrap();
    assert!(html.contains(VIEWPORT), "{html}");
    assert!(
        html.contains(r#"action="https://example.com/oauth2/callback""#),
        "{html}"
    );
    assert!(
        html.contains(r#"name="id_token""#) && html.contains(r#"name="state" value="myState""#)
    );

    // okta_post_message: the response posted to the opener, only to the redirect URI's origin.
    let token = session_token(&app).await;
    let resp = send(super::no_redirects().get(format!(
        "{}/oauth2/v1/authorize?{}",
        app.base,
        query(&s.client_id, "id_token", "openid", &token)
            .replace("response_mode=fragment", "response_mode=okta_post_message")
    )))
    .await;
    assert_eq!(resp.status(), 200);
    let html = resp.text().await.unwrap();
    assert!(html.contains(VIEWPORT), "{html}");
    assert!(html.contains("postMessage(data, target)"), "{html}");
    assert!(
        html.contains(r#"var target = "https://example.com";"#),
        "{html}"
    );
    assert!(html.contains(r#""state":"myState""#) && html.contains(r#""id_token":"ey"#));

    // An unknown identity provider, and a refusal before sign-in, are logged.
    let got = authorize(
        &app,
        "/oauth2/v1",
        &(query(&s.client_id, "id_token", "openid", "x") + "&idp=0oanotanidp"),
    )
    .await;
    assert_eq!(got["error_description"], "Identity provider is not valid.");
    let event = last_event(&app, "app.oauth2.authorize").await;
    assert_eq!(event["outcome"]["result"], "FAILURE");
    assert_eq!(
        event["outcome"]["reason"],
        "Identity provider is not valid."
    );
    app.finish().await;
}
