//! `contact.unverified`: an emergency contact not verified within
//! `thresholds.contact_verify_days` (180 by default: twice a year, before summer and year-end
//! holidays), or — from `thresholds.contact_before_closure_days` (30) before the year-end
//! closure until it ends — not verified within those 30 days, as the year-end notice asks.

use mamori_model::site::contact_role_label;
use mamori_model::{Evidence, Finding, Lang, Localized, Severity, Subject, SubjectKind};

use crate::{CheckContext, Rule, Text};

/// `contact.unverified` — Emergency contact not verified recently. Its texts say why it matters and what to do.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "contact.unverified",
        default_severity: Severity::Medium,
        title: Text {
            ja: "確認されていない緊急連絡先",
            en: "Emergency contact not verified recently",
        },
        rationale: Text {
            ja: "担当者の異動や番号の変更で、いざというときに連絡がつかないことがあります。年末年始の注意喚起では、休暇前に連絡先が有効か確認するよう求めています。",
            en: "People move and numbers change; the year-end notice asks institutions to confirm before the holiday that every contact still works.",
        },
        remediation: Text {
            ja: "電話・メールで実際に連絡がつくことを確認し、確認日を緊急連絡先一覧に記録してください。年末年始の前には、休暇中の連絡先（厚生労働省の年末年始専用番号など）も確認してください。",
            en: "Call or mail each contact to confirm it works and record the date; before the year-end holiday also confirm the holiday numbers (such as the Ministry's year-end line).",
        },
        measures: &["holiday.before-contacts", "respond.procedures-contacts"],
        checklist: &["incident-contacts"],
    },
    run,
};

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    let t = &ctx.site.config.thresholds;
    // Inside the pre-closure period every contact must have been verified since it began.
    let closure = ctx.site.config.closures.current_or_next_year_end(ctx.as_of);
    let pre_closure_since = closure.and_then(|(start, _)| {
        let since = start
            .checked_sub(jiff::Span::new().days(t.contact_before_closure_days))
            .ok()?;
        (ctx.as_of >= since).then_some((since, start))
    });
    let mut findings = Vec::new();
    for (idx, c) in ctx.site.contacts.iter().enumerate() {
        let age = c.verified_on.map(|d| ctx.days_since(d));
        let stale_generally = age.is_none_or(|days| days > t.contact_verify_days);
        let stale_for_closure =
            pre_closure_since.is_some_and(|(since, _)| c.verified_on.is_none_or(|d| d < since));
        if !stale_generally && !stale_for_closure {
            continue;
        }
        let severity = if stale_for_closure {
            Severity::High
        } else {
            rule.default_severity
        };
        let role_ja = contact_role_label(&c.role, Lang::Ja);
        let who = if c.name.is_empty() {
            role_ja.to_owned()
        } else {
            format!("{}（{}）", c.name, role_ja)
        };
        let role_en = contact_role_label(&c.role, Lang::En);
        let who_en = if c.name.is_empty() {
            role_en.to_owned()
        } else {
            format!("{} ({})", c.name, role_en)
        };
        let mut message = match c.verified_on {
            Some(d) => Localized::new(
                format!(
                    "緊急連絡先 {} は {} 日間確認されていません（最終確認 {}）",
                    who,
                    age.unwrap_or_default(),
                    d
                ),
                format!(
                    "emergency contact {} not verified for {} days (last {})",
                    who_en,
                    age.unwrap_or_default(),
                    d
                ),
            ),
            None => Localized::new(
                format!("緊急連絡先 {who} を確認した記録がありません"),
                format!("no record that emergency contact {who_en} was ever verified"),
            ),
        };
        let mut evidence = Evidence::default()
            .fact("role", c.role.clone())
            .fact("threshold_days", t.contact_verify_days)
            .source(c.origin.clone());
        if let Some(d) = c.verified_on {
            evidence = evidence.fact("verified_on", d.to_string());
        }
        if let (true, Some((since, start))) = (stale_for_closure, pre_closure_since) {
            message.ja.push_str(&format!(
                "。年末年始（{start} から）の前に {since} 以降の確認が必要です"
            ));
            message.en.push_str(&format!(
                "; the year-end closure starts {start}, so it must be verified on or after {since}"
            ));
            evidence = evidence.fact("closure_starts", start.to_string());
        }
        // Contacts have no id of their own; role, name and phone identify one.
        let key = format!("{}/{}/{}", c.role, c.name, c.phone);
        let subject = Subject::new(
            SubjectKind::Contact,
            if key == "//" { idx.to_string() } else { key },
            who,
        );
        findings.push(rule.finding(subject, severity, message, evidence));
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use jiff::civil::{Date, date};
    use mamori_model::site::{Contact, Site};

    fn contact(name: &str, verified: Option<Date>) -> Contact {
        Contact {
            role: "police".into(),
            name: name.into(),
            phone: "110".into(),
            verified_on: verified,
            ..Contact::default()
        }
    }

    #[test]
    fn fires_after_180_days_or_never_verified() {
        let site = Site {
            contacts: vec![contact("A署", Some(date(2026, 5, 1))), contact("B署", None)],
            ..Site::default()
        };
        // 2026-11-21 is before the 30-day pre-closure period (from 11-29).
        let f = check_on(&RULE, &site, date(2026, 11, 21));
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].severity, Severity::Medium);
    }

    #[test]
    fn before_year_end_requires_verification_within_30_days() {
        let site = Site {
            contacts: vec![contact("A署", Some(date(2026, 11, 1)))],
            ..Site::default()
        };
        assert!(check_on(&RULE, &site, date(2026, 11, 28)).is_empty());
        let f = check_on(&RULE, &site, date(2026, 12, 10));
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].severity, Severity::High);
        assert_eq!(f[0].evidence.facts["closure_starts"], "2026-12-29");
        // Verified inside the window: fine again.
        let site = Site {
            contacts: vec![contact("A署", Some(date(2026, 12, 1)))],
            ..Site::default()
        };
        assert!(check_on(&RULE, &site, date(2027, 1, 2)).is_empty());
    }
}
