//! `String.*` and the deprecated global aliases. Null-safe like Commons `StringUtils`; lengths and
//! indices count UTF-16 code units, as Java does.

use super::{Args, Fault, FuncDef, Ns};
use crate::machine::Eval;
use crate::pattern::Mode;
use crate::value::Value;

const VARIADIC: usize = usize::MAX;

pub(crate) static FUNCS: &[FuncDef] = &[
    FuncDef::new(Ns::String, "append", 2, 2, append),
    FuncDef::new(Ns::String, "join", 1, VARIADIC, join),
    FuncDef::new(Ns::String, "len", 1, 1, len),
    FuncDef::new(Ns::String, "removeSpaces", 1, 1, remove_spaces),
    FuncDef::new(Ns::String, "replace", 3, 3, replace),
    FuncDef {
        regex: Some((1, Mode::Find)),
        ..FuncDef::new(Ns::String, "replaceFirst", 3, 3, replace_first)
    },
    FuncDef::new(Ns::String, "startsWith", 2, 2, starts_with),
    FuncDef::new(Ns::String, "stringContains", 2, 2, contains),
    FuncDef {
        pairs_after: Some(2),
        ..FuncDef::new(Ns::String, "stringSwitch", 2, VARIADIC, string_switch)
    },
    FuncDef::new(Ns::String, "substring", 2, 3, substring),
    FuncDef::new(Ns::String, "substringAfter", 2, 2, substring_after),
    FuncDef::new(Ns::String, "substringBefore", 2, 2, substring_before),
    FuncDef::new(Ns::String, "toUpperCase", 1, 1, to_upper),
    FuncDef::new(Ns::String, "toLowerCase", 1, 1, to_lower),
    FuncDef::new(Ns::Global, "toUpperCase", 1, 1, to_upper),
    FuncDef::new(Ns::Global, "toLowerCase", 1, 1, to_lower),
    FuncDef::new(Ns::Global, "substring", 2, 3, substring),
    FuncDef::new(Ns::Global, "substringAfter", 2, 2, substring_after),
    FuncDef::new(Ns::Global, "substringBefore", 2, 2, substring_before),
];

/// A produced string, charged to the work budget.
pub(crate) fn text(ev: &mut Eval<'_>, s: String) -> Result<Value, Fault> {
    ev.charge(s.len())?;
    Ok(Value::from(s))
}

fn append(ev: &mut Eval<'_>, a: &Args<'_>) -> Result<Value, Fault> {
    let s = a.opt_str(0)?.unwrap_or("");
    let suffix = a.opt_str(1)?.unwrap_or("");
    text(ev, format!("{s}{suffix}"))
}

fn join(ev: &mut Eval<'_>, a: &Args<'_>) -> Result<Value, Fault> {
    let sep = a.opt_str(0)?.unwrap_or("");
    let mut out = String::new();
    let mut first = true;
    let mut push = |v: &Value, out: &mut String| {
        if !first {
            out.push_str(sep);
        }
        first = false;
        if !matches!(v, Value::Null) {
            v.write_text(out);
        }
    };
    for v in a.vals.iter().skip(1) {
        ev.charge(v.weight())?;
        match v {
            Value::List(items) => items.iter().for_each(|i| push(i, &mut out)),
            other => push(other, &mut out),
        }
    }
    text(ev, out)
}

fn len(_: &mut Eval<'_>, a: &Args<'_>) -> Result<Value, Fault> {
    let n = a.opt_str(0)?.map_or(0, |s| s.encode_utf16().count());
    Ok(Value::Int(i64::try_from(n).unwrap_or(i64::MAX)))
}

fn remove_spaces(ev: &mut Eval<'_>, a: &Args<'_>) -> Result<Value, Fault> {
    match a.opt_str(0)? {
        None => Ok(Value::Null),
        Some(s) => text(ev, s.chars().filter(|c| !c.is_whitespace()).collect()),
    }
}

