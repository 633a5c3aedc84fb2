//! House rule (issue 13): no import circles between the files of a crate. Each crate's
//! top-level modules (a file `x.rs` or a folder `x/`) form a graph by their `crate::y` and
//! `super::y` references; a cycle in it fails this test, naming the modules.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file belongs to (`lib`/`main` for the crate root).
fn module_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_owned()
}

/// Top-level modules named after `crate::` in a file's code (comments and tests left out).
fn references(text: &str, modules: &BTreeSet<String>) -> BTreeSet<String> {
    let code = text.split("#[cfg(test)]").next().unwrap_or(text);
    let mut found = BTreeSet::new();
    for line in code.lines() {
        let line = line.trim_start();
        if line.starts_with("//") {
            continue;
        }
        for (i, _) in line.match_indices("crate::") {
            let rest = &line[i + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if modules.contains(&name) {
                found.insert(name);
            }
            // `use crate::{a, b::c}`
            if let Some(list) = rest.strip_prefix('{') {
                for part in list.split([',', '}']) {
                    let name: String = part
                        .trim()
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    if modules.contains(&name) {
                        found.insert(name);
                    }
                }
            }
        }
    }
    found
}

fn cycles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    // Every cycle found by a depth-first walk from each module (small graphs).
    fn walk(
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        found: &mut BTreeSet<Vec<String>>,
    ) {
        let last = path.last().unwrap().clone();
        for next in graph.get(&last).into_iter().flatten() {
            if let Some(i) = path.iter().position(|m| m == next) {
                let mut cycle = path[i..].to_vec();
                let min = cycle.iter().enumerate().min_by_key(|(_, m)| *m).unwrap().0;
                cycle.rotate_left(min);
                found.insert(cycle);
            } else if path.len() < 12 {
                path.push(next.clone());
                walk(graph, path, found);
                path.pop();
            }
        }
    }
    let mut found = BTreeSet::new();
    for start in graph.keys() {
        walk(graph, &mut vec![start.clone()], &mut found);
    }
    found.into_iter().collect()
}

#[test]
fn no_crate_has_an_import_circle_between_its_modules() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut all = Vec::new();
    for entry in std::fs::read_dir(&crates).unwrap() {
        let src = entry.unwrap().path().join("src");
        if !src.is_dir() {
            continue;
        }
        let mut files = Vec::new();
        rust_files(&src, &mut files);
        let modules: BTreeSet<String> = files
            .iter()
            .map(|f| module_of(&src, f))
            .filter(|m| m != "lib" && m != "main")
            .collect();
        let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for f in &files {
            let from = module_of(&src, f);
            if from == "lib" || from == "main" {
                continue;
            }
            let text = std::fs::read_to_string(f).unwrap();
            let refs = references(&text, &modules);
            graph
                .entry(from.clone())
                .or_default()
                .extend(refs.into_iter().filter(|m| *m != from));
        }
        for cycle in cycles(&graph) {
            all.push(format!(
                "{}: {}",
                src.parent().unwrap().display(),
                cycle.join(" → ")
            ));
        }
    }
    assert!(all.is_empty(), "import circles:\n{}", all.join("\n"));
}
