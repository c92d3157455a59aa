//! Refresh tokens through the management API: listed per app, per user and client, and per
//! authorization server and client, in Okta's `OAuth2RefreshToken` shape; revoking one (or all)
//! stops its refresh token at the token endpoint and is in the System Log.

use reqwest::Method;
use serde_json::{Value, json};

use super::{PASSWORD, custom_server, last_event, seed};
use crate::backend_tests;
use crate::support::{Backend, TestApp, assert_okta_error, json, send};

backend_tests!(refresh_tokens_are_listed_and_revoked_by_admins);

async fn refresh_token(app: &TestApp, s: &super::Seed, base: &str) -> String {
    let tokens = json(
        app.anon(Method::POST, &format!("{base}/token")).form(&[
            ("grant_type", "password"),
            ("username", "annie.jackson@acme.com"),
            ("password", PASSWORD),
            ("scope", "openid offline_access"),
            ("client_id", &s.client_id),
            ("client_secret", &s.secret),
        ]),
        200,
    )
    .await;
    tokens["refresh_token"].as_str().unwrap().to_owned()
}

/// A refresh at `base`'s token endpoint.
fn refresh(app: &TestApp, s: &super::Seed, base: &str, token: &str) -> reqwest::RequestBuilder {
    app.anon(Method::POST, &format!("{base}/token")).form(&[
        ("grant_type", "refresh_token"),
        ("refresh_token", token),
        ("client_id", s.client_id.as_str()),
        ("client_secret", s.secret.as_str()),
    ])
}

fn keys(v: &Value) -> Vec<&str> {
    let mut k: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    k.sort_unstable();
    k
}

