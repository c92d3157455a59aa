//! Validation of app bodies: every refused combination names its field; the accepted kinds of
//! client get the right credentials.

use serde_json::{Value, json};

use super::{app_body, is_generated_secret};
use crate::backend_tests;
use crate::support::{Backend, TestApp, assert_okta_error, json};

backend_tests!(validation_errors_name_the_field, valid_client_kinds);

async fn validation_errors_name_the_field(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let with = |f: &dyn Fn(&mut Value)| {
        let mut body = app_body("Invalid", json!({}));
        f(&mut body);
        body
    };
    let cases: Vec<(Value, &str)> = vec![
        (
            with(&|b| {
                b["signOnMode"] = json!("BOOKMARK");
                b["name"] = json!("bookmark");
            }),
            "settings.app.url",
        ),
        (
            with(&|b| {
                b.as_object_mut().unwrap().remove("signOnMode");
                b["name"] = json!("template_nothing");
            }),
            "name",
        ),
        (
            with(&|b| {
                b.as_object_mut().unwrap().remove("name");
            }),
            "name",
        ),
        (
            with(&|b| {
                b.as_object_mut().unwrap().remove("label");
            }),
            "label",
        ),
        (
            with(&|b| {
                b.as_object_mut().unwrap().remove("settings");
            }),
            "settings.oauthClient",
        ),
        (
            with(&|b| {
                b["settings"]["oauthClient"]["application_type"] = json!("desktop");
            }),
            "application_type",
        ),
        (
            with(&|b| {
                b["settings"]["oauthClient"]["grant_types"] =
                    json!(["authorization_code", "password"]);
            }),
            "grant_types",
        ),
        (
            with(&|b| {
                b["settings"]["oauthClient"]["grant_types"] = json!(["implicit"]);
            }),
            "grant_types",
        ),
        (
            with(&|b| {
                b["settings"]["oauthClient"]["grant_types"] = json!([]);
            }),
            "grant_types",
        ),
        (
            with(&|b| {
                b["settings"]["oauthClient"]["response_types"] = json!(["code", "id_token"]);
            }),
            "response_types",
        ),
        (
            with(&|b| {
                b["settings"]["oauthClient"]["grant_types"] =
                    json!(["authorization_code", "implicit"]);
                b["settings"]["oauthClient"]["response_types"] = json!(["code"]);
            }),
            "response_types",
        ),
        (
            with(&|b| {
                b["settings"]["oauthClient"]
                    .as_object_mut()
                    .unwrap()
                    .remove("redirect_uris");
            }),
            "redirect_uris",
        ),
        (
            with(&|b| {
                b["settings"]["oauthClient"]["redirect_uris"] = json!(["/callback"]);
            }),
            "redirect_uris",
        ),
        (
            with(&|b| {
                b["settings"]["oauthClient"]["redirect_uris"] = json!(["https://a.example/cb#x"]);
            }),
            "redirect_uris",
        ),
        (
            with(&|b| {
                b["settings"]["oauthClient"]["redirect_uris"] = json!(["https://*.example.com/cb"]);
            }),
            "redirect_uris",
        ),
        (
            with(&|b| {
                b["settings"]["oauthClient"]["post_logout_redirect_uris"] = json!(["nope"]);
            }),
            "post_logout_redirect_uris",
        ),
        (
            with(&|b| {
                b["settings"]["oauthClient"]["refresh_token"] =
                    json!({"rotation_type": "SOMETIMES"});
            }),
            "refresh_token.rotation_type",
        ),
        (
            with(&|b| {
                b["settings"]["oauthClient"]["refresh_token"] =
                    json!({"rotation_type": "STATIC", "leeway": 61});
            }),
            "refresh_token.leeway",
        ),
        (
            with(&|b| {
                b["settings"]["oauthClient"]["jwks"] = json!({"nokeys": true});
            }),
            "jwks",
        ),
        (
            with(&|b| {
                b["credentials"] = json!({"oauthClient": {"token_endpoint_auth_method": "none"}});
            }),
            "token_endpoint_auth_method",
        ),
        (
            with(&|b| {
                b["credentials"] =
                    json!({"oauthClient": {"token_endpoint_auth_method": "private_key_jwt"}});
            }),
            "token_endpoint_auth_method",
        ),
        (
            with(&|b| {
                b["credentials"] = json!({"oauthClient": {"token_endpoint_auth_method": "magic"}});
            }),
            "token_endpoint_auth_method",
        ),
        (
            with(&|b| {
                b["credentials"] = json!({"oauthClient": {"client_id": "short"}});
            }),
            "client_id",
        ),
        (
            with(&|b| {
                b["credentials"] = json!({"oauthClient": {"client_id": "has space in it"}});
            }),
            "client_id",
        ),
        (
            with(&|b| {
                b["credentials"] = json!({"oauthClient": {"client_id": "ALL_CLIENTS"}});
            }),
            "client_id",
        ),
        (
            with(&|b| {
                b["credentials"] = json!({"oauthClient": {"client_secret": "tooshort"}});
            }),
            "client_secret",
        ),
        (
            with(&|b| {
                b["credentials"] = json!({"oauthClient": {"client_secret": "only-twenty-chars-xx", "token_endpoint_auth_method": "client_secret_jwt"}});
            }),
            "client_secret",
        ),
        (
            with(&|b| {
                b["profile"] = json!(["not", "an", "object"]);
            }),
            "profile",
        ),
    ];
    for (body, field) in cases {
        let err = json(app.post("/api/v1/apps", &body), 400).await;
        assert_okta_error(&err, "E0000001");
        assert_eq!(
            err["errorSummary"],
            format!("Api validation failed: {field}"),
            "{err}"
        );
        let cause = err["errorCauses"][0]["errorSummary"].as_str().unwrap();
        assert!(cause.starts_with(&format!("{field}: ")), "{cause}");
    }

    let big = with(&|b| {
        b["profile"] = json!({"blob": "x".repeat(1_100_000)});
    });
    let err = json(app.post("/api/v1/apps", &big), 400).await;
    assert_eq!(
        err["errorCauses"][0]["errorSummary"],
        "profile: must be at most 1 MB of JSON"
    );

    let malformed = app
        .req(reqwest::Method::POST, "/api/v1/apps")
        .header("content-type", "application/json")
        .body("{\"name\": ");
    assert_okta_error(&json(malformed, 400).await, "E0000003");

    let chosen = with(&|b| {
        b["credentials"] = json!({"oauthClient": {"client_id": "my.client-id_1"}});
    });
    json(app.post("/api/v1/apps", &chosen), 200).await;
    let again = json(app.post("/api/v1/apps", &chosen), 400).await;
    assert_okta_error(&again, "E0000001");
    assert_eq!(
        again["errorCauses"][0]["errorSummary"],
        "client_id: An object with this field already exists in the current organization"
    );
    app.finish().await;
}

