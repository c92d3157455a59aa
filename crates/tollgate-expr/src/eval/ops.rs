//! Operator semantics (spec §1.3): SpEL's rules with checked integer arithmetic.

use std::cmp::Ordering;
use std::sync::Arc;

use regex::Regex;

use crate::ast::BinaryOp;
use crate::error::{EvalErrorKind, Fault};
use crate::machine::Eval;
use crate::pattern::Mode;
use crate::value::Value;

fn type_error(message: String) -> Fault {
    Fault::new(EvalErrorKind::Type, message)
}

/// `target.name`: map lookup (absent → `null`), group fields; `null` needs `?.`.
pub(super) fn property(target: &Value, name: &str, null_safe: bool) -> Result<Value, Fault> {
    match target {
        Value::Map(m) => Ok(m.get(name).cloned().unwrap_or_default()),
        Value::Group(g) => Ok(g.0.field(name)),
        Value::Null if null_safe => Ok(Value::Null),
        Value::Null => Err(Fault::new(
            EvalErrorKind::NullDereference,
            format!("cannot read `{name}` of null (write `?.{name}` to allow a missing value)"),
        )),
        other => Err(type_error(format!(
            "cannot read property `{name}` of a {}",
            other.type_name()
        ))),
    }
}

/// `target[index]`: a list position, a map key, or one character (UTF-16 unit) of a string.
pub(super) fn index(target: &Value, index: &Value) -> Result<Value, Fault> {
    match (target, index) {
        (Value::List(items), Value::Int(i)) => usize::try_from(*i)
            .ok()
            .and_then(|i| items.get(i))
            .cloned()
            .ok_or_else(|| {
                Fault::new(
                    EvalErrorKind::IndexOutOfRange,
                    format!("index {i} is out of range for a list of {}", items.len()),
                )
            }),
        (Value::Map(m), Value::Str(k)) => Ok(m.get(k).cloned().unwrap_or_default()),
        (Value::Group(g), Value::Str(k)) => Ok(g.0.field(k)),
        (Value::Str(s), Value::Int(i)) => {
            let unit = usize::try_from(*i)
                .ok()
                .and_then(|i| s.encode_utf16().nth(i));
            unit.map(|u| Value::from(String::from_utf16_lossy(&[u])))
                .ok_or_else(|| {
                    Fault::new(
                        EvalErrorKind::IndexOutOfRange,
                        format!(
                            "index {i} is out of range for a string of length {}",
                            s.encode_utf16().count()
                        ),
                    )
                })
        }
        (Value::Null, _) => Err(Fault::new(
            EvalErrorKind::NullDereference,
            "cannot index null".to_owned(),
        )),
        (t, i) => Err(type_error(format!(
            "cannot index a {} with a {}",
            t.type_name(),
            i.type_name()
        ))),
    }
}

pub(super) fn negate(v: &Value) -> Result<Value, Fault> {
    match v {
        Value::Int(i) => i.checked_neg().map(Value::Int).ok_or_else(overflow),
        Value::Float(x) => Ok(Value::Float(-x)),
        other => Err(type_error(format!("cannot negate a {}", other.type_name()))),
    }
}

fn overflow() -> Fault {
    Fault::new(EvalErrorKind::Overflow, "integer overflow".to_owned())
}

/// Both operands as doubles when at least one is a double (SpEL's promotion).
#[expect(clippy::cast_precision_loss, reason = "Java's int-to-double promotion")]
fn floats(l: &Value, r: &Value) -> Option<(f64, f64)> {
    match (l, r) {
        (Value::Float(a), Value::Float(b)) => Some((*a, *b)),
        (Value::Int(a), Value::Float(b)) => Some((*a as f64, *b)),
        (Value::Float(a), Value::Int(b)) => Some((*a, *b as f64)),
        _ => None,
    }
}

