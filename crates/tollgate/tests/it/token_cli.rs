//! `tollgate token decode`: header and payload as JSON, and the RS256 signature checked against
//! the issuer's published keys (a custom server's `{iss}/v1/keys`).

use std::process::Command;

use serde_json::json;
use tollgate::keys::Keyring;
use tollgate_core::Clock;
use tollgate_core::token::sealed::MasterKey;

use crate::support::{Backend, TestApp};

fn decode(arg: &str) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_tollgate"))
        .args(["token", "decode", arg])
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn decode_prints_the_token_and_verifies_it_against_the_issuer_keys() {
    let master = MasterKey::generate();
    let key = master.clone();
    let app = TestApp::start_with(Backend::Sqlite, move |s| s.master_key = Some(key))
        .await
        .unwrap();
    let store = app.open_store().await;
    let keyring = Keyring::new(store.clone(), master, Clock::System);
    let keys = keyring.key_set("default").await.unwrap();
    let iss = format!("{}/oauth2/default", app.base);
    let jwt = keys
        .sign_json(
            &json!({"iss": iss, "sub": "00u5t60iloOHN9pBi0h7", "groups": ["WestCoastDivision"]}),
        )
        .unwrap();

    let (ok, text) = decode(&jwt);
    assert!(ok, "{text}");
    assert!(
        text.contains("\"groups\": [\n    \"WestCoastDivision\"\n  ]"),
        "{text}"
    );
    assert!(text.contains("\"alg\": \"RS256\""), "{text}");
    assert!(
        text.contains(&format!("signature: verified (RS256, key {}", keys.kid())),
        "{text}"
    );

    // A changed payload keeps the header and signature but no longer verifies.
    let mut parts: Vec<String> = jwt.split('.').map(str::to_owned).collect();
    parts[1] = parts[1].chars().rev().collect();
    let (_, text) = decode(&parts.join("."));
    assert!(!text.contains("verified (RS256"), "{text}");

    let (ok, text) = decode("not-a-jwt");
    assert!(!ok && text.contains("three dot-separated parts"), "{text}");
    store.close().await;
    app.finish().await;
}

/// `tollgate token get` against the demo org: it signs in and runs the implicit flow; the ID
/// token carries the whitelisted group and verifies.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_signs_in_and_runs_the_implicit_flow() {
    let app = TestApp::start(Backend::Sqlite).await.unwrap();
    let store = app.open_store().await;
    let seed = include_str!("../../../../examples/seed-scenario.yaml");
    let org = tollgate::orgfile::parse("seed", seed).unwrap();
    tollgate::orgfile::apply(&store, "seed", &org, false, "apply", Clock::System.now())
        .await
        .unwrap();
    let issuer = format!("{}/oauth2/default", app.base);
    let get = |password: &str| {
        Command::new(env!("CARGO_BIN_EXE_tollgate"))
            .args([
                "token",
                "get",
                "--issuer",
                &issuer,
                "--client-id",
                "0oabskvc6442nkvQO0h7",
                "--username",
                "annie.jackson@acme.com",
                "--password",
                password,
                "--redirect-uri",
                "https://example.com/oauth2/callback",
            ])
            .output()
            .unwrap()
    };
    let out = get("Tollgate-Demo-2026");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{text}");
    assert!(text.contains("id_token: "), "{text}");
    assert!(text.contains("\"WestCoastDivision\""), "{text}");
    assert!(text.contains("signature: verified"), "{text}");
    let out = get("wrong-Password-1");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("sign-in failed"));
    store.close().await;
    app.finish().await;
}
