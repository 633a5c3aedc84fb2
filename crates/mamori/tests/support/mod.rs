//! What every end-to-end test of the binary needs: the demo hospital, and the binary run with
//! its own database in a temporary folder (each test file adds the helpers it needs in its own
//! `impl Env`).

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// The evaluation day of the end-to-end tests.
pub const AS_OF: &str = "2026-11-21";

pub fn demo_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/demo-hospital")
}

pub struct Env {
    pub dir: tempfile::TempDir,
}

impl Env {
    pub fn new() -> Self {
        Env {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn db(&self) -> PathBuf {
        self.dir.path().join("mamori.db")
    }

    /// `mamori ARGS` with this test's database, no colours, and no feed mirror from the
    /// environment.
    pub fn run(&self, args: &[&str]) -> Output {
        self.run_in(Path::new("."), args)
    }

    /// [`Env::run`] with `dir` as the working folder (relative paths in the output, and the
    /// finding ids made from them, are then the same on every machine).
    pub fn run_in(&self, dir: &Path, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_mamori"))
            .current_dir(dir)
            .args(args)
            .env("MAMORI_DB", self.db())
            .env("NO_COLOR", "1")
            .env_remove("MAMORI_FEED_MIRROR")
            .output()
            .unwrap()
    }
}

impl Env {
    /// `assess SITE --as-of AS_OF --format json EXTRA…`: the report and the process output.
    pub fn assess_json(&self, site: &Path, extra: &[&str]) -> (Value, Output) {
        let site = site.to_str().unwrap();
        let mut args = vec!["assess", site, "--as-of", AS_OF, "--format", "json"];
        args.extend_from_slice(extra);
        let out = self.run(&args);
        let json = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&out.stderr)));
        (json, out)
    }

    /// A copy of the demo site that a test may change.
    pub fn demo_copy(&self) -> PathBuf {
        let copy = self.dir.path().join("site");
        mamori_testing::copy_demo_site(&copy);
        copy
    }
}
