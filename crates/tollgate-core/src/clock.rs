//! Time as a value: millisecond timestamps and the clock seam that lets tests set the time.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// A UTC instant with millisecond precision, as Okta's API shows it
/// (`2017-08-25T21:15:48.000Z`).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Timestamp(i64);

impl Timestamp {
    /// From milliseconds since the Unix epoch.
    pub const fn from_millis(ms: i64) -> Self {
        Self(ms)
    }

    /// Milliseconds since the Unix epoch.
    pub const fn millis(self) -> i64 {
        self.0
    }

    /// Whole seconds since the Unix epoch (JWT `iat`/`exp`).
    pub const fn unix_seconds(self) -> i64 {
        self.0.div_euclid(1000)
    }

    /// This instant plus `secs` seconds.
    pub const fn plus_seconds(self, secs: i64) -> Self {
        Self(self.0.saturating_add(secs.saturating_mul(1000)))
    }

    /// Parses RFC 3339 text (`2017-08-25T21:15:48.000Z`, any offset).
    pub fn parse(text: &str) -> Option<Self> {
        let dt = OffsetDateTime::parse(text, &Rfc3339).ok()?;
        let ms = dt.unix_timestamp_nanos() / 1_000_000;
        i64::try_from(ms).ok().map(Self)
    }
}

impl fmt::Display for Timestamp {
    /// Okta's wire form: UTC, exactly three fractional digits, `Z`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let nanos = i128::from(self.0) * 1_000_000;
        match OffsetDateTime::from_unix_timestamp_nanos(nanos) {
            Ok(dt) => write!(
                f,
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
                dt.year(),
                u8::from(dt.month()),
                dt.day(),
                dt.hour(),
                dt.minute(),
                dt.second(),
                dt.millisecond()
            ),
            Err(_) => f.write_str("1970-01-01T00:00:00.000Z"),
        }
    }
}

impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Where "now" comes from: the system clock, or a settable one in tests.
#[derive(Clone, Debug, Default)]
pub enum Clock {
    /// The system clock.
    #[default]
    System,
    /// A clock that only moves when told to.
    Fixed(Arc<AtomicI64>),
}

impl Clock {
    /// A settable clock starting at `start`.
    pub fn fixed(start: Timestamp) -> Self {
        Self::Fixed(Arc::new(AtomicI64::new(start.millis())))
    }

    /// The current time.
    pub fn now(&self) -> Timestamp {
        match self {
            Self::System => {
                #[expect(
                    clippy::disallowed_methods,
                    reason = "the one place that reads the system clock"
                )]
                let now = OffsetDateTime::now_utc();
                let ms = now.unix_timestamp_nanos() / 1_000_000;
                Timestamp(i64::try_from(ms).unwrap_or(i64::MAX))
            }
            Self::Fixed(t) => Timestamp(t.load(Ordering::SeqCst)),
        }
    }

    /// Moves a fixed clock forward; no effect on the system clock.
    pub fn advance(&self, secs: i64) {
        if let Self::Fixed(t) = self {
            t.fetch_add(secs.saturating_mul(1000), Ordering::SeqCst);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_okta() {
        let t = Timestamp::parse("2017-08-25T21:15:48Z").unwrap();
        assert_eq!(t.to_string(), "2017-08-25T21:15:48.000Z");
        let t = Timestamp::from_millis(1_503_695_748_123);
        assert_eq!(t.to_string(), "2017-08-25T21:15:48.123Z");
        assert_eq!(Timestamp::parse(&t.to_string()), Some(t));
    }

    #[test]
    fn fixed_clock_moves_only_when_told() {
        let c = Clock::fixed(Timestamp::from_millis(1000));
        assert_eq!(c.now().millis(), 1000);
        c.advance(2);
        assert_eq!(c.now().millis(), 3000);
    }
}