async fn refresh_tokens_are_listed_and_revoked_by_admins(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = seed(&app).await;
    let sid = custom_server(&app, &["password"], false).await;
    let custom = format!("/oauth2/{sid}/v1");
    let org_refresh = refresh_token(&app, &s, "/oauth2/v1").await;
    let custom_refresh = refresh_token(&app, &s, &custom).await;
    let app_tokens = format!("/api/v1/apps/{}/tokens", s.app_id);

    let listed = json(app.get(&app_tokens), 200).await;
    let listed = listed.as_array().unwrap();
    assert_eq!(listed.len(), 2);
    let (org, own) = (&listed[0], &listed[1]);
    assert_eq!(
        keys(org),
        [
            "_links",
            "clientId",
            "created",
            "expiresAt",
            "id",
            "issuer",
            "lastUpdated",
            "scopes",
            "status",
            "userId"
        ]
    );
    let org_id = org["id"].as_str().unwrap();
    assert!(org_id.starts_with("oar") && org_id.len() == 20, "{org_id}");
    assert_eq!(org["status"], "ACTIVE");
    assert_eq!(org["clientId"], s.client_id.as_str());
    assert_eq!(org["userId"], s.user.as_str());
    assert_eq!(org["scopes"], json!(["offline_access", "openid"]));
    assert_eq!(org["issuer"], app.base.as_str());
    assert_eq!(own["issuer"], format!("{}/oauth2/{sid}", app.base));
    assert_eq!(
        keys(&org["_links"]),
        ["app", "client", "revoke", "self", "user"]
    );
    assert_eq!(
        keys(&own["_links"]),
        [
            "app",
            "authorizationServer",
            "client",
            "revoke",
            "self",
            "user"
        ]
    );
    assert_eq!(org["_links"]["user"]["title"], "Annie Jackson");
    assert_eq!(org["_links"]["app"]["title"], "Sample Client");
    assert_eq!(org["_links"]["revoke"]["hints"]["allow"], json!(["DELETE"]));
    assert_eq!(
        org["_links"]["self"]["href"],
        format!("{}{app_tokens}/{org_id}", app.base)
    );
    assert_eq!(
        json(app.get(&format!("{app_tokens}/{org_id}")), 200).await,
        *org
    );

    // Paging: one at a time, with a next link only while more exist.
    let first = send(app.get(&format!("{app_tokens}?limit=1"))).await;
    let links: Vec<String> = first
        .headers()
        .get_all("link")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect();
    assert!(
        links
            .iter()
            .any(|l| l.contains("rel=\"next\"") && l.contains(&format!("after={org_id}"))),
        "{links:?}"
    );
    let second = json(
        app.get(&format!("{app_tokens}?limit=1&after={org_id}")),
        200,
    )
    .await;
    assert_eq!(second.as_array().unwrap().len(), 1);
    assert_eq!(second[0]["id"], own["id"]);

    // `expand=scope` embeds a custom server's scope objects.
    let own_id = own["id"].as_str().unwrap();
    let expanded = json(app.get(&format!("{app_tokens}/{own_id}?expand=scope")), 200).await;
    let embedded = expanded["_embedded"]["scopes"].as_array().unwrap();
    assert_eq!(embedded.len(), 2);
    assert!(
        embedded
            .iter()
            .all(|sc| sc["id"].as_str().unwrap().starts_with("scp"))
    );
    assert_eq!(embedded[0]["name"], "offline_access");

    // Per user and client, and per server and client.
    let clients = json(app.get(&format!("/api/v1/users/{}/clients", s.user)), 200).await;
    assert_eq!(clients.as_array().unwrap().len(), 1);
    assert_eq!(clients[0]["client_id"], s.client_id.as_str());
    assert_eq!(clients[0]["client_name"], "Sample Client");
    assert_eq!(keys(&clients[0]["_links"]), ["grants", "self", "tokens"]);
    let user_tokens = format!("/api/v1/users/{}/clients/{}/tokens", s.user, s.client_id);
    assert_eq!(
        json(app.get(&user_tokens), 200)
            .await
            .as_array()
            .unwrap()
            .len(),
        2
    );
    let server_clients = format!("/api/v1/authorizationServers/{sid}/clients");
    let on_server = json(app.get(&server_clients), 200).await;
    assert_eq!(on_server[0]["client_id"], s.client_id.as_str());
    let server_tokens = json(
        app.get(&format!("{server_clients}/{}/tokens", s.client_id)),
        200,
    )
    .await;
    assert_eq!(server_tokens.as_array().unwrap().len(), 1);
    assert_eq!(server_tokens[0]["id"], own_id);

    // Okta's errors for what does not exist.
    let missing = json(app.get(&format!("{app_tokens}/nope")), 404).await;
    assert_eq!(
        assert_okta_error(&missing, "E0000007"),
        format!(
            "Not found: Resource not found: {}.nope (OAuth2RefreshTokenTx)",
            s.app_id
        )
    );
    let no_app = json(app.get("/api/v1/apps/0oanothere0000000000/tokens"), 404).await;
    assert!(assert_okta_error(&no_app, "E0000007").ends_with("(AppInstance)"));
    let no_client = json(app.get(&format!("{server_clients}/0oa_dummy/tokens")), 404).await;
    assert!(assert_okta_error(&no_client, "E0000007").ends_with("(PublicClientApp)"));

    // A rotation keeps the token object; revoking it stops the rotated refresh token.
    let rotated = json(refresh(&app, &s, "/oauth2/v1", &org_refresh), 200).await;
    let rotated = rotated["refresh_token"].as_str().unwrap().to_owned();
    assert_eq!(
        json(app.get(&format!("{app_tokens}/{org_id}")), 200).await["id"],
        org_id
    );
    assert_eq!(
        send(app.delete(&format!("{user_tokens}/{org_id}")))
            .await
            .status(),
        204
    );
    assert_eq!(
        send(refresh(&app, &s, "/oauth2/v1", &rotated))
            .await
            .status(),
        400
    );
    assert_eq!(
        send(app.get(&format!("{app_tokens}/{org_id}")))
            .await
            .status(),
        404
    );
    let event = last_event(&app, "app.oauth2.token.revoke").await;
    assert!(event["actor"]["id"].is_string(), "the admin is the actor");
    assert_eq!(event["debugContext"]["debugData"]["tokenId"], org_id);

    // Revoking all of an app's tokens.
    assert_eq!(send(app.delete(&app_tokens)).await.status(), 204);
    assert_eq!(json(app.get(&app_tokens), 200).await, json!([]));
    assert_eq!(
        send(refresh(&app, &s, &custom, &custom_refresh))
            .await
            .status(),
        400
    );
    assert!(
        last_event(&app, "app.oauth2.as.token.revoke")
            .await
            .is_object()
    );
    assert_eq!(json(app.get(&server_clients), 200).await, json!([]));
    app.finish().await;
}
