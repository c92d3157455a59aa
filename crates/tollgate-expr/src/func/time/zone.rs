//! Time zones without a tz database: fixed offsets (`+05:30`, `UTC-3`) and a table of common IANA
//! zones with their current daylight-saving rules, applied to every year. Legacy ids resolve the way
//! Joda does (`EST` → `America/New_York`, so `-04:00` in July).

use time::{Date, Month, OffsetDateTime, Time, UtcOffset, Weekday};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Rule {
    None,
    /// US and Canada: second Sunday of March to first Sunday of November, 02:00 local.
    Us,
    /// EU: last Sunday of March to last Sunday of October, 01:00 UTC.
    Eu,
    /// South-east Australia: first Sunday of October to first Sunday of April, 02:00 standard.
    Au,
    /// New Zealand: last Sunday of September to first Sunday of April, 02:00 standard.
    Nz,
}

/// (id, standard offset in minutes, rule). Lookup ignores case.
const ZONES: &[(&str, i32, Rule)] = &[
    ("America/New_York", -300, Rule::Us),
    ("America/Detroit", -300, Rule::Us),
    ("America/Toronto", -300, Rule::Us),
    ("America/Chicago", -360, Rule::Us),
    ("America/Winnipeg", -360, Rule::Us),
    ("America/Mexico_City", -360, Rule::None),
    ("America/Denver", -420, Rule::Us),
    ("America/Edmonton", -420, Rule::Us),
    ("America/Phoenix", -420, Rule::None),
    ("America/Los_Angeles", -480, Rule::Us),
    ("America/Vancouver", -480, Rule::Us),
    ("America/Anchorage", -540, Rule::Us),
    ("America/Halifax", -240, Rule::Us),
    ("America/St_Johns", -210, Rule::Us),
    ("America/Sao_Paulo", -180, Rule::None),
    ("America/Argentina/Buenos_Aires", -180, Rule::None),
    ("America/Bogota", -300, Rule::None),
    ("America/Lima", -300, Rule::None),
    ("America/Caracas", -240, Rule::None),
    ("Pacific/Honolulu", -600, Rule::None),
    ("Europe/London", 0, Rule::Eu),
    ("Europe/Dublin", 0, Rule::Eu),
    ("Europe/Lisbon", 0, Rule::Eu),
    ("Europe/Paris", 60, Rule::Eu),
    ("Europe/Berlin", 60, Rule::Eu),
    ("Europe/Madrid", 60, Rule::Eu),
    ("Europe/Rome", 60, Rule::Eu),
    ("Europe/Amsterdam", 60, Rule::Eu),
    ("Europe/Brussels", 60, Rule::Eu),
    ("Europe/Vienna", 60, Rule::Eu),
    ("Europe/Zurich", 60, Rule::Eu),
    ("Europe/Stockholm", 60, Rule::Eu),
    ("Europe/Oslo", 60, Rule::Eu),
    ("Europe/Copenhagen", 60, Rule::Eu),
    ("Europe/Warsaw", 60, Rule::Eu),
    ("Europe/Prague", 60, Rule::Eu),
    ("Europe/Budapest", 60, Rule::Eu),
    ("Europe/Athens", 120, Rule::Eu),
    ("Europe/Helsinki", 120, Rule::Eu),
    ("Europe/Kiev", 120, Rule::Eu),
    ("Europe/Kyiv", 120, Rule::Eu),
    ("Europe/Bucharest", 120, Rule::Eu),
    ("Europe/Sofia", 120, Rule::Eu),
    ("Europe/Istanbul", 180, Rule::None),
    ("Europe/Moscow", 180, Rule::None),
    ("Africa/Johannesburg", 120, Rule::None),
    ("Africa/Lagos", 60, Rule::None),
    ("Africa/Nairobi", 180, Rule::None),
    ("Asia/Dubai", 240, Rule::None),
    ("Asia/Karachi", 300, Rule::None),
    ("Asia/Kolkata", 330, Rule::None),
    ("Asia/Calcutta", 330, Rule::None),
    ("Asia/Kathmandu", 345, Rule::None),
    ("Asia/Dhaka", 360, Rule::None),
    ("Asia/Bangkok", 420, Rule::None),
    ("Asia/Jakarta", 420, Rule::None),
    ("Asia/Shanghai", 480, Rule::None),
    ("Asia/Hong_Kong", 480, Rule::None),
    ("Asia/Singapore", 480, Rule::None),
    ("Asia/Taipei", 480, Rule::None),
    ("Asia/Manila", 480, Rule::None),
    ("Asia/Tokyo", 540, Rule::None),
    ("Asia/Seoul", 540, Rule::None),
    ("Australia/Perth", 480, Rule::None),
    ("Australia/Darwin", 570, Rule::None),
    ("Australia/Adelaide", 570, Rule::Au),
    ("Australia/Brisbane", 600, Rule::None),
    ("Australia/Sydney", 600, Rule::Au),
    ("Australia/Melbourne", 600, Rule::Au),
    ("Australia/Hobart", 600, Rule::Au),
    ("Pacific/Auckland", 720, Rule::Nz),
    ("CET", 60, Rule::Eu),
    ("EET", 120, Rule::Eu),
    ("WET", 0, Rule::Eu),
];

