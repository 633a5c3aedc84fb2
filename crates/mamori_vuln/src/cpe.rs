//! CPE 2.3 names: the formatted-string binding (NISTIR 7695 §6.2), the CPE 2.2 URI binding that
//! JVN still uses, and name comparison per NISTIR 7696.
//!
//! A value is kept unescaped and lower-cased (matching is case-insensitive), with its leading
//! and trailing wildcards apart, so comparing never has to think about backslashes.

use std::fmt;

/// The eleven attributes, in binding order.
pub const ATTRIBUTES: [&str; 11] = [
    "part",
    "vendor",
    "product",
    "version",
    "update",
    "edition",
    "language",
    "sw_edition",
    "target_sw",
    "target_hw",
    "other",
];

/// Index of the `part` attribute (a, o, h).
pub const PART: usize = 0;
/// Index of the `vendor` attribute.
pub const VENDOR: usize = 1;
/// Index of the `product` attribute.
pub const PRODUCT: usize = 2;
/// Index of the `version` attribute.
pub const VERSION: usize = 3;
/// Index of the `update` attribute (where some vendors put patch levels).
pub const UPDATE: usize = 4;

/// A wildcard at one end of a value: `*` (any run) or `?`×n (up to n characters, NISTIR 7696
/// §6.3 reads each `?` as "zero or one").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Wild {
    /// No wildcard.
    None,
    /// `*`: any run of characters.
    Star,
    /// `?` repeated n times: up to n characters.
    Question(u8),
}

/// One attribute value.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum Component {
    /// `*`: any value.
    #[default]
    Any,
    /// `-`: not applicable.
    Na,
    /// A value, possibly with a wildcard at either end.
    Value {
        /// The value, lower-cased, unescaped.
        text: String,
        /// The wildcard before it.
        lead: Wild,
        /// The wildcard after it.
        trail: Wild,
    },
}

impl Component {
    /// A plain value (lower-cased), as a ledger gives it.
    pub fn value(text: &str) -> Component {
        Component::Value {
            text: text.to_lowercase(),
            lead: Wild::None,
            trail: Wild::None,
        }
    }

    /// The plain text of a value without wildcards.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Component::Value {
                text,
                lead: Wild::None,
                trail: Wild::None,
            } => Some(text),
            _ => None,
        }
    }

    fn has_wildcards(&self) -> bool {
        matches!(self, Component::Value { lead, trail, .. } if *lead != Wild::None || *trail != Wild::None)
    }
}

/// A CPE name or match string.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Cpe {
    /// The 11 attributes in CPE 2.3 order (part, vendor, product, version, update…).
    pub attrs: [Component; 11],
}

/// Why a string is not a usable CPE 2.3 name: reported with the file and record it came from.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CpeError {
    /// It does not start with `cpe:2.3:`.
    #[error("not a CPE 2.3 formatted string (must start with `cpe:2.3:`): {0}")]
    Prefix(String),
    #[error("a CPE 2.3 name has 11 attributes, this one has {count}: {name}")]
    /// The wrong number of attributes.
    Count {
        /// How many there were.
        count: usize,
        /// The name as given.
        name: String,
    },
    /// A wildcard in the middle of a value, which CPE 2.3 does not allow.
    #[error("wildcard inside a value (only allowed at either end) in {0}")]
    InnerWildcard(String),
    /// A backslash with nothing to escape.
    #[error("trailing backslash in {0}")]
    TrailingEscape(String),
    /// An attribute with no value at all.
    #[error("empty attribute in {0}")]
    Empty(String),
}

impl Cpe {
    /// Parses `cpe:2.3:o:fortinet:fortios:7.0.12:*:*:*:*:*:*:*`.
    pub fn parse(s: &str) -> Result<Cpe, CpeError> {
        let s = s.trim();
        let rest = s
            .strip_prefix("cpe:2.3:")
            .or_else(|| s.strip_prefix("CPE:2.3:"))
            .ok_or_else(|| CpeError::Prefix(s.to_owned()))?;
        let fields = split_unescaped(rest);
        if fields.len() != 11 {
            return Err(CpeError::Count {
                count: fields.len(),
                name: s.to_owned(),
            });
        }
        let mut attrs: [Component; 11] = Default::default();
        for (slot, field) in attrs.iter_mut().zip(fields) {
            *slot = parse_formatted_value(field, s)?;
        }
        Ok(Cpe { attrs })
    }

