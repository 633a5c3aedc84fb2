//! The year-end programme as data: its dated steps and their states. `mamori_checks` judges
//! them (`holiday::programme`), `mamori_report` renders them, and the application layer hands
//! them from one to the other.

use jiff::civil::Date;
use serde::Serialize;

use crate::Localized;
use crate::answers::HolidayPhase;

/// Where one step stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum StepState {
    /// Recorded as done in `holiday.toml`, and nothing mamori sees says otherwise.
    Done,
    /// mamori's own data shows it done.
    Ok,
    /// mamori's own data shows it is not done.
    Problem,
    /// Not recorded yet.
    Todo,
    /// Its time has not come.
    NotYet,
}

impl StepState {
    /// The state as people read it.
    pub fn label(self) -> Localized {
        match self {
            StepState::Done => Localized::new("済", "done"),
            StepState::Ok => Localized::new("確認済（mamori）", "ok (mamori)"),
            StepState::Problem => Localized::new("要対応", "action needed"),
            StepState::Todo => Localized::new("未記録", "not recorded"),
            StepState::NotYet => Localized::new("時期前", "not yet due"),
        }
    }

    /// Still to be done: not recorded, or mamori sees it undone.
    pub fn is_open(self) -> bool {
        matches!(self, StepState::Problem | StepState::Todo)
    }
}

/// One step with its due date and state.
#[derive(Clone, Debug, Serialize)]
pub struct StepStatus {
    /// The step's key (`HOLIDAY_STEPS`).
    pub key: &'static str,
    /// Before, during or after the closure.
    pub phase: HolidayPhase,
    /// The day by which it should be done.
    pub due: Date,
    /// Done, to do, a problem, or not yet due.
    pub state: StepState,
    /// What to do, in both languages.
    pub summary: Localized,
    /// What mamori saw, or what was recorded (who, when).
    pub detail: Localized,
    /// Devices or contacts the step is about.
    pub subjects: Vec<String>,
}

/// The whole programme for the closure starting in December of `year`.
#[derive(Clone, Debug, Serialize)]
pub struct Programme {
    /// The year the closure starts in (December's year).
    pub year: i16,
    /// The closure's first day.
    pub start: Date,
    /// The closure's last day.
    pub end: Date,
    /// Every step, in programme order.
    pub steps: Vec<StepStatus>,
}

impl Programme {
    /// The step with this key (`HOLIDAY_STEPS`).
    pub fn step(&self, key: &str) -> Option<&StepStatus> {
        self.steps.iter().find(|s| s.key == key)
    }
}
