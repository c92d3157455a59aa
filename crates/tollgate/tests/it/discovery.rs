//! Discovery documents: the org server's and custom servers' (both documents, and RFC 8414's
//! path form), URLs under the right base, published scopes only, and Okta's 404.

use reqwest::Method;
use serde_json::{Value, json};

use crate::authz::{create_server, status};
use crate::backend_tests;
use crate::support::{Backend, TestApp, assert_okta_error, json, send};

backend_tests!(
    org_documents,
    custom_documents_and_published_scopes,
    unknown_and_inactive_servers_are_404
);

const AS: &str = "/api/v1/authorizationServers";

/// Each URL field and the endpoint path it must end with.
const URL_FIELDS: [(&str, &str); 8] = [
    ("authorization_endpoint", "authorize"),
    ("token_endpoint", "token"),
    ("userinfo_endpoint", "userinfo"),
    ("jwks_uri", "keys"),
    ("introspection_endpoint", "introspect"),
    ("revocation_endpoint", "revoke"),
    ("end_session_endpoint", "logout"),
    ("registration_endpoint", "clients"),
];

/// Fetches a document anonymously, checking it is cacheable JSON.
async fn fetch(app: &TestApp, path: &str) -> Value {
    let resp = send(app.anon(Method::GET, path)).await;
    assert_eq!(resp.status(), 200, "{path}");
    let cache = resp.headers()["cache-control"].to_str().unwrap().to_owned();
    assert!(cache.starts_with("max-age="), "{path}: {cache}");
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    resp.json().await.unwrap()
}

/// Every URL is absolute and under `base` with the endpoint's own name; returns the names of
/// the URL fields present.
fn check_urls(doc: &Value, base: &str) -> Vec<&'static str> {
    let mut present = Vec::new();
    for (field, last) in URL_FIELDS {
        let Some(url) = doc.get(field) else { continue };
        let url = url.as_str().unwrap();
        assert_eq!(url, format!("{base}/{last}"), "{field}");
        present.push(field);
    }
    present
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect()
}

/// What both kinds of server advertise alike.
fn check_common(doc: &Value) {
    assert_eq!(
        strings(&doc["response_modes_supported"]),
        ["query", "fragment", "form_post", "okta_post_message"]
    );
    let auth = ["client_secret_basic", "client_secret_post", "none"];
    assert_eq!(strings(&doc["token_endpoint_auth_methods_supported"]), auth);
    assert_eq!(
        strings(&doc["introspection_endpoint_auth_methods_supported"]),
        auth
    );
    assert_eq!(
        strings(&doc["revocation_endpoint_auth_methods_supported"]),
        auth
    );
    assert_eq!(strings(&doc["code_challenge_methods_supported"]), ["S256"]);
    assert_eq!(
        strings(&doc["id_token_signing_alg_values_supported"]),
        ["RS256"]
    );
    assert_eq!(strings(&doc["subject_types_supported"]), ["public"]);
    assert!(doc.get("request_parameter_supported").is_none());
    assert!(doc.get("registration_endpoint").is_none());
}

async fn org_documents(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let base = format!("{}/oauth2/v1", app.base);
    let oidc = fetch(&app, "/.well-known/openid-configuration").await;
    assert_eq!(oidc["issuer"], app.base);
    assert_eq!(check_urls(&oidc, &base).len(), 7);
    check_common(&oidc);
    assert_eq!(
        strings(&oidc["response_types_supported"]),
        [
            "code",
            "id_token",
            "code id_token",
            "code token",
            "id_token token",
            "code id_token token"
        ]
    );
    assert_eq!(
        strings(&oidc["grant_types_supported"]),
        [
            "authorization_code",
            "implicit",
            "refresh_token",
            "password"
        ]
    );
    assert_eq!(
        strings(&oidc["scopes_supported"]),
        [
            "openid",
            "email",
            "profile",
            "address",
            "phone",
            "offline_access",
            "groups"
        ]
    );
    let claims = strings(&oidc["claims_supported"]);
    assert!(claims.contains(&"preferred_username") && claims.contains(&"c_hash"));
    // `client_id` is accepted and changes nothing.
    assert_eq!(
        fetch(&app, "/.well-known/openid-configuration?client_id=0oa123").await,
        oidc
    );
    let oauth = fetch(&app, "/.well-known/oauth-authorization-server").await;
    assert_eq!(oauth["issuer"], app.base);
    check_urls(&oauth, &base);
    check_common(&oauth);
    // The advertised JWKS is the real one.
    let jwks = json(app.client.get(oidc["jwks_uri"].as_str().unwrap()), 200).await;
    assert!(!jwks["keys"].as_array().unwrap().is_empty());
    app.finish().await;
}