    /// Parses the CPE 2.2 URI binding (`cpe:/a:hitachi:jp1_veritas_netbackup`, percent-encoded,
    /// trailing attributes omitted = ANY). Returns `None` when it is not one.
    pub fn parse_uri(s: &str) -> Option<Cpe> {
        let rest = s.trim().strip_prefix("cpe:/")?;
        let mut attrs: [Component; 11] = Default::default();
        for (i, field) in rest.split(':').enumerate().take(7) {
            let decoded = percent_decode(field);
            attrs[i] = match decoded.as_str() {
                "" | "*" => Component::Any,
                "-" => Component::Na,
                v => Component::value(v),
            };
        }
        Some(Cpe { attrs })
    }

    /// Either binding.
    pub fn parse_any(s: &str) -> Option<Cpe> {
        if s.trim_start().starts_with("cpe:/") {
            Cpe::parse_uri(s)
        } else {
            Cpe::parse(s).ok()
        }
    }

    /// A name with part, vendor and product set and everything else ANY.
    pub fn product(part: &str, vendor: &str, product: &str) -> Cpe {
        let mut attrs: [Component; 11] = Default::default();
        attrs[PART] = Component::value(part);
        attrs[VENDOR] = Component::value(vendor);
        attrs[PRODUCT] = Component::value(product);
        Cpe { attrs }
    }

    /// The vendor, when it is a plain value.
    pub fn vendor(&self) -> Option<&str> {
        self.attrs[VENDOR].as_text()
    }

    /// The product, when it is a plain value.
    pub fn product_name(&self) -> Option<&str> {
        self.attrs[PRODUCT].as_text()
    }

    /// `part:vendor:product`, the key the inventory is mapped and indexed by.
    pub fn product_key(&self) -> Option<String> {
        Some(format!(
            "{}:{}:{}",
            self.attrs[PART].as_text()?,
            self.vendor()?,
            self.product_name()?
        ))
    }
}

/// `part`, `vendor` and `product` read straight off a formatted string when they are plain (no
/// escapes, no wildcards) — the usual case, without parsing or allocating.
pub fn plain_product(name: &str) -> Option<[&str; 3]> {
    let mut fields = name.strip_prefix("cpe:2.3:")?.splitn(4, ':');
    let named = [fields.next()?, fields.next()?, fields.next()?];
    let plain = named
        .iter()
        .all(|f| !f.is_empty() && !f.contains(['\\', '*', '?']));
    plain.then_some(named)
}

/// Splits on `:` not preceded by an escaping backslash.
fn split_unescaped(s: &str) -> Vec<&str> {
    let mut fields = Vec::with_capacity(11);
    let mut start = 0;
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            ':' => {
                fields.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    fields.push(&s[start..]);
    fields
}

fn parse_formatted_value(field: &str, name: &str) -> Result<Component, CpeError> {
    match field {
        "" => return Err(CpeError::Empty(name.to_owned())),
        "*" => return Ok(Component::Any),
        "-" => return Ok(Component::Na),
        _ => {}
    }
    let chars: Vec<char> = field.chars().collect();
    // Leading wildcard run.
    let mut i = 0;
    let lead = if chars[0] == '*' {
        i = 1;
        Wild::Star
    } else {
        while i < chars.len() && chars[i] == '?' {
            i += 1;
        }
        if i > 0 {
            Wild::Question(u8::try_from(i).unwrap_or(u8::MAX))
        } else {
            Wild::None
        }
    };
    let mut text = String::with_capacity(field.len());
    let mut trail = Wild::None;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' => {
                let next = chars
                    .get(i + 1)
                    .ok_or_else(|| CpeError::TrailingEscape(name.to_owned()))?;
                text.extend(next.to_lowercase());
                i += 2;
            }
            '*' | '?' => {
                // Only a run reaching the end is a trailing wildcard.
                let run_end = chars[i..]
                    .iter()
                    .position(|&x| x != c)
                    .map_or(chars.len(), |p| i + p);
                if run_end != chars.len() || (c == '*' && run_end - i > 1) {
                    return Err(CpeError::InnerWildcard(name.to_owned()));
                }
                trail = if c == '*' {
                    Wild::Star
                } else {
                    Wild::Question(u8::try_from(run_end - i).unwrap_or(u8::MAX))
                };
                i = run_end;
            }
            _ => {
                text.extend(c.to_lowercase());
                i += 1;
            }
        }
    }
    if text.is_empty() && lead == Wild::None {
        return Err(CpeError::Empty(name.to_owned()));
    }
    Ok(Component::Value { text, lead, trail })
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = s.get(i + 1..i + 3)
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl fmt::Display for Wild {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Wild::None => Ok(()),
            Wild::Star => f.write_str("*"),
            Wild::Question(n) => (0..*n).try_for_each(|_| f.write_str("?")),
        }
    }
}

