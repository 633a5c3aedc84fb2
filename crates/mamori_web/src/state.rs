//! What the server holds between requests: the site folder as last read, the store, and the
//! dashboard summary of the latest run (computed once per run, not once per request).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use anyhow::Context;
use mamori_app::{Clock, SiteFolder};
use mamori_model::site::Site;
use mamori_model::{Finding, Severity};
use mamori_report::ReportedFinding;
use mamori_report::this_week::Action;
use mamori_store::{FindingFilter, Page, RunSummary, Store};

/// The site folder as read at start-up or after the last run.
pub struct SiteView {
    /// The site (ledgers, answers, settings).
    pub site: Site,
    /// Rows and files that could not be read, already in words.
    pub errors: Vec<mamori_model::input::InputError>,
    /// What was read from each file (this week's actions name ledgers left empty).
    pub inputs: Vec<mamori_model::input::InputSummary>,
}

impl SiteView {
    /// The subjects a vendor's user may see: the vendor itself, the devices it maintains and
    /// its connection points.
    pub fn vendor_scope(&self, vendor: &str) -> Vec<(String, String)> {
        let mut scope = vec![("vendor".to_owned(), vendor.to_owned())];
        scope.extend(
            self.site
                .assets
                .iter()
                .filter(|a| a.managed_by == vendor)
                .map(|a| ("asset".to_owned(), a.id.clone())),
        );
        scope.extend(
            self.site
                .connections
                .iter()
                .filter(|c| c.vendor == vendor)
                .map(|c| ("connection".to_owned(), c.id.clone())),
        );
        scope
    }
}

/// The dashboard of one run: counts, changes, the trend and this week's actions.
pub struct Dashboard {
    /// The run.
    pub run: RunSummary,
    /// Findings by severity.
    pub counts: Vec<(Severity, i64)>,
    /// Findings first seen in this run, and resolved by it.
    pub new: i64,
    /// Findings the run no longer had.
    pub resolved: i64,
    /// (day, open findings) of the latest runs, oldest first.
    pub trend: Vec<(String, i64)>,
    /// まず今週やること.
    pub this_week: Vec<Action>,
}

/// Shared by every handler.
pub struct AppState {
    /// The site folder.
    pub folder: SiteFolder,
    /// The database path (assess runs open it themselves).
    pub db: PathBuf,
    /// The store.
    pub store: Store,
    /// Cookies get `Secure` (served over TLS).
    pub secure_cookies: bool,
    /// Where "now" comes from.
    pub clock: Clock,
    site: RwLock<Arc<SiteView>>,
    dashboard: Mutex<Option<Arc<Dashboard>>>,
    /// Counts of a run's findings per filter: a recorded run never changes, so a count asked
    /// once (43,838 index entries on the bench site) need not be counted again.
    counts: Mutex<std::collections::HashMap<(i64, String), i64>>,
    /// One assess at a time.
    pub running: Arc<tokio::sync::Mutex<()>>,
}

impl AppState {
    /// Reads the site folder and opens the database.
    pub async fn open(site_dir: &Path, db: &Path, secure_cookies: bool) -> anyhow::Result<Self> {
        Self::open_with_clock(site_dir, db, secure_cookies, Clock::system()).await
    }

    /// [`AppState::open`] with a given clock (tests).
    pub async fn open_with_clock(
        site_dir: &Path,
        db: &Path,
        secure_cookies: bool,
        clock: Clock,
    ) -> anyhow::Result<Self> {
        let folder = SiteFolder::new(site_dir);
        let view = load_site(&folder, &clock)?;
        let readers = std::thread::available_parallelism().map_or(4, |n| n.get().clamp(2, 8));
        let store = Store::open_with_connections(db, u32::try_from(readers).unwrap_or(4))
            .await
            .with_context(|| format!("database {}", db.display()))?;
        Ok(Self {
            folder,
            db: db.to_owned(),
            store,
            secure_cookies,
            clock,
            site: RwLock::new(Arc::new(view)),
            dashboard: Mutex::new(None),
            counts: Mutex::new(std::collections::HashMap::new()),
            running: Arc::new(tokio::sync::Mutex::new(())),
        })
    }

    /// The site as last read.
    pub fn site(&self) -> Arc<SiteView> {
        self.site.read().expect("site lock").clone()
    }

