//! The org's preferences, Okta Support access, communication emails and contacts, in Okta's
//! shapes, with their links flipping as the state changes and each change in the System Log.

use serde_json::{Value, json};
use tollgate_core::{Clock, Timestamp};

use crate::backend_tests;
use crate::support::{Backend, TestApp, assert_okta_error, json, link_names};

backend_tests!(org_preferences_privacy_and_contacts);

const HOUR_SECS: i64 = 3600;

async fn org_preferences_privacy_and_contacts(b: Backend) {
    let start = Timestamp::from_millis(1_800_000_000_000);
    let Some(app) = TestApp::start_at(b, Clock::fixed(start), |_| {}).await else {
        return;
    };
    let org = json(app.get("/api/v1/org"), 200).await;
    assert_eq!(
        link_names(&org),
        [
            "contacts",
            "oktaCommunication",
            "oktaSupport",
            "preferences"
        ]
    );

    // Preferences: the footer shows until hidden.
    let prefs = json(app.get("/api/v1/org/preferences"), 200).await;
    assert_eq!(prefs["showEndUserFooter"], true);
    assert_eq!(
        prefs["_links"]["hideEndUserFooter"]["href"],
        format!("{}/api/v1/org/preferences/hideEndUserFooter", app.base)
    );
    let hidden = json(
        app.post("/api/v1/org/preferences/hideEndUserFooter", &json!({})),
        200,
    )
    .await;
    assert_eq!(hidden["showEndUserFooter"], false);
    assert_eq!(link_names(&hidden), ["showEndUserFooter"]);
    assert_eq!(json(app.get("/api/v1/org/preferences"), 200).await, hidden);
    let shown = json(
        app.post("/api/v1/org/preferences/showEndUserFooter", &json!({})),
        200,
    )
    .await;
    assert_eq!(shown, prefs);

    // Okta Support: eight hours when granted, a day more per extension, ends by itself.
    let support = json(app.get("/api/v1/org/privacy/oktaSupport"), 200).await;
    assert_eq!(support["support"], "DISABLED");
    assert_eq!(support["expiration"], Value::Null);
    assert_eq!(link_names(&support), ["grant"]);
    let refused = json(
        app.post("/api/v1/org/privacy/oktaSupport/extend", &json!({})),
        400,
    )
    .await;
    assert_okta_error(&refused, "E0000001");
    let granted = json(
        app.post("/api/v1/org/privacy/oktaSupport/grant", &json!({})),
        200,
    )
    .await;
    assert_eq!(granted["support"], "ENABLED");
    assert_eq!(
        granted["expiration"],
        json!(Timestamp::from_millis(start.millis() + 8 * 3_600_000))
    );
    assert_eq!(link_names(&granted), ["extend", "revoke"]);
    let extended = json(
        app.post("/api/v1/org/privacy/oktaSupport/extend", &json!({})),
        200,
    )
    .await;
    assert_eq!(
        extended["expiration"],
        json!(Timestamp::from_millis(start.millis() + 32 * 3_600_000))
    );
    app.clock.advance(32 * HOUR_SECS);
    assert_eq!(
        json(app.get("/api/v1/org/privacy/oktaSupport"), 200).await,
        support
    );
    json(
        app.post("/api/v1/org/privacy/oktaSupport/grant", &json!({})),
        200,
    )
    .await;
    let revoked = json(
        app.post("/api/v1/org/privacy/oktaSupport/revoke", &json!({})),
        200,
    )
    .await;
    assert_eq!(revoked, support);

    // Communication emails.
    let comms = json(app.get("/api/v1/org/privacy/oktaCommunication"), 200).await;
    assert_eq!(comms["optOutEmailUsers"], false);
    assert_eq!(link_names(&comms), ["optOut"]);
    let out = json(
        app.post("/api/v1/org/privacy/oktaCommunication/optOut", &json!({})),
        200,
    )
    .await;
    assert_eq!(out["optOutEmailUsers"], true);
    assert_eq!(link_names(&out), ["optIn"]);
    let back = json(
        app.post("/api/v1/org/privacy/oktaCommunication/optIn", &json!({})),
        200,
    )
    .await;
    assert_eq!(back, comms);

    // Contacts.
    let contacts = json(app.get("/api/v1/org/contacts"), 200).await;
    assert_eq!(contacts[0]["contactType"], "BILLING");
    assert_eq!(
        contacts[1]["_links"]["technical"]["href"],
        format!("{}/api/v1/org/contacts/technical", app.base)
    );
    let user = json(
        app.post(
            "/api/v1/users?activate=false",
            &json!({"profile": {"firstName": "Bill", "lastName": "Ing", "email": "bill@example.com", "login": "bill@example.com"}}),
        ),
        200,
    )
    .await;
    let uid = user["id"].as_str().unwrap();
    let set = json(
        app.put("/api/v1/org/contacts/BILLING", &json!({"userId": uid})),
        200,
    )
    .await;
    assert_eq!(set["userId"], uid);
    assert_eq!(
        set["_links"]["user"]["href"],
        format!("{}/api/v1/users/{uid}", app.base)
    );
    assert_eq!(
        json(app.get("/api/v1/org/contacts/billing"), 200).await,
        set
    );
    for (body, code) in [
        (json!({"userId": "00unothere0000000000"}), 404),
        (json!({}), 400),
    ] {
        json(app.put("/api/v1/org/contacts/TECHNICAL", &body), code).await;
    }
    let unknown = json(app.get("/api/v1/org/contacts/SALES"), 404).await;
    assert_okta_error(&unknown, "E0000007");

    // Every change is an org update in the System Log; the org object shows none of it.
    let events = json(
        app.get("/api/v1/logs?filter=eventType%20eq%20%22system.org.update%22"),
        200,
    )
    .await;
    assert_eq!(events.as_array().unwrap().len(), 9);
    let after = json(app.get("/api/v1/org"), 200).await;
    assert!(
        after
            .as_object()
            .unwrap()
            .keys()
            .all(|k| !k.starts_with('_') || k == "_links")
    );
    app.finish().await;
}
