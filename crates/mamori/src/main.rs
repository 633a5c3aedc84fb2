//! `mamori`: the command-line tool. Parses arguments, runs one command, picks the exit code.
//! Only this crate writes to stdout/stderr and decides exit codes (0 ok, 1 findings at or above
//! `--fail-on`, 2 bad input or a failure).

mod assess;
mod backup;
mod checklist;
mod cli;
mod gateway;
mod holiday;
mod hunt;
mod mail;
mod output;
mod serve;
mod vuln;

use std::process::ExitCode;

use clap::Parser;
use cli::Command as C;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let g = &cli.global;
    let result = match &cli.command {
        C::Assess(args) => assess::run(g, args),
        C::Hunt(args) => hunt::run(g, args),
        C::Gateway(cli::GatewayCommand::Audit(args)) => gateway::audit(g, args),
        C::Vuln(cli::VulnCommand::Import(args)) => vuln::import(g, args),
        C::Vuln(cli::VulnCommand::Status(args)) => vuln::status(g, args),
        C::Vuln(cli::VulnCommand::Update(args)) => vuln::update(g, args),
        C::Checklist(args) => checklist::run(g, args),
        C::Holiday(args) => holiday::run(g, args),
        C::Rules => output::stdout(&mamori_report::render_rules(
            &mamori_app::rules::all(),
            g.lang(),
        ))
        .map(|()| Outcome::Ok),
        C::Init(args) => init(g, args),
        C::Backup(cli::BackupCommand::Scan(args)) => backup::scan(g, args),
        C::Incident(cli::IncidentCommand::Report(args)) => incident_report(g, args),
        C::Incident(command) => incident(g, command),
        C::Serve(args) => serve::serve(g, args),
        C::User(command) => serve::user(g, command),
        C::Audit(args) => serve::audit(g, args),
        C::Watch(args) => serve::watch(g, args),
        C::Mail(cli::MailCommand::Check(args)) => mail::check(g, args),
        C::Intel(cli::IntelCommand::Import(args)) => mail::intel_import(g, args),
        C::Intel(cli::IntelCommand::Status(args)) => mail::intel_status(g, args),
        C::Ad(cli::AdCommand::Export(args)) => ad_export(g, args),
    };
    match result {
        Ok(outcome) => outcome.exit_code(),
        Err(err) if err.is::<assess::InputErrorsShown>() => ExitCode::from(2),
        Err(err) => {
            // A refusal carries its own words in both languages.
            match err.downcast_ref::<mamori_model::Refusal>() {
                Some(refusal) => output::error(refusal.0.get(cli.global.lang())),
                None => output::error(&format!("{err:#}")),
            }
            ExitCode::from(2)
        }
    }
}

/// `mamori init`: writes the folder and says what to fill in first.
fn init(global: &cli::GlobalArgs, args: &cli::InitArgs) -> Run {
    use mamori_app::init::{InitOptions, init};
    let (dir, kind, name) = (args.site_dir.clone(), args.kind, args.name.clone());
    let done = init(&InitOptions {
        dir,
        kind,
        name,
        clock: mamori_app::Clock::system(),
    })?;
    let text = mamori_report::render_init(&done.dir, &done.files, global.lang());
    output::stdout(&text).map(|()| Outcome::Ok)
}

/// `mamori incident report`: made from whatever the folder holds, never refused.
fn incident_report(global: &cli::GlobalArgs, args: &cli::IncidentReportArgs) -> Run {
    let folder = mamori_app::SiteFolder::new(&args.site_dir);
    let (clock, db) = (mamori_app::Clock::system(), global.db_path());
    let record = mamori_app::incident::binder_with_record(&folder, args.as_of, &clock, &db);
    let binder = runtime()?.block_on(record);
    let text = mamori_report::incident::render(&binder, &args.format, global.lang());
    let what = ("対応手順書", "Incident binder");
    output::emit(&text, args.out.as_deref(), global.lang(), what).map(|()| Outcome::Ok)
}