impl fmt::Display for Component {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Component::Any => f.write_str("*"),
            Component::Na => f.write_str("-"),
            Component::Value { text, lead, trail } => {
                write!(f, "{lead}")?;
                for c in text.chars() {
                    if c.is_ascii_punctuation() && !matches!(c, '_' | '-' | '.') {
                        write!(f, "\\{c}")?;
                    } else {
                        write!(f, "{c}")?;
                    }
                }
                write!(f, "{trail}")
            }
        }
    }
}

/// The formatted-string binding, escaping what NISTIR 7695 requires.
impl fmt::Display for Cpe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("cpe:2.3")?;
        for a in &self.attrs {
            write!(f, ":{a}")?;
        }
        Ok(())
    }
}

/// NISTIR 7696 Table 6-2: how a source (criteria) attribute relates to a target (asset) one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Relation {
    /// The same set of values.
    Equal,
    /// The criterion covers more than the asset's value (still a match).
    Superset,
    /// The criterion covers less than the asset's value.
    Subset,
    /// No value in common: no match.
    Disjoint,
    /// Cannot be decided (wildcards on both sides).
    Undefined,
}

/// Compares one attribute (NISTIR 7696 §6.2, cases 1–17).
pub fn compare_attr(source: &Component, target: &Component) -> Relation {
    use Component::{Any, Na};
    if target.has_wildcards() {
        return Relation::Undefined;
    }
    match (source, target) {
        (Any, Any) | (Na, Na) => Relation::Equal,
        (Any, _) => Relation::Superset,
        (Na, Any) => Relation::Subset,
        (Na, _) => Relation::Disjoint,
        (Component::Value { .. }, Any) => Relation::Subset,
        (Component::Value { .. }, Na) => Relation::Disjoint,
        (Component::Value { text, lead, trail }, Component::Value { text: t, .. }) => {
            if *lead == Wild::None && *trail == Wild::None {
                if text == t {
                    Relation::Equal
                } else {
                    Relation::Disjoint
                }
            } else if wildcard_match(text, *lead, *trail, t) {
                Relation::Superset
            } else {
                Relation::Disjoint
            }
        }
    }
}

/// Does `target` equal `text` with up to `lead`/`trail` extra characters around it?
fn wildcard_match(text: &str, lead: Wild, trail: Wild, target: &str) -> bool {
    let t: Vec<char> = target.chars().collect();
    let body: Vec<char> = text.chars().collect();
    let max_lead = match lead {
        Wild::None => 0,
        Wild::Star => t.len(),
        Wild::Question(n) => usize::from(n),
    };
    (0..=max_lead.min(t.len())).any(|skip| {
        let rest = &t[skip..];
        if !rest.starts_with(&body) {
            return false;
        }
        let extra = rest.len() - body.len();
        match trail {
            Wild::None => extra == 0,
            Wild::Star => true,
            Wild::Question(n) => extra <= usize::from(n),
        }
    })
}

