//! `account.privileged-no-mfa`: an administrator account that logs on with a password alone.

use mamori_model::{Evidence, Finding, Localized, Severity};

use crate::{CheckContext, Rule, Text, account_label, account_subject};

/// `account.privileged-no-mfa` — Privileged account without multi-factor authentication. Its texts say why it matters and what to do.
pub const RULE: Rule = Rule {
    info: crate::RuleInfo {
        id: "account.privileged-no-mfa",
        default_severity: Severity::High,
        title: Text {
            ja: "管理者権限のアカウントに多要素認証がない",
            en: "Privileged account without multi-factor authentication",
        },
        rationale: Text {
            ja: "管理者のパスワードが漏れるとネットワーク全体が乗っ取られます。国内の病院のランサムウェア被害でも、推測しやすいパスワードの管理者アカウントが使われました。",
            en: "A leaked administrator password hands over the whole network; Japanese hospital ransomware cases used guessable administrator passwords.",
        },
        remediation: Text {
            ja: "管理者アカウントに多要素認証（ワンタイムパスワード、認証アプリなど）を設定してください。設定できない機器は、管理画面に接続できる端末を限定してください。",
            en: "Turn on multi-factor authentication (one-time codes, authenticator app) for administrator accounts; where a device cannot, restrict which hosts may reach its management interface.",
        },
        measures: &["accounts.mfa", "accounts.review-privileges"],
        checklist: &["two-factor", "access-rights"],
    },
    run,
};

fn run(ctx: &CheckContext, rule: &Rule) -> Vec<Finding> {
    let mut findings = Vec::new();
    for account in ctx
        .site
        .accounts
        .iter()
        .filter(|a| a.is_enabled() && a.is_privileged() && a.mfa != Some(true))
    {
        let boundary = ctx.account_on_boundary(account);
        let severity = if boundary {
            Severity::Critical
        } else {
            rule.default_severity
        };
        let (state_ja, state_en) = match account.mfa {
            Some(false) => ("多要素認証なし", "no MFA"),
            _ => ("多要素認証の記載なし", "MFA not recorded"),
        };
        let message = Localized::new(
            format!(
                "「{}」の管理者アカウント {} に多要素認証がありません（{}）",
                account.system,
                account_label(account),
                state_ja
            ),
            format!(
                "administrator account {} on {} has no multi-factor authentication ({})",
                account.username, account.system, state_en
            ),
        );
        let evidence = Evidence::default()
            .fact("mfa", account.mfa.map_or("unknown", |_| "no"))
            .fact("boundary_system", boundary)
            .source(account.origin.clone());
        findings.push(rule.finding(account_subject(account), severity, message, evidence));
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::*;
    use mamori_model::site::{AssetKind, Site};

    #[test]
    fn fires_for_admins_without_mfa_critical_on_the_gateway() {
        let mut ad_admin = account("AD", "admin-ad");
        ad_admin.privileged = Some(true);
        ad_admin.mfa = Some(false);
        let mut fw_admin = account("FW-01", "fwadmin");
        fw_admin.privileged = Some(true);
        let site = Site {
            assets: vec![asset("FW-01", AssetKind::Gateway)],
            accounts: vec![ad_admin, fw_admin],
            ..Site::default()
        };
        let f = check(&RULE, &site);
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].severity, Severity::High);
        assert_eq!(f[1].severity, Severity::Critical);
        assert_eq!(f[1].evidence.facts["mfa"], "unknown");
    }

    #[test]
    fn silent_with_mfa_or_without_privilege() {
        let mut with_mfa = account("AD", "admin-ad");
        with_mfa.privileged = Some(true);
        with_mfa.mfa = Some(true);
        let user = account("AD", "nurse01");
        let site = Site {
            accounts: vec![with_mfa, user],
            ..Site::default()
        };
        assert!(check(&RULE, &site).is_empty());
    }
}
