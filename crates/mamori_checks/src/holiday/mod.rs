//! The year-end holiday programme (年末年始): the dated steps before, during and after the
//! site's closure window (`site.toml`, 12/29–1/3 by default), each with what mamori sees and
//! what the site recorded in `holiday.toml`. `mamori holiday` prints it; the two rules here
//! raise findings when the window is near or just over and steps are still open.

pub mod after_incomplete;
pub mod before_incomplete;

use jiff::Span;
use jiff::civil::Date;
use mamori_model::Localized;
use mamori_model::answers::{HOLIDAY_STEPS, HolidayPhase, HolidayStepDef, TakenOut};
use mamori_model::site::{Asset, AssetKind};

use crate::CheckContext;

/// Before-steps are flagged from this many days before the closure.
pub const BEFORE_LEAD_DAYS: i64 = 14;
/// After-steps are flagged from this many days after the closure (time to patch) …
pub const AFTER_GRACE_DAYS: i64 = 7;
/// … until this many days after it.
pub const AFTER_WATCH_DAYS: i64 = 30;

pub use mamori_model::programme::{Programme, StepState, StepStatus};

fn days(n: i64) -> Span {
    Span::new().days(n)
}

/// The programme for `year`, judged on `ctx.as_of`.
pub fn programme(ctx: &CheckContext, year: i16) -> Option<Programme> {
    let (start, end) = ctx.site.config.closures.year_end_window(year)?;
    let before_due = start.checked_sub(days(1)).ok()?;
    let after_due = end.checked_add(days(AFTER_GRACE_DAYS)).ok()?;
    let site = ctx.site;
    let taken: Vec<&TakenOut> = site
        .holiday
        .taken_out
        .iter()
        .filter(|t| t.year == year)
        .collect();
    let steps = HOLIDAY_STEPS
        .iter()
        .map(|def| {
            let due = match def.phase {
                HolidayPhase::Before => before_due,
                HolidayPhase::During => end,
                HolidayPhase::After => after_due,
            };
            // A step recorded as done after the evaluation day had not happened yet then.
            let recorded = site
                .holiday
                .step(year, def.key)
                .filter(|r| r.done_on.is_none_or(|d| d <= ctx.as_of));
            let (mut state, mut detail, subjects) = observed(ctx, def, start, end, &taken);
            if state.is_none() {
                state = Some(if recorded.is_some() {
                    StepState::Done
                } else if ctx.as_of < phase_opens(def.phase, start, end) {
                    StepState::NotYet
                } else {
                    StepState::Todo
                });
            }
            if let Some(r) = recorded {
                let on = r.done_on.map(|d| d.to_string()).unwrap_or_default();
                let rec = Localized::new(
                    format!("記録: {on} {}", r.done_by),
                    format!("recorded: {on} {}", r.done_by),
                );
                detail = if detail.ja.is_empty() {
                    rec
                } else {
                    Localized::new(
                        format!("{} / {}", detail.ja, rec.ja),
                        format!("{} / {}", detail.en, rec.en),
                    )
                };
            }
            StepStatus {
                key: def.key,
                phase: def.phase,
                due,
                state: state.unwrap_or(StepState::Todo),
                summary: Localized::new(def.ja, def.en),
                detail,
                subjects,
            }
        })
        .collect();
    Some(Programme {
        year,
        start,
        end,
        steps,
    })
}

/// Steps of a phase can be done from: before-steps any time, the others once the window opens.
fn phase_opens(phase: HolidayPhase, start: Date, end: Date) -> Date {
    match phase {
        HolidayPhase::Before => Date::MIN,
        HolidayPhase::During => start,
        HolidayPhase::After => end.checked_add(days(1)).unwrap_or(end),
    }
}

/// What mamori's own data says about a step: `None` for steps only a person can record.
/// A step's state as mamori sees it (`None`: only the record can say), what it saw, and the
/// devices or contacts concerned.
type Observed = (Option<StepState>, Localized, Vec<String>);

fn observed(
    ctx: &CheckContext,
    def: &HolidayStepDef,
    start: Date,
    end: Date,
    taken: &[&TakenOut],
) -> Observed {
    let none = || (None, Localized::new("", ""), Vec::new());
    match def.key {
        "contacts-verified" => contacts_verified(ctx, start),
        "power-off" => power_off(ctx),
        "takeout-register" => takeout_register(taken),
        "takeout-scanned" => takeout_scanned(ctx, end, taken),
        "patches" | "definitions" => updates_since(ctx, def, end),
        "backup-offline" => backup_offline(ctx),
        _ => none(),
    }
}

