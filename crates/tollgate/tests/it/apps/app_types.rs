//! Apps other than OpenID Connect clients: each kind created, read, listed, replaced,
//! assigned, deactivated and deleted in Okta's shape; unknown kinds refused; none of them is an
//! OAuth client.

use reqwest::Method;
use serde_json::{Value, json};

use crate::backend_tests;
use crate::support::{Backend, TestApp, assert_okta_error, json, send};

backend_tests!(
    every_kind_in_okta_shape,
    lifecycle_assignment_and_oauth_refusal
);

/// One body per kind, as Okta's SDKs send them, with what the answer must show.
fn kinds() -> Vec<(Value, &'static str, &'static str)> {
    vec![
        (
            json!({"name": "bookmark", "label": "Bookmark", "signOnMode": "BOOKMARK",
                   "settings": {"app": {"requestIntegration": false, "url": "https://example.com/bookmark.htm"}}}),
            "bookmark",
            "BOOKMARK",
        ),
        (
            json!({"name": "template_basic_auth", "label": "Basic", "signOnMode": "BASIC_AUTH",
                   "settings": {"app": {"url": "https://example.com/login.html", "authURL": "https://example.com/auth.html"}}}),
            "template_basic_auth",
            "BASIC_AUTH",
        ),
        (
            json!({"name": "template_swa", "label": "SWA", "signOnMode": "BROWSER_PLUGIN",
                   "settings": {"app": {"buttonField": "btn-login", "passwordField": "txt-box-password",
                                        "usernameField": "txt-box-username", "url": "https://example.com/login.html",
                                        "loginUrlRegex": "^https://example.com/login.html$"}}}),
            "template_swa",
            "BROWSER_PLUGIN",
        ),
        (
            json!({"name": "template_swa3field", "label": "SWA3", "signOnMode": "BROWSER_PLUGIN",
                   "settings": {"app": {"buttonSelector": "#btn-login", "passwordSelector": "#txt-box-password",
                                        "userNameSelector": "#txt-box-username", "targetURL": "https://example.com/login.html",
                                        "extraFieldSelector": ".login", "extraFieldValue": "SOMEVALUE"}}}),
            "template_swa3field",
            "BROWSER_PLUGIN",
        ),
        (
            json!({"name": "template_sps", "label": "SPS", "signOnMode": "SECURE_PASSWORD_STORE",
                   "settings": {"app": {"url": "https://example.com/login.html", "passwordField": "p", "usernameField": "u",
                                        "optionalField1": "param1", "optionalField1Value": "value1"}}}),
            "template_sps",
            "SECURE_PASSWORD_STORE",
        ),
        (
            json!({"label": "Custom SWA", "signOnMode": "AUTO_LOGIN",
                   "settings": {"signOn": {"loginUrl": "https://example.com/login.html"}}}),
            "custom_swa_1",
            "AUTO_LOGIN",
        ),
        (
            json!({"label": "Custom SAML", "signOnMode": "SAML_2_0",
                   "settings": {"signOn": {"ssoAcsUrl": "https://sp.example.com/acs", "audience": "urn:example:sp",
                                           "attributeStatements": [{"type": "EXPRESSION", "name": "email",
                                                                    "namespace": "urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified",
                                                                    "values": ["user.email"]}]}}}),
            "custom_saml_1",
            "SAML_2_0",
        ),
        (
            json!({"name": "template_wsfed", "label": "WS-Fed", "signOnMode": "WS_FEDERATION",
                   "settings": {"app": {"realm": "urn:example:realm", "wReplyURL": "https://example.com/wsfed"}}}),
            "template_wsfed",
            "WS_FEDERATION",
        ),
    ]
}

