//! Active Directory as read over LDAP (`mamori_ad`): users with their flags and resolved group
//! memberships, the privileged groups, computers, password policies and LAPS. The truth about
//! accounts in a hospital with a Windows domain — not last year's CSV export.

use jiff::Timestamp;
use serde::Serialize;

/// `userAccountControl` bits mamori reads.
pub mod uac {
    /// The account is disabled.
    pub const DISABLED: u32 = 0x0002;
    /// No password is required.
    pub const PASSWORD_NOT_REQUIRED: u32 = 0x0020;
    /// The password is stored with reversible encryption.
    pub const REVERSIBLE_ENCRYPTION: u32 = 0x0080;
    /// The password never expires.
    pub const PASSWORD_NEVER_EXPIRES: u32 = 0x1_0000;
    /// A smart card is required to log on.
    pub const SMARTCARD_REQUIRED: u32 = 0x4_0000;
}

/// The well-known privileged groups, by the last part of their SID.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PrivilegedGroup {
    /// Domain Admins (RID 512).
    DomainAdmins,
    /// Enterprise Admins (RID 519).
    EnterpriseAdmins,
    /// Schema Admins (RID 518).
    SchemaAdmins,
    /// BUILTIN\Administrators (S-1-5-32-544).
    Administrators,
    /// BUILTIN\Account Operators (548).
    AccountOperators,
    /// BUILTIN\Server Operators (549).
    ServerOperators,
    /// BUILTIN\Backup Operators (551).
    BackupOperators,
}

impl PrivilegedGroup {
    /// The group a SID (`S-1-5-21-…-512`, `S-1-5-32-544`) names, if privileged.
    pub fn of_sid(sid: &str) -> Option<Self> {
        if let Some(rid) = sid.strip_prefix("S-1-5-32-") {
            return match rid {
                "544" => Some(Self::Administrators),
                "548" => Some(Self::AccountOperators),
                "549" => Some(Self::ServerOperators),
                "551" => Some(Self::BackupOperators),
                _ => None,
            };
        }
        if !sid.starts_with("S-1-5-21-") {
            return None;
        }
        match sid.rsplit('-').next()? {
            "512" => Some(Self::DomainAdmins),
            "518" => Some(Self::SchemaAdmins),
            "519" => Some(Self::EnterpriseAdmins),
            _ => None,
        }
    }

    /// The group's usual name.
    pub fn name(self) -> &'static str {
        match self {
            Self::DomainAdmins => "Domain Admins",
            Self::EnterpriseAdmins => "Enterprise Admins",
            Self::SchemaAdmins => "Schema Admins",
            Self::Administrators => "Administrators",
            Self::AccountOperators => "Account Operators",
            Self::ServerOperators => "Server Operators",
            Self::BackupOperators => "Backup Operators",
        }
    }
}

/// Whether a SID is one AdminSDHolder protects (and marks `adminCount=1`): the privileged groups
/// plus Print Operators, Replicator, the domain controllers' groups and the key admins, and the
/// built-in Administrator and `krbtgt` accounts.
pub fn is_protected_sid(sid: &str) -> bool {
    if let Some(rid) = sid.strip_prefix("S-1-5-32-") {
        return matches!(rid, "544" | "548" | "549" | "550" | "551" | "552");
    }
    sid.starts_with("S-1-5-21-")
        && matches!(
            sid.rsplit('-').next(),
            Some("500" | "502" | "512" | "516" | "518" | "519" | "521" | "526" | "527")
        )
}

/// One user account.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct DirectoryUser {
    /// Its distinguished name.
    pub dn: String,
    /// `sAMAccountName`.
    pub sam: String,
    /// `displayName`.
    pub display_name: String,
    /// `userAccountControl`.
    pub uac: u32,
    /// When the password was last set (`pwdLastSet`); `None`: never, or must change at next logon.
    pub password_last_set: Option<Timestamp>,
    /// `lastLogonTimestamp` (replicated; up to 14 days behind).
    pub last_logon: Option<Timestamp>,
    /// `whenCreated`.
    pub created: Option<Timestamp>,
    /// Every group it belongs to, nested groups resolved, by name.
    pub groups: Vec<String>,
    /// The privileged groups among them.
    pub privileged: Vec<PrivilegedGroup>,
    /// `adminCount=1`: protected by AdminSDHolder (once or still privileged).
    pub admin_count: bool,
    /// Still protected today: a member (nested) of a group AdminSDHolder protects, or the
    /// built-in Administrator or `krbtgt` — where `adminCount=1` is expected.
    pub protected: bool,
    /// `servicePrincipalName`s: a ticket for any of them can be cracked offline (Kerberoasting).
    pub spns: Vec<String>,
}

