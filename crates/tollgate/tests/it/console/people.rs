//! Directory > People: the list and its search, Add person, a person's profile form, lifecycle
//! buttons, groups and applications; what each admin role may do there.

use serde_json::{Value, json};

use super::access::with_admin;
use super::{Browser, assert_console_headers, location};
use crate::backend_tests;
use crate::oauth::last_event;
use crate::roles::{assign, user};
use crate::support::{Backend, TestApp, json};

backend_tests!(
    the_list_searches_and_add_person_creates_through_the_api,
    the_lifecycle_buttons_follow_the_status_and_change_what_the_api_reads,
    the_profile_form_saves_and_shows_each_refusal_next_to_its_field,
    a_read_only_admin_sees_people_but_changes_nothing,
    a_help_desk_admin_may_reset_a_password_but_not_suspend,
    a_long_list_comes_a_page_at_a_time,
);

/// The user as `GET /api/v1/users/{id}` reads them.
async fn read(app: &TestApp, id: &str) -> Value {
    json(app.get(&format!("/api/v1/users/{id}")), 200).await
}

/// Posts a lifecycle button of a person's page with the page's token.
async fn press(browser: &Browser, id: &str, op: &str) -> reqwest::Response {
    let page = format!("/admin/people/{id}");
    let path = match op {
        "delete" => format!("{page}/delete"),
        op => format!("{page}/lifecycle/{op}"),
    };
    browser.submit(&page, &path, &[]).await
}

const NEW_PERSON: [(&str, &str); 6] = [
    ("firstName", "Grace"),
    ("lastName", "Hopper"),
    ("login", "grace@acme.com"),
    ("email", "grace@acme.com"),
    ("password", "Tollgate-2026"),
    ("activation", "now"),
];

async fn the_list_searches_and_add_person_creates_through_the_api(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = with_admin(&app).await;
    let browser = Browser::signed_in(&app, "ada@acme.com").await;
    let all = browser.get("/admin/people").await;
    assert_console_headers(&all);
    let all = all.text().await.unwrap();
    let annie = format!("<a href=\"/admin/people/{}\">Annie Jackson</a>", s.user);
    assert!(all.contains(&annie), "{all}");
    assert!(all.contains("<a href=\"/admin/people\">People</a>"));
    let hit = browser
        .get("/admin/people?q=jack")
        .await
        .text()
        .await
        .unwrap();
    assert!(hit.contains(&annie), "{hit}");
    let miss = browser
        .get("/admin/people?q=zzz")
        .await
        .text()
        .await
        .unwrap();
    assert!(!miss.contains(&annie) && miss.contains("No people found."));

    let form = browser.get("/admin/people/new").await.text().await.unwrap();
    for label in [
        "First name",
        "Last name",
        "Username",
        "Primary email",
        "Activate later",
    ] {
        assert!(form.contains(&format!("{label}</label>")), "{label}");
    }
    let added = browser
        .submit("/admin/people/new", "/admin/people", &NEW_PERSON)
        .await;
    assert_eq!(added.status(), 303);
    let to = location(&added);
    let grace = read(&app, "grace@acme.com").await;
    assert_eq!(
        to,
        format!(
            "/admin/people/{}?saved=created",
            grace["id"].as_str().unwrap()
        )
    );
    assert_eq!(grace["status"], "ACTIVE");
    assert_eq!(grace["profile"]["firstName"], "Grace");
    let event = last_event(&app, "user.lifecycle.create").await;
    assert_eq!(event["actor"]["alternateId"], "ada@acme.com");
    assert_eq!(event["target"][0]["alternateId"], "grace@acme.com");
    let shown = browser.get(&to).await.text().await.unwrap();
    assert!(shown.contains("Person added."), "{shown}");

    // Activate later, no password: staged, as `?activate=false` makes them.
    let later = [
        ("firstName", "Alan"),
        ("lastName", "Turing"),
        ("login", "alan@acme.com"),
        ("email", "alan@acme.com"),
        ("password", ""),
        ("activation", "later"),
    ];
    let added = browser
        .submit("/admin/people/new", "/admin/people", &later)
        .await;
    assert_eq!(added.status(), 303);
    assert_eq!(read(&app, "alan@acme.com").await["status"], "STAGED");

    // The same username again: refused, the message next to the field, the values kept.
    let again = browser
        .submit("/admin/people/new", "/admin/people", &NEW_PERSON)
        .await;
    assert_eq!(again.status(), 422);
    let html = again.text().await.unwrap();
    assert!(
        html.contains("aria-invalid=\"true\" aria-describedby=\"f-login-error\""),
        "{html}"
    );
    assert!(
        html.contains("<p class=\"error\" id=\"f-login-error\">"),
        "{html}"
    );
    assert!(html.contains("value=\"Grace\""));
    app.finish().await;
}

