//! A non-OIDC app's own part: its kind and name, `settings.app`, `settings.signOn`, and the
//! credential settings of password-based apps; built from a request, replaced, and stored.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value, json};

pub use super::shared_credentials::SharedCredentials;

use super::template::{SCHEMES, TemplateKind, custom_name};
use super::{
    App, AppDraft, AppStatus, ClientCredentials, ClientSettings, OIDC_NAME, OIDC_SIGN_ON_MODE,
    Saved, invalid, parse_profile,
};
use crate::app::client::AuthMethod;
use crate::clock::Timestamp;
use crate::error::{Cause, Error};
use crate::id::{AppId, AppLinkId};

/// The part of an app that only non-OIDC apps have.
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateApp {
    /// What kind of app it is.
    pub kind: TemplateKind,
    /// `name`: the catalog name, or the generated name of a custom app.
    pub name: String,
    /// `settings.app`.
    pub app_settings: Map<String, Value>,
    /// `settings.signOn` (custom auto-login and SAML apps).
    pub sign_on: Option<Map<String, Value>>,
    /// `credentials.scheme` of password-based apps.
    pub scheme: Option<String>,
    /// `credentials.revealPassword` of password-based apps.
    pub reveal_password: bool,
    /// `credentials.userNameTemplate`.
    pub user_name_template: Map<String, Value>,
    /// `credentials.signing.kid` of apps that sign (SAML, WS-Federation).
    pub signing_kid: Option<String>,
    /// The shared credentials of a `SHARED_USERNAME_AND_PASSWORD` app.
    pub shared: SharedCredentials,
}

/// What a request says about the non-OIDC part; `None` means left out.
#[derive(Debug, Clone, Default)]
pub struct TemplateDraft {
    /// `settings.app`.
    pub app_settings: Option<Map<String, Value>>,
    /// `settings.signOn`.
    pub sign_on: Option<Map<String, Value>>,
    /// `credentials.scheme`.
    pub scheme: Option<String>,
    /// `credentials.revealPassword`.
    pub reveal_password: Option<bool>,
    /// `credentials.userNameTemplate`.
    pub user_name_template: Option<Map<String, Value>>,
    /// `credentials.signing.kid`.
    pub signing_kid: Option<String>,
    /// `credentials.userName` and `credentials.password` (already sealed by the caller).
    pub shared: SharedCredentials,
}

fn default_user_name_template() -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("template".into(), json!("${source.login}"));
    m.insert("type".into(), json!("BUILT_IN"));
    m
}

impl TemplateApp {
    /// A new app of `kind` labelled `label`; `name` is what the request sent (kept for custom
    /// apps that send back a generated name).
    pub fn build(
        kind: TemplateKind,
        name: Option<&str>,
        label: &str,
        draft: TemplateDraft,
        causes: &mut Vec<Cause>,
    ) -> Self {
        let name = kind
            .catalog_name()
            .map(str::to_owned)
            .or_else(|| name.map(str::to_owned))
            .unwrap_or_else(|| custom_name(label));
        let (app_settings, sign_on) =
            kind.complete_settings(draft.app_settings, draft.sign_on, causes);
        let scheme = kind.uses_passwords().then(|| {
            let scheme = draft
                .scheme
                .unwrap_or_else(|| "EDIT_USERNAME_AND_PASSWORD".to_owned());
            if !SCHEMES.contains(&scheme.as_str()) {
                causes.push(Cause::field(
                    "credentials.scheme",
                    format!("must be one of {}", SCHEMES.join(", ")),
                ));
            }
            scheme
        });
        let shared = draft.shared.under(scheme.as_deref());
        Self {
            kind,
            name,
            app_settings,
            sign_on,
            scheme,
            reveal_password: draft.reveal_password.unwrap_or(false),
            user_name_template: draft
                .user_name_template
                .unwrap_or_else(default_user_name_template),
            signing_kid: draft.signing_kid.filter(|_| kind.signs()),
            shared,
        }
    }

    /// This part replaced by a `PUT` body: a part the body leaves out keeps its stored value.
    pub fn replaced(&self, label: &str, draft: TemplateDraft, causes: &mut Vec<Cause>) -> Self {
        let merged = TemplateDraft {
            app_settings: draft
                .app_settings
                .or_else(|| Some(self.app_settings.clone())),
            sign_on: draft.sign_on.or_else(|| self.sign_on.clone()),
            scheme: draft.scheme.or_else(|| self.scheme.clone()),
            reveal_password: draft.reveal_password.or(Some(self.reveal_password)),
            user_name_template: draft
                .user_name_template
                .or_else(|| Some(self.user_name_template.clone())),
            signing_kid: draft.signing_kid.or_else(|| self.signing_kid.clone()),
            shared: draft.shared.or(&self.shared),
        };
        Self::build(self.kind, Some(&self.name), label, merged, causes)
    }

    /// The stored form (the `name` is stored on its own).
    pub fn to_stored(&self) -> Value {
        json!({
            "signOnMode": self.kind.sign_on_mode(),
            "app": self.app_settings,
            "signOn": self.sign_on,
            "scheme": self.scheme,
            "revealPassword": self.reveal_password,
            "userNameTemplate": self.user_name_template,
            "signingKid": self.signing_kid,
            "sharedUserName": self.shared.user_name,
            "sharedPassword": self.shared.password.as_deref().map(|p| STANDARD.encode(p)),
        })
    }

