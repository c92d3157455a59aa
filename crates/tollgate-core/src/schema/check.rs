//! Checking a profile against its schema.

use serde_json::{Map, Value};

use super::{ProfileSchema, Property, base_properties};
use crate::error::{Cause, Error};

/// See [`ProfileSchema::check_profile`].
pub(super) fn check_profile(
    schema: &ProfileSchema,
    profile: &Map<String, Value>,
) -> Result<(), Error> {
    let base = base_properties(schema.kind);
    let mut causes = Vec::new();
    let mut fields = Vec::new();
    for (name, value) in profile {
        if base.contains_key(name) {
            continue;
        }
        match schema.property(name) {
            None => {
                fields.push(name.clone());
                causes.push(Cause::general(format!(
                    "Property name '{name}' is not defined in profile"
                )));
            }
            Some(_) if value.is_null() => {}
            Some(p) => {
                let before = causes.len();
                check_value(p, value, &mut causes);
                if causes.len() > before {
                    fields.push(name.clone());
                }
            }
        }
    }
    for p in schema.custom.iter().filter(|p| p.required) {
        if profile.get(&p.name).is_none_or(Value::is_null) {
            fields.push(p.name.clone());
            causes.push(Cause::field(&p.name, "The field cannot be left blank"));
        }
    }
    if causes.is_empty() {
        Ok(())
    } else {
        fields.dedup();
        Err(Error::Invalid {
            summary: fields.join(", "),
            causes,
        })
    }
}

fn check_value(p: &Property, value: &Value, causes: &mut Vec<Cause>) {
    if p.array {
        let Some(items) = value.as_array() else {
            causes.push(Cause::field(
                &p.name,
                format!("Does not match the type array of {}", p.kind.as_str()),
            ));
            return;
        };
        if let Some(item) = items.iter().find(|v| !p.kind.accepts(v)) {
            causes.push(Cause::field(
                &p.name,
                format!("Item {item} is not of type {}", p.kind.as_str()),
            ));
            return;
        }
        for item in items {
            check_scalar(p, item, causes);
        }
        return;
    }
    if !p.kind.accepts(value) {
        causes.push(Cause::field(
            &p.name,
            format!("Does not match the type {}", p.kind.as_str()),
        ));
        return;
    }
    check_scalar(p, value, causes);
}

fn check_scalar(p: &Property, value: &Value, causes: &mut Vec<Cause>) {
    if let Some(allowed) = &p.allowed
        && !allowed.iter().any(|a| same_value(a, value))
    {
        causes.push(Cause::field(
            &p.name,
            format!("Does not match any of the allowed values: {value}"),
        ));
    }
    if let Some(s) = value.as_str() {
        let len = u64::try_from(s.chars().count()).unwrap_or(u64::MAX);
        if let Some(min) = p.length.0
            && len < min
        {
            causes.push(Cause::field(
                &p.name,
                format!("The field is too short: minimum length is {min}"),
            ));
        }
        if let Some(max) = p.length.1
            && len > max
        {
            causes.push(Cause::field(
                &p.name,
                format!("The field is too long: maximum length is {max}"),
            ));
        }
        if let Some(re) = &p.pattern
            && !re.is_match(s)
        {
            causes.push(Cause::field(&p.name, "Does not match required pattern"));
        }
    }
    if let Some(n) = value.as_f64() {
        if let Some(min) = p.range.0
            && n < min
        {
            causes.push(Cause::field(
                &p.name,
                format!("The value is below the minimum of {min}"),
            ));
        }
        if let Some(max) = p.range.1
            && n > max
        {
            causes.push(Cause::field(
                &p.name,
                format!("The value is above the maximum of {max}"),
            ));
        }
    }
}

/// Equality that treats `1` and `1.0` alike.
fn same_value(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}