/// `mamori incident start|log|collect|verify|close`: exit 2 when it could not be done.
fn incident(global: &cli::GlobalArgs, command: &cli::IncidentCommand) -> Run {
    use cli::IncidentCommand as C;
    use mamori_app::incident::IncidentAction as A;
    let (args, action) = match command {
        C::Start(a) => (a, A::Start(a.rest.join(" "))),
        C::Log(a) => (a, A::Log(a.rest.join(" "))),
        C::Collect(a) => (a, A::Collect(a.rest.iter().map(Into::into).collect())),
        C::Verify(a) => (a, A::Verify),
        C::Close(a) => (a, A::Close),
        C::Report(_) => unreachable!("report is its own command"),
    };
    let who = args
        .by
        .clone()
        .or(std::env::var("USER").ok())
        .unwrap_or_default();
    let (folder, db) = (
        mamori_app::SiteFolder::new(&args.site_dir),
        global.db_path(),
    );
    let clock = mamori_app::Clock::system();
    let run = mamori_app::incident::act(&folder, action, &who, &db, &clock);
    let done = runtime()?.block_on(run)?;
    let (lang, message) = (global.lang(), &done.message);
    let text =
        mamori_report::incident::render_action(message, &done.evidence, &done.findings, lang);
    output::stdout(&text).map(|()| Outcome::whole(done.ok))
}

/// `mamori ad export SITE_DIR`: the directory's accounts as CSV; exit 2 when it could not be
/// read (with the reason, and nothing written).
fn ad_export(global: &cli::GlobalArgs, args: &cli::AdExportArgs) -> Run {
    let lang = global.lang();
    let folder = mamori_app::SiteFolder::new(&args.site_dir);
    match mamori_app::ad::export(&folder, &mamori_app::Clock::system()) {
        Ok(done) => {
            let what = ("アカウント一覧", "Accounts");
            output::emit(&done.csv, args.out.as_deref(), lang, what)?;
            output::note(&match lang {
                mamori_model::Lang::Ja => format!(
                    "{} 件のアカウント（うち有効な特権アカウント {} 件）",
                    done.users, done.privileged
                ),
                mamori_model::Lang::En => format!(
                    "{} accounts ({} enabled privileged)",
                    done.users, done.privileged
                ),
            });
            Ok(Outcome::Ok)
        }
        Err(message) => {
            output::error(message.get(lang));
            Ok(Outcome::whole(false))
        }
    }
}

/// What a command returns.
type Run = anyhow::Result<Outcome>;

/// The single-threaded runtime the store's async API runs on.
pub(crate) fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    use anyhow::Context;
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

/// How a command ended, as far as the exit code is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Ok,
    /// A finding at or above `--fail-on` exists.
    FindingsAtThreshold,
    /// Some input could not be read; the report is incomplete.
    InputErrors,
}

impl Outcome {
    /// `Ok` when the input was read whole, else `InputErrors`.
    fn whole(complete: bool) -> Outcome {
        Outcome::of(complete, None, std::iter::empty())
    }

    /// Incomplete input first (exit 2), then a finding at or above `fail_on` (exit 1).
    fn of(
        complete: bool,
        fail_on: Option<mamori_model::Severity>,
        mut severities: impl Iterator<Item = mamori_model::Severity>,
    ) -> Outcome {
        match fail_on {
            _ if !complete => Outcome::InputErrors,
            Some(t) if severities.any(|s| s >= t) => Outcome::FindingsAtThreshold,
            _ => Outcome::Ok,
        }
    }

    fn exit_code(self) -> ExitCode {
        match self {
            Outcome::Ok => ExitCode::SUCCESS,
            Outcome::FindingsAtThreshold => ExitCode::from(1),
            Outcome::InputErrors => ExitCode::from(2),
        }
    }
}

// mimalloc: a site of 50,000 accounts is a million small strings; with glibc's allocator
// malloc/free took ~40% of `assess` (perf, bench/assess.sh). See docs/performance.md.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
