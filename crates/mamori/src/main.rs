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
mod output;
mod serve;
mod vuln;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let result = match &cli.command {
        cli::Command::Assess(args) => assess::run(&cli.global, args),
        cli::Command::Hunt(args) => hunt::run(&cli.global, args),
        cli::Command::Gateway(cli::GatewayCommand::Audit(args)) => {
            gateway::audit(&cli.global, args)
        }
        cli::Command::Vuln(cli::VulnCommand::Import(args)) => vuln::import(&cli.global, args),
        cli::Command::Vuln(cli::VulnCommand::Status(args)) => vuln::status(&cli.global, args),
        cli::Command::Vuln(cli::VulnCommand::Update(args)) => vuln::update(&cli.global, args),
        cli::Command::Checklist(args) => checklist::run(&cli.global, args),
        cli::Command::Holiday(args) => holiday::run(&cli.global, args),
        cli::Command::Rules => {
            let rules = mamori_app::rules::all();
            output::stdout(&mamori_report::render_rules(&rules, cli.global.lang()))
                .map(|()| Outcome::Ok)
        }
        cli::Command::Init(args) => init(&cli.global, args),
        cli::Command::Backup(cli::BackupCommand::Scan(args)) => backup::scan(&cli.global, args),
        cli::Command::Incident(cli::IncidentCommand::Report(args)) => {
            incident_report(&cli.global, args)
        }
        cli::Command::Incident(command) => incident(&cli.global, command),
        cli::Command::Serve(args) => serve::serve(&cli.global, args),
        cli::Command::User(command) => serve::user(&cli.global, command),
        cli::Command::Audit(args) => serve::audit(&cli.global, args),
    };
    match result {
        Ok(outcome) => outcome.exit_code(),
        Err(err) => {
            output::error(&format!("{err:#}"));
            ExitCode::from(2)
        }
    }
}

/// `mamori init`: writes the folder and says what to fill in first.
fn init(global: &cli::GlobalArgs, args: &cli::InitArgs) -> Run {
    use mamori_app::init::{InitOptions, init};
    let (dir, kind, name) = (args.site_dir.clone(), args.kind, args.name.clone());
    let clock = mamori_app::Clock::system();
    let done = init(&InitOptions {
        dir,
        kind,
        name,
        clock,
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
    let (folder, clock) = (
        mamori_app::SiteFolder::new(&args.site_dir),
        mamori_app::Clock::system(),
    );
    let db = global.db_path();
    let run = mamori_app::incident::act(&folder, action, &who, &db, &clock);
    let done = runtime()?.block_on(run)?;
    let (lang, message) = (global.lang(), &done.message);
    let text =
        mamori_report::incident::render_action(message, &done.evidence, &done.findings, lang);
    output::stdout(&text).map(|()| Outcome::whole(done.ok))
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
        if complete {
            Outcome::Ok
        } else {
            Outcome::InputErrors
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
