//! HTTPS as a user runs it: `dev-cert`, then `serve --demo --tls-cert/--tls-key` with a client
//! that trusts only the printed CA; an https issuer and a `Secure` session cookie; SIGHUP picks up a new certificate, a bad one keeps the old, and
//! plain HTTP on the TLS port is told to use https without harming the server.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;

use crate::cli::terminate;
use crate::process::tollgate;
use crate::support::json;

/// Runs `dev-cert --dir certs` in `dir` and checks what it printed.
fn dev_cert(dir: &Path) {
    let out = tollgate(dir)
        .args(["dev-cert", "--dir", "certs"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let ca = dir.join("certs").join("ca.pem");
    for var in [
        "SSL_CERT_FILE",
        "NODE_EXTRA_CA_CERTS",
        "REQUESTS_CA_BUNDLE",
        "CURL_CA_BUNDLE",
    ] {
        let line = format!("export {var}={}", ca.display());
        assert!(stdout.contains(&line), "{line} in {stdout}");
    }
}

/// The leaf certificate of a PEM file, as DER.
fn leaf_in(path: &Path) -> Vec<u8> {
    CertificateDer::pem_file_iter(path)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .to_vec()
}

/// The server process, killed when the test ends, also by a failed assertion (a leaked server
/// would keep its port and inherited file descriptors).
struct Serving(Child);

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `serve` over TLS; gives the child, its base URL and its log lines.
fn start_tls_serve(dir: &Path) -> (Child, String, Receiver<String>) {
    let db = format!("sqlite://{}", dir.join("t.db").display());
    let mut child = tollgate(dir)
        .args([
            "serve",
            "--demo",
            "--create",
            "--listen",
            "127.0.0.1:0",
            "--database-url",
            &db,
        ])
        .args([
            "--tls-cert",
            "certs/localhost.pem",
            "--tls-key",
            "certs/localhost-key.pem",
        ])
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (tx, logs) = channel();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut base = None;
    for line in lines.by_ref() {
        let line = line.unwrap();
        if let Some(rest) = line.split("listening on ").nth(1) {
            base = Some(rest.trim().to_owned());
        }
        if line.contains("org issuer") {
            break;
        }
    }
    std::thread::spawn(move || for _ in lines {});
    (child, base.expect("a listening line"), logs)
}

/// The demo user's session cookie, as `POST /api/v1/sessions` sets it.
async fn session_cookie(dir: &Path, base: &str) -> String {
    let client = client(dir);
    let authn = json(
        client
            .post(format!("{base}/api/v1/authn"))
            .json(&serde_json::json!({
                "username": "annie.jackson@acme.com", "password": "Tollgate-Demo-2026"
            })),
        200,
    )
    .await;
    let body = serde_json::json!({"sessionToken": authn["sessionToken"]});
    let resp = client
        .post(format!("{base}/api/v1/sessions"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let cookie = resp.headers()["set-cookie"].to_str().unwrap();
    cookie.to_owned()
}

/// Waits for a log line containing `needle`.
fn wait_for_log(logs: &Receiver<String>, needle: &str) -> String {
    loop {
        let line = logs
            .recv_timeout(Duration::from_secs(30))
            .unwrap_or_else(|e| panic!("no log line with {needle:?}: {e}"));
        if line.contains(needle) {
            return line;
        }
    }
}

fn sighup(child: &Child) {
    let status = std::process::Command::new("kill")
        .args(["-HUP", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
}

/// A client trusting only the dev CA; new for each call, so every call makes a new handshake.
fn client(dir: &Path) -> reqwest::Client {
    let ca = std::fs::read(dir.join("certs").join("ca.pem")).unwrap();
    reqwest::Client::builder()
        .tls_certs_only([reqwest::Certificate::from_pem(&ca).unwrap()])
        .tls_info(true)
        .build()
        .unwrap()
}

/// The certificate the server presents on a new connection.
async fn served_leaf(dir: &Path, base: &str) -> Vec<u8> {
    let resp = client(dir)
        .get(format!("{base}/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let info = resp.extensions().get::<reqwest::tls::TlsInfo>().unwrap();
    info.peer_certificate().unwrap().to_vec()
}

#[tokio::test]
async fn https_with_a_dev_cert_reloads_on_sighup_and_refuses_plain_http() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    dev_cert(dir);
    let cert_file = dir.join("certs").join("localhost.pem");
    let first = leaf_in(&cert_file);
    let (child, base, logs) = start_tls_serve(dir);
    let mut child = Serving(child);
    let port = base
        .strip_prefix("https://127.0.0.1:")
        .expect("an https base");

    // The issuer and every endpoint are https without --public-url.
    let discovery_url = format!("{base}/oauth2/default/.well-known/openid-configuration");
    let discovery = json(client(dir).get(discovery_url), 200).await;
    assert_eq!(discovery["issuer"], format!("{base}/oauth2/default"));
    assert_eq!(
        discovery["jwks_uri"],
        format!("{base}/oauth2/default/v1/keys")
    );
    // The caller's address reaches the access log over TLS as over plain HTTP.
    let access = wait_for_log(&logs, "openid-configuration");
    assert!(access.contains("client_ip=127.0.0.1 "), "{access}");
    assert_eq!(served_leaf(dir, &base).await, first);
    // An https public URL makes the session cookie Secure (and SameSite=None, as on Okta).
    let cookie = session_cookie(dir, &base).await;
    assert!(
        cookie.starts_with("sid=") && cookie.contains("; Secure; SameSite=None"),
        "{cookie}"
    );

    // A damaged certificate file: the reload is refused and the old certificate stays.
    std::fs::write(&cert_file, "not a certificate").unwrap();
    sighup(&child.0);
    let line = wait_for_log(&logs, "SIGHUP");
    assert!(
        line.contains("ERROR")
            && line.contains("kept the TLS certificate")
            && line.contains("localhost.pem"),
        "{line}"
    );
    assert_eq!(served_leaf(dir, &base).await, first);

    // A new certificate from the same CA: served after SIGHUP on the same listener.
    dev_cert(dir);
    let second = leaf_in(&cert_file);
    assert_ne!(second, first);
    sighup(&child.0);
    let line = wait_for_log(&logs, "SIGHUP");
    assert!(line.contains("reloaded the TLS certificate"), "{line}");
    assert_eq!(served_leaf(dir, &base).await, second);

    // Plain HTTP on the TLS port is told to use https, and the server carries on.
    let plain = reqwest::Client::new()
        .get(format!("http://127.0.0.1:{port}/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(plain.status(), 400);
    let text = plain.text().await.unwrap();
    assert!(text.contains("use https://"), "{text}");
    assert_eq!(served_leaf(dir, &base).await, second);

    assert!(terminate(&mut child.0).success());
}
