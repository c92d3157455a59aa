//! Associated (trusted) servers: add, list trusted and untrusted, page, remove, and what
//! deleting a server does to them.

use serde_json::{Value, json};

use super::{AS, create_server, events_for, status};
use crate::backend_tests;
use crate::support::{Backend, TestApp, assert_okta_error, json, send};

backend_tests!(
    associated_servers_are_added_listed_and_removed,
    associated_servers_refuse_bad_requests,
);

fn ids(list: &Value) -> Vec<String> {
    let items = list.as_array().cloned().unwrap_or_default();
    items
        .iter()
        .map(|s| s["id"].as_str().unwrap_or("").to_owned())
        .collect()
}

fn id_of(server: &Value) -> String {
    server["id"].as_str().unwrap().to_owned()
}

async fn associated_servers_are_added_listed_and_removed(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let a = id_of(&create_server(&app, "Assoc Main").await);
    let b2 = id_of(&create_server(&app, "Assoc Partner").await);
    let c = id_of(&create_server(&app, "Other Partner").await);
    let path = format!("{AS}/{a}/associatedServers");

    // Each named server once, in Okta's shape, with only a link to end the trust.
    let added = json(app.post(&path, &json!({"trusted": [b2, c, b2]})), 200).await;
    assert_eq!(ids(&added), [b2.as_str(), c.as_str()]);
    let first = &added[0];
    assert_eq!(first["name"], "Assoc Partner");
    assert_eq!(first["status"], "ACTIVE");
    assert_eq!(first["audiences"], json!(["api://default"]));
    assert!(
        first["issuer"]
            .as_str()
            .unwrap()
            .ends_with(&format!("/oauth2/{b2}"))
    );
    assert_eq!(first["credentials"]["signing"]["use"], "sig");
    let links = first["_links"].as_object().unwrap();
    assert_eq!(links.len(), 1, "{links:?}");
    assert!(
        links["self"]["href"]
            .as_str()
            .unwrap()
            .ends_with(&format!("{AS}/{b2}"))
    );
    assert_eq!(links["self"]["hints"]["allow"], json!(["DELETE"]));
    // Adding again changes nothing.
    json(app.post(&path, &json!({"trusted": [c]})), 200).await;

    let trusted = json(app.get(&format!("{path}?trusted=true")), 200).await;
    assert_eq!(ids(&trusted), [b2.as_str(), c.as_str()]);
    assert_eq!(ids(&json(app.get(&path), 200).await), ids(&trusted));
    // The others: neither the server itself nor those it trusts.
    let others = ids(&json(app.get(&format!("{path}?trusted=false")), 200).await);
    assert!(others.contains(&"default".to_owned()), "{others:?}");
    assert!(
        ![&a, &b2, &c].iter().any(|id| others.contains(id)),
        "{others:?}"
    );
    // The trust goes one way.
    let back = json(
        app.get(&format!("{AS}/{b2}/associatedServers?trusted=true")),
        200,
    )
    .await;
    assert_eq!(ids(&back), Vec::<String>::new());
    // `q` matches a name's start; `limit` pages with a next link.
    let found = json(app.get(&format!("{path}?trusted=true&q=other")), 200).await;
    assert_eq!(ids(&found), [c.as_str()]);
    let page = send(app.get(&format!("{path}?trusted=true&limit=1"))).await;
    let next = page.headers().get_all("link").iter().any(|l| {
        let l = l.to_str().unwrap_or("");
        l.contains(&format!("after={b2}")) && l.ends_with("rel=\"next\"")
    });
    assert!(next, "{:?}", page.headers());
    assert_eq!(ids(&page.json().await.unwrap()), [b2.as_str()]);
    assert!(
        events_for(&app, &b2)
            .await
            .contains(&"oauth2.as.updated".to_owned())
    );

    // Removing ends one trust; a second time it is unknown.
    assert_eq!(status(app.delete(&format!("{path}/{b2}"))).await, 204);
    let again = json(app.delete(&format!("{path}/{b2}")), 404).await;
    assert_okta_error(&again, "E0000007");
    assert_eq!(ids(&json(app.get(&path), 200).await), [c.as_str()]);
    // Deleting a trusted server removes its association.
    assert_eq!(
        status(app.post(&format!("{AS}/{c}/lifecycle/deactivate"), &json!({}))).await,
        204
    );
    assert_eq!(status(app.delete(&format!("{AS}/{c}"))).await, 204);
    assert_eq!(ids(&json(app.get(&path), 200).await), Vec::<String>::new());
    app.finish().await;
}

async fn associated_servers_refuse_bad_requests(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let a = id_of(&create_server(&app, "Refusing Main").await);
    let path = format!("{AS}/{a}/associatedServers");
    for body in [json!({}), json!({"trusted": []}), json!({"trusted": [a]})] {
        let got = json(app.post(&path, &body), 400).await;
        assert_okta_error(&got, "E0000001");
    }
    let unknown = json!({"trusted": ["ausNoSuchServer00001"]});
    assert_okta_error(&json(app.post(&path, &unknown), 404).await, "E0000007");
    let missing = format!("{AS}/ausNoSuchServer00001/associatedServers");
    assert_okta_error(&json(app.get(&missing), 404).await, "E0000007");
    assert_okta_error(
        &json(app.post(&missing, &json!({"trusted": [a]})), 404).await,
        "E0000007",
    );
    let bad = json(app.get(&format!("{path}?trusted=maybe")), 400).await;
    assert_okta_error(&bad, "E0000001");
    // Nothing was stored by the refused requests.
    assert_eq!(ids(&json(app.get(&path), 200).await), Vec::<String>::new());
    app.finish().await;
}
