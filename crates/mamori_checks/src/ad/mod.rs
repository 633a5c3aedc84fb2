//! Active Directory checks (site.toml `[ad]`): they read `Site::directory`, the directory as
//! read over LDAP, and say nothing when there is none. The directory's users also feed the
//! account checks as account records (`mamori_app::ad::accounts_of`).

pub mod admincount_orphan;
pub mod computer_stale;
pub mod computer_unregistered;
pub mod kerberoastable_admin;
pub mod no_laps;
pub mod password_never_expires;
pub mod password_not_required;
pub mod privileged_stale;
pub mod reversible_encryption;
pub mod too_many_admins;
pub mod weak_policy;

use mamori_model::directory::{Directory, DirectoryComputer, DirectoryUser, PasswordPolicy};
use mamori_model::{Evidence, Finding, Localized, Severity, SourceRef, Subject, SubjectKind};

use crate::{CheckContext, Rule};

/// The directory, when `[ad]` was read.
pub(crate) fn directory<'a>(ctx: &CheckContext<'a>) -> Option<&'a Directory> {
    ctx.site.directory.as_ref()
}

/// A user as a finding's subject: the same key as its account record (`AD/sam`).
pub(crate) fn user_subject(user: &DirectoryUser) -> Subject {
    let name = if user.display_name.is_empty() {
        user.sam.clone()
    } else {
        format!("{}（{}）", user.sam, user.display_name)
    };
    Subject::new(SubjectKind::Account, format!("AD/{}", user.sam), name)
}

/// A computer as a finding's subject.
pub(crate) fn computer_subject(computer: &DirectoryComputer) -> Subject {
    Subject::new(
        SubjectKind::Host,
        computer.name.clone(),
        computer.name.clone(),
    )
}

/// Where an entry was read: the directory and the entry's DN.
pub(crate) fn entry_source(dir: &Directory, dn: &str) -> SourceRef {
    SourceRef {
        file: dir.source.clone(),
        excerpt: Some(dn.to_owned()),
        ..SourceRef::default()
    }
}

/// A password policy as a finding's subject.
pub(crate) fn policy_subject(policy: &PasswordPolicy) -> Subject {
    Subject::new(
        SubjectKind::Site,
        format!("ad-policy/{}", policy.name),
        policy.name.clone(),
    )
}

/// Where a password policy was read: the directory, the policy's name and the domain.
pub(crate) fn policy_source(dir: &Directory, policy: &PasswordPolicy) -> SourceRef {
    SourceRef {
        file: dir.source.clone(),
        excerpt: Some(format!("{} ({})", policy.name, dir.base_dn)),
        ..SourceRef::default()
    }
}

/// Evidence naming a user's privileged groups.
pub(crate) fn user_evidence(dir: &Directory, user: &DirectoryUser) -> Evidence {
    let groups: Vec<&str> = user.privileged.iter().map(|g| g.name()).collect();
    Evidence::default()
        .fact("privileged_groups", groups.join(", "))
        .source(entry_source(dir, &user.dn))
}

/// One finding per enabled user whose `userAccountControl` has `flag`: privileged accounts
/// first and High, the others at the rule's severity. `message` gets the user and the words
/// for "privileged " (empty for the others) in Japanese and English.
pub(crate) fn users_flagged(
    ctx: &CheckContext,
    rule: &Rule,
    flag: u32,
    message: impl Fn(&DirectoryUser, &str, &str) -> Localized,
) -> Vec<Finding> {
    let Some(dir) = directory(ctx) else {
        return Vec::new();
    };
    let mut users: Vec<&DirectoryUser> = dir
        .users
        .iter()
        .filter(|u| u.enabled() && u.has(flag))
        .collect();
    users.sort_by_key(|u| (!u.is_privileged(), u.sam.clone()));
    users
        .into_iter()
        .map(|user| {
            let (severity, ja, en) = if user.is_privileged() {
                (Severity::High, "特権グループの", "privileged ")
            } else {
                (rule.default_severity, "", "")
            };
            rule.finding(
                user_subject(user),
                severity,
                message(user, ja, en),
                user_evidence(dir, user),
            )
        })
        .collect()
}

/// Days from `t` to the evaluation day.
pub(crate) fn days_since(ctx: &CheckContext, t: jiff::Timestamp) -> i64 {
    let day = t
        .to_zoned(jiff::tz::TimeZone::get("Asia/Tokyo").unwrap_or(jiff::tz::TimeZone::UTC))
        .date();
    ctx.days_since(day)
}

#[cfg(test)]
mod tests {
    use jiff::Timestamp;
    use mamori_model::directory::{
        Directory, DirectoryComputer, DirectoryUser, PasswordPolicy, PrivilegedGroup, uac,
    };
    use mamori_model::site::Site;

    use crate::testing::check_on;

    fn at(day: &str) -> Option<Timestamp> {
        Some(format!("{day}T00:00:00Z").parse().unwrap())
    }

    fn user(sam: &str, privileged: bool, last: &str) -> DirectoryUser {
        DirectoryUser {
            dn: format!("CN={sam},CN=Users,DC=x,DC=local"),
            sam: sam.to_owned(),
            uac: 0x200,
            last_logon: at(last),
            created: at("2020-01-01"),
            privileged: if privileged {
                vec![PrivilegedGroup::DomainAdmins]
            } else {
                Vec::new()
            },
            ..DirectoryUser::default()
        }
    }

