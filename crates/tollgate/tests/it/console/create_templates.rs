//! Create App Integration for the catalog templates (SWA plugin apps, Secure Password Store,
//! WS-Federation, Okta Org2Org): each becomes the app the API makes from an SDK's body and shows its settings
//! on its General tab; a missing required field is refused next to that field; a read-only
//! admin and a post without the page's CSRF token create nothing.

use serde_json::Value;

use super::Browser;
use super::access::with_admin;
use crate::backend_tests;
use crate::roles::{assign, user};
use crate::support::{Backend, TestApp, json};

backend_tests!(
    template_apps_are_created_as_the_api_creates_them,
    a_missing_template_field_is_refused_next_to_it
);

const NEW: &str = "/admin/apps/new";

/// Creates an app through the form; the API's reading of it and its General tab.
async fn create(app: &TestApp, browser: &Browser, fields: &[(&str, &str)]) -> (Value, String) {
    let (read, to) = super::create_kinds::create(app, browser, fields).await;
    (read, browser.get(&to).await.text().await.unwrap())
}

async fn template_apps_are_created_as_the_api_creates_them(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    with_admin(&app).await;
    let browser = Browser::signed_in(&app, "ada@acme.com").await;
    let form = browser.get(NEW).await.text().await.unwrap();
    for label in [
        "SWA - Template Plugin App",
        "SWA - Template Plugin App 3 Field",
        "Secure Password Store",
        "WS-Federation",
        "Login button CSS selector",
        "Extra field value",
        "Username parameter",
        "Reply To URL",
    ] {
        assert!(form.contains(&format!(">{label}</label>")), "{label}");
    }

    let swa = [
        ("kind", "template_swa"),
        ("label", "Payroll"),
        ("template_swa-url", "https://pay.example.com/login"),
        ("template_swa-usernameField", "#user"),
        ("template_swa-passwordField", "#pass"),
        ("template_swa-buttonField", "#go"),
    ];
    let (payroll, general) = create(&app, &browser, &swa).await;
    assert_eq!(payroll["name"], "template_swa");
    assert_eq!(payroll["signOnMode"], "BROWSER_PLUGIN");
    let settings = &payroll["settings"]["app"];
    assert_eq!(settings["url"], "https://pay.example.com/login");
    assert_eq!(
        (&settings["usernameField"], &settings["passwordField"]),
        (&"#user".into(), &"#pass".into())
    );
    assert_eq!(settings["buttonField"], "#go");
    assert_eq!(settings["loginUrlRegex"], Value::Null);
    assert!(
        general.contains("<dt>Login button CSS selector</dt><dd>#go</dd>"),
        "{general}"
    );
    assert!(general.contains("BROWSER_PLUGIN"), "{general}");

    let three = [
        ("kind", "template_swa3field"),
        ("label", "Benefits"),
        (
            "template_swa3field-targetURL",
            "https://benefits.example.com/",
        ),
        ("template_swa3field-userNameSelector", "#u"),
        ("template_swa3field-passwordSelector", "#p"),
        ("template_swa3field-buttonSelector", "#b"),
        ("template_swa3field-extraFieldSelector", "#company"),
        ("template_swa3field-extraFieldValue", "acme"),
    ];
    let (benefits, general) = create(&app, &browser, &three).await;
    assert_eq!(benefits["name"], "template_swa3field");
    assert_eq!(benefits["signOnMode"], "BROWSER_PLUGIN");
    let settings = &benefits["settings"]["app"];
    assert_eq!(settings["targetURL"], "https://benefits.example.com/");
    assert_eq!(settings["extraFieldSelector"], "#company");
    assert_eq!(settings["extraFieldValue"], "acme");
    assert!(
        general.contains("<dt>Extra field value</dt><dd>acme</dd>"),
        "{general}"
    );

    let sps = [
        ("kind", "template_sps"),
        ("label", "Vault"),
        ("template_sps-url", "https://vault.example.com/login.html"),
        ("template_sps-usernameField", "txt-user"),
        ("template_sps-passwordField", "txt-pass"),
        ("template_sps-optionalField1", "param1"),
        ("template_sps-optionalField1Value", "value1"),
    ];
    let (vault, general) = create(&app, &browser, &sps).await;
    assert_eq!(vault["name"], "template_sps");
    assert_eq!(vault["signOnMode"], "SECURE_PASSWORD_STORE");
    let settings = &vault["settings"]["app"];
    assert_eq!(settings["optionalField1"], "param1");
    assert_eq!(settings["optionalField1Value"], "value1");
    assert_eq!(settings["optionalField2"], Value::Null);
    assert!(
        general.contains("<dt>Username parameter</dt><dd>txt-user</dd>"),
        "{general}"
    );

    let wsfed = [
        ("kind", "template_wsfed"),
        ("label", "Portal"),
        ("template_wsfed-realm", "urn:portal"),
        (
            "template_wsfed-wReplyURL",
            "https://portal.example.com/wsfed",
        ),
    ];
    let (portal, general) = create(&app, &browser, &wsfed).await;
    assert_eq!(portal["name"], "template_wsfed");
    assert_eq!(portal["signOnMode"], "WS_FEDERATION");
    assert_eq!(portal["settings"]["app"]["realm"], "urn:portal");
    assert_eq!(
        portal["settings"]["app"]["wReplyURL"],
        "https://portal.example.com/wsfed"
    );
    assert!(
        general.contains("<dt>Realm</dt><dd>urn:portal</dd>"),
        "{general}"
    );

    let org2org = [
        ("kind", "okta_org2org"),
        ("label", "Subsidiary"),
        ("okta_org2org-baseUrl", "https://sub.example.com"),
        (
            "okta_org2org-acsUrl",
            "https://sub.example.com/sso/saml2/0oa1",
        ),
        (
            "okta_org2org-audRestriction",
            "https://www.okta.com/saml2/service-provider/sub",
        ),
    ];
    let (sub, general) = create(&app, &browser, &org2org).await;
    assert_eq!(sub["name"], "okta_org2org");
    assert_eq!(sub["signOnMode"], "SAML_2_0");
    assert_eq!(sub["settings"]["app"]["baseUrl"], "https://sub.example.com");
    assert_eq!(
        sub["settings"]["app"]["acsUrl"],
        "https://sub.example.com/sso/saml2/0oa1"
    );
    assert!(
        general.contains("<dt>Base URL</dt><dd>https://sub.example.com</dd>"),
        "{general}"
    );
    assert!(general.contains("/sso/saml/metadata"), "{general}");
    app.finish().await;
}

