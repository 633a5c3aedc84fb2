//! `log.off-hours-logon`: a successful remote logon (VPN, RDP, admin GUI, SSH) outside the
//! site's business hours, on a closed day (weekend, the 年末年始 window, the site's own closed
//! days). In the Japanese hospital incidents the attackers worked nights and holidays, when
//! nobody was watching. Times are judged in Asia/Tokyo.
//!
//! National holidays (祝日) count as closed unless `[closures] national_holidays = false`.

use std::collections::BTreeMap;

use jiff::tz::TimeZone;
use mamori_model::event::{EventKind, Outcome};
use mamori_model::evidence::Entities;

use crate::collect::Repeated;
use mamori_model::site::SiteConfig;
use mamori_model::{Finding, Localized, Severity, Subject, SubjectKind};

use super::window::{evidence_of, top_values, total};
use super::{HuntConfig, LogRule, MAX_SOURCES, Text};

pub const RULE: LogRule = LogRule {
    info: mamori_model::RuleInfo {
        id: "log.off-hours-logon",
        default_severity: Severity::Medium,
        title: Text {
            ja: "業務時間外・休業日のリモートログオン",
            en: "Remote logon outside business hours",
        },
        rationale: Text {
            ja: "国内の病院の被害では、攻撃者は夜間や休日に VPN から侵入し、数日かけて準備していました。休業中のログオンは本人と用件を確認すべきです。",
            en: "In the Japanese hospital cases the attackers came in over VPN at night and on holidays and prepared for days; logons while closed should be confirmed with the person.",
        },
        remediation: Text {
            ja: "本人・保守事業者に、その時間に接続したか確認してください。心当たりがなければアカウントを停止し、パスワードを変更して、接続後の操作をログで確認してください。",
            en: "Ask the person or vendor whether they connected at that time; if not, disable the account, change its password and review what was done.",
        },
        measures: &["detect.log-review", "holiday.after-log-review"],
        checklist: &["access-log"],
    },
    reads: &[EventKind::Logon],
    window: super::no_window,
    fires_when: "successful RDP, VPN, admin-GUI or SSH logon outside business hours, on a non-business day, on a 祝日 (national holiday, incl. 振替休日 and 国民の休日), in the 年末年始 window (high) or on the site's closed days",
    default: |_| "site.toml `[hours]`, `[closures]`".into(),
    why_default: "the attacks in Japanese hospitals ran at night and on holidays",
    run,
};

/// Why the site was closed, in Japanese and English.
type ClosedReason = (&'static str, &'static str);

/// Why a moment is outside business hours, or `None` when the site is open.
fn closed_reason(site: &SiteConfig, when: &jiff::Zoned) -> Option<ClosedReason> {
    let day = when.date();
    if let Some((start, end)) = site.closures.current_or_next_year_end(day)
        && day >= start
        && day <= end
    {
        return Some(("年末年始", "year-end closure"));
    }
    if site.closures.extra_days.contains(&day) {
        return Some(("休業日", "closed day"));
    }
    if site.closures.national_holidays && mamori_model::calendar::national_holiday(day).is_some() {
        return Some(("祝日", "national holiday"));
    }
    if !site.hours.days.contains(&day.weekday()) {
        return Some(("休診日", "non-business day"));
    }
    let t = when.time();
    if t < site.hours.open || t >= site.hours.close {
        return Some(("業務時間外", "outside business hours"));
    }
    None
}

fn run(events: &[&Repeated], cfg: &HuntConfig, rule: &LogRule) -> Vec<Finding> {
    let tz = TimeZone::get("Asia/Tokyo").expect("tzdb is bundled");
    let mut by_user: BTreeMap<String, Vec<(&Repeated, ClosedReason)>> = BTreeMap::new();
    for e in events.iter().copied().filter(|e| {
        e.kind == EventKind::Logon
            && e.outcome == Outcome::Success
            && e.method.is_some_and(|m| m.is_remote_access())
            && !e.user.is_empty()
    }) {
        let Some(time) = e.time else { continue };
        if let Some(reason) = closed_reason(&cfg.site, &time.to_zoned(tz.clone())) {
            by_user
                .entry(e.user.to_lowercase())
                .or_default()
                .push((e, reason));
        }
    }
    by_user
        .into_iter()
        .map(|(user, hits)| {
            let list: Vec<&Repeated> = hits.iter().map(|(e, _)| *e).collect();
            let year_end = hits.iter().any(|(_, r)| r.0 == "年末年始");
            let severity = if year_end { Severity::High } else { rule.default_severity };
            let sources = top_values(&list, 10, |e| e.source_key());
            let first = list
                .iter()
                .filter_map(|e| e.time)
                .min()
                .map(|t| t.to_zoned(tz.clone()).strftime("%Y-%m-%d %H:%M").to_string())
                .unwrap_or_default();
            let (why_ja, why_en) = hits[0].1;
            let count = total(&list);
            let evidence = evidence_of(&list, count, MAX_SOURCES)
            .with_entities(Entities { account: Some(user.clone()), sources: Some(sources.clone()), ..Entities::default() })
                .fact("year_end", year_end)
                .fact("methods", top_values(&list, 5, |e| e.method.map(|m| m.as_str().to_owned()).unwrap_or_default()));
            let message = Localized::new(
                format!("{user} が業務時間外・休業日に {} 回リモートログオンしています（初回 {first}、{why_ja}）。接続元: {}", count, sources.join(", ")),
                format!("{user} logged on remotely {} times while the site was closed (first {first}, {why_en}); from {}", count, sources.join(", ")),
            );
            let subject = Subject::new(SubjectKind::Account, format!("log/{user}"), user.clone());
            rule.finding(subject, severity, message, evidence)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn at(y: i16, m: i8, d: i8, h: i8) -> jiff::Zoned {
        date(y, m, d)
            .at(h, 0, 0, 0)
            .to_zoned(TimeZone::get("Asia/Tokyo").unwrap())
            .unwrap()
    }

    #[test]
    fn closed_reasons() {
        let site = SiteConfig::default();
        assert_eq!(
            closed_reason(&site, &at(2026, 11, 20, 10)),
            None,
            "a Friday morning"
        );
        assert_eq!(
            closed_reason(&site, &at(2026, 11, 20, 20)).unwrap().0,
            "業務時間外"
        );
        assert_eq!(
            closed_reason(&site, &at(2026, 11, 21, 10)).unwrap().0,
            "休診日",
            "Saturday"
        );
        assert_eq!(
            closed_reason(&site, &at(2026, 9, 22, 10)).unwrap().0,
            "祝日",
            "国民の休日"
        );
        assert_eq!(
            closed_reason(&site, &at(2026, 12, 30, 10)).unwrap().0,
            "年末年始"
        );
        let mut open_on_holidays = SiteConfig::default();
        open_on_holidays.closures.national_holidays = false;
        assert_eq!(closed_reason(&open_on_holidays, &at(2026, 9, 22, 10)), None);
    }
}
