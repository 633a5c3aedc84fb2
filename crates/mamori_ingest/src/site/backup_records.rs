//! Typed records of the backup tables: バックアップ台帳, 復元訓練記録, BCP一覧.

use mamori_model::Localized;
use mamori_model::backup::{BackupJob, BcpPlan, DestinationKind, RestoreDrill};

use super::row::Row;
use crate::value::{normalize, parse_bool};

/// One row of バックアップ台帳.
pub fn backup(row: &mut Row) -> BackupJob {
    BackupJob {
        system: normalize(&row.required("system")),
        data: row.text("data"),
        destination: row.text("destination"),
        destination_kind: row.parse("destination_kind", parse_destination, || {
            Localized::new(
                "保存先の種類として読めません（NAS、サーバ、外付けHDD、テープ、クラウド、その他）",
                "unknown destination kind (NAS, server, external disk, tape, cloud, other)",
            )
        }),
        method: row.text("method"),
        every_days: row.parse("every", parse_every, || {
            Localized::new(
                "頻度として読めません（毎日、毎週、毎月、または「3日」のような日数）",
                "not a schedule (daily, weekly, monthly, or a number of days)",
            )
        }),
        generations: row.parse("generations", parse_count, || {
            Localized::new(
                "世代数として読めません（「7」や「7世代」）",
                "not a number of generations",
            )
        }),
        offline_copy: row.bool("offline_copy"),
        offline_how: row.text("offline_how"),
        separate_credentials: row.bool("separate_credentials"),
        last_success: row.past_date("last_success"),
        last_restore_test: row.past_date("last_restore_test"),
        restore_succeeded: row.parse("restore_result", parse_result, result_expected),
        restore_minutes: row.parse("restore_minutes", parse_minutes, minutes_expected),
        origin: row.origin(),
        unknown: row.take_unknown(),
    }
}

/// One row of 復元訓練記録.
pub fn restore_drill(row: &mut Row) -> RestoreDrill {
    RestoreDrill {
        date: row.past_date("date"),
        system: normalize(&row.required("system")),
        restored: row.text("restored"),
        minutes: row.parse("minutes", parse_minutes, minutes_expected),
        succeeded: row.parse("result", parse_result, result_expected),
        by: row.text("by"),
        origin: row.origin(),
        unknown: row.take_unknown(),
    }
}

/// One row of BCP一覧.
pub fn bcp(row: &mut Row) -> BcpPlan {
    BcpPlan {
        system: normalize(&row.required("system")),
        priority: row.parse("priority", parse_count, || {
            Localized::new(
                "順位として読めません（1、2、3…）",
                "not a priority (1, 2, 3…)",
            )
        }),
        rto_hours: row.parse("rto", parse_hours, || {
            Localized::new(
                "目標復旧時間として読めません（「24時間」「3日」「4h」のように）",
                "not a target restore time (24時間, 3日, 4h)",
            )
        }),
        downtime_procedure: row.text("downtime_procedure"),
        kept_at: row.text("kept_at"),
        last_exercise: row.past_date("last_exercise"),
        exercise_succeeded: row.parse("exercise_result", parse_result, result_expected),
        last_review: row.past_date("last_review"),
        origin: row.origin(),
        unknown: row.take_unknown(),
    }
}

fn result_expected() -> Localized {
    Localized::new(
        "結果として読めません（成功・失敗、○・×）",
        "not a result (成功/success, 失敗/failure)",
    )
}

fn minutes_expected() -> Localized {
    Localized::new(
        "時間として読めません（「90分」「2時間」「1.5時間」のように）",
        "not a duration (90分, 2時間, 90 min, 2 h)",
    )
}

