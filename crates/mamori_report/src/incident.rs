//! `mamori incident report`: the binder as text (Markdown, which reads as plain text too), one
//! self-contained printable HTML page (every site-provided string escaped), or JSON.

use std::fmt::Write as _;

use jiff::civil::Date;
use mamori_model::input::InputError;
use mamori_model::site::SiteKind;
use mamori_model::{Lang, Localized, tr};
use serde::Serialize;

/// One line of the contact tree.
#[derive(Clone, Debug, Serialize)]
pub struct ContactLine {
    /// The role (保守事業者, 警察, 厚生労働省…).
    pub role: Localized,
    /// Whom.
    pub name: String,
    /// The number (empty when none is known).
    pub phone: String,
    /// The address, when the site has one.
    pub email: String,
    /// What to tell them.
    pub say: Localized,
    /// From mamori's public data, not the site's contacts table.
    pub public: bool,
}

/// One system in restore order.
#[derive(Clone, Debug, Serialize)]
pub struct SystemLine {
    /// The restore order from the BCP (`None`: not set).
    pub priority: Option<i64>,
    /// The system.
    pub system: String,
    /// Its target restore time, hours.
    pub rto_hours: Option<i64>,
    /// How to work without it.
    pub downtime_procedure: String,
    /// Where the plan and forms are kept.
    pub kept_at: String,
}

/// The binder.
#[derive(Clone, Debug, Serialize)]
pub struct IncidentBinder {
    /// The institution.
    pub site_name: String,
    /// Hospital or clinic.
    pub site_kind: SiteKind,
    /// The day it was made for (the year-end numbers depend on it).
    pub as_of: Date,
    /// What could not be read from the site folder (the binder is made anyway).
    pub input_errors: Vec<InputError>,
    /// The first hour, in order.
    pub first_hour: Vec<Localized>,
    /// The backup destinations to cut off first (from the backup ledger).
    pub backup_destinations: Vec<String>,
    /// Whom to call, in the order to call them.
    pub contacts: Vec<ContactLine>,
    /// Why never to pay.
    pub no_ransom: Vec<Localized>,
    /// The systems, in restore order.
    pub systems: Vec<SystemLine>,
    /// The first report: (field, value filled in from the site; empty = to write by hand).
    pub first_report: Vec<(Localized, String)>,
    /// The public contacts' data version and source.
    pub public_data: (String, String),
    /// The open incident, when there is one: its log, evidence and what the hunt found.
    pub record: Option<IncidentRecord>,
}

/// An open incident as the binder shows it.
#[derive(Clone, Debug, Serialize)]
pub struct IncidentRecord {
    /// The incident.
    pub incident: mamori_model::incident::Incident,
    /// Its action log, in order.
    pub log: Vec<mamori_model::incident::LogLine>,
    /// Whether the log's hash chain adds up (`Err(line)` where it breaks).
    pub chain: Result<(), i64>,
    /// The evidence recorded.
    pub evidence: Vec<mamori_model::incident::EvidenceFile>,
    /// What the hunt finds in the evidence that is still there.
    pub findings: Vec<mamori_model::Finding>,
    /// The Personal Information Protection Commission's 速報, drafted: (field, value).
    pub ppc_report: Vec<(Localized, String)>,
}

/// What an `incident` command did: its message, the evidence recorded (path, SHA-256, size)
/// and what the hunt found in it.
pub fn render_action(
    message: &Localized,
    evidence: &[mamori_model::incident::EvidenceFile],
    findings: &[mamori_model::Finding],
    lang: Lang,
) -> String {
    let mut w = format!("{}\n", message.get(lang));
    for e in evidence {
        writeln!(w, "  {}  {}  {} bytes", e.sha256, e.path, e.size).unwrap();
    }
    for f in findings {
        writeln!(w, "● [{}] {}", f.severity.label(lang), f.message.get(lang)).unwrap();
    }
    w
}

/// The binder in `format`: `html`, `json`, else Markdown (`text`, `md`).
pub fn render(b: &IncidentBinder, format: &str, lang: Lang) -> String {
    match format {
        "html" => render_incident_html(b, lang),
        "json" => render_incident_json(b),
        _ => render_incident_markdown(b, lang),
    }
}

