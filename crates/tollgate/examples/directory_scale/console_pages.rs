//! The admin console at scale: the user of the token-path bench (in 1,000 groups) is made a
//! super admin and its session cookie opens each console page, timed request by request
//! (issue target: no page slower than 100 ms for an org of 100,000 users).

use std::time::{Duration, Instant};

use crate::setup::Prepared;
use crate::{gid, report, uid};

/// Times each console page `ROUNDS` times with `prepared`'s groups user signed in as admin.
pub async fn measure(base: &str, token: &str, prepared: &Prepared, users: usize, groups: usize) {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let role = client
        .post(format!(
            "{base}/api/v1/users/{}/roles",
            prepared.groups_user_id
        ))
        .header("Authorization", format!("SSWS {token}"))
        .json(&serde_json::json!({"type": "SUPER_ADMIN"}))
        .send()
        .await
        .unwrap();
    assert!(role.status().is_success(), "role: {}", role.status());
    let pages = [
        ("People (first page)", "/admin/people".to_owned()),
        ("People, searched", "/admin/people?q=bench".to_owned()),
        (
            "a person in 10 groups",
            format!("/admin/people/{}", uid(users / 2)),
        ),
        (
            "a person in 1,000 groups",
            format!("/admin/people/{}", prepared.groups_user_id),
        ),
        ("Groups (first page)", "/admin/groups".to_owned()),
        (
            "a group with its members",
            format!("/admin/groups/{}", gid(groups / 2)),
        ),
        ("Group Rules", "/admin/groups/rules".to_owned()),
        ("Applications", "/admin/apps".to_owned()),
        (
            "an app's General tab",
            format!("/admin/apps/{}", prepared.web_id),
        ),
        (
            "an app's Assignments tab",
            format!("/admin/apps/{}/assignments", prepared.web_id),
        ),
        ("System Log", "/admin/system-log".to_owned()),
        (
            "Token Preview of default",
            "/admin/authorization-servers/default/token-preview".to_owned(),
        ),
    ];
    let mut worst = Duration::ZERO;
    for (label, path) in pages {
        let mut samples = Vec::new();
        for _ in 0..ROUNDS {
            let t = Instant::now();
            let resp = client
                .get(format!("{base}{path}"))
                .header("Cookie", format!("sid={}", prepared.groups_sid))
                .send()
                .await
                .unwrap();
            let status = resp.status();
            let _ = resp.bytes().await.unwrap();
            samples.push(t.elapsed());
            assert_eq!(status, 200, "{label}: {path}");
        }
        samples.sort();
        worst = worst.max(samples[samples.len() * 99 / 100]);
        report(&format!("console: {label}"), samples);
    }
    println!(
        "console: slowest page p99 {:.2} ms (target < 100 ms)",
        worst.as_secs_f64() * 1000.0
    );
}

const ROUNDS: usize = 50;