impl DirectoryUser {
    /// Not disabled.
    pub fn enabled(&self) -> bool {
        self.uac & uac::DISABLED == 0
    }

    /// A member of a privileged group (nested memberships included).
    pub fn is_privileged(&self) -> bool {
        !self.privileged.is_empty()
    }

    /// The flag is set.
    pub fn has(&self, flag: u32) -> bool {
        self.uac & flag != 0
    }
}

/// One computer account.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct DirectoryComputer {
    /// Its distinguished name.
    pub dn: String,
    /// `cn` (the computer's name).
    pub name: String,
    /// `dNSHostName`.
    pub dns_name: String,
    /// `operatingSystem`.
    pub os: String,
    /// `operatingSystemVersion`.
    pub os_version: String,
    /// `lastLogonTimestamp`.
    pub last_logon: Option<Timestamp>,
    /// Disabled in the directory.
    pub disabled: bool,
    /// A LAPS password expiry is set (legacy `ms-Mcs-AdmPwdExpirationTime` or Windows LAPS
    /// `msLAPS-PasswordExpirationTime`): its local administrator password is managed.
    pub laps: bool,
    /// A domain controller (`SERVER_TRUST_ACCOUNT`): LAPS does not apply.
    pub domain_controller: bool,
}

/// A password policy: the domain's default or a fine-grained one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PasswordPolicy {
    /// Its name (`既定のドメイン ポリシー` for the default, else the settings object's `cn`).
    pub name: String,
    /// Minimum password length.
    pub min_length: u32,
    /// Failed logons before lockout (0: never locked out).
    pub lockout_threshold: u32,
    /// Every password it applies to is stored with reversible encryption (the domain's
    /// `pwdProperties` "store cleartext", a policy's `msDS-PasswordReversibleEncryptionEnabled`).
    pub reversible: bool,
}

/// Everything read from the directory.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Directory {
    /// Where it was read from (the LDAP URL, without credentials).
    pub source: String,
    /// The search base.
    pub base_dn: String,
    /// User accounts.
    pub users: Vec<DirectoryUser>,
    /// Computer accounts.
    pub computers: Vec<DirectoryComputer>,
    /// The domain's default password policy.
    pub default_policy: Option<PasswordPolicy>,
    /// Fine-grained password policies.
    pub fine_grained: Vec<PasswordPolicy>,
    /// The LAPS attributes exist in the schema (some computer has them, or the schema says so).
    pub laps_in_schema: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protected_and_privileged_sids() {
        let domain = "S-1-5-21-1-2-3";
        for rid in [
            "500", "502", "512", "516", "518", "519", "521", "526", "527",
        ] {
            assert!(is_protected_sid(&format!("{domain}-{rid}")), "{rid}");
        }
        for rid in ["544", "548", "549", "550", "551", "552"] {
            assert!(is_protected_sid(&format!("S-1-5-32-{rid}")), "{rid}");
        }
        // Domain Users, an ordinary user, Remote Desktop Users, a domain-looking SID elsewhere.
        for sid in [
            "S-1-5-21-1-2-3-513",
            "S-1-5-21-1-2-3-1105",
            "S-1-5-32-555",
            "S-1-5-80-512",
        ] {
            assert!(!is_protected_sid(sid), "{sid}");
        }
        // Print Operators are protected but not counted as administrators.
        assert_eq!(PrivilegedGroup::of_sid("S-1-5-32-550"), None);
        assert_eq!(
            PrivilegedGroup::of_sid("S-1-5-21-1-2-3-512"),
            Some(PrivilegedGroup::DomainAdmins)
        );
    }
}