/// The binder as Markdown (also the plain-text form).
pub fn render_incident_markdown(b: &IncidentBinder, lang: Lang) -> String {
    let mut w = String::new();
    let kind = crate::site_kind_label(b.site_kind, lang);
    match lang {
        Lang::Ja => writeln!(
            w,
            "# サイバー攻撃を受けたら — {}（{kind}）\n\n作成 {}",
            b.site_name, b.as_of
        ),
        Lang::En => writeln!(
            w,
            "# If a cyberattack happens — {} ({kind})\n\nMade {}",
            b.site_name, b.as_of
        ),
    }
    .unwrap();
    if !b.input_errors.is_empty() {
        let n = b.input_errors.len();
        let note = match lang {
            Lang::Ja => format!(
                "\n> 台帳に読めない所が {n} 件あります。読めた内容で作っています（入力エラーは `mamori assess` で確認できます）。"
            ),
            Lang::En => format!(
                "\n> {n} ledger entries could not be read; this binder is made from what could (see `mamori assess`)."
            ),
        };
        writeln!(w, "{note}").unwrap();
    }
    writeln!(
        w,
        "\n## {}\n",
        tr(lang, "最初の 1 時間にやること", "The first hour")
    )
    .unwrap();
    for (i, step) in b.first_hour.iter().enumerate() {
        writeln!(w, "{}. {}", i + 1, step.get(lang)).unwrap();
    }
    if !b.backup_destinations.is_empty() {
        writeln!(
            w,
            "\n{}: {}",
            tr(
                lang,
                "切り離すバックアップの保存先",
                "Backup destinations to disconnect"
            ),
            b.backup_destinations.join("、")
        )
        .unwrap();
    }
    if let Some(r) = &b.record {
        write_record(&mut w, r, lang);
    }
    write_contacts(&mut w, b, lang);
    write_systems_and_report(&mut w, b, lang);
    w
}

/// The open incident: its log (and whether the chain holds), evidence, findings, and the
/// draft 速報 to the Personal Information Protection Commission.
fn write_record(w: &mut String, r: &IncidentRecord, lang: Lang) {
    let i = &r.incident;
    match lang {
        Lang::Ja => writeln!(
            w,
            "\n## 対応中のインシデント #{}（{} 開始）: {}\n",
            i.id, i.started_at, i.summary
        ),
        Lang::En => writeln!(
            w,
            "\n## Open incident #{} (since {}): {}\n",
            i.id, i.started_at, i.summary
        ),
    }
    .unwrap();
    for l in &r.log {
        writeln!(
            w,
            "- {} {} [{}] {}",
            l.at,
            cell(&l.who),
            l.kind,
            cell(&l.text)
        )
        .unwrap();
    }
    let chain = match (r.chain, lang) {
        (Ok(()), Lang::Ja) => "記録の改ざんはありません（ハッシュの連鎖を確認）".to_owned(),
        (Ok(()), Lang::En) => "the log is intact (hash chain checked)".to_owned(),
        (Err(n), Lang::Ja) => format!("記録は {n} 行目で改ざんまたは削除されています"),
        (Err(n), Lang::En) => format!("the log was altered or cut at line {n}"),
    };
    writeln!(w, "\n{chain}").unwrap();
    if !r.evidence.is_empty() {
        writeln!(
            w,
            "\n| {} | SHA-256 | {} |\n|---|---|---|",
            tr(lang, "証拠", "Evidence"),
            tr(lang, "大きさ", "Size")
        )
        .unwrap();
        for e in &r.evidence {
            writeln!(w, "| {} | {} | {} |", cell(&e.path), e.sha256, e.size).unwrap();
        }
    }
    for f in &r.findings {
        writeln!(
            w,
            "- [{}] {}",
            f.severity.label(lang),
            cell(f.message.get(lang))
        )
        .unwrap();
    }
    writeln!(w, "\n## {}\n", tr(lang, "個人情報保護委員会への速報（下書き。発覚から 3〜5 日以内、確報は 30 日以内・不正アクセスは 60 日以内）", "Draft first report to the Personal Information Protection Commission (within 3–5 days; final within 30, 60 for malicious access)")).unwrap();
    for (field, value) in &r.ppc_report {
        let value = if value.is_empty() {
            "＿＿＿＿＿＿＿＿＿＿".to_owned()
        } else {
            value.clone()
        };
        writeln!(w, "- **{}**: {}", field.get(lang), cell(&value)).unwrap();
    }
}

