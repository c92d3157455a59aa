//! Metrics and logs of the real binary: `tollgate serve --log-format json` with `/metrics` on
//! its own listener, driven through a known sequence of requests. A child process has its own
//! metrics recorder, so every count is exact.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use crate::oauth::PASSWORD;
use crate::oauth::cache::{service, token};
use crate::support::{TestApp, assert_okta_error, json, send};

const TOKEN: &str = "observability-test-admin-token";
const REQUEST_ID: &str = "obs-req-0001:trace.A_b";

/// A `tollgate serve` child process; killed when dropped.
struct Serve {
    child: Child,
    base: String,
    metrics: String,
    stderr: Arc<Mutex<Vec<String>>>,
    _dir: tempfile::TempDir,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Serve {
    fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("settings.toml"),
            "lockout_attempts = 2\nrate_limit_anonymous_per_minute = 2\n\n\
             [observability]\nmetrics_listen = \"127.0.0.1:0\"\n\
             trusted_proxies = [\"127.0.0.1\"]\n",
        )
        .unwrap();
        let mut child = crate::process::binary()
            .current_dir(dir.path())
            .env("TOLLGATE_MASTER_KEY", "ab".repeat(32))
            .env("RUST_LOG", "info")
            .args(["serve", "--listen", "127.0.0.1:0", "--log-format", "json"])
            .args(["--config", "settings.toml", "--bootstrap-token", TOKEN])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let (mut base, mut metrics) = (None, None);
        for line in lines.by_ref() {
            let line = line.unwrap();
            if let Some(rest) = line.split("listening on ").nth(1) {
                base = Some(rest.trim().to_owned());
            }
            if let Some(rest) = line.trim().strip_prefix("metrics:") {
                metrics = Some(rest.trim().to_owned());
                break;
            }
        }
        std::thread::spawn(move || for _ in lines {});
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&stderr);
        let err = BufReader::new(child.stderr.take().unwrap());
        std::thread::spawn(move || {
            for line in err.lines().map_while(Result::ok) {
                sink.lock().unwrap().push(line);
            }
        });
        Self {
            child,
            base: base.expect("a listening line"),
            metrics: metrics.expect("a metrics line"),
            stderr,
            _dir: dir,
        }
    }

    /// The first stderr line containing `needle`, waiting up to 10 s for the writer.
    async fn log_line(&self, needle: &str) -> String {
        for _ in 0..200 {
            if let Some(line) = self
                .stderr
                .lock()
                .unwrap()
                .iter()
                .find(|l| l.contains(needle))
            {
                return line.clone();
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "no log line with {needle}: {:?}",
            self.stderr.lock().unwrap()
        );
    }
}

/// `name{labels} value` lines of a scrape, by `name{labels}`.
fn samples(text: &str) -> HashMap<String, f64> {
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| l.rsplit_once(' '))
        .map(|(k, v)| (k.to_owned(), v.parse().unwrap()))
        .collect()
}

async fn authn(app: &TestApp, username: &str, password: &str, status: u16) -> reqwest::Response {
    let resp = send(
        app.anon(Method::POST, "/api/v1/authn")
            .header("X-Request-Id", REQUEST_ID)
            .json(&json!({"username": username, "password": password})),
    )
    .await;
    assert_eq!(resp.status(), status);
    resp
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_known_sequence_shows_in_metrics_json_logs_and_the_system_log() {
    let serve = Serve::start();
    let app = TestApp::attach(serve.base.clone(), TOKEN.to_owned());
    // With its own listener, /metrics is not on the main one.
    assert_eq!(send(app.anon(Method::GET, "/metrics")).await.status(), 404);

    // Three client-credentials tokens from a custom server.
    let service = service(&app).await;
    let sid = service.sid.clone();
    for _ in 0..3 {
        assert_eq!(token(&app, &app.base, &service).await.0, 200);
    }

    // Sign-ins: a success, two wrong passwords (the policy locks at two), the right password
    // on the locked account, an unknown login.
    let login = "obs@acme.com";
    json(
        app.post(
            "/api/v1/users?activate=true",
            &json!({"profile": {"firstName": "O", "lastName": "B", "email": login, "login": login},
                    "credentials": {"password": {"value": PASSWORD}}}),
        ),
        200,
    )
    .await;
    authn(&app, login, PASSWORD, 200).await;
    authn(&app, login, "wrong-1", 401).await;
    authn(&app, login, "wrong-2", 401).await;
    authn(&app, login, PASSWORD, 401).await;
    let resp = authn(&app, "nobody@acme.com", "whatever", 401).await;
    assert_eq!(resp.headers()["x-request-id"], REQUEST_ID);
    assert_eq!(resp.headers()["x-okta-request-id"], REQUEST_ID);

    // Anonymous calls over their budget of two (the 404 for /metrics above was the first).
    for status in [200, 429] {
        let resp = send(app.anon(Method::GET, "/.well-known/openid-configuration")).await;
        assert_eq!(resp.status(), status);
    }

    // The caller's request id is the System Log's transaction id.
    let events = json(
        app.get("/api/v1/logs?filter=eventType%20eq%20%22user.session.start%22&limit=100"),
        200,
    )
    .await;
    let unknown: Vec<&Value> = events
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["actor"]["alternateId"] == "nobody@acme.com")
        .collect();
    assert_eq!(unknown.len(), 1, "{events}");
    assert_eq!(unknown[0]["transaction"]["id"], REQUEST_ID);

    check_metrics(&serve, &sid).await;
    check_json_logs(&serve).await;
}

