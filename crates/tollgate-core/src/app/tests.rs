use std::collections::HashSet;

use serde_json::{Value, json};

use super::client::{AuthMethod, GrantType, ResponseType};
use super::*;
use crate::id::UserId;

fn now() -> Timestamp {
    Timestamp::from_millis(1_503_695_748_000)
}

fn draft(body: Value) -> AppDraft {
    let creds = &body["credentials"]["oauthClient"];
    AppDraft {
        template: Default::default(),
        name: body["name"].as_str().map(str::to_owned),
        label: body["label"].as_str().map(str::to_owned),
        sign_on_mode: body["signOnMode"].as_str().map(str::to_owned),
        credentials: CredentialsDraft {
            client_id: creds["client_id"].as_str().map(str::to_owned),
            client_secret: creds["client_secret"].as_str().map(Secret::new),
            auth_method: creds["token_endpoint_auth_method"]
                .as_str()
                .map(str::to_owned),
            pkce_required: creds["pkce_required"].as_bool(),
            auto_key_rotation: creds["autoKeyRotation"].as_bool(),
        },
        settings: body["settings"]["oauthClient"].as_object().cloned(),
        profile: body.get("profile").cloned(),
    }
}

fn web(settings: Value) -> Value {
    json!({"name": "oidc_client", "label": "App", "signOnMode": "OPENID_CONNECT",
           "settings": {"oauthClient": settings}})
}

fn causes(body: Value) -> Vec<String> {
    match App::create(AppId::generate(), draft(body), true, now()) {
        Err(Error::Invalid { causes, .. }) => causes.iter().map(ToString::to_string).collect(),
        other => panic!("expected a validation failure, got {other:?}"),
    }
}

#[test]
fn create_defaults_like_okta() {
    let id = AppId::generate();
    let body = web(
        json!({"application_type": "web", "grant_types": ["authorization_code"],
                          "redirect_uris": ["https://a.example/cb"]}),
    );
    let saved = App::create(id.clone(), draft(body), true, now()).unwrap();
    let app = saved.app;
    assert_eq!(app.credentials.client_id, id.as_str());
    assert_eq!(app.credentials.auth_method, AuthMethod::ClientSecretBasic);
    assert!(!app.credentials.pkce_required);
    assert!(app.credentials.auto_key_rotation);
    assert_eq!(app.settings.response_types, vec![ResponseType::Code]);
    assert_eq!(app.status, AppStatus::Active);
    let secret = saved.secret.unwrap();
    assert_eq!(secret.expose().len(), 64);
    assert!(
        secret
            .expose()
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    );
    assert!(app.credentials.verify_secret(secret.expose()));
    assert!(!app.credentials.verify_secret("nope"));
    assert!(app.settings.allows_redirect("https://a.example/cb"));
    assert!(!app.settings.allows_redirect("https://a.example/cb/"));
    assert!(
        !app.settings
            .allows_post_logout_redirect("https://a.example/cb")
    );
    assert!(app.link_id.as_str().starts_with("aln"));
}

#[test]
fn public_clients_have_no_secret_and_need_pkce() {
    let mut body = web(
        json!({"application_type": "browser", "grant_types": ["authorization_code"],
                              "redirect_uris": ["http://localhost:8080/cb"]}),
    );
    body["credentials"] = json!({"oauthClient": {"token_endpoint_auth_method": "none", "client_secret": "ignored-ignored-ignored"}});
    let saved = App::create(AppId::generate(), draft(body.clone()), false, now()).unwrap();
    assert!(saved.secret.is_none());
    assert!(saved.app.credentials.secrets.is_empty());
    assert!(saved.app.credentials.pkce_required);
    assert_eq!(saved.app.status, AppStatus::Inactive);

    body["credentials"]["oauthClient"]["pkce_required"] = json!(false);
    assert_eq!(
        causes(body),
        ["pkce_required: must be true when token_endpoint_auth_method is 'none'"]
    );
}

#[test]
fn service_apps_with_client_credentials_and_token_are_valid() {
    let body = web(
        json!({"application_type": "service", "grant_types": ["client_credentials"],
                          "response_types": ["token"]}),
    );
    let saved = App::create(AppId::generate(), draft(body), true, now()).unwrap();
    assert_eq!(
        saved.app.settings.grant_types,
        vec![GrantType::ClientCredentials]
    );
    assert!(saved.app.settings.redirect_uris.is_empty());
}

