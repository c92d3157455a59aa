//! Token preview (a Tollgate extension): the seed scenario's groups claim, and explanations of a
//! refusal.

use serde_json::{Value, json};

use crate::backend_tests;
use crate::support::{Backend, TestApp, json, send};

backend_tests!(
    preview_shows_the_seed_groups_claim,
    preview_explains_refusals,
    org_server_groups_claim_is_set_on_the_app,
);

/// The seed scenario: WestCoastDivision (whitelisted, the user is in it), Engineering (the user
/// is in it, not whitelisted), Contractors (whitelisted, the user is not in it).
async fn seed(app: &TestApp) -> (String, String, String) {
    let mut ids = Vec::new();
    for name in ["WestCoastDivision", "Engineering", "Contractors"] {
        ids.push(
            json(
                app.post("/api/v1/groups", &json!({"profile": {"name": name}})),
                200,
            )
            .await["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    let user = json(
        app.post(
            "/api/v1/users",
            &json!({"profile": {"firstName": "Annie", "lastName": "Jackson", "email": "annie@acme.com", "login": "annie@acme.com"},
                    "credentials": {"password": {"value": "Tollgate-2026"}}, "groupIds": [ids[0], ids[1]]}),
        ),
        200,
    )
    .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let created = json(
        app.post(
            "/api/v1/apps",
            &json!({"name": "oidc_client", "label": "Sample Client", "signOnMode": "OPENID_CONNECT",
                    "credentials": {"oauthClient": {"token_endpoint_auth_method": "client_secret_post"}},
                    "settings": {"oauthClient": {"redirect_uris": ["https://example.com/oauth2/callback"],
                        "response_types": ["token", "id_token", "code"], "grant_types": ["implicit", "authorization_code"],
                        "application_type": "native"}},
                    "profile": {"groupwhitelist": [ids[0], ids[2]]}}),
        ),
        200,
    )
    .await;
    let app_id = created["id"].as_str().unwrap().to_owned();
    let client_id = created["credentials"]["oauthClient"]["client_id"]
        .as_str()
        .unwrap()
        .to_owned();
    json(
        app.post(
            &format!("/api/v1/apps/{app_id}/users"),
            &json!({"id": user}),
        ),
        200,
    )
    .await;
    (user, client_id, app_id)
}

/// The seed page's Step Three request, verbatim apart from the server id.
fn seed_claim(claim_type: &str) -> Value {
    json!({"name": "groups", "status": "ACTIVE", "claimType": claim_type, "valueType": "EXPRESSION",
           "value": "\"getFilteredGroups(app.profile.groupwhitelist, \"group.name\", 40)\"", "conditions": {"scopes": []}})
}

async fn preview_shows_the_seed_groups_claim(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let (user, client_id, _) = seed(&app).await;
    json(
        app.post(
            "/api/v1/authorizationServers/default/claims",
            &seed_claim("IDENTITY"),
        ),
        201,
    )
    .await;
    json(
        app.post(
            "/api/v1/authorizationServers/default/claims",
            &seed_claim("RESOURCE"),
        ),
        201,
    )
    .await;
    let preview = json(
        app.post(
            "/api/v1/authorizationServers/default/tokenPreview",
            &json!({"clientId": client_id, "userId": user, "grantType": "implicit", "scopes": ["openid", "groups"]}),
        ),
        200,
    )
    .await;
    assert_eq!(preview["decision"]["result"], "ALLOW", "{preview}");
    assert_eq!(preview["decision"]["policy"]["name"], "Default Policy");
    assert_eq!(preview["decision"]["rule"]["name"], "Default Policy Rule");
    assert_eq!(
        preview["decision"]["grantedScopes"],
        json!(["groups", "openid"])
    );
    assert_eq!(
        preview["idToken"]["claims"]["groups"],
        json!(["WestCoastDivision"])
    );
    assert_eq!(
        preview["accessToken"]["claims"]["groups"],
        json!(["WestCoastDivision"])
    );
    assert_eq!(
        preview["accessToken"]["claims"]["sub"], "annie@acme.com",
        "the system sub claim"
    );
    assert_eq!(
        preview["accessToken"]["claims"]["scp"],
        json!(["groups", "openid"])
    );
    assert_eq!(preview["idToken"]["claims"]["aud"], client_id.as_str());
    // The explanation says which groups were kept and dropped.
    let text = preview["idToken"]["explanation"].to_string();
    assert!(text.contains("WestCoastDivision"), "{text}");
    // Each group considered, kept or dropped with the reason.
    let contractors = json(app.get("/api/v1/groups?q=Contractors"), 200).await;
    let contractors_id = contractors[0]["id"].as_str().unwrap();
    let decisions = preview["idToken"]["explanation"][0]["groups"]["calls"][0]["groups"]
        .as_array()
        .unwrap()
        .clone();
    let find = |pred: &dyn Fn(&Value) -> bool| {
        decisions
            .iter()
            .find(|d| pred(d))
            .cloned()
            .unwrap_or_else(|| panic!("{text}"))
    };
    let west = find(&|d| d["name"] == "WestCoastDivision");
    assert_eq!(
        (west["kept"].clone(), west["reason"].clone()),
        (json!(true), Value::Null)
    );
    let dropped = find(&|d| d["id"] == contractors_id);
    assert_eq!(
        (dropped["kept"].clone(), dropped["reason"].clone()),
        (json!(false), json!("USER_NOT_MEMBER"))
    );
    let outside = find(&|d| d["name"] == "Engineering");
    assert_eq!(
        (outside["kept"].clone(), outside["reason"].clone()),
        (json!(false), json!("NOT_IN_WHITELIST"))
    );
    app.finish().await;
}

async fn preview_explains_refusals(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let (user, client_id, app_id) = seed(&app).await;
    // A new server has no policy: refused, with the reason.
    let server = json(
        app.post(
            "/api/v1/authorizationServers",
            &json!({"name": "Sample", "description": "x", "audiences": ["api://sample"]}),
        ),
        201,
    )
    .await;
    let sid = server["id"].as_str().unwrap();
    let body = json!({"clientId": client_id, "userId": user, "grantType": "implicit", "scopes": ["openid"]});
    let denied = json(
        app.post(
            &format!("/api/v1/authorizationServers/{sid}/tokenPreview"),
            &body,
        ),
        200,
    )
    .await;
    assert_eq!(denied["decision"]["result"], "DENY");
    assert_eq!(
        denied["decision"]["error_description"],
        "Policy evaluation failed for this request, please check the policy configurations."
    );
    assert!(
        denied["decision"]["reason"]
            .as_str()
            .unwrap()
            .contains("no active policy"),
        "{denied}"
    );

    // A user who is not assigned.
    assert_eq!(
        send(app.delete(&format!("/api/v1/apps/{app_id}/users/{user}")))
            .await
            .status(),
        204
    );
    let denied = json(
        app.post("/api/v1/authorizationServers/default/tokenPreview", &body),
        200,
    )
    .await;
    assert_eq!(
        denied["decision"]["error_description"],
        "User is not assigned to the client application."
    );
    app.finish().await;
}

/// Step Three for the org authorization server: the app's ID-token groups claim, through the
/// internal endpoint Okta's admin UI uses.
async fn org_server_groups_claim_is_set_on_the_app(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let (_, client_id, app_id) = seed(&app).await;
    let path = format!("/api/v1/internal/apps/{app_id}/settings/oauth/idToken");
    let empty = json(app.get(&path), 200).await;
    assert!(empty["valueType"].is_null());
    assert_eq!(empty["audience"], client_id.as_str());
    let body = json!({"valueType": "EXPRESSION", "name": "groups",
                      "value": "getFilteredGroups(app.profile.groupwhitelist, \"group.name\", 40)"});
    let set = json(app.post(&path, &body), 200).await;
    assert_eq!(set["valueType"], "EXPRESSION");
    assert_eq!(set["value"], body["value"]);
    assert_eq!(set["issuer"], app.base.as_str());
    assert_eq!(json(app.get(&path), 200).await["name"], "groups");

    let bad = json(app.post(&path, &json!({"valueType": "EXPRESSION", "value": "getFilteredGroups(x, \"group.name\", 400)"})), 400).await;
    crate::support::assert_okta_error(&bad, "E0000001");
    let filter = json(app.post(&path, &json!({"valueType": "GROUPS", "groupFilterType": "REGEX", "value": ".*", "name": "groups"})), 200).await;
    assert_eq!(filter["groupFilterType"], "REGEX");
    // What Terraform posts: only the issuer mode. The claim goes away.
    let cleared = json(app.post(&path, &json!({"issuerMode": "ORG_URL"})), 200).await;
    assert!(cleared["valueType"].is_null());
    json(
        app.get("/api/v1/internal/apps/0oanothere/settings/oauth/idToken"),
        404,
    )
    .await;
    app.finish().await;
}
