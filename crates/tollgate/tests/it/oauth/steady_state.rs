//! The client-credentials token path, discovery and JWKS read nothing from the database in the
//! steady state, and an expiry or a local admin change sends one query per cache to the
//! database, not one per request in flight (no thundering herd). The server's store counts its
//! own reads.

use serde_json::json;
use tollgate_core::Clock;

use super::cache::{Service, service, token};
use crate::backend_tests;
use crate::support::{Backend, TestApp, json, send};

backend_tests!(client_credentials_reads_nothing_and_refreshes_once);

/// Requests sent at once in each burst.
const BURST: usize = 48;
/// Bursts after an expiry, and after an admin change.
const TRIALS: usize = 5;

/// `BURST` token requests at once, all expected to succeed.
async fn burst(app: &TestApp, s: &Service) {
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..BURST {
        let req = app
            .client
            .post(format!("{}/oauth2/{}/v1/token", app.base, s.sid))
            .basic_auth(&s.client_id, Some(&s.secret))
            .form(&[("grant_type", "client_credentials"), ("scope", "api.read")]);
        set.spawn(async move {
            let resp = req.send().await.unwrap();
            (resp.status().as_u16(), resp.text().await.unwrap())
        });
    }
    while let Some(answer) = set.join_next().await {
        let (status, body) = answer.unwrap();
        assert_eq!(status, 200, "{body}");
    }
}

/// One token request, expected to succeed.
async fn one(app: &TestApp, s: &Service) {
    let (status, body) = token(app, &app.base, s).await;
    assert_eq!(status, 200, "{body}");
}

/// Database reads the server made while `f` ran.
async fn reads_during(app: &TestApp, f: impl std::future::Future<Output = ()>) -> u64 {
    let before = app.store_stats().reads();
    f.await;
    app.store_stats().reads() - before
}

async fn client_credentials_reads_nothing_and_refreshes_once(b: Backend) {
    let clock = Clock::fixed(Clock::System.now());
    let Some(app) = TestApp::start_at(b, clock.clone(), |_| {}).await else {
        return;
    };
    let s = service(&app).await;
    let (status, body) = token(&app, &app.base, &s).await;
    assert_eq!(status, 200, "{body}");
    // A fresh org's own keys are generated in the background after start; serving their JWKS
    // waits for that, so after these the start-up work is over.
    for path in ["/oauth2/v1/keys", "/oauth2/default/v1/keys"] {
        let resp = send(app.client.get(format!("{}{path}", app.base))).await;
        assert_eq!(resp.status().as_u16(), 200, "{path}");
    }

    // Steady state: one by one and all at once, not a single read.
    let steady = reads_during(&app, async {
        for _ in 0..10 {
            let (status, body) = token(&app, &app.base, &s).await;
            assert_eq!(status, 200, "{body}");
        }
        burst(&app, &s).await;
    })
    .await;
    assert_eq!(steady, 0, "the steady-state token path read the database");
    // Discovery and JWKS read nothing either (no signing, no database).
    let published = reads_during(&app, async {
        for path in [
            format!("/oauth2/{}/.well-known/openid-configuration", s.sid),
            format!("/oauth2/{}/.well-known/oauth-authorization-server", s.sid),
            format!("/oauth2/{}/v1/keys", s.sid),
            "/oauth2/v1/keys".to_owned(),
            "/.well-known/openid-configuration".to_owned(),
        ] {
            let resp = send(app.client.get(format!("{}{path}", app.base))).await;
            assert_eq!(resp.status().as_u16(), 200, "{path}");
        }
    })
    .await;
    assert_eq!(published, 0, "discovery or JWKS read the database");

    // Every entry expires at once: one request revalidates each (server revision, org, app,
    // key generation) while the others keep serving. A burst costs what one request costs.
    let step = tollgate::caches::CHECK_MS / 1000 * 3;
    for trial in 0..TRIALS {
        clock.advance(step);
        let single = reads_during(&app, one(&app, &s)).await;
        clock.advance(step);
        let expired = reads_during(&app, burst(&app, &s)).await;
        assert!(single > 0, "an expired entry must be checked");
        assert_eq!(
            expired, single,
            "trial {trial}: reads after expiry, {BURST} requests vs one"
        );
        assert_eq!(reads_during(&app, burst(&app, &s)).await, 0);
    }

    // A local admin change invalidates everything: the next burst reloads each entry once.
    let mut scope = 0;
    let mut change = || {
        scope += 1;
        app.post(
            &format!("/api/v1/authorizationServers/{}/scopes", s.sid),
            &json!({"name": format!("api.write{scope}"), "description": "Write"}),
        )
    };
    for trial in 0..TRIALS {
        json(change(), 201).await;
        let single = reads_during(&app, one(&app, &s)).await;
        json(change(), 201).await;
        let invalidated = reads_during(&app, burst(&app, &s)).await;
        assert!(single > 0, "an admin change must reach the token path");
        assert_eq!(
            invalidated, single,
            "trial {trial}: reads after an admin change, {BURST} requests vs one"
        );
        assert_eq!(reads_during(&app, burst(&app, &s)).await, 0);
    }
    app.finish().await;
}
