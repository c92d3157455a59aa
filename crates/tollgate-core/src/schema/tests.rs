use serde_json::{Value, json};

use super::user_type::{self, UserType};
use super::*;

const NOW: Timestamp = Timestamp::from_millis(1000);

fn schema(props: Value) -> ProfileSchema {
    let mut s = ProfileSchema::empty("osc1", SchemaKind::User, NOW);
    s.apply_update(
        &json!({"definitions": {"custom": {"properties": props}}}),
        NOW,
    )
    .unwrap();
    s
}

fn check(s: &ProfileSchema, profile: Value) -> Result<(), Vec<String>> {
    s.check_profile(profile.as_object().unwrap())
        .map_err(|e| match e {
            Error::Invalid { causes, .. } => causes.iter().map(ToString::to_string).collect(),
            other => vec![other.to_string()],
        })
}

#[test]
fn each_type_and_constraint_accepts_and_refuses() {
    let s = schema(json!({
        "nick": {"title": "Nick", "type": "string", "minLength": 2, "maxLength": 4},
        "age": {"title": "Age", "type": "integer", "minimum": 18, "maximum": 99},
        "score": {"title": "Score", "type": "number", "minimum": 0.5},
        "vip": {"title": "VIP", "type": "boolean"},
        "tags": {"title": "Tags", "type": "array", "items": {"type": "string", "enum": ["a", "b"]}},
        "codes": {"title": "Codes", "type": "array", "items": {"type": "integer"}},
        "color": {"title": "Color", "type": "string", "enum": ["red", "blue"]},
        "size": {"title": "Size", "type": "string", "oneOf": [{"const": "S", "title": "Small"}, {"const": "L", "title": "Large"}]},
        "zip": {"title": "Zip", "type": "string", "pattern": "[0-9]{5}"},
    }));
    let table: &[(Value, Option<&str>)] = &[
        (json!({"nick": "ab"}), None),
        (
            json!({"nick": "a"}),
            Some("nick: The field is too short: minimum length is 2"),
        ),
        (
            json!({"nick": "abcde"}),
            Some("nick: The field is too long: maximum length is 4"),
        ),
        (
            json!({"nick": 3}),
            Some("nick: Does not match the type string"),
        ),
        (json!({"age": 33}), None),
        (
            json!({"age": "33"}),
            Some("age: Does not match the type integer"),
        ),
        (
            json!({"age": 33.5}),
            Some("age: Does not match the type integer"),
        ),
        (
            json!({"age": 17}),
            Some("age: The value is below the minimum of 18"),
        ),
        (
            json!({"age": 100}),
            Some("age: The value is above the maximum of 99"),
        ),
        (json!({"score": 1}), None),
        (json!({"score": 0.75}), None),
        (
            json!({"score": 0.25}),
            Some("score: The value is below the minimum of 0.5"),
        ),
        (
            json!({"score": true}),
            Some("score: Does not match the type number"),
        ),
        (json!({"vip": false}), None),
        (
            json!({"vip": "yes"}),
            Some("vip: Does not match the type boolean"),
        ),
        (json!({"tags": ["a", "b"]}), None),
        (
            json!({"tags": "a"}),
            Some("tags: Does not match the type array of string"),
        ),
        (
            json!({"tags": ["a", 1]}),
            Some("tags: Item 1 is not of type string"),
        ),
        (
            json!({"tags": ["c"]}),
            Some("tags: Does not match any of the allowed values: \"c\""),
        ),
        (json!({"codes": [1, 2]}), None),
        (
            json!({"codes": [1.5]}),
            Some("codes: Item 1.5 is not of type integer"),
        ),
        (json!({"color": "red"}), None),
        (
            json!({"color": "green"}),
            Some("color: Does not match any of the allowed values: \"green\""),
        ),
        (json!({"size": "S"}), None),
        (
            json!({"size": "M"}),
            Some("size: Does not match any of the allowed values: \"M\""),
        ),
        (json!({"zip": "12345"}), None),
        (
            json!({"zip": "1234a"}),
            Some("zip: Does not match required pattern"),
        ),
        (
            json!({"zip": "123456"}),
            Some("zip: Does not match required pattern"),
        ),
        (json!({"zip": null, "age": null}), None),
        (json!({"login": "a@b.co", "firstName": "A"}), None),
        (
            json!({"shoeSize": 42}),
            Some("Property name 'shoeSize' is not defined in profile"),
        ),
    ];
    for (profile, want) in table {
        let got = check(&s, profile.clone());
        match want {
            None => assert_eq!(got, Ok(()), "{profile}"),
            Some(msg) => assert_eq!(got, Err(vec![(*msg).to_owned()]), "{profile}"),
        }
    }
}

#[test]
fn required_custom_properties_must_be_present() {
    let s = schema(json!({"badge": {"title": "Badge", "type": "string", "required": true}}));
    assert_eq!(check(&s, json!({"badge": "x"})), Ok(()));
    let want = Err(vec!["badge: The field cannot be left blank".to_owned()]);
    assert_eq!(check(&s, json!({})), want);
    assert_eq!(check(&s, json!({"badge": null})), want);
}

