//! Applications: OpenID Connect clients with a free-form `profile`, their lifecycle, and the
//! rule that decides whether a user is assigned to one.
//!
//! An app is created and replaced from an [`AppDraft`] (what a request body says, already read
//! from Okta's wire shape by the server); the rules Okta applies to the OAuth client settings live
//! in [`client`] and [`credentials`].

pub mod app_user_credentials;
pub mod assignment;
pub mod client;
pub mod client_secrets;
pub mod consent;
pub mod credentials;
mod filter;
pub mod id_token_claim;
pub mod key_credentials;
pub mod launch;
pub mod logo;
mod redirect;
mod saml_settings;
mod shared_credentials;
pub mod template;
pub mod template_app;
pub mod vocab;

use std::collections::HashSet;

use serde_json::{Map, Value};

use crate::clock::Timestamp;
use crate::error::{Cause, Error};
use crate::id::{AppId, AppLinkId, GroupId};
use crate::secret::Secret;

pub use client::{ApplicationType, AuthMethod, ClientSettings};
pub use credentials::{ClientCredentials, CredentialsDraft};
pub use filter::AppFilter;
pub use template::TemplateKind;
use template_app::Identity;
pub use template_app::{SharedCredentials, TemplateApp, TemplateDraft};

/// The only `name` an OpenID Connect app has in Okta.
pub const OIDC_NAME: &str = "oidc_client";
/// The `signOnMode` of OpenID Connect apps.
pub const OIDC_SIGN_ON_MODE: &str = "OPENID_CONNECT";
/// The largest `profile`, serialized, that an app may carry (Okta's practical cap).
pub const MAX_PROFILE_BYTES: usize = 1 << 20;

/// `ACTIVE` or `INACTIVE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AppStatus {
    /// Clients can sign users in.
    Active,
    /// Deactivated: no tokens are issued; only now may the app be deleted.
    Inactive,
}

impl AppStatus {
    /// The wire and stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "ACTIVE",
            Self::Inactive => "INACTIVE",
        }
    }

    /// From the wire or stored form.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "ACTIVE" => Some(Self::Active),
            "INACTIVE" => Some(Self::Inactive),
            _ => None,
        }
    }
}

/// Whether `name` is the catalog name of a kind of app Tollgate has (`oidc_client`,
/// `bookmark`, `template_basic_auth`, ...): what a role's app target may name.
pub fn is_catalog_name(name: &str) -> bool {
    name == OIDC_NAME
        || TemplateKind::ALL
            .into_iter()
            .any(|k| k.catalog_name() == Some(name))
}

/// An application: an OpenID Connect client, or (with [`App::template`]) a bookmark,
/// password-based, SAML or WS-Federation app, whose OAuth part is inert.
#[derive(Debug, Clone, PartialEq)]
pub struct App {
    /// `0oa…`.
    pub id: AppId,
    /// The display name.
    pub label: String,
    /// Lifecycle status.
    pub status: AppStatus,
    /// The OAuth client credentials (`credentials.oauthClient`).
    pub credentials: ClientCredentials,
    /// The OAuth client settings (`settings.oauthClient`).
    pub settings: ClientSettings,
    /// The free-form property bag, kept exactly as sent (key order included).
    pub profile: Map<String, Value>,
    /// The id of the app's single end-user link (`aln…`).
    pub link_id: AppLinkId,
    /// When it was created.
    pub created: Timestamp,
    /// When it last changed.
    pub last_updated: Timestamp,
    /// The non-OIDC part; `None` for an OpenID Connect client.
    pub template: Option<TemplateApp>,
    /// The uploaded logo, if any (kept beside the app; create and replace leave it alone).
    pub logo: Option<logo::LogoRef>,
    /// The sign-in policies its JSON links to (kept beside the app, like the logo).
    pub policies: crate::sign_in_policy::AppPolicies,
}

/// What a create or replace request says about an app. `None` means the request left the part
/// out.
#[derive(Debug, Clone, Default)]
pub struct AppDraft {
    /// `name`.
    pub name: Option<String>,
    /// `label`.
    pub label: Option<String>,
    /// `signOnMode`.
    pub sign_on_mode: Option<String>,
    /// `credentials.oauthClient`.
    pub credentials: CredentialsDraft,
    /// `settings.oauthClient`, as sent.
    pub settings: Option<Map<String, Value>>,
    /// `profile`: any JSON value, checked to be an object.
    pub profile: Option<Value>,
    /// What non-OIDC apps have (`settings.app`, `settings.signOn`, `credentials.scheme`, ...).
    pub template: TemplateDraft,
}

