//! What people record in the site folder beside the tables: answers to the MHLW checklists
//! (`checklist.toml`) and progress on the year-end holiday programme (`holiday.toml`).
//! Items are named by their stable key from [`crate::catalog`].

use jiff::civil::Date;
use serde::Serialize;

use crate::finding::SourceRef;
use crate::lang::Localized;

/// An answer as the official lists have them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Answer {
    /// はい
    Yes,
    /// いいえ
    No,
    /// 対象外 (not applicable: e.g. no vendor contract for 2-②)
    NotApplicable,
}

impl Answer {
    /// Reads 「はい」「いいえ」「対象外」 and their English and symbol forms.
    pub fn parse(s: &str) -> Option<Answer> {
        match s.trim().to_lowercase().as_str() {
            "はい" | "yes" | "y" | "○" | "〇" => Some(Answer::Yes),
            "いいえ" | "no" | "n" | "×" => Some(Answer::No),
            "対象外" | "該当なし" | "n/a" | "na" | "-" | "－" => {
                Some(Answer::NotApplicable)
            }
            _ => None,
        }
    }

    /// The answer as the inspection sheet writes it.
    pub fn label(self) -> Localized {
        match self {
            Answer::Yes => Localized::new("はい", "yes"),
            Answer::No => Localized::new("いいえ", "no"),
            Answer::NotApplicable => Localized::new("対象外", "not applicable"),
        }
    }

    /// The Japanese word written in `checklist.toml`.
    pub fn as_ja(self) -> &'static str {
        match self {
            Answer::Yes => "はい",
            Answer::No => "いいえ",
            Answer::NotApplicable => "対象外",
        }
    }
}

/// One item answered for one fiscal year.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ItemAnswer {
    /// The fiscal year, by its starting calendar year (令和8年度 = 2026).
    pub fiscal_year: i16,
    /// The item's stable key (`unneeded-accounts`).
    pub item: String,
    /// はい / いいえ / 対象外; `None` while unanswered.
    pub answer: Option<Answer>,
    /// The day it was checked: an answer is evidence only with a date.
    pub checked_on: Option<Date>,
    /// Who checked it.
    pub checked_by: String,
    /// For 「いいえ」: when it will be done (within the fiscal year, as the inspection expects).
    pub target_date: Option<Date>,
    /// Free notes, printed beside the answer.
    pub notes: String,
    /// Files inside the site folder that back the answer.
    pub evidence: Vec<String>,
    /// The `checklist.toml` line it was read from.
    #[serde(skip)]
    pub origin: SourceRef,
}

/// One vendor's 事業者確認用 for one fiscal year.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct VendorChecklist {
    /// The vendor's id in `vendors.csv`.
    pub vendor: String,
    /// The fiscal year it answers (令和8年度 = 2026).
    pub fiscal_year: i16,
    /// The day the list was sent to the vendor.
    pub sent_on: Option<Date>,
    /// The day the vendor returned it: the measure is met only then.
    pub returned_on: Option<Date>,
    /// The returned, signed list inside the site folder.
    pub file: Option<String>,
    /// Free notes.
    pub notes: String,
    /// The vendor's answers, item by item, when recorded.
    pub answers: Vec<ItemAnswer>,
    /// The `checklist.toml` line it was read from.
    #[serde(skip)]
    pub origin: SourceRef,
}

/// `checklist.toml`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct ChecklistAnswers {
    /// 医療機関確認用 answers, every fiscal year kept.
    pub institution: Vec<ItemAnswer>,
    /// BCP 策定の確認表 answers.
    pub bcp: Vec<ItemAnswer>,
    /// 事業者確認用 lists sent to and returned by each vendor.
    pub vendors: Vec<VendorChecklist>,
}

impl ChecklistAnswers {
    /// The institution's answer to `item` for that fiscal year.
    pub fn institution_answer(&self, fiscal_year: i16, item: &str) -> Option<&ItemAnswer> {
        self.institution
            .iter()
            .find(|a| a.fiscal_year == fiscal_year && a.item == item)
    }

    /// The list of `vendor` for that fiscal year.
    pub fn vendor(&self, vendor: &str, fiscal_year: i16) -> Option<&VendorChecklist> {
        self.vendors
            .iter()
            .find(|v| v.vendor == vendor && v.fiscal_year == fiscal_year)
    }
}

/// One step of the holiday programme marked done (`holiday.toml`).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct HolidayStep {
    /// The year the closure starts in (December's year).
    pub year: i16,
    /// The step's key (`takeout-rules`, `log-review`…).
    pub step: String,
    /// The day it was done.
    pub done_on: Option<Date>,
    /// Who did it.
    pub done_by: String,
    /// Free notes.
    pub notes: String,
    /// The `holiday.toml` line it was read from.
    #[serde(skip)]
    pub origin: SourceRef,
}

/// A device taken off site over the holiday (持ち出し機器の記録).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct TakenOut {
    /// The year the closure starts in (December's year).
    pub year: i16,
    /// Ledger id or name of the device, or a description (USB メモリ).
    pub device: String,
    /// Who took it.
    pub person: String,
    /// The day it left the site.
    pub out_on: Option<Date>,
    /// The day it came back; `None` while still out.
    pub back_on: Option<Date>,
    /// Scanned for malware after it came back.
    pub scanned: bool,
    /// The `holiday.toml` line it was read from.
    #[serde(skip)]
    pub origin: SourceRef,
}

