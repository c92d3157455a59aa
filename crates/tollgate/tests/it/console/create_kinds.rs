//! Create App Integration for SAML 2.0, SWA and Basic Authentication: each becomes the app the
//! API makes from an SDK's body, opens on its General tab (a SAML app's with its IdP metadata
//! URL), and has no OpenID Connect sections.

use serde_json::{Value, json};

use super::access::with_admin;
use super::{Browser, location};
use crate::backend_tests;
use crate::support::{Backend, TestApp, json};

backend_tests!(saml_swa_and_basic_apps_are_created_as_the_api_creates_them);

const NEW: &str = "/admin/apps/new";

/// Creates an app through the form; the API's reading of it, and where the browser went.
pub(super) async fn create(
    app: &TestApp,
    browser: &Browser,
    fields: &[(&str, &str)],
) -> (Value, String) {
    let made = browser.submit(NEW, NEW, fields).await;
    assert_eq!(made.status(), 303, "{fields:?}");
    let to = location(&made);
    let id = to.trim_start_matches("/admin/apps/");
    (json(app.get(&format!("/api/v1/apps/{id}")), 200).await, to)
}

async fn saml_swa_and_basic_apps_are_created_as_the_api_creates_them(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    with_admin(&app).await;
    let browser = Browser::signed_in(&app, "ada@acme.com").await;
    let form = browser.get(NEW).await.text().await.unwrap();
    for label in [
        "SAML 2.0",
        "SWA - Secure Web Authentication",
        "Basic Authentication",
        "Single sign-on URL",
        "Audience URI (SP Entity ID)",
        "Name ID format",
        "Application username",
        "App's login page URL",
    ] {
        assert!(form.contains(&format!(">{label}</label>")), "{label}");
    }
    let email = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress";
    let saml = [
        ("kind", "saml"),
        ("label", "Wiki"),
        ("ssoAcsUrl", "https://wiki.example.com/saml/acs"),
        ("audience", "urn:example:wiki"),
        ("nameIdFormat", email),
        ("userNameTemplate", "${user.email}"),
        ("attr1Name", "email"),
        ("attr1Value", "user.email"),
    ];
    let (wiki, to) = create(&app, &browser, &saml).await;
    assert_eq!(wiki["signOnMode"], "SAML_2_0");
    let sign_on = &wiki["settings"]["signOn"];
    assert_eq!(sign_on["ssoAcsUrl"], "https://wiki.example.com/saml/acs");
    assert_eq!(sign_on["audience"], "urn:example:wiki");
    assert_eq!(sign_on["subjectNameIdFormat"], email);
    assert_eq!(sign_on["subjectNameIdTemplate"], "${user.email}");
    assert_eq!(sign_on["attributeStatements"][0]["name"], "email");
    assert_eq!(
        sign_on["attributeStatements"][0]["values"],
        json!(["user.email"])
    );
    let general = browser.get(&to).await.text().await.unwrap();
    let metadata = format!(
        "{}/api/v1/apps/{}/sso/saml/metadata",
        app.base,
        wiki["id"].as_str().unwrap()
    );
    assert!(general.contains(&metadata), "{general}");
    assert!(general.contains("SAML_2_0") && !general.contains("Client Credentials"));
    assert!(!general.contains("/sign-on\"") && general.contains(">Assignments</a>"));
    let sign_on_tab = browser.get(&format!("{to}/sign-on")).await.status();
    assert!(sign_on_tab.is_client_error(), "{sign_on_tab}");

    let swa = [
        ("kind", "swa"),
        ("label", "Expenses"),
        ("loginUrl", "https://expenses.example.com/login"),
    ];
    let (expenses, _) = create(&app, &browser, &swa).await;
    assert_eq!(expenses["signOnMode"], "AUTO_LOGIN");
    assert_eq!(
        expenses["settings"]["signOn"]["loginUrl"],
        "https://expenses.example.com/login"
    );

    let basic = [
        ("kind", "basic"),
        ("label", "Intranet"),
        ("basicUrl", "https://intranet.example.com/"),
        ("authURL", "https://intranet.example.com/login"),
    ];
    let (intranet, to) = create(&app, &browser, &basic).await;
    assert_eq!(intranet["signOnMode"], "BASIC_AUTH");
    assert_eq!(intranet["name"], "template_basic_auth");
    assert_eq!(
        intranet["settings"]["app"]["url"],
        "https://intranet.example.com/"
    );
    assert_eq!(
        intranet["settings"]["app"]["authURL"],
        "https://intranet.example.com/login"
    );
    let general = browser.get(&to).await.text().await.unwrap();
    assert!(
        general.contains("BASIC_AUTH") && !general.contains("metadata"),
        "{general}"
    );

    let missing = [("kind", "saml"), ("label", "No ACS"), ("audience", "urn:x")];
    let refused = browser.submit(NEW, NEW, &missing).await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(
        html.contains("role=\"alert\"") && html.contains("ssoAcsUrl"),
        "{html}"
    );
    assert!(html.contains("value=\"urn:x\""), "what was typed stays");
    app.finish().await;
}
