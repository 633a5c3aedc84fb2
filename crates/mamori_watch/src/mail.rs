//! Alerts by mail (site.toml `[alerts]`): the alerts of one flush in one mail — a spray of
//! 10,000 attempts is one alert, so one mail — or, with `digest_hour`, the day's alerts once a
//! day. STARTTLS unless the relay is on this machine; the password from an environment
//! variable or a file, never from the command line or site.toml. Mail goes out on a thread of
//! its own, so a slow server never holds up receiving.

use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use anyhow::Context;
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{Message, SmtpTransport, Transport};
use mamori_app::watch::Alert;
use mamori_model::site::AlertSettings;

/// The mail side of the receiver.
pub struct Mailer {
    tx: mpsc::Sender<Vec<Alert>>,
    /// What went wrong sending, for the receiver to report.
    pub errors: Arc<Mutex<Vec<String>>>,
    digest_hour: Option<i8>,
    pending: Vec<Alert>,
    last_digest: Option<jiff::civil::Date>,
}

fn password(s: &AlertSettings) -> anyhow::Result<Option<String>> {
    if let Some(var) = &s.password_env {
        let p = std::env::var(var).with_context(|| {
            format!("[alerts] password_env: the environment variable {var} is not set")
        })?;
        return Ok(Some(p));
    }
    if let Some(file) = &s.password_file {
        let p = std::fs::read_to_string(file)
            .with_context(|| format!("[alerts] password_file: cannot read {file}"))?;
        return Ok(Some(p.trim_end_matches(['\r', '\n']).to_owned()));
    }
    Ok(None)
}

fn transport(s: &AlertSettings, smtp: &str) -> anyhow::Result<SmtpTransport> {
    let (host, port) = match smtp.rsplit_once(':') {
        Some((h, p)) => (
            h,
            p.parse::<u16>().with_context(|| {
                format!("[alerts] smtp: {smtp:?} — write it like smtp.example.jp:587")
            })?,
        ),
        None => (smtp, 587),
    };
    let local = matches!(host, "127.0.0.1" | "localhost" | "::1");
    let builder = if s.starttls {
        SmtpTransport::starttls_relay(host).with_context(|| format!("[alerts] smtp: {host}"))?
    } else if local {
        SmtpTransport::builder_dangerous(host)
    } else {
        anyhow::bail!(
            "[alerts] starttls = false is allowed only for a relay on this machine (127.0.0.1), not {host}"
        );
    };
    let mut builder = builder.port(port);
    if let (Some(user), Some(pass)) = (&s.username, password(s)?) {
        builder = builder.credentials(Credentials::new(user.clone(), pass));
    }
    Ok(builder.build())
}

fn mailboxes(s: &AlertSettings) -> anyhow::Result<(Mailbox, Vec<Mailbox>)> {
    let from: Mailbox = s
        .from
        .parse()
        .with_context(|| format!("[alerts] from: {:?} is not a mail address", s.from))?;
    anyhow::ensure!(!s.to.is_empty(), "[alerts] to: no recipient");
    let to =
        s.to.iter()
            .map(|t| {
                t.parse()
                    .with_context(|| format!("[alerts] to: {t:?} is not a mail address"))
            })
            .collect::<anyhow::Result<_>>()?;
    Ok((from, to))
}

/// The mail of some alerts: a subject counting them, a body with each in Japanese and English.
pub fn compose(site: &str, alerts: &[Alert]) -> (String, String) {
    let critical = alerts
        .iter()
        .filter(|a| a.finding.severity == mamori_model::Severity::Critical)
        .count();
    let subject = format!(
        "[mamori] {site}: アラート {} 件（緊急 {critical}）/ {} alerts",
        alerts.len(),
        alerts.len()
    );
    let mut body = String::new();
    for a in alerts {
        let f = &a.finding;
        body.push_str(&format!(
            "{} [{}] {}\n  {}\n  {}\n  対策: {}\n\n",
            a.at,
            f.severity.label(mamori_model::Lang::Ja),
            f.rule_id,
            f.message.ja,
            f.message.en,
            f.remediation.ja
        ));
    }
    (subject, body)
}

impl Mailer {
    /// A mailer for the site's `[alerts]`, or `None` when no `smtp` is set; an error names the
    /// setting that is wrong.
    pub fn start(s: &AlertSettings, site: &str) -> anyhow::Result<Option<Mailer>> {
        let Some(smtp) = &s.smtp else { return Ok(None) };
        let transport = transport(s, smtp)?;
        let (from, to) = mailboxes(s)?;
        let (tx, rx) = mpsc::channel::<Vec<Alert>>();
        let errors = Arc::new(Mutex::new(Vec::new()));
        let (site, errs) = (site.to_owned(), errors.clone());
        std::thread::spawn(move || {
            for alerts in rx {
                let (subject, body) = compose(&site, &alerts);
                let mut m = Message::builder().from(from.clone()).subject(subject);
                for t in &to {
                    m = m.to(t.clone());
                }
                let sent = m
                    .body(body)
                    .map_err(anyhow::Error::from)
                    .and_then(|mail| transport.send(&mail).map_err(anyhow::Error::from));
                if let Err(e) = sent {
                    errs.lock().expect("errors").push(format!(
                        "アラートのメールを送れません / cannot mail the alerts: {e:#}"
                    ));
                }
            }
        });
        let digest_hour = s.digest_hour.and_then(|h| i8::try_from(h).ok());
        Ok(Some(Mailer {
            tx,
            errors,
            digest_hour,
            pending: Vec::new(),
            last_digest: None,
        }))
    }

    /// Takes a flush's alerts: mailed now, or kept for the day's digest (mailed at the first
    /// call after `digest_hour`).
    pub fn take(&mut self, alerts: Vec<Alert>, now: jiff::Timestamp) {
        let Some(hour) = self.digest_hour else {
            if !alerts.is_empty() {
                let _ = self.tx.send(alerts);
            }
            return;
        };
        self.pending.extend(alerts);
        let local = now.to_zoned(mamori_app::tokyo());
        let due = local.hour() >= hour && self.last_digest != Some(local.date());
        if due {
            self.last_digest = Some(local.date());
            if !self.pending.is_empty() {
                let _ = self.tx.send(std::mem::take(&mut self.pending));
            }
        }
    }
}
