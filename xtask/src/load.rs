//! `xtask serve-load BASE USER PASSWORD [SESSIONS] [SECONDS]`: signs SESSIONS users' browsers
//! in to a running `mamori serve` and has each fetch the dashboard and a findings page in turn
//! for SECONDS, then prints p50/p99 latency per page, requests per second and errors.
//! Plain threads with blocking HTTP (ureq): one connection per session, as browsers do.

use std::time::{Duration, Instant};

use anyhow::Context;

struct Session {
    agent: ureq::Agent,
    base: String,
    cookie: String,
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .max_redirects(0)
        .http_status_as_error(false)
        .build()
        .new_agent()
}

fn cookie_of(res: &ureq::http::Response<ureq::Body>, name: &str) -> Option<String> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .find(|pair| pair.starts_with(&format!("{name}=")))
        .map(str::to_owned)
}

fn sign_in(base: &str, user: &str, password: &str) -> anyhow::Result<Session> {
    let agent = agent();
    let mut form = agent.get(format!("{base}/login")).call()?;
    let login = cookie_of(&form, "mamori_login").context("no login cookie")?;
    let page = form.body_mut().read_to_string()?;
    let at = page
        .find("name=\"csrf_token\" value=\"")
        .context("no token")?
        + 25;
    let token = &page[at..at + 64];
    let body = format!("csrf_token={token}&username={user}&password={password}&totp=");
    let res = agent
        .post(format!("{base}/login"))
        .header("Cookie", &login)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .send(body.as_bytes())?;
    anyhow::ensure!(res.status() == 303, "sign-in answered {}", res.status());
    let cookie = cookie_of(&res, "mamori_session").context("no session cookie")?;
    Ok(Session {
        agent,
        base: base.to_owned(),
        cookie,
    })
}

/// Latencies (µs) of each page, and the errors, of one session.
type Tally = (Vec<Vec<u64>>, u64);

fn hammer(s: &Session, pages: &[&str], until: Instant) -> Tally {
    let mut times = vec![Vec::new(); pages.len()];
    let mut errors = 0;
    let mut i = 0;
    while Instant::now() < until {
        let which = i % pages.len();
        let start = Instant::now();
        let ok = s
            .agent
            .get(format!("{}{}", s.base, pages[which]))
            .header("Cookie", &s.cookie)
            .call()
            .ok()
            .filter(|r| r.status() == 200)
            .and_then(|mut r| r.body_mut().read_to_vec().ok())
            .is_some();
        times[which].push(u64::try_from(start.elapsed().as_micros()).unwrap_or(u64::MAX));
        if !ok {
            errors += 1;
        }
        i += 1;
    }
    (times, errors)
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at] as f64 / 1000.0
}

/// Runs the load and prints the figures.
pub fn run(args: &[String]) -> anyhow::Result<()> {
    let [base, user, password, rest @ ..] = args else {
        anyhow::bail!("usage: xtask serve-load BASE USER PASSWORD [SESSIONS] [SECONDS]");
    };
    let sessions: usize = rest.first().map_or(Ok(50), |s| s.parse())?;
    let seconds: u64 = rest.get(1).map_or(Ok(60), |s| s.parse())?;
    let pages = ["/", "/findings", "/findings?severity=high&page=3"];
    let signed: Vec<Session> = (0..sessions)
        .map(|_| sign_in(base, user, password))
        .collect::<anyhow::Result<_>>()?;
    let until = Instant::now() + Duration::from_secs(seconds);
    let started = Instant::now();
    let tallies: Vec<Tally> = std::thread::scope(|scope| {
        let handles: Vec<_> = signed
            .iter()
            .map(|s| scope.spawn(|| hammer(s, &pages, until)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a load thread"))
            .collect()
    });
    let elapsed = started.elapsed().as_secs_f64();
    let mut total = 0;
    let errors: u64 = tallies.iter().map(|t| t.1).sum();
    for (i, page) in pages.iter().enumerate() {
        let mut all: Vec<u64> = tallies
            .iter()
            .flat_map(|t| t.0[i].iter().copied())
            .collect();
        all.sort_unstable();
        total += all.len();
        println!(
            "{page:<32} {:>7} requests  p50 {:>7.2} ms  p99 {:>7.2} ms",
            all.len(),
            percentile(&all, 0.50),
            percentile(&all, 0.99)
        );
    }
    println!(
        "{sessions} sessions for {elapsed:.0} s: {total} requests, {:.0} requests/s, {errors} errors",
        total as f64 / elapsed
    );
    anyhow::ensure!(errors == 0, "{errors} requests failed");
    Ok(())
}
