//! The `net.*` rules over a [`TrafficSummary`]: traffic to listed domains and addresses,
//! beaconing, and destinations first seen over the year-end closure.

use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;

use mamori_model::evidence::Entities;
use mamori_model::{Evidence, Finding, Localized, RuleInfo, Severity, Subject, SubjectKind, Text};
use mamori_vuln::blocklist::registrable_domain;

use super::{Destination, PairStats, RecordKind, TrafficSummary, minute_time};
use crate::detect::HuntConfig;

/// A rule over traffic.
pub struct TrafficRule {
    /// Id, texts, measures.
    pub info: RuleInfo,
    /// Findings over the summary.
    pub run: fn(&TrafficSummary, &HuntConfig) -> Vec<Finding>,
}

/// Every traffic rule.
pub static TRAFFIC_RULES: &[&TrafficRule] = &[
    &BLOCKLISTED_DOMAIN,
    &BLOCKLISTED_IP,
    &BEACONING,
    &NEW_DESTINATION_AFTER_HOLIDAY,
];

/// Runs every traffic rule.
pub fn detect_traffic(summary: &TrafficSummary, config: &HuntConfig) -> Vec<Finding> {
    if summary.is_empty() {
        return Vec::new();
    }
    TRAFFIC_RULES
        .iter()
        .flat_map(|r| (r.run)(summary, config))
        .collect()
}

const MEASURES: &[&str] = &["detect.traffic-monitoring"];

fn time_text(t: Option<jiff::Timestamp>) -> String {
    crate::detect::local_time(t)
}

/// `net.blocklisted-domain`: an internal host looked up or requested a listed name.
pub static BLOCKLISTED_DOMAIN: TrafficRule = TrafficRule {
    info: RuleInfo {
        id: "net.blocklisted-domain",
        default_severity: Severity::High,
        title: Text {
            ja: "ブロックリストに載ったドメインへの通信",
            en: "Traffic to a blocklisted domain",
        },
        rationale: Text {
            ja: "ランサムウェアの運営者やマルウェアの配布元・指令サーバーとして公開されているドメインに院内の端末が問い合わせていれば、その端末がすでに感染しているか、攻撃者に誘導されています。",
            en: "An internal host looking up a domain published as a ransomware operator's, a malware distributor's or a command server means it is infected or has been lured.",
        },
        remediation: Text {
            ja: "その端末をネットワークから外し（電源は切らずに）、いつ・どのドメインに通信したかを保全して、システム管理者・保守事業者に連絡してください。同じドメインへの通信がほかの端末にもないか確かめ、プロキシやファイアウォールでそのドメインを遮断してください。",
            en: "Disconnect the host (leave it on), keep the record of when and where it connected, and call the administrator and the vendor. Check other hosts for the same domain and block it at the proxy or firewall.",
        },
        measures: MEASURES,
        checklist: &[],
    },
    run: blocklisted_domain,
};

/// The names of one listed entry a host reached, with their traffic.
type Listed<'a> = Vec<(&'a str, &'a PairStats)>;

fn blocklisted_domain(summary: &TrafficSummary, config: &HuntConfig) -> Vec<Finding> {
    let intel = &config.intel;
    if intel.lists.is_empty() {
        return Vec::new();
    }
    // Each distinct name is looked up once, however many hosts asked for it.
    let mut verdicts: BTreeMap<&str, Option<mamori_vuln::blocklist::Hit>> = BTreeMap::new();
    let mut found: BTreeMap<(Option<IpAddr>, String), Listed<'_>> = BTreeMap::new();
    for ((client, dest), stats) in &summary.pairs {
        let Destination::Name(name) = dest else {
            continue;
        };
        let hit = verdicts
            .entry(name.as_str())
            .or_insert_with(|| intel.match_domain(name).into_iter().next());
        if let Some(hit) = hit {
            found
                .entry((*client, hit.entry.clone()))
                .or_default()
                .push((name.as_str(), stats));
        }
    }
    found
        .into_iter()
        .map(|((client, entry), names)| {
            let hit = verdicts[names[0].0].clone().expect("found above");
            listed_finding(&BLOCKLISTED_DOMAIN, client, &entry, &hit.list, &names)
        })
        .collect()
}

