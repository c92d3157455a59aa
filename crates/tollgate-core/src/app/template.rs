//! Apps that are not OpenID Connect clients: bookmarks, the password-based templates (basic
//! auth, browser-plugin SWA, secure password store, custom auto-login), custom SAML 2.0 apps
//! and WS-Federation. Each kind has its `name`, its `signOnMode`, the `settings.app` (or
//! `settings.signOn`) fields Okta requires, and the ones it shows as `null` when left out.

use serde_json::{Map, Value, json};

use crate::error::Cause;

/// The kinds of non-OIDC app Tollgate stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TemplateKind {
    /// `bookmark`: a link to a URL.
    Bookmark,
    /// `template_basic_auth`: HTTP basic authentication.
    BasicAuth,
    /// `template_swa`: browser-plugin secure web authentication.
    Swa,
    /// `template_swa3field`: SWA with a third field.
    Swa3Field,
    /// `template_sps`: secure password store.
    Sps,
    /// A custom SWA app (`AUTO_LOGIN`, `settings.signOn.loginUrl`).
    AutoLogin,
    /// A custom SAML 2.0 app (`settings.signOn`).
    Saml,
    /// `okta_org2org`: the catalog SAML app that federates another Okta org.
    Org2Org,
    /// `template_wsfed`: WS-Federation.
    WsFed,
}

/// What Okta requires and fills in for one kind.
struct Spec {
    /// The catalog name; `None` for custom apps, whose name is made from the label.
    name: Option<&'static str>,
    sign_on_mode: &'static str,
    /// `settings.app` fields that must be present and non-empty.
    app_required: &'static [&'static str],
    /// `settings.app` fields shown with their default when left out.
    app_defaults: fn() -> Value,
    /// `settings.signOn` fields that must be present and non-empty.
    sign_on_required: &'static [&'static str],
    /// `settings.signOn` defaults (`Null` when the kind has no `signOn`).
    sign_on_defaults: fn() -> Value,
    /// Whether users sign in with a password kept per assignment (`credentials.scheme`).
    password: bool,
}

fn nothing() -> Value {
    Value::Null
}

impl TemplateKind {
    /// Every kind.
    pub const ALL: [Self; 9] = [
        Self::Bookmark,
        Self::BasicAuth,
        Self::Swa,
        Self::Swa3Field,
        Self::Sps,
        Self::AutoLogin,
        Self::Saml,
        Self::Org2Org,
        Self::WsFed,
    ];

    fn spec(self) -> Spec {
        let base = Spec {
            name: None,
            sign_on_mode: "",
            app_required: &[],
            app_defaults: || json!({}),
            sign_on_required: &[],
            sign_on_defaults: nothing,
            password: true,
        };
        match self {
            Self::Bookmark => Spec {
                name: Some("bookmark"),
                sign_on_mode: "BOOKMARK",
                app_required: &["url"],
                app_defaults: || json!({"requestIntegration": false}),
                password: false,
                ..base
            },
            Self::BasicAuth => Spec {
                name: Some("template_basic_auth"),
                sign_on_mode: "BASIC_AUTH",
                app_required: &["url", "authURL"],
                app_defaults: || json!({"loginUrlRegex": null}),
                ..base
            },
            Self::Swa => Spec {
                name: Some("template_swa"),
                sign_on_mode: "BROWSER_PLUGIN",
                app_required: &["url", "usernameField", "passwordField", "buttonField"],
                app_defaults: || json!({"loginUrlRegex": null, "redirectUrl": null, "checkbox": null}),
                ..base
            },
            Self::Swa3Field => Spec {
                name: Some("template_swa3field"),
                sign_on_mode: "BROWSER_PLUGIN",
                app_required: &[
                    "targetURL",
                    "userNameSelector",
                    "passwordSelector",
                    "buttonSelector",
                    "extraFieldSelector",
                    "extraFieldValue",
                ],
                app_defaults: || json!({"loginUrlRegex": null, "redirectUrl": null}),
                ..base
            },
            Self::Sps => Spec {
                name: Some("template_sps"),
                sign_on_mode: "SECURE_PASSWORD_STORE",
                app_required: &["url", "usernameField", "passwordField"],
                app_defaults: sps_defaults,
                ..base
            },
            Self::AutoLogin => Spec {
                sign_on_mode: "AUTO_LOGIN",
                sign_on_required: &["loginUrl"],
                sign_on_defaults: || json!({"redirectUrl": null}),
                ..base
            },
            Self::Saml => Spec {
                sign_on_mode: "SAML_2_0",
                sign_on_required: &["ssoAcsUrl", "audience"],
                sign_on_defaults: super::saml_settings::defaults,
                password: false,
                ..base
            },
            Self::Org2Org => Spec {
                name: Some("okta_org2org"),
                sign_on_mode: "SAML_2_0",
                app_required: &["acsUrl", "audRestriction", "baseUrl"],
                sign_on_defaults: org2org_sign_on,
                password: false,
                ..base
            },
            Self::WsFed => Spec {
                name: Some("template_wsfed"),
                sign_on_mode: "WS_FEDERATION",
                app_required: &["realm", "wReplyURL"],
                app_defaults: wsfed_defaults,
                password: false,
                ..base
            },
        }
    }