fn replace(ev: &mut Eval<'_>, a: &Args<'_>) -> Result<Value, Fault> {
    let Some(s) = a.opt_str(0)? else {
        return Ok(Value::Null);
    };
    match (a.opt_str(1)?, a.opt_str(2)?) {
        (Some(m), Some(r)) if !m.is_empty() => {
            // Charge the result's size before building it: many matches times a long replacement
            // could otherwise allocate far beyond the budget.
            ev.charge(s.len())?;
            let grow = s.matches(m).count().saturating_mul(r.len());
            ev.charge(grow)?;
            Ok(Value::from(s.replace(m, r)))
        }
        _ => Ok(a.get(0).clone()),
    }
}

/// The pattern is a regex (Java's `replaceFirst`); the replacement is literal text.
fn replace_first(ev: &mut Eval<'_>, a: &Args<'_>) -> Result<Value, Fault> {
    let Some(s) = a.opt_str(0)? else {
        return Ok(Value::Null);
    };
    let Some(r) = a.opt_str(2)? else {
        return Ok(a.get(0).clone());
    };
    if a.opt_str(1)?.is_none() {
        return Ok(a.get(0).clone());
    }
    let re = a.regex_or_compile(ev, 1, Mode::Find)?;
    ev.charge(s.len())?;
    text(ev, re.replacen(s, 1, regex::NoExpand(r)).into_owned())
}

fn starts_with(_: &mut Eval<'_>, a: &Args<'_>) -> Result<Value, Fault> {
    Ok(Value::Bool(match (a.opt_str(0)?, a.opt_str(1)?) {
        (Some(s), Some(p)) => s.starts_with(p),
        _ => false,
    }))
}

fn contains(_: &mut Eval<'_>, a: &Args<'_>) -> Result<Value, Fault> {
    Ok(Value::Bool(match (a.opt_str(0)?, a.opt_str(1)?) {
        (Some(s), Some(p)) => s.contains(p),
        _ => false,
    }))
}

/// The value paired with the first key, in argument order, found as a substring of the input.
fn string_switch(_: &mut Eval<'_>, a: &Args<'_>) -> Result<Value, Fault> {
    let Some(input) = a.opt_str(0)? else {
        return Ok(a.get(1).clone());
    };
    for (pair, kv) in a.vals.get(2..).unwrap_or(&[]).chunks(2).enumerate() {
        let key = match kv.first() {
            Some(Value::Str(k)) => k,
            Some(Value::Null) => continue,
            _ => return Err(a.type_error(2 + pair * 2, "a string")),
        };
        if input.contains(&**key) {
            return Ok(kv.get(1).cloned().unwrap_or_default());
        }
    }
    Ok(a.get(1).clone())
}

fn utf16_len(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.encode_utf16().count()
    }
}

/// Characters `[begin, end)` in UTF-16 units.
fn utf16_slice(s: &str, begin: usize, end: usize) -> String {
    if s.is_ascii() {
        return s.get(begin..end).unwrap_or("").to_owned();
    }
    let units: Vec<u16> = s.encode_utf16().collect();
    String::from_utf16_lossy(units.get(begin..end).unwrap_or(&[]))
}

/// Commons semantics: negative indices count from the end, indices are clamped, `end < begin` is "".
fn substring(ev: &mut Eval<'_>, a: &Args<'_>) -> Result<Value, Fault> {
    let Some(s) = a.opt_str(0)? else {
        return Ok(Value::Null);
    };
    let len = i64::try_from(utf16_len(s)).unwrap_or(i64::MAX);
    let resolve = |i: i64| {
        let i = if i < 0 { i.saturating_add(len) } else { i };
        usize::try_from(i.clamp(0, len)).unwrap_or(0)
    };
    let begin = resolve(a.int(1)?);
    let end = if a.vals.len() > 2 {
        resolve(a.int(2)?)
    } else {
        resolve(len)
    };
    if end <= begin {
        return Ok(Value::from(""));
    }
    text(ev, utf16_slice(s, begin, end))
}

fn substring_after(ev: &mut Eval<'_>, a: &Args<'_>) -> Result<Value, Fault> {
    let Some(s) = a.opt_str(0)? else {
        return Ok(Value::Null);
    };
    let out = match a.opt_str(1)? {
        None => "",
        Some(sep) => s
            .find(sep)
            .and_then(|i| s.get(i + sep.len()..))
            .unwrap_or(""),
    };
    text(ev, out.to_owned())
}