/// Legacy and `US/…` ids, resolved as Joda resolves them.
const ALIASES: &[(&str, &str)] = &[
    ("EST", "America/New_York"),
    ("EST5EDT", "America/New_York"),
    ("US/Eastern", "America/New_York"),
    ("CST", "America/Chicago"),
    ("CST6CDT", "America/Chicago"),
    ("US/Central", "America/Chicago"),
    ("MST", "America/Denver"),
    ("MST7MDT", "America/Denver"),
    ("US/Mountain", "America/Denver"),
    ("US/Arizona", "America/Phoenix"),
    ("PST", "America/Los_Angeles"),
    ("PST8PDT", "America/Los_Angeles"),
    ("US/Pacific", "America/Los_Angeles"),
    ("US/Alaska", "America/Anchorage"),
    ("HST", "Pacific/Honolulu"),
    ("US/Hawaii", "Pacific/Honolulu"),
    ("IST", "Asia/Kolkata"),
    ("JST", "Asia/Tokyo"),
];

/// The offset of zone `id` at `instant`, or `None` for an unknown zone.
pub(crate) fn offset_at(id: &str, instant: OffsetDateTime) -> Option<UtcOffset> {
    let id = id.trim();
    if let Some(fixed) = fixed_offset(id) {
        return Some(fixed);
    }
    let id = ALIASES
        .iter()
        .find(|(a, _)| a.eq_ignore_ascii_case(id))
        .map_or(id, |&(_, target)| target);
    let &(_, std, rule) = ZONES.iter().find(|(z, _, _)| z.eq_ignore_ascii_case(id))?;
    let dst = in_dst(rule, std, instant);
    UtcOffset::from_whole_seconds((std + if dst { 60 } else { 0 }) * 60).ok()
}

/// `UTC`, `GMT`, `Z`, `+05:30`, `-0400`, `+03`, `UTC+2`, `GMT-03:00`.
fn fixed_offset(id: &str) -> Option<UtcOffset> {
    let upper = id.to_ascii_uppercase();
    let rest = ["ETC/UTC", "ETC/GMT", "UTC", "GMT", "UT"]
        .iter()
        .find_map(|p| upper.strip_prefix(p))
        .unwrap_or(&upper);
    if rest.is_empty() || rest == "Z" {
        return (rest.len() < upper.len() || rest == "Z").then_some(UtcOffset::UTC);
    }
    let (sign, digits) = match rest.as_bytes().first() {
        Some(b'+') => (1, rest.get(1..)?),
        Some(b'-') => (-1, rest.get(1..)?),
        _ => return None,
    };
    let digits = digits.replace(':', "");
    if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m) = match digits.len() {
        1 | 2 => (digits.parse::<i32>().ok()?, 0),
        _ => {
            let split = digits.len() - 2;
            (
                digits.get(..split)?.parse().ok()?,
                digits.get(split..)?.parse().ok()?,
            )
        }
    };
    if h > 18 || m > 59 {
        return None;
    }
    UtcOffset::from_whole_seconds(sign * (h * 3600 + m * 60)).ok()
}

fn nth_sunday(year: i32, month: Month, n: u8) -> Option<Date> {
    let first = Date::from_calendar_date(year, month, 1).ok()?;
    let to_sunday = (7 - first.weekday().number_days_from_sunday()) % 7;
    Date::from_calendar_date(year, month, 1 + to_sunday + 7 * (n - 1)).ok()
}

