//! A user's blocks and external identity providers: none in Tollgate, by id or by login.

use crate::backend_tests;
use crate::support::{Backend, TestApp, assert_okta_error, json};
use serde_json::json as j;

use super::create_user;

backend_tests!(blocks_and_idps_are_empty_lists_for_known_users);

async fn blocks_and_idps_are_empty_lists_for_known_users(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let login = "blocks.idps@example.com";
    let id = create_user(&app, login, "?activate=true").await;
    for sub in ["blocks", "idps"] {
        for key in [id.as_str(), login] {
            let got = json(app.get(&format!("/api/v1/users/{key}/{sub}")), 200).await;
            assert_eq!(got, j!([]), "{sub} of {key}");
        }
        let missing = json(
            app.get(&format!("/api/v1/users/00uNoSuchUser0000001/{sub}")),
            404,
        )
        .await;
        assert_okta_error(&missing, "E0000007");
        // Only GET is served.
        let other = json(app.post(&format!("/api/v1/users/{id}/{sub}"), &j!({})), 405).await;
        assert_okta_error(&other, "E0000022");
    }
    // After deletion the user is unknown.
    json(
        app.post(&format!("/api/v1/users/{id}/lifecycle/deactivate"), &j!({})),
        200,
    )
    .await;
    let gone = app
        .delete(&format!("/api/v1/users/{id}"))
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), 204);
    let missing = json(app.get(&format!("/api/v1/users/{id}/idps")), 404).await;
    assert_okta_error(&missing, "E0000007");
}
