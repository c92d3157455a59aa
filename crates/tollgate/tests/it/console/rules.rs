//! Directory > Groups > Rules: add, activate, edit and delete rules through the API's own
//! functions; a new user matching an active rule lands in its group.

use serde_json::{Value, json};

use super::access::with_admin;
use super::{Browser, assert_console_headers, location};
use crate::backend_tests;
use crate::roles::{assign, user};
use crate::support::{Backend, TestApp, json};

backend_tests!(
    rules_made_in_the_console_are_what_the_api_reads_and_they_assign_people,
    a_refused_rule_comes_back_with_the_checker_s_message,
    read_only_admins_and_forged_posts_change_no_rule,
    delete_keeps_the_rule_s_users_unless_asked_to_remove_them,
);

const RULES: &str = "/admin/groups/rules";

async fn rules(app: &TestApp) -> Vec<Value> {
    json(app.get("/api/v1/groups/rules"), 200)
        .await
        .as_array()
        .unwrap()
        .clone()
}

async fn add_rule(browser: &Browser, group: &str, expression: &str) -> reqwest::Response {
    browser
        .submit(
            "/admin/groups/rules/new",
            RULES,
            &[
                ("name", "Hoppers"),
                ("expression", expression),
                ("groupIds", group),
                ("exclude", ""),
            ],
        )
        .await
}

