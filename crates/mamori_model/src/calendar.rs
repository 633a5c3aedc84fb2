//! Japanese national holidays (国民の祝日), for judging "outside business hours".
//!
//! The rules of the 祝日法 as amended through 2020, for 2000–2099: fixed days, the "Happy
//! Monday" days, the equinoxes by the usual approximation (the Cabinet Office announces them a
//! year ahead; the formula agrees for this century), 振替休日 and 国民の休日. The 2020 and 2021
//! Olympic moves are included. The `jpholiday` crate does this too but needs rustc 1.96.

use jiff::civil::{Date, Weekday};

/// The name of the national holiday on `day`, if it is one.
pub fn national_holiday(day: Date) -> Option<&'static str> {
    base_holiday(day)
        .or_else(|| substitute_holiday(day))
        .or_else(|| citizens_holiday(day))
}

fn nth_monday(year: i16, month: i8, n: i8) -> Date {
    let first = Date::new(year, month, 1).expect("valid month");
    let offset = (7 + 1 - first.weekday().to_monday_one_offset()) % 7;
    first
        .checked_add(jiff::Span::new().days(i64::from(offset + 7 * (n - 1))))
        .expect("in range")
}

fn equinox_day(year: i16, base: f64) -> i8 {
    let y = f64::from(year - 1980);
    (base + 0.242_194 * y - (y / 4.0).floor()).floor() as i8
}

fn base_holiday(day: Date) -> Option<&'static str> {
    let (y, m, d) = (day.year(), day.month(), day.day());
    if !(2000..=2099).contains(&y) {
        return None;
    }
    let is = |month: i8, dd: i8| m == month && d == dd;
    let monday = |month: i8, n: i8| day == nth_monday(y, month, n);
    Some(match () {
        _ if is(1, 1) => "元日",
        _ if monday(1, 2) => "成人の日",
        _ if is(2, 11) => "建国記念の日",
        _ if y >= 2020 && is(2, 23) => "天皇誕生日",
        _ if y <= 2018 && is(12, 23) => "天皇誕生日",
        _ if m == 3 && d == equinox_day(y, 20.8431) => "春分の日",
        _ if is(4, 29) => "昭和の日",
        _ if y == 2019 && (is(4, 30) || is(5, 1) || is(5, 2)) => "即位に伴う休日",
        _ if is(5, 3) => "憲法記念日",
        _ if is(5, 4) => "みどりの日",
        _ if is(5, 5) => "こどもの日",
        _ if y == 2020 && is(7, 23) => "海の日",
        _ if y == 2021 && is(7, 22) => "海の日",
        _ if y != 2020 && y != 2021 && monday(7, 3) => "海の日",
        _ if y == 2020 && is(7, 24) => "スポーツの日",
        _ if y == 2021 && is(7, 23) => "スポーツの日",
        _ if y == 2020 && is(8, 10) => "山の日",
        _ if y == 2021 && is(8, 8) => "山の日",
        _ if y >= 2016 && y != 2020 && y != 2021 && is(8, 11) => "山の日",
        _ if monday(9, 3) => "敬老の日",
        _ if m == 9 && d == equinox_day(y, 23.2488) => "秋分の日",
        _ if y >= 2022 && monday(10, 2) => "スポーツの日",
        _ if y <= 2019 && monday(10, 2) => "体育の日",
        _ if is(11, 3) => "文化の日",
        _ if is(11, 23) => "勤労感謝の日",
        _ => return None,
    })
}

/// 振替休日: a holiday on Sunday moves to the next day that is not a holiday.
fn substitute_holiday(day: Date) -> Option<&'static str> {
    let mut prev = day.yesterday().ok()?;
    while base_holiday(prev).is_some() {
        if prev.weekday() == Weekday::Sunday {
            return Some("振替休日");
        }
        prev = prev.yesterday().ok()?;
    }
    None
}

/// 国民の休日: a weekday between two holidays.
fn citizens_holiday(day: Date) -> Option<&'static str> {
    let before = base_holiday(day.yesterday().ok()?).is_some();
    let after = base_holiday(day.tomorrow().ok()?).is_some();
    (before && after && day.weekday() != Weekday::Sunday).then_some("国民の休日")
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn holidays(year: i16) -> Vec<String> {
        let mut day = date(year, 1, 1);
        let mut out = Vec::new();
        while day.year() == year {
            if let Some(name) = national_holiday(day) {
                out.push(format!("{:02}-{:02} {name}", day.month(), day.day()));
            }
            day = day.tomorrow().unwrap();
        }
        out
    }

    #[test]
    fn official_calendar_2025() {
        assert_eq!(
            holidays(2025),
            [
                "01-01 元日",
                "01-13 成人の日",
                "02-11 建国記念の日",
                "02-23 天皇誕生日",
                "02-24 振替休日",
                "03-20 春分の日",
                "04-29 昭和の日",
                "05-03 憲法記念日",
                "05-04 みどりの日",
                "05-05 こどもの日",
                "05-06 振替休日",
                "07-21 海の日",
                "08-11 山の日",
                "09-15 敬老の日",
                "09-23 秋分の日",
                "10-13 スポーツの日",
                "11-03 文化の日",
                "11-23 勤労感謝の日",
                "11-24 振替休日",
            ]
        );
    }

    #[test]
    fn official_calendar_2026_with_a_citizens_holiday() {
        assert_eq!(
            holidays(2026),
            [
                "01-01 元日",
                "01-12 成人の日",
                "02-11 建国記念の日",
                "02-23 天皇誕生日",
                "03-20 春分の日",
                "04-29 昭和の日",
                "05-03 憲法記念日",
                "05-04 みどりの日",
                "05-05 こどもの日",
                "05-06 振替休日",
                "07-20 海の日",
                "08-11 山の日",
                "09-21 敬老の日",
                "09-22 国民の休日",
                "09-23 秋分の日",
                "10-12 スポーツの日",
                "11-03 文化の日",
                "11-23 勤労感謝の日",
            ]
        );
    }
}
