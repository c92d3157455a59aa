//! Authorization servers through the management API: servers, scopes, claims, policies and
//! rules, on both backends.

use serde_json::{Value, json};

use crate::support::{TestApp, json, send};

mod associated;
mod claims;
mod policies;
mod scopes;
mod servers;

const AS: &str = "/api/v1/authorizationServers";

/// The seed page's Step Three claim body, verbatim.
pub(crate) fn seed_claim_body() -> Value {
    json!({
        "name": "groups",
        "status": "ACTIVE",
        "claimType": "IDENTITY",
        "valueType": "EXPRESSION",
        "value": "\"getFilteredGroups(app.profile.groupwhitelist, \"group.name\", 40)\"",
        "conditions": {"scopes": []}
    })
}

pub(crate) async fn create_server(app: &TestApp, name: &str) -> Value {
    json(
        app.post(
            AS,
            &json!({"name": name, "description": "Test Auth Server", "audiences": ["api://default"]}),
        ),
        201,
    )
    .await
}

/// The status of a request whose body does not matter.
pub(crate) async fn status(req: reqwest::RequestBuilder) -> u16 {
    send(req).await.status().as_u16()
}

/// The event types of the System Log whose target includes `id`.
pub(crate) async fn events_for(app: &TestApp, id: &str) -> Vec<String> {
    let filter = format!("target.id eq \"{id}\"");
    let url = format!("/api/v1/logs?limit=1000&filter={}", urlencode(&filter));
    let events = json(app.get(&url), 200).await;
    events
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["eventType"].as_str().unwrap().to_owned())
        .collect()
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}