/// The result of creating or replacing an app: the app and, when this request set or generated
/// one, the client secret in clear (it is stored only as a digest, so this is the one chance to
/// show it).
#[derive(Debug, Clone)]
pub struct Saved {
    /// The app as stored.
    pub app: App,
    /// The new secret, if any.
    pub secret: Option<Secret>,
}

impl App {
    /// A new app with id `id` from a create request. It starts `ACTIVE` unless `activate` is
    /// false. Every problem in the draft is reported at once.
    pub fn create(
        id: AppId,
        draft: AppDraft,
        activate: bool,
        now: Timestamp,
    ) -> Result<Saved, Error> {
        match Identity::of(&draft) {
            Identity::Oidc => {}
            Identity::Template(kind) => {
                return Self::create_template(id, kind, draft, activate, now);
            }
            Identity::Unknown => return Err(Identity::unknown(&draft)),
        }
        let mut causes = Vec::new();
        check_identity(&draft, true, &mut causes);
        let label = match draft.label {
            Some(l) if !l.trim().is_empty() => l,
            _ => {
                causes.push(Cause::field("label", "The field cannot be left blank"));
                String::new()
            }
        };
        let profile = parse_profile(draft.profile, &mut causes).unwrap_or_default();
        let settings = match &draft.settings {
            Some(raw) => ClientSettings::parse(raw, &mut causes),
            None => {
                causes.push(Cause::field(
                    "settings.oauthClient",
                    "The field cannot be left blank",
                ));
                None
            }
        };
        let credentials = settings.as_ref().and_then(|s| {
            ClientCredentials::create(id.as_str(), draft.credentials, s, now, &mut causes)
        });
        match (settings, credentials) {
            (Some(settings), Some((credentials, secret))) if causes.is_empty() => Ok(Saved {
                app: App {
                    id,
                    label,
                    status: if activate {
                        AppStatus::Active
                    } else {
                        AppStatus::Inactive
                    },
                    credentials,
                    settings,
                    profile,
                    link_id: AppLinkId::generate(),
                    created: now,
                    last_updated: now,
                    template: None,
                    logo: None,
                    policies: Default::default(),
                },
                secret,
            }),
            _ => Err(invalid(causes)),
        }
    }

    /// This app replaced by a `PUT` (or Tollgate's `POST` alias) body.
    ///
    /// A top-level part the body leaves out (`label`, `settings.oauthClient`, `profile`) keeps
    /// its stored value, and a part it includes replaces the stored one wholesale; inside
    /// `credentials.oauthClient`, an omitted field (notably `client_id` and `client_secret`)
    /// keeps its stored value. Okta documents `PUT` as a full replacement but is silent on
    /// omitted parts; keeping them means a body written by hand (like the groups-claim guide's)
    /// cannot wipe the profile or the client's settings by accident. `profile: null` or `{}`
    /// clears the profile.
    pub fn replace(&self, draft: AppDraft, now: Timestamp) -> Result<Saved, Error> {
        if let Some(current) = &self.template {
            return self.replace_template(current, draft, now);
        }
        let mut causes = Vec::new();
        check_identity(&draft, false, &mut causes);
        let label = match draft.label {
            None => self.label.clone(),
            Some(l) if !l.trim().is_empty() => l,
            Some(_) => {
                causes.push(Cause::field("label", "The field cannot be left blank"));
                String::new()
            }
        };
        let profile = match draft.profile {
            None => Some(self.profile.clone()),
            Some(v) => parse_profile(Some(v), &mut causes),
        };
        let settings = match draft.settings {
            None => Some(self.settings.clone()),
            Some(mut raw) => {
                // The type cannot change, so a body that leaves it out means the stored one.
                if raw.get("application_type").is_none_or(Value::is_null) {
                    raw.insert(
                        "application_type".into(),
                        Value::String(self.settings.application_type.as_str().to_owned()),
                    );
                }
                ClientSettings::parse(&raw, &mut causes)
            }
        };
        if let Some(s) = &settings
            && s.application_type != self.settings.application_type
        {
            causes.push(Cause::field(
                "application_type",
                "The application type cannot be changed",
            ));
        }
        let mut settings = settings;
        if let Some(s) = settings.as_mut()
            && s.refresh_token.is_none()
        {
            // Okta: "When you update an app integration, your previously configured values are used."
            s.refresh_token.clone_from(&self.settings.refresh_token);
        }
        let credentials = settings.as_ref().and_then(|s| {
            self.credentials
                .replace(draft.credentials, s, now, &mut causes)
        });
        match (settings, credentials, profile) {
            (Some(settings), Some((credentials, secret)), Some(profile)) if causes.is_empty() => {
                Ok(Saved {
                    app: App {
                        id: self.id.clone(),
                        label,
                        status: self.status,
                        credentials,
                        settings,
                        profile,
                        link_id: self.link_id.clone(),
                        created: self.created,
                        last_updated: now,
                        template: None,
                        logo: self.logo.clone(),
                        policies: self.policies.clone(),
                    },
                    secret,
                })
            }
            _ => Err(invalid(causes)),
        }
    }