    /// The `signOnMode` apps of this kind have.
    pub fn sign_on_mode(self) -> &'static str {
        self.spec().sign_on_mode
    }

    /// The catalog `name`, for the kinds that have one.
    pub fn catalog_name(self) -> Option<&'static str> {
        self.spec().name
    }

    /// Whether such an app signs what it sends (SAML, WS-Federation): it has a
    /// `credentials.signing.kid`.
    pub fn signs(self) -> bool {
        matches!(self, Self::Saml | Self::Org2Org | Self::WsFed)
    }

    /// Whether users of such an app sign in with a password kept per assignment.
    pub fn uses_passwords(self) -> bool {
        self.spec().password
    }

    /// The kind a request means by its `name` and `signOnMode` (either may be left out when
    /// the other decides). `None` when they name no kind Tollgate has.
    pub fn resolve(name: Option<&str>, sign_on_mode: Option<&str>) -> Option<Self> {
        if let Some(n) = name
            && let Some(kind) = Self::ALL.into_iter().find(|k| k.catalog_name() == Some(n))
        {
            return (sign_on_mode.is_none_or(|m| m == kind.sign_on_mode())).then_some(kind);
        }
        let custom = Self::ALL
            .into_iter()
            .filter(|k| k.catalog_name().is_none())
            .find(|k| sign_on_mode == Some(k.sign_on_mode()))?;
        // A custom app's name is generated; a client may send back the one it read.
        name.is_none_or(|n| n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
            .then_some(custom)
    }

    /// Checks `settings.app` and `settings.signOn` for this kind, adding the defaults Okta
    /// shows for what was left out.
    pub fn complete_settings(
        self,
        app: Option<Map<String, Value>>,
        sign_on: Option<Map<String, Value>>,
        causes: &mut Vec<Cause>,
    ) -> (Map<String, Value>, Option<Map<String, Value>>) {
        let spec = self.spec();
        let app = with_defaults(app.unwrap_or_default(), (spec.app_defaults)());
        require(&app, spec.app_required, "settings.app", causes);
        let sign_on = match (spec.sign_on_defaults)() {
            Value::Null => None,
            defaults => {
                let mut sign_on = with_defaults(sign_on.unwrap_or_default(), defaults);
                if self == Self::Saml {
                    super::saml_settings::fill_endpoints(&mut sign_on);
                }
                require(&sign_on, spec.sign_on_required, "settings.signOn", causes);
                if self == Self::Saml {
                    super::saml_settings::check(&sign_on, causes);
                }
                Some(sign_on)
            }
        };
        (app, sign_on)
    }
}

fn sps_defaults() -> Value {
    json!({
        "optionalField1": null, "optionalField1Value": null,
        "optionalField2": null, "optionalField2Value": null,
        "optionalField3": null, "optionalField3Value": null,
    })
}

fn org2org_sign_on() -> Value {
    json!({
        "defaultRelayState": null, "ssoAcsUrlOverride": null, "audienceOverride": null,
        "recipientOverride": null, "destinationOverride": null, "attributeStatements": [],
    })
}

fn wsfed_defaults() -> Value {
    json!({
        "audienceRestriction": null, "groupName": null, "groupValueFormat": null,
        "attributeStatements": null, "nameIDFormat": null, "authnContextClassRef": null,
        "siteURL": null, "wReplyOverride": false, "groupFilter": null, "usernameAttribute": null,
    })
}

/// `sent` with every default it leaves out (a sent `null` stays `null`).
fn with_defaults(mut sent: Map<String, Value>, defaults: Value) -> Map<String, Value> {
    if let Value::Object(defaults) = defaults {
        for (k, v) in defaults {
            sent.entry(k).or_insert(v);
        }
    }
    sent
}

fn require(map: &Map<String, Value>, fields: &[&str], prefix: &str, causes: &mut Vec<Cause>) {
    for f in fields {
        let blank = match map.get(*f) {
            None | Some(Value::Null) => true,
            Some(Value::String(s)) => s.trim().is_empty(),
            Some(_) => false,
        };
        if blank {
            causes.push(Cause::field(
                format!("{prefix}.{f}"),
                "The field cannot be left blank",
            ));
        }
    }
}

/// The `credentials.scheme` values of password-based apps.
pub const SCHEMES: [&str; 5] = [
    "EDIT_USERNAME_AND_PASSWORD",
    "ADMIN_SETS_CREDENTIALS",
    "EDIT_PASSWORD_ONLY",
    "EXTERNAL_PASSWORD_SYNC",
    "SHARED_USERNAME_AND_PASSWORD",
];

/// A custom app's `name`: its label in lower case with runs of other characters as `_`, and
/// Okta's `_1` suffix (`My App` is `my_app_1`).
pub fn custom_name(label: &str) -> String {
    let mut name = String::new();
    for c in label.trim().chars() {
        if c.is_ascii_alphanumeric() {
            name.push(c.to_ascii_lowercase());
        } else if !name.ends_with('_') && !name.is_empty() {
            name.push('_');
        }
    }
    let name = name.trim_end_matches('_');
    if name.is_empty() {
        "app_1".to_owned()
    } else {
        format!("{name}_1")
    }
}