/// `net.blocklisted-ip`: traffic with a listed address (either way).
pub static BLOCKLISTED_IP: TrafficRule = TrafficRule {
    info: RuleInfo {
        id: "net.blocklisted-ip",
        default_severity: Severity::High,
        title: Text {
            ja: "ブロックリストに載った IP アドレスとの通信",
            en: "Traffic with a blocklisted IP address",
        },
        rationale: Text {
            ja: "攻撃に使われている IP アドレスと院内の端末が通信していれば、感染や侵入の疑いがあります。公開サーバーへのアクセス元として現れたときは、攻撃者がそのサーバーを探っています。",
            en: "An internal host talking to an address used in attacks suggests an infection or intrusion; as a visitor of a public server, an attacker probing it.",
        },
        remediation: Text {
            ja: "その端末をネットワークから外し（電源は切らずに）、通信の記録を保全してシステム管理者・保守事業者に連絡してください。ファイアウォールでそのアドレスを遮断してください。",
            en: "Disconnect the host (leave it on), keep the records, call the administrator and the vendor, and block the address at the firewall.",
        },
        measures: MEASURES,
        checklist: &[],
    },
    run: blocklisted_ip,
};

fn blocklisted_ip(summary: &TrafficSummary, config: &HuntConfig) -> Vec<Finding> {
    let intel = &config.intel;
    if intel.lists.is_empty() {
        return Vec::new();
    }
    let mut found = Vec::new();
    let mut keys: Vec<_> = summary.pairs.keys().collect();
    keys.sort();
    for key in keys {
        let (client, Destination::Address(addr)) = key else {
            continue;
        };
        let Some(hit) = intel.match_address(*addr).into_iter().next() else {
            continue;
        };
        let stats = &summary.pairs[key];
        let text = addr.to_string();
        found.push(listed_finding(
            &BLOCKLISTED_IP,
            *client,
            &text,
            &hit.list,
            &[(&text, stats)],
        ));
    }
    found
}

fn listed_finding(
    rule: &TrafficRule,
    client: Option<IpAddr>,
    entry: &str,
    list: &str,
    names: &[(&str, &PairStats)],
) -> Finding {
    let count: u64 = names.iter().map(|(_, s)| s.count).sum();
    let first = names.iter().filter_map(|(_, s)| s.first()).min();
    let last = names.iter().filter_map(|(_, s)| s.last()).max();
    let shown: Vec<&str> = names.iter().map(|(n, _)| *n).take(10).collect();
    // `cdn.evil.example (evil.example)`, or the entry alone when it is what was reached.
    let reached = if shown == [entry] {
        entry.to_owned()
    } else {
        format!("{entry}（{}）", shown.join("、"))
    };
    let reached_en = if shown == [entry] {
        entry.to_owned()
    } else {
        format!("{entry} ({})", shown.join(", "))
    };
    let who = client.map_or_else(|| "?".to_owned(), |c| c.to_string());
    let (from, to) = (time_text(first), time_text(last));
    let message = if names
        .first()
        .is_some_and(|(_, s)| s.inbound && client.is_none())
    {
        Localized::new(
            format!(
                "ブロックリスト「{list}」に載った {entry} が、このサーバーに {count} 回アクセスしていました（{from} 〜 {to}）"
            ),
            format!(
                "{entry}, on the blocklist \"{list}\", accessed this server {count} times ({from} to {to})"
            ),
        )
    } else {
        Localized::new(
            format!(
                "{who} が、ブロックリスト「{list}」に載った {reached} と {count} 回通信していました（{from} 〜 {to}）"
            ),
            format!(
                "{who} reached {reached_en}, on the blocklist \"{list}\", {count} times ({from} to {to})"
            ),
        )
    };
    let mut evidence = Evidence::default()
        .fact("entry", entry.to_owned())
        .fact("list", list.to_owned())
        .fact(
            "destinations",
            shown.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>(),
        )
        .with_entities(Entities {
            host: client.map(|c| c.to_string()),
            ..Entities::default()
        });
    evidence.count = Some(count);
    evidence.first_seen = first;
    evidence.last_seen = last;
    evidence.sources = names
        .iter()
        .map(|(_, s)| s.origin.clone())
        .take(5)
        .collect();
    let subject = Subject::new(SubjectKind::Host, format!("{who}/{entry}"), who.clone());
    rule.info
        .finding(subject, rule.info.default_severity, message, evidence)
}

