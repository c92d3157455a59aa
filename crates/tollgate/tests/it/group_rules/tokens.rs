//! Memberships a rule makes or removes reach tokens at once: the token path's group cache sees
//! them like manual membership changes (each write moves the group's version).

use serde_json::{Value, json};

use super::{RULES, lifecycle, rule};
use crate::backend_tests;
use crate::oauth::groups_cache::query;
use crate::oauth::{Seed, authorize, custom_server, seed, session_token, verified};
use crate::support::{Backend, TestApp};

backend_tests!(rule_memberships_reach_the_next_token);

/// The groups claim of a new ID token for Annie from server `sid`.
async fn groups_claim(app: &TestApp, sid: &str, s: &Seed) -> Value {
    let token = session_token(app).await;
    let base = format!("/oauth2/{sid}/v1");
    let got = authorize(app, &base, &format!("{}&sessionToken={token}", query(s))).await;
    let claims = verified(app, &base, &got["id_token"]).await;
    claims.get("groups").cloned().unwrap_or(Value::Null)
}

async fn rule_memberships_reach_the_next_token(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = seed(&app).await;
    let sid = custom_server(&app, &["implicit"], true).await;
    // Warm: the cache now holds Annie's groups.
    assert_eq!(
        groups_claim(&app, &sid, &s).await,
        json!(["WestCoastDivision"])
    );
    // Contractors is on the app's allow-list; a rule puts Annie in it.
    let contractors = s.groups[2].clone();
    let id = rule(
        &app,
        "Jacksons",
        r#"user.lastName == "Jackson""#,
        &[&contractors],
    )
    .await;
    lifecycle(&app, &id, "activate").await;
    assert_eq!(
        groups_claim(&app, &sid, &s).await,
        json!(["WestCoastDivision", "Contractors"])
    );
    let resp = app
        .delete(&format!("{RULES}/{id}?removeUsers=true"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 202);
    assert_eq!(
        groups_claim(&app, &sid, &s).await,
        json!(["WestCoastDivision"])
    );
}