async fn custom_documents_and_published_scopes(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let server = create_server(&app, "Discovery").await;
    let sid = server["id"].as_str().unwrap();
    for (name, publish) in [("car:drive", "ALL_CLIENTS"), ("car:hidden", "NO_CLIENTS")] {
        json(
            app.post(
                &format!("{AS}/{sid}/scopes"),
                &json!({"name": name, "metadataPublish": publish}),
            ),
            201,
        )
        .await;
    }
    for id in ["default", sid] {
        let issuer = format!("{}/oauth2/{id}", app.base);
        let base = format!("{issuer}/v1");
        let oidc = fetch(
            &app,
            &format!("/oauth2/{id}/.well-known/openid-configuration"),
        )
        .await;
        assert_eq!(oidc["issuer"], issuer);
        assert!(check_urls(&oidc, &base).contains(&"userinfo_endpoint"));
        check_common(&oidc);
        assert_eq!(
            strings(&oidc["response_types_supported"]),
            [
                "code",
                "token",
                "id_token",
                "code id_token",
                "code token",
                "id_token token",
                "code id_token token"
            ]
        );
        assert_eq!(
            strings(&oidc["grant_types_supported"]),
            [
                "authorization_code",
                "implicit",
                "refresh_token",
                "password",
                "client_credentials"
            ]
        );
        assert!(strings(&oidc["claims_supported"]).contains(&"nonce"));

        let oauth = fetch(
            &app,
            &format!("/oauth2/{id}/.well-known/oauth-authorization-server"),
        )
        .await;
        assert_eq!(oauth["issuer"], issuer);
        assert!(!check_urls(&oauth, &base).contains(&"userinfo_endpoint"));
        check_common(&oauth);
        assert_eq!(
            strings(&oauth["claims_supported"]),
            [
                "ver", "jti", "iss", "aud", "iat", "exp", "cid", "uid", "scp", "sub"
            ]
        );
        // RFC 8414 section 3: the well-known segment goes before the issuer's path.
        let rfc = fetch(
            &app,
            &format!("/.well-known/oauth-authorization-server/oauth2/{id}"),
        )
        .await;
        assert_eq!(rfc, oauth);

        let scopes = strings(&oidc["scopes_supported"]);
        for system in ["openid", "profile", "email", "offline_access"] {
            assert!(scopes.contains(&system), "{id}: {scopes:?}");
        }
        assert_eq!(scopes.contains(&"car:drive"), id == sid, "{id}: {scopes:?}");
        assert!(!scopes.contains(&"car:hidden"), "{scopes:?}");
        assert_eq!(oauth["scopes_supported"], oidc["scopes_supported"]);
    }
    app.finish().await;
}

async fn unknown_and_inactive_servers_are_404(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let server = create_server(&app, "Soon inactive").await;
    let sid = server["id"].as_str().unwrap().to_owned();
    assert_eq!(
        status(app.post(&format!("{AS}/{sid}/lifecycle/deactivate"), &json!({}))).await,
        204
    );
    for id in ["ausNoSuchServer00000", sid.as_str()] {
        for path in [
            format!("/oauth2/{id}/.well-known/openid-configuration"),
            format!("/oauth2/{id}/.well-known/oauth-authorization-server"),
            format!("/.well-known/oauth-authorization-server/oauth2/{id}"),
        ] {
            let body = json(app.anon(Method::GET, &path), 404).await;
            let summary = assert_okta_error(&body, "E0000007");
            assert_eq!(
                summary,
                format!("Not found: Resource not found: {id} (AuthorizationServer)")
            );
        }
    }
    app.finish().await;
}
