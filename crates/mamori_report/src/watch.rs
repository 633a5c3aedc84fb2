//! `mamori watch`'s output: one line per alert (for people, in local time, or one JSON object),
//! and what a run did.

use jiff::Timestamp;
use mamori_model::{Finding, Lang};

use crate::local_time;

/// One alert as a line: `2026-12-30 02:10 [高] …` or `{"at":…,"finding":…}`.
pub fn render_alert(at: Timestamp, finding: &Finding, json: bool, lang: Lang) -> String {
    if json {
        return serde_json::json!({"at": at, "finding": finding}).to_string() + "\n";
    }
    format!(
        "{} [{}] {}\n",
        local_time(at),
        finding.severity.label(lang),
        finding.message.get(lang)
    )
}

/// What a run of the receiver did, for the person who stopped it.
pub struct WatchSummary {
    /// Messages received (and archived).
    pub received: u64,
    /// Of those, of no format mamori reads.
    pub unrecognised: u64,
    /// Cut at the length limit.
    pub cut: u64,
    /// Alerts raised.
    pub alerts: u64,
    /// Connections closed at once at the limit.
    pub refused: u64,
    /// Senders not on the allow-list.
    pub denied: u64,
    /// Archive write errors.
    pub archive_errors: u64,
}

/// `受信 1,234 件（形式不明 5、切り詰め 0）、アラート 2 件、…`.
pub fn render_watch_summary(s: &WatchSummary, lang: Lang) -> String {
    match lang {
        Lang::Ja => format!(
            "mamori watch を終了しました: 受信 {} 件（形式不明 {}、切り詰め {}）、アラート {} 件、上限で断った接続 {}、許可外の送信元 {}、保存の失敗 {}",
            s.received, s.unrecognised, s.cut, s.alerts, s.refused, s.denied, s.archive_errors
        ),
        Lang::En => format!(
            "mamori watch stopped: {} messages received ({} of unknown format, {} cut), {} alerts, {} connections refused at the limit, {} from senders not allowed, {} archive errors",
            s.received, s.unrecognised, s.cut, s.alerts, s.refused, s.denied, s.archive_errors
        ),
    }
}