fn substring_before(ev: &mut Eval<'_>, a: &Args<'_>) -> Result<Value, Fault> {
    let Some(s) = a.opt_str(0)? else {
        return Ok(Value::Null);
    };
    let out = match a.opt_str(1)? {
        None => s,
        Some("") => "",
        Some(sep) => s.find(sep).and_then(|i| s.get(..i)).unwrap_or(s),
    };
    text(ev, out.to_owned())
}

fn to_upper(ev: &mut Eval<'_>, a: &Args<'_>) -> Result<Value, Fault> {
    match a.opt_str(0)? {
        None => Ok(Value::Null),
        Some(s) => text(ev, s.to_uppercase()),
    }
}

fn to_lower(ev: &mut Eval<'_>, a: &Args<'_>) -> Result<Value, Fault> {
    match a.opt_str(0)? {
        None => Ok(Value::Null),
        Some(s) => text(ev, s.to_lowercase()),
    }
}

#[cfg(test)]
mod tests {
    use crate::test_eval;
    use crate::test_ok as ok;
    use serde_json::json;

    #[test]
    fn null_inputs_follow_commons() {
        assert_eq!(ok("String.len(null)"), json!(0));
        assert_eq!(ok("String.append(null, 'x')"), json!("x"));
        assert_eq!(ok("String.toUpperCase(null)"), json!(null));
        assert_eq!(ok("String.stringContains(null, 'x')"), json!(false));
        assert_eq!(ok("String.startsWith('x', null)"), json!(false));
        assert_eq!(ok("String.substringBefore(null, '@')"), json!(null));
        assert_eq!(ok("String.replace('abc', null, 'x')"), json!("abc"));
        assert_eq!(ok("String.join(',', 'a', null, {'b', 1})"), json!("a,,b,1"));
        assert_eq!(
            ok("String.stringSwitch(null, 'dflt', 'a', 'b')"),
            json!("dflt")
        );
    }

    #[test]
    fn substring_is_lenient_and_counts_utf16_units() {
        assert_eq!(ok("String.substring('Doe', -2, 6)"), json!("oe"));
        assert_eq!(ok("String.substring('Doe', 2, 1)"), json!(""));
        assert_eq!(ok("String.substring('Doe', 1)"), json!("oe"));
        assert_eq!(ok("String.len('😀é')"), json!(3));
        assert_eq!(ok("String.substring('a😀b', 1, 3)"), json!("😀"));
        assert_eq!(ok("'héllo'[1]"), json!("é"));
    }

    #[test]
    fn separators() {
        assert_eq!(ok("String.substringAfter('abc', '')"), json!("abc"));
        assert_eq!(ok("String.substringBefore('abc', '')"), json!(""));
        assert_eq!(ok("String.substringAfter('a@b@c', '@')"), json!("b@c"));
        assert_eq!(ok("String.replace('aaa', '', 'x')"), json!("aaa"));
        assert_eq!(ok("String.removeSpaces(' a\tb\nc ')"), json!("abc"));
    }

    #[test]
    fn replace_first_is_regex_with_literal_replacement() {
        assert_eq!(
            ok("String.replaceFirst('a1b2', '[0-9]', '$0')"),
            json!("a$0b2")
        );
        let dynamic = "String.replaceFirst('a1b2', '[0-9]' + '+', '#')";
        assert_eq!(ok(dynamic), json!("a#b2"));
        assert!(test_eval("String.replaceFirst('a', '(' + '', 'x')").is_err());
    }

    #[test]
    fn wrong_types_are_errors() {
        assert!(test_eval("String.len(5)").is_err());
        assert!(test_eval("String.substring('abc', 'x', 2)").is_err());
        assert!(test_eval("String.stringSwitch('a', 'd', 1, 'v')").is_err());
        assert!(crate::compile("String.stringSwitch('a', 'd', 'k')").is_err());
    }
}
