//! Ordering vendor version strings, and turning a device's own notation into NVD's.
//!
//! NVD publishes no ordering rule for `versionStart*/versionEnd*` (research/vuln.md §3.3), so
//! this is ours: split into numeric and alphabetic runs, compare numbers as numbers, treat
//! missing trailing parts as zero (`9.12` = `9.12.0`), pre-release words (`beta`, `rc`) below
//! the release, other letters (`116n`, `r2`) above it. Each position is mapped to a key and the
//! keys compared in order, which makes the ordering total by construction (the property tests
//! hold it to that).

use std::cmp::Ordering;

/// One comparable position.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    /// `alpha`, `beta`, `rc`…: before the release they precede.
    Pre(u8, String),
    /// A missing position, or zero.
    Zero,
    /// A positive number: digits without leading zeros, ordered by length then text.
    Num(usize, String),
    /// Any other word.
    Word(String),
}

fn pre_rank(word: &str) -> Option<u8> {
    Some(match word {
        "dev" | "snapshot" => 0,
        "alpha" | "a" => 1,
        "beta" | "b" => 2,
        "pre" | "preview" => 3,
        "rc" => 4,
        _ => return None,
    })
}

fn keys(version: &str) -> Vec<Key> {
    let lower = version.trim().to_lowercase();
    let s = lower
        .strip_prefix('v')
        .filter(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
        .unwrap_or(&lower);
    let mut keys = Vec::new();
    let mut chars = s.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_ascii_digit() {
            let mut digits = String::new();
            while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                digits.push(d);
                chars.next();
            }
            let trimmed = digits.trim_start_matches('0');
            keys.push(if trimmed.is_empty() {
                Key::Zero
            } else {
                Key::Num(trimmed.len(), trimmed.to_owned())
            });
        } else if c.is_alphabetic() {
            let mut word = String::new();
            while let Some(&a) = chars.peek().filter(|a| a.is_alphabetic()) {
                word.push(a);
                chars.next();
            }
            keys.push(match pre_rank(&word) {
                Some(rank) => Key::Pre(rank, word),
                None => Key::Word(word),
            });
        } else {
            chars.next();
        }
    }
    while keys.last() == Some(&Key::Zero) {
        keys.pop();
    }
    keys
}

/// Orders two version strings.
pub fn compare(a: &str, b: &str) -> Ordering {
    let (ka, kb) = (keys(a), keys(b));
    let n = ka.len().max(kb.len());
    for i in 0..n {
        let x = ka.get(i).unwrap_or(&Key::Zero);
        let y = kb.get(i).unwrap_or(&Key::Zero);
        match x.cmp(y) {
            Ordering::Equal => {}
            other => return other,
        }
    }
    Ordering::Equal
}

/// How a product writes its versions, i.e. which normaliser turns the device's string into the
/// form NVD uses for it (research/vuln.md §3.5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scheme {
    /// Plain dotted numbers.
    Generic,
    /// `v7.2.5,build1517 (GA.F)`, `7.0.12-build0523`, `FGT60F-7.0.12-FW-build0523-230710` → `7.0.12`.
    Fortios,
    /// `9.16(4)85` → `9.16.4.85`.
    CiscoAsa,
    /// `10.2.9-h1` → version `10.2.9`, update `h1` (no hotfix: update `-`).
    PanOs,
    /// `22.7R2.3` → version `22.7`, update `r2.3`.
    Ivanti,
    /// `NS13.1 Build 58.32`, `13.1-58.32` → `13.1-58.32`.
    Citrix,
    /// `7.0.1-5035`, `6.5.4.15-116n`: kept; the comparator already treats `-` like `.`.
    Sonicos,
    /// Windows: builds (`10.0.17763.6414`) kept; service packs go to the update field.
    Windows,
}

/// A version in NVD's terms: the `version` attribute and, for vendors that put patches
/// there, the `update` attribute.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NvdVersion {
    /// The `version` attribute.
    pub version: String,
    /// The `update` attribute, for vendors that put patch levels there.
    pub update: Option<String>,
}