async fn every_kind_in_okta_shape(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    for (body, name, mode) in kinds() {
        let made = json(app.post("/api/v1/apps", &body), 200).await;
        assert_eq!(
            (made["name"].as_str(), made["signOnMode"].as_str()),
            (Some(name), Some(mode))
        );
        assert_eq!(made["status"], "ACTIVE");
        for (k, v) in body["settings"]["app"].as_object().into_iter().flatten() {
            assert_eq!(&made["settings"]["app"][k], v, "{name}: settings.app.{k}");
        }
        assert!(made["settings"].get("oauthClient").is_none(), "{made}");
        assert_eq!(made["universalLogout"]["status"], "UNSUPPORTED", "{name}");
        assert_eq!(made["settings"]["emOptInStatus"], "NONE", "{name}");
        assert!(made["credentials"].get("oauthClient").is_none(), "{made}");
        assert_eq!(
            made["credentials"]["userNameTemplate"]["template"],
            "${source.login}"
        );
        let password_based = matches!(
            mode,
            "BASIC_AUTH" | "BROWSER_PLUGIN" | "SECURE_PASSWORD_STORE" | "AUTO_LOGIN"
        );
        assert_eq!(
            made["credentials"]["scheme"].as_str().is_some(),
            password_based,
            "{made}"
        );
        let link = &made["_links"]["appLinks"][0];
        assert_eq!(link["name"], "login");
        let id = made["id"].as_str().unwrap();
        assert!(link["href"].as_str().unwrap().ends_with(&format!(
            "/home/{name}/{id}/{}",
            link["href"].as_str().unwrap().rsplit('/').next().unwrap()
        )));
        assert!(
            made["_links"]["deactivate"]["href"]
                .as_str()
                .unwrap()
                .ends_with("/lifecycle/deactivate")
        );
        let read = json(app.get(&format!("/api/v1/apps/{id}")), 200).await;
        assert_eq!(read, made, "{name}: GET answers what create answered");
    }
    let saml = json(
        app.get("/api/v1/apps?filter=name+eq+%22custom_saml_1%22"),
        200,
    )
    .await;
    let sign_on = &saml[0]["settings"]["signOn"];
    assert_eq!(sign_on["recipient"], "https://sp.example.com/acs");
    assert_eq!(sign_on["signatureAlgorithm"], "RSA_SHA256");
    assert_eq!(sign_on["attributeStatements"][0]["name"], "email");

    // Apps that sign use the org's default app key unless told otherwise.
    let kid = saml[0]["credentials"]["signing"]["kid"]
        .as_str()
        .unwrap()
        .to_owned();
    let saml_id = saml[0]["id"].as_str().unwrap().to_owned();
    let keys = json(
        app.get(&format!("/api/v1/apps/{saml_id}/credentials/keys")),
        200,
    )
    .await;
    assert_eq!(keys[0]["kid"], kid.as_str());
    let signers = json(
        app.get(&format!(
            "/api/v1/apps?filter=credentials.signing.kid+eq+%22{kid}%22"
        )),
        200,
    )
    .await;
    let mut names: Vec<&str> = signers
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["custom_saml_1", "template_wsfed"]);
    let other_kid = json!({"label": "Custom SAML", "credentials": {"signing": {"kid": "nope"}}});
    let refused = json(app.put(&format!("/api/v1/apps/{saml_id}"), &other_kid), 400).await;
    assert_eq!(
        refused["errorSummary"],
        "Api validation failed: credentials.signing.kid"
    );
    let generate = format!("/api/v1/apps/{saml_id}/credentials/keys/generate?validityYears=2");
    let new_key = json(app.req(Method::POST, &generate), 201).await;
    let rotate =
        json!({"label": "Custom SAML", "credentials": {"signing": {"kid": new_key["kid"]}}});
    let rotated = json(app.put(&format!("/api/v1/apps/{saml_id}"), &rotate), 200).await;
    assert_eq!(rotated["credentials"]["signing"]["kid"], new_key["kid"]);

    let bookmarks = json(app.get("/api/v1/apps?filter=name+eq+%22bookmark%22"), 200).await;
    assert_eq!(bookmarks.as_array().unwrap().len(), 1);
    let all = json(app.get("/api/v1/apps?limit=20"), 200).await;
    assert_eq!(all.as_array().unwrap().len(), kinds().len());

    let unknown = json!({"name": "template_nothing", "label": "X", "settings": {"app": {}}});
    let refused = json(app.post("/api/v1/apps", &unknown), 400).await;
    assert_okta_error(&refused, "E0000001");
    assert!(
        refused["errorCauses"][0]["errorSummary"]
            .as_str()
            .unwrap()
            .starts_with("name: ")
    );
    let blank = json!({"name": "bookmark", "label": "B", "settings": {"app": {}}});
    let refused = json(app.post("/api/v1/apps", &blank), 400).await;
    assert_eq!(
        refused["errorSummary"],
        "Api validation failed: settings.app.url"
    );
    app.finish().await;
}

async fn lifecycle_assignment_and_oauth_refusal(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let (body, _, _) = kinds().swap_remove(1);
    let made = json(app.post("/api/v1/apps?activate=false", &body), 200).await;
    assert_eq!(made["status"], "INACTIVE");
    let id = made["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/apps/{id}");

    let replaced = json(
        app.put(&path, &json!({"name": "template_basic_auth", "label": "Basic 2", "signOnMode": "BASIC_AUTH",
                               "credentials": {"scheme": "SHARED_USERNAME_AND_PASSWORD"},
                               "settings": {"app": {"url": "https://example.com/2", "authURL": "https://example.com/2/auth"}}})),
        200,
    )
    .await;
    assert_eq!(replaced["label"], "Basic 2");
    assert_eq!(replaced["settings"]["app"]["url"], "https://example.com/2");
    assert_eq!(
        replaced["credentials"]["scheme"],
        "SHARED_USERNAME_AND_PASSWORD"
    );
    let moved = json!({"label": "Basic 2", "signOnMode": "BOOKMARK", "settings": {"app": {"url": "https://e.com"}}});
    assert_okta_error(&json(app.put(&path, &moved), 400).await, "E0000001");
    let activate = format!("{path}/lifecycle/activate");
    json(app.req(Method::POST, &activate), 200).await;

    let user = json(
        app.post("/api/v1/users", &json!({"profile": {"firstName": "A", "lastName": "B", "email": "ab@acme.com", "login": "ab@acme.com"},
                                           "credentials": {"password": {"value": "Tollgate-2026"}}})),
        200,
    )
    .await;
    let uid = user["id"].as_str().unwrap();
    // A shared-account app takes no credentials per user (see app_passwords.rs).
    let assigned = json(app.post(&format!("{path}/users"), &json!({"id": uid})), 200).await;
    assert_eq!(assigned["credentials"]["userName"], "ab@acme.com");
    let links = json(app.get(&format!("/api/v1/users/{uid}/appLinks")), 200).await;
    assert_eq!(links[0]["appName"], "template_basic_auth");

    // Not an OAuth client: its id is no client_id at the token endpoint.
    let token = send(
        app.anon(Method::POST, "/oauth2/default/v1/token")
            .basic_auth(&id, Some("anything"))
            .form(&[("grant_type", "client_credentials"), ("scope", "openid")]),
    )
    .await;
    assert_eq!(token.status(), 401);
    let err: Value = token.json().await.unwrap();
    assert_eq!(err["error"], "invalid_client");

    json(
        app.req(Method::POST, &format!("{path}/lifecycle/deactivate")),
        200,
    )
    .await;
    assert_eq!(send(app.delete(&path)).await.status(), 204);
    assert_okta_error(&json(app.get(&path), 404).await, "E0000007");
    app.finish().await;
}
