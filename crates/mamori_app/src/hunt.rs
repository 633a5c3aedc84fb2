//! `hunt`: logs → events → detections, without a site folder (or with one for its hours and
//! thresholds).

use std::path::PathBuf;

use jiff::civil::Date;
use mamori_hunt::{HuntConfig, HuntInput, LogFormat, ReadOptions, TimeContext};
use mamori_model::Finding;
use mamori_model::input::InputError;

use crate::{Clock, SiteFolder, tokyo};

/// How to hunt.
pub struct HuntOptions {
    /// Files, folders, or `-` for standard input.
    pub paths: Vec<PathBuf>,
    /// The day that gives years to year-less syslog timestamps (default: today).
    pub as_of: Option<Date>,
    /// Business hours, closed days and thresholds from this site's `site.toml`.
    pub site: Option<SiteFolder>,
    /// Read every file as this format instead of detecting it.
    pub format: Option<LogFormat>,
    /// Keep the normalised events as timeline rows.
    pub timeline: bool,
    /// `log.bruteforce` threshold (wins over site.toml).
    pub bruteforce_failures: Option<usize>,
    /// `log.password-spray` threshold (wins over site.toml).
    pub spray_accounts: Option<usize>,
    /// Where "now" comes from.
    pub clock: Clock,
    /// Blocklists for the `net.blocklisted-*` rules (`intel::load`).
    pub intel: std::sync::Arc<mamori_vuln::blocklist::Intel>,
}

/// What was read and found.
pub struct HuntOutcome {
    /// Every file's report, the events and the timeline parts.
    pub input: HuntInput,
    /// The detections.
    pub findings: Vec<Finding>,
}

impl HuntOutcome {
    /// A file was read only in part (or could not be read for a reason other than its
    /// format), or nothing at all could be read: not a clean run.
    pub fn is_incomplete(&self) -> bool {
        let files = &self.input.files;
        let none_read = !files.is_empty() && files.iter().all(|f| f.error.is_some());
        none_read || files.iter().any(|f| f.is_incomplete())
    }

    /// Each file's summary as the reports show it.
    pub fn file_summaries(&self) -> Vec<mamori_report::HuntFile> {
        self.input
            .files
            .iter()
            .map(|f| mamori_report::HuntFile {
                file: f.file.clone(),
                format: f.format.to_owned(),
                records: f.records,
                events: f.events,
                skipped: f.skipped.iter().map(|(r, n)| (r.clone(), *n)).collect(),
                error: f.error.clone(),
                damaged: f.damaged.clone(),
            })
            .collect()
    }

    /// Writes the `--timeline` workbook rows: the parts, one per file and each in the file's
    /// own order, joined under the header. Written to a temporary file beside the target and
    /// renamed, so a failed run leaves no half file behind.
    pub fn write_timeline(&mut self, path: &std::path::Path) -> anyhow::Result<()> {
        use anyhow::Context;
        use std::io::{Seek, Write};
        let dir = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(std::path::Path::new("."));
        let mut out = tempfile::NamedTempFile::new_in(dir)
            .with_context(|| format!("cannot write {}", path.display()))?;
        out.write_all(mamori_hunt::timeline::HEADER.as_bytes())?;
        for mut part in std::mem::take(&mut self.input.timeline) {
            part.rewind()?;
            std::io::copy(&mut part, &mut out)?;
        }
        out.persist(path)
            .with_context(|| format!("cannot write {}", path.display()))?;
        Ok(())
    }
}

/// Reads the logs and runs every detection. `Err` when the named site folder cannot be used.
pub fn hunt(opts: &HuntOptions) -> Result<HuntOutcome, Vec<InputError>> {
    let reference = opts.as_of.unwrap_or_else(|| opts.clock.today());
    let mut config = HuntConfig::default();
    if let Some(folder) = &opts.site {
        config = HuntConfig::for_site(folder.load(reference, &opts.clock)?.site.config);
    }
    // Flags win over site.toml.
    if let Some(n) = opts.bruteforce_failures {
        config.bruteforce_failures = n;
    }
    if let Some(n) = opts.spray_accounts {
        config.spray_accounts = n;
    }
    config.intel = opts.intel.clone();
    let read = ReadOptions {
        tc: TimeContext {
            zone: tokyo(),
            reference,
        },
        format: opts.format,
        timeline: opts.timeline,
        within: None,
    };
    let (input, findings) = mamori_hunt::hunt(&opts.paths, &read, &config);
    Ok(HuntOutcome { input, findings })
}
