//! Pieces the directory pages share: labelled inputs with the server's message for each next to
//! it, the API's validation causes sorted to their fields, the search box and the next-page link.

use serde::Deserialize;

use crate::http::{ApiError, OktaCode};
use crate::pages::escape;

/// A list's query: `q` searches, `after` pages.
#[derive(Debug, Default, Deserialize)]
pub struct SearchQuery {
    /// The search.
    pub q: Option<String>,
    /// The id after which the page starts.
    pub after: Option<String>,
}

/// One labelled input of a form.
#[derive(Debug, Clone, Copy)]
pub struct Field<'a> {
    /// The form field's name (a profile property's name).
    pub name: &'a str,
    /// The label, Okta's words.
    pub label: &'a str,
    /// The current value.
    pub value: &'a str,
    /// The input's type: `text`, `email`, `password`.
    pub kind: &'a str,
    /// Whether a value is required.
    pub required: bool,
}

/// Why a form was not saved: the messages of the fields they are about, and the rest.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Problems {
    summary: String,
    by_field: Vec<(String, String)>,
}

impl Problems {
    /// The causes of a validation error (`E0000001` and the like); `None` for an error that is
    /// not about what the person typed.
    pub fn of_error(e: &ApiError) -> Option<Self> {
        if !matches!(
            e.code,
            OktaCode::E0000001 | OktaCode::E0000080 | OktaCode::E0000038
        ) {
            return None;
        }
        let by_field = e
            .causes
            .iter()
            .map(|c| match c.split_once(": ") {
                Some((field, message)) => (field_name(field).to_owned(), message.to_owned()),
                None => (String::new(), c.clone()),
            })
            .collect();
        Some(Self {
            summary: e.summary.clone(),
            by_field,
        })
    }

    /// One message about field `name`.
    pub fn about(name: &str, message: &str) -> Self {
        Self {
            summary: String::new(),
            by_field: vec![(name.to_owned(), message.to_owned())],
        }
    }

    /// The messages about field `name`.
    pub fn of(&self, name: &str) -> Option<String> {
        let messages: Vec<&str> = self
            .by_field
            .iter()
            .filter(|(f, _)| f == name)
            .map(|(_, m)| m.as_str())
            .collect();
        (!messages.is_empty()).then(|| messages.join(" "))
    }

    /// The alert at the top of the form: the summary and every message not about one of the
    /// `shown` fields (those are next to their field).
    pub fn alert(&self, shown: &[&str]) -> String {
        let rest: String = self
            .by_field
            .iter()
            .filter(|(f, _)| !shown.contains(&f.as_str()))
            .map(|(_, m)| format!("<br>{}", escape(m)))
            .collect();
        format!(
            "<p role=\"alert\" class=\"error\">{}{rest}</p>",
            escape(&self.summary)
        )
    }
}

/// The form field a cause names: `profile.login` and `credentials.password.value` are the
/// fields `login` and `password`.
fn field_name(field: &str) -> &str {
    let field = field.strip_prefix("profile.").unwrap_or(field);
    let field = field.strip_prefix("credentials.").unwrap_or(field);
    field.split('.').next().unwrap_or(field)
}

/// A field's invalid marking (`aria-invalid`, `aria-describedby`) and its message, for the
/// field with id `id` when `problems` name `field`; nothing otherwise.
pub fn marks(problems: Option<&Problems>, field: &str, id: &str) -> (String, String) {
    match problems.and_then(|p| p.of(field)) {
        Some(m) => (
            format!(" aria-invalid=\"true\" aria-describedby=\"{id}-error\""),
            format!("<p class=\"error\" id=\"{id}-error\">{}</p>", escape(&m)),
        ),
        None => (String::new(), String::new()),
    }
}