fn parse_destination(s: &str) -> Option<DestinationKind> {
    let s = s.to_lowercase();
    Some(match s.as_str() {
        "nas" | "ナス" => DestinationKind::Nas,
        "サーバ" | "サーバー" | "共有フォルダ" | "ファイルサーバ" | "server" | "share" => {
            DestinationKind::Server
        }
        "外付けhdd"
        | "外付けディスク"
        | "外付けハードディスク"
        | "usb hdd"
        | "usbhdd"
        | "rdx"
        | "external disk" => DestinationKind::ExternalDisk,
        "テープ" | "lto" | "tape" => DestinationKind::Tape,
        "クラウド" | "cloud" | "s3" | "azure" => DestinationKind::Cloud,
        "その他" | "other" => DestinationKind::Other,
        _ => return None,
    })
}

/// 毎日 → 1, 毎週 → 7, 毎月 → 31, 「3日」 → 3; 平日毎日 allows a weekend (3).
fn parse_every(s: &str) -> Option<i64> {
    let s = s.to_lowercase();
    Some(match s.as_str() {
        "毎日" | "日次" | "daily" | "毎時" | "hourly" | "1日" => 1,
        "平日" | "平日毎日" | "営業日" => 3,
        "毎週" | "週次" | "週1" | "週1回" | "weekly" => 7,
        "毎月" | "月次" | "月1" | "月1回" | "monthly" => 31,
        other => {
            let n = other.trim_end_matches("日ごと").trim_end_matches('日');
            return n.parse::<i64>().ok().filter(|n| (1..=366).contains(n));
        }
    })
}

fn parse_count(s: &str) -> Option<i64> {
    s.trim_end_matches("世代")
        .trim_end_matches('位')
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|n| (0..=100_000).contains(n))
}

fn parse_result(s: &str) -> Option<bool> {
    match s.to_lowercase().as_str() {
        "成功" | "ok" | "正常" | "問題なし" | "success" => Some(true),
        "失敗" | "ng" | "異常" | "failure" | "failed" => Some(false),
        other => parse_bool(other),
    }
}

/// 「90分」「2時間」「1.5時間」「90 min」「2 h」, or a plain number of minutes.
fn parse_minutes(s: &str) -> Option<i64> {
    let s = s.to_lowercase().replace(' ', "");
    let (number, per) = if let Some(n) = s.strip_suffix("時間").or(s.strip_suffix('h')) {
        (n, 60.0)
    } else if let Some(n) = s.strip_suffix('分').or(s.strip_suffix("min")) {
        (n, 1.0)
    } else {
        (s.as_str(), 1.0)
    };
    let minutes = number.parse::<f64>().ok()? * per;
    (minutes.is_finite() && (0.0..=1_000_000.0).contains(&minutes)).then(|| minutes.round() as i64)
}

/// 「24時間」「3日」「4h」, or a plain number of hours.
fn parse_hours(s: &str) -> Option<i64> {
    let s = s.to_lowercase().replace(' ', "");
    let (number, per) = if let Some(n) = s.strip_suffix('日') {
        (n, 24.0)
    } else if let Some(n) = s.strip_suffix("時間").or(s.strip_suffix('h')) {
        (n, 1.0)
    } else {
        (s.as_str(), 1.0)
    };
    let hours = number.parse::<f64>().ok()? * per;
    (hours.is_finite() && (0.0..=100_000.0).contains(&hours)).then(|| hours.round() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_schedules_as_people_write_them() {
        assert_eq!(parse_minutes("90分"), Some(90));
        assert_eq!(parse_minutes("1.5時間"), Some(90));
        assert_eq!(parse_minutes("2 h"), Some(120));
        assert_eq!(parse_minutes("すぐ"), None);
        assert_eq!(parse_hours("3日"), Some(72));
        assert_eq!(parse_hours("24時間"), Some(24));
        assert_eq!(parse_every("毎週"), Some(7));
        assert_eq!(parse_every("3日"), Some(3));
        assert_eq!(parse_every("400日"), None);
        assert_eq!(parse_result("失敗"), Some(false));
        assert_eq!(parse_result("○"), Some(true));
        assert_eq!(
            parse_destination("外付けHDD"),
            Some(DestinationKind::ExternalDisk)
        );
    }
}
