//! `ad.too-many-admins`: more enabled members of the domain's administrator groups (Domain,
//! Enterprise and Schema Admins, Administrators) than a clinic or hospital needs.

use mamori_model::directory::PrivilegedGroup;
use mamori_model::{Evidence, Finding, Localized, Severity, SourceRef, Subject, SubjectKind};

use super::directory;
use crate::{CheckContext, Rule, Text};

/// Administrators a hospital's domain needs at most: the administrator, a deputy, the
/// vendor's, a break-glass account and one more.
pub const MAX_ADMINS: usize = 5;

/// `ad.too-many-admins` — Too many domain administrators.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "ad.too-many-admins",
        default_severity: Severity::Medium,
        title: Text {
            ja: "ドメイン管理者が多すぎる",
            en: "Too many domain administrators",
        },
        rationale: Text {
            ja: "「全員に管理者権限」は日本の病院のランサムウェア被害で繰り返し指摘されています。管理者が多いほど、乗っ取られたときに全体が奪われる入口が増えます。",
            en: "\"Admin rights for everyone\" recurs in Japanese hospital ransomware reports: every administrator is another way to take the whole domain.",
        },
        remediation: Text {
            ja: "管理者グループの一覧を見直し、日常の作業は一般ユーザーのアカウントで行うようにしてください。管理者は必要な人だけにし、管理作業専用のアカウントを分けてください。",
            en: "Review the administrator groups; do daily work with ordinary accounts, keep administrators to those who need it, with separate accounts for administration.",
        },
        measures: &["accounts.review-privileges"],
        checklist: &["access-rights"],
    },
    run,
};

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    let Some(dir) = directory(ctx) else {
        return Vec::new();
    };
    let admin_groups = [
        PrivilegedGroup::DomainAdmins,
        PrivilegedGroup::EnterpriseAdmins,
        PrivilegedGroup::SchemaAdmins,
        PrivilegedGroup::Administrators,
    ];
    let admins: Vec<&str> = dir
        .users
        .iter()
        .filter(|u| u.enabled() && u.privileged.iter().any(|g| admin_groups.contains(g)))
        .map(|u| u.sam.as_str())
        .collect();
    if admins.len() <= MAX_ADMINS {
        return Vec::new();
    }
    let message = Localized::new(
        format!(
            "有効な管理者アカウントが {} 個あります（目安は {MAX_ADMINS} 個まで）: {}",
            admins.len(),
            admins.join("、")
        ),
        format!(
            "{} enabled administrator accounts (at most {MAX_ADMINS} expected): {}",
            admins.len(),
            admins.join(", ")
        ),
    );
    let mut evidence = Evidence::default()
        .fact(
            "administrators",
            admins.iter().map(|a| (*a).to_owned()).collect::<Vec<_>>(),
        )
        .fact("threshold", MAX_ADMINS)
        .source(SourceRef {
            file: dir.source.clone(),
            excerpt: Some(dir.base_dn.clone()),
            ..SourceRef::default()
        });
    evidence.count = Some(admins.len() as u64);
    let subject = Subject::new(SubjectKind::Site, "ad-admins", "Domain Admins");
    vec![rule.finding(subject, rule.default_severity, message, evidence)]
}
