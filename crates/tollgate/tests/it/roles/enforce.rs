//! Every call made with an admin's token acts with that admin's roles.

use reqwest::Method;
use serde_json::json;

use super::{as_token, assign, group, token_for, user};
use crate::backend_tests;
use crate::support::{Backend, TestApp, assert_okta_error, json, send};

backend_tests!(
    read_only_admin_reads_but_cannot_write,
    user_admin_with_a_group_target,
    roles_through_groups,
    tokens_of_deactivated_or_demoted_admins_stop_working,
);

async fn read_only_admin_reads_but_cannot_write(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let ro = user(&app, "ro@acme.com").await;
    assign(&app, "users", &ro, "READ_ONLY_ADMIN").await;
    let ro_app = as_token(&app, &token_for(&app, &ro).await);
    for path in [
        "/api/v1/users",
        "/api/v1/groups",
        "/api/v1/org",
        "/api/v1/apps",
    ] {
        json(ro_app.get(path), 200).await;
    }
    let write = json(
        ro_app.post("/api/v1/groups", &json!({"profile": {"name": "Nope"}})),
        403,
    )
    .await;
    assert_eq!(
        assert_okta_error(&write, "E0000006"),
        "You do not have permission to perform the requested action"
    );
    let del = json(ro_app.delete(&format!("/api/v1/users/{ro}")), 403).await;
    assert_okta_error(&del, "E0000006");
    // Roles are managed by super admins only; the token list is not for read-only admins.
    let grant = json(
        ro_app.post(
            &format!("/api/v1/users/{ro}/roles"),
            &json!({"type": "SUPER_ADMIN"}),
        ),
        403,
    )
    .await;
    assert_okta_error(&grant, "E0000006");
    assert_okta_error(
        &json(ro_app.get("/api/v1/api-tokens"), 403).await,
        "E0000006",
    );
    // Reading itself is allowed to every admin.
    let me = json(ro_app.get("/api/v1/users/me"), 200).await;
    assert_eq!(me["id"], ro.as_str());
    app.finish().await;
}

async fn user_admin_with_a_group_target(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let (west, east) = (group(&app, "West").await, group(&app, "East").await);
    let (inside, outside) = (
        user(&app, "inside@acme.com").await,
        user(&app, "outside@acme.com").await,
    );
    for (g, u) in [(&west, &inside), (&east, &outside)] {
        let added = send(app.req(Method::PUT, &format!("/api/v1/groups/{g}/users/{u}"))).await;
        assert_eq!(added.status(), 204);
    }
    let ua = user(&app, "ua@acme.com").await;
    assign(&app, "users", &ua, "USER_ADMIN").await;
    let target = format!("/api/v1/users/{ua}/roles/KVJUKUS7IFCE2SKO/targets/groups/{west}");
    assert_eq!(send(app.req(Method::PUT, &target)).await.status(), 204);
    let ua_app = as_token(&app, &token_for(&app, &ua).await);

    let edit = json!({"profile": {"nickName": "Edited"}});
    let ok = json(ua_app.post(&format!("/api/v1/users/{inside}"), &edit), 200).await;
    assert_eq!(ok["profile"]["nickName"], "Edited");
    let refused = json(ua_app.post(&format!("/api/v1/users/{outside}"), &edit), 403).await;
    assert_okta_error(&refused, "E0000006");
    // By login too.
    let by_login = json(ua_app.post("/api/v1/users/outside@acme.com", &edit), 403).await;
    assert_okta_error(&by_login, "E0000006");
    // Its group's membership, not another's.
    let new = user(&app, "new@acme.com").await;
    let in_west =
        send(ua_app.req(Method::PUT, &format!("/api/v1/groups/{west}/users/{new}"))).await;
    assert_eq!(in_west.status(), 204);
    let in_east = json(
        ua_app.req(Method::PUT, &format!("/api/v1/groups/{east}/users/{new}")),
        403,
    )
    .await;
    assert_okta_error(&in_east, "E0000006");
    // Reads are not narrowed; apps and authorization servers are not a user admin's.
    json(ua_app.get(&format!("/api/v1/users/{outside}")), 200).await;
    assert_okta_error(
        &json(ua_app.get("/api/v1/authorizationServers"), 403).await,
        "E0000006",
    );
    app.finish().await;
}

async fn roles_through_groups(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let helpdesk = group(&app, "Help desk").await;
    assign(&app, "groups", &helpdesk, "HELP_DESK_ADMIN").await;
    let agent = user(&app, "agent@acme.com").await;
    let customer = user(&app, "customer@acme.com").await;
    let agent_app = as_token(&app, &token_for(&app, &agent).await);
    // Not yet a member: no admin role, the token does not work.
    assert_okta_error(&json(agent_app.get("/api/v1/users"), 401).await, "E0000011");
    let added = send(app.req(
        Method::PUT,
        &format!("/api/v1/groups/{helpdesk}/users/{agent}"),
    ))
    .await;
    assert_eq!(added.status(), 204);
    json(agent_app.get("/api/v1/users"), 200).await;
    let unlock = format!("/api/v1/users/{customer}/lifecycle/expire_password");
    json(agent_app.req(Method::POST, &unlock), 200).await;
    let deactivate = format!("/api/v1/users/{customer}/lifecycle/deactivate");
    assert_okta_error(
        &json(agent_app.req(Method::POST, &deactivate), 403).await,
        "E0000006",
    );
    app.finish().await;
}

async fn tokens_of_deactivated_or_demoted_admins_stop_working(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let sa = user(&app, "sa@acme.com").await;
    assign(&app, "users", &sa, "SUPER_ADMIN").await;
    let sa_app = as_token(&app, &token_for(&app, &sa).await);
    json(sa_app.get("/api/v1/org"), 200).await;
    json(
        app.req(
            Method::POST,
            &format!("/api/v1/users/{sa}/lifecycle/deactivate"),
        ),
        200,
    )
    .await;
    let refused = json(sa_app.get("/api/v1/org"), 401).await;
    assert_eq!(
        assert_okta_error(&refused, "E0000011"),
        "Invalid token provided"
    );

    let ra = user(&app, "ra@acme.com").await;
    assign(&app, "users", &ra, "REPORT_ADMIN").await;
    let ra_app = as_token(&app, &token_for(&app, &ra).await);
    json(ra_app.get("/api/v1/logs"), 200).await;
    let revoked = send(app.delete(&format!("/api/v1/users/{ra}/roles/KJCVAT2SKRPUCRCNJFHA"))).await;
    assert_eq!(revoked.status(), 204);
    assert_okta_error(&json(ra_app.get("/api/v1/logs"), 401).await, "E0000011");
    app.finish().await;
}
