//! Two languages everywhere: Japanese first, English second.

use serde::{Deserialize, Serialize};

/// The language of text meant for people.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Japanese: the default, the language of the notices and the users.
    #[default]
    Ja,
    /// English (`--lang en`).
    En,
}

/// A text in both languages. Findings carry both so that a stored finding can be shown in
/// either language later without re-running the check.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Localized {
    /// The Japanese text.
    pub ja: String,
    /// The English text.
    pub en: String,
}

impl Localized {
    /// A text given in both languages.
    pub fn new(ja: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            ja: ja.into(),
            en: en.into(),
        }
    }

    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Ja => &self.ja,
            Lang::En => &self.en,
        }
    }
}

/// Picks the Japanese or English form of a short UI string.
pub fn tr<'a>(lang: Lang, ja: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::Ja => ja,
        Lang::En => en,
    }
}

/// A text in both languages, usable in `const` definitions (rule titles, remediation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Text {
    /// The Japanese text.
    pub ja: &'static str,
    /// The English text.
    pub en: &'static str,
}

impl Text {
    /// An owned copy, for a finding.
    pub fn localized(&self) -> Localized {
        Localized::new(self.ja, self.en)
    }
}
