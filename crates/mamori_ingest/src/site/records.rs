//! Typed records from raw tables: one function per table.

use mamori_model::Localized;
use mamori_model::site::{
    Account, Asset, AssetKind, Connection, ConnectionKind, Contact, Staff, StaffStatus, Vendor,
};

use super::row::Row;
use crate::value::normalize;

pub fn asset(row: &mut Row) -> Asset {
    Asset {
        id: row.key_or_row("id"),
        name: row.text("name"),
        kind: row.parse("kind", parse_asset_kind, || {
            Localized::new(
                "機器の種別として読めません（server/サーバ、pc/端末、network/ネットワーク、gateway/ゲートウェイ、vpn、iot、medical-device/医療機器、printer/プリンタ、nas、other/その他）",
                "unknown asset kind (server, pc, network, gateway, vpn, iot, medical-device, printer, nas, other)",
            )
        }),
        vendor: row.text("vendor"),
        product: row.text("product"),
        version: row.text("version"),
        ip: row.text("ip"),
        internet_facing: row.bool("internet_facing"),
        owner: row.text("owner"),
        location: row.text("location"),
        managed_by: normalize(&row.text("managed_by")),
        last_patched: row.past_date("last_patched"),
        av_updated: row.past_date("av_updated"),
        end_of_support: row.date("end_of_support"),
        serial: row.text("serial"),
        cpe: row.text("cpe"),
        origin: row.origin(),
        unknown: row.take_unknown(),
    }
}

pub fn vendor(row: &mut Row) -> Vendor {
    Vendor {
        id: row.key_or_row("id"),
        name: row.text("name"),
        services: row.text("services"),
        contract: row.text("contract"),
        nda: row.bool("nda"),
        checklist_returned: row.past_date("checklist_returned"),
        mds_sds_received: row.past_date("mds_sds_received"),
        origin: row.origin(),
        unknown: row.take_unknown(),
    }
}

pub fn connection(row: &mut Row) -> Connection {
    Connection {
        id: row.key_or_row("id"),
        vendor: normalize(&row.text("vendor")),
        asset: normalize(&row.text("asset")),
        kind: row.parse("kind", parse_connection_kind, || {
            Localized::new(
                "接続の種別として読めません（vpn、remote-desktop/リモートデスクトップ、leased-line/専用線、internet/インターネット、cloud/クラウド）",
                "unknown connection kind (vpn, remote-desktop, leased-line, internet, cloud)",
            )
        }),
        purpose: row.text("purpose"),
        source_restricted: row.bool("source_restricted"),
        mfa: row.bool("mfa"),
        always_on: row.bool("always_on"),
        origin: row.origin(),
        unknown: row.take_unknown(),
    }
}

pub fn account(row: &mut Row) -> Account {
    Account {
        system: row.text("system"),
        username: row.required("username"),
        display_name: row.text("display_name"),
        employee_id: normalize(&row.text("employee_id")),
        enabled: row.bool("enabled"),
        privileged: row.bool("privileged"),
        mfa: row.bool("mfa"),
        last_logon: row.past_date("last_logon"),
        password_last_set: row.past_date("password_last_set"),
        shared: row.bool("shared"),
        origin: row.origin(),
        unknown: row.take_unknown(),
    }
}

pub fn staff(row: &mut Row) -> Staff {
    Staff {
        employee_id: row.key_or_row("employee_id"),
        name: row.text("name"),
        department: row.text("department"),
        status: row.parse("status", parse_staff_status, || {
            Localized::new(
                "在籍状況として読めません（在職・退職、または 休職中・産休中・育休中・パート・非常勤・派遣 など在籍中の区分）",
                "unknown staff status (active/在職, left/退職, or a kind of staff still employed: 休職中, 産休中, パート, 非常勤, 派遣…)",
            )
        }),
        left_on: row.date("left_on"),
        origin: row.origin(),
        unknown: row.take_unknown(),
    }
}

