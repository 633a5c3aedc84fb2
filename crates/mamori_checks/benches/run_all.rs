//! Every site check on an in-memory site of 10,000 assets and 50,000 accounts (no IO): the
//! check engine's share of `mamori assess`. End-to-end figures: `bench/assess.sh`.

use jiff::civil::{Date, date};
use mamori_checks::{CheckContext, run_all};
use mamori_model::site::{Account, Asset, AssetKind, Site, Staff, StaffStatus, Vendor};

fn main() {
    divan::main();
}

fn day(n: usize) -> Date {
    date(2026, 11, 21)
        .checked_sub(jiff::Span::new().days(n as i64))
        .unwrap()
}

fn site(assets: usize, accounts: usize) -> Site {
    let kinds = [
        AssetKind::Pc,
        AssetKind::Server,
        AssetKind::Gateway,
        AssetKind::Iot,
    ];
    Site {
        assets: (0..assets)
            .map(|i| Asset {
                id: format!("A-{i:06}"),
                name: format!("機器{i}"),
                kind: Some(kinds[i % kinds.len()]),
                version: if i % 50 == 0 {
                    String::new()
                } else {
                    "1.0".into()
                },
                managed_by: format!("V{:02}", i % 20),
                last_patched: Some(day(i % 200)),
                av_updated: Some(day(i % 12)),
                end_of_support: Some(day(i % 900)),
                ..Asset::default()
            })
            .collect(),
        vendors: (0..20)
            .map(|i| Vendor {
                id: format!("V{i:02}"),
                nda: Some(i % 4 != 0),
                ..Vendor::default()
            })
            .collect(),
        staff: (0..accounts / 2)
            .map(|i| Staff {
                employee_id: format!("E{i:06}"),
                status: Some(if i % 25 == 0 {
                    StaffStatus::Left
                } else {
                    StaffStatus::Active
                }),
                ..Staff::default()
            })
            .collect(),
        accounts: (0..accounts)
            .map(|i| Account {
                system: ["AD", "電子カルテ", "A-000002"][i % 3].into(),
                username: if i % 500 == 0 {
                    format!("user{i}")
                } else {
                    format!("u{i:06}")
                },
                employee_id: format!("E{:06}", i / 2),
                enabled: Some(i % 100 != 0),
                privileged: Some(i % 200 == 0),
                last_logon: Some(day(i % 150)),
                password_last_set: Some(day(i % 500)),
                ..Account::default()
            })
            .collect(),
        ..Site::default()
    }
}

#[divan::bench(args = [(1_000, 5_000), (10_000, 50_000)])]
fn checks(bencher: divan::Bencher, (assets, accounts): (usize, usize)) {
    let site = site(assets, accounts);
    bencher.bench_local(|| {
        let ctx = CheckContext::new(divan::black_box(&site), date(2026, 11, 21));
        run_all(&ctx).len()
    });
}
