//! The app types other than OpenID Connect clients in the console: the fields Create App
//! Integration asks for each (SAML 2.0, SWA, Basic Authentication), the body an SDK would send
//! for them, and what an app's General tab shows about one.

use serde_json::{Value, json};
use tollgate_core::app::App;
use tollgate_core::app::template::TemplateKind;
use tollgate_core::app::template_app::TemplateApp;

use crate::console::guard::Form;
use crate::pages::escape;
use crate::state::AppState;

/// The kinds offered besides OpenID Connect and bookmarks: form value and Okta's label.
pub const OTHER_KINDS: [(&str, &str); 3] = [
    ("saml", "SAML 2.0"),
    ("swa", "SWA - Secure Web Authentication"),
    ("basic", "Basic Authentication"),
];

/// Name ID formats as Okta's SAML settings offer them: label, URN.
const NAME_ID_FORMATS: [(&str, &str); 5] = [
    (
        "Unspecified",
        "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified",
    ),
    (
        "EmailAddress",
        "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
    ),
    (
        "x509SubjectName",
        "urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName",
    ),
    (
        "Persistent",
        "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent",
    ),
    (
        "Transient",
        "urn:oasis:names:tc:SAML:2.0:nameid-format:transient",
    ),
];

/// Application username choices: label, the `subjectNameIdTemplate`.
const USERNAMES: [(&str, &str); 2] = [
    ("Okta username", "${user.userName}"),
    ("Email", "${user.email}"),
];

/// How many attribute statements the form offers.
const STATEMENTS: usize = 2;

/// The body an SDK would send for `kind`, if it is one of [`OTHER_KINDS`].
pub fn body_of(kind: &str, form: &Form) -> Option<Value> {
    let label = form.get("label");
    let body = match kind {
        "saml" => json!({"label": label, "signOnMode": "SAML_2_0",
                         "settings": {"signOn": saml_sign_on(form)}}),
        "swa" => json!({"label": label, "signOnMode": "AUTO_LOGIN",
                        "settings": {"signOn": {"loginUrl": form.get("loginUrl")}}}),
        "basic" => {
            json!({"name": "template_basic_auth", "label": label, "signOnMode": "BASIC_AUTH",
                   "settings": {"app": {"url": form.get("basicUrl"), "authURL": form.get("authURL")}}})
        }
        _ => return None,
    };
    Some(body)
}

fn saml_sign_on(form: &Form) -> Value {
    let statements: Vec<Value> = (1..=STATEMENTS)
        .map(|i| {
            (
                form.get(&format!("attr{i}Name")),
                form.get(&format!("attr{i}Value")),
            )
        })
        .filter(|(name, _)| !name.trim().is_empty())
        .map(|(name, value)| {
            json!({"type": "EXPRESSION", "name": name.trim(),
                   "namespace": "urn:oasis:names:tc:SAML:2.0:attrname-format:unspecified",
                   "values": [value.trim()]})
        })
        .collect();
    let chosen = |name: &str, options: &[(&str, &str)]| {
        let v = form.get(name);
        options
            .iter()
            .find(|(_, urn)| *urn == v)
            .or(options.first())
            .map(|(_, urn)| (*urn).to_owned())
            .unwrap_or_default()
    };
    json!({"ssoAcsUrl": form.get("ssoAcsUrl"), "audience": form.get("audience"),
           "subjectNameIdFormat": chosen("nameIdFormat", &NAME_ID_FORMATS),
           "subjectNameIdTemplate": chosen("userNameTemplate", &USERNAMES),
           "attributeStatements": statements})
}

/// A labelled text input of the form; `value` gives what was typed.
fn text(name: &str, label: &str, value: &dyn Fn(&str) -> String) -> String {
    format!(
        "<label for=\"{name}\">{label}</label><input id=\"{name}\" name=\"{name}\" value=\"{}\">",
        value(name)
    )
}

/// A labelled select of `options` (label, value).
fn select(name: &str, label: &str, options: &[(&str, &str)], chosen: &str) -> String {
    let items: String = options
        .iter()
        .map(|(words, v)| {
            let selected = if *v == chosen { " selected" } else { "" };
            format!("<option value=\"{}\"{selected}>{words}</option>", escape(v))
        })
        .collect();
    format!(
        "<label for=\"{name}\">{label}</label><select id=\"{name}\" name=\"{name}\">{items}</select>"
    )
}

/// The fields of the other kinds, grouped by kind; `value` gives each field's escaped value.
pub fn fields_html(value: &dyn Fn(&str) -> String) -> String {
    let statements: String = (1..=STATEMENTS)
        .map(|i| {
            format!(
                "{}{}",
                text(
                    &format!("attr{i}Name"),
                    &format!("Attribute {i} name"),
                    value
                ),
                text(
                    &format!("attr{i}Value"),
                    &format!("Attribute {i} value"),
                    value
                )
            )
        })
        .collect();
    format!(
        "<fieldset><legend>SAML 2.0 settings</legend>{acs}{audience}{format}{username}\
         <fieldset><legend>Attribute Statements (optional)</legend>{statements}</fieldset></fieldset>\
         <fieldset><legend>SWA settings</legend>{login}</fieldset>\
         <fieldset><legend>Basic Authentication settings</legend>{url}{auth}</fieldset>",
        acs = text("ssoAcsUrl", "Single sign-on URL", value),
        audience = text("audience", "Audience URI (SP Entity ID)", value),
        format = select(
            "nameIdFormat",
            "Name ID format",
            &NAME_ID_FORMATS,
            &value("nameIdFormat")
        ),
        username = select(
            "userNameTemplate",
            "Application username",
            &USERNAMES,
            &value("userNameTemplate")
        ),
        login = text("loginUrl", "App's login page URL", value),
        url = text("basicUrl", "URL", value),
        auth = text("authURL", "Login URL", value),
    )
}

/// What the General tab shows about a non-OIDC app: its sign-on method and settings, and for a
/// SAML app where its IdP metadata is.
pub fn general_html(state: &AppState, app: &App, t: &TemplateApp) -> String {
    let mode = t.kind.sign_on_mode();
    let mut rows = format!("<dt>Sign-on method</dt><dd>{mode}</dd>");
    let name = t.kind.catalog_name().unwrap_or_default();
    let shown = |settings: &serde_json::Map<String, Value>, rows: &mut String| {
        for (k, v) in settings {
            if let Some(s) = v.as_str().filter(|s| !s.is_empty()) {
                let words = super::template_kinds::label_of(name, k).unwrap_or(k);
                rows.push_str(&format!("<dt>{}</dt><dd>{}</dd>", escape(words), escape(s)));
            }
        }
    };
    shown(&t.app_settings, &mut rows);
    if let Some(sign_on) = &t.sign_on {
        shown(sign_on, &mut rows);
    }
    if matches!(t.kind, TemplateKind::Saml | TemplateKind::Org2Org) {
        let url = state.link(&format!("/api/v1/apps/{}/sso/saml/metadata", app.id));
        rows.push_str(&format!(
            "<dt>Identity Provider metadata</dt><dd><code>{}</code></dd>",
            escape(&url)
        ));
    }
    format!("<h2>General Settings</h2><dl>{rows}</dl>")
}
