//! `tollgate token get` against the seed scenario's org: the code flow with PKCE through a
//! loopback redirect (a public client) and with a client secret, the implicit flow, and every
//! refusal as one line on standard error.

use std::io::{BufRead, BufReader};
use std::process::{ChildStderr, Output, Stdio};

use reqwest::Method;
use serde_json::json;
use tollgate_core::Clock;

use crate::oauth::verified;
use crate::support::{Backend, TestApp, json as json_of};

const ANNIE: &str = "annie.jackson@acme.com";
const PASSWORD: &str = "Tollgate-Demo-2026";
const SEED_CLIENT: &str = "0oabskvc6442nkvQO0h7";
const SEED_SECRET: &str = "demo-client-secret-0oabskvc6442nkvQO0h7";
const SEED_REDIRECT: &str = "https://example.com/oauth2/callback";
const PUBLIC_CLIENT: &str = "cli-public-client";

/// The seed scenario, plus a public native app (PKCE, no secret) whose one redirect URI is
/// `loopback`, with the seed app's group allow-list.
async fn seeded(app: &TestApp, loopback: &str) {
    let store = app.open_store().await;
    let seed = include_str!("../../../../../examples/seed-scenario.yaml");
    let public = format!(
        "apps:\n  - label: CLI\n    client_id: {PUBLIC_CLIENT}\n    token_endpoint_auth_method: none\n    settings:\n      application_type: native\n      redirect_uris: [\"{loopback}\"]\n      response_types: [code]\n      grant_types: [authorization_code]\n    profile:\n      groupwhitelist: [00gbso71miOMjxHRW0h7]\n    assignments:\n      users: [annie.jackson@acme.com]\n"
    );
    for (name, text) in [("seed", seed), ("public", public.as_str())] {
        let org = tollgate::orgfile::parse(name, text).unwrap();
        tollgate::orgfile::apply(&store, name, &org, false, "apply", Clock::System.now())
            .await
            .unwrap();
    }
    store.close().await;
}

/// `tollgate token get` as annie with `args` added.
fn get(issuer: &str, args: &[&str]) -> Output {
    get_as(issuer, ANNIE, PASSWORD, args)
}

/// `tollgate token get` as `user` (password from the environment) with `args` added.
fn get_as(issuer: &str, user: &str, password: &str, args: &[&str]) -> Output {
    crate::process::binary()
        .args(["token", "get", "--issuer", issuer, "--username", user])
        .args(args)
        .env("TOLLGATE_PASSWORD", password)
        .output()
        .unwrap()
}

/// Standard output, once the command succeeded.
fn succeeded(out: &Output) -> String {
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}{stderr}");
    stdout
}

/// The one line of standard error, once the command failed with nothing on standard output.
fn refused(out: &Output) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!out.status.success(), "{stderr}");
    assert!(
        out.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    stderr.trim_end().to_owned()
}

/// The token printed as `name: TOKEN`.
fn printed<'a>(stdout: &'a str, name: &str) -> &'a str {
    stdout
        .lines()
        .find_map(|l| l.strip_prefix(&format!("{name}: ")))
        .unwrap_or_else(|| panic!("no {name} in {stdout}"))
}

/// The URL the command prints for a browser on standard error (which is drained after it).
fn printed_url(stderr: ChildStderr) -> String {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines() {
            let line = line.unwrap();
            if line.trim_start().starts_with("http") {
                tx.send(line.trim().to_owned()).unwrap();
            }
        }
    });
    rx.recv().unwrap()
}

