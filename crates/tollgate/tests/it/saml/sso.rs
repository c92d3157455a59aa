//! Single sign-on: IdP-initiated and SP-initiated (HTTP-Redirect binding) with a session
//! token, the sign-in page for a browser without a session, and the refusals (unassigned user,
//! ACS URL the app does not allow, inactive app).

use std::io::Write;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use flate2::Compression;
use flate2::write::DeflateEncoder;
use reqwest::redirect::Policy;
use serde_json::{Value, json};

use super::{ACS, between, saml_app, session_token, user};
use crate::backend_tests;
use crate::support::{Backend, TestApp, json, send};

backend_tests!(
    idp_initiated_sso_posts_a_signed_response,
    sp_initiated_sso_answers_the_request,
    sso_refuses_what_okta_refuses,
);

fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(Policy::none())
        .cookie_store(true)
        .build()
        .unwrap()
}

fn authn_request(id: &str, acs: &str) -> String {
    let xml = format!(
        "<samlp:AuthnRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" \
         xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\" ID=\"{id}\" Version=\"2.0\" \
         IssueInstant=\"2026-01-01T00:00:00Z\" AssertionConsumerServiceURL=\"{acs}\">\
         <saml:Issuer>urn:example:sp</saml:Issuer></samlp:AuthnRequest>"
    );
    let mut enc = DeflateEncoder::new(Vec::new(), Compression::default());
    enc.write_all(xml.as_bytes()).unwrap();
    let encoded = STANDARD.encode(enc.finish().unwrap());
    url::form_urlencoded::Serializer::new(String::new())
        .append_pair("SAMLRequest", &encoded)
        .append_pair("RelayState", "state-1")
        .finish()
}

/// The form's action, SAMLResponse (decoded) and RelayState.
async fn posted(resp: reqwest::Response) -> (String, String, Option<String>) {
    assert_eq!(resp.status(), 200);
    let csp = resp.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    let html = resp.text().await.unwrap();
    let nonce = between(&html, "<script nonce=\"", "\"").unwrap();
    assert!(csp.contains(&format!("'nonce-{nonce}'")), "{csp}");
    assert!(csp.contains("form-action https://sp.example.com"), "{csp}");
    let action = between(&html, "action=\"", "\"").unwrap().to_owned();
    let field =
        |name: &str| between(&html, &format!("name=\"{name}\" value=\""), "\"").map(str::to_owned);
    let response = STANDARD.decode(field("SAMLResponse").unwrap()).unwrap();
    (
        action,
        String::from_utf8(response).unwrap(),
        field("RelayState"),
    )
}

async fn setup(app: &TestApp, assign: bool) -> (Value, String) {
    let uid = user(app, "annie@acme.com").await;
    let created = saml_app(app).await;
    let id = created["id"].as_str().unwrap();
    for name in ["engineering", "eng-oncall", "Sales"] {
        let g = json(
            app.post("/api/v1/groups", &json!({"profile": {"name": name}})),
            200,
        )
        .await;
        let gid = g["id"].as_str().unwrap();
        send(app.put(&format!("/api/v1/groups/{gid}/users/{uid}"), &json!({}))).await;
    }
    if assign {
        json(
            app.post(&format!("/api/v1/apps/{id}/users"), &json!({"id": uid})),
            200,
        )
        .await;
    }
    let path = format!("/app/{}/{id}/sso/saml", created["name"].as_str().unwrap());
    (created, path)
}

async fn idp_initiated_sso_posts_a_signed_response(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let (created, path) = setup(&app, true).await;
    let id = created["id"].as_str().unwrap();
    let token = session_token(&app, "annie@acme.com").await;
    let url = format!("{}{path}?sessionToken={token}", app.base);
    let (action, xml, relay) = posted(send(browser().get(url)).await).await;
    assert_eq!(action, ACS);
    assert_eq!(relay.as_deref(), Some("/home"), "defaultRelayState");
    let issuer = format!(
        "<saml2:Issuer xmlns:saml2=\"urn:oasis:names:tc:SAML:2.0:assertion\" Format=\"urn:oasis:names:tc:SAML:2.0:nameid-format:entity\">http://www.okta.com/{id}</saml2:Issuer>"
    );
    assert!(xml.contains(&issuer), "{xml}");
    assert!(xml.contains(&format!("Destination=\"{ACS}\"")), "{xml}");
    assert!(!xml.contains("InResponseTo"), "IdP-initiated: {xml}");
    assert!(
        xml.contains("<saml2p:StatusCode Value=\"urn:oasis:names:tc:SAML:2.0:status:Success\"/>")
    );
    assert!(xml.contains(">annie@acme.com</saml2:NameID>"), "{xml}");
    assert!(xml.contains(&format!("Recipient=\"{ACS}\"")));
    assert!(xml.contains("<saml2:Audience>urn:example:sp</saml2:Audience>"));
    assert!(xml.contains("PasswordProtectedTransport</saml2:AuthnContextClassRef>"));
    assert!(
        xml.contains("R&amp;D &lt;west&gt;</saml2:AttributeValue>"),
        "escaped: {xml}"
    );
    let groups = between(&xml, "Name=\"groups\"", "</saml2:Attribute>").unwrap();
    assert!(groups.contains(">engineering<") && groups.contains(">eng-oncall<"));
    assert!(!groups.contains("Sales"), "{groups}");
    // Response and assertion are signed (RSA-SHA256, SHA-256, exclusive c14n, certificate).
    assert_eq!(xml.matches("<ds:SignatureValue>").count(), 2, "{xml}");
    assert!(xml.contains("xmldsig-more#rsa-sha256") && xml.contains("xmlenc#sha256"));
    let cert = between(&xml, "<ds:X509Certificate>", "</ds:X509Certificate>").unwrap();
    assert!(!cert.trim().is_empty());
    assert!(
        !xml.contains("<ds:DigestValue/>"),
        "every digest is filled in"
    );

    let logs = json(
        app.get("/api/v1/logs?filter=eventType%20eq%20%22user.authentication.sso%22"),
        200,
    )
    .await;
    let event = &logs.as_array().unwrap()[0];
    assert_eq!(event["outcome"]["result"], "SUCCESS");
    assert_eq!(event["target"][0]["id"], id);
    assert_eq!(event["actor"]["alternateId"], "annie@acme.com");
    app.finish().await;
}

