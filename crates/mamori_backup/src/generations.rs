//! Generations of a backup destination: the dated folders or archives directly under it
//! (`2026-11-20/`, `emr_20261120.zip`, `令和8年11月20日`), and the repositories of backup software
//! mamori recognises (restic, Borg, Veeam, Windows Server バックアップ).

use jiff::civil::Date;
pub use mamori_model::backup::Repository;

/// The date a folder or file name carries: `YYYY-MM-DD` (or `_`, `.`), `YYYYMMDD`, or
/// `令和N年M月D日`; the first found.
pub fn date_in_name(name: &str) -> Option<Date> {
    reiwa(name).or_else(|| digits(name))
}

fn digits(name: &str) -> Option<Date> {
    let b = name.as_bytes();
    let num = |s: &[u8]| -> Option<i16> { std::str::from_utf8(s).ok()?.parse().ok() };
    for i in 0..b.len() {
        // A run of digits must start here (not inside a longer number).
        if !b[i].is_ascii_digit() || (i > 0 && b[i - 1].is_ascii_digit()) {
            continue;
        }
        let run = b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
        let date = if run == 8 {
            (
                num(&b[i..i + 4]),
                num(&b[i + 4..i + 6]),
                num(&b[i + 6..i + 8]),
            )
        } else if run == 4 && b.len() >= i + 8 && matches!(b[i + 4], b'-' | b'_' | b'.') {
            let sep = b[i + 4];
            let m_len = b[i + 5..].iter().take_while(|c| c.is_ascii_digit()).count();
            let d_at = i + 5 + m_len + 1;
            if !(1..=2).contains(&m_len) || b.get(i + 5 + m_len) != Some(&sep) {
                continue;
            }
            let d_len = b[d_at.min(b.len())..]
                .iter()
                .take_while(|c| c.is_ascii_digit())
                .count();
            if !(1..=2).contains(&d_len) {
                continue;
            }
            (
                num(&b[i..i + 4]),
                num(&b[i + 5..i + 5 + m_len]),
                num(&b[d_at..d_at + d_len]),
            )
        } else {
            continue;
        };
        if let (Some(y), Some(m), Some(d)) = date
            && (1990..=2100).contains(&y)
            && let Ok(date) = Date::new(y, m as i8, d as i8)
        {
            return Some(date);
        }
    }
    None
}

fn reiwa(name: &str) -> Option<Date> {
    let rest = name.split_once("令和")?.1;
    let (year, rest) = rest.split_once('年')?;
    let year: i16 = if year == "元" {
        1
    } else {
        year.trim().parse().ok()?
    };
    let (month, rest) = rest.split_once('月')?;
    let (day, _) = rest.split_once('日')?;
    Date::new(
        2018 + year,
        month.trim().parse().ok()?,
        day.trim().parse().ok()?,
    )
    .ok()
}

/// Recognises a repository from the names directly under its root (files and folders).
pub fn recognise(entries: &[(String, bool)], readme: Option<&str>) -> Option<Repository> {
    let has = |name: &str, dir: bool| entries.iter().any(|(n, d)| n == name && *d == dir);
    if has("config", false) && has("data", true) && has("snapshots", true) && has("keys", true) {
        return Some(Repository::Restic);
    }
    if readme.is_some_and(|r| r.contains("Borg Backup repository")) {
        return Some(Repository::Borg);
    }
    if has("WindowsImageBackup", true) {
        return Some(Repository::WindowsServerBackup);
    }
    let veeam = entries.iter().any(|(n, d)| {
        !d && [".vbk", ".vib", ".vrb"]
            .iter()
            .any(|e| n.to_lowercase().ends_with(e))
    });
    veeam.then_some(Repository::Veeam)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn dates_in_names_as_backups_write_them() {
        assert_eq!(date_in_name("2026-11-20"), Some(date(2026, 11, 20)));
        assert_eq!(
            date_in_name("emr_20261120_0300.zip"),
            Some(date(2026, 11, 20))
        );
        assert_eq!(
            date_in_name("Backup 2026-11-20 030000"),
            Some(date(2026, 11, 20))
        );
        assert_eq!(date_in_name("2026_1_5"), Some(date(2026, 1, 5)));
        assert_eq!(date_in_name("令和8年11月20日"), Some(date(2026, 11, 20)));
        assert_eq!(date_in_name("受付PC"), None);
        assert_eq!(date_in_name("20261399"), None);
        assert_eq!(date_in_name("1234567890123"), None);
    }
}
