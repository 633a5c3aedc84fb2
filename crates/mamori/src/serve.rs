//! `mamori serve`, `mamori user …`, `mamori audit`: the dashboard is `mamori_web`, users and
//! the audit log are `mamori_app::access`; here they are started and printed.

use mamori_app::access::{NewUser, UserChange, UserCommand as Do};
use mamori_report::access::{render_audit, render_new_totp, render_users};

use crate::cli::{AuditArgs, GlobalArgs, HuntFormat, ServeArgs, UserCommand, WatchArgs};
use crate::{Outcome, Run, output};

pub fn serve(global: &GlobalArgs, args: &ServeArgs) -> Run {
    let tls = args.tls_cert.clone().zip(args.tls_key.clone());
    mamori_web::check_listen(args.listen, tls.is_some())?;
    let scheme = if tls.is_some() { "https" } else { "http" };
    output::note(&format!("mamori: {scheme}://{}/", args.listen));
    let (site_dir, listen, db) = (args.site_dir.clone(), args.listen, global.db_path());
    let opts = mamori_web::ServeOptions {
        site_dir,
        listen,
        db,
        tls,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime
        .block_on(mamori_web::serve(opts))
        .map(|()| Outcome::Ok)
}

fn password_from_stdin() -> anyhow::Result<String> {
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

pub fn user(global: &GlobalArgs, command: &UserCommand) -> Run {
    let action = match command {
        UserCommand::Add(a) => Do::Add(NewUser {
            name: a.name.clone(),
            role: a.role,
            vendor: a.vendor.clone(),
            password: password_from_stdin()?,
            totp: a.totp,
        }),
        UserCommand::List => Do::List,
        UserCommand::Disable { name } => Do::Change(name.clone(), UserChange::Disable),
        UserCommand::ResetPassword { name } => {
            Do::Change(name.clone(), UserChange::Password(password_from_stdin()?))
        }
        UserCommand::ResetTotp { name } => Do::Change(name.clone(), UserChange::NewTotp),
    };
    let (lang, by) = (global.lang(), std::env::var("USER").unwrap_or_default());
    let done =
        crate::runtime()?.block_on(mamori_app::access::users(&global.db_path(), action, &by))?;
    let mut text = match command {
        UserCommand::Add(_) | UserCommand::List => render_users(&done.users, lang),
        _ => mamori_model::tr(lang, "変更しました。\n", "Changed.\n").to_owned(),
    };
    if let Some((name, totp)) = &done.totp {
        text.push_str(&render_new_totp(name, &totp.uri, lang));
    }
    output::stdout(&text).map(|()| Outcome::Ok)
}

pub fn audit(global: &GlobalArgs, args: &AuditArgs) -> Run {
    let log = crate::runtime()?.block_on(mamori_app::access::audit_log(&global.db_path()));
    let (lines, broken) = log?;
    let json = args.format == HuntFormat::Json;
    let text = render_audit(&lines, broken, json, global.lang());
    output::stdout(&text).map(|()| Outcome::whole(broken.is_none()))
}

/// Alerts as they come: a line for people, or one JSON object per line.
/// Alerts as they come, one line each.
struct Printer(bool, mamori_model::Lang);

impl mamori_watch::AlertSink for Printer {
    fn alert(&mut self, a: &mamori_app::watch::Alert) {
        let _ = output::stdout(&mamori_report::watch::render_alert(
            a.at, &a.finding, self.0, self.1,
        ));
    }
    fn problem(&mut self, text: &str) {
        output::error(text);
    }
}

pub fn watch(global: &GlobalArgs, args: &WatchArgs) -> Run {
    let (udp, tcp) =
        mamori_watch::listen_addresses(&args.site_dir, &args.syslog_udp, &args.syslog_tcp)?;
    let (site, db) = (args.site_dir.clone(), global.db_path());
    let mut opts = mamori_watch::WatchOptions::bind(site, db, &udp, &tcp)?;
    if let (Some(cert), Some(key)) = (&args.tls_cert, &args.tls_key) {
        let config = mamori_watch::tls_config(cert, key)?;
        for a in &args.syslog_tls {
            opts.tls
                .push((mamori_watch::listen_tcp(*a)?, config.clone()));
        }
    }
    output::note(&format!(
        "mamori watch: UDP {udp:?} TCP {tcp:?} TLS {:?}",
        args.syslog_tls
    ));
    let sink = Box::new(Printer(args.format == "json", global.lang()));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let stats = runtime.block_on(mamori_watch::run(opts, sink, mamori_watch::stop_signal()))?;
    let s = mamori_report::watch::WatchSummary {
        received: stats.received,
        unrecognised: stats.unrecognised,
        cut: stats.cut,
        alerts: stats.alerts,
        refused: stats.refused_connections,
        denied: stats.denied,
        archive_errors: stats.archive_errors,
    };
    output::note(&mamori_report::watch::render_watch_summary(
        &s,
        global.lang(),
    ));
    Ok(Outcome::whole(stats.archive_errors == 0))
}