    fn computer(name: &str, last: &str, laps: bool) -> DirectoryComputer {
        DirectoryComputer {
            dn: format!("CN={name},CN=Computers,DC=x,DC=local"),
            name: name.to_owned(),
            last_logon: at(last),
            laps,
            ..DirectoryComputer::default()
        }
    }

    fn site(dir: Directory) -> Site {
        Site {
            directory: Some(dir),
            ..Site::default()
        }
    }

    fn ids(rule: &crate::Rule, site: &Site) -> Vec<String> {
        let day = jiff::civil::date(2026, 12, 5);
        check_on(rule, site, day)
            .into_iter()
            .map(|f| f.subject.key)
            .collect()
    }

    #[test]
    fn stale_privileged_users_and_computers_by_their_last_logon() {
        let dir = Directory {
            users: vec![
                user("old-admin", true, "2026-01-10"),
                user("busy-admin", true, "2026-12-01"),
                user("old-clerk", false, "2026-01-10"),
            ],
            computers: vec![
                computer("PC-OLD", "2026-03-01", true),
                computer("PC-NEW", "2026-12-04", true),
            ],
            laps_in_schema: true,
            ..Directory::default()
        };
        let site = site(dir);
        assert_eq!(ids(&super::privileged_stale::RULE, &site), ["AD/old-admin"]);
        assert_eq!(ids(&super::computer_stale::RULE, &site), ["PC-OLD"]);
        assert!(
            ids(&super::no_laps::RULE, &site).is_empty(),
            "every computer has LAPS"
        );
        assert!(
            ids(&super::too_many_admins::RULE, &site).is_empty(),
            "two admins"
        );
    }

    #[test]
    fn a_strong_policy_and_a_disabled_account_say_nothing() {
        let mut disabled = user("gone", true, "2026-01-01");
        disabled.uac |= uac::DISABLED
            | uac::PASSWORD_NEVER_EXPIRES
            | uac::PASSWORD_NOT_REQUIRED
            | uac::REVERSIBLE_ENCRYPTION;
        let dir = Directory {
            users: vec![disabled],
            default_policy: Some(PasswordPolicy {
                name: "default".into(),
                min_length: 14,
                lockout_threshold: 10,
                reversible: false,
            }),
            fine_grained: vec![PasswordPolicy {
                name: "service-accounts".into(),
                min_length: 8,
                lockout_threshold: 0,
                reversible: false,
            }],
            computers: vec![
                computer("PC-1", "2026-12-01", true),
                computer("PC-2", "2026-12-01", false),
            ],
            laps_in_schema: true,
            ..Directory::default()
        };
        let site = site(dir);
        assert!(ids(&super::privileged_stale::RULE, &site).is_empty());
        assert!(ids(&super::password_never_expires::RULE, &site).is_empty());
        assert!(ids(&super::password_not_required::RULE, &site).is_empty());
        assert!(ids(&super::reversible_encryption::RULE, &site).is_empty());
        assert_eq!(
            ids(&super::weak_policy::RULE, &site),
            ["ad-policy/service-accounts"]
        );
        assert_eq!(
            ids(&super::no_laps::RULE, &site),
            ["PC-2"],
            "LAPS in use, one PC left out"
        );
        assert!(
            ids(&super::weak_policy::RULE, &Site::default()).is_empty(),
            "no [ad]: nothing"
        );
    }

    #[test]
    fn computers_are_matched_to_the_ledger_by_id_name_or_host_name() {
        use mamori_model::site::Asset;
        let mut aliased = computer("PC-3", "2026-12-01", true);
        aliased.dns_name = "pc3-alias.x.local".into();
        let mut disabled = computer("PC-D", "2026-12-01", true);
        disabled.disabled = true;
        let dir = Directory {
            computers: vec![
                computer("PC-1", "2026-12-01", true),
                computer("PC-2", "2026-12-01", true),
                aliased,
                computer("PC-9", "2026-12-01", true),
                disabled,
            ],
            laps_in_schema: true,
            ..Directory::default()
        };
        let asset = |id: &str, name: &str| Asset {
            id: id.into(),
            name: name.into(),
            ..Asset::default()
        };
        let mut with_ledger = site(dir.clone());
        with_ledger.assets = vec![
            asset("pc-1", "受付端末"),
            asset("A-002", "pc-2"),
            asset("A-003", "PC3-ALIAS"),
        ];
        let rule = &super::computer_unregistered::RULE;
        assert_eq!(ids(rule, &with_ledger), ["PC-9"]);
        let no_ledger = check_on(rule, &site(dir), jiff::civil::date(2026, 12, 5));
        assert_eq!(
            no_ledger.len(),
            1,
            "one finding for the domain, not one per computer"
        );
        assert_eq!(no_ledger[0].subject.key, "ad-ledger");
        assert_eq!(no_ledger[0].evidence.count, Some(4));
        assert!(no_ledger[0].message.ja.contains("PC-1、PC-2、PC-3、PC-9"));
    }
}
