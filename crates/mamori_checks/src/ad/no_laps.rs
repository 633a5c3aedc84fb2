//! `ad.no-laps`: computers whose local administrator password LAPS does not manage — one
//! finding for the domain when LAPS is not used at all, else one per computer left out.

use mamori_model::{Evidence, Finding, Localized, Severity, SourceRef, Subject, SubjectKind};

use super::{computer_subject, directory, entry_source};
use crate::{CheckContext, Rule, Text};

/// `ad.no-laps` — Local administrator password not managed by LAPS.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "ad.no-laps",
        default_severity: Severity::Medium,
        title: Text {
            ja: "ローカル管理者パスワードが LAPS で管理されていない",
            en: "Local administrator password not managed by LAPS",
        },
        rationale: Text {
            ja: "全端末のローカル管理者が同じパスワードだと、1 台から取り出したパスワードで院内のすべての端末に入れます。LAPS は端末ごとに違うパスワードを自動で設定します。",
            en: "When every PC's local administrator shares one password, one PC's password opens them all; LAPS sets a different one per computer automatically.",
        },
        remediation: Text {
            ja: "Windows LAPS（Windows 10/11・Server 2019 以降に標準搭載）をグループポリシーで有効にしてください。",
            en: "Enable Windows LAPS (built into Windows 10/11 and Server 2019 and later) through Group Policy.",
        },
        measures: &["accounts.strong-passwords"],
        checklist: &["password-rules"],
    },
    run,
};

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    let Some(dir) = directory(ctx) else {
        return Vec::new();
    };
    let members: Vec<_> = dir
        .computers
        .iter()
        .filter(|c| !c.disabled && !c.domain_controller)
        .collect();
    if members.is_empty() {
        return Vec::new();
    }
    if !dir.laps_in_schema {
        let message = Localized::new(
            format!(
                "ドメインのどのコンピューター（{} 台）にも LAPS のパスワードがありません",
                members.len()
            ),
            format!(
                "none of the domain's {} computers has a LAPS password",
                members.len()
            ),
        );
        let mut evidence = Evidence::default().source(SourceRef {
            file: dir.source.clone(),
            excerpt: Some(dir.base_dn.clone()),
            ..SourceRef::default()
        });
        evidence.count = Some(members.len() as u64);
        let subject = Subject::new(SubjectKind::Site, "ad-laps", "LAPS");
        return vec![rule.finding(subject, rule.default_severity, message, evidence)];
    }
    members
        .into_iter()
        .filter(|c| !c.laps)
        .map(|c| {
            let message = Localized::new(
                format!(
                    "コンピューター {} のローカル管理者パスワードは LAPS で管理されていません",
                    c.name
                ),
                format!(
                    "the computer {}'s local administrator password is not managed by LAPS",
                    c.name
                ),
            );
            let evidence = Evidence::default().source(entry_source(dir, &c.dn));
            rule.finding(
                computer_subject(c),
                rule.default_severity,
                message,
                evidence,
            )
        })
        .collect()
}
