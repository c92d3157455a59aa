use serde_json::{Value, json};

use super::attributes::{AttributeSource, parse_statements, resolve};
use super::name_id::{Piece, pieces, render};
use super::request::{AuthnRequest, HTTP_POST, RequestRefusal, acs_url};
use super::sign_on::{PASSWORD_PROTECTED, SamlSignOn, UNSPECIFIED_FORMAT};
use crate::Timestamp;
use crate::authz::claim::GroupFilterType;
use crate::directory::{Group, GroupType};

const NOW: Timestamp = Timestamp::from_millis(1_700_000_000_000);

fn group(name: &str, kind: GroupType) -> Group {
    let profile = json!({"name": name})
        .as_object()
        .cloned()
        .unwrap_or_default();
    Group::new(kind, profile, NOW).unwrap()
}

fn sign_on(v: Value) -> SamlSignOn {
    SamlSignOn::from_settings(v.as_object().unwrap()).unwrap()
}

fn app() -> SamlSignOn {
    sign_on(json!({
        "ssoAcsUrl": "https://sp.example/acs",
        "audience": "https://sp.example",
        "destinationOverride": "https://sp.example/dest",
        "allowMultipleAcsEndpoints": true,
        "acsEndpoints": [{"url": "https://sp.example/acs2", "index": 0}],
    }))
}

#[test]
fn sign_on_defaults_and_overrides() {
    let s = app();
    assert_eq!(s.recipient, "https://sp.example/acs");
    assert_eq!(s.destination, "https://sp.example/dest");
    assert_eq!(s.name_id_template, "${user.userName}");
    assert_eq!(s.name_id_format, UNSPECIFIED_FORMAT);
    assert_eq!(s.authn_context, PASSWORD_PROTECTED);
    assert!(s.response_signed && s.assertion_signed && !s.sha1_signature);
    assert!(s.honor_force_authn);
    assert_eq!(s.acs_endpoints, vec!["https://sp.example/acs2".to_owned()]);
    let o = sign_on(json!({
        "ssoAcsUrl": "https://a/acs", "ssoAcsUrlOverride": "https://b/acs",
        "audience": "x", "audienceOverride": "y", "destinationOverride": "https://d",
        "responseSigned": false, "signatureAlgorithm": "RSA_SHA1", "honorForceAuthn": false,
        "acsEndpoints": ["https://c/acs"],
    }));
    assert_eq!(
        (o.acs_url.as_str(), o.audience.as_str()),
        ("https://b/acs", "y")
    );
    assert_eq!(o.destination, "https://d");
    assert_eq!(o.recipient, "https://b/acs");
    assert!(!o.response_signed && o.sha1_signature && !o.honor_force_authn);
    assert!(o.acs_endpoints.is_empty(), "not allowed without the flag");
    assert!(SamlSignOn::from_settings(json!({"audience": "x"}).as_object().unwrap()).is_none());
}

#[test]
fn acs_url_table() {
    let s = app();
    let req = |acs: Option<&str>, binding: Option<&str>, id: &str| AuthnRequest {
        id: id.to_owned(),
        acs_url: acs.map(str::to_owned),
        protocol_binding: binding.map(str::to_owned),
        ..AuthnRequest::default()
    };
    let cases: Vec<(Option<AuthnRequest>, Result<&str, RequestRefusal>)> = vec![
        (None, Ok("https://sp.example/acs")),
        (Some(req(None, None, "id1")), Ok("https://sp.example/acs")),
        (
            Some(req(Some("https://sp.example/acs"), Some(HTTP_POST), "id1")),
            Ok("https://sp.example/acs"),
        ),
        (
            Some(req(Some("https://sp.example/acs2"), None, "id1")),
            Ok("https://sp.example/acs2"),
        ),
        (
            Some(req(Some("https://sp.example/dest"), None, "id1")),
            Ok("https://sp.example/dest"),
        ),
        (
            Some(req(Some("https://evil.example/acs"), None, "id1")),
            Err(RequestRefusal::AcsNotAllowed(
                "https://evil.example/acs".into(),
            )),
        ),
        (
            Some(req(None, Some("urn:x:artifact"), "id1")),
            Err(RequestRefusal::UnsupportedBinding("urn:x:artifact".into())),
        ),
        (Some(req(None, None, " ")), Err(RequestRefusal::MissingId)),
    ];
    for (request, want) in cases {
        let got = acs_url(request.as_ref(), &s);
        assert_eq!(got, want.map(str::to_owned), "{request:?}");
    }
}

