//! Users, groups and memberships through the management API.

mod groups;
mod user_shape;

use reqwest::Method;
use serde_json::{Value, json};

use crate::backend_tests;
use crate::support::{Backend, TestApp, assert_okta_error, json, send};

backend_tests!(
    users_create_read_update,
    users_lifecycle_and_delete,
    memberships_and_user_groups,
    users_list_with_q_filter_and_paging,
);

fn user_body(login: &str) -> Value {
    json!({
        "profile": {"firstName": "Annie", "lastName": "Jackson", "email": login, "login": login, "department": "Sales"},
        "credentials": {"password": {"value": "Tollgate-2026"}}
    })
}

async fn create_group(app: &TestApp, name: &str) -> Value {
    json(
        app.post(
            "/api/v1/groups",
            &json!({"profile": {"name": name, "description": "Employees West of the Rockies"}}),
        ),
        200,
    )
    .await
}

/// Follows `rel="next"` links from `path`, collecting every item.
pub(crate) async fn collect_pages(app: &TestApp, path: &str) -> (Vec<Value>, usize) {
    let mut url = format!("{}{path}", app.base);
    let mut items = Vec::new();
    let mut pages = 0;
    loop {
        let resp = send(
            app.client
                .get(&url)
                .header("Authorization", format!("SSWS {}", app.token)),
        )
        .await;
        assert_eq!(resp.status(), 200);
        let links: Vec<String> = resp
            .headers()
            .get_all("link")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect();
        assert!(
            links.iter().any(|l| l.ends_with("rel=\"self\"")),
            "{links:?}"
        );
        let next = links.iter().find(|l| l.ends_with("rel=\"next\"")).map(|l| {
            l.trim_start_matches('<')
                .split(">;")
                .next()
                .unwrap()
                .to_owned()
        });
        let page: Vec<Value> = resp.json().await.unwrap();
        items.extend(page);
        pages += 1;
        match next {
            Some(n) => url = n,
            None => break,
        }
        assert!(pages < 50, "paging does not end");
    }
    (items, pages)
}

async fn users_create_read_update(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let u = json(
        app.post(
            "/api/v1/users?activate=true",
            &user_body("annie.jackson@acme.com"),
        ),
        200,
    )
    .await;
    let id = u["id"].as_str().unwrap();
    assert!(id.starts_with("00u"));
    assert_eq!(u["status"], "ACTIVE");
    assert_eq!(u["credentials"]["password"], json!({}));
    assert_eq!(
        u["credentials"]["provider"],
        json!({"type": "OKTA", "name": "OKTA"})
    );
    assert_eq!(u["profile"]["department"], "Sales");
    assert!(u["lastLogin"].is_null());
    assert_eq!(
        u["_links"]["self"]["href"],
        format!("{}/api/v1/users/{id}", app.base)
    );

    let by_login = json(app.get("/api/v1/users/Annie.Jackson@acme.com"), 200).await;
    assert_eq!(by_login["id"], id);

    let dup = json(
        app.post("/api/v1/users", &user_body("ANNIE.jackson@acme.com")),
        400,
    )
    .await;
    assert_eq!(
        dup["errorCauses"][0]["errorSummary"],
        "login: An object with this field already exists in the current organization"
    );

    let mut weak = user_body("bob.smith@acme.com");
    weak["credentials"]["password"]["value"] = json!("bobsmith1");
    let weak = json(app.post("/api/v1/users", &weak), 400).await;
    assert_okta_error(&weak, "E0000001");
    assert!(
        weak["errorCauses"][0]["errorSummary"]
            .as_str()
            .unwrap()
            .starts_with("password: Password requirements were not met")
    );

    let missing = json(
        app.post(
            "/api/v1/users",
            &json!({"profile": {"login": "x@y.z", "email": "x@y.z"}}),
        ),
        400,
    )
    .await;
    let causes: Vec<_> = missing["errorCauses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["errorSummary"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        causes,
        [
            "firstName: The field cannot be left blank",
            "lastName: The field cannot be left blank"
        ]
    );

    let staged = json(app.post("/api/v1/users?activate=false", &json!({"profile": {"firstName": "C", "lastName": "D", "email": "c@d.io", "login": "c@d.io"}})), 200).await;
    assert_eq!(staged["status"], "STAGED");
    assert!(staged["credentials"].get("password").is_none());

    let merged = json(
        app.post(
            &format!("/api/v1/users/{id}"),
            &json!({"profile": {"nickName": "Ann"}}),
        ),
        200,
    )
    .await;
    assert_eq!(merged["profile"]["nickName"], "Ann");
    assert_eq!(merged["profile"]["department"], "Sales");
    let replaced = json(
        app.put(&format!("/api/v1/users/{id}"), &json!({"profile": {"firstName": "Annie", "lastName": "J", "email": "annie.jackson@acme.com", "login": "annie.jackson@acme.com"}})),
        200,
    )
    .await;
    assert!(replaced["profile"].get("department").is_none());
    json(app.get("/api/v1/users/00unknown"), 404).await;
    let bad_query = json(
        app.post("/api/v1/users?activate=maybe", &user_body("q@acme.com")),
        400,
    )
    .await;
    assert_okta_error(&bad_query, "E0000001");
    app.finish().await;
}

