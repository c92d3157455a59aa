//! `Time.*`. Inputs and outputs are strings; ISO output is UTC with milliseconds and `Z`. The clock
//! is the context's `now`: this crate never reads the system time.

mod joda;
mod zone;

use time::{OffsetDateTime, UtcOffset};

use super::{Args, Fault, FuncDef, Ns};
use crate::error::EvalErrorKind;
use crate::iso::{format_iso, format_iso_offset, parse_iso};
use crate::machine::Eval;
use crate::value::Value;

pub(crate) static FUNCS: &[FuncDef] = &[
    FuncDef::new(Ns::Time, "now", 0, 2, now),
    FuncDef::new(Ns::Time, "fromUnixToIso8601", 1, 1, from_unix),
    FuncDef::new(Ns::Time, "fromIso8601ToUnix", 1, 1, to_unix),
    FuncDef::new(Ns::Time, "fromWindowsToIso8601", 1, 1, from_windows),
    FuncDef::new(Ns::Time, "fromIso8601ToWindows", 1, 1, to_windows),
    FuncDef::new(Ns::Time, "fromStringToIso8601", 2, 2, from_string),
    FuncDef::new(Ns::Time, "fromIso8601ToString", 2, 2, to_string),
];

/// 100-nanosecond ticks between 1601-01-01 (Windows FILETIME epoch) and 1970-01-01.
const WINDOWS_EPOCH_TICKS: i128 = 116_444_736_000_000_000;

fn time_error(a: &Args<'_>, message: impl std::fmt::Display) -> Fault {
    Fault::new(
        EvalErrorKind::InvalidArgument,
        format!("{}: {message}", a.func.qualified()),
    )
}

fn iso_arg(a: &Args<'_>, i: usize) -> Result<OffsetDateTime, Fault> {
    let s = a.str(i)?;
    parse_iso(s).ok_or_else(|| time_error(a, format_args!("\"{s}\" is not an ISO-8601 instant")))
}

/// An integer given as a number or a decimal string.
fn integer_arg(a: &Args<'_>, i: usize) -> Result<i128, Fault> {
    match a.get(i) {
        Value::Int(n) => Ok(i128::from(*n)),
        Value::Str(s) => s
            .trim()
            .parse::<i128>()
            .map_err(|_| time_error(a, format_args!("\"{s}\" is not an integer"))),
        _ => Err(a.type_error(i, "a string of digits")),
    }
}

fn from_nanos(a: &Args<'_>, nanos: i128) -> Result<OffsetDateTime, Fault> {
    OffsetDateTime::from_unix_timestamp_nanos(nanos)
        .map_err(|_| time_error(a, "the instant is out of range"))
}

fn now(ev: &mut Eval<'_>, a: &Args<'_>) -> Result<Value, Fault> {
    let t = ev.ctx.now.ok_or_else(|| {
        Fault::new(
            EvalErrorKind::NoClock,
            "Time.now: the evaluation context has no `now`",
        )
    })?;
    let Some(zone) = a.opt_str(0)? else {
        return Ok(Value::from(format_iso(t)));
    };
    let offset = zone::offset_at(zone, t)
        .ok_or_else(|| time_error(a, format_args!("unknown time zone \"{zone}\"")))?;
    let local = t.to_offset(offset);
    let out = match a.opt_str(1)? {
        None => format_iso_offset(local),
        Some(pattern) => joda::format(local, pattern, zone).map_err(|m| time_error(a, m))?,
    };
    super::string::text(ev, out)
}

fn from_unix(_: &mut Eval<'_>, a: &Args<'_>) -> Result<Value, Fault> {
    let ms = integer_arg(a, 0)?;
    let t = from_nanos(a, ms.saturating_mul(1_000_000))?;
    Ok(Value::from(format_iso(t)))
}