/// How many apps the API lists.
async fn app_count(app: &TestApp) -> usize {
    json(app.get("/api/v1/apps"), 200)
        .await
        .as_array()
        .unwrap()
        .len()
}

async fn a_missing_template_field_is_refused_next_to_it(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    with_admin(&app).await;
    let before = app_count(&app).await;
    let browser = Browser::signed_in(&app, "ada@acme.com").await;
    let missing = [
        ("kind", "template_swa"),
        ("label", "No button"),
        ("template_swa-url", "https://x.example.com/"),
        ("template_swa-usernameField", "#u"),
        ("template_swa-passwordField", "#p"),
    ];
    let refused = browser.submit(NEW, NEW, &missing).await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    let field = "id=\"template_swa-buttonField\" name=\"template_swa-buttonField\" value=\"\" \
                 aria-invalid=\"true\" aria-describedby=\"template_swa-buttonField-error\">";
    assert!(html.contains(field), "{html}");
    assert!(
        html.contains("id=\"template_swa-buttonField-error\">The field cannot be left blank</p>"),
        "{html}"
    );
    assert!(html.contains("value=\"#p\""), "what was typed stays");

    // A post without the page's token, and a read-only admin's post, make nothing.
    let fields = [
        ("kind", "template_sps"),
        ("label", "Forged"),
        ("template_sps-url", "https://f.example.com/"),
        ("template_sps-usernameField", "u"),
        ("template_sps-passwordField", "p"),
    ];
    let mut forged = vec![("csrf", "not-the-token-of-this-browser-000000")];
    forged.extend_from_slice(&fields);
    assert_eq!(browser.post(NEW, &forged).await.status(), 403);
    let ro = user(&app, "ro@acme.com").await;
    assign(&app, "users", &ro, "READ_ONLY_ADMIN").await;
    let ro = Browser::signed_in(&app, "ro@acme.com").await;
    let shown = ro.get("/admin/apps").await;
    assert_eq!(shown.status(), 200);
    let refused = ro.submit("/admin/apps", NEW, &fields).await;
    assert_eq!(refused.status(), 403);
    assert_eq!(app_count(&app).await, before);
    app.finish().await;
}
