//! Cell values as people type them in Japanese spreadsheets.
//!
//! Each parser takes a trimmed, non-empty cell and returns `None` when it cannot read it; the
//! caller turns that into an error naming the file, row and column.

use jiff::civil::{Date, Time, Weekday};

/// Folds full-width ASCII (ＡＢＣ１２３, the ideographic space) to half-width and trims.
/// Japanese IMEs produce full-width digits and letters; they mean the same thing.
pub fn normalize(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .collect::<String>()
        .trim()
        .to_owned()
}

/// yes/no, true/false, 1/0, はい/いいえ, 有/無, あり/なし, ○/×, 有効/無効, 済/未.
pub fn parse_bool(raw: &str) -> Option<bool> {
    let s = normalize(raw).to_lowercase();
    Some(match s.as_str() {
        "yes" | "y" | "true" | "t" | "1" | "はい" | "有" | "あり" | "有り" | "○" | "◯" | "〇"
        | "✓" | "有効" | "済" | "済み" | "on" => true,
        "no" | "n" | "false" | "f" | "0" | "いいえ" | "無" | "なし" | "無し" | "×" | "✕" | "x"
        | "無効" | "未" | "off" | "-" => false,
        _ => return None,
    })
}

/// 2026-04-01, 2026/4/1, 2026.4.1, 2026年4月1日, 令和8年4月1日 (also 令和元年, R8.4.1, H31/4/30),
/// optionally followed by a time, which is ignored.
pub fn parse_date(raw: &str) -> Option<Date> {
    read_date(raw).ok()
}

/// Why a cell is not a date.
#[derive(Debug, PartialEq, Eq)]
pub enum DateError {
    /// Not a date in any form mamori knows.
    Unreadable,
    /// A Japanese era date outside its era (平成40年, 昭和70年, 令和元年1月1日).
    OutsideEra,
}

/// [`parse_date`], saying why not.
pub fn read_date(raw: &str) -> Result<Date, DateError> {
    let s = normalize(raw);
    // Drop a trailing time: "2026/4/1 9:00", "2026-04-01T09:00:00".
    let s = s.split(['T', ' ']).next().unwrap_or("");
    let (era, rest) = split_era(s);
    let nums: Vec<&str> = rest
        .split(['-', '/', '.', '年', '月', '日'])
        .filter(|p| !p.is_empty())
        .collect();
    if nums.len() != 3 {
        return Err(DateError::Unreadable);
    }
    let year_part = nums[0];
    let number = |s: &str| s.parse::<i16>().map_err(|_| DateError::Unreadable);
    let year: i16 = match era {
        Some(era) => {
            let n: i16 = if year_part == "元" {
                1
            } else {
                number(year_part)?
            };
            if !(1..=99).contains(&n) {
                return Err(DateError::OutsideEra);
            }
            era.first.year() + n - 1
        }
        None if year_part.len() == 4 => number(year_part)?,
        None => return Err(DateError::Unreadable),
    };
    let small = |s: &str| s.parse::<i8>().map_err(|_| DateError::Unreadable);
    let date =
        Date::new(year, small(nums[1])?, small(nums[2])?).map_err(|_| DateError::Unreadable)?;
    match era {
        Some(era) if date < era.first || era.last.is_some_and(|last| date > last) => {
            Err(DateError::OutsideEra)
        }
        _ => Ok(date),
    }
}

/// A Japanese era: its first and last day.
#[derive(Clone, Copy)]
struct Era {
    first: Date,
    last: Option<Date>,
}

const REIWA: Era = Era {
    first: jiff::civil::date(2019, 5, 1),
    last: None,
};
const HEISEI: Era = Era {
    first: jiff::civil::date(1989, 1, 8),
    last: Some(jiff::civil::date(2019, 4, 30)),
};
const SHOWA: Era = Era {
    first: jiff::civil::date(1926, 12, 25),
    last: Some(jiff::civil::date(1989, 1, 7)),
};

/// Splits a Japanese era prefix off a date.
fn split_era(s: &str) -> (Option<Era>, &str) {
    const ERAS: &[(&str, Era)] = &[
        ("令和", REIWA),
        ("平成", HEISEI),
        ("昭和", SHOWA),
        ("R", REIWA),
        ("H", HEISEI),
        ("S", SHOWA),
        ("r", REIWA),
        ("h", HEISEI),
        ("s", SHOWA),
    ];
    for (prefix, era) in ERAS {
        if let Some(rest) = s.strip_prefix(prefix) {
            return (Some(*era), rest);
        }
    }
    (None, s)
}

