//! LDAP entries into the directory records: users, groups (nested memberships resolved, the
//! privileged ones by SID), computers, policies. Times: AD's FILETIME (100 ns since 1601) and
//! GeneralizedTime.

use std::collections::{HashMap, HashSet};

use jiff::Timestamp;
use ldap3::SearchEntry;
use mamori_model::directory::{
    Directory, DirectoryComputer, DirectoryUser, PasswordPolicy, PrivilegedGroup, is_protected_sid,
};

/// People's accounts (not computers, which are `user` objects too).
pub const USER_FILTER: &str = "(&(objectCategory=person)(objectClass=user))";
/// What is read of a user.
pub const USER_ATTRS: &[&str] = &[
    "sAMAccountName",
    "displayName",
    "userAccountControl",
    "pwdLastSet",
    "lastLogonTimestamp",
    "whenCreated",
    "memberOf",
    "adminCount",
    "servicePrincipalName",
    "primaryGroupID",
    "objectSid",
];
/// What is read of a group.
pub const GROUP_ATTRS: &[&str] = &["cn", "member", "memberOf", "objectSid"];
/// What is read of a computer.
pub const COMPUTER_ATTRS: &[&str] = &[
    "cn",
    "dNSHostName",
    "operatingSystem",
    "operatingSystemVersion",
    "lastLogonTimestamp",
    "userAccountControl",
    "ms-Mcs-AdmPwdExpirationTime",
    "msLAPS-PasswordExpirationTime",
];
/// What is read of a fine-grained password policy.
pub const PSO_ATTRS: &[&str] = &[
    "cn",
    "msDS-MinimumPasswordLength",
    "msDS-LockoutThreshold",
    "msDS-PasswordReversibleEncryptionEnabled",
];
/// What is read of the domain object.
pub const DOMAIN_ATTRS: &[&str] = &["minPwdLength", "lockoutThreshold", "pwdProperties"];
/// `pwdProperties`: passwords stored with reversible encryption (DOMAIN_PASSWORD_STORE_CLEARTEXT).
const STORE_CLEARTEXT: i64 = 0x10;

fn first<'a>(e: &'a SearchEntry, name: &str) -> &'a str {
    e.attrs
        .get(name)
        .and_then(|v| v.first())
        .map_or("", String::as_str)
}

fn number(e: &SearchEntry, name: &str) -> Option<i64> {
    first(e, name).trim().parse().ok()
}

/// FILETIME (100 ns intervals since 1601-01-01) → time; 0 and "never" are `None`.
pub fn filetime(value: Option<i64>) -> Option<Timestamp> {
    let v = value.filter(|v| *v > 0 && *v < i64::MAX)?;
    let seconds = v / 10_000_000 - 11_644_473_600;
    Timestamp::from_second(seconds).ok()
}

/// `20261205064700.0Z` → time.
pub fn generalized_time(text: &str) -> Option<Timestamp> {
    let digits = text.get(..14)?;
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let iso = format!(
        "{}-{}-{}T{}:{}:{}Z",
        &digits[..4],
        &digits[4..6],
        &digits[6..8],
        &digits[8..10],
        &digits[10..12],
        &digits[12..14]
    );
    iso.parse().ok()
}

/// A binary SID as text (`S-1-5-21-…-512`).
pub fn sid_text(bytes: &[u8]) -> Option<String> {
    if bytes.len() < 8 {
        return None;
    }
    let count = usize::from(bytes[1]);
    if bytes.len() < 8 + 4 * count {
        return None;
    }
    let authority = bytes[2..8]
        .iter()
        .fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
    let mut text = format!("S-{}-{authority}", bytes[0]);
    for i in 0..count {
        let at = 8 + 4 * i;
        let sub = u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
        text.push_str(&format!("-{sub}"));
    }
    Some(text)
}

/// The groups of the directory: name, direct parents, privileged kind.
pub(crate) struct Groups {
    name: HashMap<String, String>,
    parents: HashMap<String, Vec<String>>,
    privileged: HashMap<String, PrivilegedGroup>,
    /// The groups AdminSDHolder protects (the privileged ones and a few more).
    protected: HashSet<String>,
    /// The primary group id of Domain Users (513) etc. → group DN, by RID.
    by_rid: HashMap<u32, String>,
}

impl Groups {
    /// The groups read, indexed by lower-cased DN.
    pub(crate) fn of(entries: &[SearchEntry]) -> Self {
        let mut g = Groups {
            name: HashMap::new(),
            parents: HashMap::new(),
            privileged: HashMap::new(),
            protected: HashSet::new(),
            by_rid: HashMap::new(),
        };
        for e in entries {
            let dn = e.dn.to_ascii_lowercase();
            g.name.insert(dn.clone(), first(e, "cn").to_owned());
            let parents = e
                .attrs
                .get("memberOf")
                .map(|v| v.iter().map(|p| p.to_ascii_lowercase()).collect())
                .unwrap_or_default();
            g.parents.insert(dn.clone(), parents);
            let sid = e
                .bin_attrs
                .get("objectSid")
                .and_then(|v| v.first())
                .and_then(|b| sid_text(b));
            if let Some(sid) = sid {
                if let Some(kind) = PrivilegedGroup::of_sid(&sid) {
                    g.privileged.insert(dn.clone(), kind);
                }
                if is_protected_sid(&sid) {
                    g.protected.insert(dn.clone());
                }
                if let Some(rid) = sid.rsplit('-').next().and_then(|r| r.parse().ok()) {
                    g.by_rid.insert(rid, dn.clone());
                }
            }
        }
        g
    }

