//! `mamori watch` as a service: a `kill -9` after a one-second pause loses nothing that was
//! received, a restart continues the same day's file, SIGTERM flushes what came just before it
//! and ends with exit 0; alerts come out as JSON lines.

#![cfg(unix)]

mod support;

use std::io::{BufRead, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use support::Env;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn start(env: &Env, site: &std::path::Path, port: u16) -> Child {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mamori"))
        .args([
            "--db",
            env.db().to_str().unwrap(),
            "watch",
            site.to_str().unwrap(),
        ])
        .args([
            "--syslog-tcp",
            &format!("127.0.0.1:{port}"),
            "--format",
            "json",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    for _ in 0..100 {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return child;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("mamori watch did not listen");
}

fn send(port: u16, lines: &[String]) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    for l in lines {
        s.write_all(format!("{l}\n").as_bytes()).unwrap();
    }
}

fn archived(site: &std::path::Path) -> Vec<String> {
    let dir = site.join("logs/received/127.0.0.1");
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let path = e.unwrap().path();
        if path.extension().is_some_and(|x| x == "log") {
            out.extend(
                std::fs::read_to_string(path)
                    .unwrap()
                    .lines()
                    .map(str::to_owned),
            );
        }
    }
    out
}

fn failures(from: usize, n: usize) -> Vec<String> {
    (from..from + n)
        .map(|i| format!("<38>Dec 30 02:{:02}:{:02} clinic-srv sshd[{}]: Failed password for admin{} from 203.0.113.9 port 5{i:04} ssh2", i / 60 % 60, i % 60, 1000 + i, i % 3))
        .collect()
}

#[test]
fn kill_9_loses_nothing_restart_appends_sigterm_flushes() {
    let env = Env::new();
    let site = env.demo_copy();
    let port = free_port();
    let mut first = start(&env, &site, port);
    let batch1 = failures(0, 500);
    send(port, &batch1);
    std::thread::sleep(Duration::from_millis(1500));
    first.kill().unwrap(); // SIGKILL
    first.wait().unwrap();
    assert_eq!(
        archived(&site),
        batch1,
        "everything received a second before the kill is on disk"
    );

    let mut second = start(&env, &site, port);
    let batch2 = failures(500, 300);
    send(port, &batch2);
    std::thread::sleep(Duration::from_millis(200));
    let term = Command::new("kill")
        .args(["-TERM", &second.id().to_string()])
        .status()
        .unwrap();
    assert!(term.success());
    let status = second.wait().unwrap();
    assert_eq!(status.code(), Some(0), "a clean stop");
    let mut all = batch1.clone();
    all.extend(batch2);
    assert_eq!(
        archived(&site),
        all,
        "the same day's file, continued, and flushed at SIGTERM"
    );
    // The brute force came out as one JSON alert line, on the second run's stdout.
    let stdout = std::io::BufReader::new(second.stdout.take().unwrap());
    let alerts: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(&l.unwrap()).unwrap())
        .collect();
    assert!(
        alerts
            .iter()
            .any(|a| a["finding"]["rule_id"] == "log.bruteforce"),
        "{alerts:?}"
    );
}
