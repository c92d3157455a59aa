//! The seed page's Step Four (implicit flow with a sessionToken) on the org server and a custom
//! one, and its negative paths.

use serde_json::{Value, json};

use super::{
    REDIRECT, authorize, custom_server, last_event, org_groups_claim, seed, session_token, verified,
};
use crate::backend_tests;
use crate::support::{Backend, TestApp, json, send};

backend_tests!(
    org_server_implicit_flow_carries_the_whitelisted_groups,
    custom_server_implicit_flow_carries_the_whitelisted_groups,
    implicit_flow_refusals_go_back_to_the_client,
);

pub(super) fn query(client_id: &str, response_type: &str, scope: &str, token: &str) -> String {
    let redirect: String = url::form_urlencoded::byte_serialize(REDIRECT.as_bytes()).collect();
    format!(
        "client_id={client_id}&response_type={response_type}&response_mode=fragment&scope={scope}\
         &redirect_uri={redirect}&state=myState&nonce=n-0S6_WzA2Mj&sessionToken={token}"
    )
}

/// The claims of an ID token from the org server's implicit flow for Annie (signed in with a
/// session token) and `client_id`, asking for `scope` (URL-encoded).
pub(crate) async fn org_id_token(app: &TestApp, client_id: &str, scope: &str) -> Value {
    let token = session_token(app).await;
    let got = authorize(
        app,
        "/oauth2/v1",
        &query(client_id, "id_token", scope, &token),
    )
    .await;
    verified(app, "/oauth2/v1", &got["id_token"]).await
}