/// From the backup ledger and the scans: every backed-up system has a copy off the network,
/// and no scanned destination shows encrypted files or a ransom note.
fn backup_offline(ctx: &CheckContext) -> Observed {
    let site = ctx.site;
    if site.backups.is_empty() && site.backup_scans.is_empty() {
        return (None, Localized::new("", ""), Vec::new());
    }
    let marked: Vec<String> = site
        .backup_scans
        .iter()
        .filter(|s| s.suspect_count > 0 || s.ransom_note_count > 0)
        .map(|s| s.root.clone())
        .collect();
    if !marked.is_empty() {
        return (
            Some(StepState::Problem),
            Localized::new(
                "バックアップの保存先に暗号化や脅迫文の痕跡があります",
                "a backup destination shows encryption or a ransom note",
            ),
            marked,
        );
    }
    let online: Vec<String> = crate::backup::systems(site)
        .into_iter()
        .filter(|(_, jobs)| !jobs.iter().any(|j| j.offline_copy == Some(true)))
        .map(|(system, _)| system.label())
        .collect();
    if online.is_empty() {
        (
            Some(StepState::Ok),
            Localized::new(
                "バックアップ台帳のすべてのシステムにオフラインの複製があります",
                "every system in the backup ledger has an offline copy",
            ),
            Vec::new(),
        )
    } else {
        (
            Some(StepState::Problem),
            Localized::new(
                format!(
                    "オフラインの複製がないシステムが {} 件あります",
                    online.len()
                ),
                format!("{} systems have no offline copy", online.len()),
            ),
            online,
        )
    }
}

fn contacts_verified(ctx: &CheckContext, start: Date) -> Observed {
    let site = ctx.site;
    let since = start
        .checked_sub(days(site.config.thresholds.contact_before_closure_days))
        .unwrap_or(start);
    if site.contacts.is_empty() {
        return (
            Some(StepState::Problem),
            Localized::new("連絡先一覧（contacts）がありません", "no contacts table"),
            Vec::new(),
        );
    }
    let stale: Vec<String> = site
        .contacts
        .iter()
        .filter(|c| c.verified_on.is_none_or(|d| d < since || d > ctx.as_of))
        .map(|c| format!("{} {}", c.role, c.name))
        .collect();
    if stale.is_empty() {
        (
            Some(StepState::Ok),
            Localized::new(
                format!("全 {} 件を {since} 以降に確認済み", site.contacts.len()),
                format!("all {} verified since {since}", site.contacts.len()),
            ),
            Vec::new(),
        )
    } else if ctx.as_of < since {
        (
            Some(StepState::NotYet),
            Localized::new(
                format!("{since} 以降に全件の連絡先を確認してください"),
                format!("verify every contact on or after {since}"),
            ),
            Vec::new(),
        )
    } else {
        (
            Some(StepState::Problem),
            Localized::new(
                format!("{since} 以降に確認していない連絡先が {} 件", stale.len()),
                format!("{} contacts not verified since {since}", stale.len()),
            ),
            stale,
        )
    }
}

fn power_off(ctx: &CheckContext) -> Observed {
    let site = ctx.site;
    // Which servers must run through the holiday (inpatient EMR) only the site knows:
    // mamori lists the PCs and printers as the candidates.
    let candidates: Vec<String> = site
        .assets
        .iter()
        .filter(|a| matches!(a.kind, Some(AssetKind::Pc | AssetKind::Printer)))
        .map(asset_label)
        .collect();
    let detail = Localized::new(
        format!(
            "電源を切る候補: 端末・プリンタ {} 台（サーバは院内の判断）",
            candidates.len()
        ),
        format!(
            "candidates: {} PCs and printers (servers: the site decides)",
            candidates.len()
        ),
    );
    (None, detail, candidates)
}

fn takeout_register(taken: &[&TakenOut]) -> Observed {
    let list: Vec<String> = taken
        .iter()
        .map(|t| {
            format!(
                "{} {} {}〜{}",
                t.device,
                t.person,
                opt(t.out_on),
                opt(t.back_on)
            )
        })
        .collect();
    let detail = Localized::new(
        format!("持ち出し記録 {} 件", list.len()),
        format!("{} devices recorded as taken out", list.len()),
    );
    (None, detail, list)
}

fn takeout_scanned(ctx: &CheckContext, end: Date, taken: &[&TakenOut]) -> Observed {
    let none = || (None, Localized::new("", ""), Vec::new());
    if ctx.as_of <= end {
        return none();
    }
    let unscanned: Vec<String> = taken
        .iter()
        .filter(|t| !t.scanned)
        .map(|t| format!("{} {}", t.device, t.person))
        .collect();
    match (taken.is_empty(), unscanned.is_empty()) {
        (true, _) => (
            Some(StepState::Ok),
            Localized::new("持ち出し記録なし", "nothing recorded as taken out"),
            Vec::new(),
        ),
        (false, true) => (
            Some(StepState::Ok),
            Localized::new(
                "持ち出した機器はすべてチェック済み",
                "every device taken out was scanned",
            ),
            Vec::new(),
        ),
        (false, false) => (
            Some(StepState::Problem),
            Localized::new(
                format!("ウイルスチェック未記録 {} 件", unscanned.len()),
                format!("{} not recorded as scanned", unscanned.len()),
            ),
            unscanned,
        ),
    }
}