/// The contact tree and the no-ransom guidance.
fn write_contacts(w: &mut String, b: &IncidentBinder, lang: Lang) {
    writeln!(
        w,
        "\n## {}\n",
        tr(lang, "連絡先（上から順に）", "Whom to call, in order")
    )
    .unwrap();
    writeln!(
        w,
        "| {} | {} | {} | {} |\n|---|---|---|---|",
        tr(lang, "区分", "Role"),
        tr(lang, "連絡先", "Whom"),
        tr(lang, "電話・メール", "Phone, mail"),
        tr(lang, "伝えること", "What to say")
    )
    .unwrap();
    for c in &b.contacts {
        let reach = [c.phone.as_str(), c.email.as_str()]
            .iter()
            .filter(|s| !s.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" / ");
        let mark = if c.public {
            tr(lang, "（公的な番号）", " (public number)")
        } else {
            ""
        };
        writeln!(
            w,
            "| {} | {}{mark} | {} | {} |",
            c.role.get(lang),
            cell(&c.name),
            cell(&reach),
            cell(c.say.get(lang))
        )
        .unwrap();
    }
    writeln!(
        w,
        "\n## {}\n",
        tr(lang, "身代金は支払いません", "Never pay the ransom")
    )
    .unwrap();
    for reason in &b.no_ransom {
        writeln!(w, "- {}", reason.get(lang)).unwrap();
    }
}

/// The systems in restore order and the first report.
fn write_systems_and_report(w: &mut String, b: &IncidentBinder, lang: Lang) {
    writeln!(
        w,
        "\n## {}\n",
        tr(
            lang,
            "システムの復旧順と止まっている間の運用",
            "Systems in restore order, and how to work without them"
        )
    )
    .unwrap();
    for s in &b.systems {
        let order = s.priority.map_or("-".to_owned(), |p| p.to_string());
        let rto = s.rto_hours.map_or(String::new(), |h| match lang {
            Lang::Ja => format!("（目標 {h} 時間）"),
            Lang::En => format!(" (target {h} h)"),
        });
        let how = if s.downtime_procedure.is_empty() {
            tr(
                lang,
                "止まっている間の運用が決まっていません",
                "no procedure recorded",
            )
            .to_owned()
        } else {
            s.downtime_procedure.clone()
        };
        let kept = if s.kept_at.is_empty() {
            String::new()
        } else {
            format!("（{}）", s.kept_at)
        };
        writeln!(w, "{order}. {}{rto}: {}{kept}", cell(&s.system), cell(&how)).unwrap();
    }
    writeln!(
        w,
        "\n## {}\n",
        tr(
            lang,
            "第一報（厚生労働省・関係機関へ）",
            "First report (to the Ministry and others)"
        )
    )
    .unwrap();
    for (field, value) in &b.first_report {
        let value = if value.is_empty() {
            "＿＿＿＿＿＿＿＿＿＿".to_owned()
        } else {
            value.replace('\n', "、")
        };
        writeln!(w, "- **{}**: {}", field.get(lang), cell(&value)).unwrap();
    }
    writeln!(
        w,
        "\n{}: {} ({})",
        tr(lang, "公的な連絡先の出典", "Public contacts from"),
        b.public_data.1,
        b.public_data.0
    )
    .unwrap();
}

/// Table cells: a `|` or a line break would break the Markdown table.
fn cell(s: &str) -> String {
    s.replace('|', "｜").replace('\n', " ")
}

