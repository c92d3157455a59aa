//! Bytes → OAuth parameters → authorize and token request validation, and PKCE. Nothing may
//! panic; parameters re-encode to the same values; a validated request only ever carries what
//! the app and the server allow; a refusal only ever redirects to a URI the app allows.
#![no_main]

use std::collections::BTreeSet;
use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};
use tollgate_core::Timestamp;
use tollgate_core::app::vocab::{AuthMethod, GrantType};
use tollgate_core::app::{App, AppDraft, CredentialsDraft};
use tollgate_core::id::AppId;
use tollgate_core::oauth::authorize::{self, AuthorizeRefusal, AuthorizeRequest, ResponseMode};
use tollgate_core::oauth::params::Params;
use tollgate_core::oauth::pkce;
use tollgate_core::oauth::policy::OIDC_SCOPES;
use tollgate_core::oauth::token_request::{self, ServerView, TokenRequest};
use tollgate_core::secret::Secret;
use tollgate_core::token::hashes::pkce_s256;

/// The scopes the authorization server knows.
const KNOWN_SCOPES: [&str; 8] = [
    "openid",
    "profile",
    "email",
    "address",
    "phone",
    "offline_access",
    "groups",
    "api:read",
];

/// The parameter names the validators read, checked on every input besides the input's own.
const NAMES: [&str; 18] = [
    "client_id",
    "redirect_uri",
    "response_type",
    "response_mode",
    "state",
    "prompt",
    "max_age",
    "idp",
    "scope",
    "nonce",
    "code_challenge",
    "code_challenge_method",
    "code_verifier",
    "grant_type",
    "code",
    "refresh_token",
    "username",
    "password",
];

/// An active OIDC app with the given `settings.oauthClient` (harness setup: panics on failure).
fn app(settings: Value, auth_method: &str, pkce_required: bool) -> App {
    let draft = AppDraft {
        name: Some("oidc_client".into()),
        label: Some("Fuzz".into()),
        sign_on_mode: Some("OPENID_CONNECT".into()),
        credentials: CredentialsDraft {
            client_id: None,
            client_secret: (auth_method != "none").then(|| Secret::new("s".repeat(40))),
            auth_method: Some(auth_method.into()),
            pkce_required: Some(pkce_required),
            auto_key_rotation: None,
        },
        settings: settings.as_object().cloned(),
        profile: None,
    };
    App::create(AppId::generate(), draft, true, Timestamp::from_millis(0))
        .expect("fuzz app")
        .app
}

/// A confidential web app: code and implicit, a subdomain wildcard redirect.
static WEB: LazyLock<App> = LazyLock::new(|| {
    app(
        json!({"application_type": "web",
               "grant_types": ["authorization_code", "implicit", "refresh_token", "client_credentials"],
               "response_types": ["code", "token", "id_token"],
               "wildcard_redirect": "SUBDOMAIN",
               "redirect_uris": ["https://app.example/cb", "https://*.app.example/cb"]}),
        "client_secret_basic",
        false,
    )
});

/// A public native app with PKCE required.
static NATIVE: LazyLock<App> = LazyLock::new(|| {
    app(
        json!({"application_type": "native",
               "grant_types": ["authorization_code", "refresh_token", "password"],
               "response_types": ["code"],
               "redirect_uris": ["myapp://cb"]}),
        "none",
        true,
    )
});

static DEFAULT_SCOPES: LazyLock<Vec<String>> = LazyLock::new(|| vec!["api:read".to_owned()]);

fn known(scope: &str) -> bool {
    KNOWN_SCOPES.contains(&scope)
}

/// The names and values as sent, decoded the same way `Params::parse` decodes them.
fn pairs(text: &str) -> Vec<(String, String)> {
    url::form_urlencoded::parse(text.as_bytes())
        .into_owned()
        .collect()
}

/// An independent statement of which redirect URIs the apps allow: exactly a registered one,
/// or for the web app's wildcard one DNS label (letters, digits, hyphens) in place of `*`.
fn redirect_allowed(app: &App, uri: &str) -> bool {
    if app.settings.redirect_uris.iter().any(|r| r == uri) {
        return true;
    }
    let wildcard = app.settings.redirect_uris.iter().any(|r| r.contains('*'));
    wildcard
        && uri
            .strip_prefix("https://")
            .and_then(|r| r.strip_suffix(".app.example/cb"))
            .is_some_and(|label| {
                !label.is_empty()
                    && label
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            })
}