/// 08:30, 8:30, 8時30分.
pub fn parse_time(raw: &str) -> Option<Time> {
    let s = normalize(raw);
    let parts: Vec<&str> = s
        .split([':', '時', '分'])
        .filter(|p| !p.is_empty())
        .collect();
    let (h, m) = match parts.as_slice() {
        [h] => (h.parse().ok()?, 0),
        [h, m] => (h.parse().ok()?, m.parse().ok()?),
        _ => return None,
    };
    if h == 24 && m == 0 {
        return Some(Time::constant(23, 59, 59, 999_999_999));
    }
    Time::new(h, m, 0, 0).ok()
}

/// mon…sun, monday…, 月…日, 月曜日….
pub fn parse_weekday(raw: &str) -> Option<Weekday> {
    let s = normalize(raw).to_lowercase();
    let s = s.trim_end_matches("曜日").trim_end_matches("曜");
    Some(match s {
        "mon" | "monday" | "月" => Weekday::Monday,
        "tue" | "tuesday" | "火" => Weekday::Tuesday,
        "wed" | "wednesday" | "水" => Weekday::Wednesday,
        "thu" | "thursday" | "木" => Weekday::Thursday,
        "fri" | "friday" | "金" => Weekday::Friday,
        "sat" | "saturday" | "土" => Weekday::Saturday,
        "sun" | "sunday" | "日" => Weekday::Sunday,
        _ => return None,
    })
}

/// "12-29", "12/29", "12月29日" as (month, day).
pub fn parse_month_day(raw: &str) -> Option<(i8, i8)> {
    let s = normalize(raw);
    let parts: Vec<&str> = s
        .split(['-', '/', '月', '日'])
        .filter(|p| !p.is_empty())
        .collect();
    let [m, d] = parts.as_slice() else {
        return None;
    };
    let (m, d): (i8, i8) = (m.parse().ok()?, d.parse().ok()?);
    // 2024 is a leap year, so 2/29 is accepted.
    Date::new(2024, m, d).ok().map(|_| (m, d))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn booleans_in_both_languages() {
        for yes in [
            "yes",
            "TRUE",
            "1",
            "はい",
            "有",
            "○",
            "〇",
            "有効",
            "ｙｅｓ",
        ] {
            assert_eq!(parse_bool(yes), Some(true), "{yes}");
        }
        for no in ["no", "False", "0", "いいえ", "無", "×", "無効", "なし"] {
            assert_eq!(parse_bool(no), Some(false), "{no}");
        }
        assert_eq!(parse_bool("たぶん"), None);
    }

    #[test]
    fn dates_western_and_japanese_era() {
        let d = date(2026, 4, 1);
        for s in [
            "2026-04-01",
            "2026/4/1",
            "2026.4.1",
            "2026年4月1日",
            "令和8年4月1日",
            "R8.4.1",
            "２０２６/４/１",
            "2026/4/1 9:00",
            "2026-04-01T09:00:00",
        ] {
            assert_eq!(parse_date(s), Some(d), "{s}");
        }
        assert_eq!(parse_date("令和元年5月1日"), Some(date(2019, 5, 1)));
        assert_eq!(parse_date("平成31年4月30日"), Some(date(2019, 4, 30)));
        for bad in [
            "2026/13/1",
            "2026/2/30",
            "26/4/1",
            "昨日",
            "2026/4",
            "令和0年1月1日",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn times_weekdays_month_days() {
        assert_eq!(parse_time("8:30"), Some(Time::constant(8, 30, 0, 0)));
        assert_eq!(parse_time("17時"), Some(Time::constant(17, 0, 0, 0)));
        assert_eq!(parse_time("25:00"), None);
        assert_eq!(parse_weekday("月曜日"), Some(Weekday::Monday));
        assert_eq!(parse_weekday("Sat"), Some(Weekday::Saturday));
        assert_eq!(parse_month_day("12月29日"), Some((12, 29)));
        assert_eq!(parse_month_day("1-3"), Some((1, 3)));
        assert_eq!(parse_month_day("2/30"), None);
    }
}