async fn the_lifecycle_buttons_follow_the_status_and_change_what_the_api_reads(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = with_admin(&app).await;
    let browser = Browser::signed_in(&app, "ada@acme.com").await;
    let page = format!("/admin/people/{}", s.user);
    let html = browser.get(&page).await.text().await.unwrap();
    for label in ["Deactivate", "Suspend", "Reset Password"] {
        assert!(
            html.contains(&format!("<button type=\"submit\">{label}</button>")),
            "{label}"
        );
    }
    for label in ["Activate", "Unsuspend", "Unlock", "Delete"] {
        assert!(!html.contains(&format!(">{label}</button>")), "{label}");
    }
    let steps = [
        (
            "suspend",
            ("SUSPENDED", "Suspended"),
            "user.lifecycle.suspend",
        ),
        (
            "unsuspend",
            ("ACTIVE", "Active"),
            "user.lifecycle.unsuspend",
        ),
        (
            "reset_password",
            ("RECOVERY", "Password reset"),
            "user.account.reset_password",
        ),
        (
            "deactivate",
            ("DEPROVISIONED", "Deactivated"),
            "user.lifecycle.deactivate",
        ),
    ];
    for (op, (status, words), event_type) in steps {
        let resp = press(&browser, &s.user, op).await;
        assert_eq!(resp.status(), 303, "{op}");
        assert_eq!(location(&resp), format!("{page}?saved={op}"));
        assert_eq!(read(&app, &s.user).await["status"], status, "{op}");
        let shown = browser.get(&location(&resp)).await.text().await.unwrap();
        let said = format!("Status: <strong>{words}</strong>");
        assert!(shown.contains(&said), "{op}: {said}");
        let event = last_event(&app, event_type).await;
        assert_eq!(event["actor"]["alternateId"], "ada@acme.com", "{op}");
        assert_eq!(event["target"][0]["id"], json!(s.user), "{op}");
    }
    let html = browser.get(&page).await.text().await.unwrap();
    assert!(
        html.contains("<button type=\"submit\">Delete</button>"),
        "{html}"
    );
    // An operation the status does not allow is the API's refusal, and changes nothing.
    assert_eq!(press(&browser, &s.user, "suspend").await.status(), 400);
    assert_eq!(press(&browser, &s.user, "delete").await.status(), 303);
    assert_eq!(
        app.get(&format!("/api/v1/users/{}", s.user))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let event = last_event(&app, "user.lifecycle.delete.completed").await;
    assert_eq!(event["actor"]["alternateId"], "ada@acme.com");
    app.finish().await;
}

async fn the_profile_form_saves_and_shows_each_refusal_next_to_its_field(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = with_admin(&app).await;
    let browser = Browser::signed_in(&app, "ada@acme.com").await;
    let page = format!("/admin/people/{}", s.user);
    let html = browser.get(&page).await.text().await.unwrap();
    assert!(
        html.contains("<label for=\"f-firstName\">First name</label>"),
        "{html}"
    );
    assert!(html.contains("value=\"annie.jackson@acme.com\""));
    assert!(html.contains(">WestCoastDivision</a>"), "{html}");
    assert!(html.contains(">Everyone</a>"));
    assert!(
        html.contains(&format!(
            "<a href=\"/admin/apps/{}\">Sample Client</a>",
            s.app_id
        )),
        "{html}"
    );

    let profile = format!("{page}/profile");
    let fields = [
        ("login", "annie.jackson@acme.com"),
        ("firstName", "Anne"),
        ("lastName", "Jackson"),
        ("email", "annie.jackson@acme.com"),
        ("title", "Engineer"),
        ("locale", ""),
    ];
    let saved = browser.submit(&page, &profile, &fields).await;
    assert_eq!(saved.status(), 303);
    assert_eq!(location(&saved), format!("{page}?saved=profile"));
    let stored = read(&app, &s.user).await;
    assert_eq!(stored["profile"]["firstName"], "Anne");
    assert_eq!(stored["profile"]["title"], "Engineer");
    assert!(stored["profile"].get("locale").is_none(), "{stored}");
    let event = last_event(&app, "user.account.update_profile").await;
    assert_eq!(event["actor"]["alternateId"], "ada@acme.com");

    let bad = [
        ("login", "annie.jackson@acme.com"),
        ("firstName", ""),
        ("lastName", "J"),
        ("email", "annie.jackson@acme.com"),
    ];
    let refused = browser.submit(&page, &profile, &bad).await;
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.unwrap();
    assert!(
        html.contains("id=\"f-firstName\" name=\"firstName\" value=\"\" required aria-invalid=\"true\" aria-describedby=\"f-firstName-error\""),
        "{html}"
    );
    assert_eq!(read(&app, &s.user).await["profile"]["firstName"], "Anne");
    app.finish().await;
}

async fn a_read_only_admin_sees_people_but_changes_nothing(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = with_admin(&app).await;
    let ro = user(&app, "ro@acme.com").await;
    assign(&app, "users", &ro, "READ_ONLY_ADMIN").await;
    let before = read(&app, &s.user).await;
    let browser = Browser::signed_in(&app, "ro@acme.com").await;
    let list = browser.get("/admin/people").await.text().await.unwrap();
    assert!(
        list.contains("Annie Jackson") && !list.contains("Add person"),
        "{list}"
    );
    assert_eq!(browser.get("/admin/people/new").await.status(), 403);
    let page = format!("/admin/people/{}", s.user);
    let html = browser.get(&page).await.text().await.unwrap();
    assert!(
        html.contains("<button type=\"submit\" disabled>Suspend</button>"),
        "{html}"
    );
    assert!(
        html.contains("class=\"primary\" disabled>Save</button>"),
        "{html}"
    );
    for op in ["suspend", "deactivate", "reset_password"] {
        assert_eq!(press(&browser, &s.user, op).await.status(), 403, "{op}");
    }
    let profile = browser
        .submit(&page, &format!("{page}/profile"), &[("firstName", "Eve")])
        .await;
    assert_eq!(profile.status(), 403);
    let added = browser.submit(&page, "/admin/people", &NEW_PERSON).await;
    assert_eq!(added.status(), 403);
    assert_eq!(read(&app, &s.user).await, before);
    assert_eq!(
        app.get("/api/v1/users/grace@acme.com")
            .send()
            .await
            .unwrap()
            .status(),
        404
    );

    // Without the page's token even a super admin changes nothing.
    let ada = Browser::signed_in(&app, "ada@acme.com").await;
    assert_eq!(ada.get(&page).await.status(), 200);
    let forged = ada
        .post(
            &format!("{page}/lifecycle/suspend"),
            &[("csrf", "forged-0000000000000000")],
        )
        .await;
    assert_eq!(forged.status(), 403);
    assert_eq!(read(&app, &s.user).await["status"], "ACTIVE");
    app.finish().await;
}

async fn a_help_desk_admin_may_reset_a_password_but_not_suspend(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = with_admin(&app).await;
    let hd = user(&app, "hd@acme.com").await;
    assign(&app, "users", &hd, "HELP_DESK_ADMIN").await;
    let browser = Browser::signed_in(&app, "hd@acme.com").await;
    let page = format!("/admin/people/{}", s.user);
    let html = browser.get(&page).await.text().await.unwrap();
    assert!(
        html.contains("<button type=\"submit\" disabled>Suspend</button>"),
        "{html}"
    );
    assert!(
        html.contains("<button type=\"submit\">Reset Password</button>"),
        "{html}"
    );
    assert_eq!(press(&browser, &s.user, "suspend").await.status(), 403);
    assert_eq!(read(&app, &s.user).await["status"], "ACTIVE");
    assert_eq!(
        press(&browser, &s.user, "reset_password").await.status(),
        303
    );
    assert_eq!(read(&app, &s.user).await["status"], "RECOVERY");
    let event = last_event(&app, "user.account.reset_password").await;
    assert_eq!(event["actor"]["alternateId"], "hd@acme.com");
    app.finish().await;
}

async fn a_long_list_comes_a_page_at_a_time(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    with_admin(&app).await;
    for i in 0..52 {
        let login = format!("p{i:02}@acme.com");
        let body = json!({"profile": {"firstName": "P", "lastName": format!("{i:02}"),
                                      "email": login, "login": login}});
        json(app.post("/api/v1/users?activate=false", &body), 200).await;
    }
    let browser = Browser::signed_in(&app, "ada@acme.com").await;
    let first = browser.get("/admin/people").await.text().await.unwrap();
    assert_eq!(
        first.matches("<tr><td><a href=\"/admin/people/").count(),
        50
    );
    let marker = "<p><a href=\"/admin/people?";
    let start = first.find(marker).expect("a next page link") + marker.len() - 1;
    let href = &first[start..];
    let next = href[..href.find('"').unwrap()].replace("&amp;", "&");
    let second = browser.get(&format!("/admin/people{next}")).await;
    assert_eq!(second.status(), 200);
    let second = second.text().await.unwrap();
    // The rest of the people the API lists, and no further page.
    let all = json(app.get("/api/v1/users?limit=200"), 200).await;
    let rest = all.as_array().unwrap().len() - 50;
    assert!(rest >= 2);
    let rows = second.matches("<tr><td><a href=\"/admin/people/").count();
    assert_eq!(rows, rest);
    assert!(!second.contains("Next page"), "{second}");
    app.finish().await;
}
