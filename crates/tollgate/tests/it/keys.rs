//! Signing keys: the management API (list, get, rotate), the public JWKS of the org and custom
//! servers, tokens signed before a rotation, and keys kept across restarts under the master key.

mod schedule;

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{Algorithm, DecodingKey, Validation, decode, decode_header};
use reqwest::Method;
use serde_json::{Value, json};
use tollgate::{Server, Settings};
use tollgate_core::Clock;
use tollgate_core::token::jws::SigningKey;
use tollgate_core::token::keys::{KeyStatus, thumbprint};
use tollgate_core::token::sealed::MasterKey;

use crate::backend_tests;
use crate::support::{Backend, TestApp, assert_okta_error, json, send};

backend_tests!(
    keys_list_get_and_rotate,
    rotation_errors_and_unknown_servers,
    public_jwks_endpoints,
    custom_servers_have_their_own_keys,
    keys_survive_a_restart_and_need_their_master_key
);

const KEYS: &str = "/api/v1/authorizationServers/default/credentials/keys";
const ROTATE: &str = "/api/v1/authorizationServers/default/credentials/lifecycle/keyRotate";

/// Starts an app whose master key the test knows, and keeps its settings.
async fn start(b: Backend) -> Option<(TestApp, MasterKey, Settings)> {
    let master = MasterKey::generate();
    let mut captured = None;
    let app = TestApp::start_with(b, |s| {
        s.master_key = Some(master.clone());
        captured = Some(s.clone());
    })
    .await?;
    Some((app, master, captured.unwrap()))
}