    /// The site's key in the store.
    pub fn site_key(&self) -> String {
        self.site().site.config.id.clone()
    }

    /// Reads the site folder again (after a run, an upload or an answer).
    pub fn reload(&self) -> anyhow::Result<()> {
        let view = load_site(&self.folder, &self.clock)?;
        *self.site.write().expect("site lock") = Arc::new(view);
        *self.dashboard.lock().expect("dashboard lock") = None;
        Ok(())
    }

    /// How many of a run's findings the filter keeps (remembered per run and filter).
    pub async fn count(&self, run_id: i64, filter: &FindingFilter) -> anyhow::Result<i64> {
        let key = (run_id, format!("{filter:?}"));
        if let Some(n) = self.counts.lock().expect("counts lock").get(&key) {
            return Ok(*n);
        }
        let n = self.store.count_run_findings(run_id, filter).await?;
        let mut counts = self.counts.lock().expect("counts lock");
        if counts.len() >= 10_000 {
            counts.clear();
        }
        counts.insert(key, n);
        Ok(n)
    }

    /// The site's latest recorded run.
    pub async fn latest_run(&self) -> anyhow::Result<Option<RunSummary>> {
        let key = self.site_key();
        Ok(self
            .store
            .list_runs(Some(&key), Page::first(1))
            .await?
            .pop())
    }

    /// The dashboard of the latest run, computed once per run.
    pub async fn dashboard(&self) -> anyhow::Result<Option<Arc<Dashboard>>> {
        let Some(run) = self.latest_run().await? else {
            return Ok(None);
        };
        if let Some(d) = self.dashboard.lock().expect("dashboard lock").as_ref()
            && d.run.id == run.id
        {
            return Ok(Some(d.clone()));
        }
        let d = Arc::new(self.compute_dashboard(run).await?);
        *self.dashboard.lock().expect("dashboard lock") = Some(d.clone());
        Ok(Some(d))
    }

    async fn compute_dashboard(&self, run: RunSummary) -> anyhow::Result<Dashboard> {
        let key = run.site_key.clone();
        let counts = self.store.run_severity_counts(run.id).await?;
        let (new, resolved) = self.store.run_changes(&key, run.id).await?;
        let mut trend: Vec<(String, i64)> = self
            .store
            .list_runs(Some(&key), Page::first(30))
            .await?
            .into_iter()
            .map(|r| (r.as_of.to_string(), r.finding_count))
            .collect();
        trend.reverse();
        let findings = self.all_findings(run.id).await?;
        let new_ids: std::collections::HashSet<String> = self
            .store
            .new_in_run(&key, run.id)
            .await?
            .into_iter()
            .collect();
        let reported: Vec<ReportedFinding> = findings
            .into_iter()
            .map(|finding| ReportedFinding {
                new: new_ids.contains(&finding.id),
                finding,
                first_seen: None,
            })
            .collect();
        let this_week = mamori_report::this_week::plan(&reported, &self.site().inputs);
        Ok(Dashboard {
            run,
            counts,
            new,
            resolved,
            trend,
            this_week,
        })
    }

    async fn all_findings(&self, run_id: i64) -> anyhow::Result<Vec<Finding>> {
        let mut all = Vec::new();
        let filter = FindingFilter::default();
        loop {
            let page = Page {
                offset: u32::try_from(all.len()).unwrap_or(u32::MAX),
                limit: Page::MAX,
            };
            let batch = self.store.run_findings(run_id, &filter, page).await?;
            let done = batch.len() < Page::MAX as usize;
            all.extend(batch);
            if done {
                return Ok(all);
            }
        }
    }
}

fn load_site(folder: &SiteFolder, clock: &Clock) -> anyhow::Result<SiteView> {
    match folder.load(clock.today(), clock) {
        Ok(load) => Ok(SiteView {
            site: load.site,
            errors: load.errors,
            inputs: load.inputs,
        }),
        Err(errors) => {
            let lines: Vec<String> = errors
                .iter()
                .map(|e| e.describe(mamori_model::Lang::Ja))
                .collect();
            anyhow::bail!(
                "サイトフォルダ {} を読めません / cannot read the site folder:\n{}",
                folder.root().display(),
                lines.join("\n")
            )
        }
    }
}
