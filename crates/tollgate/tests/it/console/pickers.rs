//! The long pick lists (a group rule's **Assign to**, Token Preview's **OAuth/OIDC client**):
//! they render the first 200 choices and always the chosen ones, and the Find search
//! (`/admin/pickers/...`) reaches the rest.

use serde_json::{Value, json};

use super::access::with_admin;
use super::{Browser, location};
use crate::apps::app_body;
use crate::backend_tests;
use crate::support::{Backend, TestApp, json};

backend_tests!(
    a_rule_can_assign_a_group_beyond_the_first_two_hundred,
    token_preview_keeps_a_client_beyond_the_first_two_hundred,
);

/// Posts each of `bodies` to `path` (expecting 200), a few at a time.
async fn create_all(app: &TestApp, path: &str, bodies: Vec<Value>) {
    for chunk in bodies.chunks(16) {
        let mut sent = tokio::task::JoinSet::new();
        for body in chunk {
            sent.spawn(json(app.post(path, body), 200));
        }
        while let Some(done) = sent.join_next().await {
            done.unwrap();
        }
    }
}

/// Creates `n` groups named `Filler {i:03}`.
async fn fill_groups(app: &TestApp, n: usize) {
    let bodies = (0..n)
        .map(|i| json!({"profile": {"name": format!("Filler {i:03}")}}))
        .collect();
    create_all(app, "/api/v1/groups", bodies).await;
}

async fn picked(browser: &Browser, kind: &str, q: &str) -> Value {
    let resp = browser.get(&format!("/admin/pickers/{kind}?q={q}")).await;
    assert_eq!(resp.status(), 200);
    resp.json().await.unwrap()
}

async fn a_rule_can_assign_a_group_beyond_the_first_two_hundred(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    with_admin(&app).await;
    fill_groups(&app, 201).await;
    let zeta = json(
        app.post(
            "/api/v1/groups",
            &json!({"profile": {"name": "Zeta Squad"}}),
        ),
        200,
    )
    .await;
    let zeta = zeta["id"].as_str().unwrap().to_owned();
    let browser = Browser::signed_in(&app, "ada@acme.com").await;

    let form = browser
        .get("/admin/groups/rules/new")
        .await
        .text()
        .await
        .unwrap();
    assert!(form.contains("data-picker=\"groups\""), "{form}");
    assert!(form.contains(">Filler 000<"), "the first groups are listed");
    assert!(
        !form.contains("Zeta Squad"),
        "only the first 200 are rendered"
    );

    let found = picked(&browser, "groups", "zeta").await;
    let zeta_choice = json!({"value": zeta, "label": "Zeta Squad"});
    assert_eq!(found, json!({"options": [zeta_choice], "more": false}));
    let many = picked(&browser, "groups", "Filler%200").await;
    assert_eq!(many["options"].as_array().unwrap().len(), 20);
    let labels = many["options"].as_array().unwrap().iter();
    assert!(
        labels
            .map(|o| o["label"].as_str().unwrap())
            .all(|l| l.starts_with("Filler 0"))
    );
    assert_eq!(many["more"], json!(true));
    assert_eq!(
        picked(&browser, "groups", "nobody").await["options"],
        json!([])
    );

    // A refused rule comes back with the group still chosen; then it is saved and shows it.
    let fields = |expression| {
        [
            ("name", "Zetas"),
            ("expression", expression),
            ("groupIds", zeta.as_str()),
            ("exclude", ""),
        ]
    };
    let refused = browser
        .submit(
            "/admin/groups/rules/new",
            "/admin/groups/rules",
            &fields("user.lastName == "),
        )
        .await;
    assert_eq!(refused.status(), 422);
    let chosen = format!("<option value=\"{zeta}\" selected>Zeta Squad</option>");
    assert!(refused.text().await.unwrap().contains(&chosen));
    let saved = browser
        .submit(
            "/admin/groups/rules/new",
            "/admin/groups/rules",
            &fields("true"),
        )
        .await;
    assert_eq!(location(&saved), "/admin/groups/rules?saved=created");
    let rules = json(app.get("/api/v1/groups/rules"), 200).await;
    let id = rules[0]["id"].as_str().unwrap();
    assert_eq!(
        rules[0]["actions"]["assignUserToGroups"]["groupIds"],
        json!([zeta])
    );
    let edit = browser.get(&format!("/admin/groups/rules/{id}/edit")).await;
    assert!(edit.text().await.unwrap().contains(&chosen));
    app.finish().await;
}

async fn token_preview_keeps_a_client_beyond_the_first_two_hundred(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = with_admin(&app).await;
    let bodies = (0..201)
        .map(|i| app_body(&format!("Filler {i:03}"), json!({})))
        .collect();
    create_all(&app, "/api/v1/apps", bodies).await;
    let browser = Browser::signed_in(&app, "ada@acme.com").await;
    let page = "/admin/authorization-servers/default/token-preview";
    let empty = browser.get(page).await.text().await.unwrap();
    assert!(empty.contains("data-picker=\"clients\""), "{empty}");
    let rendered = empty.matches("<option value=").count();
    assert_eq!(rendered, 200 + 4, "200 clients and 4 grant types");
    // Apps are listed in id order: find a client the select left out.
    let far = (0..201)
        .map(|i| format!("Filler {i:03}"))
        .find(|label| !empty.contains(&format!(">{label}<")))
        .unwrap();
    let listed = json(app.get(&format!("/api/v1/apps?q={far}")), 200).await;
    let client = listed[0]["credentials"]["oauthClient"]["client_id"]
        .as_str()
        .unwrap()
        .to_owned();

    let found = picked(&browser, "clients", &far.replace(' ', "%20")).await;
    let far_choice = json!({"value": client, "label": far});
    assert_eq!(found, json!({"options": [far_choice], "more": false}));
    let bookmark = json!({"name": "bookmark", "label": "Zeta Handbook", "signOnMode": "BOOKMARK",
                          "settings": {"app": {"url": "https://example.com/handbook"}}});
    json(app.post("/api/v1/apps", &bookmark), 200).await;
    let none = picked(&browser, "clients", "zeta").await;
    assert_eq!(
        none["options"],
        json!([]),
        "a bookmark app is no OAuth client"
    );
    let by_name = picked(&browser, "clients", "oidc").await;
    assert_eq!(
        by_name["options"],
        json!([]),
        "labels only, not the name oidc_client"
    );
    let sample = picked(&browser, "clients", "Sample").await;
    assert_eq!(sample["options"][0]["value"], json!(s.client_id));

    let chosen = browser.get(&format!("{page}?client={client}")).await;
    let chosen = chosen.text().await.unwrap();
    let option = format!("<option value=\"{client}\" selected>{far}</option>");
    assert!(chosen.contains(&option), "{chosen}");
    app.finish().await;
}