#[test]
fn refuses_bad_combinations_naming_the_field() {
    let c = causes(web(
        json!({"application_type": "web", "grant_types": ["password", "authorization_code"],
                              "redirect_uris": ["https://a.example/cb"]}),
    ));
    assert_eq!(
        c,
        ["grant_types: 'password' is not allowed for application_type 'web'"]
    );

    let c = causes(web(
        json!({"application_type": "web", "grant_types": ["authorization_code"]}),
    ));
    assert!(c[0].starts_with("redirect_uris: "), "{c:?}");

    let c = causes(web(
        json!({"application_type": "browser", "grant_types": ["implicit"],
                              "response_types": ["code"], "redirect_uris": ["https://a.example/cb"]}),
    ));
    assert!(
        c.iter()
            .any(|c| c.contains("'code' requires the 'authorization_code' grant type")),
        "{c:?}"
    );
    assert!(
        c.iter()
            .any(|c| c.contains("'token' or 'id_token' is required")),
        "{c:?}"
    );

    let c = causes(web(
        json!({"application_type": "web", "grant_types": ["authorization_code"],
                              "redirect_uris": ["https://a.example/cb#frag", "/relative"]}),
    ));
    assert_eq!(c.len(), 2, "{c:?}");
    assert!(
        c[0].contains("fragment") && c[1].contains("absolute"),
        "{c:?}"
    );

    let mut body =
        web(json!({"application_type": "service", "grant_types": ["client_credentials"]}));
    body["credentials"] = json!({"oauthClient": {"token_endpoint_auth_method": "none"}});
    assert!(causes(body)[0].starts_with("token_endpoint_auth_method: 'none' is allowed only"));

    let mut body =
        web(json!({"application_type": "service", "grant_types": ["client_credentials"]}));
    body["credentials"] = json!({"oauthClient": {"token_endpoint_auth_method": "private_key_jwt"}});
    assert!(causes(body)[0].contains("requires 'jwks' or 'jwks_uri'"));

    let mut body =
        web(json!({"application_type": "service", "grant_types": ["client_credentials"]}));
    body["credentials"] = json!({"oauthClient": {"client_id": "ALL_CLIENTS"}});
    assert_eq!(causes(body), ["client_id: 'ALL_CLIENTS' is reserved"]);

    let mut body =
        web(json!({"application_type": "service", "grant_types": ["client_credentials"]}));
    body["signOnMode"] = json!("OPENID_CONNECT");
    body["name"] = json!("bookmark");
    assert_eq!(
        causes(body),
        ["name: 'bookmark' does not go with an OPENID_CONNECT app ('oidc_client')"]
    );
}

#[test]
fn wildcards_only_when_enabled() {
    let ok = web(
        json!({"application_type": "web", "grant_types": ["authorization_code"],
                        "wildcard_redirect": "SUBDOMAIN",
                        "redirect_uris": ["https://app-*.example.com/cb"]}),
    );
    App::create(AppId::generate(), draft(ok), true, now()).unwrap();
    let c = causes(web(
        json!({"application_type": "web", "grant_types": ["authorization_code"],
                              "redirect_uris": ["https://app-*.example.com/cb"]}),
    ));
    assert!(c[0].contains("wildcard_redirect is DISABLED"), "{c:?}");
}

#[test]
fn unknown_settings_round_trip() {
    let raw = json!({"application_type": "native", "grant_types": ["authorization_code"],
                     "redirect_uris": ["myapp://callback"], "client_uri": "http://localhost:8080",
                     "tos_uri": "https://a.example/tos", "idp_initiated_login": {"mode": "DISABLED", "default_scope": []},
                     "refresh_token": {"rotation_type": "ROTATE"},
                     "jwks": {"keys": [{"kty": "RSA", "kid": "k1", "e": "AQAB", "n": "abc"}]}});
    let mut causes = Vec::new();
    let s = ClientSettings::parse(raw.as_object().unwrap(), &mut causes).unwrap();
    let out = s.to_json();
    assert_eq!(out["client_uri"], "http://localhost:8080");
    assert_eq!(out["idp_initiated_login"], raw["idp_initiated_login"]);
    assert_eq!(
        out["refresh_token"],
        json!({"rotation_type": "ROTATE", "leeway": 30})
    );
    assert_eq!(out["jwks"], raw["jwks"]);
    assert_eq!(out["consent_method"], "TRUSTED");
    assert_eq!(ClientSettings::from_stored(&out).unwrap(), s);
}

