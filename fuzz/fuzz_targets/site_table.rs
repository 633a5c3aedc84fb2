//! Any bytes as any site table, as CSV or XLSX: must never panic, and every rejected row must
//! come with an error naming the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mamori_ingest::site::TABLE_NAMES as TABLES;
use mamori_ingest::{SiteLoad, add_table};


fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let table = TABLES[usize::from(selector) % TABLES.len()];
    let file = if selector & 0x80 != 0 {
        format!("{table}.xlsx")
    } else {
        format!("{table}.csv")
    };
    let mut load = SiteLoad::default();
    add_table(&mut load, table, &file, bytes);
    for input in &load.inputs {
        if input.rows_rejected > 0 {
            assert!(load.errors.iter().any(|e| e.file == file));
        }
    }
});