fn last_sunday(year: i32, month: Month) -> Option<Date> {
    let mut d = nth_sunday(year, month, 4)?;
    while let Some(next) = d.checked_add(time::Duration::days(7))
        && next.month() == month
    {
        d = next;
    }
    Some(d).filter(|d| d.weekday() == Weekday::Sunday)
}

/// The UTC instant of local `date` at `hour`:00 in a zone `offset_min` east of UTC.
fn at(date: Date, hour: u8, offset_min: i32) -> Option<OffsetDateTime> {
    let local = date
        .with_time(Time::from_hms(hour, 0, 0).ok()?)
        .assume_utc();
    local.checked_sub(time::Duration::minutes(i64::from(offset_min)))
}

fn in_dst(rule: Rule, std: i32, t: OffsetDateTime) -> bool {
    let y = t.year();
    let window = |start: Option<OffsetDateTime>, end: Option<OffsetDateTime>, south: bool| match (
        start, end,
    ) {
        (Some(s), Some(e)) if south => t >= s || t < e,
        (Some(s), Some(e)) => t >= s && t < e,
        _ => false,
    };
    match rule {
        Rule::None => false,
        Rule::Us => window(
            nth_sunday(y, Month::March, 2).and_then(|d| at(d, 2, std)),
            nth_sunday(y, Month::November, 1).and_then(|d| at(d, 2, std + 60)),
            false,
        ),
        Rule::Eu => window(
            last_sunday(y, Month::March).and_then(|d| at(d, 1, 0)),
            last_sunday(y, Month::October).and_then(|d| at(d, 1, 0)),
            false,
        ),
        Rule::Au => window(
            nth_sunday(y, Month::October, 1).and_then(|d| at(d, 2, std)),
            nth_sunday(y, Month::April, 1).and_then(|d| at(d, 3, std + 60)),
            true,
        ),
        Rule::Nz => window(
            last_sunday(y, Month::September).and_then(|d| at(d, 2, std)),
            nth_sunday(y, Month::April, 1).and_then(|d| at(d, 3, std + 60)),
            true,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::offset_at;
    use time::macros::datetime;

    fn hours(id: &str, t: time::OffsetDateTime) -> f64 {
        f64::from(offset_at(id, t).unwrap().whole_minutes()) / 60.0
    }

    #[test]
    fn legacy_ids_follow_daylight_saving() {
        assert_eq!(hours("EST", datetime!(2015-07-31 17:18 UTC)), -4.0);
        assert_eq!(hours("EST", datetime!(2015-12-31 17:18 UTC)), -5.0);
        assert_eq!(hours("Europe/Paris", datetime!(2024-07-01 0:00 UTC)), 2.0);
        assert_eq!(hours("Europe/Paris", datetime!(2024-01-01 0:00 UTC)), 1.0);
        assert_eq!(
            hours("Australia/Sydney", datetime!(2024-01-01 0:00 UTC)),
            11.0
        );
        assert_eq!(
            hours("Australia/Sydney", datetime!(2024-07-01 0:00 UTC)),
            10.0
        );
        assert_eq!(hours("Asia/Kolkata", datetime!(2024-07-01 0:00 UTC)), 5.5);
    }

    #[test]
    fn transitions_are_at_the_documented_instants() {
        // 2024: US DST starts 10 March 07:00 UTC in New York, ends 3 November 06:00 UTC.
        assert_eq!(
            hours("America/New_York", datetime!(2024-03-10 6:59 UTC)),
            -5.0
        );
        assert_eq!(
            hours("America/New_York", datetime!(2024-03-10 7:00 UTC)),
            -4.0
        );
        assert_eq!(
            hours("America/New_York", datetime!(2024-11-03 5:59 UTC)),
            -4.0
        );
        assert_eq!(
            hours("America/New_York", datetime!(2024-11-03 6:00 UTC)),
            -5.0
        );
    }

    #[test]
    fn fixed_offsets() {
        let t = datetime!(2024-01-01 0:00 UTC);
        assert_eq!(hours("UTC", t), 0.0);
        assert_eq!(hours("+05:30", t), 5.5);
        assert_eq!(hours("GMT-3", t), -3.0);
        assert_eq!(hours("utc+0200", t), 2.0);
        assert!(offset_at("Mars/Olympus", t).is_none());
        assert!(offset_at("+25", t).is_none());
        assert!(offset_at("", t).is_none());
    }
}
