//! Password recovery started by an admin: temporary passwords, factor resets and reset links.

use tollgate_core::secret::Secret;
use tollgate_core::session::TokenKind;

use super::{PASSWORD, create_user, session_status, sign_in, start_session, user_status};
use crate::authz::events_for;
use crate::backend_tests;
use crate::support::{Backend, TestApp, assert_okta_error, json, send};

backend_tests!(
    temp_password_expires_the_password,
    reset_factors_is_logged,
    reset_links_are_one_time_and_stored_as_digests,
);

async fn temp_password_expires_the_password(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let login = "temp.pw@example.com";
    let id = create_user(&app, login, "").await;
    let kept = start_session(&app, login, PASSWORD).await;
    let path = format!("/api/v1/users/{id}/lifecycle/expire_password_with_temp_password");
    let answer = json(app.post(&path, &serde_json::json!({})), 200).await;
    // Sessions end only when asked (`revokeSessions=true`).
    assert_eq!(session_status(&app, &kept).await, 200);
    let temp = answer["tempPassword"].as_str().unwrap().to_owned();
    assert_eq!(answer.as_object().unwrap().len(), 1, "{answer}");
    assert!(tollgate_core::password::check_policy(&Secret::new(temp.clone()), login).is_ok());
    assert_eq!(user_status(&app, &id).await, "PASSWORD_EXPIRED");
    assert_eq!(sign_in(&app, login, PASSWORD).await, "401");
    assert_eq!(sign_in(&app, login, &temp).await, "PASSWORD_EXPIRED");
    // Only an ACTIVE user's password can be expired.
    let again = json(app.post(&path, &serde_json::json!({})), 403).await;
    assert_okta_error(&again, "E0000038");

    let legacy_login = "legacy.temp@example.com";
    let legacy = create_user(&app, legacy_login, "").await;
    let ended = start_session(&app, legacy_login, PASSWORD).await;
    let legacy_path = format!(
        "/api/v1/users/{legacy}/lifecycle/expire_password?tempPassword=true&revokeSessions=true"
    );
    let answer = json(app.post(&legacy_path, &serde_json::json!({})), 200).await;
    let temp = answer["tempPassword"].as_str().unwrap();
    assert_eq!(sign_in(&app, legacy_login, temp).await, "PASSWORD_EXPIRED");
    assert_eq!(session_status(&app, &ended).await, 404);
    assert!(
        events_for(&app, &legacy)
            .await
            .contains(&"user.account.expire_password".to_owned())
    );
    app.finish().await;
}

async fn reset_factors_is_logged(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let id = create_user(&app, "factors@example.com", "").await;
    let path = format!("/api/v1/users/{id}/lifecycle/reset_factors");
    let answer = json(app.post(&path, &serde_json::json!({})), 200).await;
    assert_eq!(answer, serde_json::json!({}));
    assert_eq!(user_status(&app, &id).await, "ACTIVE");
    assert!(
        events_for(&app, &id)
            .await
            .contains(&"user.mfa.factor.reset_all".to_owned())
    );
    assert_eq!(
        send(app.delete(&format!("/api/v1/users/{id}")))
            .await
            .status(),
        204
    );
    let gone = json(app.post(&path, &serde_json::json!({})), 403).await;
    assert_okta_error(&gone, "E0000038");
    app.finish().await;
}

/// The token at the end of a reset link under `prefix`.
fn token_of(app: &TestApp, url: &str, prefix: &str) -> String {
    let want = format!("{}{prefix}", app.base);
    url.strip_prefix(&want)
        .unwrap_or_else(|| panic!("{url} is not under {want}"))
        .to_owned()
}

async fn reset_links_are_one_time_and_stored_as_digests(b: Backend) {
    let Some(app) = TestApp::start(b).await else {
        return;
    };
    let login = "forgot.pw@example.com";
    let id = create_user(&app, login, "").await;
    let forgot = format!("/api/v1/users/{id}/credentials/forgot_password?sendEmail=false");
    let first = json(app.post(&forgot, &serde_json::json!({})), 200).await;
    let first = token_of(
        &app,
        first["resetPasswordUrl"].as_str().unwrap(),
        "/signin/reset-password/",
    );
    let second = json(app.post(&forgot, &serde_json::json!({})), 200).await;
    let second = token_of(
        &app,
        second["resetPasswordUrl"].as_str().unwrap(),
        "/signin/reset-password/",
    );
    assert_eq!(second.len(), 20);
    assert_ne!(first, second);
    // The user keeps signing in until a link is used.
    assert_eq!(user_status(&app, &id).await, "ACTIVE");
    assert_eq!(sign_in(&app, login, PASSWORD).await, "SUCCESS");

    let session = start_session(&app, login, PASSWORD).await;
    let reset =
        format!("/api/v1/users/{id}/lifecycle/reset_password?sendEmail=false&revokeSessions=true");
    let answer = json(app.post(&reset, &serde_json::json!({})), 200).await;
    assert_eq!(session_status(&app, &session).await, 404);
    let admin_token = token_of(
        &app,
        answer["resetPasswordUrl"].as_str().unwrap(),
        "/reset_password/",
    );
    assert_eq!(user_status(&app, &id).await, "RECOVERY");
    assert_eq!(sign_in(&app, login, PASSWORD).await, "401");
    let user = json(app.get(&format!("/api/v1/users/{id}")), 200).await;
    assert!(user["credentials"].get("password").is_none(), "{user}");
    // A user in recovery cannot start the forgot-password flow.
    let refused = json(app.post(&forgot, &serde_json::json!({})), 403).await;
    assert_okta_error(&refused, "E0000038");
    let events = events_for(&app, &id).await;
    for wanted in [
        "user.credential.forgot_password",
        "user.account.reset_password",
    ] {
        assert!(events.contains(&wanted.to_owned()), "{wanted}: {events:?}");
    }

    // Stored by digest only; each link works once, and the forgot-password link issued before
    // the second one stopped working.
    let store = app.open_store().await;
    let now = app.clock.now();
    let redeem = |token: &str| {
        let digest = Secret::new(token).digest();
        let store = store.clone();
        async move {
            store
                .redeem_one_time_token(&digest, TokenKind::PasswordReset, now)
                .await
                .unwrap()
        }
    };
    assert_eq!(redeem(&first).await, None);
    assert_eq!(redeem(&second).await, None, "superseded by the admin reset");
    assert_eq!(redeem(&admin_token).await.as_deref(), Some(id.as_str()));
    assert_eq!(redeem(&admin_token).await, None);
    assert_eq!(
        store
            .redeem_one_time_token(&admin_token, TokenKind::PasswordReset, now)
            .await
            .unwrap(),
        None,
        "the clear token is not what is stored"
    );
    store.close().await;
    app.finish().await;
}