async fn valid_client_kinds(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let service = json!({"name": "oidc_client", "label": "Service", "signOnMode": "OPENID_CONNECT",
        "settings": {"oauthClient": {"application_type": "service", "grant_types": ["client_credentials"],
                                     "response_types": ["token"]}}});
    let s = json(app.post("/api/v1/apps", &service), 200).await;
    assert_eq!(s["settings"]["oauthClient"]["redirect_uris"], json!([]));
    assert!(is_generated_secret(
        s["credentials"]["oauthClient"]["client_secret"]
            .as_str()
            .unwrap()
    ));

    let spa = json!({"name": "oidc_client", "label": "SPA", "signOnMode": "OPENID_CONNECT",
        "credentials": {"oauthClient": {"token_endpoint_auth_method": "none"}},
        "settings": {"oauthClient": {"application_type": "browser", "grant_types": ["authorization_code", "refresh_token"],
                                     "redirect_uris": ["http://localhost:3000/callback"]}}});
    let s = json(app.post("/api/v1/apps", &spa), 200).await;
    let oc = &s["credentials"]["oauthClient"];
    assert!(oc.get("client_secret").is_none(), "{oc}");
    assert_eq!(oc["pkce_required"], true);
    assert_eq!(
        s["settings"]["oauthClient"]["response_types"],
        json!(["code"])
    );

    let mut jwt = app_body("JWT", json!({"jwks_uri": "https://app.example.com/jwks"}));
    jwt["credentials"] = json!({"oauthClient": {"token_endpoint_auth_method": "private_key_jwt", "client_id": "jwt-client"}});
    let s = json(app.post("/api/v1/apps", &jwt), 200).await;
    assert!(
        s["credentials"]["oauthClient"]
            .get("client_secret")
            .is_none()
    );
    assert_eq!(s["credentials"]["oauthClient"]["client_id"], "jwt-client");

    let mut chosen = app_body("Chosen secret", json!({}));
    chosen["credentials"] = json!({"oauthClient": {"client_secret": "a-chosen-secret-of-32-characters", "token_endpoint_auth_method": "client_secret_jwt"}});
    let s = json(app.post("/api/v1/apps", &chosen), 200).await;
    assert_eq!(
        s["credentials"]["oauthClient"]["client_secret"],
        "a-chosen-secret-of-32-characters"
    );

    let inactive = json(
        app.post("/api/v1/apps?activate=false", &app_body("Later", json!({}))),
        200,
    )
    .await;
    assert_eq!(inactive["status"], "INACTIVE");
    assert!(
        inactive["_links"]["activate"]["href"]
            .as_str()
            .unwrap()
            .ends_with("/lifecycle/activate")
    );
    app.finish().await;
}
