//! User types: CRUD, the default type, each type's own schema, users' `type` and `_links`.

use serde_json::json;

use super::{causes, person, props};
use crate::backend_tests;
use crate::support::{Backend, TestApp, assert_okta_error, json, send};

backend_tests!(
    user_types_crud,
    users_of_a_type_use_its_schema,
    unique_properties_are_unique_among_users,
);

const T: &str = "/api/v1/meta/types/user";

async fn user_types_crud(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let list = json(app.get(T), 200).await;
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 1);
    let d = &list[0];
    assert_eq!(
        (d["id"].as_str(), d["name"].as_str(), d["default"].as_bool()),
        (Some("oty00000000000000000"), Some("user"), Some(true))
    );
    assert_eq!(json(app.get(&format!("{T}/default")), 200).await, *d);

    let t = json(app.post(T, &json!({"name": "contractor", "displayName": "Contractor", "description": "Outside staff"})), 200).await;
    let id = t["id"].as_str().unwrap().to_owned();
    assert!(id.starts_with("oty") && id.len() == 20, "{id}");
    let mut keys: Vec<&str> = t.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "_links",
            "created",
            "createdBy",
            "default",
            "description",
            "displayName",
            "id",
            "lastUpdated",
            "lastUpdatedBy",
            "name"
        ]
    );
    assert_eq!(t["default"], false);
    let schema_id = format!("osc{}", &id[3..]);
    assert_eq!(
        t["_links"]["schema"],
        json!({"rel": "schema", "href": format!("{}/api/v1/meta/schemas/user/{schema_id}", app.base), "method": "GET"})
    );
    assert_eq!(t["_links"]["self"]["href"], format!("{}{T}/{id}", app.base));
    assert_eq!(json(app.get(&format!("{T}/{id}")), 200).await, t);

    let e = json(
        app.post(T, &json!({"name": "contractor", "displayName": "Again"})),
        400,
    )
    .await;
    assert_eq!(
        causes(&e),
        ["name: An object with this field already exists in the current organization"]
    );
    let e = json(app.post(T, &json!({"name": "9lives"})), 400).await;
    assert_eq!(causes(&e).len(), 2);

    let u = json(
        app.post(&format!("{T}/{id}"), &json!({"displayName": "Contractors"})),
        200,
    )
    .await;
    assert_eq!(
        (u["displayName"].as_str(), u["description"].as_str()),
        (Some("Contractors"), Some("Outside staff"))
    );
    let e = json(
        app.post(&format!("{T}/{id}"), &json!({"name": "vendor"})),
        400,
    )
    .await;
    assert_eq!(
        causes(&e),
        ["name: The name of a user type cannot be changed"]
    );
    let r = json(
        app.put(
            &format!("{T}/{id}"),
            &json!({"name": "contractor", "displayName": "Vendors"}),
        ),
        200,
    )
    .await;
    assert_eq!(
        (r["displayName"].as_str(), r["description"].as_str()),
        (Some("Vendors"), None)
    );
    assert_eq!(json(app.get(T), 200).await.as_array().unwrap().len(), 2);

    let e = json(app.delete(&format!("{T}/oty00000000000000000")), 403).await;
    assert_okta_error(&e, "E0000006");
    assert_eq!(send(app.delete(&format!("{T}/{id}"))).await.status(), 204);
    let e = json(app.get(&format!("{T}/{id}")), 404).await;
    assert_okta_error(&e, "E0000007");
    let e = json(
        app.get(&format!("/api/v1/meta/schemas/user/{schema_id}")),
        404,
    )
    .await;
    assert_okta_error(&e, "E0000007");
    app.finish().await;
}

