//! Form controls the authorization-server pages add to the console's labelled inputs: selects,
//! radio groups, checkboxes and a text area, each with the server's message next to it.

use crate::console::fields::{Field, Problems};
use crate::pages::escape;

/// A select or a radio group: its field name, label, `(value, words)` options and the chosen
/// value.
#[derive(Debug, Clone, Copy)]
pub struct Choice<'a> {
    /// The form field's name.
    pub name: &'a str,
    /// The label (the legend of a radio group), Okta's words.
    pub label: &'a str,
    /// `(value, words)`.
    pub options: &'a [(&'a str, &'a str)],
    /// The chosen value.
    pub value: &'a str,
}

impl<'a> Choice<'a> {
    /// A choice of `options` for field `name`, labelled `label`, `value` chosen.
    pub fn new(
        name: &'a str,
        label: &'a str,
        options: &'a [(&'a str, &'a str)],
        value: &'a str,
    ) -> Self {
        Self {
            name,
            label,
            options,
            value,
        }
    }
}

/// The attributes marking control `id` invalid and the message below it, when `problems` has
/// one about field `name`.
fn described(id: &str, name: &str, problems: Option<&Problems>) -> (String, String) {
    match problems.and_then(|p| p.of(name)) {
        Some(m) => (
            format!(" aria-invalid=\"true\" aria-describedby=\"{id}-error\""),
            format!("<p class=\"error\" id=\"{id}-error\">{}</p>", escape(&m)),
        ),
        None => (String::new(), String::new()),
    }
}

fn options_html(options: &[(&str, &str)], value: &str) -> String {
    options
        .iter()
        .map(|(v, words)| {
            let sel = if *v == value { " selected" } else { "" };
            format!("<option value=\"{v}\"{sel}>{}</option>", escape(words))
        })
        .collect()
}

/// A labelled select.
pub fn select(c: &Choice<'_>, problems: Option<&Problems>) -> String {
    let id = format!("f-{}", c.name);
    let (invalid, note) = described(&id, c.name, problems);
    format!(
        "<div class=\"field\"><label for=\"{id}\">{label}</label><select id=\"{id}\" name=\"{name}\"{invalid}>{options}</select>{note}</div>",
        label = escape(c.label),
        name = escape(c.name),
        options = options_html(c.options, c.value),
    )
}

/// A group of radio buttons under the legend `c.label`.
pub fn radios(c: &Choice<'_>, problems: Option<&Problems>) -> String {
    let id = format!("f-{}", c.name);
    let (invalid, note) = described(&id, c.name, problems);
    let buttons: String = c
        .options
        .iter()
        .enumerate()
        .map(|(i, (v, words))| {
            let checked = if *v == c.value { " checked" } else { "" };
            format!(
                "<label class=\"choice\"><input type=\"radio\" id=\"{id}-{i}\" name=\"{name}\" value=\"{v}\"{checked}>{words}</label>",
                name = escape(c.name),
                words = escape(words),
            )
        })
        .collect();
    let group = if invalid.is_empty() {
        String::new()
    } else {
        format!(" aria-describedby=\"{id}-error\"")
    };
    format!(
        "<fieldset id=\"{id}\"{group}><legend>{legend}</legend>{buttons}{note}</fieldset>",
        legend = escape(c.label),
    )
}

/// A checkbox named `name`, sent as `on` when checked.
pub fn checkbox(name: &str, label: &str, checked: bool) -> String {
    let on = if checked { " checked" } else { "" };
    format!(
        "<label class=\"choice\"><input type=\"checkbox\" id=\"f-{name}\" name=\"{name}\" value=\"on\"{on}>{}</label>",
        escape(label),
        name = escape(name),
    )
}

/// A textarea for an expression of `context` (see `console::script`): checked as it is typed
/// while the form's field `when` (`name=value`) holds.
pub fn expression_textarea(
    f: &Field<'_>,
    problems: Option<&Problems>,
    (context, when): (&str, &str),
) -> String {
    let attrs = format!(
        " data-expression=\"{}\" data-expression-when=\"{}\"",
        escape(context),
        escape(when)
    );
    let id = format!("f-{}", f.name);
    let (invalid, note) = described(&id, f.name, problems);
    let required = if f.required { " required" } else { "" };
    format!(
        "<div class=\"field\"><label for=\"{id}\">{label}</label><textarea id=\"{id}\" name=\"{name}\" rows=\"3\" spellcheck=\"false\"{required}{invalid}{attrs}>{value}</textarea>{note}</div>",
        label = escape(f.label),
        name = escape(f.name),
        value = escape(f.value),
    )
}

/// A text input for `name`, labelled `label`.
pub fn text<'a>(name: &'a str, label: &'a str, value: &'a str, required: bool) -> Field<'a> {
    Field {
        name,
        label,
        value,
        kind: "text",
        required,
    }
}

/// The form's submit button, named `words`, and Cancel (back to `cancel`).
pub fn actions(words: &str, cancel: &str) -> String {
    format!(
        "<div class=\"actions\"><button type=\"submit\" class=\"primary\">{}</button>\
         <a class=\"button\" href=\"{}\">Cancel</a></div>",
        escape(words),
        escape(cancel)
    )
}

/// An edit form posting to `action`, its `fields` and Save (disabled, with a note saying why,
/// when the admin may not save), and Cancel (back to `cancel`).
pub fn edit_form(
    csrf: &str,
    (action, cancel): (&str, &str),
    fields: &str,
    may_save: bool,
) -> String {
    let (disabled, note) = if may_save {
        ("", "")
    } else {
        (
            " disabled",
            "<p>Your admin role can view this but not change it.</p>",
        )
    };
    format!(
        "{note}<form method=\"post\" action=\"{action}\">{csrf}{fields}\
         <div class=\"actions\"><button type=\"submit\" class=\"primary\"{disabled}>Save</button>\
         <a class=\"button\" href=\"{cancel}\">Cancel</a></div></form>",
        action = escape(action),
        cancel = escape(cancel),
    )
}
