//! List-valued custom profile properties in a person's profile form: one value per line, typed
//! as the schema's items, saved and read back through the API; a value the schema refuses is
//! named next to its field and nothing is saved.

use serde_json::json;

use super::access::with_admin;
use super::{Browser, location};
use crate::backend_tests;
use crate::schemas::{USER_SCHEMA, props};
use crate::support::{Backend, TestApp, json};

backend_tests!(a_list_property_round_trips_one_value_per_line);

async fn a_list_property_round_trips_one_value_per_line(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = with_admin(&app).await;
    let body = props(json!({
        "skills": {"title": "Skills", "type": "array", "items": {"type": "string"}},
        "shifts": {"title": "Shifts", "type": "array", "items": {"type": "integer"}},
    }));
    json(app.post(USER_SCHEMA, &body), 200).await;
    let browser = Browser::signed_in(&app, "ada@acme.com").await;
    let page = format!("/admin/people/{}", s.user);
    let html = browser.get(&page).await.text().await.unwrap();
    assert!(
        html.contains("<label for=\"f-skills\">Skills</label>"),
        "{html}"
    );
    assert!(
        html.contains("<textarea id=\"f-shifts\" name=\"shifts\""),
        "{html}"
    );

    let profile = format!("{page}/profile");
    let base = [
        ("login", "annie.jackson@acme.com"),
        ("firstName", "Annie"),
        ("lastName", "Jackson"),
        ("email", "annie.jackson@acme.com"),
    ];
    let mut fields = base.to_vec();
    fields.extend([("skills", "rust\n\n sql \n"), ("shifts", "1\n3")]);
    let saved = browser.submit(&page, &profile, &fields).await;
    assert_eq!(location(&saved), format!("{page}?saved=profile"));
    let stored = json(app.get(&format!("/api/v1/users/{}", s.user)), 200).await;
    assert_eq!(stored["profile"]["skills"], json!(["rust", "sql"]));
    assert_eq!(stored["profile"]["shifts"], json!([1, 3]));
    let html = browser.get(&page).await.text().await.unwrap();
    assert!(html.contains(">rust\nsql</textarea>"), "{html}");

    let mut bad = base.to_vec();
    bad.extend([("skills", "rust"), ("shifts", "1\nlate")]);
    let refused = browser.submit(&page, &profile, &bad).await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(
        html.contains("aria-invalid=\"true\" aria-describedby=\"f-shifts-hint f-shifts-error\""),
        "{html}"
    );
    assert!(
        html.contains("<p class=\"error\" id=\"f-shifts-error\">"),
        "{html}"
    );
    let stored = json(app.get(&format!("/api/v1/users/{}", s.user)), 200).await;
    assert_eq!(stored["profile"]["shifts"], json!([1, 3]));

    let mut emptied = base.to_vec();
    emptied.extend([("skills", ""), ("shifts", "")]);
    assert_eq!(
        browser.submit(&page, &profile, &emptied).await.status(),
        303
    );
    let stored = json(app.get(&format!("/api/v1/users/{}", s.user)), 200).await;
    assert!(
        stored["profile"].get("skills").is_none_or(|v| v.is_null()),
        "{stored}"
    );
    app.finish().await;
}
