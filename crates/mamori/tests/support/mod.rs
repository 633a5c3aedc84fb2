//! What every end-to-end test of the binary needs: the demo hospital, and the binary run with
//! its own database in a temporary folder (each test file adds the helpers it needs in its own
//! `impl Env`).

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

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
        Command::new(env!("CARGO_BIN_EXE_mamori"))
            .args(args)
            .env("MAMORI_DB", self.db())
            .env("NO_COLOR", "1")
            .env_remove("MAMORI_FEED_MIRROR")
            .output()
            .unwrap()
    }
}
