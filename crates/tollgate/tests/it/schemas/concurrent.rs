//! Schema edits made at the same time: each is reapplied over the others, none is lost.

use serde_json::json;

use super::{USER_SCHEMA, props};
use crate::backend_tests;
use crate::support::{Backend, TestApp, json};

backend_tests!(concurrent_schema_edits_keep_every_property);

async fn concurrent_schema_edits_keep_every_property(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let edits: Vec<_> = (0..8)
        .map(|i| {
            let body =
                props(json!({format!("p{i}"): {"title": format!("P{i}"), "type": "string"}}));
            let req = app.post(USER_SCHEMA, &body);
            tokio::spawn(async move { req.send().await.unwrap().status().as_u16() })
        })
        .collect();
    for edit in edits {
        assert_eq!(edit.await.unwrap(), 200);
    }
    let s = json(app.get(USER_SCHEMA), 200).await;
    let mut names: Vec<&String> = s["definitions"]["custom"]["properties"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    names.sort();
    assert_eq!(names, ["p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7"]);
    app.finish().await;
}