/// `net.beaconing`: one host, one external destination, a steady interval for hours.
pub static BEACONING: TrafficRule = TrafficRule {
    info: RuleInfo {
        id: "net.beaconing",
        default_severity: Severity::Medium,
        title: Text {
            ja: "一定間隔で繰り返す外部への通信（ビーコン）",
            en: "Regular outbound connections (beaconing)",
        },
        rationale: Text {
            ja: "乗っ取られた端末は、攻撃者の指令サーバーに決まった間隔で接続して指示を待ちます。人が使う通信は不規則なので、何時間も同じ間隔で同じ相手に通信し続けるのは不自然です。",
            en: "A compromised host calls its command server at a fixed interval to wait for orders; people's traffic is irregular, so hours of the same interval to one destination stand out.",
        },
        remediation: Text {
            ja: "通信先が何か（更新サービス、監視装置、保守事業者の装置など）を確かめてください。心当たりがなければ、その端末をネットワークから外し（電源は切らずに）、システム管理者・保守事業者に連絡してください。",
            en: "Find out what the destination is (an update service, a monitor, the vendor's device). If unexplained, disconnect the host (leave it on) and call the administrator and the vendor.",
        },
        measures: MEASURES,
        checklist: &[],
    },
    run: beaconing,
};

/// Minutes with traffic before a rhythm counts, and the hours it must span.
const BEACON_MIN_MINUTES: usize = 12;
const BEACON_MIN_HOURS: u32 = 2;
/// The largest spread of the intervals around their median (median absolute deviation over
/// the median) still called regular.
const BEACON_MAX_JITTER: f64 = 0.2;

/// Services that check in on a schedule by design: their rhythm is no sign of anything.
const SCHEDULED_SERVICES: &[&str] = &[
    "microsoft.com",
    "windowsupdate.com",
    "windows.com",
    "office.com",
    "office365.com",
    "apple.com",
    "icloud.com",
    "google.com",
    "googleapis.com",
    "gstatic.com",
    "ntp.org",
    "nict.go.jp",
    "digicert.com",
    "trendmicro.com",
    "eset.com",
    "sophos.com",
    "symantec.com",
    "mcafee.com",
    "kaspersky.com",
];

fn beaconing(summary: &TrafficSummary, _config: &HuntConfig) -> Vec<Finding> {
    let mut keys: Vec<_> = summary.pairs.keys().collect();
    keys.sort();
    keys.into_iter()
        .filter_map(|key| {
            let stats = &summary.pairs[key];
            // DNS answers are cached for their TTL, so every popular name is looked up on a
            // rhythm: only connections and web requests are judged.
            if stats.kind == RecordKind::Dns || stats.inbound || !external(&key.1) {
                return None;
            }
            let (interval, jitter) = rhythm(&stats.minutes)?;
            Some(beacon_finding(key.0, &key.1, stats, interval, jitter))
        })
        .collect()
}

/// Outside the site: a public address, or a name not of a scheduled service.
fn external(dest: &Destination) -> bool {
    match dest {
        Destination::Address(a) => is_public(*a),
        Destination::Name(n) => {
            let registrable = registrable_domain(n).unwrap_or_else(|| n.clone());
            !SCHEDULED_SERVICES.contains(&registrable.as_str())
                && !n.ends_with(".local")
                && !n.ends_with(".lan")
                && !n.ends_with(".arpa")
        }
    }
}

