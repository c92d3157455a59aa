//! ISO-8601 instants as Okta's expression language prints and reads them: UTC with milliseconds and
//! `Z` on output; RFC 3339, other ISO-8601 forms, bare date-times and bare dates on input.

use time::format_description::well_known::{Iso8601, Rfc3339};
use time::macros::format_description;
use time::{Date, OffsetDateTime, PrimitiveDateTime, UtcOffset};

/// `2015-07-31T17:18:37.979Z`.
pub(crate) fn format_iso(t: OffsetDateTime) -> String {
    let fmt =
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");
    t.to_offset(UtcOffset::UTC).format(fmt).unwrap_or_default()
}

/// `2015-07-31T13:30:49.964-04:00`, or `…Z` at offset zero (as Joda prints it).
pub(crate) fn format_iso_offset(t: OffsetDateTime) -> String {
    if t.offset().is_utc() {
        return format_iso(t);
    }
    let fmt = format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3][offset_hour sign:mandatory]:[offset_minute]"
    );
    t.format(fmt).unwrap_or_default()
}

/// An ISO-8601 instant: RFC 3339, other ISO-8601 forms, a date-time without offset (taken as UTC), or
/// a bare date (midnight UTC).
pub(crate) fn parse_iso(s: &str) -> Option<OffsetDateTime> {
    let s = s.trim();
    OffsetDateTime::parse(s, &Rfc3339)
        .or_else(|_| OffsetDateTime::parse(s, &Iso8601::DEFAULT))
        .or_else(|_| {
            PrimitiveDateTime::parse(s, &Iso8601::DEFAULT).map(PrimitiveDateTime::assume_utc)
        })
        .ok()
        .or_else(|| {
            Date::parse(s, format_description!("[year]-[month]-[day]"))
                .ok()
                .map(|d| d.midnight().assume_utc())
        })
}
