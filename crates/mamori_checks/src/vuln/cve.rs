//! `vuln.cve`: CVEs outside the KEV catalog that affect a device, one finding per device,
//! from `thresholds.vuln_cve_min_cvss` (7, i.e. high and critical) up. Severity follows the
//! highest CVSS base score (9.0+ critical, 7.0+ high, 4.0+ medium).

use mamori_model::{CveDetail, Entities, Evidence, Finding, Localized, Severity};
use mamori_vuln::{How, Match};

use super::{kev_facts, match_detail};
use crate::assets::{asset_label, asset_subject};
use crate::{CheckContext, Rule, Text};

/// `vuln.cve` — Device with known vulnerabilities. Its texts say why it matters and what to do.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "vuln.cve",
        default_severity: Severity::High,
        title: Text {
            ja: "既知の脆弱性がある機器",
            en: "Device with known vulnerabilities",
        },
        rationale: Text {
            ja: "悪用の報告がまだない脆弱性も、深刻度が高いものは近いうちに狙われます。更新の計画に入れておく必要があります。",
            en: "Severe flaws not yet seen exploited are next in line; they belong in the update plan.",
        },
        remediation: Text {
            ja: "保守事業者と更新の時期を決め、修正版に更新してください。すぐに更新できない場合は、ベンダーの回避策を適用し、外部からの接続を制限してください。",
            en: "Agree a date with the maintenance vendor and update to a fixed version; until then apply the vendor's workaround and restrict outside access.",
        },
        measures: &["patch.gateway-devices", "patch.firmware-definitions"],
        checklist: &["security-patches"],
    },
    run,
};

/// How many CVEs a finding lists by id (the count covers all).
const LISTED: usize = 10;

fn band(score: f32) -> Severity {
    match score {
        s if s >= 9.0 => Severity::Critical,
        s if s >= 7.0 => Severity::High,
        s if s >= 4.0 => Severity::Medium,
        _ => Severity::Low,
    }
}

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    let Some(site) = ctx.vuln_matches() else {
        return Vec::new();
    };
    #[allow(clippy::cast_precision_loss)]
    let min = ctx.site.config.thresholds.vuln_cve_min_cvss as f32;
    let mut findings = Vec::new();
    for av in site {
        let mut relevant: Vec<(&Match, f32)> = av
            .matches
            .iter()
            .filter(|m| kev_facts(m).is_none())
            .filter_map(|m| m.cvss().map(|c| (m, c.score)))
            .filter(|(_, s)| *s >= min)
            .collect();
        if relevant.is_empty() {
            continue;
        }
        relevant.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cve.cmp(&b.0.cve)));
        let max = relevant[0].1;
        let listed: Vec<&str> = relevant
            .iter()
            .take(LISTED)
            .map(|(m, _)| m.cve.as_str())
            .collect();
        let more = relevant.len().saturating_sub(LISTED);
        let (more_ja, more_en) = if more > 0 {
            (format!(" ほか {more} 件"), format!(" and {more} more"))
        } else {
            (String::new(), String::new())
        };
        let label = asset_label(av.asset);
        let version = av.version;
        let message = Localized::new(
            format!(
                "{label} の版 {version} には CVSS {min} 以上の脆弱性が {} 件あります（最大 {max}）: {}{more_ja}",
                relevant.len(),
                listed.join(", ")
            ),
            format!(
                "{label} runs {version}, affected by {} vulnerabilities with CVSS {min}+ (highest {max}): {}{more_en}",
                relevant.len(),
                listed.join(", ")
            ),
        );
        let details: Vec<CveDetail> = relevant
            .iter()
            .take(LISTED)
            .map(|(m, score)| {
                let mut d = match_detail(m);
                d.cvss = Some(f64::from(*score));
                if let How::Jvn { versions } = &m.how {
                    d.jvn_versions = Some(versions.clone());
                }
                if let Some(j) = m.jvn {
                    d.jvn = Some(j.id.clone());
                    d.title_ja = Some(j.title.clone());
                }
                d
            })
            .collect();
        let evidence = Evidence {
            count: Some(relevant.len() as u64),
            ..Evidence::default()
        }
        .fact("max_cvss", f64::from(max))
        .fact("min_cvss", f64::from(min))
        .fact("asset_version", version)
        .with_entities(Entities {
            cves: Some(details),
            ..Entities::default()
        })
        .source(av.asset.origin.clone());
        findings.push(rule.finding(asset_subject(av.asset), band(max), message, evidence));
    }
    findings
}