#[test]
fn updates_add_replace_and_remove_with_defaults_filled_in() {
    let mut s = schema(
        json!({"age": {"title": "Age", "type": "integer"}, "nick": {"title": "Nick", "type": "string"}}),
    );
    let age = s.custom_json()["age"].clone();
    assert_eq!(
        age,
        json!({"title": "Age", "type": "integer", "mutability": "READ_WRITE", "scope": "NONE",
               "permissions": [{"principal": "SELF", "action": "READ_ONLY"}]})
    );
    let later = Timestamp::from_millis(2000);
    s.apply_update(
        &json!({"definitions": {"custom": {"properties": {"age": null, "nick": {"title": "N", "type": "string", "maxLength": 3}}}}}),
        later,
    )
    .unwrap();
    assert_eq!(s.custom.len(), 1);
    assert_eq!(s.custom_json()["nick"]["maxLength"], 3);
    assert_eq!(s.last_updated, later);
    let restored = ProfileSchema::empty("osc1", SchemaKind::User, NOW)
        .with_custom_json(&s.custom_json())
        .unwrap();
    assert_eq!(restored.custom_json(), s.custom_json());
}

#[test]
fn bad_definitions_are_refused() {
    let table = [
        (
            json!({"age": {"title": "Age", "type": "date"}}),
            "age: type must be one of string, integer, number, boolean or an array of those",
        ),
        (
            json!({"age": {"type": "integer"}}),
            "age: title: The field cannot be left blank",
        ),
        (
            json!({"1age": {"title": "A", "type": "integer"}}),
            "1age: Variable name must start with a letter and hold only letters, digits and underscores",
        ),
        (
            json!({"login": {"title": "A", "type": "string"}}),
            "Property name 'login' is already used by a base property",
        ),
        (
            json!({"a": {"title": "A", "type": "string", "minLength": 5, "maxLength": 2}}),
            "a: minLength cannot exceed maxLength",
        ),
        (
            json!({"a": {"title": "A", "type": "string", "pattern": "("}}),
            "a: pattern is not a valid regular expression",
        ),
        (
            json!({"a": {"title": "A", "type": "integer", "enum": ["x"]}}),
            "a: enum values must be of type integer",
        ),
        (
            json!({"a": {"title": "A", "type": "array"}}),
            "a: type must be one of string, integer, number, boolean or an array of those",
        ),
    ];
    for (props, want) in table {
        let mut s = ProfileSchema::empty("osc1", SchemaKind::User, NOW);
        let err = s
            .apply_update(
                &json!({"definitions": {"custom": {"properties": props}}}),
                NOW,
            )
            .unwrap_err();
        let Error::Invalid { causes, .. } = err else {
            panic!("{err}")
        };
        assert_eq!(
            causes.iter().map(ToString::to_string).collect::<Vec<_>>(),
            vec![want],
            "{props}"
        );
        assert!(s.custom.is_empty());
    }
}

#[test]
fn group_schema_knows_name_and_description() {
    let s = ProfileSchema::empty("default", SchemaKind::Group, NOW);
    assert_eq!(check(&s, json!({"name": "G", "description": "d"})), Ok(()));
    assert!(check(&s, json!({"name": "G", "owner": "x"})).is_err());
    assert_eq!(
        base_required(SchemaKind::User),
        vec!["login", "firstName", "lastName", "email"]
    );
}

#[test]
fn user_types_validate_and_keep_their_name() {
    let t = UserType::create(
        &json!({"name": "contractor", "displayName": "Contractor"}),
        "00u1",
        NOW,
    )
    .unwrap();
    assert!(t.id.starts_with("oty") && t.id.len() == 20);
    assert_eq!(t.schema_id, user_type::schema_id_of(&t.id));
    assert_eq!(
        user_type::schema_id_of(user_type::DEFAULT_TYPE_ID),
        user_type::DEFAULT_SCHEMA_ID
    );
    for body in [
        json!({"displayName": "X"}),
        json!({"name": "9x", "displayName": "X"}),
        json!({"name": "x"}),
    ] {
        assert!(UserType::create(&body, "a", NOW).is_err(), "{body}");
    }
    let mut t2 = t.clone();
    assert!(
        t2.update(&json!({"name": "other"}), false, "a", NOW)
            .is_err()
    );
    t2.update(&json!({"description": "d"}), false, "a", NOW)
        .unwrap();
    assert_eq!(
        (t2.display_name.as_str(), t2.description.as_deref()),
        ("Contractor", Some("d"))
    );
    assert!(
        t2.update(&json!({"name": "contractor"}), true, "a", NOW)
            .is_err()
    );
    t2.update(&json!({"displayName": "C"}), true, "a", NOW)
        .unwrap();
    assert_eq!(t2.description, None);
    assert!(t.check_delete().is_ok());
    assert!(matches!(
        UserType::built_in(NOW).check_delete(),
        Err(Error::Forbidden)
    ));
}
