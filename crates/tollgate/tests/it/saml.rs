//! The SAML 2.0 identity provider of custom SAML apps: metadata (admin API and public) and
//! single sign-on, through the real server on both backends.

mod sso;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use reqwest::Method;
use serde_json::{Value, json};

use crate::backend_tests;
use crate::support::{Backend, TestApp, assert_okta_error, json, send};

backend_tests!(saml_metadata_describes_the_app);

const PASSWORD: &str = "Tollgate-2026";
const ACS: &str = "https://sp.example.com/acs";

/// A user with a password; gives its id.
async fn user(app: &TestApp, login: &str) -> String {
    let body = json!({
        "profile": {"firstName": "Annie", "lastName": "Jackson", "email": login, "login": login,
                    "department": "R&D <west>"},
        "credentials": {"password": {"value": PASSWORD}}
    });
    json(app.post("/api/v1/users?activate=true", &body), 200).await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// A custom SAML app with an email and a department attribute and a group attribute
/// (`STARTS_WITH eng`); gives the app's JSON.
async fn saml_app(app: &TestApp) -> Value {
    let sign_on = json!({
        "ssoAcsUrl": ACS, "audience": "urn:example:sp", "defaultRelayState": "/home",
        "allowMultipleAcsEndpoints": true,
        "acsEndpoints": [{"url": "https://sp.example.com/acs2", "index": 1}],
        "attributeStatements": [
            {"type": "EXPRESSION", "name": "email",
             "namespace": "urn:oasis:names:tc:SAML:2.0:attrname-format:basic", "values": ["user.email"]},
            {"type": "EXPRESSION", "name": "department", "values": ["user.department"]},
            {"type": "GROUP", "name": "groups", "filterType": "STARTS_WITH", "filterValue": "eng"}
        ]
    });
    let body = json!({"label": "Partner Portal", "signOnMode": "SAML_2_0",
                      "settings": {"signOn": sign_on}});
    json(app.post("/api/v1/apps", &body), 200).await
}

/// A one-time session token for `login`.
async fn session_token(app: &TestApp, login: &str) -> String {
    let body = json!({"username": login, "password": PASSWORD});
    let r = json(app.anon(Method::POST, "/api/v1/authn").json(&body), 200).await;
    r["sessionToken"].as_str().unwrap().to_owned()
}

/// The text between `start` and the next `end` in `text`.
fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    text.split(start).nth(1)?.split(end).next()
}

async fn saml_metadata_describes_the_app(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let created = saml_app(&app).await;
    let id = created["id"].as_str().unwrap();
    let name = created["name"].as_str().unwrap();
    let kid = created["credentials"]["signing"]["kid"].as_str().unwrap();
    let key = json(
        app.get(&format!("/api/v1/apps/{id}/credentials/keys/{kid}")),
        200,
    )
    .await;
    let cert = key["x5c"][0].as_str().unwrap();

    let path = format!("/api/v1/apps/{id}/sso/saml/metadata");
    let resp = send(app.get(&path)).await;
    assert_eq!(resp.status(), 200);
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/xml")
    );
    let xml = resp.text().await.unwrap();
    assert!(xml.starts_with("<?xml"), "{xml}");
    assert!(
        xml.contains(&format!("entityID=\"http://www.okta.com/{id}\"")),
        "{xml}"
    );
    assert!(xml.contains("<md:IDPSSODescriptor WantAuthnRequestsSigned=\"false\""));
    assert_eq!(
        between(&xml, "<ds:X509Certificate>", "</ds:X509Certificate>"),
        Some(cert)
    );
    assert!(xml.contains(
        "<md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified</md:NameIDFormat>"
    ));
    let sso = format!("{}/app/{name}/{id}/sso/saml", app.base);
    for binding in ["HTTP-POST", "HTTP-Redirect"] {
        let service = format!(
            "<md:SingleSignOnService Binding=\"urn:oasis:names:tc:SAML:2.0:bindings:{binding}\" Location=\"{sso}\"/>"
        );
        assert!(xml.contains(&service), "{binding}: {xml}");
    }
    assert!(STANDARD.decode(cert).is_ok());

    // The same with the active kid named; another app's key id is not found.
    let named = send(app.get(&format!("{path}?kid={kid}"))).await;
    assert_eq!(named.text().await.unwrap(), xml);
    let missing = json(app.get(&format!("{path}?kid=nope")), 404).await;
    assert_okta_error(&missing, "E0000007");

    // Admin API: a token is required. The public metadata URL needs none.
    let anon = json(app.anon(Method::GET, &path), 403).await;
    assert_okta_error(&anon, "E0000005");
    let public = send(app.anon(Method::GET, &format!("/app/{id}/sso/saml/metadata"))).await;
    assert_eq!(public.status(), 200);
    assert_eq!(public.text().await.unwrap(), xml);
    assert_eq!(
        created["_links"]["metadata"]["href"],
        format!("{}{path}", app.base)
    );

    // An app that is not a SAML app has no SAML metadata.
    let bookmark = json!({"name": "bookmark", "label": "Docs", "signOnMode": "BOOKMARK",
                          "settings": {"app": {"url": "https://example.com/docs"}}});
    let other = json(app.post("/api/v1/apps", &bookmark), 200).await;
    let other_id = other["id"].as_str().unwrap();
    let none = json(
        app.get(&format!("/api/v1/apps/{other_id}/sso/saml/metadata")),
        404,
    )
    .await;
    assert_okta_error(&none, "E0000007");
    app.finish().await;
}
