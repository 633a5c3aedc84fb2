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
mod vuln;
mod vuln_update;

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
        cli::Command::Vuln(cli::VulnCommand::Update(args)) => vuln_update::run(&cli.global, args),
        cli::Command::Checklist(args) => checklist::run(&cli.global, args),
        cli::Command::Holiday(args) => holiday::run(&cli.global, args),
        cli::Command::Rules => {
            let rules = mamori_app::rules::all();
            output::stdout(&mamori_report::render_rules(&rules, cli.global.lang()))
                .map(|()| Outcome::Ok)
        }
        cli::Command::Init(args) => init(&cli.global, args),
        cli::Command::Backup(cli::BackupCommand::Scan(args)) => backup::scan(&cli.global, args),
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
fn init(global: &cli::GlobalArgs, args: &cli::InitArgs) -> anyhow::Result<Outcome> {
    let options = mamori_app::init::InitOptions {
        dir: args.site_dir.clone(),
        kind: args.kind,
        name: args.name.clone(),
        clock: mamori_app::Clock::system(),
    };
    let done = mamori_app::init::init(&options)?;
    let text = mamori_report::render_init(&done.dir, &done.files, global.lang());
    output::stdout(&text)?;
    Ok(Outcome::Ok)
}

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