#[test]
fn name_id_template_table() {
    let cases: Vec<(&str, Result<&str, ()>)> = vec![
        ("${user.userName}", Ok("ann@example.com")),
        ("${ user.email }", Ok("ann@mail.example")),
        ("id-${user.userName}-x", Ok("id-ann@example.com-x")),
        ("fixed", Ok("fixed")),
        ("${user.missing}", Err(())),
        ("${user.userName", Err(())),
    ];
    let mut eval = |e: &str| -> Result<Vec<String>, String> {
        Ok(match e {
            "user.userName" => vec!["ann@example.com".into()],
            "user.email" => vec!["ann@mail.example".into()],
            _ => vec![],
        })
    };
    for (template, want) in cases {
        let got = render(template, &mut eval).map_err(|_| ());
        assert_eq!(got, want.map(str::to_owned), "{template}");
    }
    assert_eq!(
        pieces("a${b}c").unwrap(),
        vec![Piece::Text("a"), Piece::Expr("b"), Piece::Text("c")]
    );
}

#[test]
fn attribute_statements_parse_and_filter() {
    let statements = parse_statements(&json!([
        {"type": "EXPRESSION", "name": "email", "namespace": "urn:n", "values": ["user.email"]},
        {"type": "EXPRESSION", "name": "empty", "values": ["user.none"]},
        {"type": "GROUP", "name": "eng", "filterType": "STARTS_WITH", "filterValue": "eng"},
        {"type": "GROUP", "name": "exact", "filterType": "EQUALS", "filterValue": "Sales"},
        {"type": "GROUP", "name": "has", "filterType": "CONTAINS", "filterValue": "ops"},
        {"type": "GROUP", "name": "re", "filterType": "REGEX", "filterValue": "Eng.*|Sales"},
        {"type": "GROUP", "name": "bad", "filterType": "NOPE", "filterValue": "x"},
        {"type": "EXPRESSION", "values": ["user.email"]},
    ]));
    assert_eq!(statements.len(), 6, "malformed statements are skipped");
    assert_eq!(
        statements.get(2).map(|s| &s.source),
        Some(&AttributeSource::Group {
            filter: GroupFilterType::StartsWith,
            value: "eng".into()
        })
    );
    let groups = vec![
        group("Engineering", GroupType::OktaGroup),
        group("eng-ops", GroupType::OktaGroup),
        group("Sales", GroupType::OktaGroup),
        group("Engine app", GroupType::AppGroup),
    ];
    let mut eval = |e: &str| -> Result<Vec<String>, String> {
        Ok(match e {
            "user.email" => vec!["ann@mail.example".into()],
            _ => vec![],
        })
    };
    let got = resolve(&statements, &mut eval, &groups).unwrap();
    let table: Vec<(&str, Vec<&str>)> = got
        .iter()
        .map(|a| {
            (
                a.name.as_str(),
                a.values.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        table,
        vec![
            ("email", vec!["ann@mail.example"]),
            ("eng", vec!["Engineering", "eng-ops"]),
            ("exact", vec!["Sales"]),
            ("has", vec!["eng-ops"]),
            ("re", vec!["Engineering", "Sales"]),
        ]
    );
    assert_eq!(got.first().map(|a| a.name_format.as_str()), Some("urn:n"));
}

#[test]
fn values_of_table() {
    let cases = [
        (json!(null), vec![]),
        (json!("a"), vec!["a"]),
        (json!(["a", null, "b"]), vec!["a", "b"]),
        (json!(3), vec!["3"]),
        (json!(true), vec!["true"]),
    ];
    for (v, want) in cases {
        assert_eq!(super::values_of(&v), want, "{v}");
    }
}
