//! The one value type of the language. Strings, lists and maps are reference-counted, so reading a
//! profile bag or a whitelist out of the context costs a counter increment, not a copy.
//!
//! Sharing has a cost: `Arrays.add(x, x)` nested a few dozen times builds, in linear memory, a list
//! whose flattened size is astronomical. Lists and maps therefore carry their *weight* (the size of
//! the tree they stand for, computed once when built), and every operation that walks a value deeply
//! (equality, text rendering, flattening, JSON output) charges or caps that weight first.

mod collections;
pub(crate) mod group;

use std::fmt::Write;
use std::sync::Arc;

pub use collections::{List, Map};

use crate::error::{EvalError, EvalErrorKind};
use crate::span::Span;
use group::GroupObj;

/// A value produced or consumed by an expression.
#[derive(Clone, Debug, Default)]
pub enum Value {
    /// `null`: an absent attribute, a missing binding.
    #[default]
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer (Java's `int` and `long` are both held as 64-bit).
    Int(i64),
    /// A double.
    Float(f64),
    /// A string.
    Str(Arc<str>),
    /// A list.
    List(List),
    /// A map (profile bags, inline maps), in insertion order.
    Map(Arc<Map>),
    /// A group object, as seen by the group expression of `getFilteredGroups` and by
    /// `user.getGroups(...)`. Not a claim value.
    Group(GroupRef),
}

/// A handle on one of the context's groups.
#[derive(Clone, Debug)]
pub struct GroupRef(pub(crate) Arc<GroupObj>);

impl GroupRef {
    /// The group id.
    pub fn id(&self) -> &str {
        &self.0.id
    }

    /// The group name (`profile.name`).
    pub fn name(&self) -> &str {
        &self.0.name
    }
}

impl PartialEq for Value {
    /// The language's `==`: numbers compare by value across integer and double, lists element-wise,
    /// maps by key set and values, groups by id; different types are unequal.
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Value::Null, Value::Null) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::Float(a), Value::Float(b)) => a == b,
            #[expect(
                clippy::cast_precision_loss,
                reason = "Java compares int with double this way"
            )]
            (Value::Int(a), Value::Float(b)) | (Value::Float(b), Value::Int(a)) => *a as f64 == *b,
            (Value::Str(a), Value::Str(b)) => a == b,
            (Value::List(a), Value::List(b)) => **a == **b,
            (Value::Map(a), Value::Map(b)) => {
                a.len() == b.len() && a.iter().all(|(k, v)| b.get(k) == Some(v))
            }
            (Value::Group(a), Value::Group(b)) => a.0.id == b.0.id,
            _ => false,
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::Str(Arc::from(s))
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::Str(Arc::from(s))
    }
}

