//! `Convert.*`.

use super::{Args, Fault, FuncDef, Ns};
use crate::error::EvalErrorKind;
use crate::machine::Eval;
use crate::value::Value;

pub(crate) static FUNCS: &[FuncDef] = &[
    FuncDef::new(Ns::Convert, "toInt", 1, 1, to_int),
    FuncDef::new(Ns::Convert, "toNum", 1, 1, to_num),
];

/// Java's `Math.round`: half rounds up (towards positive infinity).
fn round_half_up(x: f64) -> f64 {
    (x + 0.5).floor()
}

/// To a 32-bit integer: strings are trimmed and parsed (a decimal string is rounded), doubles
/// rounded half up; a result outside the 32-bit range is an error; `null` stays `null`.
fn to_int(_: &mut Eval<'_>, a: &Args<'_>) -> Result<Value, Fault> {
    let wide: f64 = match a.get(0) {
        Value::Null => return Ok(Value::Null),
        Value::Int(i) => return in_i32(*i, a),
        Value::Float(x) => round_half_up(*x),
        Value::Str(s) => {
            let t = s.trim();
            if let Ok(i) = t.parse::<i64>() {
                return in_i32(i, a);
            }
            match t.parse::<f64>() {
                Ok(x) if x.is_finite() && !t.is_empty() => round_half_up(x),
                _ => return Err(a.invalid(format!("cannot convert \"{s}\" to an integer"))),
            }
        }
        _ => return Err(a.type_error(0, "a string or a number")),
    };
    if wide.is_finite() && wide >= f64::from(i32::MIN) && wide <= f64::from(i32::MAX) {
        #[expect(
            clippy::cast_possible_truncation,
            reason = "integral and within i32 range"
        )]
        return Ok(Value::Int(wide as i64));
    }
    Err(out_of_range(&wide.to_string(), a))
}

fn in_i32(i: i64, a: &Args<'_>) -> Result<Value, Fault> {
    if i32::try_from(i).is_ok() {
        Ok(Value::Int(i))
    } else {
        Err(out_of_range(&i.to_string(), a))
    }
}

fn out_of_range(shown: &str, a: &Args<'_>) -> Fault {
    Fault::new(
        EvalErrorKind::Overflow,
        format!(
            "{}: {shown} does not fit a 32-bit integer",
            a.func.qualified()
        ),
    )
}

/// To a double.
fn to_num(_: &mut Eval<'_>, a: &Args<'_>) -> Result<Value, Fault> {
    match a.get(0) {
        Value::Null => Ok(Value::Null),
        #[expect(
            clippy::cast_precision_loss,
            reason = "Java's long-to-double conversion"
        )]
        Value::Int(i) => Ok(Value::Float(*i as f64)),
        Value::Float(x) => Ok(Value::Float(*x)),
        Value::Str(s) => match s.trim().parse::<f64>() {
            Ok(x) if x.is_finite() => Ok(Value::Float(x)),
            _ => Err(a.invalid(format!("cannot convert \"{s}\" to a number"))),
        },
        _ => Err(a.type_error(0, "a string or a number")),
    }
}

#[cfg(test)]
mod tests {
    use crate::test_eval;
    use crate::test_ok as ok;
    use serde_json::json;

    #[test]
    fn to_int_rounds_half_up_and_stays_in_32_bits() {
        assert_eq!(ok("Convert.toInt(2.5)"), json!(3));
        assert_eq!(ok("Convert.toInt(-2.5)"), json!(-2));
        assert_eq!(ok("Convert.toInt(' 42 ')"), json!(42));
        assert_eq!(ok("Convert.toInt('12.5')"), json!(13));
        assert_eq!(ok("Convert.toInt(2147483647)"), json!(2_147_483_647));
        assert_eq!(ok("Convert.toInt(null)"), json!(null));
        assert!(test_eval("Convert.toInt(2147483648)").is_err());
        assert!(test_eval("Convert.toInt('abc')").is_err());
        assert!(test_eval("Convert.toInt('')").is_err());
        assert!(test_eval("Convert.toInt(true)").is_err());
    }

    #[test]
    fn to_num() {
        assert_eq!(ok("Convert.toNum('1e3')"), json!(1000.0));
        assert_eq!(ok("Convert.toNum(3)"), json!(3.0));
        assert!(test_eval("Convert.toNum('NaN')").is_err());
    }
}
