//! Applications > Applications: the list, the profile editor and the Sign On tab, ending with
//! the seed page's Step Four on the org authorization server.

use serde_json::json;

use super::access::{stored, with_admin};
use super::{Browser, location};
use crate::backend_tests;
use crate::oauth::implicit::org_id_token;
use crate::oauth::last_event;
use crate::support::{Backend, TestApp, json};

backend_tests!(
    the_list_searches_and_links_each_app,
    the_profile_editor_refuses_what_is_not_a_json_object_and_saves_the_rest,
    the_sign_on_tab_sets_the_seed_s_groups_claim_for_the_org_server,
);

const SEED: &str = "getFilteredGroups(app.profile.groupwhitelist, \"group.name\", 40)";

async fn the_list_searches_and_links_each_app(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = with_admin(&app).await;
    let browser = Browser::signed_in(&app, "ada@acme.com").await;
    let all = browser.get("/admin/apps").await.text().await.unwrap();
    assert!(
        all.contains(&format!(
            "<a href=\"/admin/apps/{}\">Sample Client</a>",
            s.app_id
        )),
        "{all}"
    );
    assert!(all.contains("<label for=\"q\">Search</label>"));
    assert!(
        all.contains("Sample Client</a></td><td>Active</td>"),
        "{all}"
    );
    let hit = browser.get("/admin/apps?q=sam").await.text().await.unwrap();
    assert!(hit.contains("Sample Client"));
    let miss = browser.get("/admin/apps?q=zzz").await.text().await.unwrap();
    assert!(!miss.contains("Sample Client") && miss.contains("No applications found."));
    let general = browser
        .get(&format!("/admin/apps/{}", s.app_id))
        .await
        .text()
        .await
        .unwrap();
    for shown in [
        s.client_id.as_str(),
        "https://example.com/oauth2/callback",
        "<li>Implicit (hybrid)</li>",
        "<li>Authorization Code</li>",
    ] {
        assert!(general.contains(shown), "{shown}");
    }
    assert!(general.contains("/sign-on\">Sign On</a>"));
    assert_eq!(browser.get("/admin/apps/0oanothere").await.status(), 404);
    // A bookmark app has no ID token settings: no Sign On tab, and its address is not found.
    let bookmark = json(
        app.post(
            "/api/v1/apps",
            &json!({"name": "bookmark", "label": "Docs", "signOnMode": "BOOKMARK",
                    "settings": {"app": {"requestIntegration": false, "url": "https://example.com/docs"}}}),
        ),
        200,
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let page = browser
        .get(&format!("/admin/apps/{bookmark}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("<h1>Docs</h1>") && !page.contains("Sign On"),
        "{page}"
    );
    let tab = browser
        .get(&format!("/admin/apps/{bookmark}/sign-on"))
        .await;
    assert_eq!(tab.status(), 404);
    app.finish().await;
}

async fn the_profile_editor_refuses_what_is_not_a_json_object_and_saves_the_rest(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = with_admin(&app).await;
    let before = stored(&app, &s).await;
    let browser = Browser::signed_in(&app, "ada@acme.com").await;
    let page = format!("/admin/apps/{}", s.app_id);
    let save = format!("{page}/profile");
    let cases = [
        (
            "{\"groupwhitelist\": [",
            "Profile is not valid JSON: EOF while parsing a list at line 1 column 20.",
        ),
        ("[\"00g1\"]", "Profile must be a JSON object"),
    ];
    for (text, message) in cases {
        let resp = browser.submit(&page, &save, &[("profile", text)]).await;
        assert_eq!(resp.status(), 422, "{text}");
        let html = resp.text().await.unwrap();
        assert!(
            html.contains(&format!(
                "<p role=\"alert\" class=\"error\" id=\"profile-error\">{message}</p>"
            )),
            "{html}"
        );
        assert!(html.contains("aria-invalid=\"true\" aria-describedby=\"profile-error\""));
        assert!(html.contains(&format!(">{}</textarea>", text.replace('"', "&quot;"))));
    }
    assert_eq!(stored(&app, &s).await, before);

    let whitelist = format!("{{\"groupwhitelist\": [\"{}\"]}}", s.groups[0]);
    let resp = browser
        .submit(&page, &save, &[("profile", &whitelist)])
        .await;
    assert_eq!(resp.status(), 303);
    assert_eq!(location(&resp), format!("{page}?saved=profile"));
    let shown = browser.get(&location(&resp)).await.text().await.unwrap();
    assert!(shown.contains("<p role=\"status\" class=\"notice\">Profile saved.</p>"));
    let profile = stored(&app, &s).await.0;
    assert_eq!(profile, json!({"groupwhitelist": [s.groups[0]]}));
    let event = last_event(&app, "application.lifecycle.update").await;
    assert_eq!(event["displayMessage"], "Update application");
    assert_eq!(event["actor"]["alternateId"], "ada@acme.com");
    assert_eq!(event["target"][0]["id"], s.app_id.as_str());
    app.finish().await;
}

async fn the_sign_on_tab_sets_the_seed_s_groups_claim_for_the_org_server(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = with_admin(&app).await;
    let browser = Browser::signed_in(&app, "ada@acme.com").await;
    let tab = format!("/admin/apps/{}/sign-on", s.app_id);
    let view = browser.get(&tab).await.text().await.unwrap();
    assert!(view.contains("<h2 id=\"id-token\">OpenID Connect ID Token</h2>"));
    assert!(view.contains("<button type=\"submit\">Edit</button>"));
    let edit = browser
        .get(&format!("{tab}?edit=1"))
        .await
        .text()
        .await
        .unwrap();
    for label in [
        "<legend>Groups claim type</legend>",
        "<legend>Group claims filter</legend>",
        "<label for=\"expression\">Groups claim expression</label>",
        "Matches regex</option>",
        "value=\"groups\" required",
        ">Cancel</a>",
    ] {
        assert!(edit.contains(label), "{label}");
    }

    // An expression the checker refuses comes back with its message; nothing is stored.
    let before = stored(&app, &s).await;
    let bad = "getFilteredGroups(app.profile.groupwhitelist, \"group.name\", 400)";
    let fields = |expression| {
        vec![
            ("valueType", "EXPRESSION"),
            ("name", "groups"),
            ("groupFilterType", "REGEX"),
            ("filterValue", ""),
            ("expression", expression),
        ]
    };
    let resp = browser.submit(&tab, &tab, &fields(bad)).await;
    assert_eq!(resp.status(), 422);
    let html = resp.text().await.unwrap();
    let api = json(
        app.post(
            &format!("/api/v1/internal/apps/{}/settings/oauth/idToken", s.app_id),
            &json!({"valueType": "EXPRESSION", "name": "groups", "value": bad}),
        ),
        400,
    )
    .await;
    let reason = api["errorCauses"][0]["errorSummary"]
        .as_str()
        .unwrap()
        .trim_start_matches("value: ")
        .to_owned();
    assert!(
        html.contains(&format!(
            "Groups claim expression or filter value: {}",
            reason.replace('"', "&quot;")
        )),
        "{reason}\n{html}"
    );
    assert!(html.contains("aria-describedby=\"claim-error\""));
    assert_eq!(stored(&app, &s).await, before);

    let resp = browser.submit(&tab, &tab, &fields(SEED)).await;
    assert_eq!(resp.status(), 303);
    assert_eq!(location(&resp), format!("{tab}?saved=1"));
    let setting = stored(&app, &s).await.1;
    assert_eq!(
        (&setting["valueType"], &setting["name"], &setting["value"]),
        (&json!("EXPRESSION"), &json!("groups"), &json!(SEED))
    );
    let event = last_event(&app, "application.lifecycle.update").await;
    assert_eq!(
        event["displayMessage"],
        "Update application ID token groups claim"
    );
    assert_eq!(event["actor"]["alternateId"], "ada@acme.com");

    // Step Four: the org server's ID token carries the whitelisted group the user is in.
    let claims = org_id_token(&app, &s.client_id, "openid%20groups").await;
    assert_eq!(claims["groups"], json!(["WestCoastDivision"]));
    app.finish().await;
}