fn check_params(text: &str, params: &Params) {
    let sent = pairs(text);
    let names: BTreeSet<&str> = sent.iter().map(|(k, _)| k.as_str()).chain(NAMES).collect();
    let mut seen = BTreeSet::new();
    let duplicate = sent.iter().any(|(k, _)| !seen.insert(k.as_str()));
    assert_eq!(params.has_duplicate(), duplicate, "duplicate detection");

    let again = Params::parse(&params.encode_without(&[]));
    assert_eq!(again.has_duplicate(), params.has_duplicate(), "re-parse");
    for name in &names {
        let first = sent
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str());
        assert_eq!(params.contains(name), first.is_some(), "contains {name:?}");
        assert_eq!(
            params.get(name),
            first.filter(|v| !v.is_empty()),
            "get {name:?}"
        );
        assert_eq!(again.get(name), params.get(name), "re-parsed get {name:?}");
        assert_eq!(
            again.contains(name),
            params.contains(name),
            "re-parsed contains {name:?}"
        );
    }

    // Dropping a name removes it, and only it.
    if let Some((dropped, _)) = sent.first() {
        let without = Params::parse(&params.encode_without(&[dropped.as_str(), "sessionToken"]));
        assert!(!without.contains(dropped), "dropped {dropped:?}");
        assert!(!without.contains("sessionToken"));
        for name in names
            .iter()
            .filter(|n| **n != dropped.as_str() && **n != "sessionToken")
        {
            assert_eq!(without.get(name), params.get(name), "kept {name:?}");
        }
    }
}

fn check_accepted(params: &Params, app: &App, req: &AuthorizeRequest) {
    assert!(!params.has_duplicate(), "accepted with a duplicate");
    let state = req.reply.state.as_deref();
    assert!(
        state.is_some_and(|s| !s.is_empty()),
        "accepted without state"
    );
    assert_eq!(state, params.get("state"));
    assert!(app.settings.allows_redirect(&req.reply.redirect_uri));
    assert!(
        redirect_allowed(app, &req.reply.redirect_uri),
        "{:?}",
        req.reply
    );
    assert_eq!(
        Some(req.reply.redirect_uri.as_str()),
        params.get("redirect_uri")
    );

    let types = req.response_types;
    let allowed: Vec<&str> = app
        .settings
        .response_types
        .iter()
        .map(|t| t.as_str())
        .collect();
    for (on, name) in [
        (types.code, "code"),
        (types.token, "token"),
        (types.id_token, "id_token"),
    ] {
        assert!(!on || allowed.contains(&name), "{name} not allowed");
    }
    assert!(types.code || types.implicit(), "no response type");
    assert!(app.settings.grant_types.contains(&types.grant()));
    if types.code {
        assert!(
            app.settings
                .grant_types
                .contains(&GrantType::AuthorizationCode)
        );
    }
    if types.implicit() {
        assert!(
            req.nonce.as_deref().is_some_and(|n| !n.is_empty()),
            "implicit without nonce"
        );
        assert_ne!(req.reply.mode, ResponseMode::Query, "implicit in a query");
    }

    assert!(!req.scopes.is_empty(), "no scopes");
    assert!(
        req.scopes.iter().all(|s| known(s)),
        "unknown scope: {:?}",
        req.scopes
    );
    assert!(
        req.scopes.windows(2).all(|w| w[0] < w[1]),
        "scopes not ascending"
    );
    if types.id_token {
        assert!(
            req.scopes.iter().any(|s| s == "openid"),
            "id_token without openid"
        );
    }

    assert!(
        !(req.prompt.none && req.prompt.login),
        "prompt none with login"
    );
    assert!(
        req.max_age
            .is_none_or(|m| (0..=i64::from(i32::MAX)).contains(&m))
    );
    assert!(params.get("idp").is_none());

    match req.code_challenge.as_deref() {
        Some(c) => {
            assert_eq!(params.get("code_challenge_method"), Some("S256"));
            assert_eq!(Some(c), params.get("code_challenge"));
            assert_eq!(c.len(), 43);
        }
        None => {
            let public = app.credentials.auth_method == AuthMethod::None;
            assert!(
                !(types.code && (public || app.credentials.pkce_required)),
                "a code without PKCE for an app that requires it"
            );
        }
    }
}

