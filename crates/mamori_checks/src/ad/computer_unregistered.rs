//! `ad.computer-unregistered`: a computer joined to the domain that the asset ledger (機器台帳)
//! does not list — by id, name or host name. With no ledger at all, one finding for the domain.

use std::collections::HashSet;

use mamori_model::directory::{Directory, DirectoryComputer};
use mamori_model::{Evidence, Finding, Localized, Severity, SourceRef};

use super::{computer_subject, directory, entry_source};
use crate::{CheckContext, Rule, Text};

/// `ad.computer-unregistered` — Domain computer missing from the ledger.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "ad.computer-unregistered",
        default_severity: Severity::Medium,
        title: Text {
            ja: "台帳にないドメインのコンピューター",
            en: "Domain computer missing from the asset ledger",
        },
        rationale: Text {
            ja: "台帳にない機器は、更新もウイルス対策も確かめられず、攻撃を受けても気づけません。厚労省のチェックリストは、すべての情報機器を台帳で管理することを求めています。",
            en: "A device missing from the ledger is never checked for patches or antivirus, and an attack on it goes unseen; the MHLW checklist asks for every device in the ledger.",
        },
        remediation: Text {
            ja: "機器台帳に追加してください（管理番号または機器名をコンピューター名と同じにすると照合できます）。使っていない機器なら、ドメインから削除してください。",
            en: "Add it to the asset ledger (use the computer name as its id or name so they match); remove it from the domain if it is no longer used.",
        },
        measures: &["assets.inventory"],
        checklist: &["ledger"],
    },
    run,
};

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    let Some(dir) = directory(ctx) else {
        return Vec::new();
    };
    let in_use: Vec<&DirectoryComputer> = dir.computers.iter().filter(|c| !c.disabled).collect();
    if in_use.is_empty() {
        return Vec::new();
    }
    if ctx.site.assets.is_empty() {
        return vec![no_ledger(dir, &in_use, rule)];
    }
    // Ids and names lower-cased once: a domain of 10,000 computers against a ledger as large.
    let known: HashSet<String> = ctx
        .site
        .assets
        .iter()
        .flat_map(|a| [a.id.to_ascii_lowercase(), a.name.to_ascii_lowercase()])
        .collect();
    let listed = |name: &str| known.contains(&name.to_ascii_lowercase());
    in_use
        .into_iter()
        .filter(|c| {
            let short = c.dns_name.split('.').next().unwrap_or_default();
            !listed(&c.name) && (short.is_empty() || !listed(short))
        })
        .map(|c| unregistered(dir, c, rule))
        .collect()
}

/// One computer the ledger does not list.
fn unregistered(dir: &Directory, c: &DirectoryComputer, rule: &Rule) -> Finding {
    let os = if c.os.is_empty() {
        "OS 不明".to_owned()
    } else {
        c.os.clone()
    };
    let message = Localized::new(
        format!(
            "ドメインのコンピューター {}（{os}）が機器台帳にありません",
            c.name
        ),
        format!(
            "the domain computer {} ({}) is not in the asset ledger",
            c.name, c.os
        ),
    );
    let evidence = Evidence::default()
        .fact("os", c.os.clone())
        .fact("dns_name", c.dns_name.clone())
        .source(entry_source(dir, &c.dn));
    rule.finding(
        computer_subject(c),
        rule.default_severity,
        message,
        evidence,
    )
}

/// No ledger at all: one finding for the whole domain.
fn no_ledger(dir: &Directory, in_use: &[&DirectoryComputer], rule: &Rule) -> Finding {
    let names: Vec<String> = in_use.iter().map(|c| c.name.clone()).collect();
    crate::no_ledger_finding(
        rule,
        "ad-ledger",
        &names,
        "ドメインのコンピューター",
        &format!("the domain's {} computers", names.len()),
        SourceRef {
            file: dir.source.clone(),
            excerpt: Some(dir.base_dn.clone()),
            ..SourceRef::default()
        },
    )
}