async fn sp_initiated_sso_answers_the_request(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let (_, path) = setup(&app, true).await;
    let browser = browser();
    let query = authn_request("_req42", "https://sp.example.com/acs2");

    // No session: the sign-in page, which comes back to the SSO URL with the request.
    let resp = send(browser.get(format!("{}{path}?{query}", app.base))).await;
    assert_eq!(resp.status(), 302);
    let login = resp.headers()["location"].to_str().unwrap().to_owned();
    assert!(login.starts_with("/login?fromURI=%2Fapp%2F"), "{login}");
    let page = send(browser.get(format!("{}{login}", app.base))).await;
    let html = page.text().await.unwrap();
    let from = between(&html, "name=\"fromURI\" value=\"", "\"")
        .unwrap()
        .replace("&amp;", "&");
    let csrf = between(&html, "name=\"csrf\" value=\"", "\"")
        .unwrap()
        .to_owned();
    let form = [
        ("username", "annie@acme.com".to_owned()),
        ("password", super::PASSWORD.to_owned()),
        ("fromURI", from),
        ("csrf", csrf),
    ];
    let signed_in = send(browser.post(format!("{}/login", app.base)).form(&form)).await;
    assert_eq!(signed_in.status(), 303);
    let back = signed_in.headers()["location"].to_str().unwrap().to_owned();
    assert!(back.starts_with(&path), "{back}");
    let (action, xml, relay) = posted(send(browser.get(format!("{}{back}", app.base))).await).await;
    assert_eq!(
        action, "https://sp.example.com/acs2",
        "an allowed ACS endpoint"
    );
    assert_eq!(relay.as_deref(), Some("state-1"));
    assert_eq!(xml.matches("InResponseTo=\"_req42\"").count(), 2, "{xml}");

    // The session cookie now suffices; POST binding too.
    let posted_xml = STANDARD.encode(
        "<samlp:AuthnRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" ID=\"_p1\" Version=\"2.0\"/>",
    );
    let resp = browser
        .post(format!("{}{path}", app.base))
        .form(&[("SAMLRequest", posted_xml.as_str())]);
    let (action, xml, relay) = posted(send(resp).await).await;
    assert_eq!((action.as_str(), relay), (ACS, None));
    assert!(xml.contains("InResponseTo=\"_p1\""));

    // ForceAuthn asks for a new sign-in even with a session.
    let forced = STANDARD.encode(
        "<samlp:AuthnRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" ID=\"_f1\" Version=\"2.0\" ForceAuthn=\"true\"/>",
    );
    let resp = browser
        .post(format!("{}{path}", app.base))
        .form(&[("SAMLRequest", forced.as_str())]);
    let resp = send(resp).await;
    assert_eq!(resp.status(), 302);
    assert!(
        resp.headers()["location"]
            .to_str()
            .unwrap()
            .starts_with("/login?")
    );
    app.finish().await;
}

async fn sso_refuses_what_okta_refuses(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let (created, path) = setup(&app, false).await;
    let id = created["id"].as_str().unwrap();
    let sso = |extra: String| format!("{}{path}?{extra}", app.base);

    // Not assigned: Okta's error page, nothing posted, a denied sign-on in the System Log.
    let token = session_token(&app, "annie@acme.com").await;
    let resp = send(browser().get(sso(format!("sessionToken={token}")))).await;
    assert_eq!(resp.status(), 403);
    let html = resp.text().await.unwrap();
    assert!(
        html.contains("not assigned") && !html.contains("SAMLResponse"),
        "{html}"
    );
    let logs = json(
        app.get("/api/v1/logs?filter=eventType%20eq%20%22user.authentication.sso%22"),
        200,
    )
    .await;
    assert_eq!(logs[0]["outcome"]["result"], "DENY");

    // An ACS URL the app does not allow is refused before anything else.
    let token = session_token(&app, "annie@acme.com").await;
    let query = authn_request("_evil", "https://evil.example.com/acs");
    let resp = send(browser().get(sso(format!("{query}&sessionToken={token}")))).await;
    assert_eq!(resp.status(), 400);
    assert!(resp.text().await.unwrap().contains("evil.example.com/acs"));

    // A malformed request, and one with a DTD.
    let dtd = STANDARD.encode("<!DOCTYPE x [<!ENTITY e \"y\">]><samlp:AuthnRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" ID=\"&e;\"/>");
    let resp = browser()
        .post(sso(String::new()))
        .form(&[("SAMLRequest", dtd.as_str())]);
    assert_eq!(send(resp).await.status(), 400);
    let resp = send(browser().get(sso("SAMLRequest=%25%25".into()))).await;
    assert_eq!(resp.status(), 400);

    // An inactive app and an unknown app.
    send(app.post(
        &format!("/api/v1/apps/{id}/lifecycle/deactivate"),
        &json!({}),
    ))
    .await;
    let resp = send(browser().get(sso(String::new()))).await;
    assert_eq!(resp.status(), 403);
    let unknown = format!("{}/app/x/0oa_missing/sso/saml", app.base);
    assert_eq!(send(browser().get(unknown)).await.status(), 404);
    app.finish().await;
}