    /// Every group `direct` leads to, nested ones included (cycles stop).
    fn closure(&self, direct: impl IntoIterator<Item = String>) -> Vec<String> {
        let mut seen: HashSet<String> = HashSet::new();
        let mut stack: Vec<String> = direct.into_iter().collect();
        while let Some(dn) = stack.pop() {
            if !seen.insert(dn.clone()) {
                continue;
            }
            if let Some(parents) = self.parents.get(&dn) {
                stack.extend(parents.iter().cloned());
            }
        }
        let mut out: Vec<String> = seen.into_iter().collect();
        out.sort();
        out
    }
}

/// A user entry, its nested groups resolved.
pub(crate) fn user(e: &SearchEntry, groups: &Groups) -> DirectoryUser {
    let mut direct: Vec<String> = e
        .attrs
        .get("memberOf")
        .map(|v| v.iter().map(|d| d.to_ascii_lowercase()).collect())
        .unwrap_or_default();
    // The primary group (Domain Users, or Domain Admins when someone set it so) is not in
    // memberOf.
    if let Some(dn) = number(e, "primaryGroupID")
        .and_then(|rid| u32::try_from(rid).ok())
        .and_then(|rid| groups.by_rid.get(&rid))
    {
        direct.push(dn.clone());
    }
    let all = groups.closure(direct);
    let mut privileged: Vec<PrivilegedGroup> = all
        .iter()
        .filter_map(|dn| groups.privileged.get(dn).copied())
        .collect();
    privileged.sort();
    privileged.dedup();
    let own_sid = e
        .bin_attrs
        .get("objectSid")
        .and_then(|v| v.first())
        .and_then(|b| sid_text(b))
        .unwrap_or_default();
    let protected =
        is_protected_sid(&own_sid) || all.iter().any(|dn| groups.protected.contains(dn));
    DirectoryUser {
        dn: e.dn.clone(),
        sam: first(e, "sAMAccountName").to_owned(),
        display_name: first(e, "displayName").to_owned(),
        uac: number(e, "userAccountControl")
            .and_then(|v| u32::try_from(v).ok())
            .unwrap_or(0),
        password_last_set: filetime(number(e, "pwdLastSet")),
        last_logon: filetime(number(e, "lastLogonTimestamp")),
        created: generalized_time(first(e, "whenCreated")),
        groups: all
            .iter()
            .map(|dn| groups.name.get(dn).cloned().unwrap_or_else(|| dn.clone()))
            .collect(),
        privileged,
        admin_count: number(e, "adminCount") == Some(1),
        protected,
        spns: e
            .attrs
            .get("servicePrincipalName")
            .cloned()
            .unwrap_or_default(),
    }
}

/// A computer entry.
pub(crate) fn computer(e: &SearchEntry) -> DirectoryComputer {
    let uac = number(e, "userAccountControl").unwrap_or(0);
    DirectoryComputer {
        dn: e.dn.clone(),
        name: first(e, "cn").to_owned(),
        dns_name: first(e, "dNSHostName").to_ascii_lowercase(),
        os: first(e, "operatingSystem").to_owned(),
        os_version: first(e, "operatingSystemVersion").to_owned(),
        last_logon: filetime(number(e, "lastLogonTimestamp")),
        disabled: uac & 0x2 != 0,
        laps: !first(e, "ms-Mcs-AdmPwdExpirationTime").is_empty()
            || !first(e, "msLAPS-PasswordExpirationTime").is_empty(),
        domain_controller: uac & 0x2000 != 0,
    }
}

/// The directory from the users and computers read and the entries of the policy searches.
pub fn directory(
    url: &str,
    base: &str,
    users: Vec<DirectoryUser>,
    computers: Vec<DirectoryComputer>,
    policies: &[SearchEntry],
    domain: &[SearchEntry],
) -> Directory {
    let as_u32 = |v: Option<i64>| v.and_then(|v| u32::try_from(v).ok()).unwrap_or(0);
    Directory {
        source: url.to_owned(),
        base_dn: base.to_owned(),
        users,
        laps_in_schema: computers.iter().any(|c| c.laps),
        computers,
        default_policy: domain.first().map(|d| PasswordPolicy {
            name: "既定のドメイン ポリシー".to_owned(),
            min_length: as_u32(number(d, "minPwdLength")),
            lockout_threshold: as_u32(number(d, "lockoutThreshold")),
            reversible: number(d, "pwdProperties").is_some_and(|v| v & STORE_CLEARTEXT != 0),
        }),
        fine_grained: policies
            .iter()
            .map(|p| PasswordPolicy {
                name: first(p, "cn").to_owned(),
                min_length: as_u32(number(p, "msDS-MinimumPasswordLength")),
                lockout_threshold: as_u32(number(p, "msDS-LockoutThreshold")),
                reversible: first(p, "msDS-PasswordReversibleEncryptionEnabled")
                    .eq_ignore_ascii_case("TRUE"),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_and_sids() {
        // 2026-12-05T00:00:00Z as FILETIME.
        let ft = (1_796_428_800 + 11_644_473_600) * 10_000_000;
        assert_eq!(
            filetime(Some(ft)).unwrap().to_string(),
            "2026-12-05T00:00:00Z"
        );
        assert_eq!(filetime(Some(0)), None);
        assert_eq!(filetime(Some(i64::MAX)), None, "never");
        assert_eq!(
            generalized_time("20261205064700.0Z").unwrap().to_string(),
            "2026-12-05T06:47:00Z"
        );
        assert_eq!(generalized_time("2026"), None);
        let sid = [
            1, 5, 0, 0, 0, 0, 0, 5, 21, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 0, 2, 0, 0,
        ];
        assert_eq!(sid_text(&sid).as_deref(), Some("S-1-5-21-1-2-3-512"));
        assert_eq!(sid_text(&sid[..10]), None);
    }
}
