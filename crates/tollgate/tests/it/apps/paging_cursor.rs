//! An `after` cursor that names no app: Okta's 400 `E0000029` "Invalid paging request." with
//! the cause "Invalid cursor.", on the app list and on a group's app list; a real cursor pages.

use serde_json::json;

use crate::backend_tests;
use crate::support::{Backend, TestApp, assert_okta_error, json};

backend_tests!(garbage_cursors_are_refused);

async fn garbage_cursors_are_refused(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let first = super::create_app(&app, "Paged One").await;
    super::create_app(&app, "Paged Two").await;
    let group = json(
        app.post("/api/v1/groups", &json!({"profile": {"name": "Paged"}})),
        200,
    )
    .await;
    let gid = group["id"].as_str().unwrap();
    for path in [
        "/api/v1/apps?q=Paged&after=00u1testcursorvalue&limit=1".to_owned(),
        format!("/api/v1/groups/{gid}/apps?after=garbage"),
    ] {
        let body = json(app.get(&path), 400).await;
        assert_eq!(
            assert_okta_error(&body, "E0000029"),
            "Invalid paging request."
        );
        assert_eq!(
            body["errorCauses"],
            json!([{"errorSummary": "Invalid cursor."}])
        );
    }
    let id = first["id"].as_str().unwrap();
    let next = json(app.get(&format!("/api/v1/apps?after={id}")), 200).await;
    assert!(
        next.as_array()
            .is_some_and(|a| a.iter().all(|x| x["id"] != id))
    );
    app.finish().await;
}
