//! The catalog template apps in Create App Integration: the browser-plugin SWA apps
//! (`template_swa`, `template_swa3field`), the Secure Password Store app (`template_sps`),
//! WS-Federation (`template_wsfed`) and Okta Org2Org (`okta_org2org`). Each asks for its `settings.app` fields, Okta's words for
//! each, and becomes the body an SDK would send; the API's refusal of a field shows next to it.

use serde_json::{Map, Value, json};

use crate::console::guard::Form;
use crate::pages::escape;

/// One `settings.app` field of a template: its wire name and Okta's label.
type Setting = (&'static str, &'static str);

/// A template app the form offers.
struct Template {
    /// The catalog `name`, also the form's kind value.
    name: &'static str,
    /// Okta's name for the type.
    label: &'static str,
    /// The fields asked for, required ones first.
    settings: &'static [Setting],
}

const TEMPLATES: [Template; 5] = [
    Template {
        name: "template_swa",
        label: "SWA - Template Plugin App",
        settings: &[
            ("url", "Login URL"),
            ("usernameField", "Username field CSS selector"),
            ("passwordField", "Password field CSS selector"),
            ("buttonField", "Login button CSS selector"),
            ("loginUrlRegex", "Login URL regex (optional)"),
            ("redirectUrl", "Redirect URL (optional)"),
        ],
    },
    Template {
        name: "template_swa3field",
        label: "SWA - Template Plugin App 3 Field",
        settings: &[
            ("targetURL", "Login URL"),
            ("userNameSelector", "Username field CSS selector"),
            ("passwordSelector", "Password field CSS selector"),
            ("buttonSelector", "Login button CSS selector"),
            ("extraFieldSelector", "Extra field CSS selector"),
            ("extraFieldValue", "Extra field value"),
            ("loginUrlRegex", "Login URL regex (optional)"),
        ],
    },
    Template {
        name: "template_sps",
        label: "Secure Password Store",
        settings: &[
            ("url", "URL"),
            ("usernameField", "Username parameter"),
            ("passwordField", "Password parameter"),
            ("optionalField1", "Optional parameter 1"),
            ("optionalField1Value", "Optional value 1"),
            ("optionalField2", "Optional parameter 2"),
            ("optionalField2Value", "Optional value 2"),
            ("optionalField3", "Optional parameter 3"),
            ("optionalField3Value", "Optional value 3"),
        ],
    },
    Template {
        name: "template_wsfed",
        label: "WS-Federation",
        settings: &[
            ("realm", "Realm"),
            ("wReplyURL", "Reply To URL"),
            ("siteURL", "Site URL (optional)"),
            ("audienceRestriction", "Audience Restriction (optional)"),
        ],
    },
    Template {
        name: "okta_org2org",
        label: "Okta Org2Org",
        settings: &[
            ("baseUrl", "Base URL"),
            ("acsUrl", "Assertion Consumer Service URL"),
            ("audRestriction", "Audience URI"),
        ],
    },
];

/// The kinds offered: form value and Okta's label.
pub fn kinds() -> impl Iterator<Item = (&'static str, &'static str)> {
    TEMPLATES.iter().map(|t| (t.name, t.label))
}

fn template(kind: &str) -> Option<&'static Template> {
    TEMPLATES.iter().find(|t| t.name == kind)
}

/// The form field holding `setting` of template `kind`.
fn field_name(kind: &str, setting: &str) -> String {
    format!("{kind}-{setting}")
}

/// The body an SDK would send for `kind`, if it is one of these templates; fields left blank
/// are left out, so the API's defaults and its required-field checks apply.
pub fn body_of(kind: &str, form: &Form) -> Option<Value> {
    let t = template(kind)?;
    let app: Map<String, Value> = t
        .settings
        .iter()
        .map(|(setting, _)| (*setting, form.get(&field_name(t.name, setting))))
        .filter(|(_, typed)| !typed.trim().is_empty())
        .map(|(setting, typed)| (setting.to_owned(), json!(typed.trim())))
        .collect();
    Some(json!({"name": t.name, "label": form.get("label"), "settings": {"app": app}}))
}

