//! Profile schemas through the management API: the user schema's shape and custom
//! properties, profiles checked on every user, group and app user write.

mod concurrent;
mod orgfile;
mod types;

use serde_json::{Value, json};

use crate::backend_tests;
use crate::support::{Backend, TestApp, assert_okta_error, json};

backend_tests!(
    user_schema_shape_and_custom_properties,
    user_profiles_are_checked_against_the_schema,
    group_and_app_user_schemas,
);

pub(crate) const USER_SCHEMA: &str = "/api/v1/meta/schemas/user/default";

pub(crate) fn props(p: Value) -> Value {
    json!({"definitions": {"custom": {"properties": p}}})
}

pub(crate) fn person(login: &str, extra: Value) -> Value {
    let mut profile =
        json!({"login": login, "email": login, "firstName": "Ann", "lastName": "Lee"});
    for (k, v) in extra.as_object().unwrap() {
        profile[k] = v.clone();
    }
    json!({"profile": profile})
}

/// The causes of an `E0000001` answer.
pub(crate) fn causes(body: &Value) -> Vec<String> {
    assert_okta_error(body, "E0000001");
    body["errorCauses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["errorSummary"].as_str().unwrap().to_owned())
        .collect()
}

async fn user_schema_shape_and_custom_properties(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let s = json(app.get(USER_SCHEMA), 200).await;
    assert_eq!(s["id"], format!("{}/meta/schemas/user/default", app.base));
    assert_eq!(s["$schema"], "http://json-schema.org/draft-04/schema#");
    assert_eq!(
        (s["name"].as_str(), s["type"].as_str()),
        (Some("user"), Some("object"))
    );
    let base = &s["definitions"]["base"];
    assert_eq!(base["id"], "#base");
    assert_eq!(
        base["required"],
        json!(["login", "firstName", "lastName", "email"])
    );
    assert_eq!(base["properties"].as_object().unwrap().len(), 31);
    assert_eq!(
        base["properties"]["login"],
        json!({"title": "Username", "type": "string", "required": true, "mutability": "READ_WRITE",
               "scope": "NONE", "minLength": 5, "maxLength": 100,
               "permissions": [{"principal": "SELF", "action": "READ_ONLY"}]})
    );
    assert_eq!(
        s["definitions"]["custom"],
        json!({"id": "#custom", "type": "object", "properties": {}, "required": []})
    );
    assert_eq!(
        s["properties"]["profile"]["allOf"],
        json!([{"$ref": "#/definitions/custom"}, {"$ref": "#/definitions/base"}])
    );
    assert_eq!(
        s["_links"]["self"],
        json!({"rel": "self", "href": format!("{}/api/v1/meta/schemas/user/osc00000000000000000", app.base), "method": "GET"})
    );
    assert_eq!(
        s["_links"]["type"]["href"],
        format!("{}/api/v1/meta/types/user/oty00000000000000000", app.base)
    );

    let body = props(json!({
        "age": {"title": "Age", "type": "integer", "minimum": 18, "maximum": 120},
        "badge": {"title": "Badge", "description": "Badge number", "type": "string", "pattern": "B[0-9]+",
                  "permissions": [{"principal": "SELF", "action": "READ_WRITE"}], "unique": "UNIQUE_VALIDATED"},
    }));
    let s = json(app.post(USER_SCHEMA, &body), 200).await;
    let custom = &s["definitions"]["custom"]["properties"];
    assert_eq!(
        custom["age"],
        json!({"title": "Age", "type": "integer", "minimum": 18, "maximum": 120, "mutability": "READ_WRITE",
               "scope": "NONE", "permissions": [{"principal": "SELF", "action": "READ_ONLY"}]})
    );
    assert_eq!(
        custom["badge"]["permissions"],
        json!([{"principal": "SELF", "action": "READ_WRITE"}])
    );
    assert_eq!(custom["badge"]["unique"], "UNIQUE_VALIDATED");
    assert_eq!(json(app.get(USER_SCHEMA), 200).await, s);

    // Removing one property keeps the other.
    let s = json(app.post(USER_SCHEMA, &props(json!({"badge": null}))), 200).await;
    let names: Vec<&String> = s["definitions"]["custom"]["properties"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(names, ["age"]);

    // Bad definitions: nothing changes.
    let bad = json(app.post(USER_SCHEMA, &props(json!({"x": {"title": "X", "type": "date"}, "login": {"title": "L", "type": "string"}}))), 400).await;
    assert_eq!(
        causes(&bad),
        [
            "x: type must be one of string, integer, number, boolean or an array of those",
            "Property name 'login' is already used by a base property"
        ]
    );
    let s = json(app.get(USER_SCHEMA), 200).await;
    assert_eq!(
        s["definitions"]["custom"]["properties"]
            .as_object()
            .unwrap()
            .len(),
        1
    );
    let e = json(app.get("/api/v1/meta/schemas/user/oscNope"), 404).await;
    assert_okta_error(&e, "E0000007");
    app.finish().await;
}

async fn user_profiles_are_checked_against_the_schema(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    // A user created before the property exists keeps working after.
    let early = json(
        app.post(
            "/api/v1/users?activate=false",
            &person("early@acme.com", json!({})),
        ),
        200,
    )
    .await;
    let early_id = early["id"].as_str().unwrap().to_owned();
    let e = json(
        app.post("/api/v1/users", &person("new@acme.com", json!({"age": 33}))),
        400,
    )
    .await;
    assert_eq!(e["errorSummary"], "Api validation failed: age");
    assert_eq!(
        causes(&e),
        ["Property name 'age' is not defined in profile"]
    );

    json(
        app.post(
            USER_SCHEMA,
            &props(json!({
                "age": {"title": "Age", "type": "integer", "minimum": 18},
                "tags": {"title": "Tags", "type": "array", "items": {"type": "string"}},
            })),
        ),
        200,
    )
    .await;
    let u = json(
        app.post(
            "/api/v1/users?activate=false",
            &person("ann@acme.com", json!({"age": 33, "tags": ["x"]})),
        ),
        200,
    )
    .await;
    assert_eq!(
        (u["profile"]["age"].clone(), u["profile"]["tags"].clone()),
        (json!(33), json!(["x"]))
    );
    let id = u["id"].as_str().unwrap().to_owned();
    let got = json(app.get(&format!("/api/v1/users/{id}")), 200).await;
    assert_eq!(got["profile"]["age"], 33);

    let table = [
        (json!({"age": "33"}), "age: Does not match the type integer"),
        (
            json!({"age": 12}),
            "age: The value is below the minimum of 18",
        ),
        (
            json!({"tags": "x"}),
            "tags: Does not match the type array of string",
        ),
        (
            json!({"shoeSize": 9}),
            "Property name 'shoeSize' is not defined in profile",
        ),
    ];
    for (extra, want) in &table {
        let e = json(
            app.post("/api/v1/users", &person("bad@acme.com", extra.clone())),
            400,
        )
        .await;
        assert_eq!(causes(&e), [*want], "{extra}");
        let e = json(
            app.post(&format!("/api/v1/users/{id}"), &json!({"profile": extra})),
            400,
        )
        .await;
        assert_eq!(causes(&e), [*want], "update {extra}");
    }
    // PUT replaces the profile and is checked too.
    let e = json(
        app.put(
            &format!("/api/v1/users/{id}"),
            &person("ann@acme.com", json!({"age": 1.5})),
        ),
        400,
    )
    .await;
    assert_eq!(causes(&e), ["age: Does not match the type integer"]);
    let put = json(
        app.put(
            &format!("/api/v1/users/{id}"),
            &person("ann@acme.com", json!({"age": 40})),
        ),
        200,
    )
    .await;
    assert_eq!(
        (put["profile"]["age"].clone(), put["profile"].get("tags")),
        (json!(40), None)
    );
    let ok = json(
        app.post(
            &format!("/api/v1/users/{early_id}"),
            &json!({"profile": {"age": 50, "firstName": "E"}}),
        ),
        200,
    )
    .await;
    assert_eq!(ok["profile"]["age"], 50);

    // Removing the property: stored values no longer block updates.
    json(app.post(USER_SCHEMA, &props(json!({"age": null}))), 200).await;
    let ok = json(
        app.post(
            &format!("/api/v1/users/{id}"),
            &json!({"profile": {"firstName": "Annie"}}),
        ),
        200,
    )
    .await;
    assert_eq!(
        (ok["profile"]["firstName"].clone(), ok["profile"].get("age")),
        (json!("Annie"), None)
    );
    app.finish().await;
}

async fn group_and_app_user_schemas(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    const GS: &str = "/api/v1/meta/schemas/group/default";
    let s = json(app.get(GS), 200).await;
    assert_eq!(s["id"], format!("{}/meta/schemas/group/default", app.base));
    assert_eq!(s["name"], "group");
    assert_eq!(s["definitions"]["base"]["required"], json!(["name"]));
    assert_eq!(s["_links"]["self"]["href"], format!("{}{GS}", app.base));
    let s = json(
        app.post(
            GS,
            &props(
                json!({"costCode": {"title": "Cost code", "type": "string", "enum": ["A1", "B2"]}}),
            ),
        ),
        200,
    )
    .await;
    assert_eq!(
        s["definitions"]["custom"]["properties"]["costCode"]["enum"],
        json!(["A1", "B2"])
    );
    let g = json(
        app.post(
            "/api/v1/groups",
            &json!({"profile": {"name": "Ops", "costCode": "A1"}}),
        ),
        200,
    )
    .await;
    assert_eq!(g["profile"]["costCode"], "A1");
    let e = json(
        app.post(
            "/api/v1/groups",
            &json!({"profile": {"name": "Dev", "costCode": "Z9"}}),
        ),
        400,
    )
    .await;
    assert_eq!(
        causes(&e),
        ["costCode: Does not match any of the allowed values: \"Z9\""]
    );
    let gid = g["id"].as_str().unwrap();
    let e = json(
        app.put(
            &format!("/api/v1/groups/{gid}"),
            &json!({"profile": {"name": "Ops", "owner": "x"}}),
        ),
        400,
    )
    .await;
    assert_eq!(
        causes(&e),
        ["Property name 'owner' is not defined in profile"]
    );

    let oidc = crate::apps::create_app(&app, "Portal").await;
    let app_id = oidc["id"].as_str().unwrap();
    let path = format!("/api/v1/meta/schemas/apps/{app_id}/default");
    let s = json(app.get(&path), 200).await;
    assert_eq!(s["definitions"]["custom"]["properties"], json!({}));
    assert_eq!(s["_links"]["self"]["href"], format!("{}{path}", app.base));
    json(
        app.post(
            &path,
            &props(json!({"region": {"title": "Region", "type": "string", "maxLength": 2}})),
        ),
        200,
    )
    .await;
    let user = json(
        app.post(
            "/api/v1/users?activate=false",
            &person("app@acme.com", json!({})),
        ),
        200,
    )
    .await;
    let uid = user["id"].as_str().unwrap();
    let au = json(
        app.post(
            &format!("/api/v1/apps/{app_id}/users"),
            &json!({"id": uid, "profile": {"region": "eu"}}),
        ),
        200,
    )
    .await;
    assert_eq!(au["profile"]["region"], "eu");
    let e = json(
        app.post(
            &format!("/api/v1/apps/{app_id}/users/{uid}"),
            &json!({"profile": {"region": "europe"}}),
        ),
        400,
    )
    .await;
    assert_eq!(
        causes(&e),
        ["region: The field is too long: maximum length is 2"]
    );
    let e = json(
        app.post(
            &format!("/api/v1/apps/{app_id}/users/{uid}"),
            &json!({"profile": {"bogus": 1}}),
        ),
        400,
    )
    .await;
    assert_eq!(
        causes(&e),
        ["Property name 'bogus' is not defined in profile"]
    );
    // Group assignments give their profile to the group's members: the same schema applies.
    let assign = format!("/api/v1/apps/{app_id}/groups/{gid}");
    let e = json(app.put(&assign, &json!({"profile": {"region": 5}})), 400).await;
    assert_eq!(causes(&e), ["region: Does not match the type string"]);
    let ag = json(app.put(&assign, &json!({"profile": {"region": "us"}})), 200).await;
    assert_eq!(ag["profile"]["region"], "us");
    let e = json(app.get("/api/v1/meta/schemas/apps/0oaNope/default"), 404).await;
    assert_okta_error(&e, "E0000007");
    app.finish().await;
}
