//! What mamori's tests share. Tests read the real logs, EVTX, feeds and configurations of
//! `../shared/data` (beside the repository; see its SOURCES.md) in place — they are never
//! copied into the repository. When the data is absent a test says so visibly and passes,
//! except in CI (`CI=true`), where absence is a failure.

#![warn(missing_docs)]
// The skip message must be visible: it is printed on purpose.
#![allow(clippy::print_stderr)]

use std::path::PathBuf;

/// The path under `../shared/data`, or `None` (with a visible message) when it is absent.
/// With `CI=true` absence is a failure.
pub fn shared(rel: &str) -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(rel);
    if path.exists() {
        return Some(path);
    }
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("shared test data missing in CI: {}", path.display());
    }
    eprintln!("SKIPPED: shared test data not found: {}", path.display());
    None
}

/// Makes a named pipe at `path` (tests that a reader never opens one: a plain read would hang).
#[cfg(unix)]
pub fn mkfifo(path: &std::path::Path) {
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success());
    assert!(made, "mkfifo {}", path.display());
}

/// The bundled demo site (`examples/demo-hospital`), copied into `to` so a test may change it.
pub fn copy_demo_site(to: &std::path::Path) {
    let from = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/demo-hospital");
    copy_dir(&from, to);
}

/// Copies a folder tree.
pub fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Raises this process's limit on open files towards `wanted` (the soft limit up to the hard
/// one) and returns what it is now: a test that needs many sockets sizes itself by it.
pub fn raise_open_files(wanted: u64) -> u64 {
    raise_open_file_limit(wanted)
}

#[cfg(unix)]
fn raise_open_file_limit(wanted: u64) -> u64 {
    use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
    let now = getrlimit(Resource::Nofile);
    let current = now.current.unwrap_or(u64::MAX);
    if current >= wanted {
        return current;
    }
    let raised = wanted.min(now.maximum.unwrap_or(u64::MAX));
    let new = Rlimit {
        current: Some(raised),
        maximum: now.maximum,
    };
    if setrlimit(Resource::Nofile, new).is_ok() {
        raised
    } else {
        current
    }
}

#[cfg(not(unix))]
fn raise_open_file_limit(_wanted: u64) -> u64 {
    0
}

/// The shared Iron-Skillet PAN-OS XML made into a hospital's firewall: ethernet1/1 in zone untrust with the
/// default route and a management profile allowing HTTPS and SSH (plus `permitted`), ethernet1/2
/// inside, a GlobalProtect portal and gateway on ethernet1/1, release 10.2.8, a TLS 1.0 profile.
pub fn panos_hospital_variant(text: &str, permitted: &str) -> String {
    let mut changed = text.to_owned();
    let mut edit = |from: &str, to: &str| {
        assert!(changed.contains(from), "{from}");
        changed = changed.replacen(from, to, 1);
    };
    edit(
        "<config version=\"10.1.0\"",
        "<config version=\"10.2.0\" detail-version=\"10.2.8\"",
    );
    edit(
        "<ethernet/>",
        "<ethernet>\n<entry name=\"ethernet1/1\"><layer3><ip><entry name=\"203.0.113.2/29\"/></ip>\n<interface-management-profile>allow-mgmt</interface-management-profile></layer3></entry>\n<entry name=\"ethernet1/2\"><layer3><ip><entry name=\"192.168.10.1/24\"/></ip></layer3></entry>\n</ethernet>",
    );
    edit(
        "<profiles>",
        &format!(
            "<profiles>\n<interface-management-profile><entry name=\"allow-mgmt\">\n<https>yes</https>\n<ssh>yes</ssh>\n<ping>yes</ping>{permitted}</entry></interface-management-profile>"
        ),
    );
    edit(
        "<virtual-router>\n          <entry name=\"default\">",
        "<virtual-router>\n          <entry name=\"default\"><routing-table><ip><static-route><entry name=\"default\">\n<destination>0.0.0.0/0</destination><interface>ethernet1/1</interface><nexthop><ip-address>203.0.113.1</ip-address></nexthop></entry></static-route></ip></routing-table>",
    );
    edit(
        "<zone/>",
        "<zone><entry name=\"untrust\"><network><layer3><member>ethernet1/1</member></layer3></network></entry>\n<entry name=\"trust\"><network><layer3><member>ethernet1/2</member></layer3></network></entry></zone>\n<global-protect><global-protect-portal><entry name=\"GP-Portal\"><portal-config><local-address><interface>ethernet1/1</interface></local-address>\n<client-auth><entry name=\"local\"><authentication-profile>GP-Local</authentication-profile></entry></client-auth></portal-config></entry></global-protect-portal>\n<global-protect-gateway><entry name=\"GP-Gateway\"><local-address><interface>ethernet1/1</interface></local-address>\n<client-auth><entry name=\"radius\"><authentication-profile>GP-RADIUS</authentication-profile></entry></client-auth></entry></global-protect-gateway></global-protect>\n<authentication-profile><entry name=\"GP-Local\"><method><local-database/></method></entry>\n<entry name=\"GP-RADIUS\"><method><radius><server-profile>radius-hq</server-profile></radius></method></entry></authentication-profile>\n<ssl-tls-service-profile><entry name=\"old-clients\"><protocol-settings><min-version>tls1-0</min-version></protocol-settings></entry></ssl-tls-service-profile>\n<ike><gateway><entry name=\"x\"><authentication><pre-shared-key><key>gp-psk-secret</key></pre-shared-key></authentication></entry></gateway></ike>",
    );
    changed
}

/// A visible line from a test: a run made smaller than asked, for the machine it is on.
pub fn say(text: &str) {
    eprintln!("{text}");
}

/// A TCP server on a free loopback port that greets every connection with `banner` (an SSH
/// server's first line, say) and closes it: something real for nmap to find. Its thread lives
/// as long as the test process.
pub fn banner_server(banner: &'static [u8]) -> u16 {
    use std::io::Write;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let _ = stream.write_all(banner);
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    });
    port
}

/// nmap's XML output for a connect scan with service detection of `ports` on 127.0.0.1
/// (`nmap -oX - -sT -sV -Pn -p PORTS 127.0.0.1`), or `None` with a visible message when nmap
/// is not installed. With `CI=true` its absence is a failure.
pub fn nmap_loopback(ports: &str) -> Option<String> {
    let out = std::process::Command::new("nmap")
        .args(["-oX", "-", "-sT", "-sV", "-Pn", "-p", ports, "127.0.0.1"])
        .output();
    match out {
        Ok(out) if out.status.success() => Some(String::from_utf8_lossy(&out.stdout).into_owned()),
        other => {
            let why = match other {
                Ok(out) => String::from_utf8_lossy(&out.stderr).into_owned(),
                Err(e) => e.to_string(),
            };
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("nmap is needed in CI (apt-get install nmap): {why}");
            }
            eprintln!("SKIPPED: nmap not available: {why}");
            None
        }
    }
}
