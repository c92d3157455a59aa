//! Logins: compared case-insensitively after NFC normalisation, with invisible and control
//! characters refused; and the files holding secrets (SQLite database, WAL, export) private.

use reqwest::Method;
use serde_json::{Value, json};

use crate::backend_tests;
use crate::support::{Backend, TestApp, assert_okta_error, json};

backend_tests!(logins_are_normalised_and_refuse_invisible_characters);

const PASSWORD: &str = "Tollgate-2026";

fn new_user(login: &str) -> Value {
    json!({
        "profile": {"firstName": "Zoë", "lastName": "Lee", "email": "zoe@example.com", "login": login},
        "credentials": {"password": {"value": PASSWORD}}
    })
}

/// A path segment with everything but unreserved characters percent-encoded.
fn segment(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn logins_are_normalised_and_refuse_invisible_characters(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let ann = json(app.post("/api/v1/users", &new_user("Ann@Example.com")), 200).await;
    let ann_id = ann["id"].as_str().unwrap();
    let found = json(app.get("/api/v1/users/ann%40example.com"), 200).await;
    assert_eq!(found["id"], ann_id);

    // "Zoë" composed (U+00EB) at creation, looked up decomposed (e + U+0308) and upper-case.
    let zoe = json(
        app.post("/api/v1/users", &new_user("Zo\u{eb}@Example.com")),
        200,
    )
    .await;
    let zoe_id = zoe["id"].as_str().unwrap();
    for form in [
        "zo\u{eb}@example.com",
        "Zoe\u{308}@Example.com",
        "ZOE\u{308}@EXAMPLE.COM",
    ] {
        let found = json(app.get(&format!("/api/v1/users/{}", segment(form))), 200).await;
        assert_eq!(found["id"], zoe_id, "{form:?}");
    }
    // The decomposed form is the same login: a second user cannot take it.
    let dup = json(
        app.post("/api/v1/users", &new_user("zoe\u{308}@example.com")),
        400,
    )
    .await;
    assert_okta_error(&dup, "E0000001");
    // A login typed decomposed is stored composed.
    let nfd = json(
        app.post("/api/v1/users", &new_user("Jose\u{301}@example.com")),
        200,
    )
    .await;
    assert_eq!(nfd["profile"]["login"], "Jos\u{e9}@example.com");
    // Sign-in finds the user by any of the forms.
    let signed_in = json(
        app.anon(Method::POST, "/api/v1/authn")
            .json(&json!({"username": "ZOE\u{308}@example.com", "password": PASSWORD})),
        200,
    )
    .await;
    assert_eq!(signed_in["_embedded"]["user"]["id"], zoe_id);

    for bad in [
        "ann\u{200b}@example.com",
        "ann\u{202e}moc.elpmaxe@x.com",
        "ann\u{0}@example.com",
        "ann\u{7}@example.com",
        "\u{feff}bob@example.com",
    ] {
        let body = json(app.post("/api/v1/users", &new_user(bad)), 400).await;
        assert_okta_error(&body, "E0000001");
        let causes = body["errorCauses"].to_string();
        assert!(causes.contains("login"), "{bad:?}: {body}");
    }
    // A profile update is held to the same rule.
    let update = json(
        app.post(
            &format!("/api/v1/users/{ann_id}"),
            &json!({"profile": {"login": "ann\u{200d}@example.com"}}),
        ),
        400,
    )
    .await;
    assert_okta_error(&update, "E0000001");
    app.finish().await;
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn database_wal_and_export_files_are_private() {
    use std::os::unix::fs::PermissionsExt;

    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("private.db");
    let url: tollgate_store::DatabaseUrl = format!("sqlite://{}", db.display()).parse().unwrap();
    let store = tollgate_store::Store::connect(&url).await.unwrap();
    store
        .bootstrap(tollgate_core::Clock::System.now(), Some("admin"))
        .await
        .unwrap();
    assert_eq!(mode(&db), 0o600, "database");
    let wal = dir.path().join("private.db-wal");
    let shm = dir.path().join("private.db-shm");
    assert_eq!(mode(&wal), 0o600, "WAL");
    assert_eq!(mode(&shm), 0o600, "shared memory");
    store.close().await;

    let out = dir.path().join("org.yaml");
    // An existing, readable file is tightened before the secrets go in.
    std::fs::write(&out, "old").unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o644)).unwrap();
    let status = crate::process::binary()
        .args(["export", "--output"])
        .arg(&out)
        .arg("--database-url")
        .arg(format!("sqlite://{}", db.display()))
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(mode(&out), 0o600, "export");
    assert_ne!(std::fs::read_to_string(&out).unwrap(), "old");
}
