//! Races and abuse on sign-in: admin changes racing concurrent sign-ins are never undone,
//! parallel wrong passwords lock once after at most the policy's verifications, ending a user
//! ends their sessions and voids their tokens, and failed sign-ins are throttled.

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use crate::backend_tests;
use crate::support::{Backend, TestApp, assert_okta_error, json, send};

backend_tests!(
    deactivate_is_never_undone_by_sign_ins,
    suspend_is_never_undone_by_sign_ins,
    password_reset_is_never_undone_by_sign_ins,
    parallel_wrong_passwords_lock_once,
    ending_a_user_ends_sessions_and_tokens,
    failed_sign_ins_are_throttled_per_ip,
    failed_sign_ins_are_throttled_per_username,
    password_hashing_is_bounded,
);

/// A server whose failure throttle stays out of the way of a race.
async fn start_unthrottled(b: Backend, lockout: u32) -> Option<TestApp> {
    TestApp::start_with(b, |s| {
        s.lockout_attempts = lockout;
        s.sign_in.failures_per_ip = 10_000;
        s.sign_in.failures_per_username = 10_000;
    })
    .await
}

const PASSWORD: &str = "Tollgate-2026";
const NEW_PASSWORD: &str = "Tollgate-2027-new";
const TRIALS: usize = 10;
const SIGN_INS: usize = 8;

async fn user(app: &TestApp, login: &str) -> String {
    let body = json!({
        "profile": {"firstName": "Annie", "lastName": "Jackson", "email": login, "login": login},
        "credentials": {"password": {"value": PASSWORD}}
    });
    json(app.post("/api/v1/users", &body), 200).await["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Starts `n` sign-ins for `login` with `password` in parallel; each gives its status.
fn sign_ins(
    app: &TestApp,
    login: &str,
    password: &str,
    n: usize,
) -> Vec<tokio::task::JoinHandle<u16>> {
    (0..n)
        .map(|_| {
            let req = app
                .anon(Method::POST, "/api/v1/authn")
                .json(&json!({"username": login, "password": password}));
            tokio::spawn(async move { req.send().await.unwrap().status().as_u16() })
        })
        .collect()
}

async fn join(tasks: Vec<tokio::task::JoinHandle<u16>>) -> Vec<u16> {
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.unwrap());
    }
    out
}

