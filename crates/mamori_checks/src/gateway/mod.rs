//! Checks on gateway configuration backups (`configs/`, `mamori gateway audit`): what the
//! FortiGate or ASA exposes, to whom, and with what protection. They read the vendor-neutral
//! facts in [`mamori_model::gateway`]; each finding quotes the (masked) lines that prove it.

pub mod admin_exposed;
pub mod admin_no_mfa;
pub mod admin_no_trusthost;
pub mod default_admin;
pub mod no_remote_logging;
pub mod telnet_enabled;
pub mod vpn_any_source;
pub mod vpn_exposed;
pub mod vpn_user_no_mfa;
pub mod weak_tls;

use mamori_model::gateway::{ConfigLine, Gateway};
use mamori_model::{Evidence, Localized, SourceRef, Subject, SubjectKind};

use crate::CheckContext;

/// The device a finding is about: the ledger asset when the configuration is linked to one,
/// else the configuration's hostname. `item` (an interface, an account) makes the key unique
/// per finding.
pub(crate) fn subject(ctx: &CheckContext, g: &Gateway, item: Option<&str>) -> Subject {
    let (kind, key, name) = match g.asset.as_deref().and_then(|id| ctx.site.asset(id)) {
        Some(asset) => (SubjectKind::Asset, asset.id.clone(), asset.name.clone()),
        None => (SubjectKind::Host, g.label(), g.format.product().to_owned()),
    };
    match item {
        Some(item) => Subject::new(kind, format!("{key}#{item}"), format!("{name} {item}")),
        None => Subject::new(kind, key, name),
    }
}

/// Evidence quoting these lines of the configuration (in file order), with the device's
/// firmware.
pub(crate) fn quoted<'a>(g: &Gateway, lines: impl IntoIterator<Item = &'a ConfigLine>) -> Evidence {
    let mut evidence = Evidence::default()
        .fact("config", g.file.as_str())
        .fact("product", g.format.product());
    if let Some(fw) = &g.firmware {
        evidence = evidence.fact("firmware", fw.version.as_str());
    }
    let mut lines: Vec<&ConfigLine> = lines.into_iter().collect();
    lines.sort_by_key(|l| l.line);
    lines.dedup();
    for l in lines {
        evidence = evidence.source(SourceRef::quote(&g.file, l.line, &l.text));
    }
    evidence
}

/// `FG-HOSP（FortiGate）` for messages.
pub(crate) fn device(g: &Gateway) -> String {
    format!("{}（{}）", g.label(), g.format.product())
}

/// Does any management service listen on a WAN interface for (nearly) anyone?
pub(crate) fn management_on_wan(g: &Gateway) -> bool {
    g.management
        .iter()
        .any(|m| g.is_wan(&m.interface) && m.open_to_internet())
}

/// How the MFA state reads in a message.
pub(crate) fn mfa_unknown_message(server: &str) -> Localized {
    Localized::new(
        format!(
            "認証は {server} に任されているため、多要素認証の有無は設定ファイルからは分かりません"
        ),
        format!(
            "authentication is delegated to {server}; whether it requires a second factor cannot be seen in the configuration"
        ),
    )
}