async fn users_lifecycle_and_delete(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let u = json(app.post("/api/v1/users", &user_body("life@acme.com")), 200).await;
    let id = u["id"].as_str().unwrap();
    let life = |op: &str| app.req(Method::POST, &format!("/api/v1/users/{id}/lifecycle/{op}"));
    assert_okta_error(&json(life("activate"), 403).await, "E0000016");
    assert_eq!(json(life("suspend"), 200).await, json!({}));
    assert_eq!(
        json(app.get(&format!("/api/v1/users/{id}")), 200).await["status"],
        "SUSPENDED"
    );
    assert_okta_error(&json(life("suspend"), 400).await, "E0000001");
    json(life("unsuspend"), 200).await;
    assert_okta_error(&json(life("unlock"), 403).await, "E0000032");
    let expired = json(life("expire_password"), 200).await;
    assert_eq!(expired["status"], "PASSWORD_EXPIRED");
    json(life("deactivate"), 200).await;
    json(life("activate"), 200).await;
    assert_eq!(
        json(app.get(&format!("/api/v1/users/{id}")), 200).await["status"],
        "ACTIVE"
    );
    json(life("nonsense"), 404).await;

    assert_eq!(
        send(app.delete(&format!("/api/v1/users/{id}")))
            .await
            .status(),
        204
    );
    assert_eq!(
        json(app.get(&format!("/api/v1/users/{id}")), 200).await["status"],
        "DEPROVISIONED"
    );
    assert_eq!(
        send(app.delete(&format!("/api/v1/users/{id}")))
            .await
            .status(),
        204
    );
    json(app.get(&format!("/api/v1/users/{id}")), 404).await;
    app.finish().await;
}

