//! Apps for the table tests of the OAuth decisions.

use serde_json::{Value, json};

use crate::app::vocab::GrantType;
use crate::app::{App, AppDraft, CredentialsDraft};
use crate::authz::rule::TokenLifetimes;
use crate::clock::Timestamp;
use crate::id::AppId;
use crate::oauth::grant::Grant;
use crate::secret::Secret;

/// An active OIDC app with `settings.oauthClient` = `settings` and the given auth method.
pub(crate) fn app(settings: Value, auth_method: &str, pkce_required: bool) -> App {
    let draft = AppDraft {
        template: Default::default(),
        name: Some("oidc_client".into()),
        label: Some("App".into()),
        sign_on_mode: Some("OPENID_CONNECT".into()),
        credentials: CredentialsDraft {
            client_id: Some("client1".into()),
            client_secret: (auth_method != "none").then(|| Secret::new("s".repeat(40))),
            auth_method: Some(auth_method.into()),
            pkce_required: Some(pkce_required),
            auto_key_rotation: None,
        },
        settings: settings.as_object().cloned(),
        profile: None,
    };
    match App::create(AppId::generate(), draft, true, Timestamp::from_millis(0)) {
        Ok(saved) => saved.app,
        Err(e) => panic!("test app: {e:?}"),
    }
}

/// A web app with the code, implicit, refresh and client-credentials grants.
pub(crate) fn web_app() -> App {
    app(
        json!({"application_type": "web",
               "grant_types": ["authorization_code", "implicit", "refresh_token", "client_credentials"],
               "response_types": ["code", "token", "id_token"],
               "redirect_uris": ["https://app.example/cb"]}),
        "client_secret_basic",
        false,
    )
}

/// A native app with the code and password grants, public (PKCE required by its method).
pub(crate) fn native_app() -> App {
    app(
        json!({"application_type": "native",
               "grant_types": ["authorization_code", "password"],
               "response_types": ["code"],
               "redirect_uris": ["myapp://cb"]}),
        "none",
        true,
    )
}

/// A code-flow grant of `client` on `default` for user `00u1` with `scopes`.
pub(crate) fn grant(scopes: &[&str]) -> Grant {
    Grant {
        id: "g".into(),
        server_id: "default".into(),
        client_id: "client".into(),
        user_id: Some("00u1".into()),
        grant_type: GrantType::AuthorizationCode,
        scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
        auth_time: None,
        amr: Vec::new(),
        session_id: None,
        nonce: None,
        lifetimes: TokenLifetimes::default(),
        created: Timestamp::from_millis(0),
    }
}
