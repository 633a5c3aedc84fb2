//! Sessions end after 30 minutes idle and 12 hours in all; passwords are Argon2id with OWASP's
//! parameters; beyond loopback the server wants TLS, and over TLS its cookies are `Secure`.

mod support;

use std::sync::Arc;

use jiff::{SignedDuration, Timestamp};
use mamori_app::access::{Attempt, NewUser, SignIn, add_user, session, sign_in};
use mamori_model::access::Role;
use mamori_store::Store;

async fn signed_in(store: &Store, at: Timestamp) -> String {
    let attempt = Attempt {
        username: "staff",
        password: support::PASSWORD,
        totp: "",
        source: "127.0.0.1",
        now: at,
    };
    match sign_in(store, &attempt).await.unwrap() {
        SignIn::Granted { token, .. } => token,
        _ => panic!("sign-in refused"),
    }
}

#[tokio::test(flavor = "current_thread")]
async fn sessions_end_after_thirty_idle_minutes_or_twelve_hours() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("m.db")).await.unwrap();
    let t0 = support::now();
    let new = NewUser {
        name: "staff".into(),
        role: Role::Staff,
        vendor: None,
        password: support::PASSWORD.into(),
        totp: false,
    };
    add_user(&store, new, t0, "test").await.unwrap();
    let minutes = |m: i64| t0 + SignedDuration::from_mins(m);

    let idle = signed_in(&store, t0).await;
    assert!(session(&store, &idle, minutes(29)).await.unwrap().is_some());
    // Used at 29 min: the idle clock starts again from there.
    assert!(session(&store, &idle, minutes(58)).await.unwrap().is_some());
    assert!(
        session(&store, &idle, minutes(89)).await.unwrap().is_none(),
        "31 idle minutes"
    );
    assert!(
        session(&store, &idle, minutes(90)).await.unwrap().is_none(),
        "ended for good"
    );

    let busy = signed_in(&store, t0).await;
    let mut m = 0;
    while m < 12 * 60 - 20 {
        m += 20;
        assert!(
            session(&store, &busy, minutes(m)).await.unwrap().is_some(),
            "at {m} min"
        );
    }
    assert!(
        session(&store, &busy, minutes(12 * 60 + 1))
            .await
            .unwrap()
            .is_none(),
        "12 hours in all"
    );
}

#[test]
fn passwords_are_argon2id_with_owasp_parameters_and_short_ones_are_refused() {
    let hash = mamori_app::access::hash_password("correct-horse-battery").unwrap();
    assert!(
        hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{hash}"
    );
    assert!(mamori_app::access::verify_password(
        "correct-horse-battery",
        &hash
    ));
    assert!(!mamori_app::access::verify_password(
        "correct-horse-batterx",
        &hash
    ));
    assert_eq!(mamori_app::access::password_rule(false), 13);
    assert_eq!(mamori_app::access::password_rule(true), 8);
}

#[test]
fn beyond_loopback_needs_tls() {
    let any = "0.0.0.0:8470".parse().unwrap();
    let refusal = mamori_web::check_listen(any, false).unwrap_err();
    assert!(refusal.0.ja.contains("--tls-cert"), "{}", refusal.0.ja);
    assert!(mamori_web::check_listen(any, true).is_ok());
    assert!(mamori_web::check_listen("127.0.0.1:8470".parse().unwrap(), false).is_ok());
    assert!(mamori_web::check_listen("[::1]:8470".parse().unwrap(), false).is_ok());
}

#[test]
fn over_tls_the_session_cookie_is_secure() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    mamori_testing::copy_demo_site(&site);
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".into()]).unwrap();
    let (cert_pem, key_pem) = (dir.path().join("cert.pem"), dir.path().join("key.pem"));
    std::fs::write(&cert_pem, cert.cert.pem()).unwrap();
    std::fs::write(&key_pem, cert.signing_key.serialize_pem()).unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let clock = mamori_app::Clock::fixed(support::now());
    let state = rt
        .block_on(mamori_web::AppState::open_with_clock(
            &site,
            &dir.path().join("m.db"),
            true,
            clock,
        ))
        .unwrap();
    let new = NewUser {
        name: "staff".into(),
        role: Role::Staff,
        vendor: None,
        password: support::PASSWORD.into(),
        totp: false,
    };
    rt.block_on(add_user(&state.store, new, support::now(), "test"))
        .unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let tls = (cert_pem, key_pem);
    rt.spawn(async move {
        mamori_web::serve_on(
            listener,
            Arc::new(state),
            Some(&tls),
            axum_server::Handle::new(),
        )
        .await
        .unwrap();
    });
    let root = ureq::tls::Certificate::from_der(cert.cert.der()).to_owned();
    let tls_config = ureq::tls::TlsConfig::builder()
        .root_certs(ureq::tls::RootCerts::Specific(Arc::new(vec![root])))
        .build();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .tls_config(tls_config)
        .max_redirects(0)
        .http_status_as_error(false)
        .build()
        .into();
    let base = format!("https://localhost:{port}");
    let mut form = agent.get(format!("{base}/login")).call().unwrap();
    let login_cookie = form
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(login_cookie.contains("Secure"), "{login_cookie}");
    let page = form.body_mut().read_to_string().unwrap();
    let token = support::hidden_token(&page);
    let cookie = login_cookie.split(';').next().unwrap().to_owned();
    let body = serde_urlencoded::to_string([
        ("csrf_token", token.as_str()),
        ("username", "staff"),
        ("password", support::PASSWORD),
    ])
    .unwrap();
    let r = agent
        .post(format!("{base}/login"))
        .header("Cookie", &cookie)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .send(body.as_bytes())
        .unwrap();
    assert_eq!(r.status(), 303);
    let session = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|v| v.starts_with("mamori_session="))
        .unwrap();
    assert!(
        session.contains("Secure")
            && session.contains("HttpOnly")
            && session.contains("SameSite=Strict"),
        "{session}"
    );
}
