//! A real dashboard on a loopback port, over a copy of the demo site with one run recorded,
//! and a small HTTP client that keeps cookies (ureq, redirects not followed).

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use jiff::Timestamp;
use mamori_app::Clock;
use mamori_app::access::{NewUser, add_user};
use mamori_model::access::Role;
use mamori_web::AppState;

/// The fixed "now" of the tests (the demo's data is dated around it).
pub fn now() -> Timestamp {
    "2026-11-21T01:00:00Z".parse().unwrap()
}

pub const PASSWORD: &str = "correct-horse-battery";

pub struct Server {
    pub base: String,
    pub dir: tempfile::TempDir,
    pub state: Arc<AppState>,
    pub rt: tokio::runtime::Runtime,
    /// The TOTP secret of `admin`.
    pub admin_totp: String,
}

impl Server {
    /// The demo site with a vendor row named `<script>…`, one assess run recorded, and users
    /// `admin` (TOTP), `staff`, `v02` (vendor V02).
    pub fn start() -> Server {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        mamori_testing::copy_demo_site(&site);
        let vendors = site.join("vendors.csv");
        let mut text = std::fs::read_to_string(&vendors).unwrap();
        text.push_str(
            "V99,<script>alert(1)</script>,\"<img src=x onerror=alert(2)>\",保守契約,有,,\n",
        );
        std::fs::write(&vendors, text).unwrap();
        let db = dir.path().join("mamori.db");
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let clock = Clock::fixed(now());
        let folder = mamori_app::SiteFolder::new(&site);
        let opts = mamori_app::assess::AssessOptions {
            as_of: None,
            db: db.clone(),
            record: true,
            clock,
        };
        let assessed = rt
            .block_on(mamori_app::assess::assess(&folder, &opts))
            .unwrap();
        assert!(matches!(
            assessed.recording,
            mamori_app::assess::Recording::Recorded
        ));
        let state = Arc::new(
            rt.block_on(AppState::open_with_clock(&site, &db, false, clock))
                .unwrap(),
        );
        let mut admin_totp = String::new();
        for (name, role, vendor) in [
            ("admin", Role::Admin, None),
            ("staff", Role::Staff, None),
            ("v02", Role::Vendor, Some("V02")),
        ] {
            let new = NewUser {
                name: name.into(),
                role,
                vendor: vendor.map(Into::into),
                password: PASSWORD.into(),
                totp: false,
            };
            let (_, totp) = rt
                .block_on(add_user(&state.store, new, now(), "test"))
                .unwrap();
            if let Some(t) = totp {
                admin_totp = t.secret_base32;
            }
        }
        let listener = rt
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let addr = listener.local_addr().unwrap();
        let app =
            mamori_web::router(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
        rt.spawn(async move { axum::serve(listener, app).await.unwrap() });
        Server {
            base: format!("http://{addr}"),
            dir,
            state,
            rt,
            admin_totp,
        }
    }

    pub fn site(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    pub fn client(&self) -> Client {
        Client::new(&self.base)
    }

    /// A client signed in as `name` (with the admin's TOTP code when it is `admin`).
    pub fn signed_in(&self, name: &str) -> Client {
        let mut c = self.client();
        let code = if name == "admin" {
            mamori_app::access::totp_code(&self.admin_totp, now()).unwrap()
        } else {
            String::new()
        };
        let r = c.login(name, PASSWORD, &code);
        assert_eq!(r.status, 303, "login of {name}: {}", r.body);
        c
    }

    /// The audit log's lines as (who, kind, text).
    pub fn audit(&self) -> Vec<(String, String, String)> {
        let lines = self.rt.block_on(self.state.store.audit_log(None)).unwrap();
        assert_eq!(mamori_model::incident::verify_chain(&lines), Ok(()));
        lines.into_iter().map(|l| (l.who, l.kind, l.text)).collect()
    }
}

pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub fn set_cookies(&self) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

pub struct Client {
    base: String,
    agent: ureq::Agent,
    pub cookies: BTreeMap<String, String>,
    pub extra: Vec<(String, String)>,
}

impl Client {
    pub fn new(base: &str) -> Client {
        let agent = ureq::Agent::config_builder()
            .max_redirects(0)
            .http_status_as_error(false)
            .build()
            .new_agent();
        Client {
            base: base.to_owned(),
            agent,
            cookies: BTreeMap::new(),
            extra: Vec::new(),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    fn keep(&mut self, res: ureq::http::Response<ureq::Body>) -> Reply {
        let status = res.status().as_u16();
        let headers: Vec<(String, String)> = res
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned()))
            .collect();
        for (k, v) in &headers {
            if k == "set-cookie" {
                let pair = v.split(';').next().unwrap();
                let (name, value) = pair.split_once('=').unwrap();
                if value.is_empty() {
                    self.cookies.remove(name);
                } else {
                    self.cookies.insert(name.to_owned(), value.to_owned());
                }
            }
        }
        let body = res.into_body().read_to_string().unwrap_or_default();
        Reply {
            status,
            headers,
            body,
        }
    }

    pub fn get(&mut self, path: &str) -> Reply {
        let mut req = self
            .agent
            .get(format!("{}{path}", self.base))
            .header("Cookie", self.cookie_header());
        for (k, v) in &self.extra {
            req = req.header(k, v);
        }
        let res = req.call().unwrap();
        self.keep(res)
    }

    /// POSTs a form (fields are URL-encoded here).
    pub fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let body = serde_urlencoded::to_string(fields).unwrap();
        self.post_raw(path, "application/x-www-form-urlencoded", body.into_bytes())
    }

    pub fn post_raw(&mut self, path: &str, content_type: &str, body: Vec<u8>) -> Reply {
        let mut req = self
            .agent
            .post(format!("{}{path}", self.base))
            .header("Cookie", self.cookie_header())
            .header("Content-Type", content_type);
        for (k, v) in &self.extra {
            req = req.header(k, v);
        }
        let res = req.send(&body[..]).unwrap();
        self.keep(res)
    }

    /// The CSRF token of the signed-in session (from /api/whoami).
    pub fn csrf(&mut self) -> String {
        let r = self.get("/api/whoami");
        let v: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        v["csrf_token"].as_str().unwrap().to_owned()
    }

    /// GET /login for its token, then POST the form.
    pub fn login(&mut self, user: &str, password: &str, totp: &str) -> Reply {
        let form = self.get("/login");
        let token = hidden_token(&form.body);
        self.post(
            "/login",
            &[
                ("csrf_token", &token),
                ("username", user),
                ("password", password),
                ("totp", totp),
            ],
        )
    }

    /// A multipart upload with one file field and text fields; the CSRF token in the query.
    pub fn upload(
        &mut self,
        path: &str,
        fields: &[(&str, &str)],
        file_field: &str,
        file_name: &str,
        bytes: &[u8],
    ) -> Reply {
        let boundary = "mamori-test-boundary-7d3f";
        let mut body = Vec::new();
        for (k, v) in fields {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
                )
                .as_bytes(),
            );
        }
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{file_field}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        self.post_raw(
            path,
            &format!("multipart/form-data; boundary={boundary}"),
            body,
        )
    }
}

/// The value of the first hidden `csrf_token` field of a page.
pub fn hidden_token(html: &str) -> String {
    let at = html
        .find("name=\"csrf_token\" value=\"")
        .expect("a csrf_token field");
    html[at + 25..at + 25 + 64].to_owned()
}
