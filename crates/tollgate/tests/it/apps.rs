//! OpenID Connect apps through the management API: create, read, list, replace (and the
//! `POST` alias the groups-claim guide uses), lifecycle, delete, validation.

mod app_passwords;
mod app_types;
mod app_types_orgfile;
mod assignment_edges;
mod assignments;
mod client_secrets;
mod grants;
mod key_credentials;
mod launch;
mod listing;
mod logos;
mod paging_cursor;
mod secret_scan;
mod sign_in_policies;
mod validation;

use serde_json::{Value, json};

use crate::backend_tests;
use crate::support::{Backend, TestApp, assert_okta_error, json, send};

backend_tests!(
    create_and_get_have_okta_shape,
    seed_step_two_post_alias_keeps_credentials,
    replace_with_new_secret_and_method,
);

/// A web app body; `extra` is merged into `settings.oauthClient`.
pub(crate) fn app_body(label: &str, extra: Value) -> Value {
    let mut settings = json!({
        "redirect_uris": ["https://app.example.com/callback"],
        "grant_types": ["authorization_code"],
        "application_type": "web",
    });
    if let (Some(s), Some(e)) = (settings.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            s.insert(k.clone(), v.clone());
        }
    }
    json!({"name": "oidc_client", "label": label, "signOnMode": "OPENID_CONNECT",
           "settings": {"oauthClient": settings}})
}

pub(crate) async fn create_app(app: &TestApp, label: &str) -> Value {
    json(app.post("/api/v1/apps", &app_body(label, json!({}))), 200).await
}

/// The `Link` headers of a response.
pub(crate) fn link_values(resp: &reqwest::Response) -> Vec<String> {
    resp.headers()
        .get_all("link")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect()
}

/// The `id` of each item of a list.
pub(crate) fn ids_of(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|v| v["id"].as_str().unwrap().to_owned())
        .collect()
}