impl From<i64> for Value {
    fn from(i: i64) -> Self {
        Value::Int(i)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<Vec<Value>> for Value {
    fn from(items: Vec<Value>) -> Self {
        Value::List(List::from(items))
    }
}

impl Value {
    /// Converts JSON: integers that fit 64 bits become [`Value::Int`], other numbers
    /// [`Value::Float`], objects [`Value::Map`] in their order.
    pub fn from_json(json: &serde_json::Value) -> Value {
        match json {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => match n.as_i64() {
                Some(i) => Value::Int(i),
                None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
            },
            serde_json::Value::String(s) => Value::from(s.as_str()),
            serde_json::Value::Array(items) => {
                Value::List(items.iter().map(Value::from_json).collect())
            }
            serde_json::Value::Object(map) => Value::Map(Arc::new(Map::from_entries(
                map.iter()
                    .map(|(k, v)| (Arc::from(k.as_str()), Value::from_json(v))),
            ))),
        }
    }

    /// The size of the tree this value stands for: 1 for a scalar, one more per string byte, and the
    /// sum of the parts for lists and maps. Constant time.
    pub fn weight(&self) -> usize {
        match self {
            Value::Str(s) => s.len().saturating_add(1),
            Value::List(l) => l.weight(),
            Value::Map(m) => m.weight(),
            _ => 1,
        }
    }

    /// The claim output mapping: strings, numbers and booleans keep their JSON type, lists become
    /// arrays, maps objects. A group object, a non-finite number, or a value heavier than
    /// [`crate::limits::MAX_WORK`] is an error.
    pub fn to_json(&self) -> Result<serde_json::Value, EvalError> {
        if self.weight() > crate::limits::MAX_WORK_USIZE {
            return Err(not_a_claim("too large"));
        }
        self.to_json_unchecked()
    }

    fn to_json_unchecked(&self) -> Result<serde_json::Value, EvalError> {
        Ok(match self {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Int(i) => serde_json::Value::from(*i),
            Value::Float(x) => serde_json::Number::from_f64(*x)
                .map(serde_json::Value::Number)
                .ok_or_else(|| not_a_claim("a non-finite number"))?,
            Value::Str(s) => serde_json::Value::String(s.to_string()),
            Value::List(items) => serde_json::Value::Array(
                items.iter().map(Value::to_json).collect::<Result<_, _>>()?,
            ),
            Value::Map(map) => serde_json::Value::Object(
                map.iter()
                    .map(|(k, v)| Ok((k.to_owned(), v.to_json_unchecked()?)))
                    .collect::<Result<_, EvalError>>()?,
            ),
            Value::Group(_) => {
                return Err(not_a_claim(
                    "a group object (project a property, e.g. `.![name]`)",
                ));
            }
        })
    }

    /// Whether a claim with this value is left out of the token (`null` or an empty list).
    pub fn is_omitted_claim(&self) -> bool {
        match self {
            Value::Null => true,
            Value::List(items) => items.is_empty(),
            _ => false,
        }
    }

    /// The type's name as used in error messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Int(_) => "integer",
            Value::Float(_) => "number",
            Value::Str(_) => "string",
            Value::List(_) => "list",
            Value::Map(_) => "map",
            Value::Group(_) => "group",
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Appends the value as text, the way `+` concatenates it: `null` as `null`, doubles with at
    /// least one decimal (`3.0`), lists as `[a, b]`, maps as `{k=v}`, a group as its name.
    pub(crate) fn write_text(&self, out: &mut String) {
        match self {
            Value::Null => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Int(i) => {
                let _ = write!(out, "{i}");
            }
            Value::Float(x) => write_float_text(*x, out),
            Value::Str(s) => out.push_str(s),
            Value::List(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    item.write_text(out);
                }
                out.push(']');
            }
            Value::Map(map) => {
                out.push('{');
                for (i, (k, v)) in map.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str(k);
                    out.push('=');
                    v.write_text(out);
                }
                out.push('}');
            }
            Value::Group(g) => out.push_str(g.name()),
        }
    }

    /// The value as text (see [`Value::write_text`]).
    #[cfg(test)]
    pub(crate) fn text(&self) -> String {
        let mut s = String::new();
        self.write_text(&mut s);
        s
    }
}

fn not_a_claim(what: &str) -> EvalError {
    EvalError {
        span: Span::default(),
        kind: EvalErrorKind::NotAClaimValue,
        message: format!("the result is {what}, which cannot be a claim value"),
    }
}

/// Java's `Double.toString` keeps a `.0` on integral values; unlike Java we never switch to
/// exponent notation, so concatenated numbers stay plain decimals.
fn write_float_text(x: f64, out: &mut String) {
    if x.is_nan() {
        out.push_str("NaN");
    } else if x.is_infinite() {
        out.push_str(if x > 0.0 { "Infinity" } else { "-Infinity" });
    } else {
        let start = out.len();
        let _ = write!(out, "{x}");
        if !out.get(start..).is_some_and(|s| s.contains('.')) {
            out.push_str(".0");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Map, Value};
    use serde_json::json;

    #[test]
    fn json_round_trip_keeps_order_and_types() {
        let j = json!({"b": 1, "a": [1.5, "x", null, true], "c": {"z": 1, "y": 2}});
        assert_eq!(Value::from_json(&j).to_json().unwrap(), j);
    }

    #[test]
    fn equality_follows_the_language() {
        assert_eq!(Value::Int(1), Value::Float(1.0));
        assert_ne!(Value::from("1"), Value::Int(1));
        assert_eq!(
            Value::from_json(&json!({"a": 1, "b": 2})),
            Value::from_json(&json!({"b": 2, "a": 1}))
        );
    }

    #[test]
    fn text_rendering() {
        assert_eq!(Value::Float(3.0).text(), "3.0");
        assert_eq!(Value::Float(0.1).text(), "0.1");
        assert_eq!(Value::Float(1e21).text(), "1000000000000000000000.0");
        assert_eq!(
            Value::from_json(&json!([1, "a", null])).text(),
            "[1, a, null]"
        );
    }

    #[test]
    fn large_maps_use_the_index_and_keep_last_value() {
        let m = Map::from_entries((0..40).map(|i| (i.to_string().into(), Value::Int(i))));
        assert_eq!(m.get("33"), Some(&Value::Int(33)));
        let m = Map::from_entries([("a".into(), Value::Int(1)), ("a".into(), Value::Int(2))]);
        assert_eq!((m.len(), m.get("a")), (1, Some(&Value::Int(2))));
    }
}