/// `holiday.toml`.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct HolidayRecord {
    /// Steps marked done, every year kept.
    pub steps: Vec<HolidayStep>,
    /// Devices taken off site, every year kept.
    pub taken_out: Vec<TakenOut>,
}

impl HolidayRecord {
    /// The record of `step` for the closure starting in `year`.
    pub fn step(&self, year: i16, step: &str) -> Option<&HolidayStep> {
        self.steps.iter().find(|s| s.year == year && s.step == step)
    }
}

/// When in the year-end programme a step belongs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum HolidayPhase {
    /// 休暇前
    Before,
    /// 休暇中
    During,
    /// 休暇明け
    After,
}

impl HolidayPhase {
    /// The phase as printed on the programme.
    pub fn label(self) -> Localized {
        match self {
            HolidayPhase::Before => Localized::new("休暇前", "before"),
            HolidayPhase::During => Localized::new("休暇中", "during"),
            HolidayPhase::After => Localized::new("休暇明け", "after"),
        }
    }
}

/// One step of the year-end programme (IPA's long-holiday measures as the MHLW notice relays
/// them). `key` is what `holiday.toml` records as done.
pub struct HolidayStepDef {
    /// Stable key, recorded in `holiday.toml` when done.
    pub key: &'static str,
    /// Before, during or after the closure.
    pub phase: HolidayPhase,
    /// Id in `data/measures.toml`.
    pub measure: &'static str,
    /// What to do, in Japanese.
    pub ja: &'static str,
    /// What to do, in English.
    pub en: &'static str,
}

/// The year-end programme, in the order it is done.
pub const HOLIDAY_STEPS: &[HolidayStepDef] = &[
    HolidayStepDef {
        key: "contacts-verified",
        phase: HolidayPhase::Before,
        measure: "holiday.before-contacts",
        ja: "緊急連絡先（保守事業者・警察・厚生労働省などを含む）に休暇前 30 日以内につながることを確かめた",
        en: "Emergency contacts (vendors, police, MHLW…) reached within 30 days before the holiday",
    },
    HolidayStepDef {
        key: "connection-rules",
        phase: HolidayPhase::Before,
        measure: "holiday.before-connection-rules",
        ja: "院内ネットワークに機器をつなぐときのルールを職員と事業者に周知した",
        en: "Staff and vendors reminded of the rules for connecting devices to the internal network",
    },
    HolidayStepDef {
        key: "takeout-rules",
        phase: HolidayPhase::Before,
        measure: "holiday.before-takeout-rules",
        ja: "機器やデータを持ち出すときのルールを職員に周知した",
        en: "Staff reminded of the rules for taking devices and data off site",
    },
    HolidayStepDef {
        key: "power-off",
        phase: HolidayPhase::Before,
        measure: "holiday.before-power-off",
        ja: "休暇中に使わない機器の電源を切った",
        en: "Devices not needed during the holiday powered off",
    },
    HolidayStepDef {
        key: "backup-offline",
        phase: HolidayPhase::Before,
        measure: "holiday.before-power-off",
        ja: "バックアップを取り、オフラインの複製をネットワークから切り離した",
        en: "Backups taken and the offline copy disconnected from the network",
    },
    HolidayStepDef {
        key: "takeout-register",
        phase: HolidayPhase::During,
        measure: "holiday.during-takeout-devices",
        ja: "持ち出した機器を記録し、紛失・盗難・感染に注意して管理した",
        en: "Devices taken off site recorded and kept safe from loss, theft and infection",
    },
    HolidayStepDef {
        key: "patches",
        phase: HolidayPhase::After,
        measure: "holiday.after-patches",
        ja: "休暇中に公開された修正プログラムを適用した",
        en: "Patches released during the holiday applied",
    },
    HolidayStepDef {
        key: "definitions",
        phase: HolidayPhase::After,
        measure: "holiday.after-patches",
        ja: "ウイルス対策ソフトの定義ファイルを更新した",
        en: "Antivirus definitions updated",
    },
    HolidayStepDef {
        key: "log-review",
        phase: HolidayPhase::After,
        measure: "holiday.after-log-review",
        ja: "休暇期間中のログ（VPN・サーバ・認証）に不審なアクセスがないか確認した",
        en: "Logs of the holiday (VPN, servers, authentication) reviewed for suspicious access",
    },
    HolidayStepDef {
        key: "takeout-scanned",
        phase: HolidayPhase::After,
        measure: "holiday.during-takeout-devices",
        ja: "持ち出した機器や USB メモリを院内で使う前にウイルスチェックした",
        en: "Devices and USB media taken off site scanned before use inside",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_read_as_people_write_them() {
        assert_eq!(Answer::parse("はい"), Some(Answer::Yes));
        assert_eq!(Answer::parse(" いいえ "), Some(Answer::No));
        assert_eq!(Answer::parse("対象外"), Some(Answer::NotApplicable));
        assert_eq!(Answer::parse("Yes"), Some(Answer::Yes));
        assert_eq!(Answer::parse("たぶん"), None);
    }

    #[test]
    fn every_holiday_step_serves_a_known_measure() {
        for step in HOLIDAY_STEPS {
            assert!(
                crate::catalog::measure(step.measure).is_some(),
                "{}",
                step.key
            );
        }
    }
}