async fn rules_made_in_the_console_are_what_the_api_reads_and_they_assign_people(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = with_admin(&app).await;
    let browser = Browser::signed_in(&app, "ada@acme.com").await;
    let groups = browser.get("/admin/groups").await.text().await.unwrap();
    assert!(
        groups.contains("<a href=\"/admin/groups/rules\">Rules</a>"),
        "{groups}"
    );
    let engineering = s.groups[1].as_str();
    let resp = add_rule(&browser, engineering, "user.lastName == \"Hopper\"").await;
    assert_eq!(location(&resp), "/admin/groups/rules?saved=created");
    let made = rules(&app).await;
    assert_eq!(made.len(), 1);
    let id = made[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(made[0]["status"], json!("INACTIVE"));
    assert_eq!(
        made[0]["actions"]["assignUserToGroups"]["groupIds"],
        json!([engineering])
    );
    let list = browser.get(RULES).await;
    assert_console_headers(&list);
    let list = list.text().await.unwrap();
    assert!(
        list.contains("Hoppers") && list.contains("Engineering"),
        "{list}"
    );
    assert!(list.contains(&format!("href=\"{RULES}/{id}/edit\">Edit Hoppers")));

    // Activate: a new user whose last name matches lands in the group.
    let resp = browser
        .submit(RULES, &format!("{RULES}/{id}/activate"), &[])
        .await;
    assert_eq!(location(&resp), "/admin/groups/rules?saved=activate");
    assert_eq!(rules(&app).await[0]["status"], json!("ACTIVE"));
    let grace = grace_hopper(&app).await;
    let members = json(app.get(&format!("/api/v1/groups/{engineering}/users")), 200).await;
    assert!(
        members.to_string().contains(grace["id"].as_str().unwrap()),
        "{members}"
    );
    // An active rule has no Edit, and saving it anyway is refused as the API refuses it.
    let list = browser.get(RULES).await.text().await.unwrap();
    assert!(!list.contains("/edit\">Edit"), "{list}");
    let fields = [
        ("name", "Renamed"),
        ("expression", "true"),
        ("groupIds", engineering),
    ];
    let resp = browser
        .submit(RULES, &format!("{RULES}/{id}"), &fields)
        .await;
    assert_eq!(resp.status(), 422);
    assert!(resp.text().await.unwrap().contains("deactivate it first"));

    // Deactivate, then edit: the API reads the new name and exclusion.
    browser
        .submit(RULES, &format!("{RULES}/{id}/deactivate"), &[])
        .await;
    let fields = [
        ("name", "Renamed"),
        ("expression", "user.lastName == \"Hopper\""),
        ("groupIds", engineering),
        ("exclude", "grace@acme.com"),
    ];
    let resp = browser
        .submit(
            &format!("{RULES}/{id}/edit"),
            &format!("{RULES}/{id}"),
            &fields,
        )
        .await;
    assert_eq!(location(&resp), "/admin/groups/rules?saved=updated");
    let read = &rules(&app).await[0];
    assert_eq!(
        (read["name"].clone(), read["status"].clone()),
        (json!("Renamed"), json!("INACTIVE"))
    );
    assert_eq!(
        read["conditions"]["people"]["users"]["exclude"],
        json!([grace["id"]])
    );
    let edit = browser
        .get(&format!("{RULES}/{id}/edit"))
        .await
        .text()
        .await
        .unwrap();
    assert!(edit.contains("value=\"grace@acme.com\""), "{edit}");

    let resp = browser
        .submit(RULES, &format!("{RULES}/{id}/delete"), &[])
        .await;
    assert_eq!(location(&resp), "/admin/groups/rules?saved=delete");
    assert!(rules(&app).await.is_empty());
    app.finish().await;
}

async fn a_refused_rule_comes_back_with_the_checker_s_message(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = with_admin(&app).await;
    let browser = Browser::signed_in(&app, "ada@acme.com").await;
    let resp = add_rule(&browser, &s.groups[1], "user.lastName ==").await;
    assert_eq!(resp.status(), 422);
    let html = resp.text().await.unwrap();
    assert!(
        html.contains("aria-invalid=\"true\" aria-describedby=\"rule-expression-error\""),
        "{html}"
    );
    assert!(html.contains("Invalid expression: syntax error"), "{html}");
    assert!(html.contains("user.lastName ==</textarea>"), "{html}");
    let unknown = browser
        .submit(
            "/admin/groups/rules/new",
            RULES,
            &[
                ("name", "X"),
                ("expression", "true"),
                ("groupIds", &s.groups[1]),
                ("exclude", "nobody@acme.com"),
            ],
        )
        .await;
    assert_eq!(unknown.status(), 422);
    assert!(
        unknown
            .text()
            .await
            .unwrap()
            .contains("No person has the username nobody@acme.com")
    );
    assert!(rules(&app).await.is_empty());
    app.finish().await;
}

async fn read_only_admins_and_forged_posts_change_no_rule(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = with_admin(&app).await;
    let ada = Browser::signed_in(&app, "ada@acme.com").await;
    add_rule(&ada, &s.groups[1], "true").await;
    let before = rules(&app).await;
    let id = before[0]["id"].as_str().unwrap().to_owned();
    let ro = user(&app, "ro@acme.com").await;
    assign(&app, "users", &ro, "READ_ONLY_ADMIN").await;
    let ro = Browser::signed_in(&app, "ro@acme.com").await;
    let list = ro.get(RULES).await.text().await.unwrap();
    assert!(list.contains("Hoppers"), "{list}");
    assert!(
        !list.contains("Add Rule") && !list.contains("Activate Hoppers"),
        "{list}"
    );
    assert_eq!(ro.get("/admin/groups/rules/new").await.status(), 403);
    let fields = [
        ("name", "X"),
        ("expression", "true"),
        ("groupIds", &s.groups[1]),
    ];
    let add = ro.submit(RULES, RULES, &fields).await;
    assert_eq!(add.status(), 403);
    for op in ["activate", "delete"] {
        let resp = ro.submit(RULES, &format!("{RULES}/{id}/{op}"), &[]).await;
        assert_eq!(resp.status(), 403, "{op}");
    }
    // A post without the page's token, from a super admin.
    let forged = ada
        .post(&format!("{RULES}/{id}/activate"), &[("csrf", "x")])
        .await;
    assert_eq!(forged.status(), 403);
    assert_eq!(rules(&app).await, before);
    app.finish().await;
}

/// A new active user, Grace Hopper, as the API answers her creation.
async fn grace_hopper(app: &TestApp) -> Value {
    json(
        app.post(
            "/api/v1/users?activate=true",
            &json!({"profile": {"firstName": "Grace", "lastName": "Hopper",
                                "email": "grace@acme.com", "login": "grace@acme.com"}}),
        ),
        200,
    )
    .await
}

/// Whether `user` is a member of `group`, as the API lists members.
async fn member(app: &TestApp, group: &str, user: &str) -> bool {
    let members = json(app.get(&format!("/api/v1/groups/{group}/users")), 200).await;
    members.as_array().unwrap().iter().any(|m| m["id"] == user)
}

async fn delete_keeps_the_rule_s_users_unless_asked_to_remove_them(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = with_admin(&app).await;
    let ada = Browser::signed_in(&app, "ada@acme.com").await;
    let hoppers = "user.lastName == \"Hopper\"";
    for (name, group) in [("Kept", &s.groups[1]), ("Removed", &s.groups[2])] {
        let fields = [("name", name), ("expression", hoppers), ("groupIds", group)];
        let resp = ada.submit("/admin/groups/rules/new", RULES, &fields).await;
        assert_eq!(location(&resp), "/admin/groups/rules?saved=created");
    }
    for rule in rules(&app).await {
        let id = rule["id"].as_str().unwrap();
        ada.submit(RULES, &format!("{RULES}/{id}/activate"), &[])
            .await;
    }
    let grace = grace_hopper(&app).await;
    let grace = grace["id"].as_str().unwrap();
    assert!(member(&app, &s.groups[1], grace).await && member(&app, &s.groups[2], grace).await);
    let list = ada.get(RULES).await.text().await.unwrap();
    assert!(
        list.contains("name=\"removeUsers\" value=\"true\">Remove users assigned by Kept</label>"),
        "{list}"
    );
    let id_of = |all: &[Value], name: &str| {
        let rule = all.iter().find(|r| r["name"] == name).unwrap();
        rule["id"].as_str().unwrap().to_owned()
    };
    let all = rules(&app).await;
    let (kept, removed) = (id_of(&all, "Kept"), id_of(&all, "Removed"));

    let resp = ada
        .submit(RULES, &format!("{RULES}/{kept}/delete"), &[])
        .await;
    assert_eq!(location(&resp), "/admin/groups/rules?saved=delete");
    assert!(
        member(&app, &s.groups[1], grace).await,
        "kept without removeUsers"
    );
    let fields = [("removeUsers", "true")];
    let resp = ada
        .submit(RULES, &format!("{RULES}/{removed}/delete"), &fields)
        .await;
    assert_eq!(location(&resp), "/admin/groups/rules?saved=delete");
    assert!(
        !member(&app, &s.groups[2], grace).await,
        "removed with removeUsers"
    );
    assert!(rules(&app).await.is_empty());
    let event = crate::oauth::last_event(&app, "group.rule.delete").await;
    assert_eq!(event["actor"]["alternateId"], "ada@acme.com");
    assert_eq!(event["target"][0]["id"], removed.as_str());
    app.finish().await;
}
