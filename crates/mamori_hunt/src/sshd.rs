//! sshd messages → logon events, following each sshd process (host + pid) through its
//! session, the way fail2ban's `sshd` filter does in its normal mode.
//!
//! Most messages are one attempt each (`Failed password`, `Invalid user`, `User … not allowed`).
//! Some only mean something in context, and counting them line by line would either invent
//! failures or count one attempt twice:
//! - `Failed publickey` for a valid user: clients offer every key they hold, so a person with
//!   three keys fails twice before succeeding. Held until the session ends in `Too many
//!   authentication failures` (then one failure) or is forgotten on `Accepted`.
//! - `pam_unix(sshd:auth): authentication failure`: precedes sshd's own `Failed password` for
//!   the same attempt. Held; it counts only when a second one names another user, or the
//!   session then succeeds as a different user (an attempt to hide failures behind a success).
//! - preauth disconnects (`Received disconnect … 11: Bye Bye [preauth]`, `… Auth fail`,
//!   `maximum authentication attempts exceeded`, `Too many authentication failures`) count
//!   only for a session that has not already given a failure.
//! - `Too many authentication failures` without an address takes it from the session's
//!   `Connection from` line, or waits for its `Connection closed by ADDR [preauth]`.
//!
//! Sessions are tracked within a run of lines (one 2 MiB block of a file, see `blocks`): a
//! session cut by a block boundary loses its context there, which can drop a held failure or
//! count its closing message as one more attempt (measured: ±1 on 7 of 28 sources' counts of
//! up to 10,500 over 335 MB, between 1 MiB and 2 MiB blocks).

use std::collections::HashMap;

use mamori_model::SourceRef;
use mamori_model::event::{AuthMethod, EventKind, LogEvent, Outcome, parse_ip};

use crate::line::Header;

/// What is known of the sshd sessions seen so far.
#[derive(Default)]
pub struct Sessions {
    /// By a hash of (host, pid): no allocation per line; a collision could only lend one
    /// session's context to another.
    open: HashMap<u64, Session>,
}

/// Sessions are forgotten past this many, so memory stays bounded on logs of sessions that
/// never close.
const MAX_SESSIONS: usize = 50_000;