impl Scheme {
    /// The device's version string in NVD's notation; `None` when nothing version-like is in it.
    pub fn normalise(self, raw: &str) -> Option<NvdVersion> {
        let raw = raw.trim();
        if raw.is_empty() || !raw.chars().any(|c| c.is_ascii_digit()) {
            return None;
        }
        let plain = |version: String| {
            Some(NvdVersion {
                version,
                update: None,
            })
        };
        match self {
            Scheme::Sonicos | Scheme::Windows => plain(strip_v(raw).to_owned()),
            Scheme::Generic => plain(strip_label(raw).to_owned()),
            Scheme::Fortios => plain(first_dotted(strip_v(raw), 3)?),
            Scheme::CiscoAsa => {
                let s = strip_v(raw.split_whitespace().next().unwrap_or(raw));
                let dotted = s.replace(['(', ')'], ".");
                plain(
                    dotted
                        .split('.')
                        .filter(|p| !p.is_empty())
                        .collect::<Vec<_>>()
                        .join("."),
                )
            }
            Scheme::PanOs => {
                let s = strip_v(raw);
                let (version, hotfix) = match s.to_lowercase().split_once("-h") {
                    Some((v, h)) => (v.to_owned(), format!("h{h}")),
                    None => (s.to_owned(), "-".to_owned()),
                };
                Some(NvdVersion {
                    version,
                    update: Some(hotfix),
                })
            }
            Scheme::Ivanti => {
                let s = strip_v(raw).to_lowercase();
                let (version, release) = match s.split_once('r') {
                    Some((v, r)) => (v.trim().to_owned(), format!("r{}", r.trim())),
                    None => (s.clone(), "-".to_owned()),
                };
                Some(NvdVersion {
                    version,
                    update: Some(release),
                })
            }
            Scheme::Citrix => {
                let lower = raw.to_lowercase();
                let s = lower.trim_start_matches("ns");
                let numbers: Vec<&str> = s
                    .split(|c: char| !(c.is_ascii_digit() || c == '.'))
                    .filter(|p| !p.is_empty())
                    .collect();
                match numbers.as_slice() {
                    [release, build, ..] => plain(format!("{release}-{build}")),
                    [release] => plain((*release).to_owned()),
                    [] => None,
                }
            }
        }
    }
}

/// `Rev.14.01.42`, `Ver. 5.1`, `Version 2.0` → the numbers.
fn strip_label(s: &str) -> &str {
    let lower = s.to_ascii_lowercase();
    for label in ["version", "ver", "rev", "v"] {
        if lower.starts_with(label) {
            let rest = s[label.len()..].trim_start_matches(['.', ' ', ':']);
            if rest.starts_with(|c: char| c.is_ascii_digit()) {
                return rest;
            }
        }
    }
    s
}