fn kids_by_status(keys: &Value) -> Vec<(String, String)> {
    keys.as_array()
        .unwrap()
        .iter()
        .map(|k| {
            (
                k["status"].as_str().unwrap().to_owned(),
                k["kid"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// Signs claims with the server's active key, read from the database as the keyring does.
async fn sign_with_active_key(app: &TestApp, master: &MasterKey, server_id: &str) -> String {
    let store = app.open_store().await;
    let keys = store.keys(server_id).await.unwrap();
    store.close().await;
    let active = keys.iter().find(|k| k.status == KeyStatus::Active).unwrap();
    let pkcs8 = master.open(&active.sealed, &active.jwk.kid).unwrap();
    let signer = SigningKey::from_pkcs8(&active.jwk.kid, &pkcs8).unwrap();
    signer
        .sign_json(&json!({"sub": "00u1", "iss": "test", "ver": 1}))
        .unwrap()
}

/// Verifies `jwt` against a JWKS document the way a client does: find the key by `kid`.
pub fn verify(jwt: &str, jwks: &Value) -> Value {
    let set: JwkSet = serde_json::from_value(jwks.clone()).unwrap();
    let kid = decode_header(jwt).unwrap().kid.unwrap();
    let jwk = set
        .find(&kid)
        .unwrap_or_else(|| panic!("{kid} not in {jwks}"));
    let key = DecodingKey::from_jwk(jwk).unwrap();
    let mut v = Validation::new(Algorithm::RS256);
    v.validate_exp = false;
    v.validate_aud = false;
    v.required_spec_claims.clear();
    decode::<Value>(jwt, &key, &v).unwrap().claims
}

/// The public JWKS of `server_id` (`org` or a custom server).
async fn public_jwks(app: &TestApp, server_id: &str) -> Value {
    let path = if server_id == "org" {
        "/oauth2/v1/keys".to_owned()
    } else {
        format!("/oauth2/{server_id}/v1/keys")
    };
    json(app.anon(Method::GET, &path), 200).await
}

async fn keys_list_get_and_rotate(b: Backend) {
    let Some((app, master, _)) = start(b).await else {
        return;
    };
    let keys = json(app.get(KEYS), 200).await;
    let statuses = kids_by_status(&keys);
    assert_eq!(
        statuses.iter().map(|s| s.0.as_str()).collect::<Vec<_>>(),
        ["ACTIVE", "NEXT"]
    );
    let (active, next) = (statuses[0].1.clone(), statuses[1].1.clone());
    let k = &keys[0];
    assert_eq!(k["kty"], "RSA");
    assert_eq!(k["alg"], "RS256");
    assert_eq!(k["use"], "sig");
    assert_eq!(k["e"], "AQAB");
    assert_eq!(
        active,
        thumbprint(k["n"].as_str().unwrap(), k["e"].as_str().unwrap())
    );
    let self_link = format!("{}{KEYS}/{active}", app.base);
    assert_eq!(k["_links"]["self"]["href"], self_link.as_str());
    assert_eq!(k["_links"]["self"]["hints"]["allow"], json!(["GET"]));
    // Okta's member order.
    let order: Vec<&str> = k.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        order,
        ["kty", "status", "alg", "kid", "use", "_links", "e", "n"]
    );

    let one = json(app.get(&format!("{KEYS}/{next}")), 200).await;
    assert_eq!(one, keys[1]);
    let missing = json(app.get(&format!("{KEYS}/nosuchkid")), 404).await;
    assert_eq!(
        assert_okta_error(&missing, "E0000007"),
        "Not found: Resource not found: nosuchkid (JsonWebKey)"
    );

    // A token signed before the rotation.
    let jwks = public_jwks(&app, "default").await;
    let org = public_jwks(&app, "org").await;
    let old_token = sign_with_active_key(&app, &master, "default").await;
    assert_eq!(verify(&old_token, &jwks)["sub"], "00u1");

    let rotated = json(app.post(ROTATE, &json!({"use": "sig"})), 200).await;
    let after = kids_by_status(&rotated);
    assert_eq!(after.len(), 3);
    assert_eq!(after[0], ("ACTIVE".to_owned(), next.clone()));
    assert_eq!(after[1].0, "NEXT");
    assert_eq!(after[2], ("EXPIRED".to_owned(), active.clone()));
    let fresh = after[1].1.clone();
    assert!(fresh != active && fresh != next);
    assert_eq!(kids_by_status(&json(app.get(KEYS), 200).await), after);

    let jwks = public_jwks(&app, "default").await;
    assert_eq!(jwks["keys"].as_array().unwrap().len(), 3);
    assert_eq!(verify(&old_token, &jwks)["sub"], "00u1");
    let new_token = sign_with_active_key(&app, &master, "default").await;
    assert_eq!(
        decode_header(&new_token).unwrap().kid.as_deref(),
        Some(next.as_str())
    );
    assert_eq!(verify(&new_token, &jwks)["ver"], 1);
    // The org server's keys did not move.
    assert_eq!(public_jwks(&app, "org").await, org);

    // The rotation is in the System Log.
    let logs = json(
        app.get("/api/v1/logs?filter=eventType%20eq%20%22app.oauth2.as.key.rollover%22"),
        200,
    )
    .await;
    assert_eq!(logs.as_array().unwrap().len(), 1);
    assert_eq!(logs[0]["target"][0]["id"], "default");
    assert_eq!(logs[0]["target"][0]["type"], "AuthorizationServer");
    assert!(!logs.to_string().contains(&master.to_hex()));
    app.finish().await;
}

async fn public_jwks_endpoints(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let keys = json(app.get(KEYS), 200).await;
    let statuses = kids_by_status(&keys);
    let (active, next) = (statuses[0].1.clone(), statuses[1].1.clone());
    // The public JWKS: the same keys, without status or links, cacheable.
    let resp = send(app.anon(Method::GET, "/oauth2/default/v1/keys")).await;
    assert_eq!(resp.status(), 200);
    assert_eq!(
        resp.headers()["cache-control"],
        "max-age=3600, must-revalidate"
    );
    let jwks: Value = resp.json().await.unwrap();
    let public: Vec<&str> = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kid"].as_str().unwrap())
        .collect();
    assert_eq!(public, [active.as_str(), next.as_str()]);
    assert!(jwks["keys"][0].get("status").is_none());
    assert!(jwks["keys"][0].get("_links").is_none());
    assert_eq!(jwks["keys"][0]["n"], keys[0]["n"]);

    // The org server has its own keys.
    let org = json(app.anon(Method::GET, "/oauth2/v1/keys?client_id=x"), 200).await;
    let org_kids: Vec<&str> = org["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kid"].as_str().unwrap())
        .collect();
    assert_eq!(org_kids.len(), 2);
    assert!(!org_kids.contains(&active.as_str()));

    let e = json(app.anon(Method::GET, "/oauth2/nope/v1/keys"), 404).await;
    assert_eq!(
        assert_okta_error(&e, "E0000007"),
        "Not found: Resource not found: nope (AuthorizationServer)"
    );
    app.finish().await;
}

async fn custom_servers_have_their_own_keys(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let server = crate::authz::create_server(&app, "Keys").await;
    let id = server["id"].as_str().unwrap().to_owned();
    let keys_path = format!("/api/v1/authorizationServers/{id}/credentials/keys");
    let keys = kids_by_status(&json(app.get(&keys_path), 200).await);
    assert_eq!(keys.len(), 2);
    let signing = &server["credentials"]["signing"];
    assert_eq!(signing["kid"], keys[0].1.as_str());
    let last = signing["lastRotated"].as_str().unwrap();
    assert!(signing["nextRotation"].as_str().unwrap() > last);
    let default_keys = kids_by_status(&json(app.get(KEYS), 200).await);
    assert!(!default_keys.iter().any(|k| k.1 == keys[0].1));

    json(
        app.post(
            &format!("/api/v1/authorizationServers/{id}/credentials/lifecycle/keyRotate"),
            &json!({"use": "sig"}),
        ),
        200,
    )
    .await;
    let got = json(app.get(&format!("/api/v1/authorizationServers/{id}")), 200).await;
    assert_eq!(got["credentials"]["signing"]["kid"], keys[1].1.as_str());
    assert_eq!(
        public_jwks(&app, &id).await["keys"]
            .as_array()
            .unwrap()
            .len(),
        3
    );

    // Deleting the server deletes its keys.
    let path = format!("/api/v1/authorizationServers/{id}");
    assert_eq!(send(app.delete(&path)).await.status(), 204);
    let store = app.open_store().await;
    assert!(store.keys(&id).await.unwrap().is_empty());
    store.close().await;
    app.finish().await;
}

async fn rotation_errors_and_unknown_servers(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    for body in [json!({"use": "enc"}), json!({}), json!({"use": 1})] {
        let e = json(app.post(ROTATE, &body), 400).await;
        assert_eq!(
            assert_okta_error(&e, "E0000001"),
            "Api validation failed: rotateKeys"
        );
        assert_eq!(
            e["errorCauses"],
            json!([{"errorSummary": "Invalid value specified for key 'use' parameter."}])
        );
    }
    // Nothing rotated.
    assert_eq!(json(app.get(KEYS), 200).await.as_array().unwrap().len(), 2);

    let summary = "Not found: Resource not found: nope (AuthorizationServer)";
    for (method, path) in [
        (
            Method::GET,
            "/api/v1/authorizationServers/nope/credentials/keys",
        ),
        (
            Method::GET,
            "/api/v1/authorizationServers/nope/credentials/keys/k",
        ),
        (
            Method::GET,
            "/api/v1/authorizationServers/org/credentials/keys",
        ),
    ] {
        let e = json(app.req(method, path), 404).await;
        assert!(assert_okta_error(&e, "E0000007").starts_with("Not found: Resource not found: "));
    }
    let e = json(
        app.post(
            "/api/v1/authorizationServers/nope/credentials/lifecycle/keyRotate",
            &json!({"use": "sig"}),
        ),
        404,
    )
    .await;
    assert_eq!(assert_okta_error(&e, "E0000007"), summary);
    // Admin endpoints need the token; the public JWKS does not.
    assert_eq!(send(app.anon(Method::GET, KEYS)).await.status(), 403);
    app.finish().await;
}

async fn keys_survive_a_restart_and_need_their_master_key(b: Backend) {
    let Some((mut app, _, settings)) = start(b).await else {
        return;
    };
    let before = public_jwks(&app, "default").await;
    let org_before = public_jwks(&app, "org").await;
    app.restart().await;
    assert_eq!(public_jwks(&app, "default").await, before);
    assert_eq!(public_jwks(&app, "org").await, org_before);

    let mut wrong = settings.clone();
    wrong.master_key = Some(MasterKey::generate());
    let err = match Server::bind(wrong, Clock::System).await {
        Ok(_) => panic!("a wrong master key must not start"),
        Err(e) => format!("{e:#}"),
    };
    assert!(err.contains("TOLLGATE_MASTER_KEY"), "{err}");
    assert!(err.contains("could not be decrypted"), "{err}");
    app.finish().await;
}

#[tokio::test]
async fn sqlite_without_a_master_key_uses_a_key_file() {
    let Some(mut app) = TestApp::start_with(Backend::Sqlite, |s| s.master_key = None).await else {
        return;
    };
    let before = public_jwks(&app, "default").await;
    app.restart().await;
    assert_eq!(public_jwks(&app, "default").await, before);
    app.finish().await;
}

#[tokio::test]
async fn postgres_without_a_master_key_refuses_to_start() {
    let settings = Settings::new(
        "127.0.0.1:0".parse().unwrap(),
        "postgres://nobody@127.0.0.1:1/none".parse().unwrap(),
    );
    let err = match Server::bind(settings, Clock::System).await {
        Ok(_) => panic!("PostgreSQL without a master key must not start"),
        Err(e) => format!("{e:#}"),
    };
    assert!(err.contains("TOLLGATE_MASTER_KEY is not set"), "{err}");
}