/// NISTIR 7696 name comparison: is the target within the source (EQUAL or SUPERSET on every
/// attribute)? This is "the criteria names this asset".
pub fn is_match(source: &Cpe, target: &Cpe) -> bool {
    source
        .attrs
        .iter()
        .zip(&target.attrs)
        .all(|(s, t)| matches!(compare_attr(s, t), Relation::Equal | Relation::Superset))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cpe(s: &str) -> Cpe {
        Cpe::parse(s).unwrap()
    }

    #[test]
    fn parses_and_formats_escapes_round_trip() {
        let s = r"cpe:2.3:a:apache:xerces-c\+\+:3.1.1:*:*:*:*:*:*:*";
        let c = cpe(s);
        assert_eq!(c.attrs[PRODUCT].as_text(), Some("xerces-c++"));
        assert_eq!(c.to_string(), s);
        let colon = cpe(r"cpe:2.3:a:vendor:name\:with\:colons:1.0:*:*:*:*:*:*:*");
        assert_eq!(colon.attrs[PRODUCT].as_text(), Some("name:with:colons"));
        assert_eq!(
            colon.to_string(),
            r"cpe:2.3:a:vendor:name\:with\:colons:1.0:*:*:*:*:*:*:*"
        );
    }

    #[test]
    fn rejects_malformed_names() {
        assert!(matches!(Cpe::parse("cpe:/a:x:y"), Err(CpeError::Prefix(_))));
        assert!(matches!(
            Cpe::parse("cpe:2.3:a:x:y:1"),
            Err(CpeError::Count { count: 4, .. })
        ));
        assert!(matches!(
            Cpe::parse("cpe:2.3:a:x:y*z:1:*:*:*:*:*:*:*"),
            Err(CpeError::InnerWildcard(_))
        ));
        assert!(matches!(
            Cpe::parse(r"cpe:2.3:a:x:y:1:*:*:*:*:*:*:z\"),
            Err(CpeError::TrailingEscape(_))
        ));
    }

    #[test]
    fn uri_binding_is_percent_decoded() {
        let c =
            Cpe::parse_uri("cpe:/a:rockwellautomation:industrial_data_center_%28idc%29_with_veeam")
                .unwrap();
        assert_eq!(
            c.product_name(),
            Some("industrial_data_center_(idc)_with_veeam")
        );
        assert_eq!(c.attrs[VERSION], Component::Any);
        assert_eq!(
            c.to_string(),
            r"cpe:2.3:a:rockwellautomation:industrial_data_center_\(idc\)_with_veeam:*:*:*:*:*:*:*:*"
        );
    }

    #[test]
    fn nistir_7696_attribute_table() {
        let any = Component::Any;
        let na = Component::Na;
        let v = Component::value("7.0.12");
        let w = Component::value("7.0.13");
        assert_eq!(compare_attr(&any, &any), Relation::Equal);
        assert_eq!(compare_attr(&any, &na), Relation::Superset);
        assert_eq!(compare_attr(&any, &v), Relation::Superset);
        assert_eq!(compare_attr(&na, &any), Relation::Subset);
        assert_eq!(compare_attr(&na, &na), Relation::Equal);
        assert_eq!(compare_attr(&na, &v), Relation::Disjoint);
        assert_eq!(compare_attr(&v, &v), Relation::Equal);
        assert_eq!(compare_attr(&v, &w), Relation::Disjoint);
        assert_eq!(compare_attr(&v, &na), Relation::Disjoint);
        assert_eq!(compare_attr(&v, &any), Relation::Subset);
        let pattern = cpe("cpe:2.3:a:x:y:7.0.*:*:*:*:*:*:*:*").attrs[VERSION].clone();
        assert_eq!(compare_attr(&pattern, &v), Relation::Superset);
        assert_eq!(
            compare_attr(&pattern, &Component::value("7.1.0")),
            Relation::Disjoint
        );
        assert_eq!(compare_attr(&pattern, &any), Relation::Subset);
        assert_eq!(compare_attr(&pattern, &na), Relation::Disjoint);
        assert_eq!(compare_attr(&v, &pattern), Relation::Undefined);
    }

    #[test]
    fn question_marks_match_up_to_n_characters() {
        let p = cpe("cpe:2.3:a:x:y:1.??:*:*:*:*:*:*:*").attrs[VERSION].clone();
        for (target, expect) in [
            ("1.", true),
            ("1.2", true),
            ("1.23", true),
            ("1.234", false),
        ] {
            assert_eq!(
                compare_attr(&p, &Component::value(target)) == Relation::Superset,
                expect,
                "{target}"
            );
        }
    }

    #[test]
    fn any_version_with_na_update_behaves_per_nistir_7696() {
        // PAN-OS criteria "any version, no hotfix".
        let source = cpe("cpe:2.3:o:paloaltonetworks:pan-os:*:-:*:*:*:*:*:*");
        let no_hotfix = cpe("cpe:2.3:o:paloaltonetworks:pan-os:10.2.12:-:*:*:*:*:*:*");
        let hotfix = cpe("cpe:2.3:o:paloaltonetworks:pan-os:10.2.12:h1:*:*:*:*:*:*");
        let unknown = cpe("cpe:2.3:o:paloaltonetworks:pan-os:10.2.12:*:*:*:*:*:*:*");
        assert!(is_match(&source, &no_hotfix));
        assert!(!is_match(&source, &hotfix));
        // The asset did not say: NISTIR calls that SUBSET, which is not a match.
        assert!(!is_match(&source, &unknown));
        assert_eq!(
            compare_attr(&source.attrs[UPDATE], &unknown.attrs[UPDATE]),
            Relation::Subset
        );
    }
}
