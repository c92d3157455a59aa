//! `tollgate token decode`: header and payload as JSON, and the RS256 signature checked against
//! the issuer's published keys (a custom server's `{iss}/v1/keys`); a signature that is invalid
//! or cannot be checked exits non-zero. `tollgate token get` is in [`get`].

mod get;

use serde_json::json;
use tollgate::keys::Keyring;
use tollgate_core::Clock;
use tollgate_core::token::sealed::MasterKey;

use crate::support::{Backend, TestApp};

fn decode(args: &[&str]) -> (bool, String) {
    let out = crate::process::binary()
        .args(["token", "decode"])
        .args(args)
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

    let (ok, text) = decode(&[&jwt]);
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

    assert!(
        text.contains("the issuer is the token's own iss claim"),
        "{text}"
    );
    // Pinned: the token's iss must be that issuer.
    let (ok, text) = decode(&["--issuer", &iss, &jwt]);
    assert!(ok && !text.contains("own iss claim"), "{text}");
    let other = format!("{}/oauth2/aus_other", app.base);
    let (ok, text) = decode(&["--issuer", &other, &jwt]);
    assert!(!ok, "{text}");
    assert!(
        text.contains(&format!(
            "the signature is invalid: the token's issuer \"{iss}\" is not \"{other}\" (--issuer)"
        )),
        "{text}"
    );
    // The expiry is said in words, with whether it has passed.
    let expired = keys
        .sign_json(&json!({"iss": iss, "sub": "x", "exp": 1_513_815_878}))
        .unwrap();
    let (ok, text) = decode(&[&expired]);
    assert!(ok, "{text}");
    assert!(
        text.contains("expires: 2017-12-21T00:24:38Z (EXPIRED "),
        "{text}"
    );

    // A whole redirect URL: each token in its fragment is decoded and checked.
    let url =
        format!("https://example.com/oauth2/callback#id_token={jwt}&access_token={jwt}&state=s");
    let (ok, text) = decode(&[&url]);
    assert!(ok, "{text}");
    assert!(
        text.starts_with("id_token:\n") && text.contains("\naccess_token:\n"),
        "{text}"
    );
    assert_eq!(text.matches("signature: verified").count(), 2, "{text}");

    // A changed payload keeps the header and signature but no longer verifies.
    let parts: Vec<&str> = jwt.split('.').collect();
    let forged = b64(&json!({"iss": iss, "sub": "00u5t60iloOHN9pBi0h7", "groups": ["Admins"]}));
    let tampered = format!("{}.{forged}.{}", parts[0], parts[2]);
    let (ok, text) = decode(&[&tampered]);
    assert!(!ok, "{text}");
    assert!(
        text.contains("error: token decode: the signature is invalid: the signature does not match the issuer's key"),
        "{text}"
    );
    let (ok, text) = decode(&["--no-verify", &tampered]);
    assert!(ok, "{text}");
    assert!(
        text.contains("signature: not checked (--no-verify)"),
        "{text}"
    );

    // A key the issuer does not publish, and an issuer that cannot be reached: not checked.
    let unknown_kid = format!(
        "{}.{}.{}",
        b64(&json!({"alg": "RS256", "kid": "gone"})),
        parts[1],
        parts[2]
    );
    let (ok, text) = decode(&[&unknown_kid]);
    assert!(
        !ok && text.contains("could not be checked: the issuer publishes no key \"gone\""),
        "{text}"
    );
    let offline = keys
        .sign_json(&json!({"iss": "http://127.0.0.1:1/oauth2/default", "sub": "x"}))
        .unwrap();
    let (ok, text) = decode(&[&offline]);
    assert!(!ok, "{text}");
    assert!(
        text.contains("could not be checked: cannot fetch the issuer's keys from http://127.0.0.1:1/oauth2/default/v1/keys"),
        "{text}"
    );

    let stranger = keys
        .sign_json(&json!({"iss": format!("{}/oauth2/nope", app.base), "sub": "x"}))
        .unwrap();
    let (ok, text) = decode(&[&stranger]);
    assert!(
        !ok && text.contains("/oauth2/nope/v1/keys answered 404 Not Found"),
        "{text}"
    );

    let (ok, text) = decode(&["not-a-jwt"]);
    assert!(!ok && text.contains("three dot-separated parts"), "{text}");
    store.close().await;
    app.finish().await;
}

fn b64(value: &serde_json::Value) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(value.to_string())
}