fn is_public(addr: IpAddr) -> bool {
    match addr {
        IpAddr::V4(a) => {
            !(a.is_private()
                || a.is_loopback()
                || a.is_link_local()
                || a.is_broadcast()
                || a.is_multicast()
                || a.is_unspecified()
                || a.octets()[0] == 100 && (a.octets()[1] & 0xC0) == 64)
        }
        IpAddr::V6(a) => {
            !(a.is_loopback()
                || a.is_multicast()
                || a.is_unspecified()
                || (a.segments()[0] & 0xfe00) == 0xfc00
                || (a.segments()[0] & 0xffc0) == 0xfe80)
        }
    }
}

/// The median interval in minutes and its jitter, when the minutes keep a rhythm: enough of
/// them, over enough hours, with intervals close to their median.
fn rhythm(minutes: &[(u32, u32)]) -> Option<(u32, f64)> {
    if minutes.len() < BEACON_MIN_MINUTES {
        return None;
    }
    let span = minutes.last()?.0 - minutes.first()?.0;
    if span < BEACON_MIN_HOURS * 60 {
        return None;
    }
    let mut gaps: Vec<u32> = minutes.windows(2).map(|w| w[1].0 - w[0].0).collect();
    gaps.sort_unstable();
    let median = gaps[gaps.len() / 2];
    if median == 0 {
        return None;
    }
    let mut deviations: Vec<u32> = gaps.iter().map(|g| g.abs_diff(median)).collect();
    deviations.sort_unstable();
    let mad = deviations[deviations.len() / 2];
    let jitter = f64::from(mad) / f64::from(median);
    // Every minute of the span busy is a session, not a rhythm (a long download, a stream).
    let busy = minutes.len() as f64 / f64::from(span + 1);
    (jitter <= BEACON_MAX_JITTER && busy < 0.9).then_some((median, jitter))
}

fn beacon_finding(
    client: Option<IpAddr>,
    dest: &Destination,
    stats: &PairStats,
    interval: u32,
    jitter: f64,
) -> Finding {
    let who = client.map_or_else(|| "?".to_owned(), |c| c.to_string());
    let target = dest.text();
    let (first, last) = (stats.first(), stats.last());
    let hours = stats.minutes.last().map_or(0, |l| l.0 - stats.minutes[0].0) / 60;
    let jitter_pct = (jitter * 100.0).round();
    let message = Localized::new(
        format!(
            "{who} が {target} に約 {interval} 分ごと（ばらつき {jitter_pct}%）に {hours} 時間以上通信していました（{} 〜 {}）",
            time_text(first),
            time_text(last)
        ),
        format!(
            "{who} contacted {target} about every {interval} min (jitter {jitter_pct}%) for {hours} h or more ({} to {})",
            time_text(first),
            time_text(last)
        ),
    );
    let mut evidence = Evidence::default()
        .fact("destination", target.clone())
        .fact("interval_minutes", interval)
        .fact("jitter", (jitter * 1000.0).round() / 1000.0)
        .fact("minutes_seen", stats.minutes.len())
        .with_entities(Entities {
            host: client.map(|c| c.to_string()),
            ..Entities::default()
        });
    evidence.count = Some(stats.count);
    evidence.first_seen = first;
    evidence.last_seen = last;
    evidence.sources = vec![stats.origin.clone()];
    let subject = Subject::new(SubjectKind::Host, format!("{who}/{target}"), who.clone());
    BEACONING
        .info
        .finding(subject, Severity::Medium, message, evidence)
}

