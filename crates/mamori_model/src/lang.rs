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

/// Why something asked of mamori will not be done, in both languages: the command line prints
/// it in the user's language (exit 2), a web page shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal(pub Localized);

impl Refusal {
    /// A refusal from its two texts.
    pub fn new(ja: impl Into<String>, en: impl Into<String>) -> Self {
        Refusal(Localized::new(ja, en))
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0.en)
    }
}

impl std::error::Error for Refusal {}
