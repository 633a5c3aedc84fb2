//! `mamori serve`, `mamori user …`, `mamori audit`: the dashboard is `mamori_web`, users and
//! the audit log are `mamori_app::access`; here they are started and printed.

use mamori_app::access::{NewUser, UserChange, UserCommand as Do};
use mamori_model::access::Role;

use crate::cli::{AuditArgs, GlobalArgs, HuntFormat, ServeArgs, UserCommand};
use crate::{Outcome, Run, output};

pub fn serve(global: &GlobalArgs, args: &ServeArgs) -> Run {
    let tls = args.tls_cert.clone().zip(args.tls_key.clone());
    if let Err(refusal) = mamori_web::check_listen(args.listen, tls.is_some()) {
        output::error(refusal.0.get(global.lang()));
        return Ok(Outcome::InputErrors);
    }
    let (site_dir, listen, db) = (args.site_dir.clone(), args.listen, global.db_path());
    let scheme = if tls.is_some() { "https" } else { "http" };
    output::note(&format!("mamori: {scheme}://{listen}/"));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let opts = mamori_web::ServeOptions {
        site_dir,
        listen,
        db,
        tls,
    };
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
    let lang = global.lang();
    let action = match command {
        UserCommand::Add(a) => Do::Add(NewUser {
            name: a.name.clone(),
            role: Role::parse(&a.role).unwrap_or(Role::Staff),
            vendor: a.vendor.clone(),
            password: password_from_stdin()?,
            totp: a.totp,
        }),
        UserCommand::List => Do::List,
        UserCommand::Disable(u) => Do::Change(u.name.clone(), UserChange::Disable),
        UserCommand::ResetPassword(u) => {
            Do::Change(u.name.clone(), UserChange::Password(password_from_stdin()?))
        }
        UserCommand::ResetTotp(u) => Do::Change(u.name.clone(), UserChange::NewTotp),
    };
    let by = std::env::var("USER").unwrap_or_default();
    let done =
        crate::runtime()?.block_on(mamori_app::access::users(&global.db_path(), action, &by));
    let done = match done {
        Err(e) if e.is::<mamori_app::access::Refused>() => {
            let refused = e.downcast::<mamori_app::access::Refused>()?;
            output::error(refused.0.get(lang));
            return Ok(Outcome::InputErrors);
        }
        other => other?,
    };
    let listed = matches!(command, UserCommand::Add(_) | UserCommand::List);
    let mut text = match listed {
        true => mamori_report::access::render_users(&done.users, lang),
        false => mamori_model::tr(lang, "変更しました。\n", "Changed.\n").to_owned(),
    };
    if let Some((name, totp)) = &done.totp {
        text.push_str(&mamori_report::access::render_new_totp(
            name, &totp.uri, lang,
        ));
    }
    output::stdout(&text).map(|()| Outcome::Ok)
}

pub fn audit(global: &GlobalArgs, args: &AuditArgs) -> Run {
    let (lines, broken) =
        crate::runtime()?.block_on(mamori_app::access::audit_log(&global.db_path()))?;
    let json = args.format == HuntFormat::Json;
    let text = mamori_report::access::render_audit(&lines, broken, json, global.lang());
    output::stdout(&text).map(|()| Outcome::whole(broken.is_none()))
}
