//! List-valued profile properties (schema type `array`) in the person form: one value per line
//! in a labelled textarea, each line typed as the schema's item type wants it, so the API's own
//! schema check judges the list and its message shows next to the field.

use serde_json::Value;
use tollgate_core::schema::PropertyType;

use crate::console::fields::{Field, Problems};
use crate::pages::escape;

/// A stored list as the textarea shows it: one value per line.
pub fn list_text(v: Option<&Value>) -> String {
    let Some(Value::Array(items)) = v else {
        return crate::console::person::shown(v);
    };
    items
        .iter()
        .map(|i| crate::console::person::shown(Some(i)))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The list the textarea's `text` gives, each non-empty line typed as `kind`; `None` when
/// there is no line (the property is removed).
pub fn list_value(kind: PropertyType, text: &str) -> Option<Value> {
    let items: Vec<Value> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| crate::console::person::typed(kind, l))
        .collect();
    (!items.is_empty()).then_some(Value::Array(items))
}

/// A labelled textarea for a list, one value per line; with a problem, marked invalid and
/// described by its message.
pub fn textarea(f: &Field<'_>, problems: Option<&Problems>, disabled: &str) -> String {
    let id = format!("f-{}", f.name);
    let hint = format!("{id}-hint");
    let (invalid, note) = match problems.and_then(|p| p.of(f.name)) {
        Some(m) => (
            format!(" aria-invalid=\"true\" aria-describedby=\"{hint} {id}-error\""),
            format!("<p class=\"error\" id=\"{id}-error\">{}</p>", escape(&m)),
        ),
        None => (format!(" aria-describedby=\"{hint}\""), String::new()),
    };
    let required = if f.required { " required" } else { "" };
    format!(
        "<div class=\"field\"><label for=\"{id}\">{label}</label><p class=\"hint\" id=\"{hint}\">One value per line.</p>\
         <textarea id=\"{id}\" name=\"{name}\" rows=\"4\" spellcheck=\"false\"{required}{invalid}{disabled}>{value}</textarea>{note}</div>",
        label = escape(f.label),
        name = escape(f.name),
        value = escape(f.value),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lines_become_a_typed_list_and_back() {
        let cases = [
            (PropertyType::String, "a\n\n b \n", Some(json!(["a", "b"]))),
            (PropertyType::Integer, "1\n2", Some(json!([1, 2]))),
            (PropertyType::Integer, "1\nx", Some(json!([1, "x"]))),
            (PropertyType::String, " \n", None),
        ];
        for (kind, text, want) in cases {
            assert_eq!(list_value(kind, text), want, "{text:?}");
        }
        assert_eq!(list_text(Some(&json!(["a", 2]))), "a\n2");
        assert_eq!(list_text(None), "");
    }
}
