//! Okta's rules for the SAML 2.0 identity provider of custom SAML apps: which sign-on settings
//! apply ([`sign_on`]), which ACS URL an AuthnRequest may ask for ([`request`]), the NameID
//! ([`name_id`]) and the attribute statements ([`attributes`]). Pure: the XML is built and
//! signed by the server.

pub mod attributes;
pub mod name_id;
pub mod request;
pub mod sign_on;
#[cfg(test)]
mod tests;

/// The `Issuer` of Okta's responses and the `entityID` of its metadata for an app.
pub fn issuer(app_id: &str) -> String {
    format!("http://www.okta.com/{app_id}")
}

/// The values of an expression's result: nothing for null, each element of a list, the text
/// of anything else.
pub fn values_of(v: &serde_json::Value) -> Vec<String> {
    use serde_json::Value;
    match v {
        Value::Null => Vec::new(),
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items.iter().flat_map(values_of).collect(),
        other => vec![other.to_string()],
    }
}

/// Evaluates `source` in `ctx`, giving its values ([`values_of`]) or the rendered error.
pub fn evaluate(ctx: &crate::expr::Context, source: &str) -> Result<Vec<String>, String> {
    let compiled = crate::expr::compile(source).map_err(|e| e.render(source))?;
    let value = compiled
        .eval_json(ctx)
        .map_err(|e| format!("'{source}' could not be evaluated: {e}"))?;
    Ok(values_of(&value))
}
