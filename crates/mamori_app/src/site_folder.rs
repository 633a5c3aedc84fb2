//! The site folder's layout, in one place: where the tables, `logs/`, `configs/`, `feeds/` and
//! the answers live, and how the folder is read.

use std::path::{Path, PathBuf};

use jiff::civil::Date;
use mamori_ingest::{InputError, SiteLoad};

use crate::Clock;

/// A site folder (`SITE_DIR`, docs/site-format.md).
#[derive(Clone, Debug)]
pub struct SiteFolder {
    root: PathBuf,
}

impl SiteFolder {
    /// The folder at `root`; nothing is read yet.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    /// The folder itself: the boundary no link may lead out of.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `logs/`: the logs `assess` and `holiday` hunt through.
    pub fn logs(&self) -> PathBuf {
        self.root.join(mamori_ingest::site::LOGS_DIR)
    }

    /// `feeds/`: vulnerability data kept with the site (KEV, NVD, JVN, EPSS files).
    pub fn feeds(&self) -> PathBuf {
        self.root.join(mamori_ingest::site::FEEDS_DIR)
    }

    /// `configs/`: gateway configuration backups.
    pub fn configs(&self) -> PathBuf {
        self.root.join(mamori_ingest::site::CONFIGS_DIR)
    }

    /// A path inside the folder as findings and reports cite it: relative, with `/`.
    pub fn relative(&self, path: &Path) -> String {
        path.strip_prefix(&self.root)
            .unwrap_or(path)
            .display()
            .to_string()
            .replace('\\', "/")
    }

    /// Reads `site.toml`, the tables, `configs/` and the answers. Dates of past events may not
    /// lie after today or `as_of`, whichever is later (evaluating a past day must not turn
    /// entries made since into mistakes). `Err` only when the folder or its `site.toml` cannot
    /// be used at all.
    pub fn load(&self, as_of: Date, clock: &Clock) -> Result<SiteLoad, Vec<InputError>> {
        mamori_ingest::load_site(&self.root, as_of.max(clock.today()))
    }
}