    /// From the stored form; `None` when it names no kind Tollgate knows.
    pub fn from_stored(name: &str, stored: &Value) -> Option<Self> {
        let mode = stored.get("signOnMode").and_then(Value::as_str);
        let kind = TemplateKind::resolve(Some(name), mode)?;
        let object = |k: &str| stored.get(k).and_then(Value::as_object).cloned();
        Some(Self {
            kind,
            name: name.to_owned(),
            app_settings: object("app").unwrap_or_default(),
            sign_on: object("signOn"),
            scheme: stored
                .get("scheme")
                .and_then(Value::as_str)
                .map(str::to_owned),
            reveal_password: stored
                .get("revealPassword")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            user_name_template: object("userNameTemplate")
                .unwrap_or_else(default_user_name_template),
            signing_kid: stored
                .get("signingKid")
                .and_then(Value::as_str)
                .map(str::to_owned),
            shared: SharedCredentials::from_stored(stored),
        })
    }
}

/// How a create or replace request names its app.
pub(super) enum Identity {
    /// An OpenID Connect client (or nothing named yet: the OIDC rules report it).
    Oidc,
    /// A kind of non-OIDC app.
    Template(TemplateKind),
    /// A name or mode Tollgate has no app for.
    Unknown,
}

impl Identity {
    pub(super) fn of(draft: &AppDraft) -> Self {
        let (name, mode) = (draft.name.as_deref(), draft.sign_on_mode.as_deref());
        if name == Some(OIDC_NAME)
            || mode == Some(OIDC_SIGN_ON_MODE)
            || (name, mode) == (None, None)
        {
            return Self::Oidc;
        }
        TemplateKind::resolve(name, mode).map_or(Self::Unknown, Self::Template)
    }

    /// Okta's refusal of a name or mode it has no app for.
    pub(super) fn unknown(draft: &AppDraft) -> Error {
        let (field, value) = match (&draft.name, &draft.sign_on_mode) {
            (Some(n), _) => ("name", n.as_str()),
            (None, Some(m)) => ("signOnMode", m.as_str()),
            (None, None) => ("name", ""),
        };
        invalid(vec![Cause::field(
            field,
            format!(
                "'{value}' is not a supported {field}; Tollgate has {}",
                supported()
            ),
        )])
    }
}

fn supported() -> String {
    let mut names = vec![format!("{OIDC_NAME} ({OIDC_SIGN_ON_MODE})")];
    for k in TemplateKind::ALL {
        names.push(match k.catalog_name() {
            Some(n) => format!("{n} ({})", k.sign_on_mode()),
            None => format!("custom {}", k.sign_on_mode()),
        });
    }
    names.join(", ")
}

fn label_of(sent: Option<String>, stored: Option<&str>, causes: &mut Vec<Cause>) -> String {
    match (sent, stored) {
        (None, Some(stored)) => stored.to_owned(),
        (Some(l), _) if !l.trim().is_empty() => l,
        _ => {
            causes.push(Cause::field("label", "The field cannot be left blank"));
            String::new()
        }
    }
}

/// The OAuth part of an app that is not an OAuth client: its id as `client_id`, no secret.
fn inert_credentials(id: &AppId) -> ClientCredentials {
    ClientCredentials {
        client_id: id.as_str().to_owned(),
        auth_method: AuthMethod::None,
        secrets: crate::app::client_secrets::ClientSecrets::default(),
        pkce_required: false,
        auto_key_rotation: false,
    }
}

impl App {
    /// A new non-OIDC app of `kind` from a create request.
    pub(super) fn create_template(
        id: AppId,
        kind: TemplateKind,
        draft: AppDraft,
        activate: bool,
        now: Timestamp,
    ) -> Result<Saved, Error> {
        let mut causes = Vec::new();
        let label = label_of(draft.label, None, &mut causes);
        let profile = parse_profile(draft.profile, &mut causes).unwrap_or_default();
        let template = TemplateApp::build(
            kind,
            draft.name.as_deref(),
            &label,
            draft.template,
            &mut causes,
        );
        if !causes.is_empty() {
            return Err(invalid(causes));
        }
        let status = if activate {
            AppStatus::Active
        } else {
            AppStatus::Inactive
        };
        Ok(Saved {
            app: App {
                credentials: inert_credentials(&id),
                id,
                label,
                status,
                settings: ClientSettings::inert(),
                profile,
                link_id: AppLinkId::generate(),
                created: now,
                last_updated: now,
                template: Some(template),
                logo: None,
                policies: Default::default(),
            },
            secret: None,
        })
    }

    /// This non-OIDC app replaced by a `PUT` body; its kind and name cannot change.
    pub(super) fn replace_template(
        &self,
        current: &TemplateApp,
        draft: AppDraft,
        now: Timestamp,
    ) -> Result<Saved, Error> {
        let mut causes = Vec::new();
        if draft
            .sign_on_mode
            .as_deref()
            .is_some_and(|m| m != current.kind.sign_on_mode())
        {
            causes.push(Cause::field(
                "signOnMode",
                "The sign-on mode cannot be changed",
            ));
        }
        if draft.name.as_deref().is_some_and(|n| n != current.name) {
            causes.push(Cause::field("name", "The app name cannot be changed"));
        }
        let label = label_of(draft.label, Some(&self.label), &mut causes);
        let profile = match draft.profile {
            None => Some(self.profile.clone()),
            Some(v) => parse_profile(Some(v), &mut causes),
        };
        let template = current.replaced(&label, draft.template, &mut causes);
        match profile {
            Some(profile) if causes.is_empty() => Ok(Saved {
                app: App {
                    label,
                    profile,
                    last_updated: now,
                    template: Some(template),
                    ..self.clone()
                },
                secret: None,
            }),
            _ => Err(invalid(causes)),
        }
    }
}