async fn memberships_and_user_groups(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let g = create_group(&app, "WestCoastDivision").await;
    let gid = g["id"].as_str().unwrap();
    let other = create_group(&app, "Other").await;
    let mut body = user_body("member@acme.com");
    body["groupIds"] = json!([other["id"]]);
    let u = json(app.post("/api/v1/users", &body), 200).await;
    let uid = u["id"].as_str().unwrap();

    let mut bad = user_body("nobody@acme.com");
    bad["groupIds"] = json!(["00gdoesnotexist00000"]);
    assert_okta_error(
        &json(app.post("/api/v1/users", &bad), 400).await,
        "E0000001",
    );
    json(app.get("/api/v1/users/nobody@acme.com"), 404).await;

    assert_eq!(
        send(
            app.put(&format!("/api/v1/groups/{gid}/users/{uid}"), &json!(null))
                .header("content-length", "0")
        )
        .await
        .status(),
        204
    );
    assert_eq!(
        send(app.req(Method::PUT, &format!("/api/v1/groups/{gid}/users/{uid}")))
            .await
            .status(),
        204,
        "idempotent"
    );
    let members = json(app.get(&format!("/api/v1/groups/{gid}/users")), 200).await;
    assert_eq!(members.as_array().unwrap().len(), 1);
    assert_eq!(members[0]["id"], uid);
    let after = json(app.get(&format!("/api/v1/groups/{gid}")), 200).await;
    assert!(
        after["lastMembershipUpdated"].as_str().unwrap()
            >= g["lastMembershipUpdated"].as_str().unwrap()
    );

    let groups = json(app.get(&format!("/api/v1/users/{uid}/groups")), 200).await;
    let mut names: Vec<_> = groups
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["profile"]["name"].as_str().unwrap())
        .collect();
    names.sort_unstable();
    assert_eq!(names, ["Everyone", "Other", "WestCoastDivision"]);

    let everyone = json(
        app.get("/api/v1/groups?filter=type%20eq%20%22BUILT_IN%22"),
        200,
    )
    .await;
    let eid = everyone[0]["id"].as_str().unwrap();
    assert_okta_error(
        &json(
            app.req(Method::PUT, &format!("/api/v1/groups/{eid}/users/{uid}")),
            403,
        )
        .await,
        "E0000006",
    );
    // Everyone: the new user and the org's first admin.
    let all = json(app.get(&format!("/api/v1/groups/{eid}/users")), 200).await;
    assert_eq!(all.as_array().unwrap().len(), 2);
    assert_okta_error(
        &json(
            app.req(Method::PUT, &format!("/api/v1/groups/{gid}/users/00unope")),
            404,
        )
        .await,
        "E0000007",
    );

    assert_eq!(
        send(app.delete(&format!("/api/v1/groups/{gid}/users/{uid}")))
            .await
            .status(),
        204
    );
    assert_eq!(
        send(app.delete(&format!("/api/v1/groups/{gid}/users/{uid}")))
            .await
            .status(),
        204
    );
    assert_eq!(
        json(app.get(&format!("/api/v1/groups/{gid}/users")), 200).await,
        json!([])
    );
    app.finish().await;
}

async fn users_list_with_q_filter_and_paging(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    for (first, login) in [
        ("Annie", "annie@acme.com"),
        ("Bob", "bob@acme.com"),
        ("Carla", "carla@acme.com"),
        ("Anna", "anna@other.org"),
    ] {
        let mut body = user_body(login);
        body["profile"]["firstName"] = json!(first);
        json(app.post("/api/v1/users", &body), 200).await;
    }
    let gone = json(app.get("/api/v1/users/bob@acme.com"), 200).await;
    json(
        app.req(
            Method::POST,
            &format!(
                "/api/v1/users/{}/lifecycle/deactivate",
                gone["id"].as_str().unwrap()
            ),
        ),
        200,
    )
    .await;

    let logins = |v: &Value| {
        v.as_array()
            .unwrap()
            .iter()
            .map(|u| u["profile"]["login"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        logins(&json(app.get("/api/v1/users"), 200).await).len(),
        4,
        "deprovisioned users are left out (the three left and the org's first admin)"
    );
    assert_eq!(
        logins(&json(app.get("/api/v1/users?q=an"), 200).await),
        ["annie@acme.com", "anna@other.org"]
    );
    let filtered = json(
        app.get("/api/v1/users?filter=status%20eq%20%22DEPROVISIONED%22"),
        200,
    )
    .await;
    assert_eq!(logins(&filtered), ["bob@acme.com"]);
    let by_login = json(
        app.get("/api/v1/users?filter=profile.login%20eq%20%22CARLA@acme.com%22"),
        200,
    )
    .await;
    assert_eq!(logins(&by_login), ["carla@acme.com"]);
    let search = json(app.get("/api/v1/users?search=profile.department%20eq%20%22sales%22%20and%20profile.email%20sw%20%22ann%22"), 200).await;
    assert_eq!(logins(&search), ["annie@acme.com", "anna@other.org"]);
    assert_okta_error(
        &json(app.get("/api/v1/users?filter=status%20co%20%22A%22"), 400).await,
        "E0000031",
    );

    // The three left and the org's first admin, one per page.
    let (all, pages) = collect_pages(&app, "/api/v1/users?limit=1").await;
    assert_eq!((all.len(), pages), (4, 4));
    app.finish().await;
}