fn check_authorize(params: &Params) {
    let scope = |s: &str| known(s);
    match authorize::validate(params, None, &scope) {
        Err(AuthorizeRefusal::Page(_)) => {}
        other => panic!("no app, yet {other:?}"),
    }
    for app in [&*WEB, &*NATIVE] {
        match authorize::validate(params, Some(app), &scope) {
            Ok(req) => check_accepted(params, app, &req),
            Err(AuthorizeRefusal::Redirect(_, reply)) => {
                // An error travels to the client only once its redirect URI is trusted.
                assert!(redirect_allowed(app, &reply.redirect_uri), "{reply:?}");
                assert_eq!(
                    Some(reply.redirect_uri.as_str()),
                    params.get("redirect_uri")
                );
                assert!(!params.has_duplicate(), "a duplicate redirected");
                assert_eq!(reply.state.as_deref(), params.get("state"));
            }
            Err(AuthorizeRefusal::Page(_)) => {}
        }
    }
}

fn check_token(params: &Params) {
    for app in [&*WEB, &*NATIVE] {
        for is_org in [true, false] {
            let server = ServerView {
                is_org,
                default_scopes: if is_org { &[] } else { &DEFAULT_SCOPES },
            };
            let Ok(req) = token_request::validate(params, app, server) else {
                continue;
            };
            let grant = req.grant_type();
            assert!(
                app.settings.grant_types.contains(&grant),
                "{grant:?} not registered"
            );
            assert_ne!(grant, GrantType::Implicit);
            assert_eq!(Some(grant.as_str()), params.get("grant_type"));
            match &req {
                TokenRequest::AuthorizationCode { code, .. } => {
                    assert_eq!(Some(code.as_str()), params.get("code"));
                }
                TokenRequest::RefreshToken { refresh_token, .. } => {
                    assert_eq!(Some(refresh_token.as_str()), params.get("refresh_token"));
                }
                TokenRequest::Password {
                    username, scopes, ..
                } => {
                    assert_eq!(Some(username.as_str()), params.get("username"));
                    assert!(params.get("password").is_some());
                    assert!(params.get("scope").is_some());
                    assert!(scopes.iter().all(|s| !s.is_empty() && !s.contains(' ')));
                }
                TokenRequest::ClientCredentials { scopes } => {
                    assert!(!is_org, "client_credentials on the org server");
                    assert!(!scopes.is_empty());
                    assert!(
                        scopes
                            .iter()
                            .all(|s| s == "groups" || !OIDC_SCOPES.contains(&s.as_str())),
                        "OIDC scopes by client credentials: {scopes:?}"
                    );
                }
            }
        }
    }
}

fn well_formed_verifier(v: &str) -> bool {
    (43..=128).contains(&v.len())
        && v.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

fn check_pkce(params: &Params) {
    let challenge = params.get("code_challenge");
    let method = params.get("code_challenge_method");
    let verifier = params.get("code_verifier");
    match pkce::challenge(challenge, method) {
        Ok(Some(c)) => {
            assert_eq!(Some(c.as_str()), challenge);
            assert_eq!(method, Some("S256"));
            assert_eq!(c.len(), 43);
            assert!(
                c.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            );
        }
        Ok(None) => assert!(challenge.is_none()),
        Err(_) => assert!(challenge.is_some()),
    }
    // Never a downgrade, never a pass without a verifier.
    assert!(verifier.is_none() || pkce::verify(None, verifier).is_err());
    assert!(challenge.is_none() || pkce::verify(challenge, None).is_err());
    let matched = pkce::verify(challenge, verifier);
    if let Some(v) = verifier {
        let ok = challenge.is_some_and(|c| well_formed_verifier(v) && pkce_s256(v) == c);
        assert_eq!(matched.is_ok(), ok, "verify({challenge:?}, {v:?})");
        if well_formed_verifier(v) {
            let c = pkce_s256(v);
            assert!(pkce::verify(Some(&c), Some(v)).is_ok());
            assert_eq!(
                pkce::challenge(Some(&c), Some("S256")).ok().flatten(),
                Some(c)
            );
        }
    } else {
        assert_eq!(matched.is_ok(), challenge.is_none());
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let params = Params::parse(&text);
    check_params(&text, &params);
    check_authorize(&params);
    check_token(&params);
    check_pkce(&params);
});