fn updates_since(ctx: &CheckContext, def: &HolidayStepDef, end: Date) -> Observed {
    let site = ctx.site;
    let none = || (None, Localized::new("", ""), Vec::new());
    if ctx.as_of <= end {
        return none();
    }
    let patches = def.key == "patches";
    let relevant = |a: &&Asset| {
        matches!(a.kind, Some(AssetKind::Pc | AssetKind::Server))
            || patches && a.kind.is_some_and(AssetKind::is_boundary)
    };
    let dated = |a: &Asset| {
        if patches {
            a.last_patched
        } else {
            a.av_updated
        }
    };
    let devices: Vec<&Asset> = site.assets.iter().filter(relevant).collect();
    if devices.iter().all(|a| dated(a).is_none()) {
        return none();
    }
    let behind: Vec<String> = devices
        .iter()
        .filter(|a| dated(a).is_none_or(|d| d <= end))
        .map(|a| asset_label(a))
        .collect();
    if behind.is_empty() {
        (
            Some(StepState::Ok),
            Localized::new(
                format!("対象 {} 台すべて {end} より後に更新済み", devices.len()),
                format!("all {} devices updated after {end}", devices.len()),
            ),
            Vec::new(),
        )
    } else {
        (
            Some(StepState::Problem),
            Localized::new(
                format!("{end} より後の更新がない機器 {} 台", behind.len()),
                format!("{} devices not updated since {end}", behind.len()),
            ),
            behind,
        )
    }
}

fn asset_label(a: &Asset) -> String {
    if a.name.is_empty() {
        a.id.clone()
    } else {
        format!("{}（{}）", a.name, a.id)
    }
}

fn opt(d: Option<Date>) -> String {
    d.map(|d| d.to_string()).unwrap_or_default()
}

/// The closure whose programme matters on `day`: the one starting this December, or the one
/// that ended at most `AFTER_WATCH_DAYS` ago.
pub fn relevant_year(ctx: &CheckContext) -> Option<i16> {
    let day = ctx.as_of;
    [day.year() - 1, day.year()].into_iter().rev().find(|&y| {
        ctx.site
            .config
            .closures
            .year_end_window(y)
            .is_some_and(|(start, end)| {
                let from = start.checked_sub(days(BEFORE_LEAD_DAYS)).unwrap_or(start);
                let until = end.checked_add(days(AFTER_WATCH_DAYS)).unwrap_or(end);
                from <= day && day <= until
            })
    })
}

/// One finding listing the open steps of a phase, or none when all are done.
pub(crate) fn open_steps_finding(
    rule: &crate::Rule,
    p: &Programme,
    phase: HolidayPhase,
) -> Option<mamori_model::Finding> {
    use mamori_model::{Evidence, Subject, SubjectKind};
    let open: Vec<&StepStatus> = p
        .steps
        .iter()
        .filter(|s| s.phase == phase && s.state.is_open())
        .collect();
    if open.is_empty() {
        return None;
    }
    let ja: Vec<String> = open.iter().map(|s| s.summary.ja.clone()).collect();
    let en: Vec<String> = open.iter().map(|s| s.summary.en.clone()).collect();
    let phase_label = phase.label();
    let message = Localized::new(
        format!(
            "年末年始（{}〜{}）の{}の手順のうち {} 件が未了です: {}",
            p.start,
            p.end,
            phase_label.ja,
            open.len(),
            ja.join("／")
        ),
        format!(
            "{} of the year-end closure ({} to {}): {} steps open: {}",
            phase_label.en,
            p.start,
            p.end,
            open.len(),
            en.join("; ")
        ),
    );
    let steps: Vec<serde_json::Value> = open
        .iter()
        .map(|s| {
            serde_json::json!({
                "step": s.key, "state": s.state, "due": s.due.to_string(),
                "detail": s.detail.ja, "subjects": s.subjects.iter().take(20).collect::<Vec<_>>(),
            })
        })
        .collect();
    let mut evidence = Evidence::default()
        .fact("closure_start", p.start.to_string())
        .fact("closure_end", p.end.to_string())
        .fact("open_steps", serde_json::Value::Array(steps));
    evidence.count = Some(open.len() as u64);
    let subject = Subject::new(
        SubjectKind::Checklist,
        format!(
            "holiday:{}:{}",
            p.year,
            match phase {
                HolidayPhase::Before => "before",
                HolidayPhase::During => "during",
                HolidayPhase::After => "after",
            }
        ),
        format!("年末年始 {}", phase_label.ja),
    );
    Some(rule.finding(subject, rule.default_severity, message, evidence))
}