#[test]
fn replace_keeps_client_id_secret_and_omitted_parts() {
    let body = web(
        json!({"application_type": "native", "grant_types": ["authorization_code"],
                          "redirect_uris": ["myapp://callback"]}),
    );
    let mut body = body;
    body["profile"] = json!({"b": 1, "a": 2});
    let saved = App::create(AppId::generate(), draft(body), true, now()).unwrap();
    let secret = saved.secret.unwrap();
    let app = saved.app;

    let seed = json!({"name": "oidc_client", "label": "Sample Client", "status": "ACTIVE",
        "signOnMode": "OPENID_CONNECT",
        "credentials": {"oauthClient": {"token_endpoint_auth_method": "client_secret_post"}},
        "settings": {"oauthClient": {"client_uri": "http://localhost:8080",
            "redirect_uris": ["https://example.com/oauth2/callback", "myapp://callback"],
            "response_types": ["token", "id_token", "code"], "grant_types": ["implicit", "authorization_code"],
            "application_type": "native"}},
        "profile": {"groupwhitelist": ["00gbso71miOMjxHRW0h7"]}});
    let replaced = App::replace(&app, draft(seed), now().plus_seconds(1)).unwrap();
    assert!(replaced.secret.is_none());
    let new = replaced.app;
    assert_eq!(new.credentials.client_id, app.credentials.client_id);
    assert!(new.credentials.verify_secret(secret.expose()));
    assert_eq!(new.credentials.auth_method, AuthMethod::ClientSecretPost);
    assert_eq!(
        Value::Object(new.profile.clone()),
        json!({"groupwhitelist": ["00gbso71miOMjxHRW0h7"]})
    );
    assert_eq!(new.created, app.created);

    let only_label = App::replace(
        &new,
        AppDraft {
            label: Some("L".into()),
            ..AppDraft::default()
        },
        now(),
    )
    .unwrap();
    assert_eq!(only_label.app.profile, new.profile);
    assert_eq!(only_label.app.settings, new.settings);

    let mut other_id = AppDraft::default();
    other_id.credentials.client_id = Some("another-client".into());
    assert!(App::replace(&new, other_id, now()).is_err());
    let to_web = AppDraft {
        settings: json!({"application_type": "web", "grant_types": ["authorization_code"],
                         "redirect_uris": ["https://a.example/cb"]})
        .as_object()
        .cloned(),
        ..AppDraft::default()
    };
    assert!(App::replace(&new, to_web, now()).is_err());
    let same_type = AppDraft {
        settings: json!({"grant_types": ["authorization_code"], "redirect_uris": ["myapp://cb"]})
            .as_object()
            .cloned(),
        ..AppDraft::default()
    };
    let kept_type = App::replace(&new, same_type, now()).unwrap().app;
    assert_eq!(kept_type.settings.application_type, ApplicationType::Native);
    assert_eq!(kept_type.settings.redirect_uris, ["myapp://cb"]);
}

#[test]
fn profile_must_be_an_object_and_not_huge() {
    let mut body =
        web(json!({"application_type": "service", "grant_types": ["client_credentials"]}));
    body["profile"] = json!([1]);
    assert_eq!(causes(body.clone()), ["profile: must be a JSON object"]);
    body["profile"] = json!({"big": "x".repeat(MAX_PROFILE_BYTES)});
    assert_eq!(causes(body), ["profile: must be at most 1 MB of JSON"]);
}

#[test]
fn assignment_rule() {
    let g = |s: &str| GroupId::from_trusted(s);
    let everyone = g("00geveryone");
    let user: HashSet<_> = [g("00ga"), g("00gb")].into();
    let app: HashSet<_> = [g("00gb")].into();
    let none = HashSet::new();
    assert!(is_assigned(true, &none, &none, Some(&everyone)));
    assert!(is_assigned(false, &user, &app, Some(&everyone)));
    assert!(!is_assigned(false, &user, &none, Some(&everyone)));
    assert!(!is_assigned(false, &none, &app, None));
    let to_everyone: HashSet<_> = [everyone.clone()].into();
    assert!(is_assigned(false, &none, &to_everyone, Some(&everyone)));
}

#[test]
fn filters() {
    assert_eq!(
        AppFilter::parse(r#"status eq "ACTIVE""#),
        Some(AppFilter::Status(AppStatus::Active))
    );
    assert_eq!(
        AppFilter::parse(r#"name EQ "oidc_client""#),
        Some(AppFilter::Name("oidc_client".into()))
    );
    assert_eq!(
        AppFilter::parse(r#"user.id eq "00u1""#),
        Some(AppFilter::User(UserId::from_trusted("00u1")))
    );
    assert!(AppFilter::parse(r#"group.id eq "00g1""#).is_some());
    assert_eq!(
        AppFilter::parse(r#"credentials.signing.kid eq "k1""#),
        Some(AppFilter::SigningKid("k1".into()))
    );
    assert!(AppFilter::parse(r#"label eq "x""#).is_none());
    assert!(AppFilter::parse(r#"status sw "A""#).is_none());
    assert!(AppFilter::parse("status eq ACTIVE").is_none());
}