/// `net.new-destination-after-holiday`: rare destinations first seen over the closure.
pub static NEW_DESTINATION_AFTER_HOLIDAY: TrafficRule = TrafficRule {
    info: RuleInfo {
        id: "net.new-destination-after-holiday",
        default_severity: Severity::Medium,
        title: Text {
            ja: "年末年始に初めて現れた通信先",
            en: "Destinations first seen over the year-end closure",
        },
        rationale: Text {
            ja: "日本の医療機関へのランサムウェア攻撃は、職員の少ない年末年始や連休に進められてきました。休みの間や休み明けに初めて現れ、ごく一部の端末だけが通信した相手は、侵入の足跡かもしれません。",
            en: "Ransomware attacks on Japanese hospitals have run over the year-end closure and long weekends; a destination first seen then, reached by one or two hosts only, may be an intruder's trace.",
        },
        remediation: Text {
            ja: "一覧の通信先が何かを確かめてください（新しく入れたソフトや保守作業など）。心当たりがなければ、その端末を調べ、システム管理者・保守事業者に連絡してください。",
            en: "Find out what each destination is (new software, maintenance work). If unexplained, examine the host and call the administrator and the vendor.",
        },
        measures: &["detect.traffic-monitoring", "holiday.after-log-review"],
        checklist: &[],
    },
    run: new_after_holiday,
};

/// Days before the closure the logs must cover for "first seen" to mean anything.
const BASELINE_DAYS: i64 = 7;
/// Days after the closure still counted as "just after".
const AFTER_DAYS: i64 = 3;
/// Destinations reached by more hosts than this are new for everyone (an update), not a trace.
const MAX_HOSTS: usize = 2;

fn new_after_holiday(summary: &TrafficSummary, config: &HuntConfig) -> Vec<Finding> {
    // Each external destination, by registrable domain or address: its first minute and hosts.
    let mut first_seen: BTreeMap<String, FirstSeen> = BTreeMap::new();
    for ((client, dest), stats) in &summary.pairs {
        if stats.inbound || !external(dest) {
            continue;
        }
        let Some(&(first, _)) = stats.minutes.first() else {
            continue;
        };
        let key = match dest {
            Destination::Name(n) => registrable_domain(n).unwrap_or_else(|| n.clone()),
            Destination::Address(a) => a.to_string(),
        };
        let entry = first_seen.entry(key).or_insert_with(|| FirstSeen {
            minute: first,
            hosts: BTreeSet::new(),
            origin: stats.origin.clone(),
        });
        if first < entry.minute {
            entry.minute = first;
            entry.origin = stats.origin.clone();
        }
        entry.hosts.insert(*client);
    }
    let Some(earliest) = first_seen.values().map(|f| f.minute).min() else {
        return Vec::new();
    };
    let closures = &config.site.closures;
    let zone = jiff::tz::TimeZone::get("Asia/Tokyo").unwrap_or(jiff::tz::TimeZone::UTC);
    let mut findings = Vec::new();
    let latest = first_seen
        .values()
        .map(|f| f.minute)
        .max()
        .unwrap_or(earliest);
    let (Some(lo), Some(hi)) = (minute_time(earliest), minute_time(latest)) else {
        return findings;
    };
    let years = (lo.to_zoned(zone.clone()).year() - 1)..=hi.to_zoned(zone.clone()).year();
    for year in years {
        let Some((start, end)) = closures.year_end_window(year) else {
            continue;
        };
        let minute = |d: jiff::civil::Date| -> Option<u32> {
            let t = d.to_zoned(zone.clone()).ok()?.timestamp();
            u32::try_from(t.as_second() / 60).ok()
        };
        let (Some(from), Some(until), Some(baseline)) = (
            minute(start),
            minute(end.saturating_add(jiff::Span::new().days(AFTER_DAYS + 1))),
            minute(start.saturating_sub(jiff::Span::new().days(BASELINE_DAYS))),
        ) else {
            continue;
        };
        if earliest > baseline {
            continue; // the logs do not reach far enough back: everything would look new
        }
        let mut per_host: BTreeMap<Option<IpAddr>, Vec<(&str, &FirstSeen)>> = BTreeMap::new();
        for (dest, seen) in &first_seen {
            if seen.minute >= from && seen.minute < until && seen.hosts.len() <= MAX_HOSTS {
                for host in &seen.hosts {
                    per_host.entry(*host).or_default().push((dest, seen));
                }
            }
        }
        for (host, dests) in per_host {
            findings.push(new_destination_finding(host, &dests, start, end));
        }
    }
    findings
}