/// The binder as one self-contained printable HTML page: the Markdown's content, every string
/// escaped.
pub fn render_incident_html(b: &IncidentBinder, lang: Lang) -> String {
    let body = render_incident_markdown(b, lang);
    let mut html = String::from("<!DOCTYPE html>\n<html lang=\"");
    html.push_str(match lang {
        Lang::Ja => "ja",
        Lang::En => "en",
    });
    html.push_str("\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
    html.push_str(&escape(&b.site_name));
    html.push_str("</title>\n<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;line-height:1.6} table{border-collapse:collapse} td,th{border:1px solid #888;padding:.3rem .5rem;vertical-align:top} h1{border-bottom:3px solid #c00} h2{background:#333;color:#fff;padding:.2rem .5rem} @media print{h2{break-after:avoid}}</style>\n</head>\n<body>\n");
    let mut in_table = false;
    let mut in_list: Option<&str> = None;
    for line in body.lines() {
        let close_list = |html: &mut String, in_list: &mut Option<&str>| {
            if let Some(tag) = in_list.take() {
                html.push_str(&format!("</{tag}>\n"));
            }
        };
        if let Some(rest) = line.strip_prefix("# ") {
            html.push_str(&format!("<h1>{}</h1>\n", escape(rest)));
        } else if let Some(rest) = line.strip_prefix("## ") {
            close_list(&mut html, &mut in_list);
            if in_table {
                html.push_str("</table>\n");
                in_table = false;
            }
            html.push_str(&format!("<h2>{}</h2>\n", escape(rest)));
        } else if line.starts_with("|---") {
            continue;
        } else if let Some(rest) = line.strip_prefix("| ") {
            if !in_table {
                html.push_str("<table>\n");
                in_table = true;
            }
            let cells: Vec<String> = rest
                .trim_end_matches(" |")
                .split(" | ")
                .map(|c| format!("<td>{}</td>", escape(c)))
                .collect();
            html.push_str(&format!("<tr>{}</tr>\n", cells.concat()));
        } else if let Some(rest) = line.strip_prefix("- ") {
            if in_list.is_none() {
                html.push_str("<ul>\n");
                in_list = Some("ul");
            }
            html.push_str(&format!("<li>{}</li>\n", escape(&rest.replace("**", ""))));
        } else if line.chars().next().is_some_and(|c| c.is_ascii_digit()) && line.contains(". ") {
            if in_list.is_none() {
                html.push_str("<ol>\n");
                in_list = Some("ol");
            }
            let item = line.split_once(". ").map_or(line, |(_, t)| t);
            html.push_str(&format!("<li>{}</li>\n", escape(item)));
        } else if line.is_empty() {
            close_list(&mut html, &mut in_list);
        } else {
            html.push_str(&format!(
                "<p>{}</p>\n",
                escape(line.trim_start_matches("> "))
            ));
        }
    }
    if in_table {
        html.push_str("</table>\n");
    }
    if let Some(tag) = in_list {
        html.push_str(&format!("</{tag}>\n"));
    }
    html.push_str("</body>\n</html>\n");
    html
}

/// Escapes text for HTML.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// The binder as JSON (schema `mamori.incident-report/1`).
pub fn render_incident_json(b: &IncidentBinder) -> String {
    #[derive(Serialize)]
    struct Doc<'a> {
        schema: &'static str,
        #[serde(flatten)]
        binder: &'a IncidentBinder,
    }
    serde_json::to_string_pretty(&Doc {
        schema: "mamori.incident-report/1",
        binder: b,
    })
    .unwrap_or_default()
        + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_site_string_is_escaped_in_html() {
        let b = IncidentBinder {
            site_name: "<script>alert(1)</script>病院".into(),
            site_kind: SiteKind::Hospital,
            as_of: jiff::civil::date(2026, 12, 4),
            input_errors: vec![],
            first_hour: vec![Localized::new("切り離す", "disconnect")],
            backup_destinations: vec!["NAS <01>".into()],
            contacts: vec![ContactLine {
                role: Localized::new("保守事業者", "vendor"),
                name: "\"evil\" & <b>co</b>".into(),
                phone: "03-0000-0000".into(),
                email: String::new(),
                say: Localized::new("a|b", "a|b"),
                public: false,
            }],
            no_ransom: vec![],
            systems: vec![],
            first_report: vec![(
                Localized::new("医療機関名", "Institution"),
                "<i>x</i>".into(),
            )],
            public_data: ("v".into(), "s".into()),
            record: None,
        };
        let html = render_incident_html(&b, Lang::Ja);
        assert!(!html.contains("<script>") && !html.contains("<b>co") && !html.contains("<i>x"));
        assert!(html.contains("&lt;script&gt;") && html.contains("&quot;evil&quot; &amp;"));
        assert!(html.contains("NAS &lt;01&gt;"));
    }
}
