//! The FortiOS parser on the real backups in `../shared/data/configs/fortigate` (SOURCES.md
//! there). Expected values are computed from the raw text here, not copied from elsewhere.
//!
//! When the data is absent the tests say so and pass; with `CI=true` they fail instead.

use std::path::PathBuf;

use mamori_ingest::configs::fortios::{self, MASK};
use mamori_testing::shared;

#[test]
fn every_backup_parses_without_problems_and_without_secrets() {
    let Some(dir) = shared("configs/fortigate") else {
        return;
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "conf"))
        .collect();
    files.sort();
    assert!(files.len() >= 5);
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let config = fortios::parse(&text);
        let name = path.file_name().unwrap().to_string_lossy();
        assert!(config.problems.is_empty(), "{name}: {:?}", config.problems);
        // Every `set NAME ENC …` of the file is a masked setting, and no secret text survives.
        let enc_lines = text.lines().filter(|l| l.contains(" ENC ")).count();
        let mut masked = 0;
        let mut stack = vec![&config.root];
        while let Some(node) = stack.pop() {
            masked += node
                .settings
                .iter()
                .filter(|s| s.secret && s.values == [MASK])
                .count();
            stack.extend(&node.children);
        }
        assert!(
            masked >= enc_lines,
            "{name}: {masked} masked, {enc_lines} ENC lines"
        );
        let dump = format!("{config:?}");
        for line in text.lines().filter(|l| l.contains(" ENC ")) {
            let secret = line.split(" ENC ").nth(1).unwrap().trim();
            assert!(!dump.contains(secret), "{name}: secret survived");
        }
        assert!(!dump.contains("BEGIN ENCRYPTED PRIVATE KEY"), "{name}");
    }
}

#[test]
fn headers_and_vdoms() {
    let Some(path) = shared("configs/fortigate/fotoobo_fortigate_config_vdom.conf") else {
        return;
    };
    let text = std::fs::read_to_string(&path).unwrap();
    let config = fortios::parse(&text);
    let header = config.header.as_ref().unwrap();
    assert_eq!(
        (header.model.as_str(), header.version.as_str(), header.build),
        ("FGT999", "9.9.9", Some(8303))
    );
    assert!(header.multi_vdom);
    // The VDOMs declared at the top, from the raw text: `edit NAME` lines of `config vdom`.
    let declared: Vec<&str> = text
        .split("config vdom\n")
        .nth(1)
        .unwrap()
        .split("\nend")
        .next()
        .unwrap()
        .lines()
        .filter_map(|l| l.trim().strip_prefix("edit "))
        .collect();
    let vdom_block = config.root.block("vdom").unwrap();
    let names: Vec<&str> = vdom_block.entries().map(|e| e.name.as_str()).collect();
    assert_eq!(names, declared);
    // `config system global` lives under `config global` and is still found.
    let global = config.blocks("system global");
    assert_eq!(global.len(), text.matches("config system global").count());
}