/// A labelled input; with a problem, marked invalid and described by its message.
pub fn input(f: &Field<'_>, problems: Option<&Problems>, disabled: &str) -> String {
    let id = format!("f-{}", f.name);
    let message = problems.and_then(|p| p.of(f.name));
    let (invalid, note) = match &message {
        Some(m) => (
            format!(" aria-invalid=\"true\" aria-describedby=\"{id}-error\""),
            format!("<p class=\"error\" id=\"{id}-error\">{}</p>", escape(m)),
        ),
        None => (String::new(), String::new()),
    };
    let required = if f.required { " required" } else { "" };
    let autocomplete = if f.kind == "password" {
        " autocomplete=\"new-password\""
    } else {
        ""
    };
    format!(
        "<div class=\"field\"><label for=\"{id}\">{label}</label><input type=\"{kind}\" id=\"{id}\" \
         name=\"{name}\" value=\"{value}\"{required}{autocomplete}{invalid}{disabled}>{note}</div>",
        label = escape(f.label),
        kind = f.kind,
        name = escape(f.name),
        value = escape(f.value),
    )
}

/// The search box of a list at `action`.
pub fn search_form(action: &str, q: &str) -> String {
    format!(
        "<form class=\"search\" method=\"get\" action=\"{action}\" role=\"search\">\
         <div><label for=\"q\">Search</label><input type=\"search\" id=\"q\" name=\"q\" value=\"{q}\"></div>\
         <button type=\"submit\">Search</button></form>",
        q = escape(q)
    )
}

/// The link to the next page of the list at `action` searched for `q`, after `last`, when
/// there is more.
pub fn next_page(action: &str, q: &str, last: Option<&str>) -> String {
    let Some(last) = last else {
        return String::new();
    };
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("q", q)
        .append_pair("after", last)
        .finish();
    format!(
        "<p><a href=\"{action}?{}\">Next page</a></p>",
        escape(&query)
    )
}

/// A list of links, each `(path, text)`; `none` when there are none.
pub fn link_list<'a>(links: impl Iterator<Item = (String, &'a str)>, none: &str) -> String {
    let items: String = links
        .map(|(path, text)| {
            format!(
                "<li><a href=\"{}\">{}</a></li>",
                escape(&path),
                escape(text)
            )
        })
        .collect();
    if items.is_empty() {
        format!("<p>{none}</p>")
    } else {
        format!("<ul>{items}</ul>")
    }
}

/// A button that posts the page's CSRF token (`csrf`) to `action`, named `words`.
pub fn post_button(action: &str, csrf: &str, words: &str, disabled: &str) -> String {
    format!(
        "<form method=\"post\" action=\"{}\">{csrf}<button type=\"submit\"{disabled}>{}</button></form>",
        escape(action),
        escape(words)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn causes_are_sorted_to_their_fields() {
        let mut e = ApiError::invalid("login", "An object with this field already exists");
        e.causes
            .push("profile.email: Does not match required pattern".to_owned());
        e.causes.push("Something about the whole form".to_owned());
        let p = Problems::of_error(&e).unwrap();
        assert_eq!(
            p.of("login").as_deref(),
            Some("An object with this field already exists")
        );
        assert_eq!(
            p.of("email").as_deref(),
            Some("Does not match required pattern")
        );
        assert_eq!(p.of("firstName"), None);
        let alert = p.alert(&["login", "email"]);
        assert!(alert.contains("Something about the whole form"), "{alert}");
        assert!(!alert.contains("already exists"), "{alert}");
        assert_eq!(field_name("credentials.password.value"), "password");
        assert!(Problems::of_error(&ApiError::not_found("x", "User")).is_none());
    }

    #[test]
    fn an_invalid_input_is_described_by_its_message() {
        let e = ApiError::invalid("login", "Too short");
        let p = Problems::of_error(&e);
        let f = Field {
            name: "login",
            label: "Username",
            value: "a<b",
            kind: "text",
            required: true,
        };
        let html = input(&f, p.as_ref(), "");
        assert!(html.contains("value=\"a&lt;b\""), "{html}");
        assert!(
            html.contains("aria-invalid=\"true\" aria-describedby=\"f-login-error\""),
            "{html}"
        );
        assert!(html.contains("<p class=\"error\" id=\"f-login-error\">Too short</p>"));
    }
}
