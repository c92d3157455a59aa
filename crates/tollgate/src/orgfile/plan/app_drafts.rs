//! The create or replace request an app's spec makes: an OpenID Connect client's, or another
//! kind's (which may not carry OpenID Connect settings).

use serde_json::Value;
use tollgate_core::app::{AppDraft, CredentialsDraft, OIDC_NAME, OIDC_SIGN_ON_MODE, TemplateDraft};
use tollgate_core::secret::Secret;

use super::Planner;
use crate::orgfile::model::AppSpec;

/// Whether the spec declares an OpenID Connect client (its `name` and `signOnMode` say so or
/// are left out).
pub(super) fn is_oidc(spec: &AppSpec) -> bool {
    spec.name.as_deref().is_none_or(|n| n == OIDC_NAME)
        && spec
            .sign_on_mode
            .as_deref()
            .is_none_or(|m| m == OIDC_SIGN_ON_MODE)
}

/// The create or replace request an OpenID Connect app's spec makes.
pub(super) fn oidc_draft(spec: &AppSpec) -> AppDraft {
    AppDraft {
        template: TemplateDraft::default(),
        name: Some(OIDC_NAME.to_owned()),
        label: Some(spec.label.clone()),
        sign_on_mode: Some(OIDC_SIGN_ON_MODE.to_owned()),
        credentials: CredentialsDraft {
            client_id: spec.client_id.clone(),
            client_secret: spec.client_secret.clone().map(Secret::new),
            auth_method: spec.token_endpoint_auth_method.clone(),
            pkce_required: spec.pkce_required,
            auto_key_rotation: None,
        },
        settings: Some(spec.settings.clone()),
        profile: Some(Value::Object(spec.profile.clone())),
    }
}

impl Planner<'_> {
    /// The request another kind of app's spec makes; `None` (with the problem reported) when
    /// the spec also gives OpenID Connect settings.
    pub(super) fn template_draft(&mut self, path: &str, spec: &AppSpec) -> Option<AppDraft> {
        let oidc_only = [
            ("client_id", spec.client_id.is_some()),
            ("client_secret", spec.client_secret.is_some()),
            ("client_secret_digest", spec.client_secret_digest.is_some()),
            (
                "token_endpoint_auth_method",
                spec.token_endpoint_auth_method.is_some(),
            ),
            ("pkce_required", spec.pkce_required.is_some()),
            ("settings", !spec.settings.is_empty()),
            ("idTokenGroupsClaim", spec.id_token_groups_claim.is_some()),
        ];
        for (field, given) in oidc_only {
            if given {
                self.problem(
                    &format!("{path}.{field}"),
                    "only OpenID Connect apps have this",
                );
                return None;
            }
        }
        Some(AppDraft {
            name: spec.name.clone(),
            label: Some(spec.label.clone()),
            sign_on_mode: spec.sign_on_mode.clone(),
            template: TemplateDraft {
                app_settings: spec.app.clone(),
                sign_on: spec.sign_on.clone(),
                scheme: spec.scheme.clone(),
                ..TemplateDraft::default()
            },
            profile: Some(Value::Object(spec.profile.clone())),
            ..AppDraft::default()
        })
    }
}
