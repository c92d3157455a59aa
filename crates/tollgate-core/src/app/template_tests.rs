use serde_json::{Value, json};

use super::template::custom_name;
use super::{App, AppDraft, SharedCredentials, TemplateApp, TemplateDraft, TemplateKind};
use crate::clock::Timestamp;
use crate::error::Error;
use crate::id::AppId;

fn draft(name: Option<&str>, mode: Option<&str>, app: Value, sign_on: Value) -> AppDraft {
    AppDraft {
        name: name.map(str::to_owned),
        label: Some("My App".into()),
        sign_on_mode: mode.map(str::to_owned),
        template: TemplateDraft {
            app_settings: app.as_object().cloned(),
            sign_on: sign_on.as_object().cloned(),
            ..TemplateDraft::default()
        },
        ..AppDraft::default()
    }
}

fn create(d: AppDraft) -> Result<App, Error> {
    App::create(AppId::generate(), d, true, Timestamp::from_millis(1)).map(|s| s.app)
}

fn cause_fields(e: Error) -> Vec<String> {
    match e {
        Error::Invalid { causes, .. } => causes.into_iter().filter_map(|c| c.field).collect(),
        other => panic!("not a validation error: {other:?}"),
    }
}

#[test]
fn name_and_mode_resolve_to_a_kind() {
    use TemplateKind::*;
    let table: [(Option<&str>, Option<&str>, Option<TemplateKind>); 12] = [
        (Some("bookmark"), None, Some(Bookmark)),
        (Some("bookmark"), Some("BOOKMARK"), Some(Bookmark)),
        (Some("bookmark"), Some("SAML_2_0"), None),
        (
            Some("template_basic_auth"),
            Some("BASIC_AUTH"),
            Some(BasicAuth),
        ),
        (Some("template_swa"), None, Some(Swa)),
        (
            Some("template_swa3field"),
            Some("BROWSER_PLUGIN"),
            Some(Swa3Field),
        ),
        (Some("template_sps"), None, Some(Sps)),
        (None, Some("AUTO_LOGIN"), Some(AutoLogin)),
        (None, Some("SAML_2_0"), Some(Saml)),
        (Some("my_app_1"), Some("SAML_2_0"), Some(Saml)),
        (Some("okta_org2org"), Some("SAML_2_0"), Some(Org2Org)),
        (Some("no-such app"), Some("SAML_2_0"), None),
    ];
    for (name, mode, expected) in table {
        assert_eq!(
            TemplateKind::resolve(name, mode),
            expected,
            "{name:?} {mode:?}"
        );
    }
    assert_eq!(TemplateKind::resolve(None, Some("BROWSER_PLUGIN")), None);
    assert_eq!(TemplateKind::resolve(Some("nope"), None), None);
}

/// `name` (empty: none), `signOnMode`, `settings.app`, `settings.signOn`, fields refused.
type SettingsCase = (
    &'static str,
    Option<&'static str>,
    Value,
    Value,
    &'static [&'static str],
);

#[test]
fn required_settings_and_defaults_per_kind() {
    let url = json!({"url": "https://example.com/b"});
    let table: [SettingsCase; 7] = [
        ("bookmark", None, url.clone(), Value::Null, &[]),
        (
            "bookmark",
            None,
            json!({}),
            Value::Null,
            &["settings.app.url"],
        ),
        (
            "template_basic_auth",
            None,
            url.clone(),
            Value::Null,
            &["settings.app.authURL"],
        ),
        (
            "template_sps",
            None,
            json!({"url": "https://e.com", "usernameField": "u", "passwordField": "p"}),
            Value::Null,
            &[],
        ),
        (
            "",
            Some("AUTO_LOGIN"),
            json!({}),
            json!({}),
            &["settings.signOn.loginUrl"],
        ),
        (
            "",
            Some("SAML_2_0"),
            json!({}),
            json!({"ssoAcsUrl": "ftp://x", "audience": "a", "signatureAlgorithm": "MD5"}),
            &[
                "settings.signOn.ssoAcsUrl",
                "settings.signOn.recipient",
                "settings.signOn.destination",
                "settings.signOn.signatureAlgorithm",
            ],
        ),
        (
            "template_wsfed",
            None,
            json!({"realm": "r"}),
            Value::Null,
            &["settings.app.wReplyURL"],
        ),
    ];
    for (name, mode, app, sign_on, expected) in table {
        let name = (!name.is_empty()).then_some(name);
        match create(draft(name, mode, app, sign_on)) {
            Ok(_) => assert!(expected.is_empty(), "{name:?} {mode:?} accepted"),
            Err(e) => assert_eq!(cause_fields(e), expected, "{name:?} {mode:?}"),
        }
    }
}