async fn check_metrics(serve: &Serve, sid: &str) {
    let resp = reqwest::get(&serve.metrics).await.unwrap();
    assert_eq!(resp.status(), 200);
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain; version=0.0.4")
    );
    let text = resp.text().await.unwrap();
    // Anything else on the metrics listener is Okta's 404.
    let elsewhere = reqwest::get(serve.metrics.replace("/metrics", "/api/v1/users"))
        .await
        .unwrap();
    assert_eq!(elsewhere.status(), 404);
    assert_okta_error(&elsewhere.json().await.unwrap(), "E0000008");
    let m = samples(&text);
    let get = |key: &str| {
        m.get(key)
            .copied()
            .unwrap_or_else(|| panic!("no {key} in\n{text}"))
    };
    let token = "route=\"/oauth2/{server_id}/v1/token\",method=\"POST\",status=\"200\"";
    assert_eq!(
        get(&format!("tollgate_http_requests_total{{{token}}}")),
        3.0
    );
    assert_eq!(
        get(&format!(
            "tollgate_http_request_duration_seconds_count{{{token}}}"
        )),
        3.0
    );
    assert_eq!(
        get("tollgate_http_requests_total{route=\"/api/v1/authn\",method=\"POST\",status=\"401\"}"),
        4.0
    );
    // Route labels are templates: no id ever appears in one.
    assert!(!text.contains(&format!("route=\"/oauth2/{sid}")), "{text}");
    assert_eq!(
        get(&format!(
            "tollgate_tokens_issued_total{{authorization_server=\"{sid}\",grant_type=\"client_credentials\",token_type=\"access_token\"}}"
        )),
        3.0
    );
    assert_eq!(get("tollgate_token_signing_duration_seconds_count"), 3.0);
    for (outcome, n) in [
        ("success", 1.0),
        ("bad_password", 2.0),
        ("locked_out", 1.0),
        ("unknown_user", 1.0),
    ] {
        assert_eq!(
            get(&format!("tollgate_sign_ins_total{{outcome=\"{outcome}\"}}")),
            n,
            "{outcome}"
        );
    }
    assert_eq!(get("tollgate_lockouts_total"), 1.0);
    assert_eq!(
        get("tollgate_rate_limited_total{family=\"anonymous\"}"),
        1.0
    );
    assert_eq!(get("tollgate_db_pool_max_connections"), 8.0);
    assert!(get("tollgate_db_pool_connections{state=\"idle\"}") >= 1.0);
    // Every query waited for its connection, if only a moment.
    assert!(get("tollgate_db_pool_acquire_wait_seconds_count") >= 10.0);
    assert_eq!(get("tollgate_system_log_queue_depth"), 0.0);
    // The token requests' events went through the batch writer.
    assert!(get("tollgate_system_log_write_duration_seconds_count") >= 1.0);
    assert!(get("tollgate_system_log_events_written_total") >= 3.0);
    assert!(get("tollgate_cache_lookups_total{cache=\"apps\",result=\"hit\"}") >= 1.0);
}

async fn check_json_logs(serve: &Serve) {
    serve.log_line(REQUEST_ID).await;
    let lines = serve.stderr.lock().unwrap().clone();
    let mut access = Vec::new();
    for line in &lines {
        let v: Value =
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        assert!(
            v["timestamp"].is_string() && v["level"].is_string(),
            "{line}"
        );
        if v["target"] == "tollgate::access" {
            access.push(v);
        }
    }
    let line = access
        .iter()
        .rev()
        .find(|v| v["request_id"] == REQUEST_ID)
        .unwrap();
    assert_eq!(line["level"], "INFO");
    assert_eq!(line["message"], "request");
    assert_eq!(line["method"], "POST");
    assert_eq!(line["route"], "/api/v1/authn");
    assert_eq!(line["path"], "/api/v1/authn");
    assert_eq!(line["status"], 401);
    assert_eq!(line["client_ip"], "127.0.0.1");
    assert!(line["latency_ms"].as_f64().unwrap() > 0.0);
    // One line per request, and none for the scrapes of /metrics.
    let token_lines = access
        .iter()
        .filter(|v| v["route"] == "/oauth2/{server_id}/v1/token")
        .count();
    assert_eq!(token_lines, 3);
    assert!(access.iter().all(|v| v["route"] != "/metrics"));
}
