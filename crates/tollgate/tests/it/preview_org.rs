//! Token preview of the org authorization server (`authorizationServers/org/tokenPreview`): the
//! seed page's Steps Two and Three on the org server, checked without signing in as the user.

use serde_json::{Value, json};

use crate::backend_tests;
use crate::oauth::hardening::stable;
use crate::oauth::implicit::org_id_token;
use crate::oauth::{Seed, org_groups_claim, seed};
use crate::roles::{as_token, assign, token_for, user};
use crate::support::{Backend, TestApp, assert_okta_error, json};

backend_tests!(
    org_preview_explains_the_apps_groups_claim,
    org_preview_explains_a_group_filter,
    org_preview_is_for_admins_only,
);

const PREVIEW: &str = "/api/v1/authorizationServers/org/tokenPreview";

async fn preview(app: &TestApp, s: &Seed) -> Value {
    json(
        app.post(
            PREVIEW,
            &json!({"clientId": s.client_id, "userId": s.user, "grantType": "implicit",
                    "scopes": ["openid", "groups"]}),
        ),
        200,
    )
    .await
}

/// Each group the claim's explanation considered: (name, id, kept, reason).
fn decisions(preview: &Value) -> Vec<(Value, Value, Value, Value)> {
    let calls = &preview["idToken"]["explanation"][0]["groups"]["calls"];
    calls[0]["groups"]
        .as_array()
        .unwrap_or_else(|| panic!("{preview}"))
        .iter()
        .map(|g| {
            let part = |k: &str| g[k].clone();
            (part("name"), part("id"), part("kept"), part("reason"))
        })
        .collect()
}

async fn org_preview_explains_the_apps_groups_claim(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = seed(&app).await;
    org_groups_claim(&app, &s).await;
    let p = preview(&app, &s).await;
    assert_eq!(p["decision"]["result"], "ALLOW", "{p}");
    assert_eq!(p["authorizationServer"]["issuer"], app.base.as_str());
    assert!(p["decision"]["policy"].is_null(), "the org server has none");
    assert_eq!(
        p["idToken"]["claims"]["groups"],
        json!(["WestCoastDivision"])
    );
    let note = &p["idToken"]["explanation"][0];
    assert_eq!(
        (&note["claim"], &note["outcome"]),
        (&json!("groups"), &json!("included"))
    );
    let d = decisions(&p);
    let (west, engineering, contractors) = (&s.groups[0], &s.groups[1], &s.groups[2]);
    let kept = (
        json!("WestCoastDivision"),
        json!(west),
        json!(true),
        Value::Null,
    );
    assert!(d.contains(&kept), "{d:?}");
    let outside = (
        json!("Engineering"),
        json!(engineering),
        json!(false),
        json!("NOT_IN_WHITELIST"),
    );
    assert!(d.contains(&outside), "{d:?}");
    // An allow-listed group the user is not in is named too, not only its id.
    let absent = (
        json!("Contractors"),
        json!(contractors),
        json!(false),
        json!("USER_NOT_MEMBER"),
    );
    assert!(d.contains(&absent), "{d:?}");

    // The preview's ID token is the one a real implicit flow on /oauth2/v1/authorize gets.
    let mut minted = org_id_token(&app, &s.client_id, "openid%20groups").await;
    if let Some(m) = minted.as_object_mut() {
        m.remove("nonce");
    }
    assert_eq!(
        stable(p["idToken"]["claims"].clone()),
        stable(minted),
        "{p}"
    );

    // Without the groups scope there is no groups claim.
    let body = json!({"clientId": s.client_id, "userId": s.user, "scopes": ["openid"]});
    let plain = json(app.post(PREVIEW, &body), 200).await;
    assert!(plain["idToken"]["claims"]["groups"].is_null(), "{plain}");
    app.finish().await;
}

async fn org_preview_explains_a_group_filter(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = seed(&app).await;
    let path = format!("/api/v1/internal/apps/{}/settings/oauth/idToken", s.app_id);
    let filter = json!({"valueType": "GROUPS", "groupFilterType": "STARTS_WITH", "value": "West", "name": "groups"});
    json(app.post(&path, &filter), 200).await;
    let p = preview(&app, &s).await;
    assert_eq!(
        p["idToken"]["claims"]["groups"],
        json!(["WestCoastDivision"])
    );
    let d = decisions(&p);
    let kept = (
        json!("WestCoastDivision"),
        json!(s.groups[0]),
        json!(true),
        Value::Null,
    );
    assert!(d.contains(&kept), "{d:?}");
    let name = (
        json!("Engineering"),
        json!(s.groups[1]),
        json!(false),
        json!("NAME_MISMATCH"),
    );
    assert!(d.contains(&name), "{d:?}");

    // A filter nothing matches: the claim is left out, and the note says so.
    let none = json!({"valueType": "GROUPS", "groupFilterType": "EQUALS", "value": "Nobody", "name": "groups"});
    json(app.post(&path, &none), 200).await;
    let p = preview(&app, &s).await;
    assert!(p["idToken"]["claims"]["groups"].is_null(), "{p}");
    assert_eq!(
        p["idToken"]["explanation"][0]["outcome"],
        "omitted: the value is null or empty"
    );
    app.finish().await;
}

async fn org_preview_is_for_admins_only(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = seed(&app).await;
    let body = json!({"clientId": s.client_id, "userId": s.user, "scopes": ["openid"]});
    // A token whose owner is no admin is no API token at all.
    let plain = user(&app, "plain@acme.com").await;
    let outsider = as_token(&app, &token_for(&app, &plain).await);
    assert_okta_error(&json(outsider.post(PREVIEW, &body), 401).await, "E0000011");
    // An admin whose role does not reach authorization servers is refused.
    let helper = user(&app, "helpdesk@acme.com").await;
    assign(&app, "users", &helper, "HELP_DESK_ADMIN").await;
    let helpdesk = as_token(&app, &token_for(&app, &helper).await);
    assert_okta_error(&json(helpdesk.post(PREVIEW, &body), 403).await, "E0000006");
    // A read-only admin may preview: it changes nothing.
    let reader = user(&app, "ro@acme.com").await;
    assign(&app, "users", &reader, "READ_ONLY_ADMIN").await;
    let ro = as_token(&app, &token_for(&app, &reader).await);
    json(ro.post(PREVIEW, &body), 200).await;
    // An unknown user is the API's 404, not a server error.
    let unknown = json!({"clientId": s.client_id, "userId": "00unope", "scopes": ["openid"]});
    assert_okta_error(&json(app.post(PREVIEW, &unknown), 404).await, "E0000007");
    app.finish().await;
}