#[test]
fn apps_carry_their_kind_defaults_and_scheme() {
    let bookmark = create(draft(
        Some("bookmark"),
        None,
        json!({"url": "https://e.com"}),
        Value::Null,
    ))
    .unwrap();
    assert_eq!(
        (bookmark.name(), bookmark.sign_on_mode()),
        ("bookmark", "BOOKMARK")
    );
    let t = bookmark.template.as_ref().unwrap();
    assert_eq!(t.app_settings["requestIntegration"], json!(false));
    assert_eq!(t.scheme, None);
    assert!(bookmark.settings.grant_types.is_empty(), "no OAuth grant");

    let basic = create(draft(
        Some("template_basic_auth"),
        None,
        json!({"url": "https://e.com", "authURL": "https://e.com/a"}),
        Value::Null,
    ))
    .unwrap();
    let t = basic.template.as_ref().unwrap();
    assert_eq!(t.scheme.as_deref(), Some("EDIT_USERNAME_AND_PASSWORD"));
    assert_eq!(t.app_settings["loginUrlRegex"], Value::Null);

    let saml = create(draft(
        None,
        Some("SAML_2_0"),
        json!({}),
        json!({"ssoAcsUrl": "https://sp.example/acs", "audience": "urn:sp"}),
    ))
    .unwrap();
    assert_eq!(saml.name(), "my_app_1");
    let sign_on = saml.template.as_ref().unwrap().sign_on.clone().unwrap();
    assert_eq!(sign_on["recipient"], "https://sp.example/acs");
    assert_eq!(sign_on["signatureAlgorithm"], "RSA_SHA256");

    let mut bad_scheme = draft(
        Some("template_basic_auth"),
        None,
        json!({"url": "https://e.com", "authURL": "https://e.com/a"}),
        Value::Null,
    );
    bad_scheme.template.scheme = Some("PLAIN".into());
    assert_eq!(
        cause_fields(create(bad_scheme).unwrap_err()),
        ["credentials.scheme"]
    );
}

#[test]
fn replacing_keeps_the_kind_and_what_is_left_out() {
    let app = create(draft(
        Some("bookmark"),
        None,
        json!({"url": "https://e.com/1"}),
        Value::Null,
    ))
    .unwrap();
    let now = Timestamp::from_millis(2);
    let label_only = AppDraft {
        label: Some("Renamed".into()),
        ..AppDraft::default()
    };
    let renamed = app.replace(label_only, now).unwrap().app;
    assert_eq!(renamed.label, "Renamed");
    assert_eq!(renamed.template, app.template);
    let new_url = draft(None, None, json!({"url": "https://e.com/2"}), Value::Null);
    let moved = app.replace(new_url, now).unwrap().app;
    assert_eq!(
        moved.template.unwrap().app_settings["url"],
        "https://e.com/2"
    );
    let to_saml = draft(
        None,
        Some("SAML_2_0"),
        json!({"url": "https://e.com"}),
        Value::Null,
    );
    assert_eq!(
        cause_fields(app.replace(to_saml, now).unwrap_err()),
        ["signOnMode"]
    );
}

#[test]
fn unknown_names_are_refused_and_custom_names_follow_the_label() {
    let e = create(draft(
        Some("template_nothing"),
        None,
        json!({}),
        Value::Null,
    ))
    .unwrap_err();
    assert_eq!(cause_fields(e), ["name"]);
    assert_eq!(custom_name("My SAML App!"), "my_saml_app_1");
    assert_eq!(custom_name("  --  "), "app_1");
}

fn basic_auth(scheme: &str, shared: SharedCredentials) -> AppDraft {
    let mut d = draft(
        Some("template_basic_auth"),
        None,
        json!({"url": "https://a.example.com", "authURL": "https://a.example.com/auth"}),
        Value::Null,
    );
    d.template.scheme = Some(scheme.to_owned());
    d.template.shared = shared;
    d
}

#[test]
fn shared_credentials_are_kept_only_for_a_shared_scheme() {
    let shared = SharedCredentials {
        user_name: Some("team".into()),
        password: Some(vec![1, 2, 3]),
    };
    let app = create(basic_auth("SHARED_USERNAME_AND_PASSWORD", shared.clone())).unwrap();
    let t = app.template.clone().unwrap();
    assert_eq!(t.shared, shared);
    let back = TemplateApp::from_stored(&t.name, &t.to_stored()).unwrap();
    assert_eq!(back.shared, shared, "stored and read back");

    let renamed = SharedCredentials {
        user_name: Some("crew".into()),
        password: None,
    };
    let mut replace = basic_auth("SHARED_USERNAME_AND_PASSWORD", renamed);
    replace.name = None;
    let replaced = app.replace(replace, Timestamp::from_millis(2)).unwrap().app;
    let kept = replaced.template.unwrap().shared;
    assert_eq!(kept.user_name.as_deref(), Some("crew"));
    assert_eq!(
        kept.password, shared.password,
        "a password left out is kept"
    );

    let other = create(basic_auth("EDIT_USERNAME_AND_PASSWORD", shared)).unwrap();
    assert_eq!(
        other.template.unwrap().shared,
        SharedCredentials::default(),
        "another scheme keeps no shared account"
    );
}

#[test]
fn catalog_names_are_what_a_role_may_target() {
    for (name, known) in [
        ("oidc_client", true),
        ("bookmark", true),
        ("template_basic_auth", true),
        ("template_swa", true),
        ("template_swa3field", true),
        ("template_sps", true),
        ("okta_org2org", true),
        ("template_wsfed", true),
        ("salesforce", false),
        ("", false),
        // A custom app's generated name is no catalog app.
        ("acmecorp_myapp_1", false),
    ] {
        assert_eq!(super::is_catalog_name(name), known, "{name}");
    }
}