fn strip_v(s: &str) -> &str {
    s.strip_prefix(['v', 'V'])
        .filter(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
        .unwrap_or(s)
}

/// The first version-like number in free text (`for Windows 5.8 (Build 1577) 未満` → `5.8`).
pub fn first_number(text: &str) -> Option<String> {
    first_dotted(text, 8)
}

/// The first run of up to `max_parts` dot-separated numbers with at least two parts
/// (`FGT60F-7.0.12-FW-build0523` → `7.0.12`); a bare number when there is nothing dotted.
fn first_dotted(s: &str, max_parts: usize) -> Option<String> {
    let bytes = s.as_bytes();
    let mut best: Option<String> = None;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric()) {
            let start = i;
            let mut parts = 1;
            while i < bytes.len()
                && (bytes[i].is_ascii_digit()
                    || (bytes[i] == b'.' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)))
            {
                if bytes[i] == b'.' {
                    parts += 1;
                    if parts > max_parts {
                        break;
                    }
                }
                i += 1;
            }
            let run = &s[start..i];
            if parts >= 2 {
                return Some(run.to_owned());
            }
            best.get_or_insert_with(|| run.to_owned());
        }
        i += 1;
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orders_real_vendor_versions() {
        let ascending = [
            ("7.0.9", "7.0.12"),
            ("7.0.12", "7.0.14"),
            ("9.8.4", "9.8.4.20"),
            ("9.16.4.84", "9.16.4.85"),
            ("9.16", "9.16.4.85"),
            ("13.1-37.159", "13.1-49.13"),
            ("13.0-91.13", "13.1"),
            ("6.5.4.15-116n", "6.5.4.15-117n"),
            ("7.0.1-5035", "7.0.1-5050"),
            ("10.0.17763.2029", "10.0.17763.6414"),
            ("10.0.0.0", "10.2.0.5-d-29sv"),
            ("1.0-beta", "1.0"),
            ("1.0-rc1", "1.0"),
            ("4.4.0", "4.4.1"),
        ];
        for (a, b) in ascending {
            assert_eq!(compare(a, b), Ordering::Less, "{a} < {b}");
            assert_eq!(compare(b, a), Ordering::Greater, "{b} > {a}");
        }
        for (a, b) in [
            ("9.12", "9.12.0"),
            ("v7.0.12", "7.0.12"),
            ("6.5.4.15-116n", "6.5.4.15.116n"),
            ("07.00.12", "7.0.12"),
        ] {
            assert_eq!(compare(a, b), Ordering::Equal, "{a} = {b}");
        }
    }

    fn norm(scheme: Scheme, raw: &str) -> (String, Option<String>) {
        let v = scheme.normalise(raw).unwrap();
        (v.version, v.update)
    }

    #[test]
    fn vendor_notations_become_nvd_notation() {
        for raw in [
            "7.0.12",
            "v7.0.12,build0523,230710 (GA)",
            "7.0.12-build0523",
            "FGT60F-7.0.12-FW-build0523-230710",
        ] {
            assert_eq!(norm(Scheme::Fortios, raw), ("7.0.12".into(), None), "{raw}");
        }
        assert_eq!(norm(Scheme::Fortios, "v7.2.5,build1517 (GA.F)").0, "7.2.5");
        assert_eq!(norm(Scheme::CiscoAsa, "9.16(4)85").0, "9.16.4.85");
        assert_eq!(norm(Scheme::CiscoAsa, "9.8(4)").0, "9.8.4");
        assert_eq!(norm(Scheme::CiscoAsa, "9.16(4)85.2").0, "9.16.4.85.2");
        assert_eq!(norm(Scheme::CiscoAsa, "9.16.4.85").0, "9.16.4.85");
        assert_eq!(
            norm(Scheme::PanOs, "10.2.9-h1"),
            ("10.2.9".into(), Some("h1".into()))
        );
        assert_eq!(
            norm(Scheme::PanOs, "10.2.9"),
            ("10.2.9".into(), Some("-".into()))
        );
        assert_eq!(
            norm(Scheme::Ivanti, "22.7R2.3"),
            ("22.7".into(), Some("r2.3".into()))
        );
        assert_eq!(
            norm(Scheme::Ivanti, "9.1R18"),
            ("9.1".into(), Some("r18".into()))
        );
        assert_eq!(norm(Scheme::Citrix, "13.1-58.32").0, "13.1-58.32");
        assert_eq!(norm(Scheme::Citrix, "NS13.1 Build 58.32").0, "13.1-58.32");
        assert_eq!(norm(Scheme::Sonicos, "7.0.1-5035").0, "7.0.1-5035");
        assert_eq!(
            norm(Scheme::Windows, "10.0.17763.6414").0,
            "10.0.17763.6414"
        );
        assert_eq!(norm(Scheme::Generic, "Rev.14.01.42").0, "14.01.42");
        assert_eq!(norm(Scheme::Generic, "Ver. 5.1").0, "5.1");
        assert_eq!(Scheme::Fortios.normalise("不明"), None);
        assert_eq!(Scheme::Generic.normalise(""), None);
    }

    mod properties {
        use super::super::*;
        use proptest::prelude::*;

        fn version() -> impl Strategy<Value = String> {
            proptest::string::string_regex(
                "v?[0-9]{1,3}(\\.[0-9]{1,4}){0,4}([-_.]?(beta|rc|h|r|n|sv|build)?[0-9]{0,4})?",
            )
            .unwrap()
        }

        proptest! {
            #[test]
            fn ordering_is_total(a in version(), b in version(), c in version()) {
                // Antisymmetry.
                prop_assert_eq!(compare(&a, &b), compare(&b, &a).reverse());
                // Transitivity.
                if compare(&a, &b) != Ordering::Greater && compare(&b, &c) != Ordering::Greater {
                    prop_assert_ne!(compare(&a, &c), Ordering::Greater);
                }
                // Reflexivity.
                prop_assert_eq!(compare(&a, &a), Ordering::Equal);
            }

            #[test]
            fn numeric_versions_order_like_their_numbers(
                x in proptest::collection::vec(0u32..5000, 1..5),
                y in proptest::collection::vec(0u32..5000, 1..5),
            ) {
                let pad = |v: &[u32]| { let mut v = v.to_vec(); v.resize(5, 0); v };
                let sx = x.iter().map(u32::to_string).collect::<Vec<_>>().join(".");
                let sy = y.iter().map(u32::to_string).collect::<Vec<_>>().join(".");
                prop_assert_eq!(compare(&sx, &sy), pad(&x).cmp(&pad(&y)));
            }

            #[test]
            fn asa_notation_orders_like_dotted(
                a in 1u32..20, b in 0u32..30, c in 0u32..20, d in 0u32..300,
                e in 1u32..20, f in 0u32..30, g in 0u32..20, h in 0u32..300,
            ) {
                let asa = |a, b, c, d| Scheme::CiscoAsa.normalise(&format!("{a}.{b}({c}){d}")).unwrap().version;
                prop_assert_eq!(
                    compare(&asa(a, b, c, d), &asa(e, f, g, h)),
                    [a, b, c, d].cmp(&[e, f, g, h])
                );
                prop_assert_eq!(asa(a, b, c, d), format!("{a}.{b}.{c}.{d}"));
            }

            #[test]
            fn fortios_build_suffixes_do_not_change_the_version(
                a in 5u32..8, b in 0u32..5, c in 0u32..20, build in 1000u32..3000,
            ) {
                let plain = format!("{a}.{b}.{c}");
                for raw in [
                    format!("v{plain},build{build} (GA)"),
                    format!("{plain}-build{build}"),
                    format!("FGT60F-{plain}-FW-build{build}-230710"),
                ] {
                    prop_assert_eq!(Scheme::Fortios.normalise(&raw).unwrap().version, plain.clone());
                }
            }

            #[test]
            fn never_panics(s in "\\PC{0,40}") {
                let _ = compare(&s, "1.0");
                for scheme in [Scheme::Generic, Scheme::Fortios, Scheme::CiscoAsa, Scheme::PanOs,
                               Scheme::Ivanti, Scheme::Citrix, Scheme::Sonicos, Scheme::Windows] {
                    let _ = scheme.normalise(&s);
                }
            }
        }
    }
}
