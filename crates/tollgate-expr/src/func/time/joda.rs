//! Joda-style patterns (`yyyy-MM-dd HH:mm:ss`, `dd MMM yyyy`, `EEE, d MMM yyyy HH:mm:ss Z`): the
//! common letters for formatting and parsing. An unsupported letter is an error, not literal text.

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

#[derive(Debug, PartialEq)]
enum Piece {
    Literal(String),
    /// A run of one pattern letter and its length.
    Field(char, usize),
}

fn tokenize(pattern: &str) -> Result<Vec<Piece>, String> {
    let mut out = Vec::new();
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' {
            let mut lit = String::new();
            if chars.peek() == Some(&'\'') {
                chars.next();
                out.push(Piece::Literal("'".to_owned()));
                continue;
            }
            loop {
                match chars.next() {
                    None => return Err("unterminated quote in pattern".to_owned()),
                    Some('\'') if chars.peek() == Some(&'\'') => {
                        chars.next();
                        lit.push('\'');
                    }
                    Some('\'') => break,
                    Some(other) => lit.push(other),
                }
            }
            out.push(Piece::Literal(lit));
        } else if c.is_ascii_alphabetic() {
            if !"yYuMdDHkhKmsSaEZz".contains(c) {
                return Err(format!("unsupported pattern letter `{c}`"));
            }
            let mut n = 1;
            while chars.peek() == Some(&c) {
                chars.next();
                n += 1;
            }
            out.push(Piece::Field(c, n));
        } else {
            out.push(Piece::Literal(c.to_string()));
        }
    }
    Ok(out)
}

/// Formats `t` (already in the wanted offset) with `pattern`.
pub(crate) fn format(t: OffsetDateTime, pattern: &str, zone: &str) -> Result<String, String> {
    let mut out = String::new();
    for piece in tokenize(pattern)? {
        let (c, n) = match piece {
            Piece::Literal(s) => {
                out.push_str(&s);
                continue;
            }
            Piece::Field(c, n) => (c, n),
        };
        let num = |v: i64, out: &mut String| out.push_str(&format!("{v:0n$}"));
        match c {
            'y' | 'Y' | 'u' if n == 2 => num(i64::from(t.year().rem_euclid(100)), &mut out),
            'y' | 'Y' | 'u' => num(i64::from(t.year()), &mut out),
            'M' if n >= 4 => out.push_str(month_name(t.month())),
            'M' if n == 3 => out.push_str(month_name(t.month()).get(..3).unwrap_or("")),
            'M' => num(i64::from(u8::from(t.month())), &mut out),
            'd' => num(i64::from(t.day()), &mut out),
            'D' => num(i64::from(t.ordinal()), &mut out),
            'H' => num(i64::from(t.hour()), &mut out),
            'k' => num(
                i64::from(if t.hour() == 0 { 24 } else { t.hour() }),
                &mut out,
            ),
            'h' => num(i64::from((t.hour() + 11) % 12 + 1), &mut out),
            'K' => num(i64::from(t.hour() % 12), &mut out),
            'm' => num(i64::from(t.minute()), &mut out),
            's' => num(i64::from(t.second()), &mut out),
            'S' => {
                let nanos = format!("{:09}", t.nanosecond());
                let digits: String = nanos
                    .chars()
                    .chain(std::iter::repeat('0'))
                    .take(n)
                    .collect();
                out.push_str(&digits);
            }
            'a' => out.push_str(if t.hour() < 12 { "AM" } else { "PM" }),
            'E' => {
                let day = DAYS
                    .get(usize::from(t.weekday().number_days_from_monday()))
                    .copied()
                    .unwrap_or("");
                out.push_str(if n >= 4 {
                    day
                } else {
                    day.get(..3).unwrap_or("")
                });
            }
            'Z' if n >= 3 => out.push_str(zone),
            'Z' => out.push_str(&offset_text(t.offset(), n == 2)),
            'z' => out.push_str(zone),
            _ => return Err(format!("unsupported pattern letter `{c}`")),
        }
    }
    Ok(out)
}