    /// `name`: `oidc_client`, a catalog name or a custom app's generated name.
    pub fn name(&self) -> &str {
        self.template
            .as_ref()
            .map_or(OIDC_NAME, |t| t.name.as_str())
    }

    /// `signOnMode`.
    pub fn sign_on_mode(&self) -> &'static str {
        self.template
            .as_ref()
            .map_or(OIDC_SIGN_ON_MODE, |t| t.kind.sign_on_mode())
    }

    /// Okta deletes only deactivated apps.
    pub fn can_delete(&self) -> bool {
        self.status == AppStatus::Inactive
    }
}

/// `name` and `signOnMode` of an OpenID Connect app: on create both are required; on replace
/// they may be left out but not changed.
fn check_identity(draft: &AppDraft, required: bool, causes: &mut Vec<Cause>) {
    let checks = [
        (
            "signOnMode",
            draft.sign_on_mode.as_deref(),
            OIDC_SIGN_ON_MODE,
        ),
        ("name", draft.name.as_deref(), OIDC_NAME),
    ];
    for (field, sent, expected) in checks {
        match sent {
            Some(s) if s == expected => {}
            None if !required => {}
            None => causes.push(Cause::field(field, "The field cannot be left blank")),
            Some(other) => causes.push(Cause::field(
                field,
                format!("'{other}' does not go with an {OIDC_SIGN_ON_MODE} app ('{expected}')"),
            )),
        }
    }
}

/// A profile must be a JSON object (or null, meaning empty) of at most [`MAX_PROFILE_BYTES`].
pub(crate) fn parse_profile(
    value: Option<Value>,
    causes: &mut Vec<Cause>,
) -> Option<Map<String, Value>> {
    match value {
        None | Some(Value::Null) => Some(Map::new()),
        Some(Value::Object(map)) => {
            let size = serde_json::to_string(&map).map_or(usize::MAX, |s| s.len());
            if size > MAX_PROFILE_BYTES {
                causes.push(Cause::field("profile", "must be at most 1 MB of JSON"));
                None
            } else {
                Some(map)
            }
        }
        Some(_) => {
            causes.push(Cause::field("profile", "must be a JSON object"));
            None
        }
    }
}

/// An `E0000001` failure whose summary names the first field at fault.
pub(crate) fn invalid(causes: Vec<Cause>) -> Error {
    let summary = causes
        .first()
        .and_then(|c| c.field.clone())
        .unwrap_or_else(|| "application".to_owned());
    Error::Invalid { summary, causes }
}

/// Whether a user is assigned to an app: directly, through a group assigned to the app, or
/// because the app is assigned to the built-in `Everyone` group (whose membership is implicit).
///
/// Costs grow with the smaller of the two group sets, never with the size of the org.
pub fn is_assigned(
    direct: bool,
    user_group_ids: &HashSet<GroupId>,
    app_group_ids: &HashSet<GroupId>,
    everyone: Option<&GroupId>,
) -> bool {
    if direct || everyone.is_some_and(|e| app_group_ids.contains(e)) {
        return true;
    }
    let (small, large) = if user_group_ids.len() <= app_group_ids.len() {
        (user_group_ids, app_group_ids)
    } else {
        (app_group_ids, user_group_ids)
    };
    small.iter().any(|g| large.contains(g))
}

#[cfg(test)]
mod template_tests;
#[cfg(test)]
mod tests;
