//! Who may use the dashboard and what they decided: roles, users, the status people give a
//! finding. The store keeps them; `mamori_app::access` signs people in; the web server only
//! asks "may this user see or do this?".

use serde::{Deserialize, Serialize};

use crate::Localized;

/// What a user may do. Checked on the server for every page and API call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Everything: users, the audit log, every page.
    Admin,
    /// Read everything but the audit log; record answers and finding status; run assess.
    Staff,
    /// A maintenance vendor under NDA: only its own connections, checklist and the findings
    /// on the devices it maintains.
    Vendor,
}

/// For `--role`: `admin`, `staff` or `vendor`.
impl std::str::FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Role::parse(s).ok_or_else(|| "admin, staff, vendor".to_owned())
    }
}

impl Role {
    /// The id used on the command line and in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Staff => "staff",
            Role::Vendor => "vendor",
        }
    }

    /// Parses `admin` / `staff` / `vendor`.
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "admin" => Some(Role::Admin),
            "staff" => Some(Role::Staff),
            "vendor" => Some(Role::Vendor),
            _ => None,
        }
    }

    /// The role in words.
    pub fn label(self) -> Localized {
        match self {
            Role::Admin => Localized::new("管理者", "administrator"),
            Role::Staff => Localized::new("職員", "staff"),
            Role::Vendor => Localized::new("保守事業者", "vendor"),
        }
    }
}

/// A person who may sign in to the dashboard.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct User {
    /// The row id.
    pub id: i64,
    /// The sign-in name.
    pub name: String,
    /// What they may do.
    pub role: Role,
    /// For a vendor user: the vendor id of 事業者一覧 whose tasks they see.
    pub vendor: Option<String>,
    /// Whether a TOTP code is asked at sign-in.
    pub has_totp: bool,
    /// Disabled users cannot sign in; their sessions end.
    pub disabled: bool,
    /// When the user was added (RFC 3339).
    pub created_at: String,
}

/// What people decided about a finding (対応中 / 対応済み / リスク受容 / 誤検知).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DecisionStatus {
    /// 対応中: someone is working on it.
    InProgress,
    /// 対応済み: fixed, waiting for the next run to confirm.
    Done,
    /// リスク受容: the risk is accepted, with a reason and a date.
    Accepted,
    /// 誤検知: the finding is wrong.
    FalsePositive,
}

impl DecisionStatus {
    /// Every status, in the order a form lists them.
    pub const ALL: [DecisionStatus; 4] = [
        DecisionStatus::InProgress,
        DecisionStatus::Done,
        DecisionStatus::Accepted,
        DecisionStatus::FalsePositive,
    ];

    /// The id stored and posted.
    pub fn as_str(self) -> &'static str {
        match self {
            DecisionStatus::InProgress => "in-progress",
            DecisionStatus::Done => "done",
            DecisionStatus::Accepted => "accepted",
            DecisionStatus::FalsePositive => "false-positive",
        }
    }

    /// Parses a stored or posted id.
    pub fn parse(s: &str) -> Option<DecisionStatus> {
        DecisionStatus::ALL.into_iter().find(|d| d.as_str() == s)
    }

    /// The status in words.
    pub fn label(self) -> Localized {
        match self {
            DecisionStatus::InProgress => Localized::new("対応中", "in progress"),
            DecisionStatus::Done => Localized::new("対応済み", "done"),
            DecisionStatus::Accepted => Localized::new("リスク受容", "risk accepted"),
            DecisionStatus::FalsePositive => Localized::new("誤検知", "false positive"),
        }
    }

    /// Whether the status needs a reason (accepting a risk, calling a finding wrong).
    pub fn needs_reason(self) -> bool {
        matches!(
            self,
            DecisionStatus::Accepted | DecisionStatus::FalsePositive
        )
    }
}

/// The status a person gave one finding, with owner and due date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Decision {
    /// The finding's stable id.
    pub finding_id: String,
    /// The status.
    pub status: DecisionStatus,
    /// Why (required for リスク受容 and 誤検知).
    pub reason: String,
    /// Who owns the work.
    pub owner: String,
    /// When it is due (YYYY-MM-DD).
    pub due: Option<String>,
    /// The day a risk was accepted (YYYY-MM-DD).
    pub accepted_on: Option<String>,
    /// Who set it.
    pub updated_by: String,
    /// When (RFC 3339).
    pub updated_at: String,
}