/// A free port below Linux's ephemeral range (32768 and up), so that no server or outgoing
/// connection of the tests running alongside can be given it between this check and the
/// command's own bind.
fn free_port() -> u16 {
    use std::hash::{BuildHasher, RandomState};
    let random = RandomState::new();
    (0u64..)
        .map(|i| 20_000 + (random.hash_one(i) % 12_000) as u16)
        .find(|&port| std::net::TcpListener::bind(("127.0.0.1", port)).is_ok())
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_runs_the_code_flow_with_pkce_for_public_and_confidential_clients() {
    let app = TestApp::start(Backend::Sqlite).await.unwrap();
    let loopback = format!("http://127.0.0.1:{}/callback", free_port());
    seeded(&app, &loopback).await;
    let issuer = format!("{}/oauth2/default", app.base);

    // The default flow is the code flow; a public client must use PKCE, so this succeeding
    // proves the challenge and verifier were sent. The code arrives at the CLI's listener.
    let out = get(
        &issuer,
        &["--client-id", PUBLIC_CLIENT, "--redirect-uri", &loopback],
    );
    let stdout = succeeded(&out);
    let id_token = printed(&stdout, "id_token");
    let claims = verified(&app, "/oauth2/default/v1", id_token).await;
    assert_eq!(claims["sub"], "00u5t60iloOHN9pBi0h7");
    assert_eq!(claims["aud"], PUBLIC_CLIENT);
    assert_eq!(claims["iss"], issuer);
    assert!(claims["nonce"].is_string(), "{claims}");
    // As on Okta, the code flow's ID token leaves the groups claim to userinfo; the access
    // token carries it.
    let access = verified(&app, "/oauth2/default/v1", printed(&stdout, "access_token")).await;
    assert_eq!(access["cid"], PUBLIC_CLIENT);
    assert_eq!(access["groups"], json!(["WestCoastDivision"]));
    assert_eq!(stdout.matches("signature: verified").count(), 2, "{stdout}");

    // Without --username the authorize URL is printed for a browser. The test is the browser:
    // it arrives signed in (a session token) and follows the redirect to the listener.
    let mut child = crate::process::binary()
        .args([
            "token",
            "get",
            "--issuer",
            &issuer,
            "--client-id",
            PUBLIC_CLIENT,
        ])
        .args(["--redirect-uri", &loopback])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let url = printed_url(child.stderr.take().unwrap());
    assert!(url.contains("code_challenge_method=S256"), "{url}");
    let authn = json!({"username": ANNIE, "password": PASSWORD});
    let session = json_of(app.anon(Method::POST, "/api/v1/authn").json(&authn), 200).await;
    let browser = reqwest::get(format!(
        "{url}&sessionToken={}",
        session["sessionToken"].as_str().unwrap()
    ));
    let page = browser.await.unwrap().text().await.unwrap();
    assert!(page.contains("Signed in."), "{page}");
    let stdout = succeeded(&child.wait_with_output().unwrap());
    let claims = verified(&app, "/oauth2/default/v1", printed(&stdout, "id_token")).await;
    assert_eq!(claims["sub"], "00u5t60iloOHN9pBi0h7");

    // Port 0 listens on a free port, which an exact-match server does not know.
    let line = refused(&get(
        &issuer,
        &[
            "--client-id",
            PUBLIC_CLIENT,
            "--redirect-uri",
            "http://127.0.0.1:0/callback",
        ],
    ));
    assert!(
        line.starts_with(
            "error: token get: the server refused the redirect URI \"http://127.0.0.1:"
        ) && line.contains("port 0 picks a free port"),
        "{line}"
    );

    // A confidential client sends its secret the way it registered (client_secret_post);
    // a redirect URI that is not loopback is read from the redirect, never visited.
    let confidential = ["--client-id", SEED_CLIENT, "--redirect-uri", SEED_REDIRECT];
    let out = get(
        &issuer,
        &[
            &confidential[..],
            &[
                "--client-secret",
                SEED_SECRET,
                "--client-auth",
                "client_secret_post",
            ],
        ]
        .concat(),
    );
    let stdout = succeeded(&out);
    let claims = verified(&app, "/oauth2/default/v1", printed(&stdout, "id_token")).await;
    assert_eq!(claims["aud"], SEED_CLIENT);
    let access = verified(&app, "/oauth2/default/v1", printed(&stdout, "access_token")).await;
    assert_eq!(access["cid"], SEED_CLIENT);
    let line = refused(&get(
        &issuer,
        &[&confidential[..], &["--client-secret", SEED_SECRET]].concat(),
    ));
    assert!(
        line.starts_with(&format!(
            "error: token get: the token endpoint refused the client credentials of \"{SEED_CLIENT}\": invalid_client (Client authentication failed."
        )),
        "{line}"
    );
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_runs_the_implicit_flow_and_says_in_one_line_what_was_refused() {
    let app = TestApp::start(Backend::Sqlite).await.unwrap();
    seeded(&app, "http://127.0.0.1:1/callback").await;
    let issuer = format!("{}/oauth2/default", app.base);
    let implicit = [
        "--flow",
        "implicit",
        "--client-id",
        SEED_CLIENT,
        "--redirect-uri",
        SEED_REDIRECT,
    ];
    let stdout = succeeded(&get(&issuer, &implicit));
    let claims = verified(&app, "/oauth2/default/v1", printed(&stdout, "id_token")).await;
    assert_eq!(claims["groups"], json!(["WestCoastDivision"]));
    assert!(stdout.contains("signature: verified"), "{stdout}");

    // The authorize endpoint answers an unknown client id with an HTML page.
    let line = refused(&get(
        &issuer,
        &["--client-id", "abc", "--redirect-uri", SEED_REDIRECT],
    ));
    assert_eq!(
        line,
        "error: token get: the server refused the client id \"abc\": invalid_client (Invalid value for 'client_id' parameter.)"
    );
    // Before sending a browser anywhere, the command asks the server itself.
    let browser = crate::process::binary()
        .args(["token", "get", "--issuer", &issuer, "--client-id", "abc"])
        .args([
            "--redirect-uri",
            &format!("http://127.0.0.1:{}/cb", free_port()),
        ])
        .output()
        .unwrap();
    assert!(refused(&browser).contains("refused the client id \"abc\": invalid_client"));
    let line = refused(&get(
        &issuer,
        &[
            "--client-id",
            SEED_CLIENT,
            "--redirect-uri",
            "https://evil.example/cb",
        ],
    ));
    assert!(
        line.starts_with("error: token get: the server refused the redirect URI \"https://evil.example/cb\": invalid_request ("),
        "{line}"
    );
    // A user the app is not assigned to: an OAuth error in the redirect.
    let line = refused(&get_as(&issuer, "bob.lee@acme.com", PASSWORD, &implicit));
    assert!(
        line.starts_with(
            "error: token get: the authorize endpoint refused the request: access_denied ("
        ),
        "{line}"
    );
    let out = get_as(&issuer, ANNIE, "wrong-Password-1", &implicit);
    assert_eq!(
        refused(&out),
        "error: token get: sign-in failed for \"annie.jackson@acme.com\": E0000004 (Authentication failed)"
    );
    app.finish().await;
}