#[derive(Default)]
struct Session {
    /// From `Connection from ADDR port N`.
    source: Option<String>,
    /// A failure was already counted for this session.
    counted: bool,
    /// Held attempts: (user, reason).
    held: Vec<(String, &'static str)>,
    /// A counted failure named someone else than a later success: the success is then one
    /// more attempt in the same guessing run.
    failed_other_user: Option<String>,
    /// `Too many authentication failures` seen without an address: the user, if named.
    too_many: Option<String>,
}

/// One message of sshd → zero, one or two events (a held failure and the success that
/// reveals it), each with how many attempts it stands for.
pub fn map(
    h: &Header,
    origin: SourceRef,
    sessions: &mut Sessions,
    emit: &mut dyn FnMut(LogEvent, u32),
) {
    let mut msg = h.message;
    let mut repeat = 1;
    if let Some(rest) = msg.strip_prefix("message repeated ") {
        let Some((n, rest)) = rest.split_once(" times: [ ") else {
            return;
        };
        let Ok(n) = n.parse() else { return };
        repeat = n;
        msg = rest.trim_end_matches(']').trim_end();
    }
    for prefix in ["error: ", "fatal: "] {
        msg = msg.strip_prefix(prefix).unwrap_or(msg);
    }
    // Solaris: "[ID 800047 auth.info] Failed keyboard-interactive for …"
    if msg.starts_with("[ID ")
        && let Some((_, rest)) = msg.split_once("] ")
    {
        msg = rest;
    }
    if sessions.open.len() > MAX_SESSIONS {
        sessions.open.clear();
    }
    let key = {
        use std::hash::{Hash, Hasher};
        let mut hasher = rustc_hash::FxHasher::default();
        (h.host, h.pid).hash(&mut hasher);
        hasher.finish()
    };
    let m = Message {
        h,
        origin: &origin,
        key,
        repeat,
    };
    let failure = |user: &str, source: &str, reason: &str| m.failure(user, source, reason);

    if let Some(rest) = msg.strip_prefix("Accepted ") {
        return accepted(&m, rest, sessions, emit);
    }
    if let Some(rest) = msg.strip_prefix("Failed ") {
        return failed(&m, rest, sessions, emit);
    }
    if let Some(rest) = msg
        .strip_prefix("Invalid user ")
        .or_else(|| msg.strip_prefix("Illegal user "))
    {
        let (user, source) = split_from(rest).unwrap_or(("", ""));
        let e = failure(user, source, "invalid user");
        return counted(sessions, key, emit, e, repeat);
    }
    if let Some(rest) = strip_prefix_ignore_case(msg, "PAM: authentication failure for ")
        .or_else(|| strip_prefix_ignore_case(msg, "PAM: authentication error for "))
        .or_else(|| {
            msg.strip_prefix(
                "PAM: User not known to the underlying authentication module for illegal user ",
            )
        })
    {
        let Some((user, source)) = split_from(rest) else {
            return;
        };
        let e = failure(user, source, "PAM authentication failure");
        return counted(sessions, key, emit, e, repeat);
    }
    if let Some(rest) = msg.strip_prefix("pam_unix(sshd:auth): authentication failure;") {
        return pam_unix(&m, rest, sessions, emit);
    }
    if let Some(rest) = msg.strip_prefix("User ")
        && rest.contains(" not allowed because ")
        && let Some((user, _)) = rest.split_once(" from ")
    {
        let e = failure(user, from_host(rest), "user not allowed");
        return counted(sessions, key, emit, e, repeat);
    }
    if let Some(rest) = msg.strip_prefix("ROOT LOGIN REFUSED FROM ") {
        let source = rest.split_whitespace().next().unwrap_or("");
        let e = failure("root", source, "root login refused");
        return counted(sessions, key, emit, e, repeat);
    }
    if let Some(rest) = msg.strip_prefix("refused connect from ") {
        // TCP wrappers: "refused connect from NAME (ADDR)".
        let source = rest
            .rsplit_once('(')
            .map_or(rest, |(_, a)| a.trim_end_matches(')'));
        let e = failure("", source.trim(), "connection refused (TCP wrappers)");
        return counted(sessions, key, emit, e, repeat);
    }
    if let Some(rest) = msg.strip_prefix("Disconnecting invalid user ") {
        return disconnecting_invalid_user(&m, rest, sessions, emit);
    }
    if let Some(rest) = msg.strip_prefix("maximum authentication attempts exceeded for ") {
        let rest = rest.strip_prefix("invalid user ").unwrap_or(rest);
        let (user, _) = rest.split_once(" from ").unwrap_or((rest, ""));
        let source = from_host(rest);
        return session_end(sessions, key, emit, || {
            failure(user, source, "maximum authentication attempts exceeded")
        });
    }
    if let Some(rest) = msg.strip_prefix("Disconnecting: Too many authentication failures") {
        return too_many(&m, rest, sessions, emit);
    }
    if let Some(rest) = msg.strip_prefix("Received disconnect from ") {
        return received_disconnect(&m, rest, sessions, emit);
    }
    if let Some(rest) = msg.strip_prefix("Connection closed by ") {
        return connection_closed(&m, rest, sessions, emit);
    }
    if let Some(rest) = msg.strip_prefix("Connection from ") {
        let source = rest.split_whitespace().next().unwrap_or("");
        // A new connection: whatever the pid did before is another session.
        let fresh = Session {
            source: Some(source.to_owned()),
            ..Session::default()
        };
        sessions.open.insert(key, fresh);
    }
}

/// One sshd message being mapped: its header and origin, the key of its session (host and
/// pid), and how many times syslog says it was repeated.
struct Message<'a, 'h> {
    h: &'a Header<'h>,
    origin: &'a SourceRef,
    key: u64,
    repeat: u32,
}

impl Message<'_, '_> {
    /// A failed login of `user` from `source`, for `reason`.
    fn failure(&self, user: &str, source: &str, reason: &str) -> LogEvent {
        let mut e = base(self.h, Outcome::Failure, self.origin.clone());
        e.user = user.trim().to_owned();
        set_source(&mut e, source);
        e.reason = reason.to_owned();
        e
    }
}

/// `Disconnecting invalid user NAME ADDR port N: WHY [preauth]`.
fn disconnecting_invalid_user(
    m: &Message,
    rest: &str,
    sessions: &mut Sessions,
    emit: &mut dyn FnMut(LogEvent, u32),
) {
    // "Disconnecting invalid user admin 192.0.2.117 port 44004: <why> [preauth]"
    let mut words = rest.split_whitespace();
    let (user, source) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
    if rest.contains("Change of username or service not allowed") {
        let e = m.failure(user, source, "change of user name refused");
        return counted(sessions, m.key, emit, e, m.repeat);
    }
    if rest.contains("Too many authentication failures") {
        session_end(sessions, m.key, emit, || {
            m.failure(user, source, "too many authentication failures")
        });
    }
}

fn accepted(m: &Message, rest: &str, sessions: &mut Sessions, emit: &mut dyn FnMut(LogEvent, u32)) {
    let Some((_method, rest)) = rest.split_once(" for ") else {
        return;
    };
    let Some((user, source)) = split_from(rest) else {
        return;
    };
    if let Some(session) = sessions.open.remove(&m.key) {
        if let Some((other, reason)) = session.held.iter().find(|(u, _)| u != user) {
            let n = session.held.len() as u32;
            emit(m.failure(other, source, reason), n);
        } else if session.counted
            && session
                .failed_other_user
                .as_deref()
                .is_some_and(|u| u != user)
        {
            emit(
                m.failure(user, source, "accepted as another user after failures"),
                1,
            );
        }
    }
    let mut e = base(m.h, Outcome::Success, m.origin.clone());
    e.user = user.to_owned();
    set_source(&mut e, source);
    emit(e, m.repeat);
}

fn failed(m: &Message, rest: &str, sessions: &mut Sessions, emit: &mut dyn FnMut(LogEvent, u32)) {
    let Some((method, rest)) = rest.split_once(" for ") else {
        return;
    };
    let Some((user_part, source)) = split_from(rest) else {
        return;
    };
    if let Some(user) = user_part.strip_prefix("invalid user ") {
        let reason = format!("failed {method} (invalid user)");
        return counted(
            sessions,
            m.key,
            emit,
            m.failure(user, source, &reason),
            m.repeat,
        );
    }
    if method == "publickey" {
        let s = sessions.open.entry(m.key).or_default();
        s.source.get_or_insert_with(|| source.to_owned());
        for _ in 0..m.repeat {
            s.held.push((user_part.to_owned(), "failed publickey"));
        }
        return;
    }
    let reason = format!("failed {method}");
    counted(
        sessions,
        m.key,
        emit,
        m.failure(user_part, source, &reason),
        m.repeat,
    );
}

fn pam_unix(m: &Message, rest: &str, sessions: &mut Sessions, emit: &mut dyn FnMut(LogEvent, u32)) {
    let field = |name: &str| {
        rest.split_whitespace()
            .find_map(|kv| kv.strip_prefix(name))
            .filter(|v| !v.is_empty())
    };
    let Some(source) = field("rhost=") else {
        return;
    };
    let user = field("user=").or_else(|| field("ruser=")).unwrap_or("");
    let s = sessions.open.entry(m.key).or_default();
    if s.counted {
        return;
    }
    s.source = Some(source.to_owned());
    if s.held.iter().any(|(u, _)| u != user) {
        let n = s.held.len() as u32 + 1;
        s.held.clear();
        let e = m.failure(user, source, "PAM authentication failure");
        return counted(sessions, m.key, emit, e, n);
    }
    s.held.push((user.to_owned(), "PAM authentication failure"));
}

fn too_many(m: &Message, rest: &str, sessions: &mut Sessions, emit: &mut dyn FnMut(LogEvent, u32)) {
    let rest = rest.trim_start();
    let named = rest
        .strip_prefix("for ")
        .map(|r| r.trim_end_matches("[preauth]").trim().to_owned());
    let s = sessions.open.entry(m.key).or_default();
    if s.counted {
        return;
    }
    let user = named.or_else(|| s.held.first().map(|(u, _)| u.clone()));
    let held = s.held.len().max(1) as u32;
    match s.source.clone() {
        Some(source) => {
            s.counted = true;
            s.held.clear();
            let user = user.unwrap_or_default();
            emit(
                m.failure(&user, &source, "too many authentication failures"),
                held,
            );
        }
        None => s.too_many = Some(user.unwrap_or_default()),
    }
}

fn received_disconnect(
    m: &Message,
    rest: &str,
    sessions: &mut Sessions,
    emit: &mut dyn FnMut(LogEvent, u32),
) {
    // "ADDR[ port N]:[ ]CODE: TEXT": 11 at preauth is the client giving up; 3 with
    // "Auth fail" is a client library's failed login.
    let (addr, tail) = rest.split_once(':').unwrap_or((rest, ""));
    let source = addr.split_whitespace().next().unwrap_or("");
    let tail = tail.trim_start();
    let gave_up = tail.starts_with("11:") && tail.ends_with("[preauth]");
    if gave_up || tail.contains("Auth fail") {
        session_end(sessions, m.key, emit, || {
            m.failure("", source, "disconnected before authentication")
        });
    }
    // The last word of a session: the pid may be reused after it.
    sessions.open.remove(&m.key);
}

fn connection_closed(
    m: &Message,
    rest: &str,
    sessions: &mut Sessions,
    emit: &mut dyn FnMut(LogEvent, u32),
) {
    let source = rest.split_whitespace().next().unwrap_or("");
    if let Some(s) = sessions.open.remove(&m.key)
        && let Some(user) = s.too_many
        && !s.counted
    {
        let n = s.held.len().max(1) as u32;
        emit(
            m.failure(&user, source, "too many authentication failures"),
            n,
        );
    }
}

/// A failure that counts on its own; the session remembers it.
fn counted(
    sessions: &mut Sessions,
    key: u64,
    emit: &mut dyn FnMut(LogEvent, u32),
    e: LogEvent,
    repeat: u32,
) {
    let s = sessions.open.entry(key).or_default();
    s.counted = true;
    s.held.clear();
    s.failed_other_user = Some(e.user.clone());
    emit(e, repeat);
}

/// A message that ends the session before authentication: a failure unless one was counted.
fn session_end(
    sessions: &mut Sessions,
    key: u64,
    emit: &mut dyn FnMut(LogEvent, u32),
    failure: impl FnOnce() -> LogEvent,
) {
    // Kept, marked counted: sshd often logs the same end twice ("maximum authentication
    // attempts exceeded", then "Disconnecting … Too many authentication failures").
    let s = sessions.open.entry(key).or_default();
    if !s.counted {
        let mut e = failure();
        if e.user.is_empty()
            && let Some((u, _)) = s.held.first()
        {
            e.user = u.clone();
        }
        let n = s.held.len().max(1) as u32;
        s.counted = true;
        s.held.clear();
        emit(e, n);
    }
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

fn base(h: &Header, outcome: Outcome, origin: SourceRef) -> LogEvent {
    let mut e = crate::line::base(h, EventKind::Logon, outcome, origin, "sshd");
    e.method = Some(AuthMethod::Ssh);
    e
}

/// `USER from HOST [port N] …` → (USER, HOST). A user name chosen by the client may itself
/// contain ` from HOST port N` (`for invalid user x from 10.0.0.1 port 1 ssh2 from …`), and so
/// may the text after the port (`ssh2: from 10.10.1.2 port 5`). sshd writes `from HOST port N`
/// then optionally `sshN`, then the end, `:` or ` [`: the first occurrence shaped like that is
/// the address, else the first followed by `port`, else the last one.
fn split_from(text: &str) -> Option<(&str, &str)> {
    let candidates = || text.match_indices(" from ").map(|(i, _)| i);
    let port_tail = |i: usize| {
        let after = &text[i + 6..];
        let (_host, rest) = after.split_once(' ')?;
        let rest = rest.strip_prefix("port ")?;
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        (digits > 0).then(|| &rest[digits..])
    };
    let ends_well = |tail: &str| {
        let tail = tail
            .strip_prefix(" ssh2")
            .or_else(|| tail.strip_prefix(" ssh1"))
            .unwrap_or(tail);
        tail.is_empty() || tail.starts_with(':') || tail.starts_with(" [")
    };
    let at = candidates()
        .find(|&i| port_tail(i).is_some_and(ends_well))
        .or_else(|| candidates().find(|&i| port_tail(i).is_some()))
        .or_else(|| candidates().last())?;
    let host = text[at + 6..].split_whitespace().next().unwrap_or("");
    Some((&text[..at], host))
}

fn from_host(text: &str) -> &str {
    split_from(text).map_or("", |(_, host)| host)
}

fn set_source(e: &mut LogEvent, host: &str) {
    match parse_ip(host) {
        Some(ip) => e.source_ip = Some(ip),
        None => e.source_host = host.to_owned(),
    }
}
