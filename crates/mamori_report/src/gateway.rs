//! The `mamori gateway audit` report: what each configuration is, what it exposes, and the
//! findings with the lines that prove them.

use std::fmt::Write as _;

use mamori_model::gateway::Gateway;
use mamori_model::{Finding, Lang, Localized, tr};

use crate::quoted_lines;

/// `gateway audit` as a table: findings, then each configuration read or skipped.
pub fn render_gateway_table(
    findings: &[Finding],
    gateways: &[Gateway],
    skipped: &[(String, Localized)],
    lang: Lang,
) -> String {
    let mut out = String::new();
    let w = &mut out;
    for g in gateways {
        let firmware = g.firmware.as_ref().map_or_else(
            || tr(lang, "バージョン不明", "version unknown").to_owned(),
            |f| {
                let build = f
                    .build
                    .as_deref()
                    .map(|b| format!(" build{b}"))
                    .unwrap_or_default();
                let partial = if f.partial {
                    tr(lang, "（一部のみ）", " (partial)")
                } else {
                    ""
                };
                format!("{}{build}{partial}", f.version)
            },
        );
        writeln!(
            w,
            "{}  {} {}  {firmware}  [{}]",
            g.label(),
            g.format.product(),
            g.model,
            g.file
        )
        .unwrap();
        let wan: Vec<String> = g
            .interfaces
            .iter()
            .filter(|i| i.is_wan())
            .map(|i| {
                let why: Vec<&str> = i.wan.iter().map(|r| r.label(lang)).collect();
                format!("{}（{}）", i.name, why.join("・"))
            })
            .collect();
        let wan = if wan.is_empty() {
            tr(lang, "特定できません", "none identified").to_owned()
        } else {
            wan.join(", ")
        };
        writeln!(
            w,
            "  {}: {wan}",
            tr(lang, "インターネット側", "internet side")
        )
        .unwrap();
        for p in &g.problems {
            writeln!(w, "  {}:{}: {}", g.file, p.line, p.text).unwrap();
        }
    }
    writeln!(w).unwrap();
    if findings.is_empty() && !gateways.is_empty() {
        writeln!(w, "{}", tr(lang, "指摘事項はありません。", "No findings.")).unwrap();
    }
    for f in findings {
        writeln!(
            w,
            "{:<6} {:<28} {}",
            f.severity.label(lang),
            f.rule_id,
            f.message.get(lang)
        )
        .unwrap();
        for quote in quoted_lines(f, 6) {
            writeln!(w, "{:<35}│ {quote}", "").unwrap();
        }
    }
    if !skipped.is_empty() {
        writeln!(
            w,
            "\n{}",
            tr(lang, "読み込まなかったファイル", "Files not read")
        )
        .unwrap();
        for (file, reason) in skipped {
            writeln!(w, "  {file}  {}", reason.get(lang)).unwrap();
        }
    }
    out
}
