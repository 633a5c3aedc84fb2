//! The dashboard in a real browser (Debian's chromium, headless, driven through chromedriver
//! by fantoccini): sign in with a TOTP code, answer a checklist item, set a finding's status,
//! run assess from the page and see the status survive it. Screenshots of the dashboard and a
//! finding page are written to `target/artefacts/` (or `$MAMORI_ARTEFACTS`) and checked for
//! content. Skipped with a message when chromium or chromedriver is missing; a failure in CI.

#![allow(clippy::print_stderr)]

mod support;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

fn browser_present() -> bool {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        return true;
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!(
            "chromium and chromedriver are required in CI (apt-get install chromium chromium-driver)"
        );
    }
    eprintln!(
        "SKIPPED: the browser test needs {CHROMIUM} and {CHROMEDRIVER} (apt-get install chromium chromium-driver)"
    );
    false
}

struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_driver() -> (Driver, u16) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    let driver = Driver(child);
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return (driver, port);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("chromedriver did not listen on {port}");
}

async fn connect(port: u16, profile: &Path) -> Client {
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": CHROMIUM,
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1280,1000",
                format!("--user-data-dir={}", profile.display()),
            ]
        }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a chromium session")
}

fn artefacts() -> PathBuf {
    let dir = std::env::var_os("MAMORI_ARTEFACTS").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/artefacts"),
        PathBuf::from,
    );
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Saves a screenshot and checks it shows something: many colours, not one flat page.
async fn screenshot(c: &Client, name: &str) {
    let png = c.screenshot().await.unwrap();
    let path = artefacts().join(name);
    std::fs::write(&path, &png).unwrap();
    let decoder = png::Decoder::new(std::io::Cursor::new(&png));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let px = info.color_type.samples();
    let mut colours = std::collections::HashSet::new();
    for chunk in buf[..info.buffer_size()].chunks(px) {
        colours.insert(chunk.to_vec());
    }
    assert!(
        info.width >= 800 && colours.len() > 20,
        "{name}: {}x{} with {} colours",
        info.width,
        info.height,
        colours.len()
    );
    eprintln!("screenshot: {} ({} colours)", path.display(), colours.len());
}

/// Clicks the element `css` selects.
async fn click(c: &Client, css: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

/// Types `text` into the element `css` selects.
async fn type_into(c: &Client, css: &str, text: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap()
        .send_keys(text)
        .await
        .unwrap();
}

/// Waits until the element's text contains `needle` (the page may still be the old one for a
/// moment after a click: its elements go stale), and returns the text.
async fn wait_text(c: &Client, css: &str, needle: &str) -> String {
    let mut last = String::new();
    for _ in 0..100 {
        if let Ok(e) = c.find(Locator::Css(css)).await
            && let Ok(t) = e.text().await
        {
            if t.contains(needle) {
                return t;
            }
            last = t;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{css} never showed {needle:?}; last: {last:?}");
}

async fn text(c: &Client) -> String {
    c.find(Locator::Css("main"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

#[test]
fn sign_in_answer_set_a_status_and_see_it_survive_the_next_run() {
    if !browser_present() {
        return;
    }
    let s = support::Server::start();
    let (_driver, port) = start_driver();
    let profile = tempfile::tempdir().unwrap();
    let base = s.base.clone();
    let code = mamori_app::access::totp_code(&s.admin_totp, support::now()).unwrap();
    let site = s.site();
    s.rt.block_on(async move {
        let c = connect(port, profile.path()).await;
        let result = journey(&c, &base, &code, &site).await;
        c.close().await.unwrap();
        result
    });
}

async fn journey(c: &Client, base: &str, code: &str, site: &Path) {
    // Sign in with password and TOTP.
    c.goto(&format!("{base}/")).await.unwrap();
    assert!(c.current_url().await.unwrap().path().ends_with("/login"));
    type_into(c, "input[name=username]", "admin").await;
    type_into(c, "input[name=password]", support::PASSWORD).await;
    type_into(c, "input[name=totp]", code).await;
    click(c, "form.login button").await;
    if c.wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css("ul.counts"))
        .await
        .is_err()
    {
        panic!("no dashboard after sign-in: {}", c.source().await.unwrap());
    }
    let dashboard = text(c).await;
    assert!(
        dashboard.contains("まず今週やること") && dashboard.contains("緊急"),
        "{dashboard}"
    );
    screenshot(c, "dashboard.png").await;
    answer_checklist(c, base, site).await;
    let finding_url = set_status(c, base).await;
    run_and_check(c, base, &finding_url).await;
}

async fn answer_checklist(c: &Client, base: &str, site: &Path) {
    c.goto(&format!("{base}/checklist")).await.unwrap();
    let row = c.find(Locator::Css("tr#mds-sds form")).await.unwrap();
    row.find(Locator::Css("select[name=answer]"))
        .await
        .unwrap()
        .select_by_value("はい")
        .await
        .unwrap();
    row.find(Locator::Css("input[name=notes]"))
        .await
        .unwrap()
        .clear()
        .await
        .unwrap();
    row.find(Locator::Css("input[name=notes]"))
        .await
        .unwrap()
        .send_keys("ブラウザから回答")
        .await
        .unwrap();
    row.find(Locator::Css("button"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // The row is on the page before the post as after it: wait for the file, not the page
    // (reading at once raced the server on a loaded machine).
    let mut toml = String::new();
    for _ in 0..100 {
        toml = std::fs::read_to_string(site.join("checklist.toml")).unwrap();
        if toml.contains("ブラウザから回答") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        toml.contains("ブラウザから回答"),
        "the answer is in checklist.toml"
    );
    wait_text(c, "tr#mds-sds", "ブラウザから回答").await;
}

async fn set_status(c: &Client, base: &str) -> String {
    c.goto(&format!("{base}/findings?severity=critical"))
        .await
        .unwrap();
    click(c, "table.findings tbody a").await;
    c.wait()
        .for_element(Locator::Css("form.status-form"))
        .await
        .unwrap();
    let finding_url = c.current_url().await.unwrap();
    c.find(Locator::Css("select[name=status]"))
        .await
        .unwrap()
        .select_by_value("in-progress")
        .await
        .unwrap();
    type_into(c, "input[name=owner]", "情報システム係 高橋").await;
    click(c, "form.status-form button").await;
    let status = wait_text(c, "dd.status", "対応中").await;
    assert!(status.contains("高橋"), "{status}");
    screenshot(c, "finding.png").await;
    finding_url.to_string()
}

/// Runs assess from the page; the status is still there afterwards.
async fn run_and_check(c: &Client, base: &str, finding_url: &str) {
    c.goto(&format!("{base}/run")).await.unwrap();
    click(c, "form[action='/run'] button").await;
    c.wait()
        .at_most(Duration::from_secs(120))
        .for_element(Locator::XPath("//*[contains(text(), '完了')]"))
        .await
        .unwrap();
    c.goto(finding_url).await.unwrap();
    let status = c
        .find(Locator::Css("dd.status"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(status.contains("対応中"), "kept across the run: {status}");

    // The English switch.
    click(c, "a.lang").await;
    wait_text(c, "dd.status", "in progress").await;
}