pub(crate) fn is_generated_secret(s: &str) -> bool {
    s.len() == 64
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

async fn create_and_get_have_okta_shape(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let mut body = app_body(
        "Sample Client",
        json!({
            "client_uri": "http://localhost:8080",
            "logo_uri": "http://developer.okta.com/assets/images/logo-new.png",
            "post_logout_redirect_uris": ["https://app.example.com/bye"],
            "response_types": ["code"],
            "initiate_login_uri": "https://app.example.com/login",
            "consent_method": "REQUIRED",
            "issuer_mode": "ORG_URL",
            "wildcard_redirect": "DISABLED",
            "refresh_token": {"rotation_type": "ROTATE", "leeway": 20},
            "jwks": {"keys": [{"kty": "RSA", "kid": "k1", "e": "AQAB", "n": "xyz"}]},
            "idp_initiated_login": {"mode": "DISABLED", "default_scope": []},
            "tos_uri": "https://app.example.com/tos",
            "x_vendor_field": {"kept": [1, 2]},
        }),
    );
    body["id"] = json!("0oaIGNOREDIGNOREDIGN");
    body["status"] = json!("INACTIVE");
    body["created"] = json!("2001-01-01T00:00:00.000Z");
    body["_links"] = json!({"self": {"href": "https://elsewhere"}});
    body["bogus"] = json!(true);
    body["profile"] = json!({"zeta": 1, "groupwhitelist": ["00gbso71miOMjxHRW0h7"], "alpha": {"deep": [null, {"x": "y"}]}});
    let created = json(app.post("/api/v1/apps", &body), 200).await;
    let id = created["id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("0oa") && id.len() == 20, "{id}");
    assert_eq!(created["status"], "ACTIVE");
    assert_eq!(created["name"], "oidc_client");
    assert_eq!(created["label"], "Sample Client");
    assert_eq!(created["signOnMode"], "OPENID_CONNECT");
    // What Okta's newest answers show on every app.
    assert_eq!(created["universalLogout"], json!({"status": "UNSUPPORTED"}));
    let settings = &created["settings"];
    assert_eq!(
        settings["notifications"]["vpn"]["network"]["connection"],
        "DISABLED"
    );
    assert_eq!(settings["emOptInStatus"], "NONE");
    assert_eq!(settings["manualProvisioning"], false);
    assert_eq!(settings["notes"], json!({"admin": null, "enduser": null}));
    assert_ne!(created["created"], "2001-01-01T00:00:00.000Z");
    let oc = &created["credentials"]["oauthClient"];
    assert_eq!(oc["client_id"], id.as_str());
    assert!(
        is_generated_secret(oc["client_secret"].as_str().unwrap()),
        "{oc}"
    );
    assert_eq!(oc["token_endpoint_auth_method"], "client_secret_basic");
    assert_eq!(oc["pkce_required"], false);
    assert_eq!(oc["autoKeyRotation"], true);
    assert_eq!(
        created["credentials"]["userNameTemplate"]["template"],
        "${source.login}"
    );
    let settings = &created["settings"]["oauthClient"];
    for field in [
        "client_uri",
        "logo_uri",
        "post_logout_redirect_uris",
        "initiate_login_uri",
        "consent_method",
        "wildcard_redirect",
        "refresh_token",
        "jwks",
        "idp_initiated_login",
        "tos_uri",
        "x_vendor_field",
    ] {
        assert_eq!(
            settings[field], body["settings"]["oauthClient"][field],
            "{field}"
        );
    }
    assert_eq!(settings["response_types"], json!(["code"]));
    assert_eq!(settings["grant_types"], json!(["authorization_code"]));
    assert_eq!(settings["application_type"], "web");
    assert_eq!(created["profile"], body["profile"]);

    let links = &created["_links"];
    assert_eq!(
        links["users"]["href"],
        format!("{}/api/v1/apps/{id}/users", app.base)
    );
    assert_eq!(
        links["groups"]["href"],
        format!("{}/api/v1/apps/{id}/groups", app.base)
    );
    assert_eq!(
        links["deactivate"]["href"],
        format!("{}/api/v1/apps/{id}/lifecycle/deactivate", app.base)
    );
    assert!(links.get("activate").is_none());
    let link = links["appLinks"][0]["href"].as_str().unwrap();
    assert!(
        link.starts_with(&format!("{}/home/oidc_client/{id}/aln", app.base)),
        "{link}"
    );
    assert_eq!(links["logo"][0]["type"], "image/png");

    // GET: the same object, without the secret (only its digest is kept); the profile comes
    // back with its keys in the order they were sent.
    let resp = send(app.get(&format!("/api/v1/apps/{id}"))).await;
    assert_eq!(resp.status(), 200);
    let text = resp.text().await.unwrap();
    let zeta = text.find("\"zeta\"").unwrap();
    assert!(
        zeta < text.find("\"groupwhitelist\"").unwrap() && zeta < text.find("\"alpha\"").unwrap()
    );
    let got: Value = serde_json::from_str(&text).unwrap();
    assert!(
        got["credentials"]["oauthClient"]
            .get("client_secret")
            .is_none()
    );
    let mut expected = created.clone();
    expected["credentials"]["oauthClient"]
        .as_object_mut()
        .unwrap()
        .remove("client_secret");
    assert_eq!(got, expected);

    let missing = json(app.get("/api/v1/apps/0oanothere0000000000"), 404).await;
    assert_eq!(
        assert_okta_error(&missing, "E0000007"),
        "Not found: Resource not found: 0oanothere0000000000 (AppInstance)"
    );
    app.finish().await;
}

/// The groups-claim guide, Step Two: the body is sent verbatim with `POST` to an existing app.
const SEED_STEP_TWO: &str = r#"{
    "name": "oidc_client",
    "label": "Sample Client",
    "status": "ACTIVE",
    "signOnMode": "OPENID_CONNECT",
    "credentials": {
      "oauthClient": {
        "token_endpoint_auth_method": "client_secret_post"
      }
    },
    "settings": {
      "oauthClient": {
        "client_uri": "http://localhost:8080",
        "logo_uri": "http://developer.okta.com/assets/images/logo-new.png",
        "redirect_uris": [
          "https://example.com/oauth2/callback",
          "myapp://callback"
        ],
        "response_types": [
          "token",
          "id_token",
          "code"
        ],
        "grant_types": [
          "implicit",
          "authorization_code"
        ],
        "application_type": "native"
      }
    },
    "profile": {
      "groupwhitelist": [
        "00gbso71miOMjxHRW0h7"
      ]
    }
  }"#;

async fn seed_step_two_post_alias_keeps_credentials(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let body = json!({"name": "oidc_client", "label": "Sample Client", "signOnMode": "OPENID_CONNECT",
        "settings": {"oauthClient": {"application_type": "native", "grant_types": ["authorization_code"],
                                     "redirect_uris": ["myapp://callback"]}}});
    let created = json(app.post("/api/v1/apps", &body), 200).await;
    let id = created["id"].as_str().unwrap().to_owned();
    let secret = created["credentials"]["oauthClient"]["client_secret"]
        .as_str()
        .unwrap()
        .to_owned();

    let req = app
        .req(reqwest::Method::POST, &format!("/api/v1/apps/{id}"))
        .header("content-type", "application/json")
        .header("cache-control", "no-cache")
        .body(SEED_STEP_TWO);
    let updated = json(req, 200).await;
    let oc = &updated["credentials"]["oauthClient"];
    assert_eq!(oc["client_id"], id.as_str());
    assert_eq!(oc["token_endpoint_auth_method"], "client_secret_post");
    assert!(
        oc.get("client_secret").is_none(),
        "the kept secret is not shown again: {oc}"
    );
    assert_eq!(
        updated["profile"],
        json!({"groupwhitelist": ["00gbso71miOMjxHRW0h7"]})
    );
    assert_eq!(
        updated["settings"]["oauthClient"]["grant_types"],
        json!(["implicit", "authorization_code"])
    );
    assert_eq!(
        updated["settings"]["oauthClient"]["client_uri"],
        "http://localhost:8080"
    );

    let got = json(app.get(&format!("/api/v1/apps/{id}")), 200).await;
    assert_eq!(
        got["profile"]["groupwhitelist"],
        json!(["00gbso71miOMjxHRW0h7"])
    );
    assert_eq!(got["credentials"]["oauthClient"]["client_id"], id.as_str());

    let store = app.open_store().await;
    let stored = store.find_app(&id).await.unwrap().unwrap();
    assert!(
        stored.credentials.verify_secret(&secret),
        "the secret survives the update"
    );
    assert_eq!(
        store
            .find_app_by_client_id(&id)
            .await
            .unwrap()
            .unwrap()
            .id
            .as_str(),
        id
    );
    store.close().await;

    let put = json(
        app.put(
            &format!("/api/v1/apps/{id}"),
            &serde_json::from_str(SEED_STEP_TWO).unwrap(),
        ),
        200,
    )
    .await;
    assert_eq!(put["credentials"]["oauthClient"]["client_id"], id.as_str());
    app.finish().await;
}

async fn replace_with_new_secret_and_method(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let mut body = create_app(&app, "Replace me").await;
    let id = body["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/apps/{id}");
    body["label"] = json!("Replaced");
    body["credentials"]["oauthClient"]["client_secret"] = json!("a-brand-new-secret-value");
    let replaced = json(app.put(&path, &body), 200).await;
    assert_eq!(replaced["label"], "Replaced");
    assert_eq!(
        replaced["credentials"]["oauthClient"]["client_secret"],
        "a-brand-new-secret-value"
    );
    assert!(
        json(app.get(&path), 200).await["credentials"]["oauthClient"]
            .get("client_secret")
            .is_none()
    );

    body["credentials"]["oauthClient"] = json!({"client_id": "another-client-id"});
    let err = json(app.put(&path, &body), 400).await;
    assert_eq!(
        err["errorCauses"][0]["errorSummary"],
        "client_id: The client_id cannot be changed"
    );

    body["credentials"]["oauthClient"] = json!({});
    body["settings"]["oauthClient"]["application_type"] = json!("native");
    let err = json(app.put(&path, &body), 400).await;
    assert_eq!(
        err["errorSummary"],
        "Api validation failed: application_type"
    );

    // A label-only body keeps the settings, credentials and profile.
    let kept = json(app.put(&path, &json!({"label": "Only label"})), 200).await;
    assert_eq!(kept["label"], "Only label");
    assert_eq!(kept["settings"], replaced["settings"]);
    assert_eq!(kept["credentials"]["oauthClient"]["client_id"], id.as_str());

    let missing = json(app.put("/api/v1/apps/0oamissing", &body), 404).await;
    assert_okta_error(&missing, "E0000007");
    app.finish().await;
}
