//! The one clock: what time it is, and what day it is in Japan.
//!
//! Every pipeline takes its "now" from a [`Clock`] instead of asking the system, so that a test
//! (or a report re-run for an inspection day) can fix it, and "today" means the same thing in
//! every command: the date in Asia/Tokyo, whatever the machine's own time zone.

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

/// Japan's time zone. The time zone database is bundled into the binary, so this holds on a
/// clinic PC without tzdata too.
pub fn tokyo() -> TimeZone {
    TimeZone::get("Asia/Tokyo").expect("tzdb is bundled")
}

/// Today in Japan, by the system clock.
pub fn today_in_tokyo() -> Date {
    Clock::system().today()
}

/// Where "now" comes from: the system, or a fixed instant (tests).
#[derive(Clone, Copy, Debug, Default)]
pub struct Clock {
    fixed: Option<Timestamp>,
}

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Self { fixed: None }
    }

    /// A clock that always says `at`.
    pub fn fixed(at: Timestamp) -> Self {
        Self { fixed: Some(at) }
    }

    /// Now.
    pub fn now(&self) -> Timestamp {
        self.fixed.unwrap_or_else(Timestamp::now)
    }

    /// Today in Japan.
    pub fn today(&self) -> Date {
        self.now().to_zoned(tokyo()).date()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_is_the_date_in_japan() {
        // 2026-12-31 16:00 UTC is already New Year's Day in Tokyo.
        let at: Timestamp = "2026-12-31T16:00:00Z".parse().unwrap();
        assert_eq!(Clock::fixed(at).today(), jiff::civil::date(2027, 1, 1));
        let at: Timestamp = "2026-12-31T14:59:59Z".parse().unwrap();
        assert_eq!(Clock::fixed(at).today(), jiff::civil::date(2026, 12, 31));
    }
}
