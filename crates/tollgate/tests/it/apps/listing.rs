//! Listing apps (paging with `Link` headers, `q`, `filter`) and their lifecycle.

use serde_json::{Value, json};

use super::{create_app, ids_of, link_values};
use crate::backend_tests;
use crate::directory::collect_pages;
use crate::support::{Backend, TestApp, assert_okta_error, json, send};

backend_tests!(list_pages_with_links_q_and_filter, lifecycle_and_delete);

async fn list_pages_with_links_q_and_filter(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let mut ids = Vec::new();
    for label in ["Portal One", "portal two", "Billing", "Portal_3", "Reports"] {
        ids.push(
            create_app(&app, label).await["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    ids.sort();

    let resp = send(app.get("/api/v1/apps?limit=2")).await;
    let links = link_values(&resp);
    assert_eq!(
        links[0],
        format!("<{}/api/v1/apps?limit=2>; rel=\"self\"", app.base)
    );
    let page: Vec<Value> = resp.json().await.unwrap();
    assert_eq!(
        links[1],
        format!(
            "<{}/api/v1/apps?limit=2&after={}>; rel=\"next\"",
            app.base,
            page[1]["id"].as_str().unwrap()
        )
    );

    let (all, pages) = collect_pages(&app, "/api/v1/apps?limit=2").await;
    assert_eq!(pages, 3);
    let seen: Vec<_> = ids_of(&all);
    assert_eq!(seen, ids);
    let (all, pages) = collect_pages(&app, "/api/v1/apps").await;
    assert_eq!((all.len(), pages), (5, 1));

    let (portal, _) = collect_pages(&app, "/api/v1/apps?q=PORTAL").await;
    assert_eq!(portal.len(), 3);
    let (underscore, _) = collect_pages(&app, "/api/v1/apps?q=portal_").await;
    assert_eq!(underscore.len(), 1);
    let (by_name, _) = collect_pages(&app, "/api/v1/apps?q=oidc").await;
    assert_eq!(by_name.len(), 5);

    json(
        app.post(
            &format!("/api/v1/apps/{}/lifecycle/deactivate", ids[2]),
            &json!({}),
        ),
        200,
    )
    .await;
    let (inactive, _) =
        collect_pages(&app, "/api/v1/apps?filter=status%20eq%20%22INACTIVE%22").await;
    assert_eq!(inactive.len(), 1);
    assert_eq!(inactive[0]["id"], ids[2].as_str());
    let (named, _) = collect_pages(
        &app,
        "/api/v1/apps?filter=name+eq+%22oidc_client%22&limit=4",
    )
    .await;
    assert_eq!(named.len(), 5);
    for bad in [
        "label%20eq%20%22x%22",
        "status%20sw%20%22A%22",
        "status%20eq%20ACTIVE",
    ] {
        let err = json(app.get(&format!("/api/v1/apps?filter={bad}")), 400).await;
        assert_eq!(
            assert_okta_error(&err, "E0000031"),
            "Invalid search criteria."
        );
    }
    // The one expansion is `user/{userId}`; Okta calls anything else malformed.
    let err = json(app.get("/api/v1/apps?expand=user/id,group/id"), 400).await;
    assert_okta_error(&err, "E0000001");
    assert_eq!(
        err["errorCauses"],
        json!([{"errorSummary": "Expand query is malformed."}])
    );
    let all = json(
        app.get("/api/v1/apps?includeNonDeleted=false&limit=20"),
        200,
    )
    .await;
    assert_eq!(all.as_array().unwrap().len(), 5);
    app.finish().await;
}

async fn lifecycle_and_delete(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let id = create_app(&app, "Lifecycle").await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/api/v1/apps/{id}");

    let err = json(app.delete(&path), 403).await;
    assert_eq!(
        assert_okta_error(&err, "E0000056"),
        "Delete application forbidden."
    );
    assert_eq!(
        err["errorCauses"][0]["errorSummary"],
        "The application must be deactivated before deletion."
    );

    let resp = send(app.req(
        reqwest::Method::POST,
        &format!("{path}/lifecycle/deactivate"),
    ))
    .await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.json::<Value>().await.unwrap(), json!({}));
    let got = json(app.get(&path), 200).await;
    assert_eq!(got["status"], "INACTIVE");
    assert!(got["_links"]["activate"].is_object() && got["_links"].get("deactivate").is_none());
    assert_eq!(
        json(
            app.post(&format!("{path}/lifecycle/activate"), &json!({})),
            200
        )
        .await,
        json!({})
    );
    assert_eq!(json(app.get(&path), 200).await["status"], "ACTIVE");
    json(
        app.post(&format!("{path}/lifecycle/activate"), &json!({})),
        200,
    )
    .await;
    json(
        app.post(&format!("{path}/lifecycle/deactivate"), &json!({})),
        200,
    )
    .await;

    let resp = send(app.delete(&path)).await;
    assert_eq!(resp.status(), 204);
    assert!(resp.text().await.unwrap().is_empty());
    assert_okta_error(&json(app.get(&path), 404).await, "E0000007");
    assert_okta_error(&json(app.delete(&path), 404).await, "E0000007");
    for op in ["activate", "deactivate"] {
        let err = json(app.post(&format!("{path}/lifecycle/{op}"), &json!({})), 404).await;
        assert_eq!(
            assert_okta_error(&err, "E0000007"),
            format!("Not found: Resource not found: {id} (AppInstance)")
        );
    }
    app.finish().await;
}