/// The message of the causes in `causes` about `setting` (`settings.app.{setting}: …`).
fn message_of(causes: &[String], setting: &str) -> Option<String> {
    let prefix = format!("settings.app.{setting}: ");
    causes
        .iter()
        .find_map(|c| c.strip_prefix(&prefix))
        .map(str::to_owned)
}

/// Whether `cause` is shown next to a field of template `kind`.
pub fn shown_by_field(kind: &str, cause: &str) -> bool {
    template(kind).is_some_and(|t| {
        t.settings
            .iter()
            .any(|(s, _)| cause.starts_with(&format!("settings.app.{s}: ")))
    })
}

fn setting_html(
    kind: &str,
    (setting, label): Setting,
    value: &str,
    message: Option<&str>,
) -> String {
    let id = field_name(kind, setting);
    let (invalid, note) = match message {
        Some(m) => (
            format!(" aria-invalid=\"true\" aria-describedby=\"{id}-error\""),
            format!("<p class=\"error\" id=\"{id}-error\">{}</p>", escape(m)),
        ),
        None => (String::new(), String::new()),
    };
    format!(
        "<label for=\"{id}\">{label}</label><input id=\"{id}\" name=\"{id}\" value=\"{value}\"{invalid}>{note}"
    )
}

/// The fields of every template, a fieldset each; `value` gives a field's escaped value, and
/// `causes` the API's refusal of the `chosen` kind.
pub fn fields_html(value: &dyn Fn(&str) -> String, chosen: &str, causes: &[String]) -> String {
    TEMPLATES
        .iter()
        .map(|t| {
            let inputs: String = t
                .settings
                .iter()
                .map(|s| {
                    let message = (t.name == chosen)
                        .then(|| message_of(causes, s.0))
                        .flatten();
                    setting_html(
                        t.name,
                        *s,
                        &value(&field_name(t.name, s.0)),
                        message.as_deref(),
                    )
                })
                .collect();
            format!(
                "<fieldset><legend>{} settings</legend>{inputs}</fieldset>",
                t.label
            )
        })
        .collect()
}

/// Okta's label for `setting` of an app named `name`, for its General tab.
pub fn label_of(name: &str, setting: &str) -> Option<&'static str> {
    template(name)?
        .settings
        .iter()
        .find(|(s, _)| *s == setting)
        .map(|(_, label)| label.trim_end_matches(" (optional)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(pairs: &[(&str, &str)]) -> Form {
        Form::from_pairs(pairs)
    }

    #[test]
    fn a_template_becomes_the_body_an_sdk_sends() {
        let typed = form(&[
            ("label", "Payroll"),
            ("template_swa-url", " https://pay.example.com/login "),
            ("template_swa-usernameField", "#user"),
            ("template_swa-loginUrlRegex", ""),
        ]);
        assert_eq!(
            body_of("template_swa", &typed),
            Some(json!({"name": "template_swa", "label": "Payroll",
                        "settings": {"app": {"url": "https://pay.example.com/login",
                                             "usernameField": "#user"}}}))
        );
        assert_eq!(body_of("saml", &typed), None);
    }

    #[test]
    fn causes_find_their_fields() {
        let causes = vec!["settings.app.buttonField: The field cannot be left blank".to_owned()];
        assert_eq!(
            message_of(&causes, "buttonField").as_deref(),
            Some("The field cannot be left blank")
        );
        assert!(shown_by_field("template_swa", &causes[0]));
        assert!(!shown_by_field("template_sps", &causes[0]));
        assert_eq!(label_of("template_wsfed", "siteURL"), Some("Site URL"));
        assert_eq!(label_of("bookmark", "url"), None);
    }
}