fn month_name(m: Month) -> &'static str {
    MONTHS
        .get(usize::from(u8::from(m)) - 1)
        .copied()
        .unwrap_or("")
}

fn offset_text(o: UtcOffset, colon: bool) -> String {
    let secs = o.whole_seconds();
    let sign = if secs < 0 { '-' } else { '+' };
    let (h, m) = (secs.abs() / 3600, secs.abs() / 60 % 60);
    if colon {
        format!("{sign}{h:02}:{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}")
    }
}

#[derive(Default)]
struct Fields {
    year: Option<i32>,
    month: Option<u8>,
    day: Option<u8>,
    ordinal: Option<u16>,
    hour: u8,
    minute: u8,
    second: u8,
    nanos: u32,
    pm: Option<bool>,
    offset: Option<UtcOffset>,
}

/// Parses `input` with `pattern`; missing date fields default to 1970-01-01, time to midnight, the
/// offset to UTC.
pub(crate) fn parse(input: &str, pattern: &str) -> Result<OffsetDateTime, String> {
    let pieces = tokenize(pattern)?;
    let mut f = Fields::default();
    let mut rest = input;
    for (i, piece) in pieces.iter().enumerate() {
        let next_numeric =
            matches!(pieces.get(i + 1), Some(Piece::Field(c, _)) if "yYuMdDHkhKmsS".contains(*c));
        match piece {
            Piece::Literal(s) => {
                rest = rest
                    .strip_prefix(s.as_str())
                    .ok_or_else(|| format!("expected \"{s}\" in \"{input}\""))?;
            }
            Piece::Field(c, n) => rest = field(&mut f, *c, *n, rest, next_numeric)?,
        }
    }
    if !rest.is_empty() {
        return Err(format!(
            "unexpected text \"{rest}\" at the end of \"{input}\""
        ));
    }
    build(&f).ok_or_else(|| format!("\"{input}\" is not a valid date and time"))
}

fn take_digits(s: &str, max: usize) -> Result<(i64, &str), String> {
    let len = s.bytes().take(max).take_while(u8::is_ascii_digit).count();
    let (digits, rest) = s.split_at_checked(len).unwrap_or(("", s));
    let v = digits
        .parse::<i64>()
        .map_err(|_| format!("expected digits at \"{s}\""))?;
    Ok((v, rest))
}

fn field<'s>(
    f: &mut Fields,
    c: char,
    n: usize,
    s: &'s str,
    fixed: bool,
) -> Result<&'s str, String> {
    // Adjacent numeric fields (`yyyyMMdd`) are read at their written width; otherwise greedily.
    let width = if fixed { n } else { 9 };
    let small = |v: i64| u8::try_from(v).map_err(|_| format!("{v} is out of range"));
    match c {
        'y' | 'Y' | 'u' => {
            let (v, rest) = take_digits(s, if fixed || n == 2 { n.max(2) } else { 9 })?;
            let v = i32::try_from(v).map_err(|_| "year out of range".to_owned())?;
            f.year = Some(if n == 2 { 2000 + v } else { v });
            Ok(rest)
        }
        'M' if n >= 3 => {
            let (i, rest) = name_prefix(s, &MONTHS, n == 3)?;
            f.month = u8::try_from(i + 1).ok();
            Ok(rest)
        }
        'E' => Ok(name_prefix(s, &DAYS, n < 4)?.1),
        'a' => {
            let upper = s.get(..2).unwrap_or("").to_ascii_uppercase();
            f.pm = Some(match upper.as_str() {
                "AM" => false,
                "PM" => true,
                _ => return Err(format!("expected AM or PM at \"{s}\"")),
            });
            Ok(s.get(2..).unwrap_or(""))
        }
        'Z' | 'z' => {
            if let Some(rest) = s.strip_prefix('Z') {
                f.offset = Some(UtcOffset::UTC);
                return Ok(rest);
            }
            let len = s
                .char_indices()
                .find(|&(i, ch)| i > 0 && !(ch.is_ascii_digit() || ch == ':'))
                .map_or(s.len(), |(i, _)| i);
            let (text, rest) = s.split_at_checked(len).unwrap_or((s, ""));
            f.offset = Some(
                super::zone::offset_at(text, OffsetDateTime::UNIX_EPOCH)
                    .ok_or_else(|| format!("bad offset \"{text}\""))?,
            );
            Ok(rest)
        }
        'S' => {
            let (v, rest) = take_digits(s, width.min(9))?;
            let digits = s.len() - rest.len();
            let scale = 10u32.pow(u32::try_from(9 - digits.min(9)).unwrap_or(0));
            f.nanos = u32::try_from(v).unwrap_or(0).saturating_mul(scale);
            Ok(rest)
        }
        _ => {
            let (v, rest) = take_digits(s, width)?;
            match c {
                'M' => f.month = Some(small(v)?),
                'd' => f.day = Some(small(v)?),
                'D' => f.ordinal = Some(u16::try_from(v).map_err(|_| "day of year out of range")?),
                'H' | 'k' => f.hour = small(v % 24)?,
                'h' | 'K' => f.hour = small(v % 12)?,
                'm' => f.minute = small(v)?,
                _ => f.second = small(v)?,
            }
            Ok(rest)
        }
    }
}