/// When a destination was first seen, by which hosts, and the line that shows it.
struct FirstSeen {
    minute: u32,
    hosts: BTreeSet<Option<IpAddr>>,
    origin: mamori_model::SourceRef,
}

fn new_destination_finding(
    host: Option<IpAddr>,
    dests: &[(&str, &FirstSeen)],
    start: jiff::civil::Date,
    end: jiff::civil::Date,
) -> Finding {
    let who = host.map_or_else(|| "?".to_owned(), |c| c.to_string());
    let shown: Vec<&str> = dests.iter().map(|(d, _)| *d).take(20).collect();
    let more = dests.len().saturating_sub(shown.len());
    let more_ja = if more > 0 {
        format!(" ほか {more} 件")
    } else {
        String::new()
    };
    let more_en = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    let message = Localized::new(
        format!(
            "{who} が、年末年始（{start} 〜 {end}）またはその直後に初めて {} に通信しました{more_ja}",
            shown.join("、")
        ),
        format!(
            "{who} first reached {}{more_en} during or just after the year-end closure ({start} to {end})",
            shown.join(", ")
        ),
    );
    let mut evidence = Evidence::default()
        .fact(
            "destinations",
            shown.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>(),
        )
        .fact("closure", format!("{start}/{end}"))
        .with_entities(Entities {
            host: host.map(|c| c.to_string()),
            ..Entities::default()
        });
    evidence.count = Some(dests.len() as u64);
    evidence.first_seen = dests
        .iter()
        .filter_map(|(_, s)| minute_time(s.minute))
        .min();
    evidence.last_seen = dests
        .iter()
        .filter_map(|(_, s)| minute_time(s.minute))
        .max();
    evidence.sources = dests
        .iter()
        .map(|(_, s)| s.origin.clone())
        .take(5)
        .collect();
    let subject = Subject::new(SubjectKind::Host, format!("{who}/{start}"), who.clone());
    NEW_DESTINATION_AFTER_HOLIDAY
        .info
        .finding(subject, Severity::Medium, message, evidence)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rhythm_is_regular_minutes_over_hours() {
        let every_five: Vec<(u32, u32)> = (0..40).map(|i| (1000 + i * 5, 1)).collect();
        assert_eq!(rhythm(&every_five).map(|(m, _)| m), Some(5));
        let jittered: Vec<(u32, u32)> = (0..40).map(|i| (1000 + i * 10 + (i % 2), 1)).collect();
        assert!(rhythm(&jittered).is_some());
        let people: Vec<(u32, u32)> = [1, 2, 9, 30, 31, 32, 80, 81, 200, 260, 261, 300, 420]
            .iter()
            .map(|m| (*m, 1))
            .collect();
        assert_eq!(rhythm(&people), None);
        let session: Vec<(u32, u32)> = (0..200).map(|i| (i, 3)).collect();
        assert_eq!(rhythm(&session), None, "every minute busy is a session");
        let short: Vec<(u32, u32)> = (0..20).map(|i| (i * 5, 1)).collect();
        assert_eq!(rhythm(&short), None, "under two hours");
    }

    #[test]
    fn private_addresses_are_not_external() {
        for a in [
            "10.1.2.3",
            "192.168.0.1",
            "172.16.5.5",
            "100.64.0.1",
            "fd00::1",
            "fe80::1",
        ] {
            assert!(!is_public(a.parse().unwrap()), "{a}");
        }
        assert!(is_public("203.0.113.9".parse().unwrap()));
        assert!(!external(&Destination::Name(
            "ctldl.windowsupdate.com".into()
        )));
        assert!(external(&Destination::Name("c2.evil.example".into())));
    }
}