async fn org_server_implicit_flow_carries_the_whitelisted_groups(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = seed(&app).await;
    org_groups_claim(&app, &s).await;
    let org_id = json(app.get("/api/v1/org"), 200).await["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let token = session_token(&app).await;
    let got = authorize(
        &app,
        "/oauth2/v1",
        &query(&s.client_id, "id_token", "openid%20groups", &token),
    )
    .await;
    assert_eq!(got["state"], "myState");
    assert_eq!(got["iss"], app.base);
    let claims = verified(&app, "/oauth2/v1", &got["id_token"]).await;
    assert_eq!(claims["sub"], s.user.as_str());
    assert_eq!(claims["iss"], app.base.as_str());
    assert_eq!(claims["aud"], s.client_id.as_str());
    assert_eq!(claims["nonce"], "n-0S6_WzA2Mj");
    assert_eq!(claims["amr"], json!(["pwd"]));
    assert_eq!(claims["idp"], org_id.as_str());
    assert_eq!(claims["ver"], 1);
    assert_eq!(
        claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(),
        3600
    );
    assert!(claims["auth_time"].as_i64().is_some());
    assert!(claims["jti"].as_str().unwrap().starts_with("ID."));
    assert_eq!(claims["groups"], json!(["WestCoastDivision"]));

    // Without the groups scope there is no groups claim; a fat token carries profile claims.
    let claims = org_id_token(&app, &s.client_id, "openid%20profile").await;
    assert!(claims.get("groups").is_none(), "{claims}");
    assert_eq!(claims["given_name"], "Annie");
    assert_eq!(claims["locale"], "en-US");

    // id_token token: a thin ID token without groups, with at_hash; userinfo has the groups.
    let token = session_token(&app).await;
    let got = authorize(
        &app,
        "/oauth2/v1",
        &query(
            &s.client_id,
            "id_token%20token",
            "openid%20groups%20profile",
            &token,
        ),
    )
    .await;
    assert_eq!(got["token_type"], "Bearer");
    assert_eq!(got["expires_in"], "3600");
    assert_eq!(got["scope"], "groups openid profile");
    let id = verified(&app, "/oauth2/v1", &got["id_token"]).await;
    assert!(id.get("groups").is_none(), "thin: {id}");
    assert!(id.get("given_name").is_none(), "thin: {id}");
    assert_eq!(id["name"], "Annie Jackson");
    assert_eq!(
        id["at_hash"],
        tollgate_core::token::hashes::at_hash(&got["access_token"]).as_str()
    );
    let access = verified(&app, "/oauth2/v1", &got["access_token"]).await;
    assert_eq!(access["aud"], app.base.as_str());
    assert_eq!(access["sub"], "annie.jackson@acme.com");
    assert_eq!(access["scp"], json!(["groups", "openid", "profile"]));
    assert!(access.get("groups").is_none(), "never in org access tokens");
    let info = json(
        app.anon(reqwest::Method::GET, "/oauth2/v1/userinfo")
            .bearer_auth(&got["access_token"]),
        200,
    )
    .await;
    assert_eq!(info["sub"], s.user.as_str());
    assert_eq!(info["groups"], json!(["WestCoastDivision"]));
    assert_eq!(info["given_name"], "Annie");

    let event = last_event(&app, "app.oauth2.authorize.implicit.id_token").await;
    assert_eq!(event["outcome"]["result"], "SUCCESS");
    assert_eq!(event["actor"]["id"], s.user.as_str());
    app.finish().await;
}

async fn custom_server_implicit_flow_carries_the_whitelisted_groups(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = seed(&app).await;
    let sid = custom_server(&app, &["implicit"], true).await;
    let base = format!("/oauth2/{sid}/v1");

    let token = session_token(&app).await;
    let got = authorize(
        &app,
        &base,
        &query(&s.client_id, "id_token", "groups%20openid", &token),
    )
    .await;
    let id = verified(&app, &base, &got["id_token"]).await;
    assert_eq!(id["iss"], format!("{}/oauth2/{sid}", app.base));
    assert_eq!(id["groups"], json!(["WestCoastDivision"]));

    let token = session_token(&app).await;
    let got = authorize(
        &app,
        &base,
        &query(&s.client_id, "token", "groups%20openid", &token),
    )
    .await;
    assert_eq!(got["expires_in"], "1800", "the rule's 30 minutes");
    let at = verified(&app, &base, &got["access_token"]).await;
    assert_eq!(at["cid"], s.client_id.as_str());
    assert_eq!(at["uid"], s.user.as_str());
    assert_eq!(at["scp"], json!(["groups", "openid"]));
    assert_eq!(at["sub"], "annie.jackson@acme.com");
    assert_eq!(at["aud"], "api://seed");
    assert_eq!(at["groups"], json!(["WestCoastDivision"]));
    assert!(at["jti"].as_str().unwrap().starts_with("AT."));

    // The default server, as the seed's `scope=groups openid` on `default` uses it.
    json(
        app.post(
            "/api/v1/authorizationServers/default/claims",
            &json!({"name": "groups", "status": "ACTIVE", "claimType": "IDENTITY", "valueType": "EXPRESSION",
                    "value": super::SEED_VALUE, "conditions": {"scopes": []}}),
        ),
        201,
    )
    .await;
    let token = session_token(&app).await;
    let got = authorize(
        &app,
        "/oauth2/default/v1",
        &query(&s.client_id, "id_token", "groups%20openid", &token),
    )
    .await;
    let id = verified(&app, "/oauth2/default/v1", &got["id_token"]).await;
    assert_eq!(id["iss"], format!("{}/oauth2/default", app.base));
    assert_eq!(id["groups"], json!(["WestCoastDivision"]));

    // A user in no whitelisted group gets no groups claim.
    let removed =
        send(app.delete(&format!("/api/v1/groups/{}/users/{}", s.groups[0], s.user))).await;
    assert_eq!(removed.status(), 204);
    let token = session_token(&app).await;
    let got = authorize(
        &app,
        &base,
        &query(&s.client_id, "id_token", "groups%20openid", &token),
    )
    .await;
    let id = verified(&app, &base, &got["id_token"]).await;
    assert!(id.get("groups").is_none(), "{id}");
    // The System Log says why the claim is missing.
    let event = last_event(&app, "app.oauth2.as.authorize").await;
    assert_eq!(event["outcome"]["result"], "SUCCESS");
    let reason = event["outcome"]["reason"].as_str().unwrap_or_default();
    assert!(
        reason.contains("Claim 'groups' was left out")
            && reason.contains("Engineering")
            && reason.contains("not in the allow-list")
            && reason.contains("allow-listed but the user is not a member"),
        "{event}"
    );
    app.finish().await;
}

async fn implicit_flow_refusals_go_back_to_the_client(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = seed(&app).await;

    // A server with no policy.
    let empty = json(
        app.post(
            "/api/v1/authorizationServers",
            &json!({"name": "Empty", "description": "No policy", "audiences": ["api://empty"]}),
        ),
        201,
    )
    .await;
    let base = format!("/oauth2/{}/v1", empty["id"].as_str().unwrap());
    let token = session_token(&app).await;
    let got = authorize(
        &app,
        &base,
        &query(&s.client_id, "id_token", "openid", &token),
    )
    .await;
    assert_eq!(got["error"], "access_denied");
    assert_eq!(
        got["error_description"],
        "Policy evaluation failed for this request, please check the policy configurations."
    );
    assert_eq!(got["state"], "myState");
    let event = last_event(&app, "app.oauth2.as.authorize").await;
    assert_eq!(event["outcome"]["result"], "DENY");
    assert!(
        event["outcome"]["reason"]
            .as_str()
            .unwrap()
            .contains("no active policy"),
        "{event}"
    );

    // Request validation.
    let token = session_token(&app).await;
    let cases = [
        (
            query(&s.client_id, "id_token", "openid", &token).replace("&nonce=n-0S6_WzA2Mj", ""),
            "invalid_request",
            "The 'nonce' parameter is required for authorize requests with either the 'id_token' or 'token' response types.",
        ),
        (
            query(&s.client_id, "id_token", "groups", &token),
            "invalid_scope",
            "Requests for ID tokens or access tokens with OpenID scopes require the 'openid' scope.",
        ),
        (
            query(&s.client_id, "id_token", "openid%20api.read", &token),
            "invalid_scope",
            "One or more scopes are not configured for the authorization server resource.",
        ),
        (
            query(&s.client_id, "code", "openid", &token)
                .replace("response_mode=fragment", "response_mode=query")
                + "&code_challenge=abc&code_challenge_method=plain",
            "invalid_request",
            "PKCE code challenge method is not supported. Valid values: [S256]",
        ),
    ];
    for (q, error, description) in cases {
        let got = authorize(&app, "/oauth2/v1", &q).await;
        assert_eq!(got["error"], error, "{q}");
        assert_eq!(got["error_description"], description, "{q}");
    }

    // prompt=none without a session.
    let redirect: String = url::form_urlencoded::byte_serialize(REDIRECT.as_bytes()).collect();
    let got = authorize(
        &app,
        "/oauth2/v1",
        &format!(
            "client_id={}&response_type=id_token&scope=openid&redirect_uri={redirect}&state=myState&nonce=n&prompt=none",
            s.client_id
        ),
    )
    .await;
    assert_eq!(got["error"], "login_required");

    // Not assigned any more.
    assert_eq!(
        send(app.delete(&format!("/api/v1/apps/{}/users/{}", s.app_id, s.user)))
            .await
            .status(),
        204
    );
    let token = session_token(&app).await;
    let got = authorize(
        &app,
        "/oauth2/v1",
        &query(&s.client_id, "id_token", "openid", &token),
    )
    .await;
    assert_eq!(got["error"], "access_denied");
    assert_eq!(
        got["error_description"],
        "User is not assigned to the client application."
    );
    assert_eq!(got["state"], "myState");
    app.finish().await;
}
