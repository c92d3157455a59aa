//! Token Preview: the payloads and the groups kept and dropped, from the API's preview.

use serde_json::json;

use super::access::with_admin;
use super::{Browser, assert_console_headers};
use crate::backend_tests;
use crate::oauth::SEED_VALUE;
use crate::roles::{assign, user};
use crate::support::{Backend, TestApp, json};

backend_tests!(
    token_preview_shows_the_payloads_and_each_group_kept_or_dropped,
    the_sign_on_tab_leads_to_the_org_server_s_token_preview,
);

async fn token_preview_shows_the_payloads_and_each_group_kept_or_dropped(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = with_admin(&app).await;
    for claim_type in ["IDENTITY", "RESOURCE"] {
        let claim = json!({"name": "groups", "status": "ACTIVE", "claimType": claim_type,
                           "valueType": "EXPRESSION", "value": SEED_VALUE, "conditions": {"scopes": []}});
        json(
            app.post("/api/v1/authorizationServers/default/claims", &claim),
            201,
        )
        .await;
    }
    let ro = user(&app, "ro@acme.com").await;
    assign(&app, "users", &ro, "READ_ONLY_ADMIN").await;
    let page = "/admin/authorization-servers/default/token-preview";
    for login in ["ada@acme.com", "ro@acme.com"] {
        let browser = Browser::signed_in(&app, login).await;
        let empty = browser.get(page).await;
        assert_console_headers(&empty);
        let empty = empty.text().await.unwrap();
        assert!(
            empty.contains("<label for=\"tp-client\">OAuth/OIDC client</label>"),
            "{empty}"
        );
        assert!(empty.contains("href=\"/admin/authorization-servers/default\""));
        assert!(empty.contains(&format!(
            "<option value=\"{}\">Sample Client</option>",
            s.client_id
        )));
        let query = format!(
            "{page}?client={}&grantType=implicit&user=annie.jackson%40acme.com&scopes=openid+groups",
            s.client_id
        );
        let resp = browser.get(&query).await;
        assert_eq!(resp.status(), 200);
        let html = resp.text().await.unwrap();
        assert!(
            html.contains("<h2>ID token</h2>") && html.contains("<h2>Access token</h2>"),
            "{html}"
        );
        assert!(
            html.contains("&quot;groups&quot;: [\n    &quot;WestCoastDivision&quot;\n  ]"),
            "{html}"
        );
        assert!(
            html.contains("<td>groups</td><td>WestCoastDivision</td><td>Kept</td>"),
            "{html}"
        );
        assert!(
            html.contains("<td>Engineering</td><td>Dropped: NOT_IN_WHITELIST</td>"),
            "{html}"
        );
        // A whitelisted group the user is not in is named, with its id.
        let contractors = format!(
            "<td>Contractors</td><td>Dropped: USER_NOT_MEMBER</td><td><code>{}</code></td>",
            s.groups[2]
        );
        assert!(html.contains(&contractors), "{html}");
    }
    // An unknown user is said next to the form.
    let ada = Browser::signed_in(&app, "ada@acme.com").await;
    let unknown = format!(
        "{page}?client={}&grantType=implicit&user=nobody",
        s.client_id
    );
    let html = ada.get(&unknown).await.text().await.unwrap();
    assert!(html.contains("role=\"alert\""), "{html}");
    assert!(html.contains("Preview Token</button>"), "{html}");
    app.finish().await;
}

/// Step Three on the org server through the Sign On tab, then its Token Preview link.
async fn the_sign_on_tab_leads_to_the_org_server_s_token_preview(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = with_admin(&app).await;
    let ada = Browser::signed_in(&app, "ada@acme.com").await;
    let sign_on = format!("/admin/apps/{}/sign-on", s.app_id);
    let expression = "getFilteredGroups(app.profile.groupwhitelist, \"group.name\", 40)";
    let fields = [
        ("valueType", "EXPRESSION"),
        ("name", "groups"),
        ("expression", expression),
    ];
    let saved = ada.submit(&sign_on, &sign_on, &fields).await;
    assert!(saved.status().is_success() || saved.status().is_redirection());
    let tab = ada.get(&sign_on).await.text().await.unwrap();
    let link = format!(
        "/admin/authorization-servers/org/token-preview?client={}",
        s.client_id
    );
    assert!(
        tab.contains(&format!("<a href=\"{link}\">Token Preview</a>")),
        "{tab}"
    );
    // The link chooses the app and waits for the rest of the form.
    let chosen = ada.get(&link).await.text().await.unwrap();
    let selected = format!(
        "<option value=\"{}\" selected>Sample Client</option>",
        s.client_id
    );
    assert!(chosen.contains(&selected), "{chosen}");
    assert!(chosen.contains("Org Authorization Server"), "{chosen}");
    assert!(!chosen.contains("<h2>ID token</h2>"), "{chosen}");

    let asked =
        format!("{link}&grantType=implicit&user=annie.jackson%40acme.com&scopes=openid+groups");
    let html = ada.get(&asked).await.text().await.unwrap();
    assert!(
        html.contains("The org authorization server grants the scopes asked for: openid groups."),
        "{html}"
    );
    assert!(
        html.contains("&quot;groups&quot;: [\n    &quot;WestCoastDivision&quot;\n  ]"),
        "{html}"
    );
    for row in [
        "<td>groups</td><td>WestCoastDivision</td><td>Kept</td>",
        "<td>groups</td><td>Engineering</td><td>Dropped: NOT_IN_WHITELIST</td>",
        "<td>groups</td><td>Contractors</td><td>Dropped: USER_NOT_MEMBER</td>",
    ] {
        assert!(html.contains(row), "{row}: {html}");
    }
    let servers = ada
        .get("/admin/authorization-servers")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        servers.contains("href=\"/admin/authorization-servers/org/token-preview\""),
        "{servers}"
    );
    app.finish().await;
}