async fn users_of_a_type_use_its_schema(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let t = json(
        app.post(T, &json!({"name": "vendor", "displayName": "Vendor"})),
        200,
    )
    .await;
    let id = t["id"].as_str().unwrap().to_owned();
    let schema_path = format!("/api/v1/meta/schemas/user/osc{}", &id[3..]);
    let s = json(app.get(&schema_path), 200).await;
    assert_eq!(
        s["id"],
        format!("{}/meta/schemas/user/osc{}", app.base, &id[3..])
    );
    assert_eq!(s["title"], "Vendor");
    assert_eq!(s["_links"]["type"]["href"], format!("{}{T}/{id}", app.base));
    json(
        app.post(
            &schema_path,
            &props(json!({"company": {"title": "Company", "type": "string", "required": true}})),
        ),
        200,
    )
    .await;

    let mut body = person("v@acme.com", json!({"company": "Acme"}));
    body["type"] = json!({"id": id});
    let u = json(app.post("/api/v1/users?activate=false", &body), 200).await;
    assert_eq!(u["type"], json!({"id": id}));
    assert_eq!(u["_links"]["type"]["href"], format!("{}{T}/{id}", app.base));
    assert_eq!(
        u["_links"]["schema"]["href"],
        format!("{}{schema_path}", app.base)
    );
    let uid = u["id"].as_str().unwrap();
    assert_eq!(
        json(app.get(&format!("/api/v1/users/{uid}")), 200).await["type"]["id"],
        id.as_str()
    );

    // The type's required property, and the default schema does not know it.
    let mut missing = person("w@acme.com", json!({}));
    missing["type"] = json!({"id": id});
    let e = json(app.post("/api/v1/users", &missing), 400).await;
    assert_eq!(causes(&e), ["company: The field cannot be left blank"]);
    let e = json(
        app.post(
            "/api/v1/users",
            &person("x@acme.com", json!({"company": "Acme"})),
        ),
        400,
    )
    .await;
    assert_eq!(
        causes(&e),
        ["Property name 'company' is not defined in profile"]
    );
    let e = json(
        app.post(
            &format!("/api/v1/users/{uid}"),
            &json!({"profile": {"company": 5}}),
        ),
        400,
    )
    .await;
    assert_eq!(causes(&e), ["company: Does not match the type string"]);
    let mut unknown = person("y@acme.com", json!({}));
    unknown["type"] = json!({"id": "otyNope"});
    let e = json(app.post("/api/v1/users", &unknown), 400).await;
    assert_eq!(causes(&e), ["type.id: User type otyNope does not exist"]);

    let plain = json(
        app.post(
            "/api/v1/users?activate=false",
            &person("p@acme.com", json!({})),
        ),
        200,
    )
    .await;
    assert_eq!(plain["type"]["id"], "oty00000000000000000");
    assert_eq!(
        plain["_links"]["schema"]["href"],
        format!("{}/api/v1/meta/schemas/user/osc00000000000000000", app.base)
    );
    // PUT moves a user to another type, whose schema the profile must then fit.
    let pid = plain["id"].as_str().unwrap();
    let mut moved = person("p@acme.com", json!({}));
    moved["type"] = json!({"id": id});
    let e = json(app.put(&format!("/api/v1/users/{pid}"), &moved), 400).await;
    assert_eq!(causes(&e), ["company: The field cannot be left blank"]);
    moved["profile"]["company"] = json!("Acme");
    let m = json(app.put(&format!("/api/v1/users/{pid}"), &moved), 200).await;
    assert_eq!(m["type"]["id"], id.as_str());
    let read = json(app.get(&format!("/api/v1/users/{pid}")), 200).await;
    assert_eq!(read["type"]["id"], id.as_str());
    assert_eq!(
        m["_links"]["schema"]["href"],
        format!("{}{schema_path}", app.base)
    );
    // A type with users cannot be deleted.
    let e = json(app.delete(&format!("{T}/{id}")), 400).await;
    assert_eq!(
        causes(&e),
        ["type: A user type cannot be deleted while users have it"]
    );
    app.finish().await;
}

async fn unique_properties_are_unique_among_users(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let unique = json!({"badge": {"title": "Badge", "type": "string", "unique": "UNIQUE_VALIDATED"},
                        "seat": {"title": "Seat", "type": "integer", "unique": "UNIQUE_VALIDATED"}});
    json(app.post(super::USER_SCHEMA, &props(unique)), 200).await;
    let a = json(
        app.post(
            "/api/v1/users?activate=false",
            &person("a@acme.com", json!({"badge": "B1", "seat": 7})),
        ),
        200,
    )
    .await;
    let taken = "An object with this field already exists in the current organization";
    let e = json(
        app.post(
            "/api/v1/users",
            &person("b@acme.com", json!({"badge": "B1"})),
        ),
        400,
    )
    .await;
    assert_eq!(causes(&e), [format!("badge: {taken}")]);
    let e = json(
        app.post("/api/v1/users", &person("b@acme.com", json!({"seat": 7}))),
        400,
    )
    .await;
    assert_eq!(causes(&e), [format!("seat: {taken}")]);
    let bee = json(
        app.post(
            "/api/v1/users?activate=false",
            &person("b@acme.com", json!({"badge": "B2", "seat": 8})),
        ),
        200,
    )
    .await;
    let e = json(
        app.post(
            &format!("/api/v1/users/{}", bee["id"].as_str().unwrap()),
            &json!({"profile": {"badge": "B1"}}),
        ),
        400,
    )
    .await;
    assert_eq!(causes(&e), [format!("badge: {taken}")]);
    // A user keeps its own value.
    let aid = a["id"].as_str().unwrap();
    json(
        app.post(
            &format!("/api/v1/users/{aid}"),
            &json!({"profile": {"badge": "B1", "seat": 7}}),
        ),
        200,
    )
    .await;
    app.finish().await;
}