async fn status_of(app: &TestApp, uid: &str) -> String {
    json(app.get(&format!("/api/v1/users/{uid}")), 200).await["status"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Runs `TRIALS` trials of `change` racing `SIGN_INS` right-password sign-ins; `undone` says
/// whether a trial's change was lost. Returns the number of lost changes.
async fn race_admin_change(app: &TestApp, name: &str, op: &str) -> usize {
    let mut lost = 0;
    for trial in 0..TRIALS {
        let login = format!("{name}{trial}@acme.com");
        let uid = user(app, &login).await;
        let tasks = sign_ins(app, &login, PASSWORD, SIGN_INS);
        tokio::time::sleep(Duration::from_millis(5 * (trial as u64 % 4))).await;
        let undone = match op {
            "reset" => {
                let body = json!({"credentials": {"password": {"value": NEW_PASSWORD}}});
                json(app.post(&format!("/api/v1/users/{uid}"), &body), 200).await;
                join(tasks).await;
                let after = app
                    .anon(Method::POST, "/api/v1/authn")
                    .json(&json!({"username": login, "password": NEW_PASSWORD}));
                send(after).await.status() != 200
            }
            _ => {
                let path = format!("/api/v1/users/{uid}/lifecycle/{op}");
                json(app.req(Method::POST, &path), 200).await;
                join(tasks).await;
                let want = if op == "deactivate" {
                    "DEPROVISIONED"
                } else {
                    "SUSPENDED"
                };
                status_of(app, &uid).await != want
            }
        };
        lost += usize::from(undone);
    }
    eprintln!("{op}: {lost} of {TRIALS} admin changes undone by concurrent sign-ins");
    lost
}

async fn deactivate_is_never_undone_by_sign_ins(b: Backend) {
    let Some(app) = start_unthrottled(b, 10).await else {
        return;
    };
    assert_eq!(race_admin_change(&app, "deact", "deactivate").await, 0);
    app.finish().await;
}

async fn suspend_is_never_undone_by_sign_ins(b: Backend) {
    let Some(app) = start_unthrottled(b, 10).await else {
        return;
    };
    assert_eq!(race_admin_change(&app, "susp", "suspend").await, 0);
    app.finish().await;
}

async fn password_reset_is_never_undone_by_sign_ins(b: Backend) {
    let Some(app) = start_unthrottled(b, 10).await else {
        return;
    };
    assert_eq!(race_admin_change(&app, "reset", "reset").await, 0);
    app.finish().await;
}

async fn logs(app: &TestApp, filter: &str) -> Vec<Value> {
    let path = format!("/api/v1/logs?limit=1000&filter={}", urlencode(filter));
    json(app.get(&path), 200).await.as_array().unwrap().clone()
}

fn urlencode(s: &str) -> String {
    s.replace(' ', "%20").replace('"', "%22")
}

/// 30 wrong passwords at once against a policy of 5: one lockout, at most 5 verifications
/// (each verified wrong password is logged `INVALID_CREDENTIALS`).
async fn parallel_wrong_passwords_lock_once(b: Backend) {
    const POLICY: u32 = 5;
    let Some(app) = start_unthrottled(b, POLICY).await else {
        return;
    };
    let mut bad_trials = 0;
    for trial in 0..3 {
        let login = format!("lock{trial}@acme.com");
        let uid = user(&app, &login).await;
        let statuses = join(sign_ins(&app, &login, "Wrong-Pass-1", 30)).await;
        assert!(
            statuses.iter().all(|s| *s == 401 || *s == 429),
            "{statuses:?}"
        );
        let target = format!("target.id eq \"{uid}\"");
        let locks = logs(
            &app,
            &format!("eventType eq \"user.account.lock\" and {target}"),
        )
        .await;
        let verified = logs(
            &app,
            &format!("eventType eq \"user.session.start\" and outcome.reason eq \"INVALID_CREDENTIALS\" and {target}"),
        )
        .await;
        eprintln!(
            "trial {trial}: {} lockouts, {} verifications (policy {POLICY})",
            locks.len(),
            verified.len()
        );
        if locks.len() != 1 || verified.len() > POLICY as usize {
            bad_trials += 1;
        }
        assert_eq!(status_of(&app, &uid).await, "LOCKED_OUT");
    }
    assert_eq!(bad_trials, 0);
    app.finish().await;
}

/// A session (cookie) and an unredeemed `sessionToken` for `login`.
async fn session_and_token(app: &TestApp, login: &str) -> (reqwest::Client, String) {
    let token = |v: Value| v["sessionToken"].as_str().unwrap().to_owned();
    let authn = || {
        app.anon(Method::POST, "/api/v1/authn")
            .json(&json!({"username": login, "password": PASSWORD}))
    };
    let first = token(json(authn(), 200).await);
    let browser = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let create = browser
        .post(format!("{}/api/v1/sessions", app.base))
        .json(&json!({"sessionToken": first}));
    json(create, 200).await;
    json(browser.get(format!("{}/api/v1/sessions/me", app.base)), 200).await;
    (browser, token(json(authn(), 200).await))
}

async fn ending_a_user_ends_sessions_and_tokens(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let mut survived = 0;
    for op in ["deactivate", "suspend", "delete"] {
        let login = format!("{op}@acme.com");
        let uid = user(&app, &login).await;
        let (browser, token) = session_and_token(&app, &login).await;
        if op == "delete" {
            for _ in 0..2 {
                let resp = send(app.delete(&format!("/api/v1/users/{uid}"))).await;
                assert_eq!(resp.status(), 204);
            }
        } else {
            let path = format!("/api/v1/users/{uid}/lifecycle/{op}");
            json(app.req(Method::POST, &path), 200).await;
        }
        let me = send(browser.get(format!("{}/api/v1/sessions/me", app.base))).await;
        let me = me.status().as_u16();
        let exchange = app
            .anon(Method::POST, "/api/v1/sessions")
            .json(&json!({"sessionToken": token}));
        let exchange = send(exchange).await;
        let exchanged = exchange.status().as_u16();
        eprintln!("{op}: sessions/me {me}, pre-issued sessionToken {exchanged}");
        if me != 404 || exchanged != 401 {
            survived += 1;
        } else {
            assert_okta_error(&exchange.json().await.unwrap(), "E0000004");
        }
    }
    assert_eq!(survived, 0, "sessions or tokens outlived their user");
    app.finish().await;
}

/// Checks a throttled answer: 429, `E0000047`, and the three rate-limit headers.
async fn assert_throttled(resp: reqwest::Response) {
    assert_eq!(resp.status(), 429);
    for h in [
        "x-rate-limit-limit",
        "x-rate-limit-remaining",
        "x-rate-limit-reset",
    ] {
        let v = resp.headers()[h].to_str().unwrap().parse::<i64>().unwrap();
        assert!(v >= 0, "{h}: {v}");
    }
    assert_eq!(resp.headers()["x-rate-limit-remaining"], "0");
    assert_okta_error(&resp.json().await.unwrap(), "E0000047");
}

/// 150 failures from one address (many usernames) in a few seconds: the last are 429.
async fn failed_sign_ins_are_throttled_per_ip(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let mut statuses = Vec::new();
    let mut throttled = None;
    for i in 0..150 {
        let req = app
            .anon(Method::POST, "/api/v1/authn")
            .json(&json!({"username": format!("nobody{i}@acme.com"), "password": "Wrong-1"}));
        let resp = send(req).await;
        statuses.push(resp.status().as_u16());
        if resp.status() == 429 && throttled.is_none() {
            throttled = Some(resp);
        }
    }
    let n429 = statuses.iter().filter(|s| **s == 429).count();
    eprintln!("per-ip: {n429} of 150 failures answered 429");
    assert_throttled(throttled.expect("no 429 among 150 failures from one IP")).await;
    app.finish().await;
}

/// Failures for one username are throttled even though the login does not exist (so no
/// lockout can stop them).
async fn failed_sign_ins_are_throttled_per_username(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let mut throttled = None;
    let mut n429 = 0;
    for _ in 0..40 {
        let req = app
            .anon(Method::POST, "/api/v1/authn")
            .json(&json!({"username": "ghost@acme.com", "password": "Wrong-1"}));
        let resp = send(req).await;
        if resp.status() == 429 {
            n429 += 1;
            throttled.get_or_insert(resp);
        }
    }
    eprintln!("per-username: {n429} of 40 failures answered 429");
    assert_throttled(throttled.expect("no 429 among 40 failures for one username")).await;
    app.finish().await;
}

/// One hashing slot and almost no wait: a burst of sign-ins is partly answered 429 (rather
/// than queueing argon2id's memory without bound), with the rate-limit headers.
async fn password_hashing_is_bounded(b: Backend) {
    let Some(app) = TestApp::start_with(b, |s| {
        s.sign_in.hash_concurrency = 1;
        s.sign_in.hash_wait_ms = 1;
    })
    .await
    else {
        return;
    };
    let tasks: Vec<_> = (0..20)
        .map(|i| {
            let req = app
                .anon(Method::POST, "/api/v1/authn")
                .json(&json!({"username": format!("burst{i}@acme.com"), "password": "Wrong-1"}));
            tokio::spawn(async move { req.send().await.unwrap() })
        })
        .collect();
    let mut busy = None;
    let mut counts = (0, 0);
    for t in tasks {
        let resp = t.await.unwrap();
        match resp.status().as_u16() {
            401 => counts.0 += 1,
            429 => {
                counts.1 += 1;
                busy.get_or_insert(resp);
            }
            other => panic!("unexpected {other}"),
        }
    }
    eprintln!(
        "hashing bound: {} answered 401, {} answered 429",
        counts.0, counts.1
    );
    assert!(counts.0 >= 1);
    assert_throttled(busy.expect("no 429 under a burst with one hashing slot")).await;
    app.finish().await;
}
