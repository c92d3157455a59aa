//! `Arrays.*`. Every array argument also accepts `null` (an empty array) and a comma-separated
//! string (split on `,`, each element trimmed; `""` is empty), as Okta documents.

use super::{Args, Fault, FuncDef, Ns};
use crate::error::EvalErrorKind;
use crate::machine::Eval;
use crate::value::{List, Value};

pub(crate) static FUNCS: &[FuncDef] = &[
    FuncDef::new(Ns::Arrays, "add", 2, 2, add),
    FuncDef::new(Ns::Arrays, "remove", 2, 2, remove),
    FuncDef::new(Ns::Arrays, "clear", 1, 1, clear),
    FuncDef::new(Ns::Arrays, "get", 2, 2, get),
    FuncDef::new(Ns::Arrays, "flatten", 1, usize::MAX, flatten),
    FuncDef::new(Ns::Arrays, "contains", 2, 2, contains),
    FuncDef::new(Ns::Arrays, "size", 1, 1, size),
    FuncDef::new(Ns::Arrays, "isEmpty", 1, 1, is_empty),
    FuncDef::new(Ns::Arrays, "toCsvString", 1, 1, to_csv),
];

/// Nested lists deeper than this are refused by `flatten` rather than recursed into.
const MAX_FLATTEN_DEPTH: usize = 64;

pub(crate) fn split_csv(s: &str) -> Vec<Value> {
    if s.is_empty() {
        return Vec::new();
    }
    s.split(',').map(|part| Value::from(part.trim())).collect()
}

/// Argument `i` as an array, per the null and CSV rules.
/// Charges the array's weight: the callers compare, copy or render its elements.
pub(crate) fn array(ev: &mut Eval<'_>, a: &Args<'_>, i: usize) -> Result<List, Fault> {
    let out = match a.get(i) {
        Value::Null => List::default(),
        Value::List(items) => items.clone(),
        Value::Str(s) => List::from(split_csv(s)),
        _ => return Err(a.type_error(i, "a list or a comma-separated string")),
    };
    ev.charge(out.weight())?;
    Ok(out)
}

fn add(ev: &mut Eval<'_>, a: &Args<'_>) -> Result<Value, Fault> {
    let items = array(ev, a, 0)?;
    let mut out = Vec::with_capacity(items.len() + 1);
    out.extend(items.iter().cloned());
    out.push(a.get(1).clone());
    Ok(Value::from(out))
}

/// Removes the first element equal to the value.
fn remove(ev: &mut Eval<'_>, a: &Args<'_>) -> Result<Value, Fault> {
    let items = array(ev, a, 0)?;
    let target = a.get(1);
    let mut out: Vec<Value> = items.iter().cloned().collect();
    if let Some(i) = out.iter().position(|v| v == target) {
        out.remove(i);
    }
    Ok(Value::from(out))
}

fn clear(ev: &mut Eval<'_>, a: &Args<'_>) -> Result<Value, Fault> {
    array(ev, a, 0)?;
    Ok(Value::from(Vec::new()))
}

/// Out of range (or negative) gives `null`.
fn get(ev: &mut Eval<'_>, a: &Args<'_>) -> Result<Value, Fault> {
    let items = array(ev, a, 0)?;
    let i = a.int(1)?;
    Ok(usize::try_from(i)
        .ok()
        .and_then(|i| items.get(i))
        .cloned()
        .unwrap_or_default())
}

fn flatten(ev: &mut Eval<'_>, a: &Args<'_>) -> Result<Value, Fault> {
    let mut out = Vec::new();
    for v in a.vals {
        // The weight bounds the number of leaves, however much the list shares.
        ev.charge(v.weight())?;
        match v {
            Value::Str(s) => out.extend(split_csv(s)),
            Value::Null => {}
            other => flatten_into(other, &mut out, 0)?,
        }
        ev.charge(out.len())?;
    }
    Ok(Value::from(out))
}

fn flatten_into(v: &Value, out: &mut Vec<Value>, depth: usize) -> Result<(), Fault> {
    match v {
        Value::List(items) if depth < MAX_FLATTEN_DEPTH => {
            for item in items.iter() {
                flatten_into(item, out, depth + 1)?;
            }
            Ok(())
        }
        Value::List(_) => Err(Fault::new(
            EvalErrorKind::Budget,
            format!("Arrays.flatten: lists nested more than {MAX_FLATTEN_DEPTH} deep"),
        )),
        other => {
            out.push(other.clone());
            Ok(())
        }
    }
}

fn contains(ev: &mut Eval<'_>, a: &Args<'_>) -> Result<Value, Fault> {
    let items = array(ev, a, 0)?;
    let target = a.get(1);
    Ok(Value::Bool(items.iter().any(|v| v == target)))
}

fn size(ev: &mut Eval<'_>, a: &Args<'_>) -> Result<Value, Fault> {
    let n = array(ev, a, 0)?.len();
    Ok(Value::Int(i64::try_from(n).unwrap_or(i64::MAX)))
}

fn is_empty(ev: &mut Eval<'_>, a: &Args<'_>) -> Result<Value, Fault> {
    Ok(Value::Bool(array(ev, a, 0)?.is_empty()))
}

/// Elements as text joined by `,`; `null` elements are empty.
fn to_csv(ev: &mut Eval<'_>, a: &Args<'_>) -> Result<Value, Fault> {
    let items = array(ev, a, 0)?;
    let mut out = String::new();
    for (i, v) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        if !matches!(v, Value::Null) {
            v.write_text(&mut out);
        }
    }
    super::string::text(ev, out)
}

#[cfg(test)]
mod tests {
    use crate::test_eval;
    use crate::test_ok as ok;
    use serde_json::json;

    #[test]
    fn csv_and_null_are_arrays() {
        assert_eq!(ok("Arrays.size('')"), json!(0));
        assert_eq!(ok("Arrays.add('a, b', 'c')"), json!(["a", "b", "c"]));
        assert_eq!(ok("Arrays.add(null, 1)"), json!([1]));
        assert_eq!(ok("Arrays.contains('x,y', 'y')"), json!(true));
        assert_eq!(ok("Arrays.toCsvString(null)"), json!(""));
        assert_eq!(
            ok("Arrays.toCsvString({1, null, 2.5, true})"),
            json!("1,,2.5,true")
        );
        assert!(test_eval("Arrays.size(5)").is_err());
    }

    #[test]
    fn element_functions() {
        assert_eq!(ok("Arrays.remove({1, 2, 1}, 1)"), json!([2, 1]));
        assert_eq!(ok("Arrays.remove({1, 2}, 3)"), json!([1, 2]));
        assert_eq!(ok("Arrays.get({1, 2}, 5)"), json!(null));
        assert_eq!(ok("Arrays.get({1, 2}, -1)"), json!(null));
        assert_eq!(ok("Arrays.contains({1, 2}, 2.0)"), json!(true));
        assert_eq!(
            ok("Arrays.flatten({1, {2, {3}}}, null, 'a,b')"),
            json!([1, 2, 3, "a", "b"])
        );
        assert_eq!(ok("Arrays.flatten({'a,b'})"), json!(["a,b"]));
    }
}
