//! New, kept and resolved: how one run's findings compare with the previous run's. A pure
//! function over finding ids, so that it is the same for every backend and tested without a
//! database.

use std::collections::HashSet;

/// The current run against the previous one.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Comparison {
    /// In this run and not in the previous one (all of them on a first run).
    pub new: HashSet<String>,
    /// In both.
    pub kept: HashSet<String>,
    /// In the previous run and no longer in this one, sorted.
    pub resolved: Vec<String>,
}

/// Compares the finding ids of the current run with the previous run's (`None`: there was
/// no previous run).
pub fn compare<'a>(
    previous: Option<&HashSet<String>>,
    current: impl IntoIterator<Item = &'a str>,
) -> Comparison {
    let empty = HashSet::new();
    let previous = previous.unwrap_or(&empty);
    let mut out = Comparison::default();
    let mut seen = HashSet::new();
    for id in current {
        if !seen.insert(id) {
            continue;
        }
        if previous.contains(id) {
            out.kept.insert(id.to_owned());
        } else {
            out.new.insert(id.to_owned());
        }
    }
    out.resolved = previous
        .iter()
        .filter(|id| !seen.contains(id.as_str()))
        .cloned()
        .collect();
    out.resolved.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(list: &[&str]) -> HashSet<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn first_run_everything_is_new() {
        let c = compare(None, ["a", "b"]);
        assert_eq!(c.new, ids(&["a", "b"]));
        assert!(c.kept.is_empty() && c.resolved.is_empty());
    }

    #[test]
    fn new_kept_and_resolved() {
        let previous = ids(&["a", "b", "c"]);
        let c = compare(Some(&previous), ["b", "d", "d"]);
        assert_eq!(c.new, ids(&["d"]));
        assert_eq!(c.kept, ids(&["b"]));
        assert_eq!(c.resolved, ["a", "c"]);
    }

    #[test]
    fn an_empty_run_resolves_everything() {
        let previous = ids(&["b", "a"]);
        let c = compare(Some(&previous), []);
        assert_eq!(c.resolved, ["a", "b"]);
        assert!(c.new.is_empty());
    }
}