fn to_unix(_: &mut Eval<'_>, a: &Args<'_>) -> Result<Value, Fault> {
    let t = iso_arg(a, 0)?;
    Ok(Value::from(
        t.unix_timestamp_nanos().div_euclid(1_000_000).to_string(),
    ))
}

fn from_windows(_: &mut Eval<'_>, a: &Args<'_>) -> Result<Value, Fault> {
    let ticks = integer_arg(a, 0)?;
    let t = from_nanos(
        a,
        ticks
            .saturating_sub(WINDOWS_EPOCH_TICKS)
            .saturating_mul(100),
    )?;
    Ok(Value::from(format_iso(t)))
}

fn to_windows(_: &mut Eval<'_>, a: &Args<'_>) -> Result<Value, Fault> {
    let t = iso_arg(a, 0)?;
    let ticks = t.unix_timestamp_nanos().div_euclid(100) + WINDOWS_EPOCH_TICKS;
    Ok(Value::from(ticks.to_string()))
}

fn from_string(_: &mut Eval<'_>, a: &Args<'_>) -> Result<Value, Fault> {
    let t = joda::parse(a.str(0)?, a.str(1)?).map_err(|m| time_error(a, m))?;
    Ok(Value::from(format_iso(t)))
}

fn to_string(ev: &mut Eval<'_>, a: &Args<'_>) -> Result<Value, Fault> {
    let t = iso_arg(a, 0)?.to_offset(UtcOffset::UTC);
    let out = joda::format(t, a.str(1)?, "UTC").map_err(|m| time_error(a, m))?;
    super::string::text(ev, out)
}

#[cfg(test)]
mod tests {
    use crate::test_eval;
    use crate::test_ok as ok;
    use serde_json::json;

    #[test]
    fn now_in_zones_and_patterns() {
        assert_eq!(
            ok("Time.now('EST')"),
            json!("2015-07-31T13:18:37.979-04:00")
        );
        assert_eq!(ok("Time.now('UTC')"), json!("2015-07-31T17:18:37.979Z"));
        assert_eq!(
            ok("Time.now('Asia/Kolkata', 'YYYY-MM-dd HH:mm:ss')"),
            json!("2015-07-31 22:48:37")
        );
        assert!(test_eval("Time.now('Nowhere/Else')").is_err());
    }

    #[test]
    fn conversions() {
        assert_eq!(
            ok("Time.fromUnixToIso8601(0)"),
            json!("1970-01-01T00:00:00.000Z")
        );
        assert_eq!(
            ok("Time.fromUnixToIso8601('-1')"),
            json!("1969-12-31T23:59:59.999Z")
        );
        assert_eq!(
            ok("Time.fromIso8601ToUnix('2015-07-31T13:18:37.979-04:00')"),
            json!("1438363117979")
        );
        assert_eq!(
            ok("Time.fromIso8601ToUnix('2021-09-20')"),
            json!("1632096000000")
        );
        assert_eq!(
            ok("Time.fromStringToIso8601('07/31/2015 01:18 PM', 'MM/dd/yyyy hh:mm a')"),
            json!("2015-07-31T13:18:00.000Z")
        );
        assert_eq!(
            ok("Time.fromIso8601ToString('2015-07-31T17:18:37.979Z', 'dd MMM yyyy')"),
            json!("31 Jul 2015")
        );
    }

    #[test]
    fn bad_input_is_an_error() {
        for src in [
            "Time.fromIso8601ToUnix('')",
            "Time.fromIso8601ToUnix('yesterday')",
            "Time.fromUnixToIso8601('abc')",
            "Time.fromUnixToIso8601('99999999999999999999999')",
            "Time.fromWindowsToIso8601('-99999999999999999999999')",
            "Time.fromStringToIso8601('2015', 'yyyy-MM')",
            "Time.fromIso8601ToString('2015-07-31T17:18:37.979Z', 'qq')",
        ] {
            assert!(test_eval(src).is_err(), "{src}");
        }
    }
}
