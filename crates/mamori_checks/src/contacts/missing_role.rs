//! `contact.missing-role`: the phone list lacks one of the roles the notices say to call on a
//! suspected attack: the maintenance vendor, the police, the Ministry of Health (MHLW) and the
//! Japan Medical Association's hotline.

use mamori_model::{Evidence, Finding, Localized, Severity, Subject, SubjectKind};

use crate::{CheckContext, Rule, Text};

/// `contact.missing-role` — Emergency contact list lacks a required role. Its texts say why it matters and what to do.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "contact.missing-role",
        default_severity: Severity::High,
        title: Text {
            ja: "緊急連絡先に必要な連絡先がない",
            en: "Emergency contact list lacks a required role",
        },
        rationale: Text {
            ja: "攻撃を受けた疑いがあるときは、保守事業者・警察・厚生労働省に連絡するよう求められています。連絡先を探している間にも被害は広がります。",
            en: "On a suspected attack the notices ask the institution to call its maintenance vendor, the police and the Ministry of Health; every minute spent looking for a number lets the damage spread.",
        },
        remediation: Text {
            ja: "緊急連絡先一覧に、保守事業者、警察（都道府県警察のサイバー犯罪相談窓口）、厚生労働省（医政局の担当窓口。年末年始は専用番号）、日本医師会の緊急相談窓口を登録してください。",
            en: "Add the maintenance vendor, the police (prefectural cybercrime desk), the Ministry of Health (including its year-end number) and the JMA emergency hotline to the contact list.",
        },
        measures: &[
            "respond.procedures-contacts",
            "respond.incident-contacts",
            "respond.report-mhlw",
        ],
        checklist: &["incident-contacts"],
    },
    run,
};

const REQUIRED: &[(&str, &str, &str)] = &[
    ("vendor", "保守事業者", "maintenance vendor"),
    (
        "police",
        "警察（サイバー犯罪相談窓口）",
        "police (cybercrime desk)",
    ),
    ("mhlw", "厚生労働省", "Ministry of Health (MHLW)"),
    ("jma", "日本医師会 緊急相談窓口", "JMA emergency hotline"),
];

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    REQUIRED
        .iter()
        .filter(|(role, ..)| {
            !ctx.site
                .contacts
                .iter()
                .any(|c| c.role == *role && (!c.phone.is_empty() || !c.email.is_empty()))
        })
        .map(|(role, ja, en)| {
            let severity = if *role == "jma" {
                Severity::Medium
            } else {
                rule.default_severity
            };
            let mut message = Localized::new(
                format!("緊急連絡先に「{ja}」の連絡先（電話番号またはメール）がありません"),
                format!("the emergency contact list has no number or address for the {en}"),
            );
            let mut evidence = Evidence::default()
                .fact("role", *role)
                .fact("contacts_listed", ctx.site.contacts.len());
            // The public number mamori knows for the role, until the site writes its own.
            let (public, ..) =
                mamori_model::catalog::public_contacts(ctx.as_of, &ctx.site.config.closures);
            let known: Vec<_> = public.iter().filter(|c| c.role == *role).collect();
            if !known.is_empty() {
                let shown = |ja: bool| -> String {
                    known
                        .iter()
                        .map(|c| {
                            let name = if ja { &c.name } else { &c.name_en };
                            if c.phone.is_empty() {
                                name.clone()
                            } else {
                                format!("{name} {}", c.phone)
                            }
                        })
                        .collect::<Vec<_>>()
                        .join(if ja { "、" } else { "; " })
                };
                message
                    .ja
                    .push_str(&format!("。公的な連絡先: {}", shown(true)));
                message
                    .en
                    .push_str(&format!(". Public contact: {}", shown(false)));
                let phones: Vec<&str> = known
                    .iter()
                    .map(|c| c.phone.as_str())
                    .filter(|p| !p.is_empty())
                    .collect();
                evidence = evidence.fact("public_phones", phones);
            }
            rule.finding(
                Subject::new(SubjectKind::Contact, *role, *ja),
                severity,
                message,
                evidence,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use mamori_model::site::{Contact, Site};

    fn contact(role: &str, phone: &str) -> Contact {
        Contact {
            role: role.into(),
            phone: phone.into(),
            ..Contact::default()
        }
    }

    #[test]
    fn fires_per_missing_role_including_roles_without_a_number() {
        let site = Site {
            contacts: vec![contact("vendor", "03-0000-0000"), contact("police", "")],
            ..Site::default()
        };
        let keys: Vec<_> = check(&RULE, &site)
            .into_iter()
            .map(|f| f.subject.key)
            .collect();
        assert_eq!(keys, ["police", "mhlw", "jma"]);
    }

    #[test]
    fn silent_when_all_roles_present() {
        let site = Site {
            contacts: ["vendor", "police", "mhlw", "jma"]
                .iter()
                .map(|r| contact(r, "000"))
                .collect(),
            ..Site::default()
        };
        assert!(check(&RULE, &site).is_empty());
    }

    #[test]
    fn offers_the_public_number_and_the_year_end_one_in_its_window() {
        use jiff::civil::date;
        let site = Site::default();
        let mhlw = |day| {
            check_on(&RULE, &site, day)
                .into_iter()
                .find(|f| f.subject.key == "mhlw")
                .unwrap()
                .message
                .ja
        };
        let june = mhlw(date(2026, 6, 1));
        assert!(
            june.contains("03-6812-7837") && !june.contains("080-2073-0768"),
            "{june}"
        );
        let holidays = mhlw(date(2026, 12, 30));
        assert!(holidays.contains("080-2073-0768"), "{holidays}");
    }
}