pub(super) fn binary(
    ev: &mut Eval<'_>,
    op: BinaryOp,
    l: &Value,
    r: &Value,
) -> Result<Value, Fault> {
    match op {
        BinaryOp::Eq | BinaryOp::Ne => {
            ev.charge(l.weight().min(r.weight()))?;
            Ok(Value::Bool((l == r) == (op == BinaryOp::Eq)))
        }
        BinaryOp::Lt | BinaryOp::Gt | BinaryOp::Le | BinaryOp::Ge => {
            let ord = compare(l, r, op)?;
            Ok(Value::Bool(match op {
                BinaryOp::Lt => ord == Ordering::Less,
                BinaryOp::Gt => ord == Ordering::Greater,
                BinaryOp::Le => ord != Ordering::Greater,
                _ => ord != Ordering::Less,
            }))
        }
        BinaryOp::Add if matches!(l, Value::Str(_)) || matches!(r, Value::Str(_)) => {
            // Rendering walks the whole value: charge its weight before, not after.
            ev.charge(l.weight().saturating_add(r.weight()))?;
            let mut s = String::new();
            l.write_text(&mut s);
            r.write_text(&mut s);
            Ok(Value::from(s))
        }
        _ => arithmetic(op, l, r),
    }
}

fn arithmetic(op: BinaryOp, l: &Value, r: &Value) -> Result<Value, Fault> {
    if let (Value::Int(a), Value::Int(b)) = (l, r) {
        let (a, b) = (*a, *b);
        if matches!(op, BinaryOp::Div | BinaryOp::Rem) && b == 0 {
            return Err(Fault::new(
                EvalErrorKind::DivisionByZero,
                "division by zero".to_owned(),
            ));
        }
        let out = match op {
            BinaryOp::Add => a.checked_add(b),
            BinaryOp::Sub => a.checked_sub(b),
            BinaryOp::Mul => a.checked_mul(b),
            BinaryOp::Div => a.checked_div(b),
            _ => a.checked_rem(b),
        };
        return out.map(Value::Int).ok_or_else(overflow);
    }
    let Some((a, b)) = floats(l, r) else {
        return Err(type_error(format!(
            "`{}` needs numbers, found {} and {}",
            op.symbol(),
            l.type_name(),
            r.type_name()
        )));
    };
    if matches!(op, BinaryOp::Div | BinaryOp::Rem) && b == 0.0 {
        return Err(Fault::new(
            EvalErrorKind::DivisionByZero,
            "division by zero".to_owned(),
        ));
    }
    let out = match op {
        BinaryOp::Add => a + b,
        BinaryOp::Sub => a - b,
        BinaryOp::Mul => a * b,
        BinaryOp::Div => a / b,
        _ => a % b,
    };
    if out.is_finite() {
        Ok(Value::Float(out))
    } else {
        Err(overflow())
    }
}

/// Numbers numerically, strings by UTF-16 code units (Java's `compareTo`); anything else is an error.
fn compare(l: &Value, r: &Value, op: BinaryOp) -> Result<Ordering, Fault> {
    match (l, r) {
        (Value::Int(a), Value::Int(b)) => Ok(a.cmp(b)),
        (Value::Str(a), Value::Str(b)) => Ok(a.encode_utf16().cmp(b.encode_utf16())),
        _ => match floats(l, r) {
            Some((a, b)) => a
                .partial_cmp(&b)
                .ok_or_else(|| type_error("cannot compare NaN".to_owned())),
            None => Err(type_error(format!(
                "`{}` cannot compare {} with {}",
                op.symbol(),
                l.type_name(),
                r.type_name()
            ))),
        },
    }
}

/// `str matches pattern`: a full match. A `null` left side does not match.
pub(super) fn matches(
    ev: &mut Eval<'_>,
    l: &Value,
    r: &Value,
    pre: Option<&Arc<Regex>>,
) -> Result<Value, Fault> {
    let s = match l {
        Value::Null => return Ok(Value::Bool(false)),
        Value::Str(s) => s,
        other => {
            return Err(type_error(format!(
                "`matches` needs a string on its left, found {}",
                other.type_name()
            )));
        }
    };
    if let Some(re) = pre {
        return Ok(Value::Bool(re.is_match(s)));
    }
    let Value::Str(p) = r else {
        return Err(type_error(format!(
            "`matches` needs a pattern string on its right, found {}",
            r.type_name()
        )));
    };
    let re = ev.regex(p, Mode::FullMatch)?;
    Ok(Value::Bool(re.is_match(s)))
}
