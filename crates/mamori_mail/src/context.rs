//! What the rules compare a mail against: the institution's own domains and names, its vendors
//! and staff (from the site folder), the brands phishing borrows (`data/brands.toml`), free-mail
//! providers, and the imported blocklists.

use std::sync::OnceLock;

use mamori_vuln::blocklist::{Intel, registrable_domain};
use serde::Deserialize;

/// A party whose name a display name may borrow, with the domains it really sends from.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct Party {
    /// Names as people write them (`Microsoft`, `三井住友カード`, the hospital's name).
    pub names: Vec<String>,
    /// Registrable domains it sends from.
    #[serde(default)]
    pub domains: Vec<String>,
}

#[derive(Deserialize)]
struct BrandsToml {
    brand: Vec<Party>,
}

/// The brands of `data/brands.toml`.
pub fn brands() -> &'static [Party] {
    static BRANDS: OnceLock<Vec<Party>> = OnceLock::new();
    BRANDS.get_or_init(|| {
        toml::from_str::<BrandsToml>(include_str!("../data/brands.toml"))
            .map(|b| b.brand)
            .unwrap_or_default()
    })
}

/// Free-mail providers and tenant default domains: anyone can get an address there in a
/// minute, so an organisation's name on one is a claim nobody checked.
const FREE_MAIL: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "outlook.com",
    "outlook.jp",
    "hotmail.com",
    "hotmail.co.jp",
    "live.com",
    "live.jp",
    "msn.com",
    "yahoo.com",
    "yahoo.co.jp",
    "ymail.com",
    "aol.com",
    "icloud.com",
    "me.com",
    "protonmail.com",
    "proton.me",
    "gmx.com",
    "gmx.de",
    "mail.ru",
    "yandex.ru",
    "yandex.com",
    "qq.com",
    "163.com",
    "126.com",
    "onmicrosoft.com",
];

/// Is this domain a free-mail provider (or a tenant's default `*.onmicrosoft.com`)?
pub fn is_free_mail(domain: &str) -> bool {
    let domain = domain.to_ascii_lowercase();
    FREE_MAIL
        .iter()
        .any(|f| domain == *f || domain.ends_with(&format!(".{f}")))
}

/// Everything the rules compare against.
#[derive(Clone, Debug, Default)]
pub struct MailContext {
    /// The institution: its name(s) and own mail domains (site.toml `[mail] domains`).
    pub institution: Party,
    /// Vendors and partners: their names (事業者一覧) and domains (`[mail] partner_domains`,
    /// the 緊急連絡先's addresses). Names without domains still count: a vendor's name on a
    /// free-mail address is a claim worth a look.
    pub partners: Vec<Party>,
    /// Staff names (職員名簿): a colleague's name on an outside address.
    pub staff: Vec<String>,
    /// The imported blocklists.
    pub intel: Intel,
}

impl MailContext {
    /// Every domain the site trusts as a sender: its own and its partners'.
    pub fn known_domains(&self) -> impl Iterator<Item = &str> {
        self.institution
            .domains
            .iter()
            .chain(self.partners.iter().flat_map(|p| p.domains.iter()))
            .map(String::as_str)
    }

    /// Is `domain` (or its registrable domain) the institution's own?
    pub fn is_own(&self, domain: &str) -> bool {
        same_party(domain, &self.institution.domains)
    }
}

/// Does `domain` belong to one of `domains` (equal, or a subdomain of one)?
pub fn same_party(domain: &str, domains: &[String]) -> bool {
    let domain = domain.to_ascii_lowercase();
    let registrable = registrable_domain(&domain);
    domains.iter().any(|d| {
        let d = d.to_ascii_lowercase();
        domain == d
            || domain.ends_with(&format!(".{d}"))
            || registrable.as_deref() == Some(d.as_str())
    })
}

/// Does `text` name `name`? Japanese names as substrings; Latin ones as whole words, all-capital
/// ones (`LINE`, `DHL`) only in capitals.
pub fn names(text: &str, name: &str) -> bool {
    let name = name.trim();
    if name.chars().count() < 2 {
        return false;
    }
    if !name.is_ascii() {
        return text.contains(name);
    }
    let capitals = name.chars().all(|c| !c.is_ascii_lowercase());
    let (hay, needle) = if capitals {
        (text.to_owned(), name.to_owned())
    } else {
        (text.to_lowercase(), name.to_lowercase())
    };
    let mut from = 0;
    while let Some(at) = hay[from..].find(&needle) {
        let start = from + at;
        let end = start + needle.len();
        let before = hay[..start].chars().next_back();
        let after = hay[end..].chars().next();
        let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_ascii_alphanumeric());
        if boundary(before) && boundary(after) {
            return true;
        }
        from = end;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brands_load_and_names_match_as_words() {
        assert!(brands().len() > 30);
        assert!(names("Microsoft account team", "Microsoft"));
        assert!(!names("Microsoftware", "Microsoft"));
        assert!(names(
            "【重要】三井住友カードからのお知らせ",
            "三井住友カード"
        ));
        assert!(!names("Hotline support", "LINE") && names("LINE 公式", "LINE"));
    }

    #[test]
    fn free_mail_and_parties() {
        assert!(is_free_mail("gmail.com") && is_free_mail("monis165.onmicrosoft.com"));
        assert!(!is_free_mail("example-hospital.jp"));
        let own = ["example-hospital.jp".to_owned()];
        assert!(same_party("mail.example-hospital.jp", &own));
        assert!(!same_party("example-hospital.jp.evil.example", &own));
    }
}