fn name_prefix<'s>(s: &'s str, names: &[&str], short: bool) -> Result<(usize, &'s str), String> {
    for (i, name) in names.iter().enumerate() {
        let want = if short {
            name.get(..3).unwrap_or(name)
        } else {
            name
        };
        if let Some(head) = s.get(..want.len())
            && head.eq_ignore_ascii_case(want)
        {
            return Ok((i, s.get(want.len()..).unwrap_or("")));
        }
    }
    Err(format!("expected a month or day name at \"{s}\""))
}

fn build(f: &Fields) -> Option<OffsetDateTime> {
    let year = f.year.unwrap_or(1970);
    let date = match f.ordinal {
        Some(o) => Date::from_ordinal_date(year, o).ok()?,
        None => Date::from_calendar_date(
            year,
            Month::try_from(f.month.unwrap_or(1)).ok()?,
            f.day.unwrap_or(1),
        )
        .ok()?,
    };
    let hour = match f.pm {
        Some(true) => f.hour % 12 + 12,
        Some(false) => f.hour % 12,
        None => f.hour,
    };
    let time = Time::from_hms_nano(hour, f.minute, f.second, f.nanos).ok()?;
    Some(PrimitiveDateTime::new(date, time).assume_offset(f.offset.unwrap_or(UtcOffset::UTC)))
}

#[cfg(test)]
mod tests {
    use super::{format, parse};
    use time::macros::datetime;

    #[test]
    fn formats_common_patterns() {
        let t = datetime!(2015-07-31 13:30:49.964 -4);
        assert_eq!(
            format(t, "YYYY-MM-dd HH:mm:ss", "EST").unwrap(),
            "2015-07-31 13:30:49"
        );
        assert_eq!(
            format(t, "EEE, d MMM yyyy hh:mm a Z", "EST").unwrap(),
            "Fri, 31 Jul 2015 01:30 PM -0400"
        );
        assert_eq!(
            format(t, "yyyyMMdd'T'HHmmss.SSSZZ", "EST").unwrap(),
            "20150731T133049.964-04:00"
        );
        assert!(format(t, "yyyy-QQ", "EST").is_err());
    }

    #[test]
    fn parses_what_it_formats() {
        let t = datetime!(2015-07-31 13:30:49.964 -4);
        for p in [
            "yyyy-MM-dd HH:mm:ss.SSSZZ",
            "dd MMMM yyyy hh:mm:ss.SSS a Z",
            "yyyyMMddHHmmssSSSZ",
        ] {
            let shown = format(t, p, "EST").unwrap();
            assert_eq!(parse(&shown, p).unwrap(), t, "{p}: {shown}");
        }
        assert_eq!(
            parse("07/31/2015", "MM/dd/yyyy").unwrap(),
            datetime!(2015-07-31 0:00 UTC)
        );
        assert!(parse("2015-02-30", "yyyy-MM-dd").is_err());
        assert!(parse("2015-07-31x", "yyyy-MM-dd").is_err());
    }
}
