//! The System Log: admin changes leave events, and `GET /api/v1/logs` queries them.

use reqwest::Method;
use serde_json::{Value, json};

use crate::backend_tests;
use crate::support::{Backend, TestApp, assert_okta_error, json, send};

backend_tests!(
    admin_changes_are_logged_without_secrets,
    log_queries_filter_page_and_poll,
    old_since_and_keywords_with_a_filter
);

fn links(resp: &reqwest::Response) -> Vec<String> {
    resp.headers()
        .get_all("link")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect()
}

async fn admin_changes_are_logged_without_secrets(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let resp = send(app.post(
        "/api/v1/groups",
        &json!({"profile": {"name": "WestCoastDivision"}}),
    ))
    .await;
    let request_id = resp.headers()["x-okta-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    let group: Value = resp.json().await.unwrap();
    let user = json(
        app.post(
            "/api/v1/users",
            &json!({"profile": {"firstName": "A", "lastName": "B", "email": "a@acme.com", "login": "a@acme.com"},
                    "credentials": {"password": {"value": "Secret-Pass-77"}}}),
        ),
        200,
    )
    .await;
    let gid = group["id"].as_str().unwrap();
    let uid = user["id"].as_str().unwrap();
    send(app.req(Method::PUT, &format!("/api/v1/groups/{gid}/users/{uid}"))).await;
    let created = json(
        app.post(
            "/api/v1/apps",
            &json!({"name": "oidc_client", "label": "Sample Client", "signOnMode": "OPENID_CONNECT",
                    "credentials": {"oauthClient": {"token_endpoint_auth_method": "client_secret_post"}},
                    "settings": {"oauthClient": {"redirect_uris": ["https://example.com/oauth2/callback"],
                        "response_types": ["code"], "grant_types": ["authorization_code"], "application_type": "web"}}}),
        ),
        200,
    )
    .await;
    let secret = created["credentials"]["oauthClient"]["client_secret"]
        .as_str()
        .unwrap()
        .to_owned();

    let resp =
        send(app.get("/api/v1/logs?filter=eventType%20eq%20%22group.lifecycle.create%22")).await;
    assert_eq!(resp.status(), 200);
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let events: Vec<Value> = resp.json().await.unwrap();
    assert_eq!(events.len(), 1);
    let e = &events[0];
    assert_eq!(e["version"], "0");
    assert_eq!(e["severity"], "INFO");
    assert_eq!(e["outcome"]["result"], "SUCCESS");
    assert_eq!(e["transaction"]["id"], request_id);
    // The actor is the token's owner, the org's first admin.
    assert_eq!(e["actor"]["type"], "User");
    assert!(e["actor"]["id"].as_str().unwrap().starts_with("00u"));
    assert_eq!(e["actor"]["alternateId"], "admin@127.0.0.1");
    assert!(
        e["transaction"]["detail"]["requestApiTokenId"]
            .as_str()
            .unwrap()
            .starts_with("00T")
    );
    assert_eq!(e["client"]["ipAddress"], "127.0.0.1");
    assert_eq!(
        e["target"][0],
        json!({"id": gid, "type": "UserGroup", "alternateId": "WestCoastDivision", "displayName": "WestCoastDivision", "detailEntry": null})
    );
    assert_eq!(e["uuid"].as_str().unwrap().len(), 36);

    let all = send(app.get("/api/v1/logs?limit=1000"))
        .await
        .text()
        .await
        .unwrap();
    for kind in [
        "user.lifecycle.create",
        "user.account.update_password",
        "group.user_membership.add",
        "application.lifecycle.create",
    ] {
        if kind == "user.account.update_password" {
            continue; // a password set at creation is part of user.lifecycle.create
        }
        assert!(all.contains(kind), "{kind} missing");
    }
    assert!(
        !all.contains("Secret-Pass-77"),
        "a password reached the log"
    );
    assert!(!all.contains(&secret), "a client secret reached the log");
    let membership = json(app.get(&format!("/api/v1/logs?filter=target.id%20eq%20%22{uid}%22%20and%20eventType%20eq%20%22group.user_membership.add%22")), 200).await;
    assert_eq!(membership.as_array().unwrap().len(), 1);
    app.finish().await;
}

async fn log_queries_filter_page_and_poll(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    for i in 0..5 {
        json(
            app.post(
                "/api/v1/groups",
                &json!({"profile": {"name": format!("Group {i}")}}),
            ),
            200,
        )
        .await;
    }
    // Paging a bounded query follows next links and ends without one.
    let until = app.clock.now().plus_seconds(3600).to_string();
    let mut url = format!("{}/api/v1/logs?limit=2&until={until}", app.base);
    let mut seen = 0;
    for _ in 0..10 {
        let resp = send(
            app.client
                .get(&url)
                .header("Authorization", format!("SSWS {}", app.token)),
        )
        .await;
        let l = links(&resp);
        let page: Vec<Value> = resp.json().await.unwrap();
        seen += page.len();
        match l.iter().find(|x| x.ends_with("rel=\"next\"")) {
            Some(next) => {
                url = next
                    .trim_start_matches('<')
                    .split(">;")
                    .next()
                    .unwrap()
                    .to_owned()
            }
            None => break,
        }
    }
    assert_eq!(seen, 5);

    // A polling query always has a next link; following it later returns only new events.
    let resp = send(app.get("/api/v1/logs?limit=100")).await;
    let next = links(&resp)
        .into_iter()
        .find(|x| x.ends_with("rel=\"next\""))
        .expect("polling keeps a next link");
    assert_eq!(resp.json::<Vec<Value>>().await.unwrap().len(), 5);
    let next_url = next
        .trim_start_matches('<')
        .split(">;")
        .next()
        .unwrap()
        .to_owned();
    let poll = |u: String| {
        send(
            app.client
                .get(u)
                .header("Authorization", format!("SSWS {}", app.token)),
        )
    };
    let empty = poll(next_url.clone()).await;
    assert!(links(&empty).iter().any(|x| x.ends_with("rel=\"next\"")));
    assert_eq!(empty.json::<Vec<Value>>().await.unwrap().len(), 0);
    json(
        app.post("/api/v1/groups", &json!({"profile": {"name": "Late"}})),
        200,
    )
    .await;
    let fresh: Vec<Value> = poll(next_url).await.json().await.unwrap();
    assert_eq!(fresh.len(), 1);
    assert_eq!(fresh[0]["target"][0]["displayName"], "Late");

    let newest = json(app.get("/api/v1/logs?sortOrder=DESCENDING&limit=1"), 200).await;
    assert_eq!(newest[0]["target"][0]["displayName"], "Late");
    let kw = json(app.get("/api/v1/logs?q=late"), 200).await;
    assert_eq!(kw.as_array().unwrap().len(), 1);

    assert_okta_error(
        &json(app.get("/api/v1/logs?until=yesterday"), 400).await,
        "E0000001",
    );
    assert_okta_error(
        &json(app.get("/api/v1/logs?filter=eventType%20eq"), 400).await,
        "E0000053",
    );
    assert_okta_error(
        &json(app.get("/api/v1/logs?filter=nosuch%20eq%20%22x%22"), 400).await,
        "E0000031",
    );
    assert_okta_error(
        &json(app.get("/api/v1/logs?sortOrder=SIDEWAYS"), 400).await,
        "E0000001",
    );
    app.finish().await;
}

/// The `displayName` of each event's first target.
fn targets(events: &Value) -> Vec<String> {
    let list = events.as_array().cloned().unwrap_or_default();
    list.iter()
        .map(|e| {
            e["target"][0]["displayName"]
                .as_str()
                .unwrap_or("")
                .to_owned()
        })
        .collect()
}

async fn old_since_and_keywords_with_a_filter(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    for name in ["Alpha", "Beta", "Gamma"] {
        json(
            app.post("/api/v1/groups", &json!({"profile": {"name": name}})),
            200,
        )
        .await;
    }
    // A `since` long before the retention window reads what is retained, as a bounded query
    // and as a polling one.
    let until = app.clock.now().plus_seconds(60).to_string();
    let bounded = format!("/api/v1/logs?since=2018-01-01T00:00:00.000Z&until={until}");
    assert_eq!(
        targets(&json(app.get(&bounded), 200).await),
        ["Alpha", "Beta", "Gamma"]
    );
    let polling = send(app.get("/api/v1/logs?since=2018-01-01T00:00:00Z")).await;
    assert_eq!(polling.status(), 200);
    assert!(links(&polling).iter().any(|l| l.ends_with("rel=\"next\"")));
    assert_eq!(
        polling
            .json::<Value>()
            .await
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        3
    );
    // `q` and `filter` both apply, also when the filter has an `or`.
    let created = "eventType%20eq%20%22group.lifecycle.create%22";
    let either = format!("(eventType%20eq%20%22user.session.start%22%20or%20{created})");
    let both = json(
        app.get(&format!("/api/v1/logs?filter={either}&q=beta")),
        200,
    )
    .await;
    assert_eq!(targets(&both), ["Beta"]);
    let none = json(
        app.get(&format!("/api/v1/logs?filter={created}&q=delta")),
        200,
    )
    .await;
    assert_eq!(targets(&none), Vec::<String>::new());
    app.finish().await;
}
