//! File names ransomware leaves: extensions of encrypted files and names of ransom notes, from
//! the data file `data/ransomware.toml` (data, not code: it grows as families appear).

use std::sync::LazyLock;

use serde::Deserialize;

#[derive(Deserialize)]
struct Marks {
    extensions: Vec<String>,
    notes: Vec<String>,
}

static MARKS: LazyLock<Marks> = LazyLock::new(|| {
    toml::from_str(include_str!("../data/ransomware.toml"))
        .expect("data/ransomware.toml is valid (tested)")
});

/// The ransomware extension a file name ends with (`.lockbit`), if any.
pub fn ransomware_extension(name: &str) -> Option<&'static str> {
    let lower = name.to_lowercase();
    MARKS
        .extensions
        .iter()
        .find(|ext| lower.ends_with(ext.as_str()) && lower.len() > ext.len())
        .map(String::as_str)
}

/// Whether a file name is a ransom note's (`HOW_TO_DECRYPT.txt`, `Restore-My-Files.txt`).
pub fn is_ransom_note(name: &str) -> bool {
    let lower = name.to_lowercase();
    MARKS.notes.iter().any(|p| wildcard(p, &lower))
}

/// `*` matches any run of characters (the pattern is lower case).
fn wildcard(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if parts.len() == 1 {
        return pattern == text;
    }
    if !text.starts_with(first) || !text[first.len()..].ends_with(last) {
        return false;
    }
    let mut rest = &text[first.len()..text.len() - last.len().min(text.len() - first.len())];
    for part in &parts[1..parts.len() - 1] {
        match rest.find(part) {
            Some(at) => rest = &rest[at + part.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_data_file_reads_and_names_match() {
        assert_eq!(ransomware_extension("カルテ.csv.lockbit"), Some(".lockbit"));
        assert_eq!(ransomware_extension("report.csv"), None);
        assert_eq!(ransomware_extension(".lockbit"), None);
        assert!(is_ransom_note("Restore-My-Files.txt"));
        assert!(is_ransom_note("HOW_TO_DECRYPT_FILES.html"));
        assert!(is_ransom_note("readme.hta"));
        assert!(!is_ransom_note("readme.txt"));
        assert!(!is_ransom_note("診療報酬明細.csv"));
        assert!(wildcard("a*b*c", "axxbyyc") && !wildcard("a*b*c", "axxcyyb"));
        assert!(wildcard("*ab*", "ab") && !wildcard("ab*ba", "aba"));
    }
}