pub fn contact(row: &mut Row) -> Contact {
    Contact {
        role: normalize_contact_role(&row.required("role")),
        name: row.text("name"),
        phone: row.text("phone"),
        email: row.text("email"),
        verified_on: row.past_date("verified_on"),
        origin: row.origin(),
        unknown: row.take_unknown(),
    }
}

fn parse_asset_kind(s: &str) -> Option<AssetKind> {
    Some(match normalize(s).to_lowercase().as_str() {
        "server" | "サーバ" | "サーバー" | "電子カルテサーバ" | "電子カルテサーバー" => {
            AssetKind::Server
        }
        "pc"
        | "端末"
        | "端末pc"
        | "パソコン"
        | "クライアント"
        | "client"
        | "ノートpc"
        | "ノートパソコン"
        | "タブレット"
        | "レセコン"
        | "電子カルテ端末"
        | "受付pc" => AssetKind::Pc,
        "network"
        | "ネットワーク"
        | "ネットワーク機器"
        | "スイッチ"
        | "switch"
        | "ルータ"
        | "ルーター"
        | "router"
        | "無線lan"
        | "無線ルーター"
        | "wi-fi"
        | "wifi"
        | "ハブ"
        | "ap" => AssetKind::Network,
        "gateway" | "ゲートウェイ" | "utm" | "ファイアウォール" | "firewall" | "fw" => {
            AssetKind::Gateway
        }
        "vpn" | "vpn装置" | "vpn機器" | "vpnルーター" | "vpnルータ" => AssetKind::Vpn,
        "iot" | "iot機器" | "カメラ" | "camera" => AssetKind::Iot,
        "medical-device" | "medical" | "医療機器" | "モダリティ" => {
            AssetKind::MedicalDevice
        }
        "printer" | "プリンタ" | "プリンター" | "複合機" => AssetKind::Printer,
        "nas" | "ストレージ" | "storage" => AssetKind::Nas,
        "other" | "その他" => AssetKind::Other,
        _ => return None,
    })
}

fn parse_connection_kind(s: &str) -> Option<ConnectionKind> {
    Some(match normalize(s).to_lowercase().as_str() {
        "vpn" | "sslvpn" | "ssl-vpn" | "ipsec" | "ipsec-vpn" => ConnectionKind::Vpn,
        "remote-desktop" | "rdp" | "リモートデスクトップ" | "リモート" => {
            ConnectionKind::RemoteDesktop
        }
        "leased-line" | "専用線" | "閉域網" => ConnectionKind::LeasedLine,
        "internet" | "インターネット" => ConnectionKind::Internet,
        "cloud" | "クラウド" => ConnectionKind::Cloud,
        _ => return None,
    })
}

fn parse_staff_status(s: &str) -> Option<StaffStatus> {
    Some(match normalize(s).to_lowercase().as_str() {
        // Leave and part-time are people still here: their accounts stay.
        "active" | "在職" | "在籍" | "在職中" | "勤務中" | "常勤" | "非常勤" | "パート"
        | "アルバイト" | "派遣" | "嘱託" | "正職員" | "産休" | "産休中" | "育休" | "育休中"
        | "休職" | "休職中" | "退職予定" => StaffStatus::Active,
        "left" | "退職" | "退職済" | "退職済み" | "離職" => StaffStatus::Left,
        _ => return None,
    })
}

/// Japanese role names to the ids the checks look for; other roles are kept as written.
fn normalize_contact_role(s: &str) -> String {
    match normalize(s).to_lowercase().as_str() {
        "vendor" | "保守" | "保守事業者" | "保守会社" | "事業者" => "vendor".into(),
        "police" | "警察" | "警察署" => "police".into(),
        "mhlw" | "厚生労働省" | "厚労省" => "mhlw".into(),
        "jma" | "日本医師会" | "医師会" => "jma".into(),
        "internal" | "院内" | "院内連絡先" => "internal".into(),
        other => other.to_owned(),
    }
}
